// Alert events, their abnormal records, each alert's state and the checkpoint.
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'020'000 - 1'795'000'020'000 % kMsPerMinute;
constexpr TimeMs Min(int n) { return kT0 + n * kMsPerMinute; }

AlertEventRow Event(TimeMs at, bool firing, const std::string& rule, const std::string& txn,
                    const std::string& severity = "critical") {
  AlertEventRow e;
  e.at = at;
  e.firing = firing;
  e.rule = rule;
  e.key_json = R"({"txn":")" + txn + R"("})";
  e.severity = severity;
  e.json = R"({"at":)" + std::to_string(at) + R"(,"rule":")" + rule + R"(","txn":")" + txn +
           R"(","status":")" + (firing ? "firing" : "resolved") + R"("})";
  return e;
}

std::vector<int64_t> Ids(const std::vector<AlertEventRow>& events) {
  std::vector<int64_t> ids;
  for (const auto& e : events) ids.push_back(e.id);
  return ids;
}

TEST_P(StoreTest, CheckpointIsAbsentUntilTheFirstCommit) {
  EXPECT_EQ(Must(store().Checkpoint()), std::nullopt);
  std::vector<AlertEventRow> none;
  EXPECT_OK(store().CommitMinute(Min(0), &none));
  EXPECT_EQ(Must(store().Checkpoint()), Min(0));
  EXPECT_OK(store().CommitMinute(Min(5), &none));
  EXPECT_EQ(Must(store().Checkpoint()), Min(5));
}

TEST_P(StoreTest, CommitMinuteWritesIdsBackAndOpensAlerts) {
  std::vector<AlertEventRow> events = {Event(Min(1), true, "system_success", "A001"),
                                       Event(Min(1), true, "no_txn", "B002", "warning")};
  EXPECT_OK(store().CommitMinute(Min(1), &events));
  EXPECT_GT(events[0].id, 0);
  EXPECT_GT(events[1].id, events[0].id);
  EXPECT_EQ(Must(store().Checkpoint()), Min(1));

  auto states = Must(store().AlertStates(false));
  ASSERT_EQ(states.size(), 2u);
  // Same start: ordered by rule.
  EXPECT_EQ(states[0].rule, "no_txn");
  EXPECT_EQ(states[0].severity, "warning");
  EXPECT_EQ(states[1].rule, "system_success");
  EXPECT_EQ(states[1].key_json, R"({"txn":"A001"})");
  EXPECT_TRUE(states[1].firing);
  EXPECT_EQ(states[1].started_at, Min(1));
  EXPECT_EQ(states[1].updated_at, Min(1));
  EXPECT_EQ(states[1].resolved_at, std::nullopt);
  EXPECT_EQ(states[1].last_event_id, events[0].id);
  EXPECT_EQ(states[1].last_event_json, events[0].json);
}

TEST_P(StoreTest, AlertEpisodesFireResolveAndFireAgain) {
  auto commit = [&](TimeMs at, bool firing, const std::string& severity = "critical") {
    std::vector<AlertEventRow> e = {Event(at, firing, "volume_ratio", "A001", severity)};
    EXPECT_OK(store().CommitMinute(at, &e));
    return e[0].id;
  };
  commit(Min(1), true);
  int64_t escalated = commit(Min(3), true, "emergency");  // still the same episode
  auto states = Must(store().AlertStates(false));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].started_at, Min(1));
  EXPECT_EQ(states[0].updated_at, Min(3));
  EXPECT_EQ(states[0].severity, "emergency");
  EXPECT_EQ(states[0].last_event_id, escalated);

  int64_t resolved = commit(Min(7), false);
  EXPECT_TRUE(Must(store().AlertStates(false)).empty());
  states = Must(store().AlertStates(true, Min(7)));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_FALSE(states[0].firing);
  EXPECT_EQ(states[0].started_at, Min(1));
  EXPECT_EQ(states[0].resolved_at, Min(7));
  EXPECT_EQ(states[0].last_event_id, resolved);
  EXPECT_TRUE(Must(store().AlertStates(true, Min(8))).empty());  // resolved before `since`

  commit(Min(20), true);  // a new episode
  states = Must(store().AlertStates(false));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_TRUE(states[0].firing);
  EXPECT_EQ(states[0].started_at, Min(20));
  EXPECT_EQ(states[0].resolved_at, std::nullopt);
}

