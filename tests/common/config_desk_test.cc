// Tests of the `desk:` section: notify lists name alerting receivers (wherever the sections are
// in the file), and each mistake is reported with its YAML path, its line and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/config.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string All(const ConfigLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += "  " + e.ToString() + "\n";
  return out;
}

constexpr const char* kReceivers = R"(alerting:
  receivers:
    wecom-desk: {wecom: {url_env: VIGIL_WECOM_URL}}
    ops-mail: {email: {to: ops@bank.example, from: vigil@bank.example, smarthost: "smtp:25"}}
    am: {alertmanager: {url: "http://am.example:9093"}}
  route: {receiver: wecom-desk}
)";

void ExpectOneError(const std::string& desk, const std::string& path, int line,
                    const std::string& text, const char* receivers = kReceivers) {
  ConfigLoad load = LoadConfigText(std::string(receivers) + desk);
  ASSERT_EQ(load.errors.size(), 1u) << desk << "\n" << All(load);
  const ConfigError& e = load.errors[0];
  EXPECT_EQ(e.path, path) << e.ToString();
  EXPECT_EQ(e.line, line) << e.ToString();
  EXPECT_THAT(e.message, HasSubstr(text)) << e.ToString();
}

TEST(ConfigDeskTest, FullSectionLoads) {
  ConfigLoad load = LoadConfigText(std::string(kReceivers) + R"(desk:
  notify:
    new_incident: [wecom-desk]
    transfer: [wecom-desk, ops-mail]
    approval: [ops-mail]
    sla: [wecom-desk]
    resolution: []
  language: en
  incident_url: "https://vigil.bank.example/desk/incidents/{id}"
)");
  ASSERT_TRUE(load.ok()) << All(load);
  const DeskConfig& d = load.config.desk;
  EXPECT_THAT(d.notify.new_incident, ElementsAre("wecom-desk"));
  EXPECT_THAT(d.notify.transfer, ElementsAre("wecom-desk", "ops-mail"));
  EXPECT_THAT(d.notify.approval, ElementsAre("ops-mail"));
  EXPECT_THAT(d.notify.sla, ElementsAre("wecom-desk"));
  EXPECT_TRUE(d.notify.resolution.empty());
  EXPECT_EQ(d.language, "en");
  EXPECT_EQ(d.incident_url, "https://vigil.bank.example/desk/incidents/{id}");
}

TEST(ConfigDeskTest, AbsentSectionNotifiesNobodyInChinese) {
  ConfigLoad load = LoadConfigText(kReceivers);
  ASSERT_TRUE(load.ok()) << All(load);
  EXPECT_TRUE(load.config.desk.notify.empty());
  EXPECT_EQ(load.config.desk.language, "zh");
  EXPECT_EQ(load.config.desk.incident_url, "");
}

TEST(ConfigDeskTest, DeskBeforeAlertingInTheFileStillKnowsTheReceivers) {
  ConfigLoad load =
      LoadConfigText("desk:\n  notify: {sla: [ops-mail]}\n" + std::string(kReceivers));
  ASSERT_TRUE(load.ok()) << All(load);
  EXPECT_THAT(load.config.desk.notify.sla, ElementsAre("ops-mail"));
}

TEST(ConfigDeskTest, Mistakes) {
  // kReceivers is 6 lines; "desk:" is line 7.
  ExpectOneError("desk:\n  notify:\n    sla: [wecom-dsk]\n", "desk.notify.sla[0]", 9,
                 "unknown receiver 'wecom-dsk', did you mean 'wecom-desk'?");
  ExpectOneError("desk:\n  notify:\n    approval: [am]\n", "desk.notify.approval[0]", 9,
                 "alertmanager receiver, which takes alerts only");
  ExpectOneError("desk:\n  notify:\n    transfer: [ops-mail, ops-mail]\n",
                 "desk.notify.transfer[1]", 9, "listed twice");
  ExpectOneError("desk:\n  notify:\n    new_incidents: [ops-mail]\n", "desk.notify.new_incidents",
                 9, "new_incident");
  ExpectOneError("desk:\n  language: fr\n", "desk.language", 8, "unknown language 'fr'");
  ExpectOneError("desk:\n  incident_url: vigil.bank.example/{id}\n", "desk.incident_url", 8,
                 "not an http:// or https:// URL");
  ExpectOneError("desk:\n  notify:\n    sla: wecom-desk\n", "desk.notify.sla", 9, "list");
}

