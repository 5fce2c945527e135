// Series internals: how one code's 24 hours, its failing return codes and its calls to service
// systems are stored (see series.h for the contract and the memory figures).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/config.h"
#include "common/time_util.h"
#include "serve/series.h"
#include "serve/series_recent.h"

namespace vigil::serve::series_internal {

inline constexpr int kHours = 24;
inline constexpr int kDayMinutes = kHours * 60;
inline constexpr int kBuckets = 64;       // latency histogram: 4 buckets per power of two, from 1 ms
inline constexpr int kOpenMinutes = 4;    // minutes of one code whose percentiles are still open
inline constexpr int kNamedRets = 16;     // failing return codes a code names; later ones: "other"
inline constexpr uint8_t kOtherBusiness = kNamedRets;     // ret index of unnamed business failures
inline constexpr uint8_t kOtherSystem = kNamedRets + 1;   // ... of unnamed system failures
inline constexpr int kRetSlots = kNamedRets + 2;
inline constexpr size_t kMaxCachedRets = 256;   // return classes cached per code
inline constexpr size_t kMaxServices = 256;     // service systems counted
inline constexpr size_t kMaxCachedSvcRets = 1024;
inline constexpr int kCodeRecent = 16;        // recent records kept per code (KeptSlots)
inline constexpr size_t kRingSize = 20'000;   // recent records kept of all codes

// Histogram bucket of a duration: 0 below 1 ms, then 1 + floor(4 * log2(ms)), capped.
int Bucket(double ms);
// The geometric middle of a bucket, in ms.
float BucketValue(int b);
inline float PercentileValue(int8_t b) { return b < 0 ? -1.0f : BucketValue(b); }

inline int64_t HourOf(int64_t minute) { return FloorDiv(minute, 60); }
inline int MinuteInHour(int64_t minute) { return static_cast<int>(minute - HourOf(minute) * 60); }

// A ring of 24 hour chunks, allocated on first use. A chunk of hour h replaces the one of
// h - 24 (or older); an hour older than its slot holds is gone.
template <class Chunk>
class HourRing {
 public:
  Chunk* Get(int64_t hour, bool create) {
    auto& slot = chunks_[Index(hour)];
    if (slot && slot->hour == hour) return slot.get();
    if (!create || (slot && slot->hour > hour)) return nullptr;
    if (!slot) slot = std::make_unique<Chunk>();
    slot->Clear(hour);
    return slot.get();
  }
  const Chunk* Get(int64_t hour) const {
    const auto& slot = chunks_[Index(hour)];
    return slot && slot->hour == hour ? slot.get() : nullptr;
  }
  template <class F>
  void ForEach(F f) {
    for (auto& c : chunks_) {
      if (c) f(*c);
    }
  }

 private:
  static size_t Index(int64_t hour) { return static_cast<size_t>(((hour % kHours) + kHours) % kHours); }
  std::array<std::unique_ptr<Chunk>, kHours> chunks_;
};

// Calls whole(chunk) for every chunk lying wholly inside the minutes [first, last] and
// part(chunk, minute_in_hour) for each minute of the chunks cut by the window's ends.
template <class Chunk, class Whole, class Part>
void ForWindow(const HourRing<Chunk>& ring, int64_t first, int64_t last, Whole whole, Part part) {
  for (int64_t h = HourOf(first); h <= HourOf(last); ++h) {
    const Chunk* c = ring.Get(h);
    if (!c) continue;
    const int64_t a = std::max(first, h * 60), b = std::min(last, h * 60 + 59);
    if (a == h * 60 && b == h * 60 + 59) {
      whole(*c);
    } else {
      for (int64_t m = a; m <= b; ++m) part(*c, static_cast<int>(m - h * 60));
    }
  }
}

// One minute of one code as stored (MinutePoint is the answer's shape): 32 bytes.
struct Cell {
  uint32_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  uint32_t svc_count = 0, svc_failures = 0;  // calls to the code's primary service system
  uint32_t durations = 0;                    // records in the finished histogram (the p95's weight)
  int8_t p50 = -1, p95 = -1, p99 = -1;       // histogram buckets; -1: none
};

// Sums over minutes (an hour's, or a window's).
struct Totals {
  int64_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  int64_t svc_count = 0, svc_failures = 0;
  double p95_sum = 0;     // sum of p95 x durations
  int64_t p95_weight = 0;
  int64_t last_minute = INT64_MIN;  // last minute with records

  void AddCell(const Cell& c, int64_t minute);
};

// `count` records of one failing return code in one minute. A count above 65,535 takes more
// entries of the same (minute, ret); readers sum them.
struct FailEntry {
  uint8_t minute;  // in the hour
  uint8_t ret;     // index into Code::fail_rets, or kOtherBusiness / kOtherSystem
  uint16_t count;
};

// An hour's sums, in the same cache line as the hour number (a day-long query reads one line
// per code-hour).
struct HourTotals {
  uint32_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  uint32_t svc_count = 0, svc_failures = 0, p95_weight = 0;
  int32_t last_minute = -1;  // in the hour; -1: no records
  double p95_sum = 0;

