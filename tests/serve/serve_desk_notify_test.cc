// The desk's external notifications with the real `vigil serve` (desk.notify, docs/desk-api.md
// "Notifications"): a reported incident and its resolution reach the configured webhook through
// the alert outbox, once each; a reply and an acceptance, which no list names, do not. A reply
// also reaches the reporter's own address when desk.notify.reporter_email is set.
#include <gmock/gmock.h>

#include "desk_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kDesk = R"(desk:
  notify:
    new_incident: [hook]
    resolution: [hook]
  language: en
  incident_url: "http://vigil.test/desk/incidents/{id}"
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
  EXPECT_EQ(first["url"], "http://vigil.test/desk/incidents/" + std::to_string(id));
  const Json second = Json::parse(requests[1].body);
  EXPECT_EQ(second["event"], "status_changed");
  EXPECT_EQ(second["action"], "resolve");
  EXPECT_EQ(second["actor"], "zhang");
  EXPECT_THAT(second["text"].get<std::string>(), ::testing::HasSubstr("zhang resolved"));
}

// The reporter's own address (desk.notify.reporter_email): set on their own page with
// PATCH /api/v1/auth/me, a handler's reply reaches it through the real SMTP listener; the
// receiver's `to` (ops@bank.test) does not get it. A bad address is refused with the field named,
// an API token cannot change it, and the admin sees and changes it in the user list.
class ServeReporterMailTest : public DeskServeTest {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        dir_.path(),
        ServeConfig(hook_.port(), smtp_.hostport(),
                    "desk:\n  notify: {reporter_email: mail}\n  language: en\n"
                    "  reporter_url: \"http://vigil.test/m/incidents/{id}\"\n"),
        kStart);
  }
  httplib::Result PatchMe(const Json& body, const httplib::Headers& h) {
    return http().Patch("/api/v1/auth/me", h, body.dump(), "application/json");
  }
  HttpTestListener hook_;
  testing_smtp::SmtpTestServer smtp_;
};

TEST_F(ServeReporterMailTest, AReplyReachesTheAddressTheReporterSet) {
  Session admin = AdminSession();
  Session wu = UserSession(admin, "wu", "reporter", "wu's long password");
  Session zhang = UserSession(admin, "zhang", "handler", "zhang's long password");

  auto bad = PatchMe({{"email", "wu at branch"}}, With(wu));
  ASSERT_EQ(Status(bad), 400);
  EXPECT_THAT(bad->body, ::testing::HasSubstr("email"));
  EXPECT_EQ(Status(PatchMe({{"email", "wu@branch1.bank.test"}}, With(wu, /*csrf=*/false))), 403)
      << "a change needs the CSRF token";
  auto set = PatchMe({{"email", "wu@branch1.bank.test"}}, With(wu));
  ASSERT_EQ(Status(set), 200) << (set ? set->body : "");
  EXPECT_EQ(Json::parse(set->body)["email"], "wu@branch1.bank.test");
  auto me = http().Get("/api/v1/auth/me", With(wu, false));
  ASSERT_EQ(Status(me), 200);
  EXPECT_EQ(Json::parse(me->body)["email"], "wu@branch1.bank.test");

  auto created = Post("/api/v1/incidents", {{"title", "股票交易不了"}, {"description", "委托失败"}, {"system", "交易"}},
                      With(wu));
  ASSERT_EQ(Status(created), 201) << (created ? created->body : "");
  const int64_t id = Json::parse(created->body).value("id", int64_t{0});
  const std::string path = "/api/v1/incidents/" + std::to_string(id);
  EXPECT_EQ(Status(Post(path + "/messages", {{"body", "内部：看日志"}, {"internal", true}}, With(zhang))), 201);
  EXPECT_EQ(Status(Post(path + "/messages", {{"body", "请让客户重新登录后再试"}}, With(zhang))), 201);
  ASSERT_TRUE(smtp_.WaitForMessages(1)) << server_->Log();

  const auto mails = smtp_.messages();
  ASSERT_EQ(mails.size(), 1u) << "the internal note is not mailed";
  EXPECT_THAT(mails[0].rcpt_to, ::testing::ElementsAre("wu@branch1.bank.test"));
  const std::string text = testing_smtp::MailPart(mails[0].data, "text/plain");
  EXPECT_THAT(text, ::testing::HasSubstr("请让客户重新登录后再试"));
  EXPECT_THAT(text, ::testing::HasSubstr("http://vigil.test/m/incidents/" + std::to_string(id)));
  EXPECT_THAT(testing_smtp::MailSubject(mails[0].data),
              ::testing::HasSubstr("New reply on your incident INC-"));

  auto users = http().Get("/api/v1/users", With(admin, false));
  ASSERT_EQ(Status(users), 200);
  EXPECT_THAT(users->body, ::testing::HasSubstr("\"email\":\"wu@branch1.bank.test\""));
  auto patched = http().Patch("/api/v1/users/wu", With(admin), Json{{"email", ""}}.dump(),
                              "application/json");
  ASSERT_EQ(Status(patched), 200) << (patched ? patched->body : "");
  EXPECT_EQ(Json::parse(patched->body)["email"], "");
  const auto audit = AuditActions(admin);
  EXPECT_NE(std::find(audit.begin(), audit.end(), "user.email"), audit.end());
}

}  // namespace
}  // namespace vigil::testing
