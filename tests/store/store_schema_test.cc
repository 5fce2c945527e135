// Opening: versioned migrations, a newer schema refused, and everything kept across a reopen.
#include "store/migrations.h"
#include "store/sql_store.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr int kLatest = 9;
// Rows schema_migrations has once every step is applied.
const std::string kSteps = std::to_string(SqliteMigrations().size());
constexpr TimeMs kNow = 1'795'000'000'000;

TEST_P(StoreTest, NewDatabaseGetsEveryMigration) {
  EXPECT_EQ(store().schema_version(), kLatest);
  EXPECT_EQ(Must(db_->QueryValue("SELECT COUNT(*) FROM schema_migrations")), kSteps);
  EXPECT_EQ(Must(db_->QueryValue("SELECT MAX(version) FROM schema_migrations")),
            std::to_string(kLatest));
  EXPECT_EQ(PostgresMigrations().size(), SqliteMigrations().size());
  if (GetParam() == "sqlite") {
    EXPECT_EQ(Must(db_->QueryValue("PRAGMA journal_mode")), "wal");
  }
  Reopen();  // nothing left to apply, nothing applied twice
  EXPECT_EQ(store().schema_version(), kLatest);
  EXPECT_EQ(Must(db_->QueryValue("SELECT COUNT(*) FROM schema_migrations")), kSteps);
}

TEST_P(StoreTest, OlderSchemaIsMigratedForwardKeepingItsData) {
  // Start again from an empty database migrated to version 1 only.
  store_.reset();
  ASSERT_OK(db_->Exec("DROP TABLE schema_migrations"));
  if (GetParam() == "sqlite") ASSERT_OK(db_->Exec("DROP TABLE incidents_fts"));  // text index
  for (const char* t : {"incident_messages", "incident_reads", "incident_history", "incident_scripts",
                        "incident_attachments", "incidents", "desk_notifications", "desk_systems",
                        "desk_subcategories", "desk_settings", "audit_log", "api_tokens", "sessions", "user_groups", "users", "alert_ack", "alert_ack_log", "alert_record", "alert_event",
                        "alert_state", "checkpoint", "silence", "notification", "alert_group", "source_offset", "history_code",
                        "history_recon", "history_day", "meta"}) {
    ASSERT_OK(db_->Exec(std::string("DROP TABLE ") + t));
  }
  auto v1 = OpenStoreAtVersion(url_, 1);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ((*v1)->schema_version(), 1);
  EXPECT_OK((*v1)->PutMeta("k", "v"));
  HistoryDay day;
  day.day = 20'000;
  day.codes = {{"A001", {{600, 3}, {601, 4}}}};
  EXPECT_OK((*v1)->PutHistoryDay(day));
  EXPECT_FALSE((*v1)->Checkpoint().ok());  // no alert tables yet
  v1->reset();

  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_EQ(store().schema_version(), kLatest);
  EXPECT_EQ(Must(store().GetMeta("k")), "v");
  auto days = Must(store().LoadHistory(20'000, 20'000));
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].codes[0].minutes, day.codes[0].minutes);
  std::vector<AlertEventRow> none;
  EXPECT_OK(store().CommitMinute(kNow, &none));
}

TEST_P(StoreTest, RefusesADatabaseFromANewerVigil) {
  ASSERT_OK(db_->Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (17, 0)"));
  store_.reset();
  auto s = Store::Open(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string message(s.status().message());
  EXPECT_NE(message.find("schema version 17"), std::string::npos) << message;
  EXPECT_NE(message.find("newer"), std::string::npos) << message;
  EXPECT_NE(message.find("(" + std::to_string(kLatest) + ")"), std::string::npos) << message;
  // Nothing was changed by the refusal.
  EXPECT_EQ(Must(db_->QueryValue("SELECT COUNT(*) FROM schema_migrations")),
            std::to_string(SqliteMigrations().size() + 1));
}

TEST_P(StoreTest, ReopenKeepsEverything) {
  EXPECT_OK(store().PutMeta("instance", "i-7"));
  HistoryDay day;
  day.day = 20'100;
  day.codes = {{"A001", {{0, 1}, {1439, 9}}}};
  day.recon = {{"r", 3.5, std::nullopt}};
  EXPECT_OK(store().PutHistoryDay(day));
  AlertEventRow e;
  e.at = kNow;
  e.rule = "no_txn";
  e.key_json = R"({"txn":"A001"})";
  e.severity = "critical";
  e.json = R"({"x":1})";
  e.abnormal_records = {R"({"serial":"1"})"};
  std::vector<AlertEventRow> events = {e};
  EXPECT_OK(store().CommitMinute(kNow, &events));
  Silence silence;
  silence.matchers = {{"txn", "=", "A001"}};
  silence.ends_at = kNow + 1;
  int64_t silence_id = Must(store().CreateSilence(silence));
  Notification n;
  n.dedup_key = "d";
  n.payload_json = "{}";
  std::vector<Notification> batch = {n};
  EXPECT_OK(store().Enqueue(&batch));
  EXPECT_OK(store().PutGroupState("g", "{}"));
  EXPECT_OK(store().PutOffset("tcp:9000", "-"));

  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Must(store().GetMeta("instance")), "i-7");
  auto days = Must(store().LoadHistory(20'100, 20'100));
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].codes[0].minutes, day.codes[0].minutes);
  EXPECT_EQ(days[0].recon[0].mismatch_count, 3.5);
  EXPECT_EQ(Must(store().Checkpoint()), kNow);
  auto got = Must(store().GetEvent(events[0].id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->abnormal_records, e.abnormal_records);
  EXPECT_EQ(Must(store().AlertStates(false)).size(), 1u);
  auto s = Must(store().GetSilence(silence_id));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->matchers[0].value, "A001");
  EXPECT_EQ(Must(store().Outbox()).pending, 1);
  EXPECT_EQ(Must(store().GetGroupState("g")), "{}");
  EXPECT_EQ(Must(store().GetOffset("tcp:9000")), "-");
  // Ids keep growing after a reopen.
  std::vector<AlertEventRow> more = {e};
  EXPECT_OK(store().CommitMinute(kNow + kMsPerMinute, &more));
  EXPECT_GT(more[0].id, events[0].id);
}

}  // namespace
}  // namespace vigil::store
