// Tests of the business calendar: day types (weekend, holidays, 调休 make-up workdays), busy
// minutes at the edges of their ranges, civil arithmetic past 24:00, and local days near
// midnight.
#include "common/calendar.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace vigil {
namespace {

absl::TimeZone Zone(const std::string& name) {
  auto tz = LoadTimeZone(name);
  EXPECT_TRUE(tz.ok()) << name;
  return tz.ok() ? *tz : absl::UTCTimeZone();
}

TimeMs T(const char* rfc3339) {
  TimeMs t = 0;
  EXPECT_EQ(ParseRfc3339Ms(rfc3339, &t), TimeParse::kOk) << rfc3339;
  return t;
}

LocalDay Day(int y, int m, int d) { return Calendar::ToLocalDay(absl::CivilDay(y, m, d)); }

// 2026: 09-27 is a Sunday made a workday (调休); 10-01 is a Thursday holiday.
Calendar ShanghaiCalendar(std::vector<ClockRange> busy = {{8 * 60, 19 * 60}}) {
  CalendarConfig c;
  c.busy_hours = std::move(busy);
  c.holidays = {absl::CivilDay(2026, 10, 1)};
  c.workdays = {absl::CivilDay(2026, 9, 27)};
  return Calendar(c, Zone("Asia/Shanghai"));
}

TEST(CalendarTest, LocalDayNumbering) {
  EXPECT_EQ(Day(1970, 1, 1), 0);
  EXPECT_EQ(Day(1969, 12, 31), -1);
  EXPECT_EQ(Day(2026, 11, 20), 20777);
  EXPECT_EQ(Calendar::ToCivilDay(20777), absl::CivilDay(2026, 11, 20));
  EXPECT_EQ(ShanghaiCalendar().FormatDay(20777), "2026-11-20");
  EXPECT_EQ(ShanghaiCalendar().FormatDay(-1), "1969-12-31");
}

TEST(CalendarTest, WeekendIsHolidayWeekdayIsWorkday) {
  Calendar cal = ShanghaiCalendar();
  EXPECT_EQ(cal.TypeOf(Day(2026, 11, 20)), DayType::kWorkday);  // Friday
  EXPECT_EQ(cal.TypeOf(Day(2026, 11, 21)), DayType::kHoliday);  // Saturday
  EXPECT_EQ(cal.TypeOf(Day(2026, 11, 22)), DayType::kHoliday);  // Sunday
  EXPECT_EQ(cal.TypeOf(Day(2026, 11, 23)), DayType::kWorkday);  // Monday
  EXPECT_STREQ(DayTypeName(DayType::kWorkday), "workday");
  EXPECT_STREQ(DayTypeName(DayType::kHoliday), "holiday");
}

TEST(CalendarTest, HolidayOnAWeekdayAndMakeUpWorkdayOnASunday) {
  Calendar cal = ShanghaiCalendar();
  EXPECT_EQ(cal.TypeOf(Day(2026, 10, 1)), DayType::kHoliday);  // Thursday, listed
  EXPECT_EQ(cal.TypeOf(Day(2026, 10, 2)), DayType::kWorkday);  // Friday, not listed
  EXPECT_TRUE(cal.IsWorkday(Day(2026, 9, 27)));                // Sunday, 调休
  EXPECT_FALSE(cal.IsWorkday(Day(2026, 9, 26)));               // the Saturday before
  EXPECT_TRUE(cal.IsBusy(T("2026-09-27T10:00:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-09-26T10:00:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-10-01T10:00:00+08:00")));
}

TEST(CalendarTest, MakeUpWorkdayWinsOverAHolidayInHandBuiltConfig) {
  CalendarConfig c;
  c.holidays = {absl::CivilDay(2026, 9, 27)};
  c.workdays = {absl::CivilDay(2026, 9, 27)};
  Calendar cal(c, Zone("Asia/Shanghai"));
  EXPECT_TRUE(cal.IsWorkday(Day(2026, 9, 27)));
}

TEST(CalendarTest, CustomWeekend) {
  CalendarConfig c;
  c.weekend = {5, 6};  // Friday and Saturday
  Calendar cal(c, Zone("Asia/Shanghai"));
  EXPECT_FALSE(cal.IsWorkday(Day(2026, 11, 20)));  // Friday
  EXPECT_FALSE(cal.IsWorkday(Day(2026, 11, 21)));  // Saturday
  EXPECT_TRUE(cal.IsWorkday(Day(2026, 11, 22)));   // Sunday
  c.weekend = {};
  Calendar every_day(c, Zone("Asia/Shanghai"));
  EXPECT_TRUE(every_day.IsWorkday(Day(2026, 11, 22)));
}

TEST(CalendarTest, BusyMinuteEdges) {
  Calendar cal = ShanghaiCalendar();
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T07:59:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T08:00:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T18:59:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T19:00:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T00:00:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T23:59:00+08:00")));
  // The same instant written in UTC: 00:00Z is 08:00 in Shanghai.
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T00:00:00Z")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-19T23:59:00Z")));
  // Saturday at busy o'clock is idle.
  EXPECT_FALSE(cal.IsBusy(T("2026-11-21T10:00:00+08:00")));
}

