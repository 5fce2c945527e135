// Series internals: the recent records. Each record is written once, into the shared ring of
// the last 20,000; a code remembers where its last 16 are, and only those that leave the shared
// ring while still among their code's last 16 (records of quiet codes) are copied into the
// code's own slots.
#pragma once

#include <algorithm>
#include <array>
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
      std::memcpy(text + at, fields[i].data(), n);
      len[i] = static_cast<uint8_t>(n);
      at += n;
    }
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
