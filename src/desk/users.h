// Desk users: creation with a role and groups under the password policy, password logins,
// password changes and the admin's edits (role, groups, disabled). Every method writes the
// store; callers record the audit entry (they know the actor).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "desk/password.h"
#include "desk/principal.h"
#include "store/desk_store.h"

namespace vigil::desk {

struct NewUser {
  std::string name;
  std::string role;                 // RoleName
  std::vector<std::string> groups;  // only for members
  std::string password;
  bool must_change_password = false;
  std::string email;  // "" none
};

struct UserChange {
  std::optional<std::string> role;
  std::optional<std::vector<std::string>> groups;
  std::optional<bool> disabled;
  std::optional<std::string> email;  // "" removes the address
};

// A user name: 1-64 bytes of valid UTF-8 without control characters; anything else the store
// keeps literally (quotes, semicolons, SQL words).
absl::Status CheckUserName(std::string_view name);
// An e-mail address a notification may be sent to: "" (none) or local@domain in plain ASCII,
// at most 254 bytes, the local part of RFC 5322's atom characters and dots, the domain of
// letters, digits and hyphens in dot-separated labels. Nothing that could break a mail header
// (spaces, angle brackets, commas, line breaks) gets through.
absl::Status CheckEmail(std::string_view email);

class Users {
 public:
  Users(store::DeskStore* store, Clock* clock, HashCost cost = {})
      : store_(store), clock_(clock), cost_(cost) {}

  // InvalidArgument (name, role, groups, password policy), AlreadyExists.
  absl::StatusOr<store::UserRow> Create(const NewUser& user);
  // The user when `password` is theirs and they are not disabled; Unauthenticated otherwise
  // (one message for every reason, so a caller cannot tell names that exist). Rehashes a hash
  // made with other limits.
  absl::StatusOr<store::UserRow> CheckPassword(const std::string& name, const std::string& password);
  // Sets a new password (policy checked) and clears must_change_password.
  absl::Status SetPassword(store::UserRow user, const std::string& password);
  // The admin's edit; InvalidArgument for an unknown role or group or a bad address; NotFound.
  absl::StatusOr<store::UserRow> Change(const std::string& name, const UserChange& change);
  absl::StatusOr<store::UserRow> Get(const std::string& name);  // NotFound
  // A user's own edit of their address (CheckEmail); NotFound.
  absl::StatusOr<store::UserRow> SetEmail(const std::string& name, const std::string& email);
  store::DeskStore* store() { return store_; }

 private:
  store::DeskStore* store_;
  Clock* clock_;
  HashCost cost_;
};

Principal PrincipalOf(const store::UserRow& user);

}  // namespace vigil::desk
