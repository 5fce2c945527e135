// API tokens for machine clients: created by an admin (for any user) or by a user for
// themselves, with a role no higher than the creator's (and than the owner's); shown once at
// creation ("vgt_..."), stored hashed; revocable; the last time each was used is kept (written
// at most once a minute).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "desk/principal.h"
#include "store/desk_store.h"

namespace vigil::desk {

struct TokenRequest {
  std::string owner;  // user name; "" = the creator
  std::string label;
  std::string role;   // "" = the owner's role (capped by the creator's)
};

struct CreatedToken {
  store::ApiTokenRow row;
  std::string token;  // the only time it is visible
};

class ApiTokens {
 public:
  ApiTokens(store::DeskStore* store, Clock* clock) : store_(store), clock_(clock) {}

  // PermissionDenied: a non-admin creating for someone else, or a role above the creator's or
  // the owner's. InvalidArgument: unknown role, empty or long label. NotFound: no such owner.
  absl::StatusOr<CreatedToken> Create(const Principal& creator, const TokenRequest& request);
  // The principal of a live token (not revoked, owner enabled), or nullopt.
  absl::StatusOr<std::optional<Principal>> Resolve(const std::string& token);
  // PermissionDenied unless the principal is an admin or owns the token; NotFound.
  absl::StatusOr<store::ApiTokenRow> Revoke(const Principal& who, int64_t id);
  // An admin sees every token, anyone else their own.
  absl::StatusOr<std::vector<store::ApiTokenRow>> List(const Principal& who);

 private:
  store::DeskStore* store_;
  Clock* clock_;
};

}  // namespace vigil::desk
