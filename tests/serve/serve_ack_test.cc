// Acknowledging an alert end to end with the real `vigil serve`: the API token, the body's
// checks, `acknowledged` in GET /api/v1/alerts, no repeat reminders while acknowledged (across a
// kill -9), reminders again once withdrawn, the resolution still sent and the acknowledgement
// gone with it, and the acknowledgement log.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kStart = "2026-11-20T10:00:00+08:00";
// 2026-11-20T10:01:30+08:00: where the first acknowledgement is made.
constexpr int64_t kAckedAtMs = 1'795'140'090'000;

// The fixture's configuration with reminders every 2 minutes instead of every 4 hours.
std::string AckConfig(const HttpTestListener& hook, const SmtpTestServer& smtp) {
  std::string yaml = ServeConfig(hook.port(), smtp.hostport());
  const std::string from = "repeat_interval: 4h";
  yaml.replace(yaml.find(from), from.size(), "repeat_interval: 2m");
  return yaml;
}

httplib::Headers Token(const std::string& token = ServerProcess::kApiToken) {
  return {{"Authorization", "Bearer " + token}};
}

std::string AckPath(const std::string& fingerprint) {
  return "/api/v1/alerts/" + fingerprint + "/ack";
}

// The one firing alert of GET /api/v1/alerts (a failure when there is not exactly one).
nlohmann::json OnlyFiring(ServerProcess& s) {
  auto alerts = s.GetJson("/api/v1/alerts")["alerts"];
  EXPECT_EQ(alerts.size(), 1u) << alerts.dump();
  return alerts.size() == 1 ? alerts[0] : nlohmann::json::object();
}

