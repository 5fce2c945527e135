// Series: writing (records in, minutes closed) and the recent-record rings.
#include "serve/series.h"

#include <algorithm>

#include "common/strings.h"
#include "serve/series_code.h"
#include "serve/series_recent.h"

namespace vigil::serve {

using namespace series_internal;

Series::Series()
    : totals_(std::make_unique<TotalRing>()), opens_(std::make_unique<OpenQueue>()), ring_(kRingSize) {}
Series::~Series() = default;

void Series::Reset(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
  classifier_ = std::make_unique<RetClassifier>(config_->config.return_codes);
  index_ = CodeIndex();
  codes_.clear();
  services_.clear();
  service_ids_.clear();
  totals_ = std::make_unique<TotalRing>();
  sealed_before_hour_ = INT64_MIN;
  opens_ = std::make_unique<OpenQueue>();
  std::fill(ring_.begin(), ring_.end(), Slot{});
  recent_counts_.clear();
  kept_.clear();
  ring_count_ = 0;
}

Series::Code* Series::Find(std::string_view txn) {
  const uint32_t id = index_.Find(txn);
  return id == CodeIndex::kAbsent ? nullptr : codes_[id].get();
}

const Series::Code* Series::Find(std::string_view txn) const {
  const uint32_t id = index_.Find(txn);
  return id == CodeIndex::kAbsent ? nullptr : codes_[id].get();
}

Series::Code* Series::FindOrAdd(std::string_view txn) {
  if (Code* c = Find(txn)) return c;
  auto code = std::make_unique<Code>();
  code->txn = std::string(txn);
  if (const TxnCodeConfig* tc = config_->config.FindCode(code->txn)) code->sys = tc->sys;
  code->timeout_ms = config_->config.ResolveParams(code->txn).timeout_ms;
  code->id = index_.Add(code->txn);  // dense: the next index of codes_
  recent_counts_.push_back(0);
  kept_.emplace_back();
  Code* raw = code.get();
  codes_.push_back(std::move(code));
  return raw;
}

void Series::AddBatch(std::span<const RecordView> records, std::span<const uint32_t> not_accepted) {
  std::lock_guard lock(mu_);
  if (!config_) return;
  // Every record reads the head of its Code: a cache miss with thousands of codes. It is
  // looked up kNear records ahead and fetched then.
  constexpr size_t kNear = 4;
  std::array<Code*, kNear> found{};
  auto look_up = [&](size_t i) {
    Code* c = i < records.size() ? Find(records[i].txn) : nullptr;
    if (c) {
      for (size_t b = 0; b < 256; b += 64) __builtin_prefetch(reinterpret_cast<const char*>(c) + b);
    }
    found[i % kNear] = c;
  };
  for (size_t i = 0; i < std::min(kNear, records.size()); ++i) look_up(i);
  size_t skip = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    Code* c = found[i % kNear];
    look_up(i + kNear);
    if (skip < not_accepted.size() && not_accepted[skip] == i) {
      ++skip;
      continue;
    }
    AddLocked(records[i], c);
  }
}

void Series::Add(const RecordView& r) { AddBatch(std::span<const RecordView>(&r, 1)); }

// The record's class; for a failure also its ret index in *fail_index. A code caches the
// classes of one requesting system's rets: the first one its records name (most name one).
RetClass Series::Classify(Code& c, const RecordView& r, uint8_t* fail_index) {
  if (!c.rets_sys_set) {
    c.rets_sys = r.sys.empty() ? c.sys : std::string(r.sys);
    c.rets_sys_set = true;
  }
  // A record without sys is of the configured one (compared only then: one string less to read).
  const bool cached_sys = r.sys.empty() ? c.rets_sys == c.sys : r.sys == c.rets_sys;
  if (cached_sys) {
    if (const RetInfo* info = c.CachedRet(r.ret)) {
      *fail_index = info->fail;
      return info->cls;
    }
  }
  const std::string_view sys = r.sys.empty() ? std::string_view(c.sys) : r.sys;
  const RetClass cls = classifier_->Classify(r.txn, sys, r.ret).cls;
  *fail_index = cls == RetClass::kSuccess ? 0 : c.FailIndex(r.ret, cls);
  if (cached_sys) c.CacheRet(r.ret, RetInfo{cls, *fail_index});
  return cls;
}

