// The life of one alert (rule, key): the contract's `for` and resolve semantics.
//
// With t0 the first minute of an unbroken run of evaluated minutes in which the condition
// held, the alert fires at the first t with t - t0 >= for, and resolves at the first evaluated
// minute at which the condition does not hold. It never fires twice without a resolve between.
#pragma once

#include <cstdint>
#include <limits>

#include "common/time_util.h"

namespace vigil {

enum class Transition : uint8_t { kNone, kFired, kResolved };

struct AlertState {
  static constexpr TimeMs kNoRun = std::numeric_limits<TimeMs>::min();
  TimeMs run_start = kNoRun;
  bool firing = false;

  bool idle() const { return run_start == kNoRun && !firing; }

  Transition Update(TimeMs t, bool holds, int64_t for_ms) {
    if (!holds) {
      run_start = kNoRun;
      if (!firing) return Transition::kNone;
      firing = false;
      return Transition::kResolved;
    }
    if (run_start == kNoRun) run_start = t;
    if (!firing && t - run_start >= for_ms) {
      firing = true;
      return Transition::kFired;
    }
    return Transition::kNone;
  }
};

}  // namespace vigil
