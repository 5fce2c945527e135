// The incidents' store (incident_store.h) on both backends: one change in one transaction with
// its history and notifications, the optimistic version check, the queue's filters and keyset
// paging, the conversation with read marks that never move back, scripts, attachment bytes,
// in-app notifications and the settings.
#include <algorithm>

#include "fmt/format.h"
#include "store/sql_store.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000;

class StoreIncidentTest : public StoreTest {
 protected:
  IncidentStore& inc() { return *dynamic_cast<IncidentStore*>(&store()); }

  IncidentRow NewRow(std::string title, int64_t reporter_id = 7) {
    IncidentRow r;
    r.title = std::move(title);
    r.description = "d";
    r.system = "交易";
    r.reporter_id = reporter_id;
    r.reporter = "li";
    r.created_at = r.updated_at = kT0;
    r.first_response_due = kT0 + 60'000;
    r.resolution_due = kT0 + 600'000;
    return r;
  }
  int64_t Create(IncidentRow row) {
    IncidentChange c;
    c.incident = std::move(row);
    c.history.push_back({0, 0, kT0, "li", "create", "", "new", "{}"});
    EXPECT_OK(inc().CommitIncident(&c));
    return c.incident.id;
  }
  int64_t Count(const std::string& table) {
    return std::stoll(Must(db_->QueryValue("SELECT COUNT(*) FROM " + table)));
  }
};

TEST_P(StoreIncidentTest, ACreationKeepsEveryFieldWithItsHistoryAndNotifications) {
  IncidentChange c;
  c.incident = NewRow("股票交易不了 x'); DROP TABLE incidents;--");
  c.incident.description = "<script>alert(1)</script> $1 %";
  c.incident.customer_no = "C0012";
  c.incident.phone = "13812345678";
  c.incident.occurred_at = kT0 - 5;
  c.incident.subcategory_id = 4;
  c.incident.klass = "program";
  c.history.push_back({0, 0, kT0, "li", "create", "", "new", R"({"channel":"mss"})"});
  c.notifications.push_back({0, "zhang", 0, "incident_created",
                             "新事件 " + std::string(kNewIncidentRef), kT0, std::nullopt,
                             "New incident " + std::string(kNewIncidentRef)});
  c.notifications.push_back({0, "wang", 0, "incident_created", "新事件", kT0, std::nullopt});
  ASSERT_OK(inc().CommitIncident(&c));
  const int64_t id = c.incident.id;
  ASSERT_GT(id, 0);
  EXPECT_EQ(c.history[0].incident_id, id);
  EXPECT_GT(c.notifications[1].id, c.notifications[0].id);

  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto got = Must(inc().GetIncident(id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->title, c.incident.title);
  EXPECT_EQ(got->description, "<script>alert(1)</script> $1 %");
  EXPECT_EQ(got->phone, "13812345678");
  EXPECT_EQ(got->occurred_at, kT0 - 5);
  EXPECT_EQ(got->subcategory_id, 4);
  EXPECT_EQ(got->klass, "program");
  EXPECT_EQ(got->status, "new");
  EXPECT_EQ(got->first_response_due, kT0 + 60'000);
  EXPECT_FALSE(got->resolved_at.has_value());
  auto history = Must(inc().ListHistory(id));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].detail_json, R"({"channel":"mss"})");
  EXPECT_EQ(Must(inc().CountUnreadDeskNotifications("zhang")), 1);
  const auto zhang_notes = Must(inc().ListDeskNotifications("zhang", false, 5));
  EXPECT_EQ(zhang_notes.at(0).text, fmt::format("新事件 INC-{:06d}", id))
      << "the new incident's reference, known only at the insert";
  EXPECT_EQ(zhang_notes.at(0).text_en, fmt::format("New incident INC-{:06d}", id))
      << "in English too";
  EXPECT_EQ(Must(inc().ListDeskNotifications("wang", false, 5)).at(0).text_en, "");
  EXPECT_FALSE(Must(inc().GetIncident(id + 1000)).has_value());
}

