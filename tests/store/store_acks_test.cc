// Acknowledgements of firing alerts: kept with the alert's state while it fires, gone when it
// resolves, refused for alerts that do not fire, and every change in the acknowledgement log.
#include "store/sql_store.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'020'000 - 1'795'000'020'000 % kMsPerMinute;
constexpr TimeMs Min(int n) { return kT0 + n * kMsPerMinute; }

AlertEventRow Event(TimeMs at, bool firing, const std::string& rule, const std::string& txn) {
  AlertEventRow e;
  e.at = at;
  e.firing = firing;
  e.rule = rule;
  e.key_json = R"({"txn":")" + txn + R"("})";
  e.severity = "critical";
  e.json = R"({"rule":")" + rule + R"("})";
  return e;
}

std::string Key(const std::string& txn) { return R"({"txn":")" + txn + R"("})"; }

class StoreAckTest : public StoreTest {
 protected:
  void Commit(TimeMs at, std::vector<AlertEventRow> events) {
    EXPECT_OK(store().CommitMinute(at, &events));
  }
  // The state of the alert `rule` of `txn` (firing or resolved), or a failure.
  AlertStateRow State(const std::string& rule, const std::string& txn) {
    for (AlertStateRow& s : Must(store().AlertStates(true, 0))) {
      if (s.rule == rule && s.key_json == Key(txn)) return s;
    }
    ADD_FAILURE() << "no state for " << rule << " " << txn;
    return {};
  }
  std::vector<AckLogEntry> Log(AckLogQuery q = {}) { return Must(store().QueryAckLog(q)); }
};

TEST_P(StoreAckTest, AcknowledgementIsKeptWithTheFiringAlertAcrossAReopen) {
  Commit(Min(1), {Event(Min(1), true, "system_success", "A001"),
                  Event(Min(1), true, "system_success", "A002")});
  const std::string comment = "正在处理 \"core\" 超时\n换行 é";
  ASSERT_OK(store().AcknowledgeAlert("system_success", Key("A001"), {"zhang", comment, Min(2)}));

  ASSERT_NO_FATAL_FAILURE(Reopen());
  AlertStateRow acked = State("system_success", "A001");
  ASSERT_TRUE(acked.ack.has_value());
  EXPECT_EQ(acked.ack->by, "zhang");
  EXPECT_EQ(acked.ack->comment, comment);  // byte for byte
  EXPECT_EQ(acked.ack->at, Min(2));
  EXPECT_TRUE(acked.firing);
  EXPECT_FALSE(State("system_success", "A002").ack.has_value()) << "only the alert acknowledged";
  // Firing-only listing carries it too (what the alerting pipeline restores from).
  auto firing = Must(store().AlertStates(false));
  ASSERT_EQ(firing.size(), 2u);
  EXPECT_EQ(firing[0].ack.has_value() + firing[1].ack.has_value(), 1);
}

TEST_P(StoreAckTest, AcknowledgingAgainReplacesItAndBothAreLogged) {
  Commit(Min(1), {Event(Min(1), true, "no_txn", "A001")});
  ASSERT_OK(store().AcknowledgeAlert("no_txn", Key("A001"), {"zhang", "looking", Min(2)}));
  ASSERT_OK(store().AcknowledgeAlert("no_txn", Key("A001"), {"li", "", Min(3)}));
  AlertStateRow s = State("no_txn", "A001");
  ASSERT_TRUE(s.ack.has_value());
  EXPECT_EQ(s.ack->by, "li");
  EXPECT_EQ(s.ack->comment, "");
  EXPECT_EQ(s.ack->at, Min(3));
  std::vector<AckLogEntry> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].ack.by, "li");  // newest first
  EXPECT_EQ(log[1].ack.by, "zhang");
  EXPECT_EQ(log[1].ack.comment, "looking");
  EXPECT_EQ(log[1].ack.at, Min(2));
  EXPECT_TRUE(log[0].acknowledged && log[1].acknowledged);
  EXPECT_GT(log[0].id, log[1].id);
  EXPECT_EQ(log[0].rule, "no_txn");
  EXPECT_EQ(log[0].key_json, Key("A001"));
}