// Failing records of A001 in minute `hhmm`, then the clock one minute on.
void FailingMinute(ServerProcess& s, const std::string& hhmm) {
  auto r = s.PostRecords(Records("A001", hhmm, 20, 10));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  s.AdvanceClock(60'000);
}

TEST(ServeAckTest, AcknowledgedAlertIsNotRemindedAboutAcrossKillNineAndResolvesAsUsual) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  ServerProcess server(dir.path(), AckConfig(hook, smtp), kStart);
  server.Start();
  ASSERT_EQ(server.PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server.AdvanceClock(90'000);  // 10:01:30: minute 10:00 evaluated, the alert fires and is sent
  ASSERT_TRUE(hook.WaitForRequests(1)) << server.Log();
  nlohmann::json alert = OnlyFiring(server);
  const std::string fp = alert.value("fingerprint", "");
  ASSERT_EQ(fp.size(), 16u) << alert.dump();
  EXPECT_TRUE(alert["acknowledged"].is_null()) << alert.dump();

  // Refused: no token, a body of the wrong shape, an alert that does not fire.
  const std::string body = R"({"comment":"looking","by":"zhang"})";
  auto r = server.http().Post(AckPath(fp), Token("wrong"), body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  r = server.http().Post(AckPath(fp), Token(), R"({"by":5})", "application/json");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("by"), std::string::npos) << r->body;
  r = server.http().Post(AckPath(fp), Token(), nlohmann::json{{"comment", std::string(2001, 'x')}}.dump(),
                         "application/json");
  EXPECT_EQ(r->status, 400) << r->body;
  r = server.http().Post(AckPath(fp), Token(), "[1]", "application/json");
  EXPECT_EQ(r->status, 400) << r->body;
  r = server.http().Post(AckPath("0123456789abcdef"), Token(), body, "application/json");
  EXPECT_EQ(r->status, 404) << r->body;
  EXPECT_TRUE(OnlyFiring(server)["acknowledged"].is_null()) << "refusals change nothing";

  r = server.http().Post(AckPath(fp), Token(), body, "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  auto answer = nlohmann::json::parse(r->body);
  EXPECT_EQ(answer["fingerprint"], fp);
  EXPECT_EQ(answer["key"]["txn"], "A001");
  EXPECT_EQ(answer["acknowledged"],
            (nlohmann::json{{"by", "zhang"}, {"comment", "looking"}, {"at_ms", kAckedAtMs}}));
  EXPECT_EQ(OnlyFiring(server)["acknowledged"], answer["acknowledged"]);

  // Four more failing minutes: two reminders' worth (every 2 minutes), none sent.
  for (const char* minute : {"10:01", "10:02", "10:03", "10:04"}) {
    ASSERT_NO_FATAL_FAILURE(FailingMinute(server, minute));
  }
  EXPECT_EQ(OnlyFiring(server)["state"], "firing");
  EXPECT_EQ(WebhookCount(hook, "firing"), 1) << server.Log();

  // kill -9: the acknowledgement is in the store.
  server.Kill();
  ServerProcess again(dir.path(), AckConfig(hook, smtp), "2026-11-20T10:05:30+08:00");
  again.Start();
  EXPECT_EQ(OnlyFiring(again)["acknowledged"], answer["acknowledged"]) << again.Log();
  for (const char* minute : {"10:05", "10:06"}) ASSERT_NO_FATAL_FAILURE(FailingMinute(again, minute));
  EXPECT_EQ(WebhookCount(hook, "firing"), 1) << again.Log();

  // Withdrawn: the next look reminds (the last message is 6 minutes old).
  r = again.http().Delete(AckPath(fp), Token("wrong"));
  EXPECT_EQ(r->status, 401) << r->body;
  r = again.http().Delete(AckPath(fp), Token(), R"({"by":"li"})", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(nlohmann::json::parse(r->body)["acknowledged"].is_null()) << r->body;
  EXPECT_TRUE(OnlyFiring(again)["acknowledged"].is_null());
  ASSERT_NO_FATAL_FAILURE(FailingMinute(again, "10:07"));
  ASSERT_TRUE(hook.WaitForRequests(2)) << again.Log();
  EXPECT_EQ(WebhookCount(hook, "firing"), 2);

  // Acknowledged again with no body (`by` defaults to "api"), then the records stop: the
  // resolution is sent all the same, and the acknowledgement goes with the episode.
  r = again.http().Post(AckPath(fp), Token(), "", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(nlohmann::json::parse(r->body)["acknowledged"]["by"], "api");
  again.AdvanceClock(60'000);
  again.AdvanceClock(120'000);
  ASSERT_TRUE(hook.WaitForRequests(3)) << again.Log();
  EXPECT_EQ(WebhookCount(hook, "resolved"), 1);
  EXPECT_EQ(WebhookCount(hook, "firing"), 2);
  auto resolved = again.GetJson("/api/v1/alerts?state=resolved")["alerts"];
  ASSERT_EQ(resolved.size(), 1u) << resolved.dump();
  EXPECT_EQ(resolved[0]["fingerprint"], fp);
  EXPECT_TRUE(resolved[0]["acknowledged"].is_null()) << resolved.dump();
  r = again.http().Post(AckPath(fp), Token(), body, "application/json");
  EXPECT_EQ(r->status, 404) << r->body;
  r = again.http().Delete(AckPath(fp), Token());
  EXPECT_EQ(r->status, 404) << r->body;

  // The history: every change, newest first.
  auto log = again.GetJson("/api/v1/alerts/acks?txn=A001")["acks"];
  ASSERT_EQ(log.size(), 3u) << log.dump();
  EXPECT_EQ(log[0]["action"], "ack");
  EXPECT_EQ(log[0]["by"], "api");
  EXPECT_EQ(log[1]["action"], "unack");
  EXPECT_EQ(log[1]["by"], "li");
  EXPECT_EQ(log[2]["action"], "ack");
  EXPECT_EQ(log[2]["by"], "zhang");
  EXPECT_EQ(log[2]["comment"], "looking");
  EXPECT_EQ(log[2]["at_ms"], kAckedAtMs);
  EXPECT_EQ(log[2]["fingerprint"], fp);
  EXPECT_EQ(log[2]["rule"], "system_success");
  EXPECT_TRUE(again.GetJson("/api/v1/alerts/acks?txn=A002")["acks"].empty());

  // Firing again later: a new episode, not acknowledged.
  ASSERT_NO_FATAL_FAILURE(FailingMinute(again, "10:11"));  // evaluated at 10:12:30
  alert = OnlyFiring(again);
  EXPECT_EQ(alert["fingerprint"], fp);
  EXPECT_TRUE(alert["acknowledged"].is_null()) << alert.dump();
}

}  // namespace
}  // namespace vigil::testing
