// One simulated record in compact form: indices into the bank's tables instead of strings,
// integer milliseconds and cents. The writers turn it into a JSON line or a CSV row.
#pragma once

#include <cstdint>

#include "common/time_util.h"

namespace vigil::sim {

enum class RecPhase : uint8_t { kNone, kStart, kEnd };

struct SimRecord {
  TimeMs ts = 0;        // transaction start
  TimeMs key = 0;       // output order: event time plus a small deterministic jitter
  int64_t amount = -1;  // cents; < 0: absent
  int64_t mismatch_cents = -1;
  int64_t mismatch_count = -1;
  uint64_t serial = 0;   // 18 digits: yyyymmdd, minute of day, sequence
  int32_t dur = -1;      // ms; < 0: absent
  int32_t code = 0;      // Bank::codes index; >= codes.size(): eod_codes
  int16_t ret = 0;       // Bank::rets index
  int16_t svc_ret = -1;  // service response: service * 3 + {0 ok, 1 business, 2 failure}
  int16_t org = -1;      // Bank::orgs index
  int8_t node = 0;       // index into the system's node names
  RecPhase phase = RecPhase::kNone;

  TimeMs Time() const { return dur >= 0 ? ts + dur : ts; }
};

inline constexpr int16_t kSvcOk = 0, kSvcBusiness = 1, kSvcFailure = 2;

}  // namespace vigil::sim
