// Tests of the `alerting:` section: a full section loads into the structs with its defaults,
// matcher syntax parses the Alertmanager way, and every kind of mistake is reported with its
// YAML path, its line and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/alerting_config.h"
#include "common/config.h"
#include "config_test_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;

using config_test::All;
using config_test::ExpectOneError;

// A valid section with one receiver of each kind, used as the base of several tests.
constexpr const char* kFull = R"(alerting:
  receivers:
    ops-mail:
      email:
        to: [ops@bank.example, noc@bank.example]
        from: vigil@bank.example
        smarthost: smtp.bank.example:465
        tls: smtps
        username: vigil
        password_env: VIGIL_SMTP_PASSWORD
        subject_prefix: "[vigil]"
    ops-wecom:
      wecom: {url_env: VIGIL_WECOM_URL}
      send_resolved: false
    ops-ding:
      dingtalk: {url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret_env: DING_SECRET}
    ops-feishu:
      feishu: {url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret_env: FEISHU_SECRET}
    hook:
      webhook: {url: "http://127.0.0.1:9000/hook", headers: {X-Team: ops}}
    am:
      alertmanager: {url: "http://am.bank.example:9093"}
  route:
    receiver: ops-mail
    group_by: [rule, txn]
    group_wait: 10s
    routes:
      - matchers: ["severity=critical", "txn=~\"A0.*\""]
        receiver: ops-wecom
        continue: true
        group_interval: 1m
      - matchers: ["rule!=no_txn"]
        receiver: hook
        group_by: ["..."]
        routes:
          - {matchers: ["svc_sys!~ACCT|CORE"], receiver: am, repeat_interval: 1h}
  inhibit_rules:
    - source_matchers: ["rule=system_success"]
      target_matchers: ["rule=business_success"]
      equal: [txn]
  auto_inhibit_service_system: false
  delivery: {retry_initial: 5s, retry_max: 5m, max_age: 12h, connect_timeout: 2s, timeout: 10s}
)";

