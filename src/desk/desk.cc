#include "desk/desk.h"

#include "desk/password.h"

namespace vigil::desk {

absl::StatusOr<std::optional<std::string>> Desk::EnsureFirstAdmin() {
  auto count = store_->CountUsers();
  if (!count.ok()) return count.status();
  if (*count > 0) return std::nullopt;
  NewUser admin{"admin", "admin", {}, GeneratePassword(), true};
  auto created = users_.Create(admin);
  // Another process (a second server, `vigil user add`) may have won the race: not an error.
  if (created.status().code() == absl::StatusCode::kAlreadyExists) return std::nullopt;
  if (!created.ok()) return created.status();
  audit_.Record("system", "user.create", "user:admin",
                {{"role", "admin"}, {"first_admin", true}, {"must_change_password", true}});
  return admin.password;
}

}  // namespace vigil::desk