TEST_P(StoreAckTest, UnknownAndResolvedAlertsCannotBeAcknowledged) {
  Commit(Min(1), {Event(Min(1), true, "system_success", "A001")});
  Commit(Min(2), {Event(Min(2), false, "system_success", "A001")});
  for (const auto& [rule, key] : std::vector<std::pair<std::string, std::string>>{
           {"system_success", Key("A001")},   // resolved
           {"system_success", Key("A0010")},  // never seen
           {"no_txn", Key("A001")}}) {        // same key, other rule
    absl::Status s = store().AcknowledgeAlert(rule, key, {"zhang", "", Min(3)});
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << rule << " " << key << ": " << s;
    EXPECT_EQ(store().UnacknowledgeAlert(rule, key, {"zhang", "", Min(3)}).status().code(),
              absl::StatusCode::kNotFound);
  }
  EXPECT_TRUE(Log().empty()) << "refused changes are not logged";
  EXPECT_FALSE(State("system_success", "A001").ack.has_value());
}

TEST_P(StoreAckTest, ResolutionClearsItAndTheNextEpisodeStartsUnacknowledged) {
  Commit(Min(1), {Event(Min(1), true, "system_success", "A001")});
  ASSERT_OK(store().AcknowledgeAlert("system_success", Key("A001"), {"zhang", "x", Min(2)}));
  Commit(Min(3), {Event(Min(3), true, "system_success", "A001")});  // still the same episode
  EXPECT_TRUE(State("system_success", "A001").ack.has_value()) << "a repeat firing keeps it";

  Commit(Min(5), {Event(Min(5), false, "system_success", "A001")});
  AlertStateRow resolved = State("system_success", "A001");
  EXPECT_FALSE(resolved.firing);
  EXPECT_FALSE(resolved.ack.has_value());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  Commit(Min(9), {Event(Min(9), true, "system_success", "A001")});
  AlertStateRow again = State("system_success", "A001");
  EXPECT_TRUE(again.firing);
  EXPECT_EQ(again.started_at, Min(9));
  EXPECT_FALSE(again.ack.has_value());
  // The history keeps the acknowledgement of the first episode.
  std::vector<AckLogEntry> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].ack.at, Min(2));
}

TEST_P(StoreAckTest, AStaleAcknowledgementNeverPassesToTheNextEpisode) {
  // On PostgreSQL an acknowledgement can commit just after the resolution that would have
  // removed it. Its row names the episode it was for, which is over.
  Commit(Min(1), {Event(Min(1), true, "system_success", "A001")});
  Commit(Min(2), {Event(Min(2), false, "system_success", "A001")});
  ASSERT_OK(db_->Exec("INSERT INTO alert_ack (rule, key_json, acked_by, comment, acked_at, "
                      "started_at) VALUES ('system_success', '" + Key("A001") + "', 'late', '', " +
                      std::to_string(Min(2)) + ", " + std::to_string(Min(1)) + ")"));
  EXPECT_FALSE(State("system_success", "A001").ack.has_value());
  Commit(Min(5), {Event(Min(5), true, "system_success", "A001")});
  EXPECT_FALSE(State("system_success", "A001").ack.has_value())
      << "the new episode is not acknowledged";
  EXPECT_EQ(Must(store().UnacknowledgeAlert("system_success", Key("A001"), {"li", "", Min(6)})),
            false);
  EXPECT_TRUE(Log().empty());
  ASSERT_OK(store().AcknowledgeAlert("system_success", Key("A001"), {"zhang", "", Min(6)}));
  EXPECT_EQ(State("system_success", "A001").ack->by, "zhang");
}

TEST_P(StoreAckTest, WithdrawingRemovesItAndIsLoggedOnlyWhenThereWasOne) {
  Commit(Min(1), {Event(Min(1), true, "system_success", "A001")});
  EXPECT_EQ(Must(store().UnacknowledgeAlert("system_success", Key("A001"), {"li", "", Min(2)})),
            false);
  EXPECT_TRUE(Log().empty());
  ASSERT_OK(store().AcknowledgeAlert("system_success", Key("A001"), {"zhang", "on it", Min(2)}));
  EXPECT_EQ(Must(store().UnacknowledgeAlert("system_success", Key("A001"),
                                            {"li", "not fixed", Min(4)})),
            true);
  EXPECT_FALSE(State("system_success", "A001").ack.has_value());
  std::vector<AckLogEntry> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_FALSE(log[0].acknowledged);
  EXPECT_EQ(log[0].ack.by, "li");
  EXPECT_EQ(log[0].ack.comment, "not fixed");
  EXPECT_EQ(log[0].ack.at, Min(4));
  EXPECT_TRUE(log[1].acknowledged);
}

