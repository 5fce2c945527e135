#include "desk/incident_lifecycle.h"

#include <string>

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

struct Row {
  std::string_view from;
  LifecycleAction action;
  std::string_view to;
  Action needs;
};

// The whole lifecycle. Reading the incident (else 404) is checked before any of these.
constexpr Row kTable[] = {
    {"new", LifecycleAction::kAccept, "accepted", Action::kHandleIncident},
    {"new", LifecycleAction::kAssign, "accepted", Action::kHandleIncident},
    {"accepted", LifecycleAction::kAssign, "accepted", Action::kHandleIncident},
    {"transferred", LifecycleAction::kAssign, "transferred", Action::kHandleIncident},
    {"accepted", LifecycleAction::kTransfer, "transferred", Action::kHandleIncident},
    {"transferred", LifecycleAction::kTransfer, "transferred", Action::kHandleIncident},
    {"transferred", LifecycleAction::kReturn, "accepted", Action::kAssistIncident},
    {"transferred", LifecycleAction::kTakeBack, "accepted", Action::kHandleIncident},
    {"accepted", LifecycleAction::kResolve, "resolved", Action::kHandleIncident},
    {"transferred", LifecycleAction::kResolve, "resolved", Action::kHandleIncident},
    {"resolved", LifecycleAction::kConfirm, "closed", Action::kConfirmIncident},
    {"resolved", LifecycleAction::kClose, "closed", Action::kHandleIncident},
    {"resolved", LifecycleAction::kReopen, "accepted", Action::kReopenIncident},
    {"closed", LifecycleAction::kReopen, "accepted", Action::kReopenIncident},
};

}  // namespace

std::string_view LifecycleActionName(LifecycleAction a) {
  switch (a) {
    case LifecycleAction::kAccept: return "accept";
    case LifecycleAction::kAssign: return "assign";
    case LifecycleAction::kTransfer: return "transfer";
    case LifecycleAction::kReturn: return "return";
    case LifecycleAction::kTakeBack: return "take_back";
    case LifecycleAction::kResolve: return "resolve";
    case LifecycleAction::kConfirm: return "confirm";
    case LifecycleAction::kClose: return "close";
    case LifecycleAction::kReopen: return "reopen";
  }
  return "?";
}

std::optional<LifecycleAction> ParseLifecycleAction(std::string_view name) {
  std::string n(name);
  for (char& c : n) {
    if (c == '-') c = '_';
  }
  for (int i = 0; i <= static_cast<int>(LifecycleAction::kReopen); ++i) {
    const auto a = static_cast<LifecycleAction>(i);
    if (LifecycleActionName(a) == n) return a;
  }
  return std::nullopt;
}

absl::StatusOr<LifecycleStep> Step(std::string_view status, LifecycleAction action) {
  for (const Row& r : kTable) {
    if (r.from == status && r.action == action) return LifecycleStep{r.to, r.needs};
  }
  return absl::FailedPreconditionError(AsAbsl(fmt::format(
      "cannot {} an incident that is {}", LifecycleActionName(action), status)));
}

}  // namespace vigil::desk
