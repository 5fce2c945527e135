#include "desk/api_tokens.h"

#include <algorithm>

#include "common/strings.h"
#include "desk/policy.h"
#include "desk/tokens.h"
#include "desk/users.h"
#include "fmt/format.h"

namespace vigil::desk {

absl::StatusOr<CreatedToken> ApiTokens::Create(const Principal& creator, const TokenRequest& req) {
  const std::string owner_name = req.owner.empty() ? creator.name : req.owner;
  if (owner_name != creator.name && !Allowed(creator, Action::kManageAnyToken)) {
    return absl::PermissionDeniedError("only an admin creates tokens for other users");
  }
  if (req.label.empty() || req.label.size() > 200) {
    return absl::InvalidArgumentError("a token needs a label of 1 to 200 bytes (what it is for)");
  }
  auto owner = store_->GetUser(owner_name);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return absl::NotFoundError(AsAbsl(fmt::format("no user '{}'", owner_name)));
  const Role owner_role = ParseRole((*owner)->role).value_or(Role::kReporter);
  Role role = std::min(owner_role, creator.role);
  if (!req.role.empty()) {
    auto asked = ParseRole(req.role);
    if (!asked) {
      return absl::InvalidArgumentError(
          AsAbsl(fmt::format("unknown role '{}' (roles: {})", req.role, RoleNames())));
    }
    if (*asked > creator.role || *asked > owner_role) {
      return absl::PermissionDeniedError(AsAbsl(fmt::format(
          "a token's role ({}) cannot be above its creator's or its owner's", req.role)));
    }
    role = *asked;
  }
  CreatedToken created;
  created.token = NewApiToken();
  store::ApiTokenRow& row = created.row;
  row.token_hash = TokenHash(created.token);
  row.user_id = (*owner)->id;
  row.user_name = owner_name;
  row.label = req.label;
  row.role = std::string(RoleName(role));
  row.created_by = creator.name;
  row.created_at = clock_->Now();
  auto id = store_->CreateApiToken(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  return created;
}

absl::StatusOr<std::optional<Principal>> ApiTokens::Resolve(const std::string& token) {
  if (!LooksLikeApiToken(token)) return std::nullopt;
  auto row = store_->GetApiToken(TokenHash(token));
  if (!row.ok()) return row.status();
  if (!row->has_value() || (*row)->revoked_at) return std::nullopt;
  const store::ApiTokenRow& t = **row;
  auto user = store_->GetUserById(t.user_id);
  if (!user.ok()) return user.status();
  if (!user->has_value() || (*user)->disabled) return std::nullopt;
  const TimeMs now = clock_->Now();
  if (!t.last_used_at || now - *t.last_used_at >= 60'000) {
    if (auto s = store_->TouchApiToken(t.id, now); !s.ok()) return s;
  }
  Principal p = PrincipalOf(**user);
  // The token's role, never above the owner's present one (a demoted owner demotes the token).
  p.role = std::min(p.role, ParseRole(t.role).value_or(Role::kReporter));
  p.via = Principal::Via::kApiToken;
  p.api_token_id = t.id;
  p.must_change_password = false;  // a machine client has no password to change
  return p;
}

absl::StatusOr<store::ApiTokenRow> ApiTokens::Revoke(const Principal& who, int64_t id) {
  auto row = store_->GetApiTokenById(id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::NotFoundError(AsAbsl(fmt::format("no API token {}", id)));
  if ((*row)->user_id != who.user_id && !Allowed(who, Action::kManageAnyToken)) {
    return absl::PermissionDeniedError("only an admin revokes other users' tokens");
  }
  const TimeMs now = clock_->Now();
  if (auto s = store_->RevokeApiToken(id, now); !s.ok()) return s;
  if (!(*row)->revoked_at) (*row)->revoked_at = now;
  return **row;
}

absl::StatusOr<std::vector<store::ApiTokenRow>> ApiTokens::List(const Principal& who) {
  return store_->ListApiTokens(Allowed(who, Action::kManageAnyToken) ? 0 : who.user_id);
}

}  // namespace vigil::desk
