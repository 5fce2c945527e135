// China's official holiday schedule (国务院办公厅 notices for 2025 and 2026) and the simulated
// days built from it.
#include "sim/sim_calendar.h"

#include <algorithm>

#include "fmt/format.h"

namespace vigil::sim {
namespace {

struct HolidayRange {
  int y, m, d, days;
  const char* name;
};
struct MakeUpDay {
  int y, m, d;
};

// Statutory holiday ranges (放假调休) and make-up workdays (上班).
constexpr HolidayRange kRanges[] = {
    {2025, 1, 1, 1, "元旦"},    {2025, 1, 28, 8, "春节"},   {2025, 4, 4, 3, "清明节"},
    {2025, 5, 1, 5, "劳动节"},  {2025, 5, 31, 3, "端午节"}, {2025, 10, 1, 8, "国庆节、中秋节"},
    {2026, 1, 1, 3, "元旦"},    {2026, 2, 15, 9, "春节"},   {2026, 4, 4, 3, "清明节"},
    {2026, 5, 1, 5, "劳动节"},  {2026, 6, 19, 3, "端午节"}, {2026, 9, 25, 3, "中秋节"},
    {2026, 10, 1, 7, "国庆节"},
};
constexpr MakeUpDay kMakeUps[] = {
    {2025, 1, 26}, {2025, 2, 8},  {2025, 4, 27}, {2025, 9, 28}, {2025, 10, 11}, {2026, 1, 4},
    {2026, 2, 14}, {2026, 2, 28}, {2026, 5, 9},  {2026, 9, 20}, {2026, 10, 10},
};

bool Contains(const std::vector<absl::CivilDay>& v, absl::CivilDay d) {
  return std::find(v.begin(), v.end(), d) != v.end();
}

}  // namespace

HolidaySchedule ChinaHolidays(absl::CivilDay first, absl::CivilDay last) {
  HolidaySchedule s;
  for (const HolidayRange& r : kRanges) {
    absl::CivilDay d(r.y, r.m, r.d);
    for (int i = 0; i < r.days; ++i, ++d) {
      if (d < first || d > last) continue;
      s.holidays.push_back(d);
      s.names.push_back(r.name);
    }
  }
  for (const MakeUpDay& m : kMakeUps) {
    absl::CivilDay d(m.y, m.m, m.d);
    if (d >= first && d <= last) s.workdays.push_back(d);
  }
  return s;
}

absl::StatusOr<SimCalendar> SimCalendar::Create(const std::string& timezone, absl::CivilDay start,
                                                int days) {
  SimCalendar cal;
  if (!absl::LoadTimeZone(timezone, &cal.tz_)) {
    return absl::InvalidArgumentError(fmt::format("unknown time zone '{}'", timezone));
  }
  if (days < 1 || days > 366) {
    return absl::InvalidArgumentError(fmt::format("--days must be 1-366, not {}", days));
  }
  cal.tz_name_ = timezone;
  // The configuration lists the whole years the simulation touches.
  absl::CivilDay last = start + (days - 1);
  cal.schedule_ =
      ChinaHolidays(absl::CivilDay(start.year(), 1, 1), absl::CivilDay(last.year(), 12, 31));
  for (int i = 0; i <= days; ++i) {
    absl::CivilDay date = start + i;
    TimeMs midnight = absl::ToUnixMillis(cal.tz_.At(absl::CivilSecond(date)).pre);
    if (i == days) {
      cal.end_ms_ = midnight;
      break;
    }
    SimDay d;
    d.date = date;
    d.label = fmt::format("{:04d}-{:02d}-{:02d}", date.year(), date.month(), date.day());
    d.compact = fmt::format("{:04d}{:02d}{:02d}", date.year(), date.month(), date.day());
    d.start_ms = midnight;
    absl::Weekday wd = absl::GetWeekday(date);
    bool weekend = wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
    auto it = std::find(cal.schedule_.holidays.begin(), cal.schedule_.holidays.end(), date);
    if (it != cal.schedule_.holidays.end()) {
      d.workday = false;
      d.why = cal.schedule_.names[static_cast<size_t>(it - cal.schedule_.holidays.begin())];
    } else if (weekend && Contains(cal.schedule_.workdays, date)) {
      d.why = "调休上班";
    } else if (weekend) {
      d.workday = false;
      d.why = "weekend";
    }
    cal.days_.push_back(std::move(d));
  }
  for (size_t i = 0; i < cal.days_.size(); ++i) {
    TimeMs next = i + 1 < cal.days_.size() ? cal.days_[i + 1].start_ms : cal.end_ms_;
    cal.days_[i].minutes = static_cast<int>((next - cal.days_[i].start_ms) / kMsPerMinute);
  }
  return cal;
}

TimeMs SimCalendar::At(int i, int minute) const {
  absl::CivilSecond cs = absl::CivilSecond(days_[static_cast<size_t>(i)].date) + minute * 60;
  return absl::ToUnixMillis(tz_.At(cs).pre);
}

int SimCalendar::LastWorkday(int before) const {
  for (int i = std::min(before, size()) - 1; i >= 0; --i) {
    if (days_[static_cast<size_t>(i)].workday) return i;
  }
  return -1;
}

std::string SimCalendar::Format(TimeMs t) const { return FormatRfc3339(t, tz_, false); }

}  // namespace vigil::sim
