// The SLA clock on the Asia/Shanghai calendar: weekends, 国庆 (a week of holidays), 调休 make-up
// workdays, starts outside hours, the day's closing minute, and the SLA states exactly at their
// thresholds.
#include "desk/business_time.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace vigil::desk {
namespace {

// 2026: 国庆 holidays Oct 1-7 (Thu-Wed), made up on Sun Sep 27 and Sat Oct 10.
Calendar ShanghaiCalendar() {
  CalendarConfig c;
  for (int d = 1; d <= 7; ++d) c.holidays.push_back(absl::CivilDay(2026, 10, d));
  c.workdays = {absl::CivilDay(2026, 9, 27), absl::CivilDay(2026, 10, 10)};
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz));
  return Calendar(c, tz);
}

class BusinessTimeTest : public ::testing::Test {
 protected:
  // Local time in Shanghai.
  TimeMs T(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0) const {
    return absl::ToUnixMillis(cal_.time_zone().At(absl::CivilSecond(y, mo, d, h, mi, s)).pre) + ms;
  }
  Calendar cal_ = ShanghaiCalendar();
  BusinessClock clock_{&cal_, BusinessHours{}};  // 08:30-17:30
};

TEST_F(BusinessTimeTest, WithinOneDayAndExactlyAtClosingTime) {
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 10, 0), 60), T(2026, 11, 20, 11, 0));
  // The last business minute of the day ends at 17:30, not at the next opening.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 16, 30), 60), T(2026, 11, 20, 17, 30));
  // One more minute crosses the weekend: Friday → Monday 08:31.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 16, 30), 61), T(2026, 11, 23, 8, 31));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 17, 0), 60), T(2026, 11, 23, 9, 0));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 10, 0), 0), T(2026, 11, 20, 10, 0));
}

TEST_F(BusinessTimeTest, AStartOutsideHoursOrOnAHolidayCountsFromTheNextOpening) {
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 7, 0), 15), T(2026, 11, 20, 8, 45));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 8, 29, 59), 15), T(2026, 11, 20, 8, 45));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 17, 30), 15), T(2026, 11, 23, 8, 45));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 20, 23, 59), 15), T(2026, 11, 23, 8, 45));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 21, 10, 0), 15), T(2026, 11, 23, 8, 45));
  // Reported on 国庆 day 1: nothing counts until Thursday Oct 8.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 10, 1, 10, 0), 30), T(2026, 10, 8, 9, 0));
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 10, 1, 10, 0), T(2026, 10, 7, 17, 0)), 0);
}

TEST_F(BusinessTimeTest, MakeUpSaturdaysAndSundaysAreWorkdays) {
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 9, 27, 10, 0), 30), T(2026, 9, 27, 10, 30));
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 9, 26, 10, 0), 30), T(2026, 9, 27, 9, 0))
      << "Saturday Sep 26 is a plain weekend day, Sunday Sep 27 a make-up workday";
  // Friday Oct 9 17:00 + 60: 30 minutes Friday, 30 on make-up Saturday Oct 10.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 10, 9, 17, 0), 60), T(2026, 10, 10, 9, 0));
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 10, 10, 0, 0), T(2026, 10, 11, 0, 0)), 540);
}

TEST_F(BusinessTimeTest, SpansTheWholeNationalDayHoliday) {
  // Wed Sep 30 16:30 + 120: 60 minutes on Sep 30, then Oct 1-7 off, 60 more on Thu Oct 8.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 9, 30, 16, 30), 120), T(2026, 10, 8, 9, 30));
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 9, 30, 16, 30), T(2026, 10, 8, 9, 30)), 120);
}

TEST_F(BusinessTimeTest, SeveralDaysAtNineHoursADay) {
  // P4 resolution, 2400 minutes = 4 × 540 + 240 from Monday's opening → Friday 12:30.
  EXPECT_EQ(clock_.AddBusinessMinutes(T(2026, 11, 23, 8, 30), 2400), T(2026, 11, 27, 12, 30));
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 11, 20, 0, 0), T(2026, 11, 28, 0, 0)), 6 * 540)
      << "Fri + Mon..Fri; the weekend in between does not count";
}