TEST_P(StoreAckTest, LogFiltersByTimeRuleAndKeyAndPagesNewestFirst) {
  Commit(Min(0), {Event(Min(0), true, "system_success", "A001"),
                  Event(Min(0), true, "system_success", "A0010"),
                  Event(Min(0), true, "no_txn", "A001")});
  std::vector<int64_t> ids;  // in the order made
  AckLogQuery newest;
  newest.limit = 1;
  auto ack = [&](const std::string& rule, const std::string& txn, int minute) {
    EXPECT_OK(store().AcknowledgeAlert(rule, Key(txn), {"u", "", Min(minute)}));
    ids.push_back(Log(newest)[0].id);
  };
  ack("system_success", "A001", 1);
  ack("system_success", "A0010", 2);
  ack("no_txn", "A001", 3);
  ack("system_success", "A001", 4);
  auto query = [&](const AckLogQuery& q) {
    std::vector<int64_t> out;
    for (const AckLogEntry& e : Log(q)) out.push_back(e.id);
    return out;
  };
  EXPECT_EQ(query({}), (std::vector<int64_t>{ids[3], ids[2], ids[1], ids[0]}));
  AckLogQuery range;
  range.from = Min(2);
  range.to = Min(4);  // [from, to)
  EXPECT_EQ(query(range), (std::vector<int64_t>{ids[2], ids[1]}));
  AckLogQuery rule;
  rule.rule = "no_txn";
  EXPECT_EQ(query(rule), (std::vector<int64_t>{ids[2]}));
  // Quotes included, "A001" must not match "A0010".
  AckLogQuery key;
  key.rule = "system_success";
  key.key_contains = R"("txn":"A001")";
  EXPECT_EQ(query(key), (std::vector<int64_t>{ids[3], ids[0]}));
  std::vector<int64_t> paged;
  AckLogQuery page;
  page.limit = 3;
  for (;;) {
    std::vector<int64_t> got = query(page);
    if (got.empty()) break;
    EXPECT_LE(got.size(), 3u);
    paged.insert(paged.end(), got.begin(), got.end());
    page.before_id = got.back();
  }
  EXPECT_EQ(paged, query({}));
  AckLogQuery none;
  none.limit = 0;
  EXPECT_TRUE(query(none).empty());
}

TEST_P(StoreAckTest, AlertsFiringBeforeTheUpgradeCanBeAcknowledgedAfterIt) {
  // A database of its own as vigil left it before acknowledgements existed (schema version 3),
  // with an alert firing; then opened by this vigil (every later step applied).
  std::unique_ptr<TestDatabase> old;
  if (GetParam() == "sqlite") {
    old = std::make_unique<SqliteTestDatabase>();
  } else {
    old = std::make_unique<PgTestDatabase>();
  }
  const std::string url = Must(old->Create());
  {
    auto v3 = OpenStoreAtVersion(url, 3);
    ASSERT_TRUE(v3.ok()) << v3.status();
    std::vector<AlertEventRow> events = {Event(Min(1), true, "system_success", "A001")};
    ASSERT_OK((*v3)->CommitMinute(Min(1), &events));
  }
  auto upgraded = Store::Open(url);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  Store& st = **upgraded;
  EXPECT_EQ(st.schema_version(), store().schema_version());
  ASSERT_OK(st.AcknowledgeAlert("system_success", Key("A001"), {"zhang", "", Min(2)}));
  auto states = Must(st.AlertStates(false));
  ASSERT_EQ(states.size(), 1u);
  ASSERT_TRUE(states[0].ack.has_value());
  EXPECT_EQ(states[0].ack->by, "zhang");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAckTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
