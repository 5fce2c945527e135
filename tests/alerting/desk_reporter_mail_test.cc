// Mail to the reporter (desk.notify.reporter_email, src/alerting/desk_reporter_mail.h) end to
// end: the real incident service on a real SQLite store announces its events to DeskNotifier,
// the real Deliverer sends through a real SMTP listener. A public reply by someone else and the
// resolution reach the reporter's own address (not the receiver's `to`), once each; internal
// notes, the reporter's own replies, users without an address and disabled users get nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/deliverer.h"
#include "alerting/desk_notify.h"
#include "alerting/desk_reporter_mail.h"
#include "desk/incidents.h"
#include "desk/users.h"
#include "smtp_test_server.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_support;
using testing_smtp::SmtpTestServer;

// Wednesday 2026-11-18 10:00 UTC, inside business hours.
constexpr TimeMs kWednesday = 1'794'996'000'000;

class ReporterMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = LoadYaml(R"(alerting:
  receivers:
    ops: {webhook: {url: "http://127.0.0.1:1/never"}}
    desk-mail:
      email:
        from: desk@bank.example
        smarthost: )" + smtp_.hostport() +
                       R"(
        tls: none
        subject_prefix: "[事件台]"
  route: {receiver: ops}
desk:
  notify:
    reporter_email: desk-mail
  reporter_url: "https://vigil.bank.example/m/incidents/{id}"
)");
    users_ = dynamic_cast<store::DeskStore*>(store_.get());
    calendar_ = std::make_shared<Calendar>(CalendarConfig{}, absl::UTCTimeZone());
    service_ = std::make_unique<desk::IncidentService>(
        dynamic_cast<store::IncidentStore*>(store_.get()), users_, &clock_,
        [this] { return std::shared_ptr<const Calendar>(calendar_); });
    notifier_ = std::make_unique<DeskNotifier>(config_, store_.get());
    service_->AddListener(notifier_->Listener());
    deliverer_ = std::make_unique<Deliverer>(config_.alerting, store_.get(), &clock_);
    li_ = Add("li", "reporter", "li.si@branch1.bank.example");
    wu_ = Add("wu", "reporter", "");
    zhang_ = Add("zhang", "handler", "zhang@bank.example");
  }

  desk::Principal Add(const std::string& name, const std::string& role, const std::string& email) {
    store::UserRow u;
    u.name = name;
    u.role = role;
    u.email = email;
    u.password_hash = "x";
    u.id = users_->CreateUser(u).value();
    return desk::PrincipalOf(u);
  }

  int64_t Report(const desk::Principal& who) {
    desk::NewIncident in;
    in.title = "股票交易不了";
    in.description = "委托失败";
    in.system = "交易";
    auto v = service_->Create(who, in);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->row.id : 0;
  }

  void Reply(const desk::Principal& who, int64_t id, const std::string& body, bool internal = false) {
    auto m = service_->Post(who, id, body, internal, {});
    ASSERT_TRUE(m.ok()) << m.status();
  }

  // Sends what is due and returns every mail the listener has.
  std::vector<SmtpTestServer::Message> Deliver(size_t expected) {
    deliverer_->RunOnce(clock_.Now());
    EXPECT_TRUE(smtp_.WaitForMessages(expected));
    return smtp_.messages();
  }

  SmtpTestServer smtp_;
  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kWednesday};
  Config config_;
  store::DeskStore* users_ = nullptr;
  std::shared_ptr<Calendar> calendar_;
  std::unique_ptr<desk::IncidentService> service_;
  std::unique_ptr<DeskNotifier> notifier_;
  std::unique_ptr<Deliverer> deliverer_;
  desk::Principal li_, wu_, zhang_;
};

TEST_F(ReporterMailTest, AReplyReachesTheReporterAddressWithItsWholeTextAndLink) {
  const int64_t id = Report(li_);
  ASSERT_TRUE(service_->Act(zhang_, id, desk::LifecycleAction::kAccept, {}).ok());
  const std::string reply = "请重新登录后再试；如果还不行，请提供客户号。" + std::string(300, 'x');
  Reply(zhang_, id, reply);

  const auto mails = Deliver(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].mail_from, "desk@bank.example");
  EXPECT_THAT(mails[0].rcpt_to, ElementsAre("li.si@branch1.bank.example"));
  EXPECT_THAT(mails[0].data, HasSubstr("To: li.si@branch1.bank.example"));
  const std::string text = testing_smtp::MailPart(mails[0].data, "text/plain");
  EXPECT_THAT(text, HasSubstr(reply)) << "the whole reply, not the 200-byte excerpt";
  EXPECT_THAT(text, HasSubstr("https://vigil.bank.example/m/incidents/" + std::to_string(id)));
  EXPECT_THAT(testing_smtp::MailSubject(mails[0].data),
              HasSubstr("[事件台] 您报告的事件 INC-"));
}

