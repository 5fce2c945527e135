#include "serve/series.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/strings.h"

namespace vigil::serve {
namespace {

constexpr int kBuckets = 64;       // latency histogram: 4 buckets per power of two, from 1 ms
constexpr int kOpenMinutes = 4;    // minutes of one code whose percentiles are still open
constexpr int kCodeRecent = 16;    // recent records kept per code
constexpr size_t kRingSize = 20'000;
constexpr int kHours = 24;

int Bucket(double ms) {
  if (ms < 1) return 0;
  int b = 1 + static_cast<int>(std::floor(4 * std::log2(ms)));
  return std::min(b, kBuckets - 1);
}
// The geometric middle of a bucket.
float BucketValue(int b) { return b == 0 ? 0.5f : static_cast<float>(std::exp2((b - 0.5) / 4)); }

float Percentile(const std::array<uint32_t, kBuckets>& h, uint64_t total, double q) {
  const uint64_t target = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * total)));
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += h[b];
    if (seen >= target) return BucketValue(b);
  }
  return BucketValue(kBuckets - 1);
}

}  // namespace

// A record in a fixed slot: the strings live in `text`, truncated to fit.
struct Series::Slot {
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

struct Series::Code {
  std::string txn;
  std::string sys;  // configured requesting system
  int64_t timeout_ms = 600;
  absl::flat_hash_map<std::string, RetClass> ret_class;  // for records without their own sys
  struct Hour {
    int64_t hour = -1;  // epoch hour held
    std::array<MinutePoint, 60> points;
  };
  std::array<std::unique_ptr<Hour>, kHours> hours;
  struct Open {
    int64_t minute = -1;
    uint64_t total = 0;
    std::array<uint32_t, kBuckets> buckets{};
  };
  std::array<Open, kOpenMinutes> open;
  std::array<Slot, kCodeRecent> recent;
  int recent_count = 0;

  MinutePoint* Point(int64_t minute, bool create) {
    const int64_t hour = minute / 60;
    auto& h = hours[static_cast<size_t>(hour % kHours)];
    if (!h || h->hour != hour) {
      if (!create || (h && h->hour > hour)) return nullptr;  // older than 24 hours
      if (!h) h = std::make_unique<Hour>();
      h->hour = hour;
      for (int i = 0; i < 60; ++i) h->points[i] = MinutePoint{(hour * 60 + i) * kMsPerMinute};
    }
    return &h->points[static_cast<size_t>(minute % 60)];
  }
  void Finish(Open& o) {
    if (o.minute < 0) return;
    if (MinutePoint* p = Point(o.minute, false); p && o.total > 0) {
      p->p50 = Percentile(o.buckets, o.total, 0.50);
      p->p95 = Percentile(o.buckets, o.total, 0.95);
      p->p99 = Percentile(o.buckets, o.total, 0.99);
    }
    o.minute = -1;
    o.total = 0;
    o.buckets.fill(0);
  }
};

Series::Series() : ring_(kRingSize) {}
Series::~Series() = default;

void Series::Reset(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
  classifier_ = std::make_unique<RetClassifier>(config_->config.return_codes);
  codes_.clear();
  ring_next_ = 0;
  ring_count_ = 0;
}

Series::Code* Series::Find(std::string_view txn) {
  auto it = codes_.find(AsAbsl(txn));
  return it == codes_.end() ? nullptr : it->second.get();
}

Series::Code* Series::FindOrAdd(std::string_view txn) {
  if (Code* c = Find(txn)) return c;
  auto code = std::make_unique<Code>();
  code->txn = std::string(txn);
  if (const TxnCodeConfig* tc = config_->config.FindCode(code->txn)) code->sys = tc->sys;
  code->timeout_ms = config_->config.ResolveParams(code->txn).timeout_ms;
  Code* raw = code.get();
  codes_.emplace(code->txn, std::move(code));
  return raw;
}

void Series::Add(const RecordView& r) {
  if (r.phase == Phase::kStart) return;
  std::lock_guard lock(mu_);
  if (!config_) return;
  Code* c = FindOrAdd(r.txn);
  RetClass cls;
  if (r.sys.empty() || r.sys == c->sys) {
    auto it = c->ret_class.find(AsAbsl(r.ret));
    if (it == c->ret_class.end()) {
      cls = classifier_->Classify(r.txn, c->sys, r.ret).cls;
      c->ret_class.emplace(std::string(r.ret), cls);
    } else {
      cls = it->second;
    }
  } else {
    cls = classifier_->Classify(r.txn, r.sys, r.ret).cls;
  }
  const int64_t minute = MinuteOf(r.time);
  if (MinutePoint* p = c->Point(minute, true)) {
    ++p->count;
    if (cls == RetClass::kSystem) ++p->system_failures;
    if (cls == RetClass::kBusiness) ++p->business_failures;
    if (r.duration_ms > static_cast<double>(c->timeout_ms)) ++p->timeouts;
    if (r.duration_ms >= 0) {
      Code::Open& o = c->open[static_cast<size_t>(minute % kOpenMinutes)];
      if (o.minute != minute) {
        c->Finish(o);
        o.minute = minute;
      }
      ++o.buckets[static_cast<size_t>(Bucket(r.duration_ms))];
      ++o.total;
    }
  }
  c->recent[static_cast<size_t>(c->recent_count++ % kCodeRecent)].Set(r, cls);
  ring_[ring_next_].Set(r, cls);
  ring_next_ = (ring_next_ + 1) % ring_.size();
  ++ring_count_;
}

void Series::CloseMinutesBefore(TimeMs minute_start) {
  if (minute_start == INT64_MIN) return;
  const int64_t minute = MinuteOf(minute_start);
  std::lock_guard lock(mu_);
  for (auto& [txn, c] : codes_) {
    for (Code::Open& o : c->open) {
      if (o.minute >= 0 && o.minute < minute) c->Finish(o);
    }
  }
}

std::vector<MinutePoint> Series::Minutes(std::string_view txn, TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  std::vector<MinutePoint> out;
  auto it = codes_.find(AsAbsl(txn));
  if (it == codes_.end()) return out;
  Code& c = *it->second;
  const int64_t first = MinuteOf(from), last = std::min(MinuteOf(to - 1), first + 24 * 60 - 1);
  for (int64_t m = first; m <= last; ++m) {
    const MinutePoint* p = c.Point(m, false);
    out.push_back(p ? *p : MinutePoint{m * kMsPerMinute});
  }
  return out;
}

std::vector<CodeSummary> Series::Summaries(TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  std::vector<CodeSummary> out;
  out.reserve(codes_.size());
  const int64_t first = MinuteOf(from), last = std::min(MinuteOf(to - 1), first + 24 * 60 - 1);
  for (const auto& [txn, c] : codes_) {
    CodeSummary s;
    s.txn = txn;
    double p95_weighted = 0;
    int64_t p95_count = 0;
    for (int64_t m = first; m <= last; ++m) {
      const MinutePoint* p = c->Point(m, false);
      if (!p || p->count == 0) continue;
      s.count += p->count;
      s.system_failures += p->system_failures;
      s.business_failures += p->business_failures;
      s.timeouts += p->timeouts;
      s.last_seen = p->minute;
      if (p->p95 >= 0) {
        p95_weighted += static_cast<double>(p->p95) * p->count;
        p95_count += p->count;
      }
    }
    // The count-weighted mean of the minutes' p95: exact percentiles over a window would need
    // every minute's histogram.
    if (p95_count > 0) s.p95 = static_cast<float>(p95_weighted / static_cast<double>(p95_count));
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const CodeSummary& a, const CodeSummary& b) { return a.txn < b.txn; });
  return out;
}

