// Acknowledged alerts in the pipeline, over a real SQLite store and a hand-driven clock: no
// repeat_interval reminders while acknowledged (the unacknowledged alerts of a group are still
// reminded about), resolution still told and clearing the acknowledgement, restarts keep it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/alerting.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using namespace testing_support;

// One receiver; alerts grouped by rule, so the codes of one rule share a group. Looks every
// 5 minutes from 30 s after the first alert; reminders after an hour.
constexpr const char* kAckRouting = R"(alerting:
  receivers:
    hook: {webhook: {url: "http://127.0.0.1:9/hook"}}
  route:
    receiver: hook
    group_by: [rule]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 1h
)";

class AlertingAckTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  // (Re)creates the pipeline on the same store, as a restart of `vigil serve` does.
  void Start() {
    alerting_.reset();
    config_ = LoadYaml(std::string(kCodes) + kAckRouting);
    auto a = Alerting::Create(config_, store_.get(), &clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    alerting_ = *std::move(a);
  }

  void Fire(std::vector<store::AlertEventRow> events) {
    const TimeMs at = events.front().at;
    alerting_->OnCommitted(Commit(store_.get(), at, std::move(events)));
  }
  store::AlertEventRow Firing(const std::string& rule, const std::string& txn) {
    return Event(clock_.Now(), true, rule, {{"txn", txn}});
  }
  store::AlertEventRow Resolved(const std::string& rule, const std::string& txn) {
    return Event(clock_.Now(), false, rule, {{"txn", txn}});
  }

  // What the API does: the store first, then the pipeline is told.
  void Ack(const std::string& rule, const std::string& txn, const std::string& by = "zhang") {
    const std::string key = nlohmann::ordered_json{{"txn", txn}}.dump();
    ASSERT_TRUE(store_->AcknowledgeAlert(rule, key, {by, "looking", clock_.Now()}).ok());
    alerting_->AcknowledgementsChanged();
  }
  void Unack(const std::string& rule, const std::string& txn) {
    const std::string key = nlohmann::ordered_json{{"txn", txn}}.dump();
    auto removed = store_->UnacknowledgeAlert(rule, key, {"li", "", clock_.Now()});
    ASSERT_TRUE(removed.ok()) << removed.status();
    alerting_->AcknowledgementsChanged();
  }

  // Looks at the groups every 5 minutes, `looks` times.
  void Looks(int looks) {
    for (int i = 0; i < looks; ++i) {
      clock_.Advance(5 * kMin);
      alerting_->Tick(clock_.Now());
    }
  }
  void AdvanceTo(TimeMs t) {
    clock_.Set(t);
    alerting_->Tick(t);
  }

  // The messages of the group of `rule`, oldest first.
  std::vector<store::Notification> MessagesAbout(const std::string& rule) {
    std::vector<store::Notification> out;
    for (auto& n : Pending(store_.get())) {
      if (WebhookBody(n)["groupLabels"].value("rule", "") == rule) out.push_back(std::move(n));
    }
    return out;
  }

  std::optional<store::AlertAck> AckOf(const std::string& txn) {
    for (const AlertStatus& a : alerting_->Active()) {
      if (a.labels.at("txn") == txn) return a.acknowledged;
    }
    ADD_FAILURE() << txn << " is not firing";
    return std::nullopt;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  Config config_;
  std::unique_ptr<Alerting> alerting_;
};

TEST_F(AlertingAckTest, AcknowledgedAlertIsNotRemindedAboutUntilWithdrawn) {
  // Two groups: system_success (acknowledged below) and no_txn (the control, reminded).
  Fire({Firing("system_success", "A001"), Firing("no_txn", "B001")});
  AdvanceTo(kT0 + 30 * kSec);
  ASSERT_EQ(MessagesAbout("system_success").size(), 1u);
  ASSERT_EQ(MessagesAbout("no_txn").size(), 1u);
  Ack("system_success", "A001");
  ASSERT_TRUE(AckOf("A001").has_value());
  EXPECT_EQ(AckOf("A001")->by, "zhang");
  EXPECT_EQ(AckOf("A001")->at, kT0 + 30 * kSec);
  EXPECT_FALSE(AckOf("B001").has_value());

  Looks(24);  // two hours
  EXPECT_EQ(MessagesAbout("system_success").size(), 1u) << "no reminder while acknowledged";
  EXPECT_EQ(MessagesAbout("no_txn").size(), 3u) << "the control is reminded every hour";

  // Withdrawn: reminders resume at the next look (the last message is older than an hour),
  // without a message of their own at the withdrawal.
  Unack("system_success", "A001");
  EXPECT_FALSE(AckOf("A001").has_value());
  EXPECT_EQ(MessagesAbout("system_success").size(), 1u);
  Looks(1);
  std::vector<store::Notification> sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_THAT(AlertLabels(sent[1], "txn"), ElementsAre("A001"));
  EXPECT_EQ(WebhookBody(sent[1])["status"], "firing");
}

TEST_F(AlertingAckTest, GroupRemindsOnlyAboutItsUnacknowledgedAlerts) {
  Fire({Firing("system_success", "A001"), Firing("system_success", "A002")});
  AdvanceTo(kT0 + 30 * kSec);
  std::vector<store::Notification> sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(AlertLabels(sent[0], "txn"), UnorderedElementsAre("A001", "A002"));

  Ack("system_success", "A001");
  Looks(12);  // T0+1h00m30s: the reminder names only A002
  sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_THAT(AlertLabels(sent[1], "txn"), ElementsAre("A002"));

  Ack("system_success", "A002");
  Looks(24);
  EXPECT_EQ(MessagesAbout("system_success").size(), 2u) << "all acknowledged: no reminders";

  // A new alert in the group is a change: that message names every firing alert.
  Fire({Firing("system_success", "B001")});
  Looks(1);
  sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_THAT(AlertLabels(sent[2], "txn"), UnorderedElementsAre("A001", "A002", "B001"));
  Looks(12);  // an hour later: reminded about B001 alone
  sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_THAT(AlertLabels(sent[3], "txn"), ElementsAre("B001"));
}

TEST_F(AlertingAckTest, ResolutionIsStillToldAndTheNextEpisodeIsUnacknowledged) {
  Fire({Firing("system_success", "A001")});
  AdvanceTo(kT0 + 30 * kSec);
  Ack("system_success", "A001");
  clock_.Set(kT0 + 2 * kMin);
  Fire({Resolved("system_success", "A001")});
  EXPECT_TRUE(alerting_->Active().empty());
  AdvanceTo(kT0 + 5 * kMin + 30 * kSec);
  std::vector<store::Notification> sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(WebhookBody(sent[1])["status"], "resolved");
  EXPECT_THAT(AlertLabels(sent[1], "txn"), ElementsAre("A001"));
  auto states = store_->AlertStates(true, 0);
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1u);
  EXPECT_FALSE((*states)[0].ack.has_value());

  // Firing again: told after group_wait, unacknowledged, and reminded an hour later.
  clock_.Set(kT0 + 10 * kMin);
  Fire({Firing("system_success", "A001")});
  EXPECT_FALSE(AckOf("A001").has_value());
  AdvanceTo(kT0 + 10 * kMin + 30 * kSec);
  ASSERT_EQ(MessagesAbout("system_success").size(), 3u);
  Looks(12);
  sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(WebhookBody(sent[3])["status"], "firing");
}

