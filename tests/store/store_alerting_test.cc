// What alerting keeps: silences and the notification outbox; and that a failing call leaves
// nothing behind.
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kNow = 1'795'000'000'000;

Silence MakeSilence(TimeMs starts, TimeMs ends, const std::string& comment) {
  Silence s;
  s.matchers = {{"rule", "=", "no_txn"}, {"txn", "=~", "A0.*"}, {"severity", "!=", "info"}};
  s.starts_at = starts;
  s.ends_at = ends;
  s.created_by = "ops@bank";
  s.comment = comment;
  s.created_at = kNow;
  s.updated_at = kNow;
  return s;
}

void ExpectSameSilence(const Silence& got, const Silence& want) {
  EXPECT_EQ(got.id, want.id);
  ASSERT_EQ(got.matchers.size(), want.matchers.size());
  for (size_t i = 0; i < got.matchers.size(); ++i) {
    EXPECT_EQ(got.matchers[i].name, want.matchers[i].name);
    EXPECT_EQ(got.matchers[i].op, want.matchers[i].op);
    EXPECT_EQ(got.matchers[i].value, want.matchers[i].value);
  }
  EXPECT_EQ(got.starts_at, want.starts_at);
  EXPECT_EQ(got.ends_at, want.ends_at);
  EXPECT_EQ(got.created_by, want.created_by);
  EXPECT_EQ(got.comment, want.comment);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

std::vector<int64_t> SilenceIds(const std::vector<Silence>& list) {
  std::vector<int64_t> ids;
  for (const auto& s : list) ids.push_back(s.id);
  return ids;
}

TEST_P(StoreTest, SilencesCreateGetUpdateList) {
  Silence a = MakeSilence(kNow - 1000, kNow + 3'600'000, "maintenance 维护");
  a.id = Must(store().CreateSilence(a));
  EXPECT_GT(a.id, 0);
  auto got = Must(store().GetSilence(a.id));
  ASSERT_TRUE(got.has_value());
  ExpectSameSilence(*got, a);

  a.matchers = {{"txn", "!~", "B.*"}};
  a.comment = "extended";
  a.ends_at = kNow + 7'200'000;
  a.updated_at = kNow + 5;
  EXPECT_OK(store().UpdateSilence(a));
  got = Must(store().GetSilence(a.id));
  ASSERT_TRUE(got.has_value());
  ExpectSameSilence(*got, a);

  Silence missing = a;
  missing.id = a.id + 100;
  EXPECT_EQ(store().UpdateSilence(missing).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Must(store().GetSilence(a.id + 100)), std::nullopt);

  // Active, pending and ended: the list at `now` keeps the first two.
  Silence pending = MakeSilence(kNow + 60'000, kNow + 120'000, "pending");
  pending.id = Must(store().CreateSilence(pending));
  Silence ended = MakeSilence(kNow - 120'000, kNow - 60'000, "ended");
  ended.id = Must(store().CreateSilence(ended));
  EXPECT_EQ(SilenceIds(Must(store().ListSilences(kNow, false))),
            (std::vector<int64_t>{a.id, pending.id}));
  EXPECT_EQ(SilenceIds(Must(store().ListSilences(kNow, true))),
            (std::vector<int64_t>{ended.id, a.id, pending.id}));
  // ends_at == now is over.
  EXPECT_EQ(SilenceIds(Must(store().ListSilences(kNow + 120'000, false))),
            (std::vector<int64_t>{a.id}));
}

TEST_P(StoreTest, ExpireSilenceEndsItNow) {
  Silence active = MakeSilence(kNow - 1000, kNow + 3'600'000, "active");
  active.id = Must(store().CreateSilence(active));
  Silence pending = MakeSilence(kNow + 60'000, kNow + 120'000, "pending");
  pending.id = Must(store().CreateSilence(pending));
  Silence ended = MakeSilence(kNow - 120'000, kNow - 60'000, "ended");
  ended.id = Must(store().CreateSilence(ended));

  for (int64_t id : {active.id, pending.id, ended.id}) EXPECT_OK(store().ExpireSilence(id, kNow));
  auto a = Must(store().GetSilence(active.id));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->starts_at, kNow - 1000);
  EXPECT_EQ(a->ends_at, kNow);
  EXPECT_EQ(a->updated_at, kNow);
  auto p = Must(store().GetSilence(pending.id));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->starts_at, kNow);
  EXPECT_EQ(p->ends_at, kNow);
  auto e = Must(store().GetSilence(ended.id));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->ends_at, kNow - 60'000);  // already over: unchanged
  EXPECT_EQ(e->updated_at, kNow);
  EXPECT_TRUE(Must(store().ListSilences(kNow, false)).empty());
  EXPECT_EQ(store().ExpireSilence(ended.id + 100, kNow).code(), absl::StatusCode::kNotFound);
}

Notification Note(const std::string& key, TimeMs created, TimeMs next = 0) {
  Notification n;
  n.dedup_key = key;
  n.receiver = "ops-email";
  n.group_key = "{}:{rule=\"no_txn\"}";
  n.payload_json = R"({"subject":"[FIRING] )" + key + R"(","body":"交易量为零"})";
  n.created_at = created;
  n.next_attempt_at = next ? next : created;
  return n;
}

std::vector<std::string> Keys(const std::vector<Notification>& list) {
  std::vector<std::string> keys;
  for (const auto& n : list) keys.push_back(n.dedup_key);
  return keys;
}

TEST_P(StoreTest, EnqueueIsIdempotentOnDedupKey) {
  std::vector<Notification> batch = {Note("k1", kNow), Note("k2", kNow), Note("k3", kNow)};
  EXPECT_OK(store().Enqueue(&batch));
  for (const auto& n : batch) EXPECT_GT(n.id, 0) << n.dedup_key;
  const int64_t k1 = batch[0].id;

  // Again after a "restart", plus one new and one twice in the same batch.
  std::vector<Notification> again = {Note("k1", kNow + 5), Note("k4", kNow + 5), Note("k4", kNow + 6)};
  again[0].payload_json = "changed";
  EXPECT_OK(store().Enqueue(&again));
  EXPECT_EQ(again[0].id, 0);  // skipped: id 0
  EXPECT_GT(again[1].id, 0);
  EXPECT_EQ(again[2].id, 0);
  EXPECT_EQ(Must(store().Outbox()).pending, 4);

  auto due = Must(store().DueNotifications(kNow + 10, 10));
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0].id, k1);
  EXPECT_EQ(due[0].payload_json, batch[0].payload_json);  // the first one kept
  EXPECT_EQ(due[0].state, DeliveryState::kPending);
  EXPECT_EQ(due[0].attempts, 0);
  EXPECT_EQ(due[0].delivered_at, std::nullopt);
}

