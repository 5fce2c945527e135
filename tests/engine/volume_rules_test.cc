// Rules 5 and 6: no_txn around busy / idle boundaries and per node; volume_ratio against
// previous same-type days, holidays and make-up workdays (调休) included.
#include "harness.h"

namespace vigil::testing {
namespace {

const std::string kBusy = BaseYaml(R"(
txn_codes:
  A002: {name: 转账, monitor: busy, silence: 10m}
)");

TEST(NoTxn, NoAlertAtEightAfterAQuietNightFirstPossibleAtEightPlusSilence) {
  Harness h(kBusy);
  h.Add("2026-11-20 06:00:00", "A002");  // the night before the busy period starts
  h.Run("2026-11-20 09:00");
  EXPECT_EQ(h.Events(Rule::kNoTxn), std::vector<std::string>{"11-20T08:10 firing {\"txn\":\"A002\"}"});
}

TEST(NoTxn, TrafficUntilTheMiddleOfTheMorningThenSilence) {
  Harness h(kBusy);
  h.Fill("2026-11-20 07:55", "2026-11-20 10:00", "A002", 125);
  h.Add("2026-11-20 10:25:30", "A002");
  h.Run("2026-11-20 10:30");
  // Last record in minute 09:59: [10:00, 10:10) is the first silent window.
  EXPECT_EQ(h.Events(Rule::kNoTxn), (std::vector<std::string>{"11-20T10:10 firing {\"txn\":\"A002\"}",
                                                               "11-20T10:26 resolved {\"txn\":\"A002\"}"}));
}

TEST(NoTxn, IdleMinutesAndHolidaysAreNotMonitoredForABusyCode) {
  Harness h(kBusy);
  h.Add("2026-11-20 18:00:00", "A002");
  // Saturday 11-21 is a holiday-type day: never busy.
  h.Add("2026-11-21 12:00:00", "A002");
  h.Run("2026-11-21 23:00");
  EXPECT_EQ(h.Events(Rule::kNoTxn), (std::vector<std::string>{"11-20T18:11 firing {\"txn\":\"A002\"}",
                                                               "11-20T19:00 resolved {\"txn\":\"A002\"}"}));
}

TEST(NoTxn, MakeUpWorkdayIsBusy) {
  Harness h(kBusy);
  h.Add("2026-10-10 07:00:00", "A002");  // Saturday, but a make-up workday (调休)
  h.Run("2026-10-10 08:30");
  EXPECT_EQ(h.Events(Rule::kNoTxn), std::vector<std::string>{"10-10T08:10 firing {\"txn\":\"A002\"}"});
}

TEST(NoTxn, SilenceMayNotReachBeforeTheFirstEvaluatedMinute) {
  Harness h(kBusy);
  h.Add("2026-11-20 10:00:00", "A002");  // first record: first evaluated minute is 10:01
  h.Run("2026-11-20 10:20");
  // [10:01, 10:11) is silent: the first window starting at or after 10:01 ends at 10:11.
  EXPECT_EQ(h.Events(Rule::kNoTxn), std::vector<std::string>{"11-20T10:11 firing {\"txn\":\"A002\"}"});
}

TEST(NoTxn, PerNodeAlertsForANodeThatStopsWhileOthersGoOn) {
  Harness h(BaseYaml(R"(
txn_codes:
  A002: {monitor: both, per_node: true, silence: 5m}
)"));
  h.Fill("2026-11-20 10:00", "2026-11-20 10:30", "A002", 60);
  int i = 0;
  for (auto& r : h.pending()) r.node = (i++ % 2) ? "app01" : "app02";
  h.Fill("2026-11-20 10:30", "2026-11-20 10:40", "A002", 20);
  for (auto& r : h.pending()) {
    if (r.node.empty()) r.node = "app01";
  }
  h.Run("2026-11-20 10:40");
  EXPECT_EQ(h.Events(Rule::kNoTxn), std::vector<std::string>{"11-20T10:35 firing {\"txn\":\"A002\",\"node\":\"app02\"}"});
}

// Workdays 11-16 .. 11-19 carry 100 records/minute of A005 from 14:00 to 16:00; 11-20 carries
// `rate` per minute. volume_ratio compares [t - 60m, t) with the median of those four days.
std::vector<std::string> VolumeWith(int rate, const std::string& extra = "") {
  Harness h(BaseYaml(R"(
txn_codes:
  A005: {name: 查询挂账)" + extra + R"(}
)"));
  for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"}) {
    h.Fill(std::string(day) + " 14:00", std::string(day) + " 16:00", "A005", 100 * 120);
  }
  h.Fill("2026-11-20 14:00", "2026-11-20 16:00", "A005", rate * 120);
  h.Run("2026-11-20 16:00");
  return h.Events(Rule::kVolumeRatio);
}

TEST(VolumeRatio, WithinBoundsIsQuiet) {
  EXPECT_TRUE(VolumeWith(80).empty());   // exactly 0.8: not outside
  EXPECT_TRUE(VolumeWith(120).empty());  // exactly 1.2
}

TEST(VolumeRatio, CollapseFiresOnceTheWindowHoldsTheDrop) {
  // At 14:01 both [13:01, 14:01) today and on the earlier days hold only minute 14:00: 40 vs 100.
  EXPECT_EQ(VolumeWith(40), std::vector<std::string>{"11-20T14:01 firing {\"txn\":\"A005\"}"});
}

TEST(VolumeRatio, JumpFires) {
  EXPECT_EQ(VolumeWith(170), std::vector<std::string>{"11-20T14:01 firing {\"txn\":\"A005\"}"});
}

TEST(VolumeRatio, NotEvaluatedBelowTheMinimumBaseline) {
  EXPECT_TRUE(VolumeWith(40, ", ratio_min_baseline: 100000").empty());
}

TEST(VolumeRatio, HolidayIsComparedWithHolidaysNotWorkdays) {
  Harness h(BaseYaml(R"(
txn_codes:
  A005: {ratio_periods: both, ratio_min_baseline: 5}
)"));
  // A weekend at 10/minute, workdays in between at 100/minute, Saturday 11-21 at 10/minute.
  for (const char* day : {"2026-11-14", "2026-11-15"}) {
    h.Fill(std::string(day) + " 10:00", std::string(day) + " 12:00", "A005", 10 * 120);
  }
  for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
    h.Fill(std::string(day) + " 10:00", std::string(day) + " 12:00", "A005", 100 * 120);
  }
  h.Fill("2026-11-21 10:00", "2026-11-21 12:00", "A005", 10 * 120);
  h.Run("2026-11-21 12:00");
  for (const auto& e : h.Events(Rule::kVolumeRatio)) {
    EXPECT_EQ(e.find("11-21"), std::string::npos) << "Saturday compared with workdays: " << e;
  }
}

TEST(VolumeRatio, NoBaselineOnTheFirstDay) {
  Harness h(BaseYaml());
  h.Fill("2026-11-20 10:00", "2026-11-20 12:00", "A005", 12000);
  h.Run("2026-11-20 12:00");
  EXPECT_TRUE(h.Events(Rule::kVolumeRatio).empty());
}

// A server started at 10:30 with four earlier workdays of history at 100 records/minute, then
// traffic at the same rate. Read literally, [09:31, 10:31) holds one minute against a baseline
// of sixty: a collapse. `serve` waits until the window lies wholly after its first minute.
void ImportBusyWorkdays(Harness& h) {
  for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"}) {
    HistoryDay d;
    d.day = h.calendar().DayOf(T(std::string(day) + " 12:00"));
    d.codes.push_back({"A005", {}});
    for (int minute = 8 * 60; minute < 19 * 60; ++minute) d.codes.back().minutes.emplace_back(minute, 100);
    h.engine().ImportHistory(d);
  }
}

std::vector<std::string> StartedMidDay(bool ratio_needs_full_window) {
  EngineOptions options;
  options.ratio_needs_full_window = ratio_needs_full_window;
  Harness h(BaseYaml("txn_codes:\n  A005: {name: 查询挂账}\n"), options);
  ImportBusyWorkdays(h);
  h.Fill("2026-11-20 10:30", "2026-11-20 12:00", "A005", 100 * 90);
  h.Run("2026-11-20 12:00");
  return h.Events(Rule::kVolumeRatio);
}

TEST(VolumeRatio, ServerStartedMidDayWaitsForAWholeWindow) {
  EXPECT_TRUE(StartedMidDay(true).empty());
  // The literal reading (replay) fires at the first minute: the partial hour against full days.
  ASSERT_FALSE(StartedMidDay(false).empty());
  EXPECT_EQ(StartedMidDay(false).front(), "11-20T10:31 firing {\"txn\":\"A005\"}");
}

TEST(VolumeRatio, ServerStartedMidDayStillSeesACollapseOnceTheWindowIsWhole) {
  EngineOptions options;
  options.ratio_needs_full_window = true;
  Harness h(BaseYaml("txn_codes:\n  A005: {name: 查询挂账}\n"), options);
  ImportBusyWorkdays(h);
  h.Fill("2026-11-20 10:30", "2026-11-20 12:00", "A005", 40 * 90);
  h.Run("2026-11-20 12:00");
  // First minute with data 10:30 (partial), first evaluated 10:31: the window [10:31, 11:31) is whole at 11:31.
  EXPECT_EQ(h.Events(Rule::kVolumeRatio), std::vector<std::string>{"11-20T11:31 firing {\"txn\":\"A005\"}"});
}

}  // namespace
}  // namespace vigil::testing
