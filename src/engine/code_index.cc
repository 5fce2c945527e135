#include "engine/code_index.h"

#include <cstring>

namespace vigil {
uint32_t CodeIndex::Add(std::string_view txn) {
  const uint32_t id = static_cast<uint32_t>(txns_.size());
  txns_.emplace_back(txn);
  if (2 * txns_.size() > entries_.size()) {
    Rebuild(2 * entries_.size());  // at most half full: probes stay short
  } else {
    Place(KeyOf(txn), id);
  }
  return id;
}

void CodeIndex::Place(const Key& k, uint32_t id) {
  size_t i = k.hash >> shift_;
  while (entries_[i].id != kAbsent) i = (i + 1) & mask_;
  entries_[i] = Entry{k.lo, k.hi, k.len, id};
}

void CodeIndex::Rebuild(size_t capacity) {
  entries_.assign(capacity, Entry{});
  mask_ = capacity - 1;
  shift_ = 64 - __builtin_ctzll(capacity);
  for (uint32_t id = 0; id < txns_.size(); ++id) Place(KeyOf(txns_[id]), id);
}

}  // namespace vigil
