// Rules 1-4 at their edges: thresholds, min_count, windows, `for` and resolve.
#include "harness.h"

namespace vigil::testing {
namespace {

const std::string kRates = BaseYaml(R"(
defaults: {window: 5m, min_count: 20, system_success_min: 0.99}
txn_codes:
  A001: {name: 查询挂账, sys: MBNK, business_success_min: 0.9}
)");

// One record at 10:00:00 starts the evaluation; the others come in minute 10:04. So the first
// window holding min_count records is the one of 10:05: [10:00, 10:05) with `ok + bad` records.
void Burst(Harness& h, const std::string& txn, int ok, int bad, const std::string& bad_ret) {
  h.Add("2026-11-20 10:00:00", txn);
  h.Fill("2026-11-20 10:04", "2026-11-20 10:05", txn, ok - 1);
  h.Fill("2026-11-20 10:04", "2026-11-20 10:05", txn, bad, bad_ret);
}

std::vector<std::string> SystemSuccessWith(int failures) {
  Harness h(kRates);
  Burst(h, "A001", 100 - failures, failures, "999999");
  h.Run("2026-11-20 10:05");
  return h.Events(Rule::kSystemSuccess);
}

TEST(SystemSuccess, ExactlyAtTheMinimumDoesNotFire) {
  EXPECT_TRUE(SystemSuccessWith(1).empty());  // 99/100 = 0.99, not below 0.99
}

TEST(SystemSuccess, JustBelowTheMinimumFires) {
  EXPECT_EQ(SystemSuccessWith(2), std::vector<std::string>{"11-20T10:05 firing {\"txn\":\"A001\"}"});
}

TEST(SystemSuccess, NotEvaluatedBelowMinCount) {
  Harness h(kRates);
  h.Fill("2026-11-20 10:00", "2026-11-20 10:05", "A001", 19, "999999");  // all failing, 19 < 20
  h.Run("2026-11-20 10:05");
  EXPECT_TRUE(h.Events(Rule::kSystemSuccess).empty());
}

TEST(SystemSuccess, EvaluatedAtExactlyMinCount) {
  Harness h(kRates);
  Burst(h, "A001", 1, 19, "999999");  // 20 records, 19 failing
  h.Run("2026-11-20 10:05");
  ASSERT_EQ(h.Events(Rule::kSystemSuccess), std::vector<std::string>{"11-20T10:05 firing {\"txn\":\"A001\"}"});
  const AlertEvent& e = *std::find_if(h.all().begin(), h.all().end(),
                                      [](const AlertEvent& x) { return x.rule == Rule::kSystemSuccess; });
  EXPECT_EQ(e.value, 0.05);
  EXPECT_EQ(e.threshold, 0.99);
  EXPECT_EQ(e.severity, "warning");
  EXPECT_NE(e.summary.find("A001 查询挂账"), std::string::npos) << e.summary;
}

TEST(SystemSuccess, WindowIsHalfOpenAndResolvesWhenFailuresLeaveIt) {
  Harness h(kRates);
  // Failures only in minute 10:00; healthy traffic 10:00-10:10.
  h.Fill("2026-11-20 10:00", "2026-11-20 10:01", "A001", 10, "999999");
  h.Fill("2026-11-20 10:00", "2026-11-20 10:10", "A001", 200);
  h.Run("2026-11-20 10:10");
  // 10:01 sees [09:56, 10:01): 10 failures of 30 -> fires. 10:06 sees [10:01, 10:06): none.
  EXPECT_EQ(h.Events(Rule::kSystemSuccess),
            (std::vector<std::string>{"11-20T10:01 firing {\"txn\":\"A001\"}",
                                      "11-20T10:06 resolved {\"txn\":\"A001\"}"}));
}

TEST(SystemSuccess, ForDelaysFiringAndABreakRestartsTheRun) {
  Harness h(BaseYaml(R"(
txn_codes:
  A001: {for: 3m, window: 1m, min_count: 1}
)"));
  // Failing minutes 10:00, 10:01, (healthy 10:02), 10:03, 10:04, 10:05, 10:06.
  for (const char* m : {"10:00", "10:01", "10:03", "10:04", "10:05", "10:06"}) {
    h.Add(std::string("2026-11-20 ") + m + ":10", "A001", "999999");
  }
  h.Add("2026-11-20 10:02:10", "A001");
  h.Add("2026-11-20 10:07:10", "A001");
  h.Run("2026-11-20 10:08");
  // The run that starts at 10:04 (minute 10:03 is judged at 10:04) reaches for=3m at 10:07.
  EXPECT_EQ(h.Events(Rule::kSystemSuccess),
            (std::vector<std::string>{"11-20T10:07 firing {\"txn\":\"A001\"}",
                                      "11-20T10:08 resolved {\"txn\":\"A001\"}"}));
}

TEST(BusinessSuccess, BusinessRejectionsCountAgainstItNotAgainstSystemSuccess) {
  Harness h(kRates);
  Burst(h, "A001", 89, 11, "100404");  // business class
  h.Run("2026-11-20 10:05");
  EXPECT_EQ(h.Events(Rule::kBusinessSuccess), std::vector<std::string>{"11-20T10:05 firing {\"txn\":\"A001\"}"});
  EXPECT_TRUE(h.Events(Rule::kSystemSuccess).empty());
}

TEST(BusinessSuccess, ExactlyAtTheMinimumDoesNotFire) {
  Harness h(kRates);
  Burst(h, "A001", 90, 10, "100404");
  h.Run("2026-11-20 10:05");
  EXPECT_TRUE(h.Events(Rule::kBusinessSuccess).empty());
}

TEST(RetRatio, ShareOutsideTheRangeFiresOnlyStrictlyOutside) {
  const std::string yaml = BaseYaml(R"(
txn_codes:
  A001: {ret_ratio: {"100404": [0.1, 0.3]}}
)");
  for (auto [hits, expect] : std::vector<std::pair<int, bool>>{{10, false}, {9, true}, {30, false}, {31, true}}) {
    Harness h(yaml);
    Burst(h, "A001", 100 - hits, hits, "100404");
    h.Run("2026-11-20 10:05");
    auto ev = h.Events(Rule::kRetRatio);
    EXPECT_EQ(!ev.empty(), expect) << hits << " of 100";
    if (!ev.empty()) EXPECT_EQ(ev[0], "11-20T10:05 firing {\"txn\":\"A001\",\"ret\":\"100404\"}");
  }
}

TEST(ServiceSuccess, ServiceKeyAndCallerKeysWithTheirOwnMinimums) {
  Harness h(BaseYaml(R"(
service_systems:
  ACCT: {name: 核心账务, success: ["0000"], service_success_min: 0.98, window: 5m, min_count: 20}
txn_codes:
  A001: {svc_sys: ACCT}
  A002: {svc_sys: ACCT, service_success_min: 0.5}
)"));
  for (const char* code : {"A001", "A002"}) {
    h.Fill("2026-11-20 10:00", "2026-11-20 10:05", code, 50);
  }
  for (auto& r : h.pending()) r.svc_sys = "ACCT", r.svc_ret = "0000";
  // 10 failures out of 50 for each caller (one with no svc_ret at all): rate 0.8.
  for (int i = 0; i < 20; ++i) {
    Rec& r = h.Add("2026-11-20 10:02:00", i % 2 ? "A001" : "A002");
    r.svc_sys = "ACCT";
    r.svc_ret = i < 2 ? "" : "E999";
  }
  h.Run("2026-11-20 10:05");
  // The failures at 10:02 are first in the window of 10:03: 40 good + 20 failed for the service
  // (0.67 < 0.98), 20 + 10 for each caller (0.67: below ACCT's 0.98, above A002's own 0.5).
  EXPECT_EQ(h.Events(Rule::kServiceSuccess),
            (std::vector<std::string>{"11-20T10:03 firing {\"svc_sys\":\"ACCT\"}",
                                      "11-20T10:03 firing {\"txn\":\"A001\",\"svc_sys\":\"ACCT\"}"}));
}

TEST(ServiceSuccess, UnconfiguredServiceSystemsAreListedNotEvaluated) {
  Harness h(BaseYaml());
  h.Fill("2026-11-20 10:00", "2026-11-20 10:05", "A001", 50);
  for (auto& r : h.pending()) r.svc_sys = "XPAY", r.svc_ret = "bad";
  h.Run("2026-11-20 10:06");
  EXPECT_TRUE(h.Events(Rule::kServiceSuccess).empty());
  EXPECT_EQ(h.engine().UnconfiguredServiceSystems(), std::vector<std::string>{"XPAY"});
}

TEST(ReturnCodes, UnknownCodesGetUnknownClassAndAreReported) {
  Harness h(R"(timezone: Asia/Shanghai
return_codes:
  unknown_class: system
  global: {success: ["000000"]}
defaults: {min_count: 1, window: 1m}
)");
  h.Add("2026-11-20 10:00:10", "A001", "ZZ01");
  h.Run("2026-11-20 10:01");
  EXPECT_EQ(h.Events(Rule::kSystemSuccess).size(), 1u);
  auto u = h.engine().Unclassified();
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].txn, "A001");
  EXPECT_EQ(u[0].ret, "ZZ01");
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

TEST(ServiceSuccess, ACodeCallingTwoServiceSystemsIsJudgedPerServiceSystem) {
  Harness h(BaseYaml(R"(
service_systems:
  ACCT: {success: ["0000"], min_count: 1000}
  PAY: {success: ["00"], min_count: 1000}
defaults: {min_count: 10}
)"));
  // A001 calls ACCT first (its primary), then PAY, which fails half the time.
  for (int i = 0; i < 20; ++i) {
    Rec& a = h.Add("2026-11-20 10:00:" + std::to_string(10 + i), "A001");
    a.svc_sys = "ACCT", a.svc_ret = "0000";
    Rec& p = h.Add("2026-11-20 10:01:" + std::to_string(10 + i), "A001");
    p.svc_sys = "PAY", p.svc_ret = i % 2 ? "00" : "E1";
  }
  h.Run("2026-11-20 10:02");
  EXPECT_EQ(h.Events(Rule::kServiceSuccess),
            std::vector<std::string>{"11-20T10:02 firing {\"txn\":\"A001\",\"svc_sys\":\"PAY\"}"});
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

// The sweep skips a code whose windows neither gained nor lost a minute with records. These
// pin the minutes where only something leaving a window changes the outcome.
TEST(WindowChanges, AShareFallsBelowItsRangeWhenOtherRecordsLeaveTheWindow) {
  Harness h(BaseYaml(R"(
txn_codes:
  A001: {ret_ratio: {"100404": [0.5, 1]}, min_count: 10, window: 5m}
)"));
  h.Fill("2026-11-20 10:00", "2026-11-20 10:01", "A001", 10, "100404");  // share 1.0
  h.Fill("2026-11-20 10:02", "2026-11-20 10:03", "A001", 10, "100404");
  h.Fill("2026-11-20 10:03", "2026-11-20 10:04", "A001", 12);
  h.Add("2026-11-20 10:30:00", "A001", "100404");  // nothing else until then
  h.Run("2026-11-20 10:30");
  // 10:04, [09:59, 10:04): 20 of 32 = 0.625, in range. 10:06, [10:01, 10:06): the first ten
  // left and nothing came: 10 of 22 = 0.45, below 0.5. 10:09: the window is empty, below
  // min_count, so the rule no longer holds.
  EXPECT_EQ(h.Events(Rule::kRetRatio),
            (std::vector<std::string>{"11-20T10:06 firing {\"txn\":\"A001\",\"ret\":\"100404\"}",
                                      "11-20T10:09 resolved {\"txn\":\"A001\",\"ret\":\"100404\"}"}));
}

TEST(WindowChanges, AnAbnormalCountResolvesWhenItsFailureLeavesWithNothingArriving) {
  Harness h(BaseYaml(R"(
txn_codes:
  A007: {abnormal_threshold: 1, abnormal_period: 10m}
)"));
  h.Add("2026-11-20 10:00:10", "A007", "999001");
  h.Add("2026-11-20 10:40:00", "A007");
  h.Run("2026-11-20 10:40");
  EXPECT_EQ(h.Events(Rule::kAbnormalCount), (std::vector<std::string>{"11-20T10:01 firing {\"txn\":\"A007\"}",
                                                                      "11-20T10:11 resolved {\"txn\":\"A007\"}"}));
}

}  // namespace
}  // namespace vigil::testing
