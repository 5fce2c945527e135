// What survives a restart (a new Alerting on the same store) and a reload: nothing is sent
// twice, nothing is forgotten, and a crash between enqueueing a message and recording it does
// not send it twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/alerting.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using namespace testing_support;

class RestartTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(const std::string& alerting_yaml = kRouting) {
    alerting_.reset();  // the "crash": nothing is flushed on the way out
    config_ = LoadYaml(std::string(kCodes) + alerting_yaml);
    auto a = Alerting::Create(config_, store_.get(), &clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    alerting_ = *std::move(a);
  }

  std::vector<store::AlertEventRow> Fire(std::vector<store::AlertEventRow> events) {
    const TimeMs at = events.front().at;  // before `events` is moved from
    auto committed = Commit(store_.get(), at, std::move(events));
    alerting_->OnCommitted(committed);
    return committed;
  }

  void Advance(TimeMs ms) {
    clock_.Advance(ms);
    alerting_->Tick(clock_.Now());
  }

  std::vector<std::string> Statuses() {
    std::vector<std::string> out;
    for (const auto& n : Pending(store_.get())) out.push_back(WebhookBody(n)["status"]);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  Config config_;
  std::unique_ptr<Alerting> alerting_;
};

TEST_F(RestartTest, SentAlertsAreNeitherResentNorForgotten) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  Advance(30 * kSec);
  ASSERT_EQ(Statuses(), (std::vector<std::string>{"firing"}));
  Start();
  ASSERT_EQ(alerting_->Active().size(), 1u);
  EXPECT_EQ(alerting_->Active()[0].starts_at, kT0);
  EXPECT_EQ(alerting_->NextFlush(), kT0 + 5 * kMin + 30 * kSec);  // the timer survived
  Advance(5 * kMin);
  Advance(5 * kMin);
  EXPECT_EQ(Statuses(), (std::vector<std::string>{"firing"}));
  clock_.Set(kT0 + 11 * kMin);
  Fire({Event(kT0 + 11 * kMin, false, "system_success", {{"txn", "A001"}})});
  Advance(5 * kMin);
  EXPECT_EQ(Statuses(), (std::vector<std::string>{"firing", "resolved"}));
}

TEST_F(RestartTest, AResolveCommittedWhileAlertingWasDownIsStillTold) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  Advance(30 * kSec);
  alerting_.reset();
  // vigil serve committed the resolve, then stopped before handing it over.
  Commit(store_.get(), kT0 + 2 * kMin,
         {Event(kT0 + 2 * kMin, false, "system_success", {{"txn", "A001"}})});
  clock_.Set(kT0 + 3 * kMin);
  Start();
  EXPECT_TRUE(alerting_->Active().empty());
  Advance(2 * kMin + 30 * kSec);  // the group's next look, T0+5m30s
  EXPECT_EQ(Statuses(), (std::vector<std::string>{"firing", "resolved"}));
  EXPECT_TRUE(store_->GroupStates()->empty());
  // A third start has nothing left to do.
  Start();
  Advance(10 * kMin);
  EXPECT_EQ(Pending(store_.get()).size(), 2u);
}

TEST_F(RestartTest, ARestartDuringGroupWaitKeepsTheWait) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  clock_.Set(kT0 + 10 * kSec);
  Start();
  Advance(19 * kSec);
  EXPECT_TRUE(Pending(store_.get()).empty());
  Advance(1 * kSec);  // T0+30s, as if nothing had happened
  EXPECT_EQ(Pending(store_.get()).size(), 1u);
}

TEST_F(RestartTest, ACrashBetweenEnqueueAndGroupStateSendsOnce) {
  auto events = Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  EXPECT_TRUE(store_->GroupStates()->empty()) << "a group is stored once it has sent";
  Advance(30 * kSec);
  ASSERT_EQ(Pending(store_.get()).size(), 1u);
  auto states = store_->GroupStates();
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1u);
  const std::string key = states->front().first;
  // Take the group state away again, as if the process died right after Enqueue.
  ASSERT_TRUE(store_->DeleteGroupState(key).ok());
  Start();
  alerting_->OnCommitted(events);  // and the minute's events are handed over again
  Advance(0);
  EXPECT_EQ(Pending(store_.get()).size(), 1u);
  EXPECT_EQ(alerting_->Stats().enqueued, 1);  // queued again, kept once by its dedup_key
  auto after = store_->GetGroupState(key);
  ASSERT_TRUE(after.ok() && after->has_value()) << "now recorded";
  Advance(5 * kMin);
  EXPECT_EQ(Pending(store_.get()).size(), 1u);
}

TEST_F(RestartTest, ReloadKeepsAlertsAndTheTimersOfGroupsThatStay) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}, "critical"),
        Event(kT0, true, "system_success", {{"txn", "A002"}})});
  Advance(30 * kSec);
  ASSERT_EQ(PendingFor(store_.get(), "crit").size(), 1u);
  ASSERT_EQ(PendingFor(store_.get(), "hook").size(), 1u);
  // critical alerts now go to a new receiver; the rest is unchanged.
  Config next = LoadYaml(std::string(kCodes) + R"(alerting:
  receivers:
    hook: {webhook: {url: "http://127.0.0.1:9/hook"}}
    pager: {webhook: {url: "http://127.0.0.1:9/pager"}}
  route:
    receiver: hook
    group_by: [rule, txn]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
    routes:
      - {matchers: ["severity=critical"], receiver: pager}
)");
  ASSERT_TRUE(alerting_->Reload(next).ok());
  EXPECT_EQ(alerting_->Active().size(), 2u);
  Advance(30 * kSec);
  EXPECT_EQ(PendingFor(store_.get(), "pager").size(), 1u) << "a new group waits group_wait";
  Advance(10 * kMin);
  EXPECT_EQ(PendingFor(store_.get(), "hook").size(), 1u) << "the kept group sent nothing new";
  EXPECT_EQ(store_->GroupStates()->size(), 2u);  // crit's group is gone

  // A route that does not build leaves the old configuration in place.
  next.alerting.route->routes[0].receiver = "nobody";
  EXPECT_FALSE(alerting_->Reload(next).ok());
  for (const auto& a : alerting_->Active()) {
    if (a.labels.at("txn") == "A001") {
      EXPECT_THAT(a.receivers, ElementsAre("pager"));
    }
  }
}

TEST_F(RestartTest, ReloadRelabelsFromTheNewCodeConfig) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  Config next = config_;
  next.txn_codes["A001"].svc_sys = "CORE";
  next.txn_codes["A001"].name = "查询";
  ASSERT_TRUE(alerting_->Reload(next).ok());
  EXPECT_EQ(alerting_->Active()[0].labels.at("svc_sys"), "CORE");
  EXPECT_EQ(alerting_->Active()[0].labels.at("name"), "查询");
}

}  // namespace
}  // namespace vigil::alerting
