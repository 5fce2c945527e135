// Series internals: the recent records. Each record is written once, into the shared ring of
// the last 20,000; a code remembers where its last 16 are, and only those that leave the shared
// ring while still among their code's last 16 (records of quiet codes) are copied into the
// code's own slots.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/config.h"
#include "ingest/record.h"
#include "serve/series.h"

namespace vigil::serve::series_internal {

struct Code;

// memcpy for the short strings of a record (mostly under 20 bytes): overlapping word copies,
// never reading or writing outside [src, src + n) and [dst, dst + n). GCC turns a memcpy of
// unknown size into `rep movsq` here, whose start-up cost dwarfs such copies.
inline void CopyShort(char* dst, const char* src, size_t n) {
  auto copy = [&](auto word) {
    using W = decltype(word);
    W head, tail;
    std::memcpy(&head, src, sizeof(W));
    std::memcpy(&tail, src + n - sizeof(W), sizeof(W));
    std::memcpy(dst, &head, sizeof(W));
    std::memcpy(dst + n - sizeof(W), &tail, sizeof(W));
  };
  if (n >= 16) {
    for (size_t at = 0; at + 16 <= n; at += 16) std::memcpy(dst + at, src + at, 16);
    if (n % 16) std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    copy(uint64_t{});
  } else if (n >= 4) {
    copy(uint32_t{});
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

// A record in a fixed slot: the strings live in `text`, truncated to fit.
struct Slot {
  static constexpr int kFields = 8;
  TimeMs time = 0, ts = 0;
  double duration_ms = -1;
  RetClass cls = RetClass::kSuccess;
  uint8_t len[kFields] = {};
  uint32_t code_id = 0;
  uint64_t seq = 0;       // the record's number among all records since Reset
  Code* code = nullptr;   // its code (null: unused), and its number among the code's records
  uint64_t code_n = 0;
  char text[176];

  void Set(const RecordView& r, RetClass c) {
    time = r.time;
    ts = r.ts;
    duration_ms = r.duration_ms;
    cls = c;
    const std::string_view fields[kFields] = {r.txn,     r.ret,  r.sys,    r.svc_sys,
                                              r.svc_ret, r.node, r.serial, r.msg};
    size_t at = 0;
    for (int i = 0; i < kFields; ++i) {
      size_t n = std::min({fields[i].size(), sizeof text - at, size_t{255}});
      CopyShort(text + at, fields[i].data(), n);
      len[i] = static_cast<uint8_t>(n);
      at += n;
    }
  }
  // Copies the slot without the unused end of `text`.
  void CopyTo(Slot* to) const {
    size_t used = 0;
    for (int i = 0; i < kFields; ++i) used += len[i];
    std::memcpy(static_cast<void*>(to), this, offsetof(Slot, text) + used);
  }
  std::string_view Field(int i) const {
    size_t at = 0;
    for (int k = 0; k < i; ++k) at += len[k];
    return std::string_view(text + at, len[i]);
  }
  RecentRecord ToRecord() const {
    RecentRecord out;
    out.time = time;
    out.ts = ts;
    out.duration_ms = duration_ms;
    out.cls = cls;
    std::string* dst[kFields] = {&out.txn,     &out.ret,  &out.sys,    &out.svc_sys,
                                 &out.svc_ret, &out.node, &out.serial, &out.msg};
    for (int i = 0; i < kFields; ++i) dst[i]->assign(Field(i));
    return out;
  }
};

// A code's copies of its last records that left the shared ring while still among its last 16
// (by code_n % 16; a copy counts only while its code_n is among the code's last 16).
using KeptSlots = std::array<Slot, 16>;

}  // namespace vigil::serve::series_internal
