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

// As DecodeBody, without a new string per body: a plain body is returned as it is (`body`
// itself); a gzip body is inflated into `*buffer`, whose memory is reused: the answer views
// its first bytes. `*buffer` is never shrunk (its size may exceed the answer's), so a buffer
// kept per thread is allocated and zero-filled once, not per body. It is sized up front from
// the gzip trailer's ISIZE when that is plausible (at most the limit, and at most deflate's
// 1032:1 ratio), so a single-member body is inflated in one pass without growing. The view is
// valid until `*buffer` changes (or, for a plain body, as long as `body`).
absl::StatusOr<std::string_view> DecodeBodyInto(std::string_view body, bool gzip, size_t max_bytes,
                                                std::string* buffer);

}  // namespace vigil
