// txn -> code id, for the per-record path: every record looks its code up once ahead (the
// reader's prefetch hint) and once when it is applied.
//
// Open addressing over 32-byte entries that hold the txn's first 16 bytes inline. Txn codes are
// short ("A001", "PAY0203"), so a look-up hashes two words, reads one entry of a compact table
// and compares two words: no string hashing, no key stored out of line. Only a txn longer than
// 16 bytes is also compared in full (with the copy kept here).
//
// Not thread-safe; ids are dense (0, 1, 2, ... in insertion order).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class CodeIndex {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  CodeIndex() { Rebuild(64); }

  // The id of `txn`, or kAbsent.
  uint32_t Find(std::string_view txn) const {
    const Key k = KeyOf(txn);
    for (size_t i = k.hash >> shift_;; i = (i + 1) & mask_) {
      const Entry& e = entries_[i];
      if (e.id == kAbsent) return kAbsent;
      if (e.lo == k.lo && e.hi == k.hi && e.len == k.len && (k.len <= kInline || txns_[e.id] == txn)) {
        return e.id;
      }
    }
  }
  // Adds `txn` (not present yet) with the next id, which it returns.
  uint32_t Add(std::string_view txn);
  size_t size() const { return txns_.size(); }

 private:
  static constexpr uint32_t kInline = 16;  // bytes of the txn held in the entry
  struct Key {
    uint64_t lo = 0, hi = 0;  // the txn's bytes (see KeyOf)
    uint32_t len = 0;
    uint64_t hash = 0;
  };
  struct alignas(32) Entry {
    uint64_t lo = 0, hi = 0;
    uint32_t len = 0;
    uint32_t id = kAbsent;
  };

  // Two words that, with the length, determine a txn of up to 16 bytes (longer ones: their
  // first 16 bytes). Overlapping loads of the string's own bytes: nothing past its end is read.
  static Key KeyOf(std::string_view s) {
    Key k;
    const char* p = s.data();
    const size_t n = s.size();
    k.len = static_cast<uint32_t>(n);
    if (n >= 16) {
      k.lo = Load<uint64_t>(p), k.hi = Load<uint64_t>(p + 8);
    } else if (n >= 8) {
      k.lo = Load<uint64_t>(p), k.hi = Load<uint64_t>(p + n - 8);
    } else if (n >= 4) {
      k.lo = Load<uint32_t>(p) | uint64_t{Load<uint32_t>(p + n - 4)} << 32;
    } else if (n > 0) {
      k.lo = Byte(p[0]) | Byte(p[n / 2]) << 8 | Byte(p[n - 1]) << 16;
    }
    // Two multiplies: the top bits (the table index) depend on every byte.
    k.hash = (((k.lo + n) * 0x9E3779B97F4A7C15ull) ^ k.hi) * 0xC2B2AE3D27D4EB4Full;
    return k;
  }
  template <typename T>
  static T Load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static uint64_t Byte(char c) { return static_cast<unsigned char>(c); }
  void Place(const Key& k, uint32_t id);
  void Rebuild(size_t capacity);

  std::vector<Entry> entries_;
  size_t mask_ = 0;
  int shift_ = 64;  // 64 - log2(capacity): the hash's top bits index the table
  std::vector<std::string> txns_;  // by id
};

}  // namespace vigil
