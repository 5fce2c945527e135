#include "desk/roles.h"

#include <algorithm>

#include "common/strings.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace vigil::desk {

namespace {
constexpr std::string_view kRoleNames[] = {"reporter", "member", "handler", "admin"};
}

std::string_view RoleName(Role r) { return kRoleNames[static_cast<int>(r)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

std::string RoleNames() { return fmt::format("{}", fmt::join(kRoleNames, ", ")); }

const std::vector<std::string>& KnownGroups() {
  static const std::vector<std::string> groups = {"dev", "ops", "product", "test"};
  return groups;
}

absl::Status NormaliseGroups(std::vector<std::string>* groups) {
  for (const std::string& g : *groups) {
    if (std::find(KnownGroups().begin(), KnownGroups().end(), g) == KnownGroups().end()) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "unknown group '{}' (groups: {})", g, fmt::join(KnownGroups(), ", "))));
    }
  }
  std::sort(groups->begin(), groups->end());
  groups->erase(std::unique(groups->begin(), groups->end()), groups->end());
  return absl::OkStatus();
}

}  // namespace vigil::desk
