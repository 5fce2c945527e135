// Configuration reload while running (API and SIGHUP): an invalid file is refused with its
// errors and the old configuration keeps running; a valid one is applied without losing the
// records already received, and alerts the new configuration no longer supports resolve.
#include <signal.h>

#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

class ServeReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = ServeConfig(hook_.port(), smtp_.hostport());
    server_ = std::make_unique<ServerProcess>(dir_.path(), config_, "2026-11-20T10:00:00+08:00");
    server_->Start();
    ASSERT_EQ(server_->PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
    server_->AdvanceClock(90'000);
    ASSERT_EQ(server_->GetJson("/api/v1/alerts")["alerts"].size(), 1u);
  }
  httplib::Result ReloadByApi() {
    return server_->http().Post("/api/v1/config/reload", {{"Authorization", "Bearer api-secret"}}, "", "application/json");
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  SmtpTestServer smtp_;
  std::string config_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServeReloadTest, InvalidConfigurationIsRefusedAndTheOldOneKeepsRunning) {
  server_->WriteConfig(config_ + "\ndefaults_typo: 1\n");
  auto r = ReloadByApi();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["applied"], false);
  ASSERT_FALSE(j["errors"].empty());
  EXPECT_NE(j["errors"][0].get<std::string>().find("defaults_typo"), std::string::npos) << r->body;
  EXPECT_EQ(server_->GetJson("/api/v1/alerts")["alerts"].size(), 1u);
  EXPECT_EQ(CountOf(*server_, "A001"), 20);
}

TEST_F(ServeReloadTest, ReloadNeedsTheApiToken) {
  auto r = server_->http().Post("/api/v1/config/reload", "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST_F(ServeReloadTest, SighupAppliesANewConfigurationAndKeepsState) {
  std::string changed = config_;
  const std::string from = "off: [volume_ratio,";
  changed.replace(changed.find(from), from.size(), "off: [system_success, volume_ratio,");
  server_->WriteConfig(changed);
  server_->Signal(SIGHUP);
  ASSERT_EQ(WaitForApplied(*server_, 0, 1)["reloads"], 1) << server_->Log();
  EXPECT_NE(server_->GetJson("/api/v1/config")["yaml"].get<std::string>().find("off: [system_success"),
            std::string::npos);
  EXPECT_EQ(CountOf(*server_, "A001"), 20);  // records received before the reload are kept
  // system_success is off now: the open alert is resolved by the reload.
  EXPECT_EQ(server_->GetJson("/api/v1/alerts")["alerts"].size(), 0u);
  auto events = server_->GetJson("/api/v1/alerts/events?txn=A001&state=resolved");
  ASSERT_EQ(events["events"].size(), 1u) << events.dump();
  EXPECT_NE(events["events"][0]["event"]["summary"].get<std::string>().find("reload"), std::string::npos);
}

}  // namespace
}  // namespace vigil::testing
