// Scenario tests of repeatability: the same seed writes the same bytes, a replay of the same
// input writes the same alerts, and JSON Lines and gzip'd CSV of one simulation alert alike.
#include <string>

#include "gtest/gtest.h"
#include "scenario_harness.h"

namespace vigil::scenario {
namespace {

constexpr const char* kArgs =
    "--start 2026-11-16 --days 6 --codes 100 --records 1500000 --seed 21 --faults all";

TEST(ScenarioTest, SameSeedSameBytesAndReplayIsDeterministic) {
  Simulation a(kArgs), b(kArgs);
  ASSERT_EQ(a.simulate_rc, 0) << a.simulate_log;
  ASSERT_EQ(b.simulate_rc, 0) << b.simulate_log;
  EXPECT_TRUE(ReadFile(a.records) == ReadFile(b.records)) << "records differ";
  EXPECT_EQ(ReadFile(a.config), ReadFile(b.config));
  EXPECT_EQ(ReadFile(a.manifest), ReadFile(b.manifest));
  ASSERT_EQ(a.Replay(), 0) << a.replay_log;
  std::string second = a.dir.File("alerts2.jsonl");
  ASSERT_EQ(a.Replay("", second), 0) << a.replay_log;
  std::string first = ReadFile(a.alerts);
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(first == ReadFile(second)) << "two replays of the same input differ";
}

TEST(ScenarioTest, CsvGzAndJsonlGiveTheSameAlerts) {
  Simulation json(kArgs, "records.jsonl"), csv(kArgs, "records.csv.gz");
  ASSERT_EQ(json.simulate_rc, 0) << json.simulate_log;
  ASSERT_EQ(csv.simulate_rc, 0) << csv.simulate_log;
  ASSERT_EQ(json.Replay(), 0) << json.replay_log;
  ASSERT_EQ(csv.Replay(), 0) << csv.replay_log;
  std::string from_json = ReadFile(json.alerts);
  EXPECT_FALSE(from_json.empty());
  EXPECT_TRUE(from_json == ReadFile(csv.alerts)) << "JSON Lines and CSV.gz alerts differ";
}

TEST(ScenarioTest, GeneratedConfigPassesCheckConfig) {
  Simulation sim("--codes 2000 --records 10000 --days 3 --faults none");
  ASSERT_EQ(sim.simulate_rc, 0) << sim.simulate_log;
  std::string out = sim.dir.File("check.out"), err = sim.dir.File("check.err");
  EXPECT_EQ(Vigil(fmt::format("check-config '{}'", sim.config), out, err), 0)
      << ReadFile(out) << ReadFile(err);
}

}  // namespace
}  // namespace vigil::scenario
