// Request bodies as the HTTP and other push sources receive them: plain, or gzip-compressed
// (Content-Encoding: gzip), inflated under a hard size limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace vigil {

// Returns the body's bytes, inflated when `gzip` is set (concatenated gzip members are one
// stream). Errors:
// - ResourceExhausted when the (inflated) body is larger than `max_bytes`; a gzip bomb is
//   stopped there, never holding more than `max_bytes` of output;
// - InvalidArgument for a corrupt or truncated gzip stream, or bytes after the last member
//   that are not another member; the message says which, and where.
// An empty gzip body decodes to an empty string.
absl::StatusOr<std::string> DecodeBody(std::string_view body, bool gzip, size_t max_bytes);

}  // namespace vigil