TEST(ConfigAlertingTest, FullSectionLoads) {
  ConfigLoad load = LoadConfigText(kFull);
  ASSERT_TRUE(load.ok()) << All(load);
  const AlertingConfig& a = load.config.alerting;
  ASSERT_EQ(a.receivers.size(), 6u);
  const auto& mail = std::get<EmailReceiver>(a.receivers.at("ops-mail").kind);
  EXPECT_EQ(mail.to, (std::vector<std::string>{"ops@bank.example", "noc@bank.example"}));
  EXPECT_EQ(mail.smarthost, "smtp.bank.example:465");
  EXPECT_EQ(mail.tls, SmtpTls::kSmtps);
  EXPECT_EQ(mail.password_env, "VIGIL_SMTP_PASSWORD");
  EXPECT_EQ(mail.subject_prefix, "[vigil]");
  EXPECT_TRUE(a.receivers.at("ops-mail").send_resolved);
  EXPECT_FALSE(a.receivers.at("ops-wecom").send_resolved);
  EXPECT_EQ(std::get<WecomReceiver>(a.receivers.at("ops-wecom").kind).target.url_env,
            "VIGIL_WECOM_URL");
  EXPECT_EQ(std::get<DingtalkReceiver>(a.receivers.at("ops-ding").kind).secret_env, "DING_SECRET");
  EXPECT_EQ(std::get<WebhookReceiver>(a.receivers.at("hook").kind).headers.at("X-Team"), "ops");
  EXPECT_STREQ(ReceiverKindName(a.receivers.at("am").kind), "alertmanager");

  ASSERT_TRUE(a.route.has_value());
  const RouteConfig& root = *a.route;
  EXPECT_EQ(root.receiver, "ops-mail");
  EXPECT_EQ(root.group_by, (std::vector<std::string>{"rule", "txn"}));
  EXPECT_EQ(root.group_wait_ms, 10'000);
  EXPECT_FALSE(root.group_interval_ms.has_value());  // inherited default, resolved later
  ASSERT_EQ(root.routes.size(), 2u);
  EXPECT_EQ(root.routes[0].matchers,
            (std::vector<LabelMatcher>{{"severity", "=", "critical"}, {"txn", "=~", "A0.*"}}));
  EXPECT_TRUE(root.routes[0].continue_matching);
  EXPECT_EQ(root.routes[0].group_interval_ms, 60'000);
  EXPECT_EQ(root.routes[1].group_by, (std::vector<std::string>{"..."}));
  ASSERT_EQ(root.routes[1].routes.size(), 1u);
  EXPECT_EQ(root.routes[1].routes[0].matchers,
            (std::vector<LabelMatcher>{{"svc_sys", "!~", "ACCT|CORE"}}));
  EXPECT_EQ(root.routes[1].routes[0].repeat_interval_ms, 3'600'000);

  ASSERT_EQ(a.inhibit_rules.size(), 1u);
  EXPECT_EQ(a.inhibit_rules[0].equal, (std::vector<std::string>{"txn"}));
  EXPECT_FALSE(a.auto_inhibit_service_system);
  EXPECT_EQ(a.delivery.retry_initial_ms, 5'000);
  EXPECT_EQ(a.delivery.retry_max_ms, 300'000);
  EXPECT_EQ(a.delivery.max_age_ms, 12 * 3'600'000);
  EXPECT_EQ(a.delivery.connect_timeout_ms, 2'000);
  EXPECT_EQ(a.delivery.timeout_ms, 10'000);
}

TEST(ConfigAlertingTest, AbsentSectionMeansNobodyIsNotified) {
  ConfigLoad load = LoadConfigText("timezone: UTC\n");
  ASSERT_TRUE(load.ok()) << All(load);
  EXPECT_FALSE(load.config.alerting.route.has_value());
  EXPECT_TRUE(load.config.alerting.receivers.empty());
  EXPECT_TRUE(load.config.alerting.auto_inhibit_service_system);
  EXPECT_EQ(load.config.alerting.delivery.max_age_ms, 24 * 3'600'000);
  EXPECT_EQ(load.config.alerting.delivery.retry_initial_ms, 10'000);
  EXPECT_EQ(load.config.alerting.delivery.timeout_ms, 15'000);
}

TEST(ConfigAlertingTest, MatcherSyntax) {
  auto m = ParseLabelMatcher("severity=critical");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (LabelMatcher{"severity", "=", "critical"}));
  m = ParseLabelMatcher("  txn =~ \"A0.*\" ");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (LabelMatcher{"txn", "=~", "A0.*"}));
  m = ParseLabelMatcher("rule!=no_txn");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (LabelMatcher{"rule", "!=", "no_txn"}));
  m = ParseLabelMatcher("name=\"查询 \\\"挂账\\\"\"");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->value, "查询 \"挂账\"");
  m = ParseLabelMatcher("txn=");  // empty value: the label is absent
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->value, "");
  // What FormatLabelMatcher writes, ParseLabelMatcher reads back.
  LabelMatcher odd{"summary", "!~", "a\"b\\c\nd"};
  auto back = ParseLabelMatcher(FormatLabelMatcher(odd));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, odd);

  EXPECT_THAT(std::string(ParseLabelMatcher("=critical").status().message()),
              HasSubstr("expected a matcher"));
  EXPECT_THAT(std::string(ParseLabelMatcher("severity critical").status().message()),
              HasSubstr("expected an operator"));
  EXPECT_THAT(std::string(ParseLabelMatcher("txn=~\"(A0\"").status().message()),
              HasSubstr("invalid regular expression '(A0'"));
  EXPECT_THAT(std::string(ParseLabelMatcher("txn=\"A0").status().message()),
              HasSubstr("unterminated"));
  EXPECT_THAT(std::string(ParseLabelMatcher("9x=1").status().message()),
              HasSubstr("not a label name"));
  EXPECT_FALSE(CheckLabelMatcher({"txn", "==", "x"}).ok());
}

TEST(ConfigAlertingTest, ReceiverMistakes) {
  ExpectOneError("alerting:\n  receivers:\n    r:\n      emai: {}\n  route: {receiver: r}\n",
                 "alerting.receivers.r.emai", 4, "did you mean 'email'?");
  ExpectOneError("alerting:\n  receivers:\n    r: {send_resolved: true}\n  route: {receiver: r}\n",
                 "alerting.receivers.r", 3, "got none");
  ConfigLoad two = LoadConfigText(
      "alerting:\n  receivers:\n    r:\n      wecom: {url: 'http://x'}\n"
      "      webhook: {url: 'http://y'}\n  route: {receiver: r}\n");
  ASSERT_EQ(two.errors.size(), 1u) << All(two);
  EXPECT_EQ(two.errors[0].path, "alerting.receivers.r");
  EXPECT_THAT(two.errors[0].message, HasSubstr("exactly one of email, wecom"));
  ExpectOneError("alerting:\n  receivers:\n    r:\n      wecom: {url: 'ftp://x'}\n"
                 "  route: {receiver: r}\n",
                 "alerting.receivers.r.wecom.url", 4, "http:// or https://");
  ExpectOneError("alerting:\n  receivers:\n    r:\n      wecom: {}\n  route: {receiver: r}\n",
                 "alerting.receivers.r.wecom", 4, "exactly one of 'url' or 'url_env'");
  ExpectOneError("alerting:\n  receivers:\n    r:\n      dingtalk:\n        url: 'https://x'\n"
                 "        secret_env: 'SEC-RET'\n  route: {receiver: r}\n",
                 "alerting.receivers.r.dingtalk.secret_env", 6,
                 "not an environment variable name");
  ExpectOneError("alerting:\n  receivers:\n    r:\n      webhook: {url: 'http://x', "
                 "headers: {A: [1]}}\n  route: {receiver: r}\n",
                 "alerting.receivers.r.webhook.headers.A", 4, "expected a header value");
}

TEST(ConfigAlertingTest, EmailMistakes) {
  const std::string head = "alerting:\n  route: {receiver: m}\n  receivers:\n    m:\n      email:\n";
  ExpectOneError(head + "        to: [ops]\n        from: a@b\n        smarthost: h:25\n",
                 "alerting.receivers.m.email.to[0]", 6, "e-mail address like ops@bank.example");
  ExpectOneError(head + "        to: ops@x\n        from: a@b\n        smarthost: h\n",
                 "alerting.receivers.m.email.smarthost", 8, "host:port");
  ExpectOneError(head + "        to: ops@x\n        from: a@b\n        smarthost: h:99999\n",
                 "alerting.receivers.m.email.smarthost", 8, "host:port");
  ExpectOneError(head + "        to: ops@x\n        from: a@b\n        smarthost: h:25\n"
                        "        tls: startls\n",
                 "alerting.receivers.m.email.tls", 9, "did you mean 'starttls'?");
  ExpectOneError(head + "        to: ops@x\n        smarthost: h:25\n",
                 "alerting.receivers.m.email", 6, "missing 'from'");
  ExpectOneError(head + "        to: ops@x\n        from: a@b\n        smarthost: h:25\n"
                        "        username: u\n",
                 "alerting.receivers.m.email", 6, "username and password_env go together");
  ExpectOneError(head + "        to: []\n        from: a@b\n        smarthost: h:25\n",
                 "alerting.receivers.m.email.to", 6, "at least one address");
  ExpectOneError(head + "        to: ops@x\n        from: a@b\n        smarthost: h:25\n"
                        "        password: hunter2\n",
                 "alerting.receivers.m.email.password", 9, "unknown key 'password'");
}

TEST(ConfigAlertingTest, RouteMistakes) {
  const std::string recv = "  receivers:\n    r: {webhook: {url: 'http://x'}}\n";
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: rr\n", "alerting.route.receiver",
                 5, "unknown receiver 'rr', did you mean 'r'?");
  ExpectOneError("alerting:\n" + recv + "  route:\n    group_by: [txn]\n", "alerting.route", 5,
                 "the root route needs a 'receiver'");
  ExpectOneError("alerting:\n" + recv, "alerting", 2, "there is no 'route'");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    matchers: [a=b]\n",
                 "alerting.route.matchers", 6, "put matchers on its routes");
  ExpectOneError("alerting:\n" + recv +
                     "  route:\n    receiver: r\n    routes:\n      - matchers: [\"severity critical\"]\n",
                 "alerting.route.routes[0].matchers[0]", 7, "expected an operator");
  ExpectOneError("alerting:\n" + recv +
                     "  route:\n    receiver: r\n    routes:\n      - matchers: ['txn=~(A']\n",
                 "alerting.route.routes[0].matchers[0]", 7, "invalid regular expression");
  ExpectOneError("alerting:\n" + recv +
                     "  route:\n    receiver: r\n    routes:\n      - receiver: nope\n",
                 "alerting.route.routes[0].receiver", 7, "unknown receiver 'nope'");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    group_wait: soon\n",
                 "alerting.route.group_wait", 6, "expected a duration");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    group_interval: 0s\n",
                 "alerting.route.group_interval", 6, "longer than 0");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    group_by: [txn, txn]\n",
                 "alerting.route.group_by[1]", 6, "listed twice");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    group_by: [txn, '...']\n",
                 "alerting.route.group_by", 6, "stands alone");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    group_by: [svc-sys]\n",
                 "alerting.route.group_by[0]", 6, "not a label name");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    continue: true\n",
                 "alerting.route.continue", 6, "child routes");
  ExpectOneError("alerting:\n" + recv + "  route:\n    receiver: r\n    repeat_intervall: 1h\n",
                 "alerting.route.repeat_intervall", 6, "did you mean 'repeat_interval'?");
}

