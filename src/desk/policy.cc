#include "desk/policy.h"

#include <algorithm>

namespace vigil::desk {
namespace {

bool Owns(const Principal& who, const Resource& what) {
  return what.owner_user_id != 0 && what.owner_user_id == who.user_id;
}

bool InGroup(const Principal& who, std::string_view group) {
  return !group.empty() && std::find(who.groups.begin(), who.groups.end(), group) != who.groups.end();
}

}  // namespace

bool Allowed(const Principal& who, Action action, const Resource& what) {
  const Role r = who.role;
  const bool staff = r == Role::kHandler || r == Role::kAdmin;
  switch (action) {
    case Action::kViewOwnAccount:
    case Action::kCreateOwnToken:
    case Action::kCreateIncident:
      return true;
    case Action::kManageUsers:
    case Action::kManageAnyToken:
    case Action::kReadAudit:
      return r == Role::kAdmin;
    case Action::kReadIncident:
    case Action::kCommentIncident:
      return staff || Owns(who, what) || (r == Role::kMember && InGroup(who, what.group));
    case Action::kHandleIncident:
      return staff;
    case Action::kAssistIncident:
      return staff || (r == Role::kMember && InGroup(who, what.group));
    case Action::kReadMonitoring:
      return r != Role::kReporter;
    case Action::kWriteMonitoring:
      return staff || (r == Role::kMember && InGroup(who, "ops"));
    case Action::kConfirmIncident:
      return Owns(who, what);
    case Action::kReopenIncident:
      return staff || Owns(who, what);
    case Action::kApproveScript:
      return r == Role::kMember && InGroup(who, "ops");
    case Action::kManageDesk:
      return r == Role::kAdmin;
  }
  return false;
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kViewOwnAccount: return "view own account";
    case Action::kCreateOwnToken: return "create own token";
    case Action::kManageUsers: return "manage users";
    case Action::kManageAnyToken: return "manage any token";
    case Action::kReadAudit: return "read the audit log";
    case Action::kCreateIncident: return "create incident";
    case Action::kReadIncident: return "read incident";
    case Action::kCommentIncident: return "comment on incident";
    case Action::kHandleIncident: return "handle incident";
    case Action::kAssistIncident: return "assist on incident";
    case Action::kReadMonitoring: return "read monitoring";
    case Action::kWriteMonitoring: return "change monitoring";
    case Action::kConfirmIncident: return "confirm incident";
    case Action::kReopenIncident: return "reopen incident";
    case Action::kApproveScript: return "review data-fix script";
    case Action::kManageDesk: return "manage the desk";
  }
  return "?";
}

}  // namespace vigil::desk
