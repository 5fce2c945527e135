// The authorisation table of src/desk/policy.h, cell by cell.
#include <gtest/gtest.h>

#include "desk/policy.h"

namespace vigil::desk {
namespace {

Principal Who(Role role, std::vector<std::string> groups = {}, int64_t id = 7) {
  Principal p;
  p.user_id = id;
  p.name = "u";
  p.role = role;
  p.groups = std::move(groups);
  return p;
}

struct Cell {
  Action action;
  Resource resource;
  bool reporter, member_dev, handler, admin;
};

TEST(PolicyTest, EveryRoleAgainstEveryAction) {
  const Resource none;
  const Resource own{7, ""};
  const Resource others{8, ""};
  const Resource dev_group{8, "dev"};
  const Resource ops_group{8, "ops"};
  const Cell table[] = {
      {Action::kViewOwnAccount, none, true, true, true, true},
      {Action::kCreateOwnToken, none, true, true, true, true},
      {Action::kManageUsers, none, false, false, false, true},
      {Action::kManageAnyToken, none, false, false, false, true},
      {Action::kReadAudit, none, false, false, false, true},
      {Action::kCreateIncident, none, true, true, true, true},
      {Action::kReadIncident, own, true, true, true, true},
      {Action::kReadIncident, others, false, false, true, true},
      {Action::kReadIncident, dev_group, false, true, true, true},
      {Action::kReadIncident, ops_group, false, false, true, true},
      {Action::kCommentIncident, own, true, true, true, true},
      {Action::kCommentIncident, others, false, false, true, true},
      {Action::kCommentIncident, dev_group, false, true, true, true},
      {Action::kHandleIncident, own, false, false, true, true},
      {Action::kAssistIncident, dev_group, false, true, true, true},
      {Action::kAssistIncident, ops_group, false, false, true, true},
      {Action::kReadMonitoring, none, false, true, true, true},
      {Action::kWriteMonitoring, none, false, false, true, true},
      {Action::kConfirmIncident, own, true, true, true, true},
      {Action::kConfirmIncident, others, false, false, false, false},
      {Action::kConfirmIncident, dev_group, false, false, false, false},
      {Action::kReopenIncident, own, true, true, true, true},
      {Action::kReopenIncident, others, false, false, true, true},
      {Action::kApproveScript, ops_group, false, false, false, false},
      {Action::kManageDesk, none, false, false, false, true},
  };
  for (const Cell& c : table) {
    SCOPED_TRACE(std::string(ActionName(c.action)) + " owner=" +
                 std::to_string(c.resource.owner_user_id) + " group=" + c.resource.group);
    EXPECT_EQ(Allowed(Who(Role::kReporter), c.action, c.resource), c.reporter) << "reporter";
    EXPECT_EQ(Allowed(Who(Role::kMember, {"dev"}), c.action, c.resource), c.member_dev) << "member";
    EXPECT_EQ(Allowed(Who(Role::kHandler), c.action, c.resource), c.handler) << "handler";
    EXPECT_EQ(Allowed(Who(Role::kAdmin), c.action, c.resource), c.admin) << "admin";
  }
}

TEST(PolicyTest, GroupsOnlyCountForMembersAndOpsMayChangeMonitoring) {
  EXPECT_TRUE(Allowed(Who(Role::kMember, {"ops", "test"}), Action::kWriteMonitoring));
  EXPECT_FALSE(Allowed(Who(Role::kMember, {"dev"}), Action::kWriteMonitoring));
  // Scripts are reviewed by ops members only: not dev members, not handlers, not admins.
  EXPECT_TRUE(Allowed(Who(Role::kMember, {"ops"}), Action::kApproveScript, {8, "ops"}));
  EXPECT_TRUE(Allowed(Who(Role::kMember, {"ops"}), Action::kApproveScript, {8, ""}));
  EXPECT_FALSE(Allowed(Who(Role::kReporter, {"ops"}), Action::kApproveScript, {8, "ops"}));
  // A reporter with a (stray) group is still only a reporter.
  EXPECT_FALSE(Allowed(Who(Role::kReporter, {"dev"}), Action::kReadIncident, {8, "dev"}));
  // No owner recorded: nobody "owns" it by having user id 0.
  EXPECT_FALSE(Allowed(Who(Role::kReporter, {}, 0), Action::kReadIncident, {0, ""}));
}

}  // namespace
}  // namespace vigil::desk
