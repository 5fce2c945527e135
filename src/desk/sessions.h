// Login sessions. A session is a random 256-bit token (the cookie); the store keeps its hash,
// the user, a CSRF synchronizer token, and when it was created and last seen. A session ends
// when idle for `idle_ms` (12 h), `absolute_ms` (7 days) after login, at logout, when the user
// logs out everywhere, changes their password (the other sessions), or is disabled.
//
// last_seen is written at most once a minute per session, so reads do not each cost a write.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "desk/principal.h"
#include "store/desk_store.h"

namespace vigil::desk {

struct SessionLimits {
  int64_t idle_ms = 12 * 3600'000LL;
  int64_t absolute_ms = 7 * 24 * 3600'000LL;
};

struct StartedSession {
  std::string token;       // the cookie's value; shown once, never stored
  std::string csrf_token;  // echoed in X-CSRF-Token on unsafe requests
};

class Sessions {
 public:
  Sessions(store::DeskStore* store, Clock* clock, SessionLimits limits = {})
      : store_(store), clock_(clock), limits_(limits) {}

  absl::StatusOr<StartedSession> Start(int64_t user_id, const std::string& client_ip);
  // The principal of a live session (user enabled), or nullopt (unknown, expired, disabled).
  absl::StatusOr<std::optional<Principal>> Resume(const std::string& token);
  absl::Status End(const std::string& token);
  // Every session of the user but `keep_hash` ("": all). How many ended.
  absl::StatusOr<int64_t> EndAll(int64_t user_id, const std::string& keep_hash = "");
  const SessionLimits& limits() const { return limits_; }

 private:
  store::DeskStore* store_;
  Clock* clock_;
  SessionLimits limits_;
};

}  // namespace vigil::desk