  void AddTo(Totals* t, int64_t hour) const;
};

struct alignas(64) Hour {
  int64_t hour = -1;
  // `totals` holds the sums of the cells once sealed: when every minute of the hour is closed
  // (no running sums on the way: one cache line less per record); a later change unseals it.
  bool sealed = false;
  HourTotals totals;
  std::vector<FailEntry> fails;  // in arrival order
  std::array<Cell, 60> cells;

  void Clear(int64_t h);
  void AddFail(int minute, uint8_t ret);
  void Seal();
};
static_assert(offsetof(Hour, fails) <= 64, "an hour's number and sums share one cache line");

// Calls to a service system per minute, with running sums (for a service system's all calls,
// and for a code's calls to service systems other than its primary one).
struct SvcCount {
  uint32_t count = 0, failures = 0;
};
struct SvcHour {
  int64_t hour = -1;
  int64_t count = 0, failures = 0;
  std::array<SvcCount, 60> cells;

  void Clear(int64_t h);
  void Add(int minute, bool failed);
};

// What a code knows about one return code of its cached requesting system.
struct RetInfo {
  RetClass cls = RetClass::kSuccess;
  uint8_t fail = 0;  // ret index when cls is not success
};

// A short return code and what it means, kept inline in its Code (no hash-map probe for
// the few rets most records carry).
struct HotRet {
  static constexpr size_t kMax = 14;
  char text[kMax];
  uint8_t len = 0;
  RetInfo info;

  bool Is(std::string_view ret) const { return ret.size() == len && std::memcmp(text, ret.data(), len) == 0; }
};

// One transaction code. The fields every record reads come first, together (a record of a
// code not in the cache costs a few adjacent lines, not one per field).
struct Code {
  Hour* hour = nullptr;  // the chunk of hour_id: the latest hour, where most records go
  int64_t hour_id = INT64_MIN;
  int64_t timeout_ms = 600;
  TimeMs last_time = INT64_MIN;
  uint32_t id = 0;            // index into Series::recent_counts_ and kept_
  int last_svc = -1;          // index into Series::services_ of the last svc_sys seen
  int primary_svc = -1;       // the first service system called: counted in the code's cells
  bool last_svc_ok = false;   // the answer for last_svc_ret (most records repeat it)
  bool rets_sys_set = false;
  uint8_t hot_count = 0;
  std::array<HotRet, 4> hot;  // the first rets of rets_sys
  std::string rets_sys;       // the requesting system whose rets' classes are cached
  std::string last_svc_ret;
  std::string last_sys;       // requesting system of the latest record

  std::string txn;
  std::string sys;  // configured requesting system
  absl::flat_hash_map<std::string, RetInfo> rets;  // rets_sys's beyond `hot`, up to kMaxCachedRets
  HourRing<Hour> hours;
  struct Svc {
    int service;  // index into Series::services_
    std::unique_ptr<HourRing<SvcHour>> hours;
  };
  std::vector<Svc> svcs;  // service systems called besides the primary one
  std::vector<std::pair<std::string, RetClass>> fail_rets;  // named failing rets, up to kNamedRets
  struct Open {
    int64_t minute = -1;
    uint64_t total = 0;
    std::array<uint32_t, kBuckets> buckets{};
  };
  std::array<Open, kOpenMinutes> open;

  // The chunk of `hour` (created if need be); null when older than the 24 hours kept.
  Hour* HourFor(int64_t hour);
  // The cached meaning of `ret` (of the cached requesting system), or null.
  const RetInfo* CachedRet(std::string_view ret) const;
  void CacheRet(std::string_view ret, RetInfo info);
  // The ret index of a failing `ret` of class `cls`: its name's, or a new name's, or "other".
  uint8_t FailIndex(std::string_view ret, RetClass cls);
  // Counts a duration into the open histogram of `minute` (finishing what that slot held).
  // True when this opened the minute's histogram.
  bool AddDuration(int64_t minute, double ms);
  // Computes the percentiles of an open minute into its cell.
  void Finish(Open& o);
};

// An open histogram, to be finished once its minute closes.
struct OpenRef {
  int64_t minute;
  Code* code;
  bool operator>(const OpenRef& o) const { return minute > o.minute; }
};
// Oldest minute on top: closing minutes visits only the histograms opened, not every code.
struct OpenQueue : std::priority_queue<OpenRef, std::vector<OpenRef>, std::greater<OpenRef>> {};

// A service system named by records.
struct Service {
  std::string name;
  const ServiceSystemConfig* config = nullptr;  // null: not configured (every call fails)
  absl::flat_hash_map<std::string, bool> success;  // svc_ret -> success, up to kMaxCachedSvcRets
  HourRing<SvcHour> all;
  // The codes that called it: their calls are in their cells (primary) or in a ring of their own.
  std::vector<std::pair<const Code*, const HourRing<SvcHour>*>> codes;  // ring null: primary

  bool Success(std::string_view svc_ret);
};

// The minutes of all codes together, per hour (the same 24 hour slots as a code's).
struct TotalHour {
  struct Counts {
    uint32_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  };
  int64_t hour = -1;
  std::array<Counts, 60> cells;

  void Clear(int64_t h) {
    hour = h;
    cells.fill(Counts{});
  }
};
struct TotalRing : HourRing<TotalHour> {};

}  // namespace vigil::serve::series_internal