TEST(ConfigDeskTest, WithoutReceiversEveryNameIsUnknown) {
  ConfigLoad load = LoadConfigText("desk:\n  notify: {new_incident: [x]}\n");
  ASSERT_EQ(load.errors.size(), 1u) << All(load);
  EXPECT_THAT(load.errors[0].message, HasSubstr("no alerting.receivers are defined"));
}

// An email receiver without `to` serves desk.notify.reporter_email only: each mail goes to the
// reporter's own address.
constexpr const char* kWithReporterMail = R"(alerting:
  receivers:
    wecom-desk: {wecom: {url_env: VIGIL_WECOM_URL}}
    desk-mail: {email: {from: desk@bank.example, smarthost: "smtp:25"}}
  route: {receiver: wecom-desk}
)";

ConfigLoad LoadWithReporterMail(const std::string& rest) {
  return LoadConfigText(std::string(kWithReporterMail) + rest);
}

TEST(ConfigDeskTest, ReporterEmailNamesAnEmailReceiverWhoseToMayBeLeftOut) {
  ConfigLoad load = LoadWithReporterMail(R"(desk:
  notify: {reporter_email: desk-mail}
  reporter_url: "https://vigil.bank.example/m/incidents/{id}"
)");
  ASSERT_TRUE(load.ok()) << All(load);
  EXPECT_EQ(load.config.desk.notify.reporter_email, "desk-mail");
  EXPECT_EQ(load.config.desk.reporter_url, "https://vigil.bank.example/m/incidents/{id}");
  EXPECT_FALSE(load.config.desk.notify.empty());
}

TEST(ConfigDeskTest, ReporterEmailMistakes) {
  auto one = [](const std::string& desk, const std::string& path, int line,
                const std::string& text) {
    ExpectOneError(desk, path, line, text, kWithReporterMail);
  };
  // kWithReporterMail is 5 lines; "desk:" is line 6.
  one("desk:\n  notify: {reporter_email: wecom-desk}\n", "desk.notify.reporter_email", 7,
      "is a wecom receiver; reporter_email mails each reporter at their own address");
  one("desk:\n  notify: {reporter_email: desk-mial}\n", "desk.notify.reporter_email", 7,
      "unknown receiver 'desk-mial', did you mean 'desk-mail'?");
  one("desk:\n  notify: {reporter_email: [desk-mail]}\n", "desk.notify.reporter_email", 7,
      "email receiver");
  one("desk:\n  reporter_url: ftp://x/{id}\n", "desk.reporter_url", 7,
      "not an http:// or https:// URL");
  // Without `to` the receiver has nobody to send an alert or a group's notice to.
  one("desk:\n  notify: {resolution: [desk-mail]}\n", "desk.notify.resolution[0]", 7,
      "receiver 'desk-mail' has no 'to' addresses");
  ConfigLoad routed = LoadConfigText(R"(alerting:
  receivers:
    desk-mail: {email: {from: desk@bank.example, smarthost: "smtp:25"}}
  route:
    receiver: desk-mail
)");
  ASSERT_EQ(routed.errors.size(), 1u) << All(routed);
  EXPECT_EQ(routed.errors[0].line, 5) << routed.errors[0].ToString();
  EXPECT_THAT(routed.errors[0].message, HasSubstr("has no 'to' addresses"));
}

}  // namespace
}  // namespace vigil
