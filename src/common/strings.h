// Small string helpers shared by every module.
//
// Debian's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0),
// which does not convert from std::string_view. vigil uses std::string_view everywhere and
// crosses into Abseil only through AsAbsl(): hash-map lookups by view, absl::Status messages.
// Formatting is done with fmt, never absl::StrCat.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace vigil {

inline absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view AsStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace vigil
