// The alerting pipeline over a real SQLite store with a hand-driven clock: labels, routing,
// group_wait / group_interval / repeat_interval, resolved messages, idempotent events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/alerting.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using namespace testing_support;

class GroupingTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(std::string(kCodes) + kRouting); }

  void Start(const std::string& yaml) {
    alerting_.reset();
    config_ = LoadYaml(yaml);
    auto a = Alerting::Create(config_, store_.get(), &clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    alerting_ = *std::move(a);
  }

  // Commits `events` at the clock's minute and hands them over.
  void Fire(std::vector<store::AlertEventRow> events) {
    const TimeMs at = events.front().at;  // before `events` is moved from
    alerting_->OnCommitted(Commit(store_.get(), at, std::move(events)));
  }

  void Advance(TimeMs ms) {
    clock_.Advance(ms);
    alerting_->Tick(clock_.Now());
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  Config config_;
  std::unique_ptr<Alerting> alerting_;
};

TEST_F(GroupingTest, LabelsComeFromTheKeyTheEventAndTheCodeConfig) {
  auto batch = Event(kT0, true, "batch", {{"step", "EOD"}, {"day", "2026-11-20"}}, "critical");
  auto j = nlohmann::json::parse(batch.json);
  j["txn"] = "B001";  // batch events carry their code outside the key
  batch.json = j.dump();
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "100404"}}),
        Event(kT0, true, "service_success", {{"txn", "A001"}, {"svc_sys", "CARD"}}),
        std::move(batch)});
  std::vector<AlertStatus> active = alerting_->Active();
  ASSERT_EQ(active.size(), 3u);
  std::map<std::string, Labels> by_rule;
  for (const auto& a : active) by_rule[a.rule] = a.labels;
  EXPECT_EQ(by_rule["ret_ratio"], (Labels{{"rule", "ret_ratio"},
                                          {"severity", "warning"},
                                          {"txn", "A001"},
                                          {"ret", "100404"},
                                          {"sys", "MBNK"},
                                          {"name", "查询挂账"},
                                          {"svc_sys", "ACCT"}}));
  // The key's own service system wins over the code's configured one.
  EXPECT_EQ(by_rule["service_success"]["svc_sys"], "CARD");
  EXPECT_EQ(by_rule["batch"]["txn"], "B001");
  EXPECT_EQ(by_rule["batch"]["step"], "EOD");
  EXPECT_EQ(by_rule["batch"]["day"], "2026-11-20");
  EXPECT_EQ(by_rule["batch"]["svc_sys"], "CORE");
  EXPECT_EQ(active[0].annotations.at("value"), "0.95");
  EXPECT_EQ(active[0].annotations.at("threshold"), "0.99");
  EXPECT_EQ(active[0].state, "active");
  EXPECT_EQ(active[0].fingerprint.size(), 16u);
}

TEST_F(GroupingTest, GroupWaitThenOneMessagePerGroup) {
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "100404"}}),
        Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "100500"}}),
        Event(kT0, true, "system_success", {{"txn", "A002"}})});
  Advance(29 * kSec);
  EXPECT_TRUE(Pending(store_.get()).empty()) << "nothing before group_wait";
  EXPECT_EQ(alerting_->NextFlush(), kT0 + 30 * kSec);
  Advance(1 * kSec);
  std::vector<store::Notification> sent = PendingFor(store_.get(), "hook");
  ASSERT_EQ(sent.size(), 2u);
  std::map<std::string, std::vector<std::string>> rets;
  for (const auto& n : sent) {
    nlohmann::json body = WebhookBody(n);
    EXPECT_EQ(body["status"], "firing");
    EXPECT_EQ(body["receiver"], "hook");
    rets[body["groupLabels"]["rule"]] = AlertLabels(n, "ret");
  }
  EXPECT_THAT(rets["ret_ratio"], UnorderedElementsAre("100404", "100500"));
  EXPECT_THAT(rets["system_success"], ElementsAre(""));
  EXPECT_EQ(alerting_->Stats().enqueued, 2);
  // Nothing new: later ticks within the repeat interval send nothing.
  Advance(5 * kMin);
  Advance(5 * kMin);
  EXPECT_EQ(Pending(store_.get()).size(), 2u);
}

