// Who a desk user is: one role, and for members the groups they work in. Names are what the
// API, the CLI and the store spell.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace vigil::desk {

// Ordered by authority: a role may hand out (e.g. to an API token) only roles up to its own.
enum class Role : int {
  kReporter = 0,  // field staff: reports problems and follows their own reports
  kMember = 1,    // a group member (test, dev, ops, product): works on what their groups get
  kHandler = 2,   // the incident team: triages, answers, transfers, resolves every incident
  kAdmin = 3,     // users, groups, tokens, audit, the desk's settings
};

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
// "reporter, member, handler, admin": for error messages.
std::string RoleNames();

// The groups a member may belong to.
const std::vector<std::string>& KnownGroups();
// Sorted and de-duplicated; InvalidArgument naming an unknown group.
absl::Status NormaliseGroups(std::vector<std::string>* groups);

}  // namespace vigil::desk
