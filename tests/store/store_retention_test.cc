// Retention (Store::Prune, PruneHistory): rows older than the cut go, oldest first and at most
// a batch per call; what is still in use (a firing alert's episode, pending notifications)
// never does.
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'020'000 - 1'795'000'020'000 % kMsPerMinute;
constexpr TimeMs Min(int n) { return kT0 + n * kMsPerMinute; }

AlertEventRow Event(TimeMs at, bool firing, const std::string& txn, int records = 0) {
  AlertEventRow e;
  e.at = at;
  e.firing = firing;
  e.rule = "system_success";
  e.key_json = R"({"txn":")" + txn + R"("})";
  e.severity = "critical";
  e.json = R"({"txn":")" + txn + R"(","state":")" + (firing ? "firing" : "resolved") + R"("})";
  for (int i = 0; i < records; ++i) {
    e.abnormal_records.push_back(R"({"serial":"S)" + std::to_string(i) + R"("})");
  }
  return e;
}

class StoreRetentionTest : public StoreTest {
 protected:
  // Commits `e` as the events of its own minute; its id.
  int64_t Commit(AlertEventRow e) {
    std::vector<AlertEventRow> rows = {std::move(e)};
    EXPECT_OK(store().CommitMinute(rows[0].at, &rows));
    return rows[0].id;
  }
  int64_t Prune(PruneKind kind, TimeMs before, int limit = 100) {
    return Must(store().Prune(kind, before, limit));
  }
  std::vector<std::string> EventTxns() {
    std::vector<std::string> out;
    for (const AlertEventRow& e : Must(store().QueryEvents({}))) out.push_back(e.json);
    return out;
  }
  Notification Note(const std::string& key, TimeMs created) {
    Notification n;
    n.dedup_key = key;
    n.receiver = "hook";
    n.group_key = "g";
    n.payload_json = "{}";
    n.created_at = created;
    n.next_attempt_at = created;
    return n;
  }
};

TEST_P(StoreRetentionTest, OldEventsGoWithTheirRecordsAndResolvedStatesOldestFirstInBatches) {
  const int64_t a_fire = Commit(Event(Min(0), true, "A001", 3));
  Commit(Event(Min(1), false, "A001"));
  Commit(Event(Min(2), true, "A002"));
  Commit(Event(Min(3), false, "A002"));
  const int64_t recent = Commit(Event(Min(10), true, "A003"));
  Commit(Event(Min(11), false, "A003"));

  // A batch of one: A001's state (resolved before the cut) and its oldest event.
  EXPECT_EQ(Prune(PruneKind::kAlertEvents, Min(5), 1), 2);
  EXPECT_EQ(Must(store().GetEvent(a_fire)), std::nullopt);
  // The rest: A001's resolution, A002's state and both its events.
  EXPECT_EQ(Prune(PruneKind::kAlertEvents, Min(5)), 4);
  EXPECT_EQ(Prune(PruneKind::kAlertEvents, Min(5)), 0);

  std::vector<std::string> left = EventTxns();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[1], R"({"txn":"A003","state":"firing"})");
  EXPECT_TRUE(Must(store().GetEvent(recent)).has_value());
  auto states = Must(store().AlertStates(true, 0));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].key_json, R"({"txn":"A003"})");
  // The abnormal records went with their event: nothing is left to prune.
  EXPECT_EQ(Prune(PruneKind::kAbnormalRecords, Min(100)), 0);
}

TEST_P(StoreRetentionTest, AFiringAlertKeepsItsEpisodeHowEverOld) {
  const int64_t old_fire = Commit(Event(Min(0), true, "A001"));
  Commit(Event(Min(1), false, "A001"));
  const int64_t fire = Commit(Event(Min(2), true, "A001", 2));  // fires ever since

  EXPECT_EQ(Prune(PruneKind::kAlertEvents, Min(1000)), 2);  // the earlier episode only
  EXPECT_EQ(Must(store().GetEvent(old_fire)), std::nullopt);
  EXPECT_EQ(Prune(PruneKind::kAbnormalRecords, Min(1000)), 0);
  auto kept = Must(store().GetEvent(fire));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->abnormal_records.size(), 2u);
  auto states = Must(store().AlertStates(false));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].last_event_json, kept->json);
  EXPECT_EQ(states[0].started_at, Min(2));
}