void Series::AddLocked(const RecordView& r, Code* c) {
  if (r.phase == Phase::kStart) return;
  if (!c) c = FindOrAdd(r.txn);  // new since it was looked up (or never looked up)
  uint8_t fail_index = 0;
  const RetClass cls = Classify(*c, r, &fail_index);
  const int64_t minute = MinuteOf(r.time);
  if (Hour* h = c->HourFor(HourOf(minute))) {
    const int m = MinuteInHour(minute);
    Cell& cell = h->cells[static_cast<size_t>(m)];
    const bool timeout = r.duration_ms > static_cast<double>(c->timeout_ms);
    ++cell.count;
    if (cls == RetClass::kSystem) ++cell.system_failures;
    if (cls == RetClass::kBusiness) ++cell.business_failures;
    if (timeout) ++cell.timeouts;
    if (cls != RetClass::kSuccess) h->AddFail(m, fail_index);
    if (!r.svc_sys.empty()) AddService(*c, r, minute, cell);
    // A record of a sealed hour (one closed already): its sums are computed again. Only
    // hours before sealed_before_hour_ can be sealed: the chunk's header is not read otherwise.
    if (HourOf(minute) < sealed_before_hour_ && h->sealed) h->sealed = false;
    if (r.duration_ms >= 0 && c->AddDuration(minute, r.duration_ms)) opens_->push(OpenRef{minute, c});
    AddTotal(minute, cls, timeout);
  }
  if (r.time >= c->last_time) {
    c->last_time = r.time;
    const std::string_view sys = r.sys.empty() ? std::string_view(c->sys) : r.sys;
    if (c->last_sys != sys) c->last_sys.assign(sys);
  }
  AddRecent(*c, r, cls);
}

// A call to r.svc_sys: counted for the service system, and for the code in its cell (its
// primary service system) or in a ring of its own (others).
void Series::AddService(Code& c, const RecordView& r, int64_t minute, Cell& cell) {
  if (c.last_svc < 0 || services_[static_cast<size_t>(c.last_svc)]->name != r.svc_sys) {
    auto id = service_ids_.find(AsAbsl(r.svc_sys));
    if (id == service_ids_.end()) {
      if (services_.size() >= kMaxServices) return;
      auto s = std::make_unique<Service>();
      s->name = std::string(r.svc_sys);
      auto cfg = config_->config.service_systems.find(s->name);
      if (cfg != config_->config.service_systems.end()) s->config = &cfg->second;
      id = service_ids_.emplace(s->name, static_cast<int>(services_.size())).first;
      services_.push_back(std::move(s));
    }
    c.last_svc = id->second;
    c.last_svc_ret.clear();  // the cached answer belonged to another service system
    c.last_svc_ok = services_[static_cast<size_t>(c.last_svc)]->Success("");
  }
  Service& s = *services_[static_cast<size_t>(c.last_svc)];
  if (r.svc_ret != c.last_svc_ret) {
    c.last_svc_ret.assign(r.svc_ret);
    c.last_svc_ok = s.Success(r.svc_ret);
  }
  const bool failed = !c.last_svc_ok;
  const int64_t hour = HourOf(minute);
  const int m = MinuteInHour(minute);
  if (SvcHour* h = s.all.Get(hour, true)) h->Add(m, failed);
  if (c.primary_svc < 0) {
    c.primary_svc = c.last_svc;
    s.codes.emplace_back(&c, nullptr);
  }
  if (c.primary_svc == c.last_svc) {
    ++cell.svc_count;
    cell.svc_failures += failed;
    return;
  }
  Code::Svc* svc = nullptr;
  for (Code::Svc& x : c.svcs) {
    if (x.service == c.last_svc) svc = &x;
  }
  if (!svc) {
    c.svcs.push_back(Code::Svc{c.last_svc, std::make_unique<HourRing<SvcHour>>()});
    svc = &c.svcs.back();
    s.codes.emplace_back(&c, svc->hours.get());
  }
  if (SvcHour* h = svc->hours->Get(hour, true)) h->Add(m, failed);
}

void Series::AddTotal(int64_t minute, RetClass cls, bool timeout) {
  TotalHour* h = totals_->Get(HourOf(minute), true);
  if (!h) return;  // older than the last 24 hours
  TotalHour::Counts& t = h->cells[static_cast<size_t>(MinuteInHour(minute))];
  ++t.count;
  if (cls == RetClass::kSystem) ++t.system_failures;
  if (cls == RetClass::kBusiness) ++t.business_failures;
  if (timeout) ++t.timeouts;
}