std::vector<RecentRecord> Series::Recent(const RecentFilter& f) const {
  std::lock_guard lock(mu_);
  std::vector<RecentRecord> out;
  auto matches = [&](const Slot& s) {
    return s.time > f.after && (f.txn.empty() || s.Field(0) == f.txn) &&
           (f.ret.empty() || s.Field(1) == f.ret) && (f.sys.empty() || s.Field(2) == f.sys) &&
           (f.svc_sys.empty() || s.Field(3) == f.svc_sys) && (f.node.empty() || s.Field(5) == f.node);
  };
  // The per-code ring reaches further back for a quiet code than the shared ring does.
  std::vector<const Slot*> candidates;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(ring_count_, ring_.size()));
  for (size_t i = 0; i < n; ++i) candidates.push_back(&ring_[(ring_next_ + ring_.size() - 1 - i) % ring_.size()]);
  if (!f.txn.empty()) {
    auto it = codes_.find(AsAbsl(f.txn));
    if (it != codes_.end()) {
      const Code& c = *it->second;
      const int k = std::min(c.recent_count, kCodeRecent);
      for (int i = 0; i < k; ++i) candidates.push_back(&c.recent[static_cast<size_t>((c.recent_count - 1 - i) % kCodeRecent)]);
    }
  }
  std::vector<const Slot*> picked;
  for (const Slot* s : candidates) {
    if (matches(*s)) picked.push_back(s);
  }
  std::stable_sort(picked.begin(), picked.end(), [](const Slot* a, const Slot* b) { return a->time > b->time; });
  // The same record can be in both rings: drop exact repeats next to each other.
  for (size_t i = 0; i < picked.size() && static_cast<int>(out.size()) < f.limit; ++i) {
    if (i > 0 && picked[i]->SameAs(*picked[i - 1])) continue;
    out.push_back(picked[i]->ToRecord());
  }
  return out;
}

std::vector<std::string> Series::Codes() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [txn, c] : codes_) out.push_back(txn);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vigil::serve
