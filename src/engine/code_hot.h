// The part of a code's state that the minute sweep reads for every code, every minute: when it
// last had records, which recent minutes had any, its window sums, and what could make one of
// its rules hold. Kept contiguous (one array for all codes), so that deciding a code has nothing
// to evaluate costs no cache miss on its full state. Private to src/engine.
#pragma once

#include <cstdint>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/minute_ring.h"

namespace vigil {

struct CodeBucket {
  uint32_t total = 0;
  uint32_t success = 0;
  uint32_t system = 0;
  uint32_t timeouts = 0;
  // Calls to the code's primary service system (the first it was seen calling), kept here so
  // that the (txn, svc_sys) key needs no ring of its own in the common case.
  uint32_t svc_total = 0;
  uint32_t svc_failures = 0;
};

// A code's window sums at one minute t.
struct WindowSums {
  int64_t total = 0, success = 0, system = 0;  // [t - window, t)
  int64_t abnormal = 0;                        // system-class in [t - abnormal_period, t)
  int64_t timeouts = 0;                        // [t - timeout_period, t)
  int64_t silence_total = 0;                   // [t - silence, t)
  int64_t svc_total = 0, svc_failures = 0;     // primary service system, [t - window, t)
};

// Periods as a mask of the minute kinds they cover: bit 0 idle, bit 1 busy.
inline uint8_t PeriodMask(Periods p) {
  switch (p) {
    case Periods::kIdle: return 1;
    case Periods::kBusy: return 2;
    case Periods::kBoth: return 3;
    case Periods::kNeither: return 0;
  }
  return 0;
}
inline uint8_t MinuteKind(bool busy) { return busy ? 2 : 1; }

// What the sweep reads of every code, every minute, in an array of its own (24 bytes a code):
// for most codes, most minutes, this is all it reads.
struct CodeGate {
  // The last minute whose windows may still hold a record of the code: its newest record's
  // minute plus its widest window (INT64_MIN before its first record).
  int64_t windows_until = INT64_MIN;
  LocalDay ratio_day = INT64_MIN;  // copy of CodeState::ratio_day / ratio_possible
  bool ratio_possible = true;
  bool open = false;  // some alert state of the code is not idle
  // The code's sums are zero and stay so until windows_until moves: its CodeHot needs no visit.
  bool sums_idle = false;
  uint8_t no_txn_when = 0;  // PeriodMask of the minutes no_txn is judged in (0: off)
  uint8_t ratio_when = 0;   // PeriodMask of the minutes volume_ratio is judged in (0: off)
};

// The rest of what the sweep reads about a code that had records lately, kept up to date by
// the per-record path.
struct CodeHot {
  int64_t last_minute = INT64_MIN;  // minute of the newest record
  int64_t widest_min = 10;          // the widest of the four windows below
  // Which of the 64 minutes up to `anchor` (the newest marked) had a record: bit j is minute
  // anchor - j. Lets the sweep see, without touching the code's state, whether anything
  // entered or left a window this minute.
  uint64_t recent_bits = 0;
  int64_t anchor = INT64_MIN / 2;
  int64_t unknown_until = INT64_MIN;
  int64_t window_min = 5, abnormal_min = 10, timeout_min = 10, silence_min = 10;
  // The windows as bits of an ActiveMask (bit W: the minute leaving a window of W minutes; bit
  // 0: the minute entering them all), for windows shorter than 64 minutes (all of them when
  // `short_windows`): the rate and count rules' windows, and those and silence.
  uint64_t change_bits = 0, step_bits = 0;
  bool short_windows = false;
  // Per-node codes are evaluated whenever their windows change, whatever the sums: their
  // nodes are judged, and forgotten, in every evaluation.
  bool per_node = false;

  // --- the window sums, brought to each minute by the sweep ---
  // Windows slide by one minute, so each minute only the minute entering them and the ones
  // leaving them are read from the ring, and only when the bitmap says they had records.
  int64_t sums_minute = INT64_MIN;  // the minute `sums` are for; INT64_MIN: recompute
  // No record in any window since the sweep last looked: the sums are zero (at every minute
  // since), whatever sums_minute says.
  bool sums_empty = false;
  WindowSums sums;
  // The sums below which no rate or count rule can hold (rates need at least min_count
  // records and at least one; counts need their threshold).
  int64_t min_total = 1, abnormal_threshold = 0, timeout_threshold = 0;
  MinuteRing<CodeBucket>::View ring;

