// Series: writing (records in, minutes closed) and the recent-record rings.
#include "serve/series.h"

#include <algorithm>

#include "common/strings.h"
#include "serve/series_code.h"
#include "serve/series_recent.h"

namespace vigil::serve {

using namespace series_internal;

Series::Series() : totals_(std::make_unique<TotalRing>()), ring_(kRingSize) {}
Series::~Series() = default;

void Series::Reset(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
  classifier_ = std::make_unique<RetClassifier>(config_->config.return_codes);
  codes_.clear();
  services_.clear();
  service_ids_.clear();
  totals_ = std::make_unique<TotalRing>();
  ring_next_ = 0;
  ring_count_ = 0;
}

Series::Code* Series::Find(std::string_view txn) {
  auto it = codes_.find(AsAbsl(txn));
  return it == codes_.end() ? nullptr : it->second.get();
}

const Series::Code* Series::Find(std::string_view txn) const {
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

void Series::AddBatch(std::span<const RecordView> records, std::span<const uint32_t> not_accepted) {
  std::lock_guard lock(mu_);
  if (!config_) return;
  size_t skip = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (skip < not_accepted.size() && not_accepted[skip] == i) {
      ++skip;
      continue;
    }
    AddLocked(records[i]);
  }
}

void Series::Add(const RecordView& r) { AddBatch(std::span<const RecordView>(&r, 1)); }

// The record's class; for a failure also its ret index in *fail_index.
RetClass Series::Classify(Code& c, const RecordView& r, uint8_t* fail_index) {
  if (r.sys.empty() || r.sys == c.sys) {
    auto it = c.rets.find(AsAbsl(r.ret));
    if (it != c.rets.end()) {
      *fail_index = it->second.fail;
      return it->second.cls;
    }
  }
  const std::string_view sys = r.sys.empty() ? std::string_view(c.sys) : r.sys;
  const RetClass cls = classifier_->Classify(r.txn, sys, r.ret).cls;
  *fail_index = cls == RetClass::kSuccess ? 0 : c.FailIndex(r.ret, cls);
  if (sys == c.sys && c.rets.size() < kMaxCachedRets) c.rets.emplace(std::string(r.ret), RetInfo{cls, *fail_index});
  return cls;
}

void Series::AddLocked(const RecordView& r) {
  if (r.phase == Phase::kStart) return;
  Code* c = FindOrAdd(r.txn);
  uint8_t fail_index = 0;
  const RetClass cls = Classify(*c, r, &fail_index);
  const int64_t minute = MinuteOf(r.time);
  if (Hour* h = c->hours.Get(HourOf(minute), true)) {
    const int m = MinuteInHour(minute);
    Cell& cell = h->cells[static_cast<size_t>(m)];
    const bool timeout = r.duration_ms > static_cast<double>(c->timeout_ms);
    ++cell.count;
    ++h->totals.count;
    if (cls == RetClass::kSystem) ++cell.system_failures, ++h->totals.system_failures;
    if (cls == RetClass::kBusiness) ++cell.business_failures, ++h->totals.business_failures;
    if (timeout) ++cell.timeouts, ++h->totals.timeouts;
    h->totals.last_minute = std::max(h->totals.last_minute, minute);
    if (cls != RetClass::kSuccess) h->AddFail(m, fail_index);
    if (r.duration_ms >= 0) c->AddDuration(minute, r.duration_ms);
    if (!r.svc_sys.empty()) AddService(*c, r, minute);
    AddTotal(minute, cls, timeout);
  }
  if (r.time >= c->last_time) {
    c->last_time = r.time;
    const std::string_view sys = r.sys.empty() ? std::string_view(c->sys) : r.sys;
    if (c->last_sys != sys) c->last_sys.assign(sys);
  }
  c->recent[static_cast<size_t>(c->recent_count++ % kCodeRecent)].Set(r, cls);
  ring_[ring_next_].Set(r, cls);
  ring_next_ = (ring_next_ + 1) % ring_.size();
  ++ring_count_;
}

void Series::AddService(Code& c, const RecordView& r, int64_t minute) {
  Code::Svc* svc = nullptr;
  if (c.last_svc >= 0 && services_[static_cast<size_t>(c.svcs[static_cast<size_t>(c.last_svc)].service)]->name == r.svc_sys) {
    svc = &c.svcs[static_cast<size_t>(c.last_svc)];
  } else {
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
    for (size_t i = 0; i < c.svcs.size() && !svc; ++i) {
      if (c.svcs[i].service == id->second) svc = &c.svcs[i];
    }
    if (!svc) {
      c.svcs.push_back(Code::Svc{id->second, std::make_unique<HourRing<SvcHour>>()});
      svc = &c.svcs.back();
      services_[static_cast<size_t>(id->second)]->codes.emplace_back(&c, svc->hours.get());
    }
    c.last_svc = static_cast<int>(svc - c.svcs.data());
    c.last_svc_ret.clear();  // the cached answer belonged to another service system
    c.last_svc_ok = services_[static_cast<size_t>(svc->service)]->Success(c.last_svc_ret);
  }
  Service& s = *services_[static_cast<size_t>(svc->service)];
  if (r.svc_ret != c.last_svc_ret) {
    c.last_svc_ret.assign(r.svc_ret);
    c.last_svc_ok = s.Success(r.svc_ret);
  }
  const bool failed = !c.last_svc_ok;
  const int64_t hour = HourOf(minute);
  const int m = MinuteInHour(minute);
  if (SvcHour* h = svc->hours->Get(hour, true)) h->Add(m, failed);
  if (SvcHour* h = s.all.Get(hour, true)) h->Add(m, failed);
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
    if (const Code* c = Find(f.txn)) {
      const int k = std::min(c->recent_count, kCodeRecent);
      for (int i = 0; i < k; ++i) candidates.push_back(&c->recent[static_cast<size_t>((c->recent_count - 1 - i) % kCodeRecent)]);
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
