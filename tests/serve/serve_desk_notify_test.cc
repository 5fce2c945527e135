// The desk's external notifications with the real `vigil serve` (desk.notify, docs/desk-api.md
// "Notifications"): a reported incident and its resolution reach the configured webhook through
// the alert outbox, once each; a reply and an acceptance, which no list names, do not.
#include <gmock/gmock.h>

#include "desk_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kDesk = R"(desk:
  notify:
    new_incident: [hook]
    resolution: [hook]
  language: en
  incident_url: "http://vigil.test/#/desk/incidents/{id}"
)";

class ServeDeskNotifyTest : public DeskServeTest {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ServeConfig(hook_.port(), "127.0.0.1:1", kDesk),
                                              kStart);
  }
  HttpTestListener hook_;
};

TEST_F(ServeDeskNotifyTest, ReportAndResolutionReachTheWebhookOnceEach) {
  Session admin = AdminSession();
  Session wu = UserSession(admin, "wu", "reporter", "wu's long password");
  Session zhang = UserSession(admin, "zhang", "handler", "zhang's long password");
  auto created = Post("/api/v1/incidents", {{"title", "股票交易不了"}, {"description", "委托失败"}, {"system", "交易"}},
                      With(wu));
  ASSERT_EQ(Status(created), 201) << (created ? created->body : "");
  const int64_t id = Json::parse(created->body).value("id", int64_t{0});
  const std::string path = "/api/v1/incidents/" + std::to_string(id);
  ASSERT_TRUE(hook_.WaitForRequests(1)) << server_->Log();

  EXPECT_EQ(Status(Post(path + "/messages", {{"body", "还是不行"}}, With(wu))), 201);
  EXPECT_EQ(Status(Post(path + "/accept", Json::object(), With(zhang))), 200);
  EXPECT_EQ(Status(Post(path + "/resolve", {{"cause", "参数错误"}, {"solution", "已修正"}}, With(zhang))), 200);
  ASSERT_TRUE(hook_.WaitForRequests(2)) << server_->Log();

  const auto requests = hook_.requests();
  ASSERT_EQ(requests.size(), 2u) << "the reply and the acceptance are not sent";
  const Json first = Json::parse(requests[0].body);
  EXPECT_EQ(first["source"], "vigil-desk");
  EXPECT_EQ(first["event"], "incident_created");
  EXPECT_EQ(first["incident"]["id"], id);
  EXPECT_EQ(first["incident"]["title"], "股票交易不了");
  EXPECT_EQ(first["actor"], "wu");
  EXPECT_EQ(first["url"], "http://vigil.test/#/desk/incidents/" + std::to_string(id));
  const Json second = Json::parse(requests[1].body);
  EXPECT_EQ(second["event"], "status_changed");
  EXPECT_EQ(second["action"], "resolve");
  EXPECT_EQ(second["actor"], "zhang");
  EXPECT_THAT(second["text"].get<std::string>(), ::testing::HasSubstr("zhang resolved"));
}

}  // namespace
}  // namespace vigil::testing