TEST_P(StoreTest, OutboxDueRetryDeliveredAndGaveUp) {
  std::vector<Notification> batch = {Note("late", kNow + 60'000), Note("old", kNow - 5000),
                                     Note("mid", kNow - 1000), Note("new", kNow)};
  EXPECT_OK(store().Enqueue(&batch));
  EXPECT_EQ(Keys(Must(store().DueNotifications(kNow, 10))),
            (std::vector<std::string>{"old", "mid", "new"}));  // oldest first, not yet due left out
  EXPECT_EQ(Keys(Must(store().DueNotifications(kNow, 2))), (std::vector<std::string>{"old", "mid"}));
  EXPECT_EQ(Must(store().NextAttempt()), kNow - 5000);

  const int64_t old_id = batch[1].id, mid_id = batch[2].id, new_id = batch[3].id;
  EXPECT_OK(store().MarkRetry(old_id, kNow + 30'000, "smtp: 451 try later"));
  EXPECT_OK(store().MarkDelivered(mid_id, kNow + 1));
  EXPECT_OK(store().MarkGaveUp(new_id, "webhook: 400 bad request"));
  EXPECT_TRUE(Must(store().DueNotifications(kNow, 10)).empty());
  EXPECT_EQ(Must(store().NextAttempt()), kNow + 30'000);

  auto due = Must(store().DueNotifications(kNow + 60'000, 10));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].dedup_key, "old");  // created first, still first after its retry
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "smtp: 451 try later");
  EXPECT_EQ(due[0].next_attempt_at, kNow + 30'000);
  EXPECT_EQ(due[1].dedup_key, "late");

  OutboxStats stats = Must(store().Outbox());
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(stats.delivered, 1);
  EXPECT_EQ(stats.gave_up, 1);

  EXPECT_EQ(store().MarkDelivered(9999, kNow).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().MarkRetry(9999, kNow, "x").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().MarkGaveUp(9999, "x").code(), absl::StatusCode::kNotFound);

  EXPECT_OK(store().MarkDelivered(old_id, kNow + 40'000));
  EXPECT_OK(store().MarkDelivered(batch[0].id, kNow + 60'000));
  EXPECT_EQ(Must(store().NextAttempt()), std::nullopt);
  EXPECT_EQ(Must(store().Outbox()).delivered, 3);
}

// A trigger that fails the statement touching `table` when `condition` holds on the new row:
// the way to make a call fail half-way through.
void AddFailingTrigger(StoreTest* t, TestDatabase& db, const std::string& table,
                       const std::string& condition) {
  if (t->GetParam() == "sqlite") {
    ASSERT_OK(db.Exec("CREATE TRIGGER boom BEFORE INSERT ON " + table + " WHEN " + condition +
                      " BEGIN SELECT RAISE(ABORT, 'boom'); END"));
  } else {
    ASSERT_OK(db.Exec("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " +
                      condition + " THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$"));
    ASSERT_OK(db.Exec("CREATE TRIGGER boom BEFORE INSERT ON " + table +
                      " FOR EACH ROW EXECUTE FUNCTION boom()"));
  }
}

TEST_P(StoreTest, EnqueueIsAllOrNothing) {
  ASSERT_NO_FATAL_FAILURE(AddFailingTrigger(this, *db_, "notification", "NEW.dedup_key = 'bad'"));
  std::vector<Notification> batch = {Note("k1", kNow), Note("bad", kNow), Note("k3", kNow)};
  EXPECT_FALSE(store().Enqueue(&batch).ok());
  EXPECT_EQ(Must(store().Outbox()).pending, 0);
  EXPECT_TRUE(Must(store().DueNotifications(kNow, 10)).empty());
}

TEST_P(StoreTest, CommitMinuteIsAllOrNothing) {
  std::vector<AlertEventRow> ok(1);
  ok[0].at = kNow;
  ok[0].rule = "r";
  ok[0].key_json = "{}";
  EXPECT_OK(store().CommitMinute(kNow, &ok));
  ASSERT_NO_FATAL_FAILURE(AddFailingTrigger(this, *db_, "alert_record", "NEW.json = 'bad'"));
  std::vector<AlertEventRow> events(2);
  for (auto& e : events) {
    e.at = kNow + kMsPerMinute;
    e.rule = "r2";
    e.key_json = R"({"txn":"Z"})";
  }
  events[1].abnormal_records = {"{}", "bad"};
  EXPECT_FALSE(store().CommitMinute(kNow + kMsPerMinute, &events).ok());
  EXPECT_EQ(Must(store().Checkpoint()), kNow);  // the checkpoint did not move
  EXPECT_EQ(Must(store().QueryEvents({})).size(), 1u);
  EXPECT_EQ(Must(store().AlertStates(true, 0)).size(), 1u);
}

}  // namespace
}  // namespace vigil::store
