// The incident lifecycle as ONE table: (status, action) → status, and who may take the step.
// Everything that changes an incident's status goes through Step(); docs/desk-api.md draws
// the same table as `new → accepted → (transferred ⇄ accepted) → resolved → closed`.
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "desk/policy.h"

namespace vigil::desk {

enum class LifecycleAction {
  kAccept,    // new → accepted; the caller becomes the assignee
  kAssign,    // new → accepted; accepted / transferred keep their status; a new assignee
  kTransfer,  // accepted / transferred → transferred to a group
  kReturn,    // transferred → accepted: the group hands it back
  kTakeBack,  // transferred → accepted: the handler takes it back
  kResolve,   // accepted / transferred → resolved, with cause and solution
  kConfirm,   // resolved → closed: its reporter says it is solved
  kClose,     // resolved → closed by a handler
  kReopen,    // resolved / closed → accepted
};

// "accept", "assign", "transfer", "return", "take_back", "resolve", "confirm", "close",
// "reopen": the history's action words.
std::string_view LifecycleActionName(LifecycleAction a);
// Parses the URL spelling ("take-back" and "take_back" both).
std::optional<LifecycleAction> ParseLifecycleAction(std::string_view name);

struct LifecycleStep {
  std::string_view to;  // the status after the step
  Action needs;         // what the caller must be allowed on the incident (policy.h)
};

// The step from `status` by `action`; FailedPrecondition naming both when the table has no
// such step (→ 409).
absl::StatusOr<LifecycleStep> Step(std::string_view status, LifecycleAction action);

}  // namespace vigil::desk
