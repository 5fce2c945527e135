// The values of an ITSM export, translated to the desk's words: statuses, priorities and classes
// in English or Chinese, and times as exports write them. Used by itsm_import.h; each parser
// returns the desk's value or an error message that says what is accepted.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/time_util.h"

namespace vigil::desk {

// new|新建, accepted|已受理, transferred|已转派, resolved|已解决, closed|已关闭 → the English word.
absl::StatusOr<std::string> ParseImportStatus(std::string_view text);
// P1..P4 (any case), 1..4, 紧急/高/中/低, urgent/high/medium/low → "P1".."P4".
absl::StatusOr<std::string> ParseImportPriority(std::string_view text);
// data|数据类|数据, program|程序类|程序, consultation|咨询类|咨询 → data, program, consultation.
absl::StatusOr<std::string> ParseImportClass(std::string_view text);
// ISO 8601 with a zone ("2026-11-20T15:08:00+08:00", "...Z", "+0800"), or without one and then
// in `tz`: "2026-11-20T15:08:00", "2026-11-20 15:08[:SS[.fff]]", "2026/11/20 15:08", or a date
// alone (midnight).
absl::StatusOr<TimeMs> ParseImportTime(std::string_view text, const absl::TimeZone& tz);

// `s` without leading and trailing ASCII white space.
std::string_view TrimSpace(std::string_view s);

}  // namespace vigil::desk
