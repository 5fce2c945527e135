// vigil serve end to end: records in over HTTP, an alert evaluated on the (test) clock, and
// the message delivered to a real webhook listener and a real SMTP server, each exactly once;
// silences and inhibition mute what they should.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kStart = "2026-11-20T10:00:00+08:00";

class ServeAlertingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ServeConfig(hook_.port(), smtp_.hostport()), kStart);
    server_->Start();
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  SmtpTestServer smtp_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServeAlertingTest, FailingCodeIsDeliveredOnceByWebhookAndEmailThenResolves) {
  auto r = server_->PostRecords(Records("A001", "10:00", 20, 10));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(nlohmann::json::parse(r->body)["accepted"], 20);

  // Minute 10:01 (window [10:00, 10:01)) is evaluated at 10:01:30.
  server_->AdvanceClock(90'000);
  ASSERT_TRUE(hook_.WaitForRequests(1)) << server_->Log();
  ASSERT_TRUE(smtp_.WaitForMessages(1)) << server_->Log();
  auto alerts = server_->GetJson("/api/v1/alerts");
  ASSERT_EQ(alerts["alerts"].size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts["alerts"][0]["rule"], "system_success");
  EXPECT_EQ(alerts["alerts"][0]["key"]["txn"], "A001");
  const auto body = nlohmann::json::parse(hook_.requests()[0].body);
  EXPECT_EQ(body["alerts"][0]["labels"]["txn"], "A001");
  EXPECT_EQ(body["alerts"][0]["labels"]["name"], "转账");
  EXPECT_EQ(smtp_.messages()[0].rcpt_to, std::vector<std::string>{"ops@bank.test"});

  // The next minute has no records: the rule no longer holds, the alert resolves, and the
  // resolution is sent once; the firing message is never repeated within repeat_interval.
  server_->AdvanceClock(60'000);
  server_->AdvanceClock(120'000);
  ASSERT_TRUE(hook_.WaitForRequests(2)) << server_->Log();
  server_->AdvanceClock(10 * 60'000);
  EXPECT_EQ(WebhookCount(hook_, "firing"), 1);
  EXPECT_EQ(WebhookCount(hook_, "resolved"), 1);
  auto resolved = server_->GetJson("/api/v1/alerts?state=resolved");
  ASSERT_EQ(resolved["alerts"].size(), 1u);
  auto events = server_->GetJson("/api/v1/alerts/events?txn=A001");
  EXPECT_EQ(events["events"].size(), 2u) << events.dump();
}

TEST_F(ServeAlertingTest, SilenceMutesTheAlertButKeepsItVisible) {
  auto s = server_->http().Post("/api/v1/silences", {{"Authorization", "Bearer api-secret"}},
                                R"({"matchers":["txn=A001"],"duration_ms":3600000,"comment":"maintenance"})",
                                "application/json");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 201) << s->body;
  ASSERT_EQ(server_->PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server_->AdvanceClock(90'000);  // fires at 10:01 (and would resolve at 10:02)
  auto alerts = server_->GetJson("/api/v1/alerts");
  ASSERT_EQ(alerts["alerts"].size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts["alerts"][0]["suppressed"], true);
  EXPECT_EQ(alerts["alerts"][0]["silenced_by"].size(), 1u);
  auto metrics = server_->http().Get("/metrics");
  EXPECT_EQ(MetricValue(metrics->body, "vigil_notifications_enqueued_total"), 0) << metrics->body;
  EXPECT_EQ(hook_.requests().size(), 0u);
}

TEST_F(ServeAlertingTest, SilenceNeedsTheApiToken) {
  auto s = server_->http().Post("/api/v1/silences", {{"Authorization", "Bearer wrong"}},
                                R"({"matchers":["txn=A001"],"duration_ms":60000})", "application/json");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 401);
  auto bad = server_->http().Post("/api/v1/silences", {{"Authorization", "Bearer api-secret"}},
                                  R"({"matchers":["txn=~("],"duration_ms":60000})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
}

TEST_F(ServeAlertingTest, FailingServiceSystemInhibitsTheCodesThatCallIt) {
  // Both codes fail because ACCT answers errors: the team should see ACCT, not every code.
  ASSERT_EQ(server_->PostRecords(Records("A001", "10:00", 20, 20, "E999") +
                                 Records("A002", "10:00", 20, 20, "E999"))->status, 200);
  server_->AdvanceClock(90'000);
  ASSERT_TRUE(hook_.WaitForRequests(1)) << server_->Log();
  auto alerts = server_->GetJson("/api/v1/alerts");
  int inhibited = 0, active_service = 0;
  for (const auto& a : alerts["alerts"]) {
    const bool svc_only = a["rule"] == "service_success" && !a["key"].contains("txn");
    if (svc_only) {
      ++active_service;
      EXPECT_EQ(a["suppressed"], false);
    } else {
      EXPECT_EQ(a["suppressed"], true) << a.dump();
      ++inhibited;
    }
  }
  EXPECT_EQ(active_service, 1);
  EXPECT_GE(inhibited, 2);  // system_success of A001 and A002 (and the (txn, svc_sys) keys)
  for (const auto& req : hook_.requests()) {
    for (const auto& a : nlohmann::json::parse(req.body)["alerts"]) {
      EXPECT_EQ(a["labels"]["rule"], "service_success");
      EXPECT_FALSE(a["labels"].contains("txn")) << a.dump();
    }
  }
}

}  // namespace
}  // namespace vigil::testing