// Each record is written once, into the shared ring. The one it replaces is copied into its
// code's kept slots if it is still among that code's last 16 (a quiet code's record).
//
// Both are cache misses (the ring is 4.8 MB, a code's kept slots anywhere), so they are
// fetched ahead: the slot written kFar records later now, and kNear records before a slot is
// written, the kept slot it will be copied to (its header is in cache by then).
void Series::AddRecent(Code& c, const RecordView& r, RetClass cls) {
  constexpr uint64_t kFar = 16, kNear = 6;
  const size_t n = ring_.size();
  const uint64_t seq = ring_count_++;
  const char* far = reinterpret_cast<const char*>(&ring_[(seq + kFar) % n]);
  for (size_t b = 0; b < sizeof(Slot); b += 64) __builtin_prefetch(far + b, 1);
  if (const Slot& near = ring_[(seq + kNear) % n]; near.code && recent_counts_[near.code_id] - near.code_n <= kCodeRecent) {
    if (const KeptSlots* k = kept_[near.code_id].get()) {
      const char* to = reinterpret_cast<const char*>(&(*k)[near.code_n % kCodeRecent]);
      for (size_t b = 0; b < sizeof(Slot); b += 64) __builtin_prefetch(to + b, 1);
    }
  }
  Slot& slot = ring_[seq % n];
  if (slot.code && recent_counts_[slot.code_id] - slot.code_n <= kCodeRecent) {
    auto& kept = kept_[slot.code_id];
    if (!kept) kept = std::make_unique<KeptSlots>();
    slot.CopyTo(&(*kept)[slot.code_n % kCodeRecent]);
  }
  slot.Set(r, cls);
  slot.seq = seq;
  slot.code = &c;
  slot.code_id = c.id;
  slot.code_n = recent_counts_[c.id]++;
}

void Series::CloseMinutesBefore(TimeMs minute_start) {
  if (minute_start == INT64_MIN) return;
  const int64_t minute = MinuteOf(minute_start);
  std::lock_guard lock(mu_);
  while (!opens_->empty() && opens_->top().minute < minute) {
    const OpenRef ref = opens_->top();
    opens_->pop();
    // The slot may hold a later minute already (it finished this one when it was taken).
    Code::Open& o = ref.code->open[static_cast<size_t>(((ref.minute % kOpenMinutes) + kOpenMinutes) % kOpenMinutes)];
    if (o.minute == ref.minute) ref.code->Finish(o);
  }
  SealHoursBefore(HourOf(minute));
}

// Once per hour: the sums of every hour now closed (and of any unsealed by late changes).
void Series::SealHoursBefore(int64_t hour) {
  if (hour <= sealed_before_hour_) return;
  sealed_before_hour_ = hour;
  for (auto& c : codes_) {
    c->hours.ForEach([&](Hour& h) {
      if (h.hour < hour && !h.sealed) h.Seal();
    });
  }
}

std::vector<RecentRecord> Series::Recent(const RecentFilter& f) const {
  std::lock_guard lock(mu_);
  auto matches = [&](const Slot& s) {
    return s.time > f.after && (f.txn.empty() || s.Field(0) == f.txn) &&
           (f.ret.empty() || s.Field(1) == f.ret) && (f.sys.empty() || s.Field(2) == f.sys) &&
           (f.svc_sys.empty() || s.Field(3) == f.svc_sys) && (f.node.empty() || s.Field(5) == f.node);
  };
  std::vector<const Slot*> picked;
  const uint64_t in_ring = std::min<uint64_t>(ring_count_, ring_.size());
  for (uint64_t i = 0; i < in_ring; ++i) {
    const Slot& s = ring_[(ring_count_ - 1 - i) % ring_.size()];
    if (matches(s)) picked.push_back(&s);
  }
  // A quiet code's last records may have left the shared ring: its kept copies reach further.
  if (const Code* c = f.txn.empty() ? nullptr : Find(f.txn); c && kept_[c->id]) {
    for (const Slot& s : *kept_[c->id]) {
      const bool among_last = s.code && recent_counts_[c->id] - s.code_n <= kCodeRecent;
      const bool left_ring = ring_count_ - s.seq > ring_.size();
      if (among_last && left_ring && matches(s)) picked.push_back(&s);
    }
  }
  // Newest first by time; among equal times, the later received first.
  std::stable_sort(picked.begin(), picked.end(), [](const Slot* a, const Slot* b) {
    return a->time != b->time ? a->time > b->time : a->seq > b->seq;
  });
  std::vector<RecentRecord> out;
  const size_t n = std::min(picked.size(), static_cast<size_t>(std::max(f.limit, 0)));
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(picked[i]->ToRecord());
  return out;
}

std::vector<std::string> Series::Codes() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& c : codes_) out.push_back(c->txn);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vigil::serve
