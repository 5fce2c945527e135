// The business calendar (calendar.h): which local days are workdays, which minutes are busy,
// and the civil arithmetic that turns "day + HH:MM" into an absolute time.
//
// Day types are decided in this order: a make-up workday (调休, `workdays`) is a workday; a
// listed holiday is a holiday; a weekend day is a holiday; every other day is a workday. The
// loader rejects a date listed both as holiday and as workday, so the order only matters for
// hand-built configurations.
#include "common/calendar.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "common/strings.h"
#include "fmt/format.h"

namespace vigil {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

// ISO weekday number (Monday = 1 ... Sunday = 7) of a civil day.
int IsoWeekday(absl::CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 1;
}

}  // namespace

const char* DayTypeName(DayType t) { return t == DayType::kWorkday ? "workday" : "holiday"; }

Calendar::Calendar(CalendarConfig config, absl::TimeZone tz) : config_(std::move(config)), tz_(tz) {
  for (absl::CivilDay d : config_.holidays) holidays_.insert(ToLocalDay(d));
  for (absl::CivilDay d : config_.workdays) workdays_.insert(ToLocalDay(d));
  for (int wd : config_.weekend) {
    if (wd >= 1 && wd <= 7) weekend_[wd] = true;
  }
  for (const ClockRange& r : config_.busy_hours) {
    int begin = std::max(r.begin_minute, 0);
    int end = std::min(r.end_minute, kMinutesPerDay);
    for (int m = begin; m < end; ++m) busy_minute_[m] = true;
  }
}

LocalDay Calendar::ToLocalDay(absl::CivilDay d) { return d - absl::CivilDay(1970, 1, 1); }

absl::CivilDay Calendar::ToCivilDay(LocalDay d) { return absl::CivilDay(1970, 1, 1) + d; }

LocalDay Calendar::DayOf(TimeMs t) const {
  return ToLocalDay(absl::ToCivilDay(absl::FromUnixMillis(t), tz_));
}

DayType Calendar::TypeOf(LocalDay day) const {
  if (workdays_.contains(day)) return DayType::kWorkday;
  if (holidays_.contains(day)) return DayType::kHoliday;
  return weekend_[IsoWeekday(ToCivilDay(day))] ? DayType::kHoliday : DayType::kWorkday;
}

int Calendar::MinuteOfDay(TimeMs t) const {
  absl::CivilMinute m = absl::ToCivilMinute(absl::FromUnixMillis(t), tz_);
  return m.hour() * 60 + m.minute();
}

TimeMs Calendar::At(LocalDay day, int64_t minute_of_day) const {
  absl::CivilMinute m = absl::CivilMinute(ToCivilDay(day)) + minute_of_day;
  return absl::ToUnixMillis(tz_.At(m).pre);
}

bool Calendar::IsBusy(TimeMs minute_start) const {
  absl::CivilMinute m = absl::ToCivilMinute(absl::FromUnixMillis(minute_start), tz_);
  if (!busy_minute_[m.hour() * 60 + m.minute()]) return false;
  return IsWorkday(ToLocalDay(absl::CivilDay(m)));
}

std::string Calendar::FormatDay(LocalDay day) const {
  return absl::FormatCivilTime(ToCivilDay(day));
}

absl::StatusOr<absl::TimeZone> LoadTimeZone(const std::string& name) {
  absl::TimeZone tz;
  if (name.empty()) return absl::InvalidArgumentError("empty time zone name");
  if (!absl::LoadTimeZone(AsAbsl(name), &tz)) {
    return absl::NotFoundError(
        fmt::format("unknown time zone '{}' (expected an IANA name like Asia/Shanghai)", name));
  }
  return tz;
}

}  // namespace vigil
