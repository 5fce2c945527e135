// Scenario tests: the real `vigil simulate` injects faults, the real `vigil replay` must catch
// every one of them inside its expected interval, and raise nothing the faults do not explain.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "scenario_harness.h"

namespace vigil::scenario {
namespace {

// A Monday start (so no batch span of a day before the data is open at its start), five
// workdays and a Saturday; big enough that every fault kind finds a target.
constexpr const char* kStandard = "--start 2026-11-16 --days 6 --codes 100 --records 2000000";

std::set<std::string> Kinds(const std::vector<Json>& faults) {
  std::set<std::string> kinds;
  for (const Json& f : faults) kinds.insert(f["kind"].get<std::string>());
  return kinds;
}

void ExpectCaughtAndNothingElse(Simulation& sim) {
  ASSERT_EQ(sim.simulate_rc, 0) << sim.simulate_log;
  ASSERT_EQ(sim.Replay(), 0) << sim.replay_log;
  std::vector<Json> faults = ReadJsonLines(sim.manifest);
  std::vector<Json> alerts = ReadJsonLines(sim.alerts);
  EXPECT_EQ(Join(CheckAllExpectations(faults, alerts)), "");
  EXPECT_EQ(Join(Unexplained(faults, alerts)), "");
}

TEST(ScenarioTest, NormalTrafficIsQuiet) {
  Simulation sim(
      "--start 2026-11-16 --days 6 --codes 300 --records 2500000 --seed 3 --faults none");
  ASSERT_EQ(sim.simulate_rc, 0) << sim.simulate_log;
  ASSERT_EQ(sim.Replay(), 0) << sim.replay_log;
  EXPECT_EQ(ReadJsonLines(sim.manifest).size(), 0u);
  std::vector<std::string> alerts;
  for (const Json& a : ReadJsonLines(sim.alerts)) alerts.push_back(Describe(a));
  EXPECT_EQ(Join(alerts), "") << "false alarms on fault-free traffic";
}

TEST(ScenarioTest, EveryFaultFiresInTimeAndNothingElse) {
  Simulation sim(std::string(kStandard) + " --seed 11 --faults all");
  ExpectCaughtAndNothingElse(sim);
  std::set<std::string> want = {"system_success",   "business_success", "ret_ratio",
                                "service_success",  "no_txn",           "no_txn_node",
                                "volume_drop",      "volume_spike",     "abnormal_count",
                                "timeout_count",    "batch_failure",    "batch_overrun",
                                "batch_late_start", "recon_missing",    "recon_mismatch"};
  EXPECT_EQ(Kinds(ReadJsonLines(sim.manifest)), want) << sim.simulate_log;
}

// National Day 2026: Oct 1-7 off, Sat Oct 10 a make-up workday and the last workday (the
// online faults' day), its volume baseline reaching back over the holiday to September.
TEST(ScenarioTest, FaultsAroundNationalDayHoliday) {
  Simulation sim(
      "--start 2026-09-28 --days 13 --codes 100 --records 4500000 --seed 5 --faults all");
  ExpectCaughtAndNothingElse(sim);
  std::vector<Json> faults = ReadJsonLines(sim.manifest);
  EXPECT_EQ(faults.size(), 15u) << sim.simulate_log;
  for (const Json& f : faults) {
    if (f["kind"] == "volume_drop") {
      EXPECT_EQ(f["start"].get<std::string>().substr(0, 10), "2026-10-10");
    }
  }
}

TEST(ScenarioTest, SelectedRulesInjectOnlyTheirFaults) {
  Simulation sim(std::string(kStandard) + " --seed 12 --faults no_txn,batch,recon");
  ExpectCaughtAndNothingElse(sim);
  std::set<std::string> want = {"no_txn",        "no_txn_node",      "batch_failure",
                                "batch_overrun", "batch_late_start", "recon_missing",
                                "recon_mismatch"};
  EXPECT_EQ(Kinds(ReadJsonLines(sim.manifest)), want) << sim.simulate_log;
}

}  // namespace
}  // namespace vigil::scenario