TEST_P(StoreTest, EventsOfOneCommitApplyInOrder) {
  std::vector<AlertEventRow> events = {Event(Min(2), true, "r", "X"), Event(Min(2), false, "r", "X")};
  EXPECT_OK(store().CommitMinute(Min(2), &events));
  EXPECT_TRUE(Must(store().AlertStates(false)).empty());
  auto all = Must(store().AlertStates(true, 0));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].resolved_at, Min(2));
  EXPECT_EQ(all[0].last_event_id, events[1].id);
}

TEST_P(StoreTest, ResolvedEventOfAnUnknownAlertRecordsAClosedEpisode) {
  std::vector<AlertEventRow> events = {Event(Min(4), false, "r", "Y")};
  EXPECT_OK(store().CommitMinute(Min(4), &events));
  auto all = Must(store().AlertStates(true, 0));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].firing);
  EXPECT_EQ(all[0].started_at, Min(4));
  EXPECT_EQ(all[0].resolved_at, Min(4));
}

TEST_P(StoreTest, QueryEventsFiltersAndPagesNewestFirst) {
  std::vector<int64_t> all;  // ids in commit order
  for (int m = 0; m < 6; ++m) {
    std::vector<AlertEventRow> events = {Event(Min(m), m % 2 == 0, "system_success", "A001"),
                                         Event(Min(m), true, "no_txn", m < 3 ? "A0010" : "B7")};
    EXPECT_OK(store().CommitMinute(Min(m), &events));
    for (const auto& e : events) all.push_back(e.id);
  }
  auto query = [&](EventQuery q) { return Ids(Must(store().QueryEvents(q))); };
  std::vector<int64_t> newest_first(all.rbegin(), all.rend());
  EXPECT_EQ(query({}), newest_first);

  EventQuery range;
  range.from = Min(2);
  range.to = Min(4);  // [from, to)
  EXPECT_EQ(query(range), (std::vector<int64_t>{all[7], all[6], all[5], all[4]}));

  EventQuery rule;
  rule.rule = "system_success";
  rule.firing = false;
  EXPECT_EQ(query(rule), (std::vector<int64_t>{all[10], all[6], all[2]}));

  // A substring of the key, quotes included: "A001" must not match "A0010".
  EventQuery key;
  key.key_contains = R"("txn":"A001")";
  EXPECT_EQ(query(key), (std::vector<int64_t>{all[10], all[8], all[6], all[4], all[2], all[0]}));
  key.key_contains = "A001";
  EXPECT_EQ(query(key).size(), 9u);

  // Pages of 5, each starting below the last id seen.
  EventQuery page;
  page.limit = 5;
  std::vector<int64_t> paged;
  for (;;) {
    auto ids = query(page);
    if (ids.empty()) break;
    EXPECT_LE(ids.size(), 5u);
    paged.insert(paged.end(), ids.begin(), ids.end());
    page.before_id = ids.back();
  }
  EXPECT_EQ(paged, newest_first);

  EventQuery none;
  none.limit = 0;
  EXPECT_TRUE(query(none).empty());
  EventQuery no_match;
  no_match.rule = "batch_late";
  EXPECT_TRUE(query(no_match).empty());
}

TEST_P(StoreTest, EventJsonAndAbnormalRecordsRoundTripByteForByte) {
  AlertEventRow e = Event(Min(9), true, "abnormal_count", "C3");
  e.json = "{\"rule\": \"abnormal_count\",  \"summary\":\"交易失败 \\u00e9\\n\" ,\"n\":1.50}";
  e.abnormal_records = {R"({"serial":"s1","ret":"E001","desc":"余额不足"})",
                        R"({"serial":"s2","ret":"E002"})", "{}"};
  std::vector<AlertEventRow> events = {e, Event(Min(9), true, "no_txn", "C4")};
  EXPECT_OK(store().CommitMinute(Min(9), &events));

  auto got = Must(store().GetEvent(events[0].id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->json, e.json);
  EXPECT_EQ(got->abnormal_records, e.abnormal_records);
  EXPECT_EQ(got->at, Min(9));
  EXPECT_EQ(got->rule, "abnormal_count");
  EXPECT_EQ(got->key_json, e.key_json);
  EXPECT_TRUE(got->firing);

  auto other = Must(store().GetEvent(events[1].id));
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->abnormal_records.empty());
  EXPECT_EQ(Must(store().GetEvent(events[1].id + 1000)), std::nullopt);

  // Lists carry the event, not its records.
  auto listed = Must(store().QueryEvents({}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].json, e.json);
  EXPECT_TRUE(listed[1].abnormal_records.empty());
}

}  // namespace
}  // namespace vigil::store