TEST_F(GroupingTest, NewAlertsWaitForTheGroupIntervalAndRepeatsComeAfterRepeatInterval) {
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "100404"}})});
  Advance(30 * kSec);  // first message at T0+30s
  ASSERT_EQ(Pending(store_.get()).size(), 1u);
  clock_.Set(kT0 + 1 * kMin);
  Fire({Event(kT0 + kMin, true, "ret_ratio", {{"txn", "A001"}, {"ret", "100500"}})});
  Advance(4 * kMin);  // T0+5m: group_interval since the first message not yet over
  EXPECT_EQ(Pending(store_.get()).size(), 1u);
  Advance(30 * kSec);  // T0+5m30s
  std::vector<store::Notification> sent = Pending(store_.get());
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_THAT(AlertLabels(sent[1], "ret"), ElementsAre("100404", "100500"));  // oldest first

  // Unchanged for 4h: one repeat, with the same alerts, then quiet again.
  for (int i = 0; i < 47; ++i) Advance(5 * kMin);  // T0+4h
  EXPECT_EQ(Pending(store_.get()).size(), 2u);
  Advance(5 * kMin);  // 4h05m30s: more than 4h after the second message
  sent = Pending(store_.get());
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_THAT(AlertLabels(sent[2], "ret"), ElementsAre("100404", "100500"));
  EXPECT_NE(sent[2].dedup_key, sent[1].dedup_key);
  Advance(5 * kMin);
  EXPECT_EQ(Pending(store_.get()).size(), 3u);
}

TEST_F(GroupingTest, ResolvedAlertsAreToldAtTheNextIntervalAndTheGroupEnds) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}),
        Event(kT0, true, "no_txn", {{"txn", "A002"}})});
  Advance(30 * kSec);
  ASSERT_EQ(PendingFor(store_.get(), "hook").size(), 1u);
  ASSERT_EQ(PendingFor(store_.get(), "quiet").size(), 1u);
  clock_.Set(kT0 + 2 * kMin);
  Fire({Event(kT0 + 2 * kMin, false, "system_success", {{"txn", "A001"}}),
        Event(kT0 + 2 * kMin, false, "no_txn", {{"txn", "A002"}})});
  EXPECT_TRUE(alerting_->Active().empty());
  Advance(3 * kMin);  // T0+5m: not yet (group_interval from T0+30s)
  EXPECT_EQ(Pending(store_.get()).size(), 2u);
  Advance(30 * kSec);
  std::vector<store::Notification> hook = PendingFor(store_.get(), "hook");
  ASSERT_EQ(hook.size(), 2u);
  nlohmann::json body = WebhookBody(hook[1]);
  EXPECT_EQ(body["status"], "resolved");
  EXPECT_EQ(body["alerts"][0]["status"], "resolved");
  EXPECT_EQ(body["alerts"][0]["endsAt"], "2026-11-20T15:02:00.000+08:00");
  EXPECT_EQ(body["alerts"][0]["startsAt"], "2026-11-20T15:00:00.000+08:00");
  EXPECT_THAT(body["alerts"][0]["annotations"]["summary"].get<std::string>(),
              ::testing::HasSubstr("back to normal"));
  // send_resolved: false: the quiet receiver is not told.
  EXPECT_EQ(PendingFor(store_.get(), "quiet").size(), 1u);
  // Both groups are over: nothing left to flush, nothing stored.
  EXPECT_FALSE(alerting_->NextFlush().has_value());
  EXPECT_TRUE(store_->GroupStates()->empty());

  // The same alert firing again is a new episode: told again after group_wait.
  clock_.Set(kT0 + 10 * kMin);
  Fire({Event(kT0 + 10 * kMin, true, "no_txn", {{"txn", "A002"}})});
  Advance(30 * kSec);
  EXPECT_EQ(PendingFor(store_.get(), "quiet").size(), 2u);
}

