// The whole live path (feed, runner, sender) against a real HTTP listener that pushes back,
// under a manual clock; and `vigil simulate --live` itself against a listener.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "gtest/gtest.h"
#include "live_fixture.h"
#include "nlohmann/json.hpp"
#include "sim/live_run.h"

namespace vigil::sim {
namespace {

// The serials of every record in the accepted bodies, counted.
std::map<std::string, int> Serials(const std::vector<Received>& bodies) {
  std::map<std::string, int> n;
  for (const Received& r : bodies) {
    std::istringstream in(r.body);
    std::string line;
    while (std::getline(in, line)) n[nlohmann::json::parse(line)["serial"]]++;
  }
  return n;
}

TEST(LiveRunTest, NothingLostOrDuplicatedWhileTheServerPushesBack) {
  IngestServer server([](int n, const httplib::Request&, httplib::Response& res) {
    if (n % 3 == 0) res.status = 429, res.set_header("Retry-After", "1");
    if (n % 7 == 0) res.status = 503;
  });
  server.Start();
  const TimeMs start = At("2026-11-20T10:00:00+08:00");
  ManualClock clock(start);
  ClockSleeper sleeper(clock);
  auto world = MakeWorld(start, 100);
  LiveFeed feed(*world, start, FeedWith("all", 2 * kMsPerMinute));
  RecordSender sender(To(server.Url()), sleeper);
  std::vector<std::string> log;
  LiveRunOptions options;
  options.duration_ms = 15 * kMsPerMinute;
  options.batch_records = 400;
  LiveRunner runner(feed, *world, sender, clock, sleeper, options,
                    [&](const std::string& l) { log.push_back(l); });
  ASSERT_TRUE(runner.Run().ok());

  std::map<std::string, int> serials = Serials(server.accepted());
  int64_t twice = 0;
  for (const auto& [serial, n] : serials) twice += n > 1;
  EXPECT_EQ(twice, 0) << "a record delivered more than once";
  EXPECT_EQ(static_cast<int64_t>(serials.size()), runner.stats().generated);
  EXPECT_EQ(sender.stats().records, runner.stats().generated);
  EXPECT_GT(sender.stats().retries, 10);
  // Exactly what a feed left alone produces over the same 15 minutes.
  auto twin_world = MakeWorld(start, 100);
  LiveFeed twin(*twin_world, start, FeedWith("all", 2 * kMsPerMinute));
  std::vector<SimRecord> expected;
  twin.Step(start + options.duration_ms, &expected);
  EXPECT_EQ(static_cast<int64_t>(expected.size()), runner.stats().generated);
  // Fault lines and progress went to the log.
  auto has = [&](const std::string& s) {
    return std::any_of(log.begin(), log.end(),
                       [&](const std::string& l) { return l.find(s) != std::string::npos; });
  };
  EXPECT_TRUE(has("10:02 fault ")) << "the first fault, two minutes in";
  EXPECT_TRUE(has(" live: ")) << "progress every 10 s";
}

TEST(LiveRunTest, TheRunnerSendsOnlyWhatIsDueAndWaitsOneTickAtATime) {
  IngestServer server;
  server.Start();
  const TimeMs start = At("2026-11-20T15:00:00+08:00");
  ManualClock clock(start);
  ClockSleeper sleeper(clock);
  auto world = MakeWorld(start, 100);
  LiveFeed feed(*world, start, FeedWith("none"));
  RecordSender sender(To(server.Url()), sleeper);
  LiveRunOptions options;
  options.duration_ms = 10'000;
  LiveRunner runner(feed, *world, sender, clock, sleeper, options, [](const std::string&) {});
  ASSERT_TRUE(runner.Run().ok());
  EXPECT_EQ(clock.Now(), start + 10'000);
  EXPECT_EQ(sleeper.waits.size(), 50u);
  for (int64_t w : sleeper.waits) EXPECT_EQ(w, 200);
  // One POST per tick with records: about 100 per second at 15:00 in 5 ticks per second.
  EXPECT_GE(server.accepted().size(), 40u);
  EXPECT_LE(server.accepted().size(), 51u);
}

// `vigil simulate --live` for real: two seconds against the listener, then a prepare run.
int Vigil(const std::string& args, const std::string& err) {
  std::string cmd = fmt::format("'{}' {} 2> '{}'", VIGIL_BINARY, args, err);
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(LiveCliTest, FeedsAServerAndPreparesARun) {
  IngestServer server;
  server.Start();
  const std::string dir = testing::TempDir() + "vigil-live-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string err = dir + "/err.txt";
  EXPECT_EQ(Vigil(fmt::format("simulate --live --target {} --token abc --duration 2s --codes 50 "
                              "--rate 300 --backfill-days 0 --faults all",
                              server.Url()),
                  err),
            0)
      << Slurp(err);
  std::vector<Received> got = server.accepted();
  ASSERT_FALSE(got.empty()) << Slurp(err);
  int64_t lines = 0;
  for (const Received& r : got) {
    EXPECT_EQ(r.authorization, "Bearer abc");
    lines += IngestServer::Lines(r.body);
  }
  EXPECT_GT(lines, 10);
  EXPECT_NE(Slurp(err).find(fmt::format("simulate: {} records", lines)), std::string::npos)
      << Slurp(err);

  const std::string yaml = dir + "/vigil.yaml", backfill = dir + "/backfill.jsonl.gz";
  EXPECT_EQ(Vigil(fmt::format("simulate --live --codes 50 --rate 3 --backfill-days 2 "
                              "--config-out {} --backfill-out {}",
                              yaml, backfill),
                  err),
            0)
      << Slurp(err);
  EXPECT_EQ(Vigil("check-config " + yaml, err), 0) << Slurp(err);
  EXPECT_EQ(Vigil(fmt::format("replay --config {} {} > /dev/null", yaml, backfill), err), 0)
      << Slurp(err);
  EXPECT_NE(Slurp(err).find("records"), std::string::npos);

  EXPECT_EQ(Vigil("simulate --live --out x.jsonl --target http://127.0.0.1:1", err), 2);
  EXPECT_NE(Slurp(err).find("--out is not used with --live"), std::string::npos) << Slurp(err);
  EXPECT_EQ(Vigil("simulate --out " + dir + "/x.jsonl --target http://127.0.0.1:1", err), 2);
  EXPECT_NE(Slurp(err).find("--target needs --live"), std::string::npos) << Slurp(err);
  EXPECT_EQ(Vigil("simulate --live", err), 2);
  EXPECT_EQ(Vigil("simulate --live --target http://x --fault-every 90s", err), 2);
  EXPECT_NE(Slurp(err).find("whole minutes"), std::string::npos) << Slurp(err);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::sim
