// Retention with the real `vigil serve` and its test clock: `--retention` sets how long each
// kind is kept, moving the clock runs a maintenance pass, and what went is gone from the API
// and counted in /metrics, while what is newer stays.
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "serve_fixture.h"

namespace vigil::testing {
namespace {

int64_t Pruned(ServerProcess& s, const std::string& kind) {
  auto m = s.http().Get("/metrics");
  if (!m) return -1;
  return MetricValue(m->body, "vigil_store_pruned_total{kind=\"" + kind + "\"}");
}

TEST(ServeRetentionTest, OldAlertHistoryAndDeliveredMessagesArePrunedOnTheClock) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  // no_txn off: three silent days must raise nothing of their own.
  std::string config = ServeConfig(hook.port(), smtp.hostport());
  const std::string off = "off: [";
  config.replace(config.find(off), off.size(), "off: [no_txn, ");
  ServerProcess server(dir.path(), config, "2026-11-20T10:00:00+08:00");
  server.Start({"--retention", "alert_events=1d", "--retention", "ack_log=1d", "--retention",
                "notifications=2d"});

  ASSERT_EQ(server.PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server.AdvanceClock(90'000);  // 10:01:30: A001 fires and is sent
  ASSERT_TRUE(hook.WaitForRequests(1)) << server.Log();
  const std::string fp = server.GetJson("/api/v1/alerts")["alerts"][0].value("fingerprint", "");
  const httplib::Headers token = {
      {"Authorization", std::string("Bearer ") + ServerProcess::kApiToken}};
  auto ack = server.http().Post("/api/v1/alerts/" + fp + "/ack", token, R"({"comment":"on it"})",
                                "application/json");
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body;
  server.AdvanceClock(120'000);  // no records: resolved at 10:01, the resolution sent
  ASSERT_TRUE(hook.WaitForRequests(2)) << server.Log();
  ASSERT_TRUE(SentTo(server, "mail", 2)) << server.Log();
  ASSERT_EQ(server.GetJson("/api/v1/alerts/events")["events"].size(), 2u);
  EXPECT_EQ(Pruned(server, "alert_events"), 0);

  // To 2026-11-21 09:59: the events (minutes 10:00 and 10:01) are not a day old yet.
  server.AdvanceClock(kMsPerDay - 270'000);
  EXPECT_EQ(Pruned(server, "alert_events"), 0);
  EXPECT_EQ(server.GetJson("/api/v1/alerts/events")["events"].size(), 2u);

  // To 2026-11-23 09:59: both events and the resolved alert's state (3 rows), the
  // acknowledgement and, past two days, the 4 delivered messages.
  server.AdvanceClock(2 * kMsPerDay);
  EXPECT_EQ(Pruned(server, "alert_events"), 3) << server.Log();
  EXPECT_EQ(Pruned(server, "ack_log"), 1);
  EXPECT_EQ(Pruned(server, "notifications"), 4);
  EXPECT_EQ(Pruned(server, "abnormal_records"), 0);
  EXPECT_TRUE(server.GetJson("/api/v1/alerts/events")["events"].empty());
  EXPECT_TRUE(server.GetJson("/api/v1/alerts/acks")["acks"].empty());
  EXPECT_TRUE(server.GetJson("/api/v1/alerts?state=all&since=0")["alerts"].empty());

  // A new alert is kept by the next pass.
  std::string today = Records("A002", "09:58", 20, 10);
  for (size_t at = today.find("2026-11-20"); at != std::string::npos;
       at = today.find("2026-11-20")) {
    today.replace(at, 10, "2026-11-23");
  }
  ASSERT_EQ(server.PostRecords(today)->status, 200);
  server.AdvanceClock(60'000);  // 10:00: minute 09:58 evaluated, A002 fires
  EXPECT_EQ(server.GetJson("/api/v1/alerts/events")["events"].size(), 1u);
  EXPECT_EQ(Pruned(server, "alert_events"), 3);
}

}  // namespace
}  // namespace vigil::testing