TEST_F(BusinessTimeTest, BetweenIsTheInverseOfAddAndCountsWholeMinutes) {
  const TimeMs starts[] = {T(2026, 11, 20, 9, 17, 23), T(2026, 11, 21, 3, 0),
                           T(2026, 9, 30, 17, 29), T(2026, 10, 9, 12, 0)};
  for (TimeMs s : starts) {
    for (int64_t m : {1, 15, 30, 240, 480, 1440, 2400}) {
      EXPECT_EQ(clock_.BusinessMinutesBetween(s, clock_.AddBusinessMinutes(s, m)), m)
          << s << " " << m;
    }
  }
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 11, 20, 10, 0, 30), T(2026, 11, 20, 11, 0)), 59);
  EXPECT_EQ(clock_.BusinessMsBetween(T(2026, 11, 20, 10, 0, 30), T(2026, 11, 20, 11, 0)),
            59 * kMsPerMinute + 30'000);
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 11, 20, 11, 0), T(2026, 11, 20, 10, 0)), 0);
  EXPECT_EQ(clock_.BusinessMinutesBetween(T(2026, 11, 20, 11, 0), T(2026, 11, 20, 11, 0)), 0);
}

TEST_F(BusinessTimeTest, ClosedHoursCountNothing) {
  BusinessClock closed(&cal_, BusinessHours{9 * 60, 9 * 60});
  EXPECT_EQ(closed.BusinessMinutesBetween(T(2026, 11, 20, 0, 0), T(2026, 11, 27, 0, 0)), 0);
  EXPECT_GT(closed.AddBusinessMinutes(T(2026, 11, 20, 0, 0), 1), T(2036, 1, 1, 0, 0))
      << "no opening within the search limit: due far in the future, not an endless loop";
}

TEST_F(BusinessTimeTest, SlaStatesExactlyAtTheirThresholds) {
  const TimeMs start = T(2026, 11, 20, 10, 0);
  const TimeMs due = clock_.AddBusinessMinutes(start, 15);  // P1 first response
  ASSERT_EQ(due, T(2026, 11, 20, 10, 15));
  auto at = [&](TimeMs now) { return EvaluateSla(clock_, start, due, 15, std::nullopt, now); };
  EXPECT_EQ(at(start), SlaState::kOk);
  EXPECT_EQ(at(T(2026, 11, 20, 10, 11, 59, 999)), SlaState::kOk);
  EXPECT_EQ(at(T(2026, 11, 20, 10, 12)), SlaState::kAtRisk) << "exactly 80% of 15 minutes";
  EXPECT_EQ(at(T(2026, 11, 20, 10, 14, 59, 999)), SlaState::kAtRisk);
  EXPECT_EQ(at(due), SlaState::kBreached) << "at the due minute, still open";
  EXPECT_EQ(EvaluateSla(clock_, start, due, 15, due, due + 1), SlaState::kMet)
      << "done exactly at the due time";
  EXPECT_EQ(EvaluateSla(clock_, start, due, 15, due + 1, due + 1), SlaState::kMissed);
  EXPECT_EQ(EvaluateSla(clock_, start, due, 15, start + 1, due + kMsPerDay), SlaState::kMet)
      << "a done target stays met whatever the time now";
}

TEST_F(BusinessTimeTest, AtRiskCountsOnlyBusinessTimeAcrossTheWeekend) {
  // P1 resolution (240) from Friday 16:00: 90 minutes Friday, 150 Monday → due Monday 11:00;
  // 80% = 192 minutes → at risk from Monday 10:12.
  const TimeMs start = T(2026, 11, 20, 16, 0);
  const TimeMs due = clock_.AddBusinessMinutes(start, 240);
  ASSERT_EQ(due, T(2026, 11, 23, 11, 0));
  auto at = [&](TimeMs now) { return EvaluateSla(clock_, start, due, 240, std::nullopt, now); };
  EXPECT_EQ(at(T(2026, 11, 22, 23, 0)), SlaState::kOk) << "Sunday night: 90 minutes used";
  EXPECT_EQ(at(T(2026, 11, 23, 10, 11)), SlaState::kOk);
  EXPECT_EQ(at(T(2026, 11, 23, 10, 12)), SlaState::kAtRisk);
  EXPECT_EQ(at(T(2026, 11, 23, 11, 0)), SlaState::kBreached);
}

TEST(SlaStateNameTest, NamesAreTheApiWords) {
  EXPECT_EQ(SlaStateName(SlaState::kOk), "ok");
  EXPECT_EQ(SlaStateName(SlaState::kAtRisk), "at_risk");
  EXPECT_EQ(SlaStateName(SlaState::kBreached), "breached");
  EXPECT_EQ(SlaStateName(SlaState::kMet), "met");
  EXPECT_EQ(SlaStateName(SlaState::kMissed), "missed");
}

}  // namespace
}  // namespace vigil::desk
