// GET /api/v1/stream against the real binary: stats every second, the firing alerts on connect
// and when they change, new records matching each listener's filter, the --max-streams limit
// (and the slot a closed client frees), and open streams ending when the server stops.
#include <gtest/gtest.h>

#include "raw_http.h"
#include "serve_fixture.h"

namespace vigil::testing {
namespace {

using nlohmann::json;
constexpr const char* kStart = "2026-11-20T10:00:00+08:00";

class ServeConsoleStreamTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> extra = {}) {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ServeConfig(hook_.port(), smtp_.hostport()), kStart);
    server_->Start(std::move(extra));
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  SmtpTestServer smtp_;
  std::unique_ptr<ServerProcess> server_;
};

// How many records of each code the records events of `stream` carried, until `total` came.
std::map<std::string, int> CollectRecords(SseStream& stream, int total) {
  std::map<std::string, int> by_txn;
  int seen = 0;
  while (seen < total) {
    auto e = stream.WaitFor("records");
    if (!e) break;
    for (const auto& r : (*e)["records"]) {
      ++by_txn[r["txn"].get<std::string>()];
      ++seen;
    }
  }
  return by_txn;
}

TEST_F(ServeConsoleStreamTest, SendsStatsAlertsAndTheRecordsMatchingEachFilter) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  SseStream a002(server_->port(), "topics=stats,alerts,records&txn=A002");
  SseStream a001(server_->port(), "topics=records&txn=A001");
  ASSERT_EQ(a002.Head().status, 200);
  EXPECT_EQ(a002.Head().Header("content-type"), "text/event-stream");
  EXPECT_EQ(a002.Head().Header("cache-control"), "no-cache");
  ASSERT_EQ(a001.Head().status, 200);

  // On connect: the firing alerts (none yet) and the stats.
  auto alerts = a002.WaitFor("alerts");
  ASSERT_TRUE(alerts) << server_->Log();
  EXPECT_EQ((*alerts)["alerts"], json::array());
  auto stats = a002.WaitFor("stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ((*stats)["now_ms"], 1795140000000);
  EXPECT_EQ((*stats)["timezone"], "Asia/Shanghai");  // pages show times in it without the config
  EXPECT_EQ((*stats)["records_total"], 0);
  EXPECT_TRUE((*stats)["records_per_s"].is_number());
  EXPECT_TRUE((*stats)["queue_depth"].is_number());
  EXPECT_TRUE((*stats)["lag_ms"].is_number());

  ASSERT_EQ(server_->PostRecords(Records("A001", "10:00", 20, 10) + Records("A002", "10:00", 6, 0))->status, 200);
  EXPECT_EQ(CollectRecords(a002, 6), (std::map<std::string, int>{{"A002", 6}}));
  EXPECT_EQ(CollectRecords(a001, 20), (std::map<std::string, int>{{"A001", 20}}));
  auto counted = a002.WaitFor("stats", [](const json& s) { return s["records_total"] == 26; });
  EXPECT_TRUE(counted) << "the stats never counted the 26 records";

  // An alert fires: the stream says so without being asked.
  server_->AdvanceClock(90'000);
  auto firing = a002.WaitFor("alerts", [](const json& j) { return !j["alerts"].empty(); });
  ASSERT_TRUE(firing) << server_->Log();
  ASSERT_EQ((*firing)["alerts"].size(), 1u) << firing->dump();
  EXPECT_EQ((*firing)["alerts"][0]["rule"], "system_success");
  EXPECT_EQ((*firing)["alerts"][0]["key"]["txn"], "A001");
  EXPECT_EQ((*firing)["alerts"][0]["state"], "firing");
  // ... and the body is the one GET /api/v1/alerts?state=firing answers.
  EXPECT_EQ(*firing, server_->GetJson("/api/v1/alerts?state=firing"));
  auto after = a002.WaitFor("stats", [](const json& s) { return s["now_ms"] == 1795140090000; });
  EXPECT_TRUE(after) << "the stats did not follow the test clock";
}

TEST_F(ServeConsoleStreamTest, RecordsKeepTheirShapeAndStartAfterWhatWasThere) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  ASSERT_EQ(server_->PostRecords(Records("A002", "10:00", 3, 0))->status, 200);
  WaitForApplied(*server_, 3);
  SseStream stream(server_->port(), "topics=records&node=n1");
  ASSERT_EQ(stream.Head().status, 200);
  ASSERT_EQ(server_->PostRecords(Records("A001", "10:01", 2, 1))->status, 200);
  auto e = stream.WaitFor("records");
  ASSERT_TRUE(e);
  ASSERT_EQ((*e)["records"].size(), 2u) << e->dump();  // not the 3 records from before
  const json& r = (*e)["records"][0];
  EXPECT_EQ(r["txn"], "A001");
  EXPECT_EQ(r["time"], "2026-11-20T10:01:01.020+08:00");  // newest first; ts + dur_ms
  for (const char* field : {"time_ms", "ret", "class", "dur_ms", "sys", "svc_sys", "svc_ret", "node", "serial", "msg"}) {
    EXPECT_TRUE(r.contains(field)) << field;
  }
  auto bad = server_->http().Get("/api/v1/stream?topics=stats,weather");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
}

TEST_F(ServeConsoleStreamTest, RefusesStreamsBeyondTheLimitUntilOneCloses) {
  StartServer({"--max-streams", "2"});
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto first = std::make_unique<SseStream>(server_->port(), "topics=stats");
  SseStream second(server_->port(), "topics=stats");
  ASSERT_EQ(first->Head().status, 200);
  ASSERT_EQ(second.Head().status, 200);
  const RawResponse third = RawGet(server_->port(), "/api/v1/stream?topics=stats");
  EXPECT_EQ(third.status, 503);
  EXPECT_NE(third.body.find("--max-streams"), std::string::npos) << third.body;
  EXPECT_FALSE(third.Header("retry-after").empty());
  // Other requests still get a worker.
  EXPECT_EQ(server_->GetJson("/api/v1/stats/ingest")["records_applied"], 0);

  // A client goes away: the server notices at its next writes (a stats event every second)
  // and takes a new stream. The second stream's events pace the retries.
  first.reset();
  bool taken = false;
  for (int attempt = 0; attempt < 30 && !taken; ++attempt) {
    ASSERT_TRUE(second.WaitFor("stats")) << server_->Log();
    SseStream again(server_->port(), "topics=stats");
    taken = again.Head().status == 200;
  }
  EXPECT_TRUE(taken) << "the closed stream's slot was never freed";
}

TEST_F(ServeConsoleStreamTest, OpenStreamsEndWhenTheServerStops) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  SseStream stats(server_->port(), "topics=stats,alerts");
  SseStream records(server_->port(), "topics=records&txn=NONE");
  ASSERT_EQ(stats.Head().status, 200);
  ASSERT_EQ(records.Head().status, 200);
  ASSERT_TRUE(stats.WaitFor("stats"));
  const auto t0 = std::chrono::steady_clock::now();
  server_->Signal(SIGTERM);
  EXPECT_TRUE(stats.WaitForEof(std::chrono::seconds(20)));
  EXPECT_TRUE(records.WaitForEof(std::chrono::seconds(20)));
  EXPECT_EQ(server_->Stop(), 0) << server_->Log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(15));
}

}  // namespace
}  // namespace vigil::testing
