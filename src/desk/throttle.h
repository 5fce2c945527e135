// Slows password guessing. Failed logins are counted per user name and per client address;
// once either has `free_failures` failures, each further attempt must wait
// base_delay * 2^(failures - free_failures), capped at max_delay, counted from the last
// failure. The caller answers 429 with Retry-After instead of trying the password: no server
// thread ever sleeps. A success clears the user name's count and the address's.
//
// Counts live in memory (a restart forgets them) and are forgotten once max_delay has passed
// since the last failure. Thread safety: every method may be called from several threads.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "common/clock.h"

namespace vigil::desk {

struct ThrottleOptions {
  int free_failures = 5;
  int64_t base_delay_ms = 1'000;
  int64_t max_delay_ms = 15 * 60'000;
};

class LoginThrottle {
 public:
  LoginThrottle(Clock* clock, ThrottleOptions options = {}) : clock_(clock), options_(options) {}

  // Milliseconds the caller must still wait before an attempt for (user, ip); nullopt: go on.
  std::optional<int64_t> WaitMs(std::string_view user, std::string_view ip);
  void RecordFailure(std::string_view user, std::string_view ip);
  void RecordSuccess(std::string_view user, std::string_view ip);

 private:
  struct Failures {
    int count = 0;
    TimeMs last = 0;
  };
  int64_t DelayAfter(int failures) const;
  int64_t WaitFor(const std::string& key, TimeMs now);
  void Forget(TimeMs now);  // drops entries idle past max_delay (bounded memory)

  Clock* clock_;
  ThrottleOptions options_;
  std::mutex mu_;
  absl::flat_hash_map<std::string, Failures> failures_;  // "u:<name>" / "ip:<addr>"
  TimeMs last_forget_ = 0;
};

}  // namespace vigil::desk
