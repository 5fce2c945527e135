// The simulated bank's calendar: which simulated days are workdays, their local midnights,
// and the official China holiday schedule (with make-up workdays, 调休) the generated
// configuration lists. The simulator writes this calendar into the config it produces, so the
// engine and the traffic agree by construction.
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time_util.h"

namespace vigil::sim {

inline constexpr int kBusyBeginMinute = 8 * 60;  // busy hours on workdays: 08:00-19:00
inline constexpr int kBusyEndMinute = 19 * 60;

struct HolidaySchedule {
  std::vector<absl::CivilDay> holidays;  // statutory days off (放假)
  std::vector<absl::CivilDay> workdays;  // make-up workdays on a weekend (调休上班)
  std::vector<std::string> names;        // holiday name for each entry of `holidays`
};

// The official schedule for the years the simulator knows (2025, 2026), restricted to
// [first, last]. Other years get weekends only.
HolidaySchedule ChinaHolidays(absl::CivilDay first, absl::CivilDay last);

struct SimDay {
  absl::CivilDay date;
  std::string label;    // "2026-11-20"
  std::string compact;  // "20261120" (serial numbers)
  bool workday = true;
  std::string why;      // "weekend", "国庆节", "调休上班" or empty
  TimeMs start_ms = 0;  // local midnight
  int minutes = 1440;   // local minutes in the day (1440 unless DST shifts)
};

class SimCalendar {
 public:
  static absl::StatusOr<SimCalendar> Create(const std::string& timezone, absl::CivilDay start,
                                            int days);

  const std::vector<SimDay>& days() const { return days_; }
  const SimDay& day(int i) const { return days_[static_cast<size_t>(i)]; }
  int size() const { return static_cast<int>(days_.size()); }
  const absl::TimeZone& tz() const { return tz_; }
  const std::string& tz_name() const { return tz_name_; }
  const HolidaySchedule& schedule() const { return schedule_; }
  TimeMs end_ms() const { return end_ms_; }
  // Local midnight of day `i` plus `minute` minutes (may exceed the day: batch times).
  TimeMs At(int i, int minute) const;
  // The index of the last workday, or -1; `before` limits the search to days < before.
  int LastWorkday(int before = 1 << 30) const;
  // Formats `t` as RFC 3339 with the zone's offset, whole seconds.
  std::string Format(TimeMs t) const;

 private:
  SimCalendar() = default;
  std::vector<SimDay> days_;
  absl::TimeZone tz_;
  std::string tz_name_;
  HolidaySchedule schedule_;
  TimeMs end_ms_ = 0;
};

}  // namespace vigil::sim