  // --- a prefetch hint for the per-record path: the code's current day-count chunk ---
  const uint32_t* day_counts = nullptr;  // slot of minute day_first
  int64_t day_first = 0, day_len = 0;

  // Sets the window lengths and what follows from them.
  void SetWindows(int64_t window, int64_t abnormal, int64_t timeout, int64_t silence);

  void MarkActive(int64_t minute) {
    if (minute > anchor) {
      const int64_t shift = minute - anchor;
      recent_bits = shift >= 64 ? 0 : recent_bits << shift;
      anchor = minute;
    }
    if (anchor - minute >= 64) {
      unknown_until = minute + 64;  // older than the bitmap: evaluate until it is out of sight
      return;
    }
    recent_bits |= uint64_t{1} << (anchor - minute);
  }
  // Whether minute had a record, or we cannot tell (then: assume it did).
  bool MaybeActive(int64_t minute) const {
    if (minute <= unknown_until) return true;
    if (minute > anchor) return false;
    if (anchor - minute >= 64) return true;  // older than the bitmap: cannot tell
    return (recent_bits >> (anchor - minute)) & 1;
  }
  // MaybeActive of the 64 minutes before t at once: bit k for minute t - 1 - k.
  uint64_t ActiveMask(int64_t t) const {
    const int64_t d = anchor - (t - 1);
    uint64_t mask;
    if (d >= 0) {  // bits past the bitmap's oldest minute: cannot tell
      mask = d >= 64 ? ~uint64_t{0} : recent_bits >> d | (d == 0 ? 0 : ~uint64_t{0} << (64 - d));
    } else {  // minutes after the newest marked one had no record
      mask = d <= -64 ? 0 : recent_bits << -d;
    }
    if (unknown_until > t - 1 - 64) {  // minutes up to unknown_until: k >= t - 1 - unknown_until
      const int64_t k = t - 1 - unknown_until;
      mask |= k <= 0 ? ~uint64_t{0} : ~uint64_t{0} << k;
    }
    return mask;
  }
  // Whether any window of the rate and count rules gained or lost a minute with records at t.
  // `active`: ActiveMask(t).
  bool WindowsChanged(int64_t t, uint64_t active) const {
    if (short_windows) return (active & change_bits) != 0;
    return MaybeActive(t - 1) || MaybeActive(t - 1 - window_min) ||
           MaybeActive(t - 1 - abnormal_min) || MaybeActive(t - 1 - timeout_min);
  }

  // Brings `sums` to minute t (windows [t - W, t)). Called for every minute in order (or not,
  // while it would return true again); a minute missed, or a ring slot possibly reused (see
  // RecordAdded), costs a full re-sum. `active`: ActiveMask(t). Returns whether the windows
  // are empty.
  bool AdvanceSums(int64_t t, uint64_t active) {
    if (last_minute < t - widest_min) {  // nothing in any window
      if (!sums_empty) sums = WindowSums{}, sums_empty = true;
      return true;
    }
    // Empty at t - 1 (the records that came since are not older than t - 1): step from zero.
    if (sums_empty || sums_minute == t - 1) {
      if (!short_windows || (active & step_bits) != 0) StepSums(t, active);
    } else {
      RecomputeSums(t);
    }
    sums_empty = false;
    sums_minute = t;
    return false;
  }
  // Whether, with the current sums, a rate or count rule could hold.
  bool CouldHold() const {
    return sums.total >= min_total || sums.abnormal >= abnormal_threshold ||
           sums.timeouts >= timeout_threshold;
  }
  // A record of `minute` went into the ring. When it claimed a slot whose minute the next
  // step still reads (the input jumped ahead by nearly a ring), the sums are recomputed.
  void RecordAdded(int64_t minute) {
    if (sums_minute != INT64_MIN && minute - sums_minute >= ring.capacity() - widest_min) {
      sums_minute = INT64_MIN;
    }
  }

 private:
  // The bucket of minute t - 1 - k, when it may have had records.
  const CodeBucket* Held(int64_t t, uint64_t active, int64_t k) const {
    const bool maybe = k < 64 ? (active >> k) & 1 : MaybeActive(t - 1 - k);
    return maybe ? ring.Find(t - 1 - k) : nullptr;
  }
  void StepSums(int64_t t, uint64_t active);
  void RecomputeSums(int64_t t);
};

}  // namespace vigil
