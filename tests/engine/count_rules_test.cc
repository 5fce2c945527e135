// Rules 7 and 8: abnormal_count (with the records it carries) and timeout_count, at threshold.
#include "harness.h"

namespace vigil::testing {
namespace {

const std::string kCounts = BaseYaml(R"(
txn_codes:
  A006: {name: 大额转账, financial: true, abnormal_threshold: 3, timeout_ms: 600, timeout_threshold: 4}
)");

TEST(AbnormalCount, FiresAtTheThresholdNotBelow) {
  for (int n : {2, 3}) {
    Harness h(kCounts);
    h.Fill("2026-11-20 10:00", "2026-11-20 10:01", "A006", 100);
    h.Fill("2026-11-20 10:02", "2026-11-20 10:03", "A006", n, "999001");
    h.Run("2026-11-20 10:05");
    EXPECT_EQ(h.Events(Rule::kAbnormalCount).size(), n >= 3 ? 1u : 0u) << n;
  }
}

TEST(AbnormalCount, CarriesTheFailedRecordsAndTheFinancialSeverity) {
  Harness h(kCounts);
  h.Add("2026-11-20 10:00:00", "A006");
  for (int i = 0; i < 3; ++i) {
    Rec& r = h.Add("2026-11-20 10:02:0" + std::to_string(i), "A006", "999001");
    r.node = "app0" + std::to_string(i + 1);
    r.serial = "SN" + std::to_string(i);
    r.svc_sys = "ACCT";
    r.svc_ret = "E1";
    r.dur = 35;
  }
  h.Run("2026-11-20 10:03");
  ASSERT_EQ(h.Events(Rule::kAbnormalCount), std::vector<std::string>{"11-20T10:03 firing {\"txn\":\"A006\"}"});
  const AlertEvent& e = h.all().front();
  EXPECT_EQ(e.severity, "critical");
  EXPECT_EQ(e.value, 3);
  ASSERT_EQ(e.extra["records"].size(), 3u);
  EXPECT_EQ(e.extra["records"][0]["serial"], "SN0");
  EXPECT_EQ(e.extra["records"][0]["node"], "app01");
  EXPECT_EQ(e.extra["records"][2]["ret"], "999001");
  EXPECT_EQ(e.extra["records"][2]["dur_ms"], 35.0);
  EXPECT_EQ(e.extra["records"][0]["ts"], "2026-11-20T10:01:59.965+08:00");
}

TEST(AbnormalCount, ResolvesWhenFailuresLeaveThePeriod) {
  Harness h(kCounts);
  h.Fill("2026-11-20 10:00", "2026-11-20 10:01", "A006", 3, "999001");
  h.Fill("2026-11-20 10:00", "2026-11-20 10:20", "A006", 40);
  h.Run("2026-11-20 10:20");
  EXPECT_EQ(h.Events(Rule::kAbnormalCount), (std::vector<std::string>{"11-20T10:01 firing {\"txn\":\"A006\"}",
                                                                      "11-20T10:11 resolved {\"txn\":\"A006\"}"}));
}

TEST(TimeoutCount, ADurationEqualToTimeoutIsNotATimeout) {
  for (auto [dur, expect] : std::vector<std::pair<double, size_t>>{{600, 0}, {600.5, 1}, {601, 1}}) {
    Harness h(kCounts);
    for (int i = 0; i < 4; ++i) h.Add("2026-11-20 10:00:1" + std::to_string(i), "A006").dur = dur;
    h.Run("2026-11-20 10:02");
    EXPECT_EQ(h.Events(Rule::kTimeoutCount).size(), expect) << dur;
  }
}

TEST(TimeoutCount, ThreeSlowOnesAreBelowAThresholdOfFour) {
  Harness h(kCounts);
  for (int i = 0; i < 3; ++i) h.Add("2026-11-20 10:00:1" + std::to_string(i), "A006").dur = 900;
  h.Add("2026-11-20 10:00:20", "A006").dur = 100;
  h.Run("2026-11-20 10:12");
  EXPECT_TRUE(h.Events(Rule::kTimeoutCount).empty());
}

TEST(Lateness, ARecordBeforeAnEvaluatedMinuteIsLateAndNotUsed) {
  Harness h(kCounts);
  h.Add("2026-11-20 10:00:00", "A006");
  h.Add("2026-11-20 10:05:00", "A006");  // watermark 10:04:30: minutes up to 10:04 evaluated
  h.Run("2026-11-20 10:05");
  Rec late;
  late.time = T("2026-11-20 10:03:59");
  late.txn = "A006";
  late.ret = "999001";
  EXPECT_EQ(h.Feed(late), AddResult::kLate);
  Rec on_time = late;
  on_time.time = T("2026-11-20 10:05:00");
  EXPECT_EQ(h.Feed(on_time), AddResult::kAccepted);
  EXPECT_EQ(h.engine().stats().late, 1);
}

TEST(Lateness, OutOfOrderWithinAllowedLatenessIsUsed) {
  Harness h(kCounts);
  h.Add("2026-11-20 10:00:00", "A006");
  h.Run("2026-11-20 10:00");
  Rec r;
  r.txn = "A006";
  r.ret = "999001";
  for (const char* t : {"2026-11-20 10:01:25", "2026-11-20 10:00:58", "2026-11-20 10:00:59", "2026-11-20 10:00:57"}) {
    r.time = T(t);
    EXPECT_EQ(h.Feed(r), AddResult::kAccepted) << t;
  }
  h.Run("2026-11-20 10:02");
  EXPECT_EQ(h.Events(Rule::kAbnormalCount), std::vector<std::string>{"11-20T10:01 firing {\"txn\":\"A006\"}"});
}

TEST(FutureSkew, LiveARecordMoreThanTheSkewAheadOfTheClockIsRejected) {
  Harness h(kCounts);
  h.engine().SetClock(T("2026-11-20 10:00:00"));
  Rec r;
  r.txn = "A006";
  r.time = T("2026-11-20 11:00:00");  // exactly 1h ahead: allowed
  EXPECT_EQ(h.Feed(r), AddResult::kAccepted);
  r.time = T("2026-11-20 11:00:00") + 1;
  EXPECT_EQ(h.Feed(r), AddResult::kFuture);
  EXPECT_EQ(h.engine().stats().future, 1);
}

}  // namespace
}  // namespace vigil::testing