TEST_F(AlertingAckTest, AcknowledgementSurvivesARestart) {
  Fire({Firing("system_success", "A001")});
  AdvanceTo(kT0 + 30 * kSec);
  Ack("system_success", "A001", "wang");
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_TRUE(AckOf("A001").has_value());
  EXPECT_EQ(AckOf("A001")->by, "wang");
  EXPECT_EQ(AckOf("A001")->comment, "looking");
  Looks(24);
  EXPECT_EQ(MessagesAbout("system_success").size(), 1u);
}

TEST_F(AlertingAckTest, AcknowledgedBeforeTheFirstMessageIsStillToldOnce) {
  Fire({Firing("system_success", "A001")});
  clock_.Set(kT0 + 10 * kSec);
  Ack("system_success", "A001");  // seen on the console during group_wait
  AdvanceTo(kT0 + 30 * kSec);
  std::vector<store::Notification> sent = MessagesAbout("system_success");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(AlertLabels(sent[0], "txn"), ElementsAre("A001"));
  Looks(24);
  EXPECT_EQ(MessagesAbout("system_success").size(), 1u);
}

TEST_F(AlertingAckTest, AcknowledgedBetweenTheCommitAndTheHandOverIsKept) {
  // `vigil serve` commits a minute, then hands its events over; the API may act in between.
  std::vector<store::AlertEventRow> events =
      Commit(store_.get(), kT0, {Firing("system_success", "A001")});
  Ack("system_success", "A001");
  alerting_->OnCommitted(events);
  ASSERT_TRUE(AckOf("A001").has_value());
  AdvanceTo(kT0 + 30 * kSec);
  Looks(24);
  EXPECT_EQ(MessagesAbout("system_success").size(), 1u);
}

}  // namespace
}  // namespace vigil::alerting