TEST_F(ReporterMailTest, TheResolutionCarriesCauseAndSolutionOnce) {
  const int64_t id = Report(li_);
  ASSERT_TRUE(service_->Act(zhang_, id, desk::LifecycleAction::kAccept, {}).ok());
  desk::StepArgs args;
  args.cause = "委托参数配置错误";
  args.solution = "已修正参数，请客户重新下单";
  ASSERT_TRUE(service_->Act(zhang_, id, desk::LifecycleAction::kResolve, args).ok());

  auto mails = Deliver(1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string text = testing_smtp::MailPart(mails[0].data, "text/plain");
  EXPECT_THAT(text, HasSubstr("委托参数配置错误"));
  EXPECT_THAT(text, HasSubstr("已修正参数，请客户重新下单"));
  EXPECT_THAT(testing_smtp::MailSubject(mails[0].data), HasSubstr("已解决"));

  // A second pass (and the event announced again) sends nothing more.
  clock_.Advance(10 * kMin);
  deliverer_->RunOnce(clock_.Now());
  EXPECT_EQ(smtp_.messages().size(), 1u);
}

TEST_F(ReporterMailTest, NotesOwnRepliesAndAddresslessReportersGetNoMail) {
  const int64_t li_incident = Report(li_);
  const int64_t wu_incident = Report(wu_);
  Reply(zhang_, li_incident, "内部：查一下日志", /*internal=*/true);
  Reply(li_, li_incident, "客户又试了一次，还是不行");
  Reply(zhang_, wu_incident, "wu 没有邮箱，只在应用里看到");
  Reply(zhang_, li_incident, "已定位，稍等");  // the one mail

  const auto mails = Deliver(1);
  deliverer_->RunOnce(clock_.Now());
  ASSERT_EQ(smtp_.messages().size(), 1u);
  const std::string text = testing_smtp::MailPart(mails[0].data, "text/plain");
  EXPECT_THAT(text, HasSubstr("已定位，稍等"));
  EXPECT_THAT(text, Not(HasSubstr("内部")));
  EXPECT_EQ(store_->Outbox().value().pending, 0);
}

TEST_F(ReporterMailTest, ADisabledReporterAndARemovedAddressStopTheMail) {
  const int64_t id = Report(li_);
  desk::Users users(users_, &clock_);
  ASSERT_TRUE(users.SetEmail("li", "").ok());
  Reply(zhang_, id, "第一条：地址已删除");
  ASSERT_TRUE(users.SetEmail("li", "li@bank.example").ok());
  desk::UserChange off;
  off.disabled = true;
  ASSERT_TRUE(users.Change("li", off).ok());
  Reply(zhang_, id, "第二条：账号已停用");
  deliverer_->RunOnce(clock_.Now());
  EXPECT_EQ(store_->Outbox().value().pending, 0);
  EXPECT_EQ(store_->Outbox().value().delivered, 0);
  EXPECT_TRUE(smtp_.messages().empty());
}

TEST(ReporterMailEvents, OnlyPublicRepliesByOthersAndResolutions) {
  desk::DeskEvent e;
  e.kind = desk::DeskEventKind::kMessagePosted;
  e.message_id = 7;
  e.actor = "zhang";
  e.reporter = "li";
  EXPECT_TRUE(MailsReporter(e));
  e.internal = true;
  EXPECT_FALSE(MailsReporter(e));
  e.internal = false;
  e.actor = "li";
  EXPECT_FALSE(MailsReporter(e));
  e.kind = desk::DeskEventKind::kStatusChanged;
  e.actor = "zhang";
  for (const char* action : {"accept", "transfer", "return", "take_back", "confirm", "close", "reopen"}) {
    e.action = action;
    EXPECT_FALSE(MailsReporter(e)) << action;
  }
  e.action = "resolve";
  EXPECT_TRUE(MailsReporter(e));
  e.kind = desk::DeskEventKind::kSlaBreached;
  EXPECT_FALSE(MailsReporter(e));
}

}  // namespace
}  // namespace vigil::alerting
