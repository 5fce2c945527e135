// Tests of time_util: durations, clock times, RFC 3339 parsing and formatting.
#include "common/time_util.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"

namespace vigil {
namespace {

// 2026-11-20T07:08:00.123Z, computed independently.
constexpr TimeMs kNov20 = 1795158480123;

TEST(FloorDivTest, RoundsTowardMinusInfinity) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-6, 2), -3);
  EXPECT_EQ(MinuteOf(-1), -1);
  EXPECT_EQ(MinuteOf(0), 0);
  EXPECT_EQ(MinuteOf(59'999), 0);
  EXPECT_EQ(MinuteOf(60'000), 1);
  EXPECT_EQ(MinuteStart(MinuteOf(kNov20)), 1795158480000);
}

TEST(ParseDurationTest, AcceptsEveryUnitAndCombinations) {
  EXPECT_EQ(*ParseDurationMs("500ms"), 500);
  EXPECT_EQ(*ParseDurationMs("30s"), 30'000);
  EXPECT_EQ(*ParseDurationMs("5m"), 300'000);
  EXPECT_EQ(*ParseDurationMs("1h"), 3'600'000);
  EXPECT_EQ(*ParseDurationMs("2d"), 172'800'000);
  EXPECT_EQ(*ParseDurationMs("1h30m"), 5'400'000);
  EXPECT_EQ(*ParseDurationMs("1m30s"), 90'000);
  EXPECT_EQ(*ParseDurationMs("0"), 0);
  EXPECT_EQ(*ParseDurationMs("0s"), 0);
  EXPECT_EQ(*ParseDurationMs("0m"), 0);
}

TEST(ParseDurationTest, RejectsMalformedText) {
  for (const char* bad : {"", "five", "5", "-5m", "5x", "1.5h", "m", "5 m", " 5m", "5m ", "1h30"}) {
    EXPECT_FALSE(ParseDurationMs(bad).ok()) << "'" << bad << "'";
  }
  EXPECT_FALSE(ParseDurationMs("99999999999h").ok());  // too large
}

TEST(FormatDurationTest, WritesTheConfigurationForm) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(250), "250ms");
  EXPECT_EQ(FormatDuration(45'000), "45s");
  EXPECT_EQ(FormatDuration(300'000), "5m");
  EXPECT_EQ(FormatDuration(5'400'000), "1h30m");
  EXPECT_EQ(FormatDuration(86'400'000), "1d");
  EXPECT_EQ(FormatDuration(90'000), "1m30s");
  EXPECT_EQ(*ParseDurationMs(FormatDuration(3'723'000)), 3'723'000);
}

TEST(ClockTest, ParsesTimesOfDayWithinTheLimit) {
  EXPECT_EQ(*ParseClockMinutes("00:00"), 0);
  EXPECT_EQ(*ParseClockMinutes("08:00"), 480);
  EXPECT_EQ(*ParseClockMinutes("8:00"), 480);
  EXPECT_EQ(*ParseClockMinutes("23:59"), 1439);
  EXPECT_EQ(*ParseClockMinutes("24:00"), 1440);
  EXPECT_FALSE(ParseClockMinutes("24:01").ok());
  EXPECT_FALSE(ParseClockMinutes("25:30").ok());
  EXPECT_EQ(*ParseClockMinutes("25:30", 48), 1530);
  EXPECT_EQ(*ParseClockMinutes("48:00", 48), 2880);
  EXPECT_FALSE(ParseClockMinutes("48:01", 48).ok());
}

TEST(ClockTest, RejectsMalformedTimes) {
  for (const char* bad :
       {"", "8", "08", "08:0", "08:000", "108:00", "ab:cd", "08:60", "-1:00", "08-00", " 08:00"}) {
    EXPECT_FALSE(ParseClockMinutes(bad).ok()) << "'" << bad << "'";
  }
}

TEST(ClockTest, FormatsPastMidnightAsWritten) {
  EXPECT_EQ(FormatClockMinutes(0), "00:00");
  EXPECT_EQ(FormatClockMinutes(480), "08:00");
  EXPECT_EQ(FormatClockMinutes(1440), "24:00");
  EXPECT_EQ(FormatClockMinutes(1530), "25:30");
}

TimeParse Parse(std::string_view s, TimeMs* t) { return ParseRfc3339Ms(s, t); }

TEST(Rfc3339Test, OffsetsAndZuluGiveTheSameInstant) {
  TimeMs t = 0;
  ASSERT_EQ(Parse("2026-11-20T15:08:00.123+08:00", &t), TimeParse::kOk);
  EXPECT_EQ(t, kNov20);
  ASSERT_EQ(Parse("2026-11-20T07:08:00.123Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, kNov20);
  ASSERT_EQ(Parse("2026-11-20t07:08:00.123z", &t), TimeParse::kOk);
  EXPECT_EQ(t, kNov20);
  ASSERT_EQ(Parse("2026-11-20 02:08:00.123-05:00", &t), TimeParse::kOk);
  EXPECT_EQ(t, kNov20);
  ASSERT_EQ(Parse("2026-11-20T07:08:00.123+00:00", &t), TimeParse::kOk);
  EXPECT_EQ(t, kNov20);
}

TEST(Rfc3339Test, FractionsOfAnyLength) {
  TimeMs t = 0;
  const TimeMs whole = kNov20 - 123;
  ASSERT_EQ(Parse("2026-11-20T07:08:00Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, whole);
  ASSERT_EQ(Parse("2026-11-20T07:08:00.1Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, whole + 100);
  ASSERT_EQ(Parse("2026-11-20T07:08:00.12Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, whole + 120);
  ASSERT_EQ(Parse("2026-11-20T07:08:00.123999999Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, whole + 123);  // digits past milliseconds are dropped, not rounded
  EXPECT_EQ(Parse("2026-11-20T07:08:00.Z", &t), TimeParse::kInvalid);
}

TEST(Rfc3339Test, CalendarValidityAndLeapYears) {
  TimeMs t = 0;
  EXPECT_EQ(Parse("2026-02-30T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-02-29T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("1900-02-29T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-04-31T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-13-01T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-00-01T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-01-00T00:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-01-01T24:00:00Z", &t), TimeParse::kInvalid);
  EXPECT_EQ(Parse("2026-01-01T23:60:00Z", &t), TimeParse::kInvalid);
  ASSERT_EQ(Parse("2024-02-29T12:00:00Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, 1709208000000);
  ASSERT_EQ(Parse("2000-02-29T00:00:00Z", &t), TimeParse::kOk);
  ASSERT_EQ(Parse("2026-12-31T23:59:59.999+08:00", &t), TimeParse::kOk);
}

TEST(Rfc3339Test, LeapSecondFoldsIntoItsMinute) {
  TimeMs a = 0, b = 0;
  ASSERT_EQ(Parse("2016-12-31T23:59:60Z", &a), TimeParse::kOk);
  ASSERT_EQ(Parse("2016-12-31T23:59:59Z", &b), TimeParse::kOk);
  EXPECT_EQ(a, b);
}

TEST(Rfc3339Test, BeforeTheEpoch) {
  TimeMs t = 0;
  ASSERT_EQ(Parse("1969-12-31T23:59:59.999Z", &t), TimeParse::kOk);
  EXPECT_EQ(t, -1);
  ASSERT_EQ(Parse("1970-01-01T08:00:00+08:00", &t), TimeParse::kOk);
  EXPECT_EQ(t, 0);
}

TEST(Rfc3339Test, MissingOffsetIsReportedApart) {
  TimeMs t = 0;
  EXPECT_EQ(Parse("2026-11-20T15:08:00", &t), TimeParse::kNoOffset);
  EXPECT_EQ(Parse("2026-11-20T15:08:00.123", &t), TimeParse::kNoOffset);
}

TEST(Rfc3339Test, RejectsMalformedText) {
  TimeMs t = 0;
  for (const char* bad :
       {"", "2026-11-20", "2026-11-20T15:08", "2026-11-20T15:08:00+08", "2026-11-20T15:08:00+0800",
        "2026-11-20T15:08:00+24:00", "2026-11-20T15:08:00+08:60", "2026-11-20T15:08:00Z ",
        "2026-11-20T15:08:00ZZ", "2026/11/20T15:08:00Z", "2026-11-20X15:08:00Z", "20261120T150800Z",
        "2026-11-20T15:08:00+08:00x", "1795158480123"}) {
    EXPECT_EQ(Parse(bad, &t), TimeParse::kInvalid) << "'" << bad << "'";
  }
}

TEST(Rfc3339Test, FormatsInShanghaiWithItsOffset) {
  absl::TimeZone tz;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz));
  EXPECT_EQ(FormatRfc3339(kNov20, tz), "2026-11-20T15:08:00+08:00");
  EXPECT_EQ(FormatRfc3339(kNov20, tz, true), "2026-11-20T15:08:00.123+08:00");
  EXPECT_EQ(FormatRfc3339(kNov20 - 123, tz, true), "2026-11-20T15:08:00.000+08:00");
  EXPECT_EQ(FormatRfc3339(0, tz), "1970-01-01T08:00:00+08:00");
  // 16:00Z is already the next local day.
  EXPECT_EQ(FormatRfc3339(1795190400000, tz), "2026-11-21T00:00:00+08:00");
  TimeMs back = 0;
  ASSERT_EQ(ParseRfc3339Ms(FormatRfc3339(kNov20, tz, true), &back), TimeParse::kOk);
  EXPECT_EQ(back, kNov20);
}

TEST(Rfc3339Test, FormatsUtcWithZeroOffset) {
  EXPECT_EQ(FormatRfc3339(kNov20, absl::UTCTimeZone()), "2026-11-20T07:08:00+00:00");
}

}  // namespace
}  // namespace vigil
