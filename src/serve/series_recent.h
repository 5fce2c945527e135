// Series internals: a record as kept in the recent rings, in one fixed slot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/config.h"
#include "ingest/record.h"
#include "serve/series.h"

namespace vigil::serve::series_internal {

// A record in a fixed slot: the strings live in `text`, truncated to fit.
struct Slot {
  static constexpr int kFields = 8;
  TimeMs time = 0, ts = 0;
  double duration_ms = -1;
  RetClass cls = RetClass::kSuccess;
  uint8_t len[kFields] = {};
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
  bool SameAs(const Slot& o) const {
    size_t used = 0;
    for (int i = 0; i < kFields; ++i) used += len[i];
    return time == o.time && ts == o.ts && duration_ms == o.duration_ms &&
           std::memcmp(len, o.len, sizeof len) == 0 && std::memcmp(text, o.text, used) == 0;
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

}  // namespace vigil::serve::series_internal