TEST_P(StoreRetentionTest, AbnormalRecordsGoBeforeTheirEventsWhenKeptShorter) {
  const int64_t first = Commit(Event(Min(0), true, "A001", 4));
  const int64_t resolved = Commit(Event(Min(1), false, "A001"));
  const int64_t later = Commit(Event(Min(20), true, "A001", 2));
  Commit(Event(Min(21), false, "A001"));

  EXPECT_EQ(Prune(PruneKind::kAbnormalRecords, Min(10)), 4);
  EXPECT_EQ(Prune(PruneKind::kAbnormalRecords, Min(10)), 0);
  auto event = Must(store().GetEvent(first));
  ASSERT_TRUE(event.has_value());  // the event stays, without its records
  EXPECT_TRUE(event->abnormal_records.empty());
  EXPECT_TRUE(Must(store().GetEvent(resolved)).has_value());
  EXPECT_EQ(Must(store().GetEvent(later))->abnormal_records.size(), 2u);
}

TEST_P(StoreRetentionTest, OnlyDeliveredAndGivenUpNotificationsGo) {
  std::vector<Notification> batch = {Note("sent", Min(0)), Note("gave-up", Min(1)),
                                     Note("pending", Min(2)), Note("sent-late", Min(3)),
                                     Note("sent-recent", Min(30))};
  ASSERT_OK(store().Enqueue(&batch));
  ASSERT_OK(store().MarkDelivered(batch[0].id, Min(0)));
  ASSERT_OK(store().MarkGaveUp(batch[1].id, "refused"));
  ASSERT_OK(store().MarkDelivered(batch[3].id, Min(25)));  // created before the cut, sent after
  ASSERT_OK(store().MarkDelivered(batch[4].id, Min(30)));

  EXPECT_EQ(Prune(PruneKind::kNotifications, Min(20), 1), 1);
  EXPECT_EQ(Prune(PruneKind::kNotifications, Min(20), 1), 1);
  EXPECT_EQ(Prune(PruneKind::kNotifications, Min(20), 1), 0);
  OutboxStats outbox = Must(store().Outbox());
  EXPECT_EQ(outbox.pending, 1);
  EXPECT_EQ(outbox.delivered, 2);
  EXPECT_EQ(outbox.gave_up, 0);
  // The pending one is still due, however old.
  auto due = Must(store().DueNotifications(Min(100), 10));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].dedup_key, "pending");
}

TEST_P(StoreRetentionTest, AckLogKeepsTheRowsOfAFiringEpisode) {
  const std::string a001 = R"({"txn":"A001"})", a002 = R"({"txn":"A002"})";
  Commit(Event(Min(0), true, "A001"));
  Commit(Event(Min(1), true, "A002"));
  ASSERT_OK(store().AcknowledgeAlert("system_success", a001, AlertAck{"ops", "on it", Min(2)}));
  ASSERT_OK(store().AcknowledgeAlert("system_success", a002, AlertAck{"ops", "mine", Min(3)}));
  Commit(Event(Min(4), false, "A001"));  // A001 resolves; A002 fires on

  EXPECT_EQ(Prune(PruneKind::kAckLog, Min(100)), 1);
  EXPECT_EQ(Prune(PruneKind::kAckLog, Min(100)), 0);
  auto log = Must(store().QueryAckLog({}));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].key_json, a002);
  EXPECT_EQ(Must(store().AlertStates(false))[0].ack->comment, "mine");
}

TEST_P(StoreRetentionTest, NothingGoesWithALimitOfZeroOrACutBeforeEverything) {
  Commit(Event(Min(0), true, "A001", 1));
  Commit(Event(Min(1), false, "A001"));
  EXPECT_EQ(Prune(PruneKind::kAlertEvents, Min(5), 0), 0);
  for (PruneKind k : {PruneKind::kAlertEvents, PruneKind::kAbnormalRecords,
                      PruneKind::kNotifications, PruneKind::kAckLog}) {
    EXPECT_EQ(Prune(k, Min(0)), 0) << PruneKindName(k);
  }
  EXPECT_EQ(EventTxns().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRetentionTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