TEST_P(StoreIncidentTest, AStaleVersionIsAbortedAndWritesNothing) {
  const int64_t id = Create(NewRow("t"));
  IncidentChange a, b;
  a.incident = b.incident = *Must(inc().GetIncident(id));
  a.incident.status = "accepted";
  a.incident.assignee = "zhang";
  a.history.push_back({0, 0, kT0 + 1, "zhang", "accept", "new", "accepted", "{}"});
  ASSERT_OK(inc().CommitIncident(&a));
  EXPECT_EQ(a.incident.version, 1);

  b.incident.status = "accepted";
  b.incident.assignee = "wang";
  b.history.push_back({0, 0, kT0 + 2, "wang", "accept", "new", "accepted", "{}"});
  b.notifications.push_back({0, "li", 0, "status_changed", "x", kT0 + 2, std::nullopt});
  EXPECT_EQ(inc().CommitIncident(&b).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Must(inc().GetIncident(id))->assignee, "zhang");
  EXPECT_EQ(Must(inc().ListHistory(id)).size(), 2u) << "create + the one accept";
  EXPECT_EQ(Count("desk_notifications"), 0);
}

TEST_P(StoreIncidentTest, TheQueueFiltersAndPagesNewestFirst) {
  for (int i = 0; i < 25; ++i) {
    IncidentRow r = NewRow("t" + std::to_string(i), i % 2 ? 7 : 8);
    r.status = i % 3 == 0 ? "accepted" : "new";
    r.priority = i % 4 == 0 ? "P1" : "P3";
    r.group = i % 5 == 0 ? "ops" : "";
    r.sla_state = i == 10 ? "at_risk" : "ok";
    r.first_response_state = i == 11 ? "breached" : "ok";
    r.description = i == 12 ? "委托失败 needle" : "d";
    Create(r);
  }
  IncidentQuery q;
  q.limit = 10;
  std::vector<int64_t> all;
  for (;;) {
    auto page = Must(inc().ListIncidents(q));
    if (page.empty()) break;
    for (const auto& r : page) all.push_back(r.id);
    q.before_id = page.back().id;
  }
  ASSERT_EQ(all.size(), 25u);
  EXPECT_TRUE(std::is_sorted(all.rbegin(), all.rend()));

  q = {};
  q.statuses = {"accepted"};
  q.priority = "P1";
  EXPECT_EQ(Must(inc().ListIncidents(q)).size(), 3u);  // i = 0, 12, 24
  q = {};
  q.statuses = {"new", "accepted"};  // every row: the same pages as no filter
  q.limit = 10;
  q.before_id = all[3];
  auto merged = Must(inc().ListIncidents(q));
  ASSERT_EQ(merged.size(), 10u);
  for (size_t i = 0; i < merged.size(); ++i) EXPECT_EQ(merged[i].id, all[4 + i]);
  q = {};
  q.sla_states = {"at_risk", "breached"};
  EXPECT_EQ(Must(inc().ListIncidents(q)).size(), 2u);
  q = {};
  q.reporter_id = 7;
  EXPECT_EQ(Must(inc().ListIncidents(q)).size(), 12u);
  q = {};
  q.scope_reporter_id = 7;  // a member: own reports or the ops group's (0, 10, 20 are 8's)
  q.scope_groups = {"ops"};
  EXPECT_EQ(Must(inc().ListIncidents(q)).size(), 15u);
  q = {};
  q.contains = "needle";
  auto found = Must(inc().ListIncidents(q));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].title, "t12");
  q.contains = "%";  // a LIKE wildcard is only a character
  EXPECT_TRUE(Must(inc().ListIncidents(q)).empty());
}

