#include "common/time_util.h"

#include <cstdio>

#include "fmt/format.h"

namespace vigil {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  *out = v;
  return true;
}

// Days from 1970-01-01 to the civil date (proleptic Gregorian); Howard Hinnant's algorithm.
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

constexpr bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

absl::StatusOr<int64_t> ParseDurationMs(std::string_view text) {
  if (text == "0") return 0;
  if (text.empty()) return absl::InvalidArgumentError("empty duration");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 1'000'000'000) return absl::InvalidArgumentError(fmt::format("duration '{}' is too large", text));
      ++i;
    }
    if (i == start) {
      return absl::InvalidArgumentError(fmt::format(
          "invalid duration '{}': expected a number followed by ms, s, m, h or d (30s, 5m, 1h)", text));
    }
    int64_t unit = 0;
    if (text.substr(i, 2) == "ms") {
      unit = 1, i += 2;
    } else if (i < text.size()) {
      switch (text[i]) {
        case 's': unit = 1000; break;
        case 'm': unit = kMsPerMinute; break;
        case 'h': unit = kMsPerHour; break;
        case 'd': unit = kMsPerDay; break;
        default: break;
      }
      if (unit != 0) ++i;
    }
    if (unit == 0) {
      return absl::InvalidArgumentError(fmt::format(
          "invalid duration '{}': expected a unit ms, s, m, h or d after {}", text, n));
    }
    total += n * unit;
  }
  return total;
}

std::string FormatDuration(int64_t ms) {
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return fmt::format("{}ms", ms);
  int64_t s = ms / 1000;
  if (s >= 86400 && s % 86400 == 0) return fmt::format("{}d", s / 86400);
  std::string out;
  if (s >= 3600) out += fmt::format("{}h", s / 3600), s %= 3600;
  if (s >= 60) out += fmt::format("{}m", s / 60), s %= 60;
  if (s > 0) out += fmt::format("{}s", s);
  return out;
}

absl::StatusOr<int> ParseClockMinutes(std::string_view text, int max_hours) {
  int h = 0, m = 0;
  size_t colon = text.find(':');
  bool ok = colon != std::string_view::npos && colon >= 1 && colon <= 2 &&
            text.size() == colon + 3 && Digits(text, 0, colon, &h) && Digits(text, colon + 1, 2, &m);
  if (!ok) {
    return absl::InvalidArgumentError(fmt::format("invalid time of day '{}': expected HH:MM", text));
  }
  if (m > 59 || h > max_hours || (h == max_hours && m > 0)) {
    return absl::InvalidArgumentError(fmt::format(
        "time of day '{}' is out of range ({})", text, max_hours == 24 ? "00:00-24:00" : "00:00-48:00"));
  }
  return h * 60 + m;
}

std::string FormatClockMinutes(int minutes) {
  return fmt::format("{:02d}:{:02d}", minutes / 60, minutes % 60);
}

TimeParse ParseRfc3339Ms(std::string_view s, TimeMs* out) {
  // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return TimeParse::kInvalid;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
    return TimeParse::kInvalid;
  }
  if (sec == 60) sec = 59;  // a leap second is folded into the last second of its minute
  size_t i = 19;
  int64_t millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t first = i;
    int64_t scale = 100;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == first) return TimeParse::kInvalid;
  }
  if (i == s.size()) return TimeParse::kNoOffset;
  int64_t offset_min = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!Digits(s, i + 1, 2, &oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !Digits(s, i + 4, 2, &om) || oh > 23 || om > 59) {
      return TimeParse::kInvalid;
    }
    offset_min = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return TimeParse::kInvalid;
  }
  if (i != s.size()) return TimeParse::kInvalid;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
  *out = secs * 1000 + millis;
  return TimeParse::kOk;
}

std::string FormatRfc3339(TimeMs t, const absl::TimeZone& tz, bool with_millis) {
  absl::Time at = absl::FromUnixMillis(t);
  if (with_millis) return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", at, tz);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", at, tz);
}

}  // namespace vigil
