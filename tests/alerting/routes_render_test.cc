// The pure parts: matchers, the routing tree (inheritance, order, continue, nesting), group
// keys, inhibition by itself, and the renderings people read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/matchers.h"
#include "alerting/render.h"
#include "alerting/route.h"
#include "alerting/suppression.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_support;

MatcherSet Compile(const std::vector<std::string>& texts) {
  std::vector<LabelMatcher> specs;
  for (const auto& t : texts) specs.push_back(*ParseLabelMatcher(t));
  return *MatcherSet::Compile(specs);
}

TEST(MatchersTest, AlertmanagerSemantics) {
  Labels a = {{"rule", "system_success"}, {"txn", "A001"}, {"severity", "critical"}};
  EXPECT_TRUE(Compile({"severity=critical", "txn=~A0.*"}).Matches(a));
  EXPECT_FALSE(Compile({"txn=~0.*"}).Matches(a)) << "regexes are anchored at the start";
  EXPECT_FALSE(Compile({"txn=~A"}).Matches(a)) << "... and at the end";
  EXPECT_TRUE(Compile({"txn!~B.*|C.*"}).Matches(a));
  EXPECT_FALSE(Compile({"txn!~A.*|C.*"}).Matches(a));
  EXPECT_TRUE(Compile({"rule!=no_txn"}).Matches(a));
  // A missing label is the empty string.
  EXPECT_TRUE(Compile({"ret!=100404"}).Matches(a));
  EXPECT_TRUE(Compile({"ret=\"\""}).Matches(a));
  EXPECT_FALSE(Compile({"ret=~.+"}).Matches(a));
  EXPECT_TRUE(MatcherSet().Matches(a));
  EXPECT_EQ(Compile({"severity=critical", "txn=~A0.*"}).ToString(),
            "{severity=\"critical\",txn=~\"A0.*\"}");
  EXPECT_FALSE(MatcherSet::Compile({{"txn", "=~", "("}}).ok());
}