TEST(CalendarTest, SeveralBusyRanges) {
  Calendar cal = ShanghaiCalendar({{8 * 60, 11 * 60 + 30}, {13 * 60, 19 * 60}});
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T07:59:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T08:00:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T11:29:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T11:30:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T12:59:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T13:00:00+08:00")));
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T18:59:00+08:00")));
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T19:00:00+08:00")));
}

TEST(CalendarTest, BusyRangeToMidnight) {
  Calendar cal = ShanghaiCalendar({{20 * 60, 24 * 60}});
  EXPECT_TRUE(cal.IsBusy(T("2026-11-19T23:59:00+08:00")));   // Thursday night
  EXPECT_FALSE(cal.IsBusy(T("2026-11-20T00:00:00+08:00")));  // next day, before 20:00
  EXPECT_TRUE(cal.IsBusy(T("2026-11-20T23:59:00+08:00")));   // Friday night
  EXPECT_FALSE(cal.IsBusy(T("2026-11-21T20:00:00+08:00")));  // Saturday
  Calendar none = ShanghaiCalendar({});
  EXPECT_FALSE(none.IsBusy(T("2026-11-20T10:00:00+08:00")));
}

TEST(CalendarTest, AtIsCivilArithmetic) {
  Calendar cal = ShanghaiCalendar();
  const LocalDay d = Day(2026, 11, 20);
  EXPECT_EQ(cal.At(d, 0), T("2026-11-20T00:00:00+08:00"));
  EXPECT_EQ(cal.At(d, 8 * 60), T("2026-11-20T08:00:00+08:00"));
  EXPECT_EQ(cal.At(d, 24 * 60), T("2026-11-21T00:00:00+08:00"));
  EXPECT_EQ(cal.At(d, 25 * 60 + 30), T("2026-11-21T01:30:00+08:00"));
  EXPECT_EQ(cal.At(d, 48 * 60), T("2026-11-22T00:00:00+08:00"));
  EXPECT_EQ(cal.At(d, -30), T("2026-11-19T23:30:00+08:00"));
  // Across a month and a year end.
  EXPECT_EQ(cal.At(Day(2026, 12, 31), 25 * 60 + 30), T("2027-01-01T01:30:00+08:00"));
}

TEST(CalendarTest, DayOfNearLocalMidnight) {
  Calendar cal = ShanghaiCalendar();
  EXPECT_EQ(cal.DayOf(T("2026-11-20T23:59:59.999+08:00")), Day(2026, 11, 20));
  EXPECT_EQ(cal.DayOf(T("2026-11-21T00:00:00+08:00")), Day(2026, 11, 21));
  // 15:59:59.999Z is still Friday in Shanghai; 16:00Z is Saturday.
  EXPECT_EQ(cal.DayOf(T("2026-11-20T15:59:59.999Z")), Day(2026, 11, 20));
  EXPECT_EQ(cal.DayOf(T("2026-11-20T16:00:00Z")), Day(2026, 11, 21));
  EXPECT_EQ(cal.MinuteOfDay(T("2026-11-20T16:00:00Z")), 0);
  EXPECT_EQ(cal.MinuteOfDay(T("2026-11-20T15:59:59.999Z")), 1439);
  EXPECT_EQ(cal.MinuteOfDay(T("2026-11-20T15:08:30+08:00")), 15 * 60 + 8);
  EXPECT_EQ(cal.DayOf(cal.At(Day(2026, 11, 20), 0)), Day(2026, 11, 20));
  EXPECT_EQ(cal.DayOf(cal.At(Day(2026, 11, 20), 0) - 1), Day(2026, 11, 19));
}

TEST(CalendarTest, DaylightSavingShiftsUseCivilTime) {
  CalendarConfig c;
  Calendar ny(c, Zone("America/New_York"));
  const LocalDay spring = Day(2026, 3, 8);  // clocks jump from 02:00 to 03:00
  EXPECT_EQ(ny.At(spring + 1, 0) - ny.At(spring, 0), 23 * kMsPerHour);
  EXPECT_EQ(ny.At(spring, 3 * 60), T("2026-03-08T03:00:00-04:00"));
  // 02:30 does not exist; it is read with the offset in force before the jump.
  EXPECT_EQ(ny.At(spring, 2 * 60 + 30), T("2026-03-08T02:30:00-05:00"));
  EXPECT_EQ(ny.MinuteOfDay(T("2026-03-08T03:00:00-04:00")), 3 * 60);
  EXPECT_EQ(ny.DayOf(T("2026-03-09T00:00:00-04:00")), spring + 1);
}

TEST(LoadTimeZoneTest, KnownAndUnknownNames) {
  EXPECT_TRUE(LoadTimeZone("Asia/Shanghai").ok());
  EXPECT_TRUE(LoadTimeZone("UTC").ok());
  EXPECT_FALSE(LoadTimeZone("").ok());
  auto bad = LoadTimeZone("Asia/Shanghia");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Asia/Shanghia"), absl::string_view::npos);
}

}  // namespace
}  // namespace vigil
