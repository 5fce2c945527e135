// The `calendar` section of the configuration: busy hours, weekend, holidays and make-up
// workdays (调休), with the checks that span entries (overlapping ranges, a date listed both as
// holiday and as workday).
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/config_yaml.h"
#include "common/time_util.h"
#include "fmt/format.h"

namespace vigil::config_yaml {
namespace {

// A parsed value with the line it was written on, for checks across entries.
template <typename T>
struct AtLine {
  T value;
  int line;
  std::string path;
};

std::optional<absl::CivilDay> ParseDate(const std::string& s) {
  int y, m, d;
  char tail;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' ||
      std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  absl::CivilDay day(y, m, d);  // normalises out-of-range fields: 02-30 becomes 03-02
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

std::optional<ClockRange> ParseRange(const std::string& s, std::string* error) {
  size_t dash = s.find('-');
  auto trim = [](std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
  };
  if (dash == std::string::npos) {
    *error = fmt::format("expected a range like \"08:00-19:00\", got '{}'", s);
    return std::nullopt;
  }
  auto begin = ParseClockMinutes(trim(std::string_view(s).substr(0, dash)));
  auto end = ParseClockMinutes(trim(std::string_view(s).substr(dash + 1)));
  if (!begin.ok() || !end.ok()) {
    *error = fmt::format("expected a range like \"08:00-19:00\" (HH:MM, up to 24:00), got '{}'", s);
    return std::nullopt;
  }
  if (*begin >= *end) {
    *error = fmt::format("range '{}' ends before it begins (ranges cannot pass midnight)", s);
    return std::nullopt;
  }
  return ClockRange{*begin, *end};
}

void ReadBusyHours(Reader& r, const YAML::Node& node, const std::string& path,
                   CalendarConfig* cal) {
  std::vector<AtLine<ClockRange>> ranges;
  auto read_one = [&](const YAML::Node& item, const std::string& item_path) {
    auto s = r.Scalar(item, item_path, "a range like \"08:00-19:00\"");
    if (!s) return;
    std::string error;
    if (auto range = ParseRange(*s, &error)) {
      ranges.push_back({*range, LineOf(item), item_path});
    } else {
      r.Error(item, item_path, error);
    }
  };
  if (node.IsScalar()) {
    read_one(node, path);
  } else {
    r.Items(node, path, "ranges like [\"08:00-11:30\", \"13:00-19:00\"]", read_one);
  }
  std::vector<AtLine<ClockRange>> sorted = ranges;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.value.begin_minute < b.value.begin_minute;
  });
  for (size_t i = 1; i < sorted.size(); ++i) {
    const auto& a = sorted[i - 1];
    const auto& b = sorted[i];
    if (b.value.begin_minute < a.value.end_minute) {
      const auto& later = a.line > b.line ? a : b;
      const auto& other = a.line > b.line ? b : a;
      r.ErrorAtLine(later.line, later.path,
                    fmt::format("busy range {}-{} overlaps {}-{}",
                                FormatClockMinutes(later.value.begin_minute),
                                FormatClockMinutes(later.value.end_minute),
                                FormatClockMinutes(other.value.begin_minute),
                                FormatClockMinutes(other.value.end_minute)));
    }
  }
  cal->busy_hours.clear();
  for (const auto& range : sorted) cal->busy_hours.push_back(range.value);
}

void ReadWeekend(Reader& r, const YAML::Node& node, const std::string& path, CalendarConfig* cal) {
  static const std::vector<std::string_view> kShort = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
  static const std::vector<std::string_view> kLong = {"monday", "tuesday",  "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};
  std::vector<int> days;
  r.Items(node, path, "weekday names like [sat, sun]",
          [&](const YAML::Node& item, const std::string& item_path) {
            auto s = r.Scalar(item, item_path, "a weekday name (mon ... sun)");
            if (!s) return;
            std::string name = *s;
            for (char& ch : name) {
              if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            }
            for (int i = 0; i < 7; ++i) {
              if (name != kShort[i] && name != kLong[i]) continue;
              if (std::find(days.begin(), days.end(), i + 1) != days.end()) {
                r.Error(item, item_path, fmt::format("'{}' is listed twice", *s));
              } else {
                days.push_back(i + 1);
              }
              return;
            }
            r.Error(item, item_path,
                    fmt::format("unknown weekday '{}' (known: {})", *s, JoinNames(kShort)));
          });
  if (node.IsNull() || node.IsSequence()) cal->weekend = std::move(days);
}

std::vector<AtLine<absl::CivilDay>> ReadDates(Reader& r, const YAML::Node& node,
                                              const std::string& path) {
  std::vector<AtLine<absl::CivilDay>> dates;
  r.Items(node, path, "dates like [\"2026-10-01\"]",
          [&](const YAML::Node& item, const std::string& item_path) {
            auto s = r.Scalar(item, item_path, "a date \"YYYY-MM-DD\"");
            if (!s) return;
            if (auto day = ParseDate(*s)) {
              dates.push_back({*day, LineOf(item), item_path});
            } else {
              r.Error(item, item_path,
                      fmt::format("expected a valid date \"YYYY-MM-DD\", got '{}'", *s));
            }
          });
  return dates;
}

}  // namespace

void ReadCalendar(Reader& r, const YAML::Node& node, CalendarConfig* cal) {
  std::vector<AtLine<absl::CivilDay>> holidays, workdays;
  const std::string path = "calendar";
  r.Fields(node, path,
           {
               {"busy_hours", [&](auto& v, auto& p) { ReadBusyHours(r, v, p, cal); }},
               {"weekend", [&](auto& v, auto& p) { ReadWeekend(r, v, p, cal); }},
               {"holidays", [&](auto& v, auto& p) { holidays = ReadDates(r, v, p); }},
               {"workdays", [&](auto& v, auto& p) { workdays = ReadDates(r, v, p); }},
           });
  for (const auto& w : workdays) {
    for (const auto& h : holidays) {
      if (w.value != h.value) continue;
      r.ErrorAtLine(w.line, w.path,
                    fmt::format("{} is listed both as a holiday ({}, line {}) and as a workday",
                                absl::FormatCivilTime(w.value), h.path, h.line));
    }
  }
  for (const auto& h : holidays) cal->holidays.push_back(h.value);
  for (const auto& w : workdays) cal->workdays.push_back(w.value);
}

}  // namespace vigil::config_yaml