RouteTree Tree(const std::string& yaml) {
  Config c = LoadYaml(std::string("alerting:\n  receivers:\n") +
                      "    a: {webhook: {url: 'http://x/a'}}\n"
                      "    b: {webhook: {url: 'http://x/b'}}\n"
                      "    c: {webhook: {url: 'http://x/c'}}\n"
                      "    d: {webhook: {url: 'http://x/d'}}\n" +
                      yaml);
  auto t = RouteTree::Build(*c.alerting.route);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

std::vector<std::string> Receivers(const RouteTree& t, const Labels& labels) {
  std::vector<std::string> out;
  for (const Route* r : t.Match(labels)) out.push_back(r->receiver);
  return out;
}

TEST(RoutesTest, FirstMatchWinsUnlessContinueAndTheDeepestRouteTakesIt) {
  RouteTree t = Tree(R"(  route:
    receiver: a
    routes:
      - matchers: [severity=critical]
        receiver: b
        continue: true
        routes:
          - {matchers: [txn=A001], receiver: c}
      - {matchers: [rule=no_txn], receiver: d}
      - {matchers: [rule=no_txn], receiver: a}
)");
  EXPECT_THAT(Receivers(t, {{"severity", "warning"}}), ElementsAre("a"));
  EXPECT_THAT(Receivers(t, {{"severity", "critical"}}), ElementsAre("b"));
  EXPECT_THAT(Receivers(t, {{"severity", "critical"}, {"txn", "A001"}}), ElementsAre("c"));
  EXPECT_THAT(Receivers(t, {{"severity", "critical"}, {"rule", "no_txn"}}), ElementsAre("b", "d"));
  EXPECT_THAT(Receivers(t, {{"rule", "no_txn"}}), ElementsAre("d"));  // first match stops
}

TEST(RoutesTest, ChildrenInheritWhatTheyLeaveUnset) {
  RouteTree t = Tree(R"(  route:
    receiver: a
    group_by: [rule, txn]
    group_wait: 10s
    repeat_interval: 1h
    routes:
      - matchers: [severity=critical]
        group_interval: 1m
        routes:
          - {matchers: [txn=A001], receiver: c, group_by: ["..."]}
          - {matchers: [txn=A001], receiver: d}
)");
  const Route& root = t.root();
  EXPECT_EQ(root.group_interval_ms, kDefaultGroupIntervalMs);
  const Route& crit = *root.children[0];
  EXPECT_EQ(crit.receiver, "a");
  EXPECT_EQ(crit.group_by, (std::vector<std::string>{"rule", "txn"}));
  EXPECT_EQ(crit.group_wait_ms, 10'000);
  EXPECT_EQ(crit.group_interval_ms, 60'000);
  EXPECT_EQ(crit.repeat_interval_ms, 3'600'000);
  const Route& all = *crit.children[0];
  EXPECT_TRUE(all.group_by_all);
  EXPECT_EQ(all.group_interval_ms, 60'000);
  // Ids name the path; siblings with the same matchers are told apart.
  EXPECT_EQ(crit.id, "{}/{severity=\"critical\"}");
  EXPECT_EQ(all.id, "{}/{severity=\"critical\"}/{txn=\"A001\"}");
  EXPECT_NE(crit.children[1]->id, all.id);

  Labels alert = {{"rule", "r"}, {"txn", "A001"}, {"severity", "critical"}, {"sys", "MBNK"}};
  EXPECT_EQ(crit.GroupLabels(alert), (Labels{{"rule", "r"}, {"txn", "A001"}}));
  EXPECT_EQ(all.GroupLabels(alert), alert);
  EXPECT_EQ(crit.GroupKey(crit.GroupLabels(alert)),
            "a:{}/{severity=\"critical\"}:{rule=\"r\",txn=\"A001\"}");
  EXPECT_EQ(root.GroupLabels({{"severity", "x"}}), Labels{}) << "absent group_by labels drop out";
}

TrackedAlert Alert(const std::string& rule, const nlohmann::ordered_json& key,
                   const std::string& summary = "", bool firing = true) {
  CodeCatalog catalog;
  catalog.codes["A001"] = {"MBNK", "查询挂账", "ACCT"};
  catalog.codes["A002"] = {"MBNK", "转账", "ACCT"};
  auto a = AlertFromEvent(Event(kT0, firing, rule, key, "critical", summary), catalog);
  EXPECT_TRUE(a.ok()) << a.status();
  return *a;
}

TEST(InhibitorTest, EqualLabelsMissingOnBothSidesAreEqual) {
  auto inhibitor = Inhibitor::Build({{{{"rule", "=", "system_success"}},
                                      {{"rule", "=~", ".*"}},
                                      {"txn", "ret"}}},
                                    false);
  ASSERT_TRUE(inhibitor.ok());
  TrackedAlert src = Alert("system_success", {{"txn", "A001"}});
  TrackedAlert same_txn = Alert("volume_ratio", {{"txn", "A001"}});
  TrackedAlert with_ret = Alert("ret_ratio", {{"txn", "A001"}, {"ret", "1"}});
  TrackedAlert other = Alert("volume_ratio", {{"txn", "A002"}});
  auto by = inhibitor->Compute({&src, &same_txn, &with_ret, &other});
  EXPECT_THAT(by[same_txn.fingerprint], ElementsAre(src.fingerprint));
  EXPECT_FALSE(by.contains(with_ret.fingerprint)) << "ret differs: '' vs '1'";
  EXPECT_FALSE(by.contains(other.fingerprint));
  EXPECT_FALSE(by.contains(src.fingerprint)) << "an alert never inhibits itself";
}

TEST(RenderTest, TitlesSayStatusCountAndWhat) {
  TrackedAlert a1 = Alert("system_success", {{"txn", "A001"}}, "A001 查询挂账 system success low");
  TrackedAlert a2 = Alert("ret_ratio", {{"txn", "A001"}, {"ret", "1"}});
  TrackedAlert r1 = Alert("no_txn", {{"txn", "A002"}}, "", false);
  Message m{"hook", "k", {}, {&a1}, {}, kT0, kDefaultRepeatIntervalMs};
  EXPECT_EQ(Title(m), "[FIRING:1] A001 查询挂账 system success low");
  m.firing = {&a1, &a2};
  m.group_labels = {{"txn", "A001"}};
  EXPECT_EQ(Title(m), "[FIRING:2] A001 查询挂账");
  m.group_labels = {};
  EXPECT_EQ(Title(m), "[FIRING:2] A001 ACCT 查询挂账 MBNK");  // what they share
  m.firing = {};
  m.resolved = {&r1, &r1};
  EXPECT_THAT(Title(m), HasSubstr("[RESOLVED:2]"));
}

TEST(RenderTest, RobotMarkdownIsCutAtACharacterBoundary) {
  std::vector<TrackedAlert> many;
  for (int i = 0; i < 30; ++i) {
    many.push_back(Alert("ret_ratio", {{"txn", "A001"}, {"ret", std::to_string(i)}},
                         "返回码占比超出范围 " + std::string(200, 'x')));
  }
  Message m{"hook", "k", {{"rule", "ret_ratio"}}, {}, {}, kT0, kDefaultRepeatIntervalMs};
  for (const auto& a : many) m.firing.push_back(&a);
  std::string md = RobotMarkdown(m, absl::UTCTimeZone(), 1000);
  EXPECT_LE(md.size(), 1000u);
  EXPECT_TRUE(nlohmann::json(md).dump().size() > 0);  // valid UTF-8, or dump would throw
  std::string full = RobotMarkdown(m, absl::UTCTimeZone(), 100'000);
  EXPECT_THAT(full, HasSubstr("... and 20 more"));
  EXPECT_THAT(full, HasSubstr("**Firing** (30)"));
}

TEST(RenderTest, EmailEscapesHtmlAndListsResolvedAlerts) {
  TrackedAlert bad = Alert("system_success", {{"txn", "A001"}}, "<script>alert(1)</script> & co");
  TrackedAlert done = Alert("no_txn", {{"txn", "A002"}}, "A002 back to normal", false);
  done.starts_at = kT0 - 12 * kMin;
  Message m{"mail", "k", {}, {&bad}, {&done}, kT0, kDefaultRepeatIntervalMs};
  auto tz = *LoadTimeZone("Asia/Shanghai");
  std::string html = EmailHtml(m, tz);
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("Resolved (1)"));
  std::string text = EmailText(m, tz);
  EXPECT_THAT(text, HasSubstr("Firing (1):"));
  EXPECT_THAT(text, HasSubstr("resolved 2026-11-20 15:00:00 +08:00 after 12m"));
}

TEST(RenderTest, PayloadKindsMatchTheirReceivers) {
  TrackedAlert a = Alert("system_success", {{"txn", "A001"}}, "A001 low");
  Message m{"r", "k", {}, {&a}, {}, kT0, kDefaultRepeatIntervalMs};
  auto payload = [&](ReceiverKind kind) {
    return nlohmann::json::parse(RenderPayload(ReceiverConfig{"r", kind, true}, m,
                                               absl::UTCTimeZone()));
  };
  EmailReceiver prefixed;
  prefixed.subject_prefix = "[P]";
  auto email = payload(prefixed);
  EXPECT_EQ(email["kind"], "email");
  EXPECT_EQ(email["subject"], "[P] [FIRING:1] A001 low");
  EXPECT_TRUE(email.contains("text") && email.contains("html"));
  EXPECT_EQ(payload(WecomReceiver{})["body"]["msgtype"], "markdown");
  EXPECT_EQ(payload(DingtalkReceiver{})["body"]["markdown"]["title"], "[FIRING:1] A001 low");
  EXPECT_EQ(payload(FeishuReceiver{})["body"]["msg_type"], "interactive");
  EXPECT_EQ(payload(WebhookReceiver{})["body"]["version"], "4");
  EXPECT_TRUE(payload(AlertmanagerReceiver{})["body"].is_array());
}

}  // namespace
}  // namespace vigil::alerting
