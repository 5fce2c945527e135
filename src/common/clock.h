// The clock, injected: code that needs "now" asks a Clock it was given, never the system
// directly, so tests drive time by hand and replay runs in event time.
//
// Thread safety: every Clock here may be read from several threads at once.
#pragma once

#include <atomic>
#include <chrono>

#include "common/time_util.h"

namespace vigil {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (UTC).
  virtual TimeMs Now() = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  TimeMs Now() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to (tests).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start = 0) : now_(start) {}
  TimeMs Now() override { return now_.load(); }
  void Set(TimeMs t) { now_.store(t); }
  void Advance(int64_t ms) { now_.fetch_add(ms); }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace vigil
