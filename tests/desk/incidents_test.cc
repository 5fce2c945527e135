// The incident service (src/desk/incidents.h) on a real SQLite store and a manual clock: the
// lifecycle with its history, who may do what (404 before 403), internal notes, scripts, read
// marks, the SLA sweep, and the events it announces.
#include "desk/incidents.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "desk/roles.h"
#include "desk/users.h"
#include "store/store.h"

namespace vigil::desk {
namespace {

// Wednesday 2026-11-18 10:00 UTC: inside business hours (08:30-17:30) of a UTC workday.
constexpr TimeMs kT0 = 1'794'996'000'000;
constexpr TimeMs kMinute = 60'000;

class IncidentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (std::filesystem::temp_directory_path() / "vigil-incidents-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    auto s = store::Store::Open("sqlite://" + dir + "/vigil.db");
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    users_ = dynamic_cast<store::DeskStore*>(store_.get());
    calendar_ = std::make_shared<Calendar>(CalendarConfig{}, absl::UTCTimeZone());
    service_ = std::make_unique<IncidentService>(
        dynamic_cast<store::IncidentStore*>(store_.get()), users_, &clock_,
        [this] { return std::shared_ptr<const Calendar>(calendar_); });
    service_->AddListener([this](const DeskEvent& e) { events_.push_back(e); });
    reporter_ = Add("li", "reporter");
    other_ = Add("wu", "reporter");
    handler_ = Add("zhang", "handler");
    ops_ = Add("ops1", "member", {"ops"});
    dev_ = Add("dev1", "member", {"dev"});
    admin_ = Add("root", "admin");
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Principal Add(const std::string& name, const std::string& role,
                std::vector<std::string> groups = {}) {
    store::UserRow u;
    u.name = name;
    u.role = role;
    u.groups = std::move(groups);
    u.password_hash = "x";
    u.id = users_->CreateUser(u).value();
    return PrincipalOf(u);
  }
  int64_t Report(const Principal& who, std::string priority = "P3") {
    NewIncident in;
    in.title = "股票交易不了";
    in.description = "<script>alert(1)</script>";
    in.system = "交易";
    in.phone = "13812345678";
    in.priority = priority;
    auto v = service_->Create(who, in);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->row.id : 0;
  }
  absl::StatusCode Do(const Principal& who, int64_t id, LifecycleAction a, StepArgs args = {}) {
    return service_->Act(who, id, a, args).status().code();
  }
  std::vector<std::string> HistoryActions(int64_t id) {
    std::vector<std::string> out;
    auto detail = service_->Get(handler_, id);
    EXPECT_TRUE(detail.ok()) << detail.status();
    if (detail.ok()) for (const auto& h : detail->history) out.push_back(h.action);
    return out;
  }

  std::filesystem::path dir_;
  ManualClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  store::DeskStore* users_ = nullptr;
  std::shared_ptr<Calendar> calendar_;
  std::unique_ptr<IncidentService> service_;
  std::vector<DeskEvent> events_;
  Principal reporter_, other_, handler_, ops_, dev_, admin_;
};

TEST_F(IncidentsTest, TheWholeLifecycleIsKeptInTheHistory) {
  const int64_t id = Report(reporter_);
  ASSERT_GT(id, 0);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kOk);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kTransfer, {.group = "ops", .note = "fix data"}),
            absl::StatusCode::kOk);
  EXPECT_EQ(service_->View(ops_, id)->row.status, "transferred") << "the group reads it now";
  EXPECT_EQ(Do(ops_, id, LifecycleAction::kReturn, {.note = "done"}), absl::StatusCode::kOk);
  EXPECT_EQ(service_->View(ops_, id).status().code(), absl::StatusCode::kNotFound)
      << "handed back: no longer the group's";
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kResolve, {.cause = "c", .solution = "s"}),
            absl::StatusCode::kOk);
  EXPECT_EQ(Do(reporter_, id, LifecycleAction::kReopen, {.note = "still broken"}),
            absl::StatusCode::kOk);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kResolve, {.cause = "c2", .solution = "s2"}),
            absl::StatusCode::kOk);
  EXPECT_EQ(Do(reporter_, id, LifecycleAction::kConfirm), absl::StatusCode::kOk);
  auto v = service_->View(reporter_, id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->row.status, "closed");
  EXPECT_EQ(v->row.assignee, "zhang");
  EXPECT_EQ(v->row.reopened, 1);
  EXPECT_EQ(v->row.cause, "c2");
  EXPECT_TRUE(v->row.first_response_at.has_value());
  EXPECT_EQ(HistoryActions(id),
            (std::vector<std::string>{"create", "accept", "transfer", "return", "resolve",
                                      "reopen", "resolve", "confirm"}));
  const std::vector<store::IncidentHistoryRow> history = service_->Get(handler_, id)->history;
  EXPECT_EQ(history[2].from_status, "accepted");
  EXPECT_EQ(history[2].to_status, "transferred");
  EXPECT_EQ(history[2].actor, "zhang");
  EXPECT_EQ(history[3].actor, "ops1");
}

