#include "desk/users.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "common/strings.h"
#include "desk/roles.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

bool ValidUtf8NoControls(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    const int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

absl::Status CheckRoleAndGroups(const std::string& role, std::vector<std::string>* groups) {
  auto r = ParseRole(role);
  if (!r) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("unknown role '{}' (roles: {})", role, RoleNames())));
  }
  if (auto s = NormaliseGroups(groups); !s.ok()) return s;
  if (*r != Role::kMember && !groups->empty()) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("only members belong to groups; a {} has none", role)));
  }
  return absl::OkStatus();
}

bool EmailLocalChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == domain.size()) return true;
    start = dot + 1;
  }
}

}  // namespace

absl::Status CheckEmail(std::string_view email) {
  if (email.empty()) return absl::OkStatus();
  const size_t at = email.rfind('@');
  const bool ok = email.size() <= 254 && at != std::string_view::npos && at > 0 && at <= 64 &&
                  std::all_of(email.begin(), email.begin() + at, EmailLocalChar) &&
                  email.front() != '.' && email[at - 1] != '.' &&
                  email.substr(0, at).find("..") == std::string_view::npos &&
                  ValidDomain(email.substr(at + 1));
  if (!ok) {
    return absl::InvalidArgumentError(
        "email: expected an e-mail address like li.si@bank.example (or \"\" for none)");
  }
  return absl::OkStatus();
}

absl::Status CheckUserName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !ValidUtf8NoControls(name)) {
    return absl::InvalidArgumentError(
        "a user name is 1 to 64 bytes of UTF-8 text without control characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<store::UserRow> Users::Create(const NewUser& user) {
  if (auto s = CheckUserName(user.name); !s.ok()) return s;
  store::UserRow row;
  row.groups = user.groups;
  if (auto s = CheckRoleAndGroups(user.role, &row.groups); !s.ok()) return s;
  if (auto s = CheckEmail(user.email); !s.ok()) return s;
  if (auto s = CheckPasswordPolicy(user.name, user.password); !s.ok()) return s;
  auto hash = HashPassword(user.password, cost_);
  if (!hash.ok()) return hash.status();
  row.name = user.name;
  row.email = user.email;
  row.role = user.role;
  row.password_hash = *hash;
  row.must_change_password = user.must_change_password;
  row.created_at = row.updated_at = clock_->Now();
  auto id = store_->CreateUser(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  return row;
}

absl::StatusOr<store::UserRow> Users::CheckPassword(const std::string& name,
                                                    const std::string& password) {
  const absl::Status wrong = absl::UnauthenticatedError("wrong user name or password");
  auto user = store_->GetUser(name);
  if (!user.ok()) return user.status();
  if (!user->has_value()) {
    // Same work as for a real user, so timing does not tell which names exist.
    static const std::string dummy = HashPassword("not a real password", cost_).value_or("");
    VerifyPassword(dummy, password);
    return wrong;
  }
  store::UserRow u = std::move(**user);
  if (!VerifyPassword(u.password_hash, password) || u.disabled) return wrong;
  if (NeedsRehash(u.password_hash, cost_)) {
    if (auto hash = HashPassword(password, cost_); hash.ok()) {
      u.password_hash = *hash;
      (void)store_->UpdateUser(u);  // best effort: the old hash still verifies
    }
  }
  return u;
}

absl::Status Users::SetPassword(store::UserRow user, const std::string& password) {
  if (auto s = CheckPasswordPolicy(user.name, password); !s.ok()) return s;
  auto hash = HashPassword(password, cost_);
  if (!hash.ok()) return hash.status();
  user.password_hash = *hash;
  user.must_change_password = false;
  user.updated_at = clock_->Now();
  return store_->UpdateUser(user);
}

absl::StatusOr<store::UserRow> Users::Get(const std::string& name) {
  auto user = store_->GetUser(name);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return absl::NotFoundError(AsAbsl(fmt::format("no user '{}'", name)));
  return std::move(**user);
}

absl::StatusOr<store::UserRow> Users::Change(const std::string& name, const UserChange& change) {
  auto user = Get(name);
  if (!user.ok()) return user.status();
  store::UserRow u = std::move(*user);
  if (change.role) u.role = *change.role;
  if (change.groups) u.groups = *change.groups;
  if (change.role && *change.role != "member" && !change.groups) u.groups.clear();
  if (change.disabled) u.disabled = *change.disabled;
  if (change.email) {
    if (auto s = CheckEmail(*change.email); !s.ok()) return s;
    u.email = *change.email;
  }
  if (auto s = CheckRoleAndGroups(u.role, &u.groups); !s.ok()) return s;
  u.updated_at = clock_->Now();
  if (auto s = store_->UpdateUser(u); !s.ok()) return s;
  return u;
}

absl::StatusOr<store::UserRow> Users::SetEmail(const std::string& name, const std::string& email) {
  UserChange change;
  change.email = email;
  return Change(name, change);
}

Principal PrincipalOf(const store::UserRow& user) {
  Principal p;
  p.user_id = user.id;
  p.name = user.name;
  p.role = ParseRole(user.role).value_or(Role::kReporter);
  p.groups = user.groups;
  p.must_change_password = user.must_change_password;
  return p;
}

}  // namespace vigil::desk
