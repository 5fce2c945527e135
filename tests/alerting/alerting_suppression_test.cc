// Silences (time ranges, API helpers) and inhibition (configured rules and the built-in
// service-system rule) in the pipeline, over a real SQLite store with a hand-driven clock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/alerting.h"
#include "alerting/matchers.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using namespace testing_support;

class SuppressionTest : public ::testing::Test {
 protected:
  void Start(const std::string& alerting_yaml) {
    alerting_.reset();
    auto a = Alerting::Create(LoadYaml(std::string(kCodes) + alerting_yaml), store_.get(), &clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    alerting_ = *std::move(a);
  }

  void Fire(std::vector<store::AlertEventRow> events) {
    const TimeMs at = events.front().at;  // before `events` is moved from
    alerting_->OnCommitted(Commit(store_.get(), at, std::move(events)));
  }

  void Advance(TimeMs ms) {
    clock_.Advance(ms);
    alerting_->Tick(clock_.Now());
  }

  int64_t Silence(const std::vector<std::string>& matchers, TimeMs from, TimeMs to) {
    auto parsed = ParseSilenceMatchers(matchers);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    store::Silence s;
    s.matchers = *parsed;
    s.starts_at = from;
    s.ends_at = to;
    s.created_by = "ops";
    s.comment = "maintenance";
    s.created_at = clock_.Now();
    auto id = store_->CreateSilence(s);
    EXPECT_TRUE(id.ok()) << id.status();
    alerting_->SilencesChanged();
    return *id;
  }

  const AlertStatus* Find(const std::vector<AlertStatus>& all, const std::string& rule,
                          const std::string& txn) {
    for (const auto& a : all) {
      auto t = a.labels.find("txn");
      if (a.rule == rule && (t == a.labels.end() ? "" : t->second) == txn) return &a;
    }
    return nullptr;
  }

  // The (rule, txn) of every alert in every message, in order.
  std::vector<std::string> Told() {
    std::vector<std::string> out;
    for (const auto& n : Pending(store_.get())) {
      const nlohmann::json body = WebhookBody(n);  // kept: the loop must not outlive it
      for (const auto& a : body["alerts"]) {
        out.push_back(a["labels"].value("rule", "") + " " + a["labels"].value("txn", "") + " " +
                      a["status"].get<std::string>());
      }
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  std::unique_ptr<Alerting> alerting_;
};

constexpr const char* kOneRoute = R"(alerting:
  receivers:
    hook: {webhook: {url: "http://127.0.0.1:9/hook"}}
  route: {receiver: hook, group_by: [txn], group_wait: 30s, group_interval: 5m}
)";

TEST_F(SuppressionTest, SilencesMuteOnlyWithinTheirTimeRange) {
  Start(kOneRoute);
  // Starts in 1 minute, lasts 10.
  const int64_t id = Silence({"txn=A001"}, kT0 + kMin, kT0 + 11 * kMin);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  EXPECT_EQ(alerting_->Active().at(0).state, "active");  // not yet in force
  clock_.Set(kT0 + kMin);
  std::vector<AlertStatus> active = alerting_->Active();
  EXPECT_EQ(active.at(0).state, "suppressed");
  EXPECT_THAT(active.at(0).silenced_by, ElementsAre(id));
  EXPECT_THAT(active.at(0).inhibited_by, IsEmpty());
  Advance(0);
  EXPECT_TRUE(Pending(store_.get()).empty()) << "silenced at the first flush";
  Advance(5 * kMin);
  EXPECT_TRUE(Pending(store_.get()).empty());
  // The silence ends at T0+11m; the next look (T0+11m) tells.
  Advance(5 * kMin);
  EXPECT_EQ(alerting_->Active().at(0).state, "active");
  EXPECT_THAT(Told(), ElementsAre("system_success A001 firing"));
}

TEST_F(SuppressionTest, ExpiringASilenceThroughTheStoreTakesEffectOnSilencesChanged) {
  Start(kOneRoute);
  const int64_t id = Silence({"rule=~system_.*", "txn!=A002"}, kT0, kT0 + 60 * kMin);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}),
        Event(kT0, true, "system_success", {{"txn", "A002"}})});
  Advance(30 * kSec);
  EXPECT_THAT(Told(), ElementsAre("system_success A002 firing"));
  ASSERT_TRUE(store_->ExpireSilence(id, clock_.Now()).ok());
  alerting_->SilencesChanged();
  EXPECT_EQ(Find(alerting_->Active(), "system_success", "A001")->state, "active");
  Advance(5 * kMin);
  EXPECT_THAT(Told(), ElementsAre("system_success A002 firing", "system_success A001 firing"));
}

TEST_F(SuppressionTest, PreviewAndValidationForTheApi) {
  Start(kOneRoute);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}),
        Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "9"}}),
        Event(kT0, true, "system_success", {{"txn", "A002"}})});
  auto preview = alerting_->PreviewSilence(*ParseSilenceMatchers({"txn=A001"}));
  ASSERT_TRUE(preview.ok()) << preview.status();
  ASSERT_EQ(preview->size(), 2u);
  EXPECT_EQ((*preview)[0].labels.at("txn"), "A001");
  preview = alerting_->PreviewSilence(*ParseSilenceMatchers({"name=~转.*"}));
  ASSERT_TRUE(preview.ok());
  ASSERT_EQ(preview->size(), 1u);
  EXPECT_EQ((*preview)[0].labels.at("txn"), "A002");

  EXPECT_THAT(std::string(ParseSilenceMatchers({}).status().message()),
              HasSubstr("at least one matcher"));
  EXPECT_THAT(std::string(ParseSilenceMatchers({"txn=~.*"}).status().message()),
              HasSubstr("mute everything"));
  EXPECT_THAT(std::string(ParseSilenceMatchers({"txn!=A001"}).status().message()),
              HasSubstr("mute everything"));
  EXPECT_THAT(std::string(ParseSilenceMatchers({"txn=~(A"}).status().message()),
              HasSubstr("invalid regular expression"));
  EXPECT_FALSE(ValidateSilenceMatchers({{"txn", "=~", "[", }}).ok());
  EXPECT_FALSE(alerting_->PreviewSilence({{"9txn", "=", "A001"}}).ok());
  EXPECT_TRUE(ValidateSilenceMatchers({{"txn", "=", "A001"}, {"ret", "!=", ""}}).ok());
}

