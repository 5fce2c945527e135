// Authorisation: one function of (principal, action, resource), the only place that says who
// may do what. Routes name the action and describe the resource; they never test roles.
//
// The table (tests/desk/policy_test.cc checks every cell):
//   action                     reporter        member                 handler   admin
//   kViewOwnAccount            yes             yes                    yes       yes
//   kCreateOwnToken            yes             yes                    yes       yes
//   kManageUsers               -               -                      -         yes
//   kManageAnyToken            -               -                      -         yes
//   kReadAudit                 -               -                      -         yes
//   kCreateIncident            yes             yes                    yes       yes
//   kReadIncident              own reports     own, or a group's      yes       yes
//   kCommentIncident           own reports     own, or a group's      yes       yes
//   kHandleIncident            -               -                      yes       yes
//   kAssistIncident            -               a group's              yes       yes
//   kReadMonitoring            -               yes                    yes       yes
//   kWriteMonitoring           -               ops group              yes       yes
//   kConfirmIncident           own reports     own reports            own       own
//   kReopenIncident            own reports     own reports            yes       yes
//   kApproveScript             -               ops group              -         -
//   kManageDesk                -               -                      -         yes
// "own": resource.owner_user_id is the principal; "a group's": resource.group is one of the
// principal's groups. kConfirmIncident is the reporter saying "solved" (nobody confirms for
// them); kApproveScript is reviewing a data-fix script and recording its run (the service also
// refuses a script's own author); kManageDesk is the desk's settings, subcategories, import.
// kWriteMonitoring is acknowledging alerts, silences, reload (today those
// take the shared API token; docs/desk.md says how they move to this policy).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "desk/principal.h"

namespace vigil::desk {

enum class Action {
  kViewOwnAccount,
  kCreateOwnToken,
  kManageUsers,
  kManageAnyToken,
  kReadAudit,
  kCreateIncident,
  kReadIncident,
  kCommentIncident,
  kHandleIncident,
  kAssistIncident,
  kReadMonitoring,
  kWriteMonitoring,
  kConfirmIncident,
  kReopenIncident,
  kApproveScript,
  kManageDesk,
};

// What is acted on, as far as the decision needs it.
struct Resource {
  int64_t owner_user_id = 0;  // the reporter of an incident (0: none / not applicable)
  std::string group;          // the group an incident is assigned to ("" none)
};

bool Allowed(const Principal& who, Action action, const Resource& what = {});
std::string_view ActionName(Action a);

}  // namespace vigil::desk