TEST_F(IncidentsTest, OthersGetNotFoundReadersWithoutTheRightGetDeniedWrongStatusConflicts) {
  const int64_t id = Report(reporter_);
  EXPECT_EQ(service_->Get(other_, id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Do(other_, id, LifecycleAction::kConfirm), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->Post(other_, id, "hi", false, {}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->Get(dev_, id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Do(reporter_, id, LifecycleAction::kAccept), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(reporter_, id, LifecycleAction::kConfirm), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kResolve, {.cause = "c", .solution = "s"}),
            absl::StatusCode::kFailedPrecondition)
      << "new → resolved is not in the table";
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kOk);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kResolve, {.cause = "c"}),
            absl::StatusCode::kInvalidArgument) << "solution is required";
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kTransfer, {.group = "sales"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Do(handler_, id, LifecycleAction::kAssign, {.assignee = "li"}),
            absl::StatusCode::kInvalidArgument) << "only a handler can be the assignee";
  // A handler doing an admin's job.
  EXPECT_EQ(service_->AddSubcategory(handler_, "program", "x").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_->AddSubcategory(admin_, "program", "委托失败").ok());
  // The lists: a reporter sees only their own, a handler all.
  Report(other_);
  EXPECT_EQ(service_->List(reporter_, {})->items.size(), 1u);
  EXPECT_EQ(service_->List(handler_, {})->items.size(), 2u);
  IncidentFilter everyone;
  everyone.reporter = "wu";
  EXPECT_EQ(service_->List(reporter_, everyone)->items.size(), 0u) << "asking for others' is empty";
}

TEST_F(IncidentsTest, ReportersNeverSeeInternalNotesAndReadMarksNeverMoveBack) {
  const int64_t id = Report(reporter_);
  auto pub = service_->Post(handler_, id, "we look", false, {});
  auto note = service_->Post(handler_, id, "internal: customer DB", true, {});
  ASSERT_TRUE(pub.ok() && note.ok());
  EXPECT_EQ(note->kind, "internal");
  EXPECT_EQ(service_->Post(reporter_, id, "sneaky", true, {}).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto seen = service_->Messages(reporter_, id, 0, 100);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->messages.size(), 1u);
  EXPECT_EQ(seen->messages[0].body, "we look");
  EXPECT_EQ(service_->Messages(handler_, id, 0, 100)->messages.size(), 2u);
  EXPECT_EQ(service_->View(reporter_, id)->unread, 1);
  EXPECT_EQ(service_->List(reporter_, {})->items.at(0).unread, 1);
  EXPECT_EQ(*service_->MarkRead(reporter_, id, pub->id), pub->id);
  EXPECT_EQ(*service_->MarkRead(reporter_, id, 1), pub->id) << "never moves back";
  EXPECT_EQ(service_->View(reporter_, id)->unread, 0);
  // The first public reply by someone else than the reporter is the first response.
  EXPECT_EQ(service_->View(handler_, id)->row.first_response_at, kT0);
  // The reporter got a notification of the public reply, not of the internal note.
  auto mine = service_->Notifications(reporter_, true, 50);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].kind, "message_posted");
  EXPECT_NE((*mine)[0].text.find("回复了"), std::string::npos) << (*mine)[0].text;
  EXPECT_NE((*mine)[0].text_en.find("zhang replied on INC-"), std::string::npos) << (*mine)[0].text_en;
  bool internal_event = false;
  for (const auto& e : events_) internal_event |= e.kind == DeskEventKind::kMessagePosted && e.internal;
  EXPECT_TRUE(internal_event) << "announced, flagged internal, for the stream to filter";
}