TEST(ConfigAlertingTest, InhibitAndDeliveryMistakes) {
  ExpectOneError("alerting:\n  inhibit_rules:\n    - target_matchers: [rule=no_txn]\n",
                 "alerting.inhibit_rules[0]", 3, "missing 'source_matchers'");
  ExpectOneError("alerting:\n  inhibit_rules:\n    - source_matchers: [rule=a]\n"
                 "      target_matchers: [rule=b]\n      equal: [1x]\n",
                 "alerting.inhibit_rules[0].equal[0]", 5, "not a label name");
  ExpectOneError("alerting:\n  auto_inhibit_service_system: maybe\n",
                 "alerting.auto_inhibit_service_system", 2, "expected true or false");
  ExpectOneError("alerting:\n  delivery: {retry_initial: 1m, retry_max: 10s}\n",
                 "alerting.delivery.retry_max", 2, "shorter than retry_initial");
  ExpectOneError("alerting:\n  delivery:\n    timeout: 0s\n", "alerting.delivery.timeout", 3,
                 "longer than 0");
  ExpectOneError("alerting:\n  delivery:\n    max_age: forever\n", "alerting.delivery.max_age", 3,
                 "expected a duration");
  ExpectOneError("alerting:\n  recievers: {}\n", "alerting.recievers", 2,
                 "did you mean 'receivers'?");
  ExpectOneError("alerting: [1]\n", "alerting", 1, "expected a map");
}

TEST(ConfigAlertingTest, SeveralErrorsAtOnce) {
  ConfigLoad load = LoadConfigText(
      "alerting:\n"
      "  receivers:\n"
      "    r: {webhook: {url: 'gopher://x'}}\n"
      "  route:\n"
      "    receiver: q\n"
      "    group_wait: x\n");
  ASSERT_EQ(load.errors.size(), 3u) << All(load);
  EXPECT_EQ(load.errors[0].line, 3);
  EXPECT_EQ(load.errors[1].line, 5);
  EXPECT_EQ(load.errors[2].line, 6);
}

}  // namespace
}  // namespace vigil
