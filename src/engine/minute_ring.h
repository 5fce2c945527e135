// Per-minute buckets for the most recent minutes of one key (a code, a node, a service system).
//
// Indexed by absolute epoch minute. Each slot remembers which minute it holds, so nothing is
// cleared as time moves on: a slot is reset when a newer minute claims it, and reading a minute
// the ring no longer (or never) held yields an empty bucket.
// Invariant the engine keeps: capacity > (largest window) + (how far ahead of the evaluation
// cursor an accepted record can be), so no minute still needed is overwritten.
#pragma once

#include <cstdint>
#include <memory>

namespace vigil {

template <typename Bucket>
class MinuteRing {
 public:
  MinuteRing() = default;
  explicit MinuteRing(int min_capacity) { Reset(min_capacity); }

  void Reset(int min_capacity) {
    int cap = 8;
    while (cap < min_capacity) cap <<= 1;
    mask_ = cap - 1;
    tags_ = std::make_unique<int64_t[]>(cap);
    buckets_ = std::make_unique<Bucket[]>(cap);
    for (int i = 0; i < cap; ++i) tags_[i] = kEmpty;
  }
  int capacity() const { return mask_ + 1; }

  Bucket& Mutable(int64_t minute) {
    size_t slot = static_cast<size_t>(minute) & mask_;
    if (tags_[slot] != minute) {
      tags_[slot] = minute;
      buckets_[slot] = Bucket{};
    }
    return buckets_[slot];
  }

  const Bucket* Find(int64_t minute) const {
    size_t slot = static_cast<size_t>(minute) & mask_;
    return tags_[slot] == minute ? &buckets_[slot] : nullptr;
  }

  // Calls f(const Bucket&) for every held minute in [from, to).
  template <typename F>
  void ForEach(int64_t from, int64_t to, F&& f) const {
    for (int64_t m = from; m < to; ++m) {
      if (const Bucket* b = Find(m)) f(*b);
    }
  }

 private:
  static constexpr int64_t kEmpty = INT64_MIN;
  size_t mask_ = 0;
  std::unique_ptr<int64_t[]> tags_;
  std::unique_ptr<Bucket[]> buckets_;
};

}  // namespace vigil
