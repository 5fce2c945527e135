// E-mail end to end: an alert goes through the pipeline into the outbox, and the Deliverer
// sends it with libcurl to a real SMTP server on 127.0.0.1, which records what arrived.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "delivery_fixture.h"
#include "smtp_test_server.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing_support;
using testing_smtp::MailPart;
using testing_smtp::MailSubject;
using testing_smtp::SmtpTestServer;

class EmailTest : public DeliveryFixture {
 protected:
  void SetUp() override {
    setenv("VIGIL_TEST_SMTP_PASSWORD", "s3cret-密码", 1);
    StartPipeline(std::string(kCodes) + R"(alerting:
  receivers:
    mail:
      email:
        to: [ops@bank.example, noc@bank.example]
        from: vigil@bank.example
        smarthost: )" + smtp_.hostport() + R"(
        tls: none
        username: vigil
        password_env: VIGIL_TEST_SMTP_PASSWORD
        subject_prefix: "[生产]"
  route: {receiver: mail, group_by: [txn], group_wait: 0s, group_interval: 1m}
  delivery: {timeout: 10s}
)");
  }

  SmtpTestServer smtp_;
};

TEST_F(EmailTest, ArrivesOnceWithTextAndHtmlAndAChineseSubject) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}, "critical",
              "A001 查询挂账 system success 95.00% < 99.00% (5 of 100) over the last 5m")});
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 1);
  ASSERT_TRUE(smtp_.WaitForMessages(1));
  SmtpTestServer::Message m = smtp_.messages().at(0);
  EXPECT_EQ(m.mail_from, "vigil@bank.example");
  EXPECT_THAT(m.rcpt_to, ElementsAre("ops@bank.example", "noc@bank.example"));
  EXPECT_EQ(m.auth_user, "vigil");
  EXPECT_EQ(m.auth_password, "s3cret-密码");
  EXPECT_EQ(MailSubject(m.data),
            "[生产] [FIRING:1] A001 查询挂账 system success 95.00% < 99.00% (5 of 100) over the "
            "last 5m");
  EXPECT_THAT(m.data, HasSubstr("\r\nTo: ops@bank.example, noc@bank.example\r\n"));
  EXPECT_THAT(m.data, HasSubstr("\r\nFrom: vigil@bank.example\r\n"));
  EXPECT_THAT(m.data, HasSubstr("Content-Type: multipart/alternative"));
  std::string text = MailPart(m.data, "text/plain");
  EXPECT_THAT(text, HasSubstr("- [critical] A001 查询挂账 system success 95.00%"));
  EXPECT_THAT(text, HasSubstr("since 2026-11-20 15:00:00 +08:00"));
  EXPECT_THAT(text, HasSubstr("name=查询挂账"));
  std::string html = MailPart(m.data, "text/html");
  EXPECT_THAT(html, HasSubstr("<table"));
  EXPECT_THAT(html, HasSubstr("95.00% &lt; 99.00%"));  // escaped
  EXPECT_THAT(html, HasSubstr("查询挂账"));

  // Delivered: later passes and a restarted deliverer send nothing again.
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now() + 60'000), 0);
  deliverer_ = std::make_unique<Deliverer>(config_.alerting, store_.get(), &clock_);
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now() + 120'000), 0);
  EXPECT_EQ(smtp_.messages().size(), 1u);
  EXPECT_EQ(store_->Outbox()->delivered, 1);
  EXPECT_EQ(deliverer_->Stats().receivers.size(), 0u);  // the new one sent nothing
}

TEST_F(EmailTest, ARefusedMessageIsRetriedAfterTheBackoff) {
  smtp_.RefuseData(451);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  deliverer_->RunOnce(clock_.Now());
  EXPECT_TRUE(smtp_.messages().empty());
  EXPECT_EQ(deliverer_->Stats().receivers["mail"].failed, 1);
  auto pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_THAT(pending[0].last_error, HasSubstr("451"));
  // 10s +-10%: not due at 8s, due at 12s.
  EXPECT_GE(pending[0].next_attempt_at, kT0 + 9'000);
  EXPECT_LE(pending[0].next_attempt_at, kT0 + 11'000);
  smtp_.RefuseData(0);
  EXPECT_EQ(deliverer_->RunOnce(kT0 + 8'000), 0);
  EXPECT_EQ(deliverer_->RunOnce(kT0 + 12'000), 1);
  ASSERT_TRUE(smtp_.WaitForMessages(1));
  EXPECT_EQ(deliverer_->Stats().receivers["mail"].sent, 1);
}

TEST_F(EmailTest, AMissingPasswordVariableIsAFailureThatNamesIt) {
  unsetenv("VIGIL_TEST_SMTP_PASSWORD");
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  deliverer_->RunOnce(clock_.Now());
  auto pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_THAT(pending[0].last_error, HasSubstr("VIGIL_TEST_SMTP_PASSWORD"));
  EXPECT_TRUE(smtp_.messages().empty());
}

TEST_F(EmailTest, RequiredTlsIsNeverDowngradedToPlainText) {
  // This server offers no STARTTLS and speaks no TLS: with tls starttls or smtps nothing may
  // be sent in the clear.
  AlertingConfig secure = config_.alerting;
  auto& mail = std::get<EmailReceiver>(secure.receivers.at("mail").kind);
  mail.tls = SmtpTls::kStartTls;
  deliverer_->Reload(secure);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  deliverer_->RunOnce(clock_.Now());
  ASSERT_EQ(Pending(store_.get()).size(), 1u);
  EXPECT_THAT(Pending(store_.get())[0].last_error, HasSubstr("STARTTLS not supported"));

  mail.tls = SmtpTls::kSmtps;
  deliverer_->Reload(secure);
  deliverer_->RunOnce(clock_.Now() + kMin);
  ASSERT_EQ(Pending(store_.get()).size(), 1u);
  EXPECT_THAT(Pending(store_.get())[0].last_error, HasSubstr("SSL"));
  EXPECT_TRUE(smtp_.messages().empty());
  EXPECT_EQ(deliverer_->Stats().receivers["mail"].failed, 2);
}

}  // namespace
}  // namespace vigil::alerting