TEST_F(GroupingTest, RoutesMatchInOrderAndContinue) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}, "critical"),
        Event(kT0, true, "system_success", {{"txn", "A002"}}, "warning"),
        Event(kT0, true, "no_txn", {{"txn", "B001"}}, "critical")});
  Advance(30 * kSec);
  // critical: crit, and (continue) any later sibling that matches too; the root only takes
  // what no child took.
  std::vector<std::string> crit_txns;
  for (const auto& n : PendingFor(store_.get(), "crit")) {
    for (const auto& t : AlertLabels(n, "txn")) crit_txns.push_back(t);
  }
  EXPECT_THAT(crit_txns, UnorderedElementsAre("A001", "B001"));
  ASSERT_EQ(PendingFor(store_.get(), "hook").size(), 1u);
  EXPECT_THAT(AlertLabels(PendingFor(store_.get(), "hook")[0], "txn"), ElementsAre("A002"));
  ASSERT_EQ(PendingFor(store_.get(), "quiet").size(), 1u);
  EXPECT_THAT(AlertLabels(PendingFor(store_.get(), "quiet")[0], "txn"), ElementsAre("B001"));
  for (const auto& a : alerting_->Active()) {
    const std::string& txn = a.labels.at("txn");
    if (txn == "A001") {
      EXPECT_THAT(a.receivers, ElementsAre("crit"));
    }
    if (txn == "A002") {
      EXPECT_THAT(a.receivers, ElementsAre("hook"));
    }
    if (txn == "B001") {
      EXPECT_THAT(a.receivers, ElementsAre("crit", "quiet"));
    }
  }
}

TEST_F(GroupingTest, EventsHandedOverTwiceChangeNothing) {
  auto events = Commit(store_.get(), kT0, {Event(kT0, true, "system_success", {{"txn", "A001"}})});
  alerting_->OnCommitted(events);
  clock_.Set(kT0 + 10 * kSec);
  alerting_->OnCommitted(events);
  Advance(20 * kSec);
  std::vector<store::Notification> sent = Pending(store_.get());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(WebhookBody(sent[0])["alerts"].size(), 1u);
  alerting_->OnCommitted(events);  // after the message: still nothing new
  Advance(5 * kMin);
  EXPECT_EQ(Pending(store_.get()).size(), 1u);
  ASSERT_EQ(alerting_->Active().size(), 1u);
  EXPECT_EQ(alerting_->Active()[0].starts_at, kT0);
  // A resolve for an alert never seen is ignored.
  alerting_->OnCommitted({Event(kT0 + 6 * kMin, false, "system_success", {{"txn", "A002"}})});
  EXPECT_EQ(alerting_->Active().size(), 1u);
}

TEST_F(GroupingTest, GroupByEveryLabelAndNoGrouping) {
  Start(std::string(kCodes) + R"(alerting:
  receivers:
    each: {webhook: {url: "http://127.0.0.1:9/each"}}
    all: {webhook: {url: "http://127.0.0.1:9/all"}}
  route:
    receiver: all
    group_wait: 0s
    routes:
      - {matchers: ["rule=ret_ratio"], receiver: each, group_by: ["..."], continue: true}
)");
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "1"}}),
        Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "2"}}),
        Event(kT0, true, "system_success", {{"txn", "A001"}}),
        Event(kT0, true, "system_success", {{"txn", "A002"}})});
  Advance(0);
  EXPECT_EQ(PendingFor(store_.get(), "each").size(), 2u);  // one group per alert
  ASSERT_EQ(PendingFor(store_.get(), "all").size(), 1u);   // one group for the rest
  EXPECT_EQ(WebhookBody(PendingFor(store_.get(), "all")[0])["alerts"].size(), 2u);
  EXPECT_TRUE(WebhookBody(PendingFor(store_.get(), "all")[0])["groupLabels"].empty());
}

TEST_F(GroupingTest, WithoutARouteAlertsAreTrackedButNobodyIsTold) {
  Start(kCodes);
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  Advance(10 * kMin);
  EXPECT_EQ(alerting_->Active().size(), 1u);
  EXPECT_TRUE(alerting_->Active()[0].receivers.empty());
  EXPECT_TRUE(Pending(store_.get()).empty());
  EXPECT_FALSE(alerting_->NextFlush().has_value());
}

TEST_F(GroupingTest, EnqueuedCallbackRunsWhenSomethingWasQueued) {
  int calls = 0;
  alerting_->SetOnEnqueued([&] { ++calls; });
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  Advance(10 * kSec);
  EXPECT_EQ(calls, 0);
  Advance(20 * kSec);
  EXPECT_EQ(calls, 1);
  Advance(5 * kMin);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace vigil::alerting
