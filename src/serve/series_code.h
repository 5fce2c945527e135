// Series internals: how one code's 24 hours, its failing return codes and its calls to service
// systems are stored (see series.h for the contract and the memory figures).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
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
inline constexpr int kCodeRecent = 16;        // recent records kept per code
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

// One minute of one code as stored (MinutePoint is the answer's shape).
struct Cell {
  uint32_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  uint32_t durations = 0;               // records in the finished histogram (the p95's weight)
  int8_t p50 = -1, p95 = -1, p99 = -1;  // histogram buckets; -1: none
};

// Sums over minutes (an hour's, or a window's).
struct Totals {
  int64_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  double p95_sum = 0;     // sum of p95 x durations
  int64_t p95_weight = 0;
  int64_t last_minute = INT64_MIN;  // last minute with records

  void AddCell(const Cell& c, int64_t minute);
  void Add(const Totals& t);
};

// `count` records of one failing return code in one minute. A count above 65,535 takes more
// entries of the same (minute, ret); readers sum them.
struct FailEntry {
  uint8_t minute;  // in the hour
  uint8_t ret;     // index into Code::fail_rets, or kOtherBusiness / kOtherSystem
  uint16_t count;
};

struct Hour {
  int64_t hour = -1;
  std::array<Cell, 60> cells;
  Totals totals;
  std::vector<FailEntry> fails;  // in arrival order

  void Clear(int64_t h);
  void AddFail(int minute, uint8_t ret);
};

struct SvcCount {
  uint32_t count = 0, failures = 0;
};
struct SvcHour {
  int64_t hour = -1;
  std::array<SvcCount, 60> cells;
  int64_t count = 0, failures = 0;

  void Clear(int64_t h);
  void Add(int minute, bool failed);
};

// What a code knows about one return code of its own requesting system.
struct RetInfo {
  RetClass cls = RetClass::kSuccess;
  uint8_t fail = 0;  // ret index when cls is not success
};

struct Code {
  std::string txn;
  std::string sys;       // configured requesting system
  std::string last_sys;  // requesting system of the latest record
  TimeMs last_time = INT64_MIN;
  int64_t timeout_ms = 600;
  HourRing<Hour> hours;
  struct Open {
    int64_t minute = -1;
    uint64_t total = 0;
    std::array<uint32_t, kBuckets> buckets{};
  };
  std::array<Open, kOpenMinutes> open;
  absl::flat_hash_map<std::string, RetInfo> rets;        // own sys's rets, up to kMaxCachedRets
  std::vector<std::pair<std::string, RetClass>> fail_rets;  // named failing rets, up to kNamedRets
  struct Svc {
    int service;  // index into Series::services_
    std::unique_ptr<HourRing<SvcHour>> hours;
  };
  std::vector<Svc> svcs;
  // The answer for the last svc_ret seen (most records repeat it).
  int last_svc = -1;
  std::string last_svc_ret;
  bool last_svc_ok = false;
  std::array<Slot, kCodeRecent> recent;
  int recent_count = 0;

  // The ret index of a failing `ret` of class `cls`: its name's, or a new name's, or "other".
  uint8_t FailIndex(std::string_view ret, RetClass cls);
  // Counts a duration into the open histogram of `minute` (finishing what that slot held).
  void AddDuration(int64_t minute, double ms);
  // Computes the percentiles of an open minute into its cell.
  void Finish(Open& o);
};

// A service system named by records.
struct Service {
  std::string name;
  const ServiceSystemConfig* config = nullptr;  // null: not configured (every call fails)
  absl::flat_hash_map<std::string, bool> success;  // svc_ret -> success, up to kMaxCachedSvcRets
  HourRing<SvcHour> all;
  std::vector<std::pair<const Code*, const HourRing<SvcHour>*>> codes;

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