TEST_F(SuppressionTest, ConfiguredInhibitRuleWithEqualLabels) {
  Start(std::string(kOneRoute) + R"(  auto_inhibit_service_system: false
  inhibit_rules:
    - source_matchers: ["rule=system_success"]
      target_matchers: ["rule=~business_success|ret_ratio"]
      equal: [txn]
)");
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}),
        Event(kT0, true, "business_success", {{"txn", "A001"}}),
        Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "1"}}),
        Event(kT0, true, "business_success", {{"txn", "A002"}})});
  std::vector<AlertStatus> active = alerting_->Active();
  const AlertStatus* source = Find(active, "system_success", "A001");
  const AlertStatus* target = Find(active, "business_success", "A001");
  ASSERT_TRUE(source && target);
  EXPECT_EQ(source->state, "active");
  EXPECT_EQ(target->state, "suppressed");
  EXPECT_THAT(target->inhibited_by, ElementsAre(source->fingerprint));
  EXPECT_EQ(Find(active, "ret_ratio", "A001")->state, "suppressed");
  EXPECT_EQ(Find(active, "business_success", "A002")->state, "active");  // other txn
  Advance(30 * kSec);
  EXPECT_THAT(Told(), UnorderedElementsAre("system_success A001 firing",
                                           "business_success A002 firing"));
  // The source resolves: the inhibited alerts are told at the next look.
  clock_.Set(kT0 + 2 * kMin);
  Fire({Event(kT0 + 2 * kMin, false, "system_success", {{"txn", "A001"}})});
  EXPECT_EQ(Find(alerting_->Active(), "business_success", "A001")->state, "active");
  Advance(3 * kMin + 30 * kSec);
  std::vector<std::string> told = Told();
  ASSERT_EQ(told.size(), 5u);
  EXPECT_THAT(std::vector<std::string>(told.begin() + 2, told.end()),
              UnorderedElementsAre("business_success A001 firing", "ret_ratio A001 firing",
                                   "system_success A001 resolved"));
}

TEST_F(SuppressionTest, FailingServiceSystemInhibitsItsSymptoms) {
  Start(kOneRoute);
  Fire({Event(kT0, true, "service_success", {{"svc_sys", "ACCT"}}, "critical"),
        Event(kT0, true, "system_success", {{"txn", "A001"}}),    // calls ACCT (config)
        Event(kT0, true, "no_txn", {{"txn", "A002"}}),            // calls ACCT (config)
        Event(kT0, true, "service_success", {{"txn", "A001"}, {"svc_sys", "ACCT"}}),
        Event(kT0, true, "service_success", {{"txn", "A001"}, {"svc_sys", "CARD"}}),
        Event(kT0, true, "system_success", {{"txn", "B001"}})});  // calls CORE
  std::vector<AlertStatus> active = alerting_->Active();
  const AlertStatus* acct = Find(active, "service_success", "");
  ASSERT_NE(acct, nullptr);
  EXPECT_EQ(acct->state, "active");
  for (const auto& a : active) {
    const bool symptom = a.labels.contains("txn") && a.labels.at("svc_sys") == "ACCT";
    EXPECT_EQ(a.state, symptom ? "suppressed" : "active") << a.rule << " " << a.key_json;
    if (symptom) {
      EXPECT_THAT(a.inhibited_by, ElementsAre(acct->fingerprint));
    }
  }
  Advance(30 * kSec);
  EXPECT_THAT(Told(), UnorderedElementsAre("service_success  firing",
                                           "service_success A001 firing",  // (A001, CARD)
                                           "system_success B001 firing"));
}

TEST_F(SuppressionTest, ServiceSystemRuleCanBeSwitchedOff) {
  Start(std::string(kOneRoute) + "  auto_inhibit_service_system: false\n");
  Fire({Event(kT0, true, "service_success", {{"svc_sys", "ACCT"}}),
        Event(kT0, true, "system_success", {{"txn", "A001"}})});
  for (const auto& a : alerting_->Active()) EXPECT_EQ(a.state, "active");
}

TEST_F(SuppressionTest, SilencedSourcesStillInhibit) {
  Start(kOneRoute);
  const int64_t id = Silence({"svc_sys=ACCT", "rule=service_success"}, kT0, kT0 + 60 * kMin);
  Fire({Event(kT0, true, "service_success", {{"svc_sys", "ACCT"}}),
        Event(kT0, true, "system_success", {{"txn", "A001"}})});
  std::vector<AlertStatus> active = alerting_->Active();
  EXPECT_THAT(Find(active, "service_success", "")->silenced_by, ElementsAre(id));
  EXPECT_EQ(Find(active, "system_success", "A001")->state, "suppressed");
  Advance(30 * kSec);
  EXPECT_TRUE(Pending(store_.get()).empty());
  EXPECT_EQ(alerting_->Stats().suppressed, 2);
}

}  // namespace
}  // namespace vigil::alerting
