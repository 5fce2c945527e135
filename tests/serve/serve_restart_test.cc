// vigil serve survives kill -9: every acknowledged record, the alert state, the baselines and
// the notifications not yet delivered are there after a restart, and nothing is sent twice.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kStart = "2026-11-20T10:00:00+08:00";

TEST(ServeRestartTest, KillNineKeepsAcknowledgedRecordsAndAlertState) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), kStart);
  server.Start();
  int64_t acked = 0;
  for (const char* minute : {"10:00", "10:01"}) {
    auto r = server.PostRecords(Records("A001", minute, 30, minute == std::string("10:01") ? 20 : 0));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    acked += nlohmann::json::parse(r->body)["accepted"].get<int64_t>();
  }
  server.AdvanceClock(150'000);  // 10:02:30: minute 10:02 evaluated over [10:01, 10:02)
  // Delivery is at-least-once: a kill between the send and its bookkeeping sends again. The
  // clock call answers after a delivery pass, so here the delivery is recorded before the kill
  // and nothing may be re-sent.
  ASSERT_EQ(hook.requests().size(), 1u) << server.Log();
  ASSERT_TRUE(SentTo(server, "hook", 1)) << server.Log();
  ASSERT_EQ(CountOf(server, "A001"), acked);

  server.Kill();
  // The restarted server's clock starts where the test left it.
  ServerProcess again(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:02:40+08:00");
  again.Start();
  EXPECT_EQ(CountOf(again, "A001"), acked) << again.Log();
  auto stats = again.GetJson("/api/v1/stats/ingest");
  EXPECT_EQ(stats["rebuild_records"], acked);
  auto alerts = again.GetJson("/api/v1/alerts");
  ASSERT_EQ(alerts["alerts"].size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts["alerts"][0]["key"]["txn"], "A001");
  EXPECT_EQ(alerts["alerts"][0]["state"], "firing");
  // Within repeat_interval and with the alert still firing: no second firing message.
  again.AdvanceClock(20'000);
  EXPECT_EQ(WebhookCount(hook, "firing"), 1);
}

TEST(ServeRestartTest, UndeliveredNotificationIsSentAfterRestart) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  hook.Answer(500, "down for maintenance");
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), kStart);
  server.Start();
  ASSERT_EQ(server.PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server.AdvanceClock(90'000);
  ASSERT_EQ(hook.requests().size(), 1u) << server.Log();  // tried, refused
  server.Kill();

  hook.Answer(200, "ok");
  ServerProcess again(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:01:40+08:00");
  again.Start();
  // Past the retry backoff; the alert also resolves (no records after 10:00).
  again.AdvanceClock(10 * 60'000);
  EXPECT_TRUE(SentTo(again, "hook", 2)) << again.Log() << again.http().Get("/metrics")->body;
  EXPECT_EQ(WebhookCount(hook, "firing"), 2);  // the refused attempt, then the delivery
  EXPECT_EQ(WebhookCount(hook, "resolved"), 1);
}

}  // namespace
}  // namespace vigil::testing