TEST_F(IncidentsTest, ScriptsAreReviewedByAnotherOpsMemberAndRunOnlyAfterApproval) {
  const int64_t id = Report(reporter_);
  ASSERT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kOk);
  ASSERT_EQ(Do(handler_, id, LifecycleAction::kTransfer, {.group = "ops"}), absl::StatusCode::kOk);
  auto x = service_->AddScript(handler_, id, "fix balance", "UPDATE acct SET bal = 0;");
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->status, "pending");
  EXPECT_EQ(service_->AddScript(ops_, id, "d", "c").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Review(handler_, id, x->id, true, "ok").status().code(),
            absl::StatusCode::kPermissionDenied) << "handlers do not review";
  EXPECT_EQ(service_->RecordResult(ops_, id, x->id, true, "1 row").status().code(),
            absl::StatusCode::kFailedPrecondition) << "not approved yet";
  EXPECT_EQ(service_->Review(ops_, id, x->id, false, "").status().code(),
            absl::StatusCode::kInvalidArgument) << "a rejection needs a comment";
  // The author cannot review their own, even once they are an ops member.
  Principal author_as_ops = handler_;
  author_as_ops.role = Role::kMember;
  author_as_ops.groups = {"ops"};
  EXPECT_EQ(service_->Review(author_as_ops, id, x->id, true, "me").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto ok = service_->Review(ops_, id, x->id, true, "looks right");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->reviewer, "ops1");
  EXPECT_EQ(service_->Review(ops_, id, x->id, false, "changed my mind").status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto run = service_->RecordResult(ops_, id, x->id, true, "1 row updated");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "executed");
  EXPECT_EQ(service_->Get(reporter_, id)->scripts.size(), 0u) << "not the reporter's business";
  EXPECT_EQ(HistoryActions(id), (std::vector<std::string>{"create", "accept", "transfer", "script_add",
                                                           "script_approve", "script_result"}));
  EXPECT_EQ(service_->Notifications(ops_, true, 50)->size(), 2u) << "the transfer, the script waiting";
  EXPECT_EQ(service_->Notifications(handler_, true, 50)->at(0).kind, "script_result");
}

TEST_F(IncidentsTest, TheSlaSweepFlagsAtRiskThenBreachedOnceEach) {
  const int64_t id = Report(reporter_, "P1");  // first response 15, resolution 240 minutes
  auto v = service_->View(handler_, id);
  EXPECT_EQ(v->row.first_response_due, kT0 + 15 * kMinute);
  EXPECT_EQ(*service_->SweepSla(), 0);
  clock_.Set(kT0 + 11 * kMinute);
  EXPECT_EQ(*service_->SweepSla(), 0) << "11 of 15 minutes: under 80%";
  clock_.Set(kT0 + 12 * kMinute);
  EXPECT_EQ(*service_->SweepSla(), 1);
  EXPECT_EQ(service_->View(handler_, id)->row.first_response_state, "at_risk");
  EXPECT_EQ(*service_->SweepSla(), 0) << "once";
  clock_.Set(kT0 + 15 * kMinute);
  EXPECT_EQ(*service_->SweepSla(), 1);
  EXPECT_EQ(service_->View(handler_, id)->row.first_response_state, "breached");
  EXPECT_EQ(*service_->SweepSla(), 0);
  int at_risk = 0, breached = 0;
  for (const auto& e : events_) {
    at_risk += e.kind == DeskEventKind::kSlaAtRisk;
    breached += e.kind == DeskEventKind::kSlaBreached;
  }
  EXPECT_EQ(at_risk, 1);
  EXPECT_EQ(breached, 1);
  EXPECT_EQ(HistoryActions(id), (std::vector<std::string>{"create", "sla_at_risk", "sla_breached"}));
  // Nobody owns it: every handler is told.
  EXPECT_EQ(service_->Notifications(handler_, true, 50)->size(), 3u);  // new, at risk, breached
  IncidentFilter f;
  f.sla = {"breached"};
  EXPECT_EQ(service_->List(handler_, f)->items.size(), 1u);
  // The late accept is the first response, missed.
  clock_.Set(kT0 + 16 * kMinute);
  ASSERT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kOk);
  EXPECT_EQ(service_->View(handler_, id)->row.first_response_state, "missed");
}

TEST_F(IncidentsTest, CreationChecksItsFieldsAndMembersSeeCustomersMasked) {
  NewIncident in;
  in.title = "t";
  in.description = "d";
  in.system = "nowhere";
  auto bad = service_->Create(reporter_, in);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("system"), std::string::npos);
  in.system = "交易";
  in.priority = "P9";
  EXPECT_NE(service_->Create(reporter_, in).status().message().find("priority"), std::string::npos);
  in.priority.reset();
  in.title = "  ";
  EXPECT_NE(service_->Create(reporter_, in).status().message().find("title"), std::string::npos);
  const int64_t id = Report(reporter_);
  EXPECT_TRUE(service_->View(reporter_, id)->customer_in_clear);
  EXPECT_TRUE(service_->View(handler_, id)->customer_in_clear);
  ASSERT_EQ(Do(handler_, id, LifecycleAction::kAccept), absl::StatusCode::kOk);
  ASSERT_EQ(Do(handler_, id, LifecycleAction::kTransfer, {.group = "dev"}), absl::StatusCode::kOk);
  EXPECT_FALSE(service_->View(dev_, id)->customer_in_clear);
  EXPECT_EQ(service_->View(handler_, id)->row.description, "<script>alert(1)</script>");
  EXPECT_EQ(service_->View(handler_, id)->row.channel, "mss");
}

}  // namespace
}  // namespace vigil::desk
