// Time values, durations and RFC 3339 timestamps as vigil uses them everywhere.
//
// A point in time is `TimeMs`: milliseconds since the Unix epoch (UTC). A minute is the
// absolute epoch minute `floor(ms / 60000)`; every time zone vigil supports has whole-minute
// offsets, so "whole minute in the configured time zone" and "whole epoch minute" coincide.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vigil {

using TimeMs = int64_t;
inline constexpr int64_t kMsPerMinute = 60'000;
inline constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
inline constexpr int64_t kMsPerDay = 24 * kMsPerHour;

// Floor division that rounds toward minus infinity (times before 1970 stay correct).
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr int64_t MinuteOf(TimeMs t) { return FloorDiv(t, kMsPerMinute); }
constexpr TimeMs MinuteStart(int64_t minute) { return minute * kMsPerMinute; }

// Parses a duration written as one or more <number><unit> groups: "500ms", "30s", "5m",
// "1h", "1h30m", "2d". A bare "0" is zero. Errors name what is wrong.
absl::StatusOr<int64_t> ParseDurationMs(std::string_view text);

// Formats a duration the way the configuration writes it: "5m", "1h30m", "45s", "250ms".
std::string FormatDuration(int64_t ms);

// Parses a time of day "HH:MM" into minutes after midnight. `max_hours` is 24 for plain
// times ("24:00" allowed only as the end of a range) and 48 for batch times, which may pass
// midnight ("25:30" is 01:30 the next morning).
absl::StatusOr<int> ParseClockMinutes(std::string_view text, int max_hours = 24);

// Formats minutes after midnight as "HH:MM" (values >= 24:00 stay as written: "25:30").
std::string FormatClockMinutes(int minutes);

enum class TimeParse : uint8_t { kOk, kInvalid, kNoOffset };

// Parses an RFC 3339 timestamp with offset: "2026-11-20T15:08:00.123+08:00", "...Z",
// lower-case "t"/"z" and a space instead of "T" accepted; fractions of any length (digits past
// milliseconds are dropped). Hot path: no allocation, no time-zone lookup.
TimeParse ParseRfc3339Ms(std::string_view text, TimeMs* out);

// Formats `t` in `tz` as RFC 3339 with that zone's offset at `t`:
// "2026-11-20T15:08:00+08:00", or with milliseconds "2026-11-20T15:08:00.123+08:00".
std::string FormatRfc3339(TimeMs t, const absl::TimeZone& tz, bool with_millis = false);

}  // namespace vigil
