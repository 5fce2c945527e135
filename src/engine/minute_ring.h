// Per-minute buckets for the most recent minutes of one key (a code, a node, a service system).
//
// Indexed by absolute epoch minute. Each slot remembers which minute it holds, so nothing is
// cleared as time moves on: a slot is reset when a newer minute claims it, and reading a minute
// the ring no longer (or never) held yields an empty bucket.
// Invariant the engine keeps: capacity > (largest window) + (how far ahead of the evaluation
// cursor an accepted record can be), so no minute still needed is overwritten.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

namespace vigil {

template <typename Bucket>
class MinuteRing {
  // The tag sits beside its bucket: consecutive minutes are consecutive memory.
  struct Slot {
    int64_t tag = std::numeric_limits<int64_t>::min();
    Bucket bucket{};
  };

 public:
  MinuteRing() = default;
  explicit MinuteRing(int min_capacity) { Reset(min_capacity); }

  void Reset(int min_capacity) {
    int cap = 8;
    while (cap < min_capacity) cap <<= 1;
    mask_ = cap - 1;
    slots_ = std::make_unique<Slot[]>(cap);
  }
  int capacity() const { return static_cast<int>(mask_ + 1); }

  Bucket& Mutable(int64_t minute) {
    Slot& s = slots_[static_cast<size_t>(minute) & mask_];
    if (s.tag != minute) {
      s.tag = minute;
      s.bucket = Bucket{};
    }
    return s.bucket;
  }

  const Bucket* Find(int64_t minute) const { return view().Find(minute); }

  // A copy of where the ring's slots are, for readers kept apart from the ring (the minute
  // sweep's per-code array). Valid while the ring lives and is not Reset.
  class View {
   public:
    View() = default;
    const Bucket* Find(int64_t minute) const {
      const Slot& s = slots_[static_cast<size_t>(minute) & mask_];
      return s.tag == minute ? &s.bucket : nullptr;
    }
    // Asks the CPU to start loading the slot of `minute` (a hint; no effect on results).
    void Prefetch(int64_t minute) const {
      if (slots_) __builtin_prefetch(&slots_[static_cast<size_t>(minute) & mask_]);
    }
    int64_t capacity() const { return static_cast<int64_t>(mask_) + 1; }

   private:
    friend class MinuteRing;
    View(const Slot* slots, size_t mask) : slots_(slots), mask_(mask) {}
    const Slot* slots_ = nullptr;
    size_t mask_ = 0;
  };
  View view() const { return View(slots_.get(), mask_); }

  // Calls f(const Bucket&) for every held minute in [from, to).
  template <typename F>
  void ForEach(int64_t from, int64_t to, F&& f) const {
    for (int64_t m = from; m < to; ++m) {
      if (const Bucket* b = Find(m)) f(*b);
    }
  }

 private:
  size_t mask_ = 0;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace vigil
