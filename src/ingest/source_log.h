// How live sources report what an operator should see (connection errors, broker errors,
// rotations): a callback given in the source's options, so that `vigil serve` routes the lines
// to its log and tests can collect them.
#pragma once

#include <functional>
#include <string_view>

#include "fmt/format.h"

namespace vigil {

using SourceLog = std::function<void(std::string_view line)>;

// The default: one line on stderr.
inline void LogToStderr(std::string_view line) { fmt::print(stderr, "{}\n", line); }

}  // namespace vigil
