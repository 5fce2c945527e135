// The incident service's data-fix scripts (a handler attaches one; an ops member who is not
// its author approves or rejects it; its run is recorded only after approval) and the
// caller's in-app notifications.
#include <algorithm>

#include "common/strings.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "desk/policy.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {
namespace {

DeskEvent ScriptEvent(DeskEvent e, const store::IncidentScriptRow& x) {
  e.script_id = x.id;
  e.script_author = x.author;
  e.script_status = x.status;
  return e;
}

}  // namespace

absl::StatusOr<store::IncidentScriptRow> IncidentService::AddScript(const Principal& who,
                                                                    int64_t id,
                                                                    const std::string& description,
                                                                    const std::string& content) {
  if (auto s = CheckText("description", description, 2000, true); !s.ok()) return s;
  if (auto s = CheckText("content", content, 1 << 20, true); !s.ok()) return s;
  auto change = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    if (!Allowed(who, Action::kHandleIncident, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("only a handler may attach a data-fix script");
    }
    if (r.status == "resolved" || r.status == "closed") {
      return absl::FailedPreconditionError(
          AsAbsl(fmt::format("cannot add a script to an incident that is {}", r.status)));
    }
    store::IncidentScriptRow x;
    x.author = who.name;
    x.description = description;
    x.content = content;
    x.created_at = p.now;
    p.change.script = x;
    p.History("script_add", r.status, r.status,
              nlohmann::json{{"description", description}}.dump());
    Notify(p, ScriptEvent(EventOf(r, DeskEventKind::kScriptAdded, who.name), x));
    return absl::OkStatus();
  });
  if (!change.ok()) return change.status();
  return *change->script;
}

// Loads a script of incident `id` (NotFound when it belongs to another) inside a change.
static absl::StatusOr<store::IncidentScriptRow> ScriptOf(store::IncidentStore& store, int64_t id,
                                                         int64_t script_id) {
  auto x = store.GetScript(script_id);
  if (!x.ok()) return x.status();
  if (!x->has_value() || (*x)->incident_id != id) {
    return absl::NotFoundError(AsAbsl(fmt::format("no script {} on incident {}", script_id, id)));
  }
  return std::move(**x);
}

absl::StatusOr<store::IncidentScriptRow> IncidentService::Review(const Principal& who, int64_t id,
                                                                 int64_t script_id, bool approve,
                                                                 const std::string& comment) {
  if (auto s = CheckText("comment", comment, 20000, !approve); !s.ok()) return s;
  auto change = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    auto x = ScriptOf(*store_, id, script_id);
    if (!x.ok()) return x.status();
    if (!Allowed(who, Action::kApproveScript, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("only an ops member may review a data-fix script");
    }
    if (x->author == who.name) {
      return absl::PermissionDeniedError("nobody reviews their own script");
    }
    if (x->status != "pending") {
      return absl::FailedPreconditionError(
          AsAbsl(fmt::format("script {} is {} already", script_id, x->status)));
    }
    x->status = approve ? "approved" : "rejected";
    x->reviewer = who.name;
    x->review_comment = comment;
    x->reviewed_at = p.now;
    p.change.script = *x;
    p.History(approve ? "script_approve" : "script_reject", r.status, r.status,
              nlohmann::json{{"script_id", script_id}, {"comment", comment}}.dump());
    DeskEvent e = ScriptEvent(EventOf(r, DeskEventKind::kScriptReviewed, who.name), *x);
    e.excerpt = Excerpt(comment);
    Notify(p, e);
    return absl::OkStatus();
  });
  if (!change.ok()) return change.status();
  return *change->script;
}

absl::StatusOr<store::IncidentScriptRow> IncidentService::RecordResult(const Principal& who,
                                                                       int64_t id,
                                                                       int64_t script_id,
                                                                       bool succeeded,
                                                                       const std::string& output) {
  if (auto s = CheckText("output", output, 1 << 20, false); !s.ok()) return s;
  auto change = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    auto x = ScriptOf(*store_, id, script_id);
    if (!x.ok()) return x.status();
    if (!Allowed(who, Action::kApproveScript, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("only an ops member records a script's run");
    }
    if (x->status != "approved") {
      return absl::FailedPreconditionError(AsAbsl(fmt::format(
          "script {} is {}: a run is recorded only after approval", script_id, x->status)));
    }
    x->status = succeeded ? "executed" : "failed";
    x->executed_by = who.name;
    x->output = output;
    x->executed_at = p.now;
    p.change.script = *x;
    p.History("script_result", r.status, r.status,
              nlohmann::json{{"script_id", script_id}, {"status", x->status}}.dump());
    DeskEvent e = ScriptEvent(EventOf(r, DeskEventKind::kScriptResult, who.name), *x);
    e.excerpt = Excerpt(output);
    Notify(p, e);
    return absl::OkStatus();
  });
  if (!change.ok()) return change.status();
  return *change->script;
}

absl::StatusOr<std::vector<store::DeskNotificationRow>> IncidentService::Notifications(
    const Principal& who, bool unread_only, int limit) {
  return store_->ListDeskNotifications(who.name, unread_only, std::clamp(limit, 1, 200));
}

absl::StatusOr<int64_t> IncidentService::UnreadNotifications(const Principal& who) {
  return store_->CountUnreadDeskNotifications(who.name);
}

absl::StatusOr<int64_t> IncidentService::ReadNotifications(const Principal& who,
                                                           const std::vector<int64_t>& ids) {
  return store_->MarkDeskNotificationsRead(who.name, ids, clock_->Now());
}

}  // namespace vigil::desk
