// The desk's services bundled for the server and the CLI: one object over one DeskStore and
// one clock. Incidents, the knowledge base, SLAs ... join here as they are built.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "desk/api_tokens.h"
#include "desk/audit.h"
#include "desk/policy.h"
#include "desk/sessions.h"
#include "desk/throttle.h"
#include "desk/users.h"
#include "store/desk_store.h"

namespace vigil::desk {

struct DeskOptions {
  SessionLimits sessions;
  ThrottleOptions throttle;
  HashCost hash_cost;
};

class Desk {
 public:
  Desk(store::DeskStore* store, Clock* clock, DeskOptions options = {})
      : store_(store),
        clock_(clock),
        users_(store, clock, options.hash_cost),
        sessions_(store, clock, options.sessions),
        tokens_(store, clock),
        throttle_(clock, options.throttle),
        audit_(store, clock) {}

  // With no user in the store: creates "admin" with a generated password that must be changed
  // at first login, records it in the audit log, and returns the password (to print once).
  // nullopt when users exist already.
  absl::StatusOr<std::optional<std::string>> EnsureFirstAdmin();

  store::DeskStore& store() { return *store_; }
  Clock& clock() { return *clock_; }
  Users& users() { return users_; }
  Sessions& sessions() { return sessions_; }
  ApiTokens& tokens() { return tokens_; }
  LoginThrottle& throttle() { return throttle_; }
  Audit& audit() { return audit_; }

 private:
  store::DeskStore* store_;
  Clock* clock_;
  Users users_;
  Sessions sessions_;
  ApiTokens tokens_;
  LoginThrottle throttle_;
  Audit audit_;
};

}  // namespace vigil::desk
