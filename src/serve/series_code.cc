#include "serve/series_code.h"

#include <cmath>

#include "common/strings.h"
#include "engine/ret_classifier.h"

namespace vigil::serve::series_internal {

int Bucket(double ms) {
  if (!(ms >= 1)) return 0;
  // ms = f * 2^e with f in [0.5, 1): log2(ms) = (e - 1) + log2(2f); the quarter steps of
  // log2(2f) are its thresholds 2^(1/4), 2^(1/2), 2^(3/4) (no log2 per record).
  int e = 0;
  const double f2 = 2 * std::frexp(ms, &e);
  const int quarter = (f2 >= 1.189207115002721) + (f2 >= 1.4142135623730951) + (f2 >= 1.6817928305074290);
  return std::min(1 + 4 * (e - 1) + quarter, kBuckets - 1);
}

float BucketValue(int b) { return b == 0 ? 0.5f : static_cast<float>(std::exp2((b - 0.5) / 4)); }

namespace {

// The buckets holding the 50th, 95th and 99th percentiles, in one pass.
void PercentileBuckets(const std::array<uint32_t, kBuckets>& h, uint64_t total, int8_t* p50, int8_t* p95,
                       int8_t* p99) {
  auto target = [&](double q) {
    return std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(total))));
  };
  const uint64_t t50 = target(0.50), t95 = target(0.95), t99 = target(0.99);
  *p50 = *p95 = *p99 = kBuckets - 1;
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    const uint64_t before = seen;
    seen += h[static_cast<size_t>(b)];
    if (before < t50 && seen >= t50) *p50 = static_cast<int8_t>(b);
    if (before < t95 && seen >= t95) *p95 = static_cast<int8_t>(b);
    if (seen >= t99) {
      *p99 = static_cast<int8_t>(b);
      return;
    }
  }
}

}  // namespace

void Totals::AddCell(const Cell& c, int64_t minute) {
  if (c.count == 0 && c.durations == 0) return;
  count += c.count;
  system_failures += c.system_failures;
  business_failures += c.business_failures;
  timeouts += c.timeouts;
  svc_count += c.svc_count;
  svc_failures += c.svc_failures;
  if (c.p95 >= 0) {
    p95_sum += static_cast<double>(BucketValue(c.p95)) * c.durations;
    p95_weight += c.durations;
  }
  if (c.count > 0) last_minute = std::max(last_minute, minute);
}

void HourTotals::AddTo(Totals* t, int64_t hour) const {
  t->count += count;
  t->system_failures += system_failures;
  t->business_failures += business_failures;
  t->timeouts += timeouts;
  t->svc_count += svc_count;
  t->svc_failures += svc_failures;
  t->p95_sum += p95_sum;
  t->p95_weight += p95_weight;
  if (last_minute >= 0) t->last_minute = std::max(t->last_minute, hour * 60 + last_minute);
}

void Hour::Clear(int64_t h) {
  hour = h;
  sealed = false;
  totals = HourTotals{};
  fails.clear();
  cells.fill(Cell{});
}

void Hour::AddFail(int minute, uint8_t ret) {
  // Records mostly arrive in time order, so the entry is near the end.
  for (auto it = fails.rbegin(); it != fails.rend(); ++it) {
    if (it->minute == minute && it->ret == ret && it->count < UINT16_MAX) {
      ++it->count;
      return;
    }
  }
  fails.push_back(FailEntry{static_cast<uint8_t>(minute), ret, 1});
}

void Hour::Seal() {
  Totals t;
  for (int m = 0; m < 60; ++m) t.AddCell(cells[static_cast<size_t>(m)], hour * 60 + m);
  // An hour holds at most 60 minutes of 32-bit counts: its sums fit 32 bits unless a code
  // took 4 billion records in one hour.
  totals = HourTotals{static_cast<uint32_t>(t.count), static_cast<uint32_t>(t.system_failures),
                      static_cast<uint32_t>(t.business_failures), static_cast<uint32_t>(t.timeouts),
                      static_cast<uint32_t>(t.svc_count), static_cast<uint32_t>(t.svc_failures),
                      static_cast<uint32_t>(t.p95_weight),
                      t.last_minute == INT64_MIN ? -1 : static_cast<int32_t>(t.last_minute - hour * 60), t.p95_sum};
  sealed = true;
}

void SvcHour::Clear(int64_t h) {
  hour = h;
  cells.fill(SvcCount{});
  count = failures = 0;
}

void SvcHour::Add(int minute, bool failed) {
  ++cells[static_cast<size_t>(minute)].count;
  ++count;
  if (failed) {
    ++cells[static_cast<size_t>(minute)].failures;
    ++failures;
  }
}

const RetInfo* Code::CachedRet(std::string_view ret) const {
  for (uint8_t i = 0; i < hot_count; ++i) {
    if (hot[i].Is(ret)) return &hot[i].info;
  }
  if (rets.empty()) return nullptr;
  auto it = rets.find(AsAbsl(ret));
  return it == rets.end() ? nullptr : &it->second;
}

void Code::CacheRet(std::string_view ret, RetInfo info) {
  if (hot_count < hot.size() && ret.size() <= HotRet::kMax) {
    HotRet& h = hot[hot_count++];
    std::memcpy(h.text, ret.data(), ret.size());
    h.len = static_cast<uint8_t>(ret.size());
    h.info = info;
  } else if (rets.size() < kMaxCachedRets) {
    rets.emplace(std::string(ret), info);
  }
}

Hour* Code::HourFor(int64_t h) {
  if (h == hour_id) return hour;
  Hour* chunk = hours.Get(h, true);
  if (chunk && h > hour_id) {
    hour = chunk;
    hour_id = h;
  }
  return chunk;
}

uint8_t Code::FailIndex(std::string_view ret, RetClass cls) {
  for (size_t i = 0; i < fail_rets.size(); ++i) {
    if (fail_rets[i].first == ret) return static_cast<uint8_t>(i);
  }
  if (fail_rets.size() < kNamedRets) {
    fail_rets.emplace_back(std::string(ret), cls);
    return static_cast<uint8_t>(fail_rets.size() - 1);
  }
  return cls == RetClass::kSystem ? kOtherSystem : kOtherBusiness;
}

bool Code::AddDuration(int64_t minute, double ms) {
  Open& o = open[static_cast<size_t>(((minute % kOpenMinutes) + kOpenMinutes) % kOpenMinutes)];
  const bool opened = o.minute != minute;
  if (opened) {
    Finish(o);
    o.minute = minute;
  }
  ++o.buckets[static_cast<size_t>(Bucket(ms))];
  ++o.total;
  return opened;
}

void Code::Finish(Open& o) {
  if (o.minute < 0) return;
  Hour* h = hours.Get(HourOf(o.minute), false);
  if (h && o.total > 0) {
    Cell& c = h->cells[static_cast<size_t>(MinuteInHour(o.minute))];
    PercentileBuckets(o.buckets, o.total, &c.p50, &c.p95, &c.p99);
    c.durations = static_cast<uint32_t>(o.total);
    // Finished again (its slot was taken by a later minute, then it got records again).
    h->sealed = false;
  }
  o.minute = -1;
  o.total = 0;
  o.buckets.fill(0);
}

bool Service::Success(std::string_view svc_ret) {
  if (!config || svc_ret.empty()) return false;
  auto it = success.find(AsAbsl(svc_ret));
  if (it != success.end()) return it->second;
  const bool ok = MatchAny(config->success, svc_ret);
  if (success.size() < kMaxCachedSvcRets) success.emplace(std::string(svc_ret), ok);
  return ok;
}

}  // namespace vigil::serve::series_internal
