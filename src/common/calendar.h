// The business calendar: day types (workday / holiday, with make-up workdays 调休) and busy
// hours, in the configured time zone. Shared by monitoring (no_txn, volume_ratio, batch,
// recon) and, later, by the incident desk's SLA clock.
//
// Thread safety: immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time_util.h"

namespace vigil {

enum class DayType : uint8_t { kWorkday, kHoliday };
const char* DayTypeName(DayType t);  // "workday" / "holiday"

// A local calendar day is identified by its number of days since 1970-01-01 (civil, in the
// configured time zone): `LocalDay`. Day 0 is 1970-01-01.
using LocalDay = int64_t;

struct ClockRange {
  int begin_minute = 0;  // minutes after midnight, inclusive
  int end_minute = 0;    // minutes after midnight, exclusive (1440 = midnight)
};

struct CalendarConfig {
  std::vector<ClockRange> busy_hours = {{8 * 60, 19 * 60}};
  std::vector<int> weekend = {6, 7};  // ISO weekday numbers, Monday = 1 ... Sunday = 7
  std::vector<absl::CivilDay> holidays;
  std::vector<absl::CivilDay> workdays;  // make-up workdays (调休) that override the weekend
};

class Calendar {
 public:
  // `tz` must be loaded already (see LoadTimeZone).
  Calendar(CalendarConfig config, absl::TimeZone tz);

  const absl::TimeZone& time_zone() const { return tz_; }
  const CalendarConfig& config() const { return config_; }

  LocalDay DayOf(TimeMs t) const;
  DayType TypeOf(LocalDay day) const;
  bool IsWorkday(LocalDay day) const { return TypeOf(day) == DayType::kWorkday; }
  // Minutes after local midnight of the day holding `t` (0..1439 outside DST shifts).
  int MinuteOfDay(TimeMs t) const;
  // The absolute time of `minute_of_day` minutes after local midnight of `day`; the count may
  // be negative or pass 1440 (it is civil arithmetic: day + 25:30 is 01:30 the next day).
  TimeMs At(LocalDay day, int64_t minute_of_day) const;
  // True when the minute starting at `t` (a whole minute) lies in busy hours of a workday.
  bool IsBusy(TimeMs minute_start) const;

  std::string FormatDay(LocalDay day) const;  // "2026-11-20"
  static LocalDay ToLocalDay(absl::CivilDay d);
  static absl::CivilDay ToCivilDay(LocalDay d);

 private:
  CalendarConfig config_;
  absl::TimeZone tz_;
  absl::flat_hash_set<LocalDay> holidays_;
  absl::flat_hash_set<LocalDay> workdays_;
  bool weekend_[8] = {};  // indexed by ISO weekday
  bool busy_minute_[1440] = {};
};

// Loads an IANA time zone ("Asia/Shanghai") from the system's zoneinfo.
absl::StatusOr<absl::TimeZone> LoadTimeZone(const std::string& name);

}  // namespace vigil
