// The incident service's lifecycle steps: one function over the transition table
// (incident_lifecycle.h), with what each step needs and records.
#include <algorithm>

#include "common/strings.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "desk/policy.h"
#include "desk/roles.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {
namespace {

// The step's own arguments; InvalidArgument naming the field.
absl::Status CheckArgs(LifecycleAction action, const StepArgs& a) {
  switch (action) {
    case LifecycleAction::kAssign: return CheckText("assignee", a.assignee, 64, true);
    case LifecycleAction::kTransfer: {
      const auto& groups = KnownGroups();
      if (std::find(groups.begin(), groups.end(), a.group) == groups.end()) {
        return absl::InvalidArgumentError(
            AsAbsl(fmt::format("group: '{}' is not one of test, dev, ops, product", a.group)));
      }
      return CheckText("note", a.note, 20000, false);
    }
    case LifecycleAction::kResolve:
      if (auto s = CheckText("cause", a.cause, 20000, true); !s.ok()) return s;
      return CheckText("solution", a.solution, 20000, true);
    case LifecycleAction::kReopen: return CheckText("reason", a.note, 20000, true);
    default: return CheckText("note", a.note, 20000, false);
  }
}

}  // namespace

absl::StatusOr<IncidentView> IncidentService::Act(const Principal& who, int64_t id,
                                                  LifecycleAction action, const StepArgs& args) {
  if (auto s = CheckArgs(action, args); !s.ok()) return s;
  if (action == LifecycleAction::kAssign) {
    auto user = users_->GetUser(args.assignee);
    if (!user.ok()) return user.status();
    if (!user->has_value() || (*user)->disabled ||
        ((*user)->role != "handler" && (*user)->role != "admin")) {
      return absl::InvalidArgumentError(
          AsAbsl(fmt::format("assignee: '{}' is not an active handler", args.assignee)));
    }
  }
  auto row = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    auto step = Step(r.status, action);
    if (!step.ok()) return step.status();
    if (!Allowed(who, step->needs, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError(AsAbsl(fmt::format(
          "{} may not {} this incident", who.name, LifecycleActionName(action))));
    }
    const std::string from = r.status;
    const std::string old_assignee = r.assignee;
    nlohmann::json detail = nlohmann::json::object();
    if (!args.note.empty()) detail[action == LifecycleAction::kReopen ? "reason" : "note"] = args.note;
    switch (action) {
      case LifecycleAction::kAccept: r.assignee = who.name; break;
      case LifecycleAction::kAssign:
        r.assignee = args.assignee;
        detail["assignee"] = args.assignee;
        break;
      case LifecycleAction::kTransfer:
        r.group = args.group;
        detail["group"] = args.group;
        break;
      case LifecycleAction::kReturn:
      case LifecycleAction::kTakeBack:
        detail["group"] = r.group;
        r.group.clear();
        break;
      case LifecycleAction::kResolve:
        r.cause = args.cause;
        r.solution = args.solution;
        r.resolved_at = p.now;
        detail["cause"] = args.cause;
        detail["solution"] = args.solution;
        break;
      case LifecycleAction::kConfirm:
      case LifecycleAction::kClose: r.closed_at = p.now; break;
      case LifecycleAction::kReopen:
        r.resolved_at.reset();
        r.closed_at.reset();
        r.reopened += 1;
        r.group.clear();
        break;
    }
    r.status = std::string(step->to);
    if (r.assignee.empty() && r.status == "accepted" && Allowed(who, Action::kHandleIncident)) {
      r.assignee = who.name;  // a handler's reopen or take-back of an unowned incident
    }
    // The first response: the first accept by anyone but the reporter.
    if (action == LifecycleAction::kAccept && who.user_id != r.reporter_id) {
      RecordFirstResponse(&r, p.now);
    }
    RefreshSlaStates(&r, p.now);
    p.History(std::string(LifecycleActionName(action)), from, r.status, detail.dump());
    DeskEvent e = EventOf(r, DeskEventKind::kStatusChanged, who.name);
    e.action = std::string(LifecycleActionName(action));
    e.from_status = from;
    if (action == LifecycleAction::kResolve) e.excerpt = Excerpt(args.cause);
    else if (!args.note.empty()) e.excerpt = Excerpt(args.note);
    if (action == LifecycleAction::kAssign) {
      e.kind = from == r.status ? DeskEventKind::kAssigned : DeskEventKind::kStatusChanged;
    }
    if (action == LifecycleAction::kReturn || action == LifecycleAction::kTakeBack) {
      e.group = detail["group"].get<std::string>();
    }
    Notify(p, e);
    if (action == LifecycleAction::kAssign && from != r.status && r.assignee != old_assignee) {
      Notify(p, EventOf(r, DeskEventKind::kAssigned, who.name));
    }
    return absl::OkStatus();
  });
  if (!row.ok()) return row.status();
  return ViewOf(who, std::move(row->incident));
}

}  // namespace vigil::desk