TEST_P(StoreIncidentTest, MessagesHideInternalNotesAndReadMarksNeverMoveBack) {
  const int64_t id = Create(NewRow("t"));
  auto incident = *Must(inc().GetIncident(id));
  IncidentChange up;
  up.incident = incident;
  up.attachment = AttachmentRow{0, 0, std::nullopt, "a.png", "image/png", "li", 0, 1, 1,
                                std::string("\x89PNG\0\x01\xff", 7), kT0};
  ASSERT_OK(inc().CommitIncident(&up));
  const int64_t att = up.attachment->id;
  std::vector<int64_t> ids;
  for (const char* kind : {"public", "internal", "public"}) {
    IncidentChange c;
    c.incident = *Must(inc().GetIncident(id));
    c.message = IncidentMessageRow{0, 0, "zhang", "handler", kind, kind, {}, kT0 + 10};
    if (ids.empty()) c.message->attachment_ids = {att};
    ASSERT_OK(inc().CommitIncident(&c));
    ids.push_back(c.message->id);
  }
  auto visible = Must(inc().ListMessages(id, 0, 100, false));
  ASSERT_EQ(visible.size(), 2u);
  EXPECT_EQ(visible[0].attachment_ids, std::vector<int64_t>{att});
  EXPECT_EQ(Must(inc().ListMessages(id, 0, 100, true)).size(), 3u);
  EXPECT_EQ(Must(inc().ListMessages(id, ids[0], 100, true)).size(), 2u);
  EXPECT_EQ(Must(inc().GetIncident(id))->last_message_at, kT0 + 10);

  // An attachment goes with one message only.
  IncidentChange again;
  again.incident = *Must(inc().GetIncident(id));
  again.message = IncidentMessageRow{0, 0, "li", "reporter", "public", "x", {att}, kT0 + 20};
  EXPECT_EQ(inc().CommitIncident(&again).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(Must(inc().CountUnread({id}, 7, false))[id], 2);
  EXPECT_EQ(Must(inc().SetReadMark(id, 7, ids[1])), ids[1]);
  EXPECT_EQ(Must(inc().SetReadMark(id, 7, ids[0])), ids[1]) << "never moves back";
  EXPECT_EQ(Must(inc().GetReadMark(id, 7)), ids[1]);
  EXPECT_EQ(Must(inc().CountUnread({id}, 7, false))[id], 1);
  EXPECT_EQ(Must(inc().GetReadMark(id, 99)), 0);

  auto bytes = Must(inc().GetAttachment(att));
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(bytes->bytes, std::string("\x89PNG\0\x01\xff", 7));
  EXPECT_EQ(bytes->size, 7);
  EXPECT_EQ(Must(inc().ListAttachments(id)).at(0).message_id, ids[0]);
}

TEST_P(StoreIncidentTest, ScriptsNotificationsAndSettings) {
  const int64_t id = Create(NewRow("t"));
  IncidentChange c;
  c.incident = *Must(inc().GetIncident(id));
  c.script = IncidentScriptRow{};
  c.script->author = "zhang";
  c.script->content = "UPDATE acct SET x = 'y';";
  c.script->created_at = kT0;
  ASSERT_OK(inc().CommitIncident(&c));
  IncidentScriptRow s = *Must(inc().GetScript(c.script->id));
  EXPECT_EQ(s.content, "UPDATE acct SET x = 'y';");
  s.status = "approved";
  s.reviewer = "ops1";
  s.reviewed_at = kT0 + 5;
  IncidentChange r;
  r.incident = *Must(inc().GetIncident(id));
  r.script = s;
  r.notifications.push_back({0, "zhang", 0, "script_reviewed", "ok", kT0, std::nullopt});
  r.notifications.push_back({0, "zhang", 0, "script_reviewed", "ok2", kT0, std::nullopt});
  ASSERT_OK(inc().CommitIncident(&r));
  EXPECT_EQ(Must(inc().ListScripts(id)).at(0).status, "approved");
  EXPECT_EQ(Must(inc().ListScripts(id)).at(0).reviewed_at, kT0 + 5);

  auto notes = Must(inc().ListDeskNotifications("zhang", true, 10));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].text, "ok2") << "newest first";
  EXPECT_EQ(Must(inc().MarkDeskNotificationsRead("zhang", {notes[1].id}, kT0 + 9)), 1);
  EXPECT_EQ(Must(inc().MarkDeskNotificationsRead("other", {notes[0].id}, kT0 + 9)), 0);
  EXPECT_EQ(Must(inc().CountUnreadDeskNotifications("zhang")), 1) << "not another's to mark";
  EXPECT_EQ(Must(inc().MarkDeskNotificationsRead("zhang", {}, kT0 + 9)), 0);

  ASSERT_OK(inc().ReplaceSystems({"开户", "交易", "账户"}));
  EXPECT_EQ(Must(inc().ListSystems()), (std::vector<std::string>{"开户", "交易", "账户"}));
  const int64_t sub = Must(inc().CreateSubcategory({0, "program", "委托失败", false}));
  EXPECT_EQ(inc().CreateSubcategory({0, "program", "委托失败", false}).status().code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_OK(inc().UpdateSubcategory({sub, "program", "委托失败 2", true}));
  EXPECT_EQ(Must(inc().ListSubcategories()).at(0).name, "委托失败 2");
  EXPECT_TRUE(Must(inc().ListSubcategories()).at(0).disabled);
  EXPECT_EQ(inc().UpdateSubcategory({sub + 50, "program", "x", false}).code(),
            absl::StatusCode::kNotFound);
  ASSERT_OK(inc().PutDeskSetting("sla", R"({"P1":[15,240]})"));
  EXPECT_EQ(*Must(inc().GetDeskSetting("sla")), R"({"P1":[15,240]})");
  EXPECT_FALSE(Must(inc().GetDeskSetting("none")).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreIncidentTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
