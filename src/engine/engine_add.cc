// The per-record path: late / future checks, interning, classification, minute buckets.
// Hot path: for codes, return codes, nodes and service systems already seen it allocates
// nothing (system-class records are copied for the abnormal drill-down, and they are rare).
#include <algorithm>
#include <cstddef>

#include "engine/engine_state.h"
#include "fmt/format.h"

namespace vigil {

static_assert(offsetof(CodeState, ring) == kRecordOffset);
static_assert(offsetof(CodeState, first_rets) + sizeof(CodeState::first_rets) <= kRecordOffset + kRecordBlock);

uint32_t Engine::State::CodeId(std::string_view txn) {
  const uint32_t id = code_ids.Find(txn);
  return id != CodeIndex::kAbsent ? id : CreateCode(std::string(txn))->id;
}

CodeState* Engine::State::CreateCode(const std::string& txn) {
  auto c = std::make_unique<CodeState>();
  c->txn = txn;
  c->config = config.FindCode(txn);
  if (c->config) c->own_sys = c->config->sys;
  c->p = config.ResolveParams(txn);
  c->timeout_ms = static_cast<double>(c->p.timeout_ms);
  c->per_node = c->p.per_node;
  c->subject = c->config && !c->config->name.empty() ? fmt::format("{} {}", txn, c->config->name) : txn;
  c->window_min = c->p.window_ms / kMsPerMinute;
  c->silence_min = c->p.silence_ms / kMsPerMinute;
  c->ratio_window_min = c->p.ratio_window_ms / kMsPerMinute;
  c->abnormal_min = c->p.abnormal_period_ms / kMsPerMinute;
  c->timeout_min = c->p.timeout_period_ms / kMsPerMinute;
  c->widest_min = std::max({c->window_min, c->silence_min, c->abnormal_min, c->timeout_min});
  const int capacity = static_cast<int>(c->widest_min + ring_slack_min + 4);
  c->ring.Reset(capacity);  // once: the ring's storage never moves afterwards
  for (const auto& [ret, bounds] : c->p.ret_ratio) {
    c->trackers.push_back(RetTracker{ret, bounds.first, bounds.second, MinuteRing<uint32_t>(capacity), {}});
  }
  for (const auto& b : batches) c->has_batch_or_recon |= b->txn() == txn;
  for (const auto& r : recons) c->has_batch_or_recon |= r->txn() == txn;
  max_silence_min = std::max(max_silence_min, c->silence_min);
  c->id = static_cast<uint32_t>(codes.size());
  CodeGate g;
  if (!c->p.IsOff(Rule::kNoTxn)) g.no_txn_when = PeriodMask(c->p.monitor);
  if (!c->p.IsOff(Rule::kVolumeRatio)) g.ratio_when = PeriodMask(c->p.ratio_periods);
  gates.push_back(g);
  CodeHot h;
  h.SetWindows(c->window_min, c->abnormal_min, c->timeout_min, c->silence_min);
  h.per_node = c->p.per_node;
  h.min_total = std::max<int64_t>(c->p.min_count, 1);
  h.abnormal_threshold = c->p.abnormal_threshold;
  h.timeout_threshold = c->p.timeout_threshold;
  h.ring = c->ring.view();
  hot.push_back(h);
  code_ids.Add(txn);
  codes.push_back(std::move(c));
  return codes.back().get();
}

void Engine::State::AddService(CodeState& c, const RecordView& r, int64_t minute, CodeBucket& bucket) {
  int svc = c.last_svc;
  if (svc < 0 || services[svc]->id != r.svc_sys) {
    auto it = service_ids.find(AsAbsl(r.svc_sys));
    if (it == service_ids.end()) {
      auto u = unconfigured_services.find(AsAbsl(r.svc_sys));
      if (u == unconfigured_services.end()) u = unconfigured_services.emplace(std::string(r.svc_sys), 0).first;
      ++u->second;
      return;
    }
    svc = it->second;
    c.last_svc = svc;
    c.last_svc_ret.clear();  // the cached answer belonged to another service system
    c.last_svc_ok = false;
  }
  ServiceState& s = *services[svc];
  if (r.svc_ret.empty() || r.svc_ret != c.last_svc_ret) {
    auto cached = s.success_cache.find(AsAbsl(r.svc_ret));
    if (cached == s.success_cache.end()) {
      bool ok = !r.svc_ret.empty() && MatchAny(s.config->success, r.svc_ret);
      cached = s.success_cache.emplace(std::string(r.svc_ret), ok).first;
    }
    c.last_svc_ret.assign(r.svc_ret);
    c.last_svc_ok = cached->second;
  }
  const uint32_t failed = c.last_svc_ok ? 0 : 1;
  SvcBucket& sb = s.ring.Mutable(minute);
  ++sb.total, sb.failures += failed;
  if (c.svcs.empty()) {
    c.svcs.push_back(TxnSvcState{svc, {}, {}});  // the primary one
    c.primary_svc = svc;
  }
  if (c.primary_svc == svc) {
    ++bucket.svc_total, bucket.svc_failures += failed;
    return;
  }
  TxnSvcState* ts = nullptr;
  for (TxnSvcState& x : c.svcs) {
    if (x.svc == svc) ts = &x;
  }
  if (!ts) {
    c.svcs.push_back(TxnSvcState{svc, MinuteRing<SvcBucket>(c.ring.capacity()), {}});
    ts = &c.svcs.back();
  }
  SvcBucket& tb = ts->ring.Mutable(minute);
  ++tb.total, tb.failures += failed;
}

RetInfo Engine::State::NewRetInfo(const CodeState& c, std::string_view sys, std::string_view ret) const {
  RetClassification k = classifier.Classify(c.txn, sys, ret);
  RetInfo info{k.cls, k.unknown, -1, 0};
  for (size_t i = 0; i < c.trackers.size(); ++i) {
    if (c.trackers[i].ret == ret) info.tracked = static_cast<int>(i);
  }
  return info;
}

RetInfo& Engine::State::LookupRet(CodeState& c, const RecordView& r) {
  std::string_view own = c.own_sys;
  if (r.sys.empty() || r.sys == own) {
    for (int i = 0; i < c.inline_rets; ++i) {
      if (c.first_rets[i].first == r.ret) return c.first_rets[i].second;
    }
    if (c.inline_rets < CodeState::kInlineRets) {
      auto& slot = c.first_rets[c.inline_rets++];
      slot = {std::string(r.ret), NewRetInfo(c, own, r.ret)};
      return slot.second;
    }
    auto it = c.rets.find(AsAbsl(r.ret));
    if (it == c.rets.end()) it = c.rets.emplace(std::string(r.ret), NewRetInfo(c, own, r.ret)).first;
    return it->second;
  }
  auto it = c.rets_by_sys.find(SysRetView{r.sys, r.ret});
  if (it == c.rets_by_sys.end()) {
    it = c.rets_by_sys.emplace(SysRetKey{std::string(r.sys), std::string(r.ret)}, NewRetInfo(c, r.sys, r.ret)).first;
  }
  return it->second;
}

void Engine::State::AddToCode(uint32_t id, const RecordView& r, int64_t minute, const DaySpan& span) {
  CodeState& c = *codes[id];
  RetInfo& info = LookupRet(c, r);
  ++info.count;
  if (c.has_batch_or_recon) {
    for (auto& b : batches) {
      if (b->txn() == c.txn) b->Add(r, info.cls, seq);
    }
    for (auto& rc : recons) {
      if (rc->txn() == c.txn && r.phase == Phase::kEnd) rc->Add(r, seq);
    }
  }
  if (r.phase == Phase::kStart) return;  // a batch step starting is not a finished transaction

  CodeBucket& b = c.ring.Mutable(minute);
  if (info.cls == RetClass::kSystem && b.system < static_cast<uint32_t>(options.max_abnormal_records)) {
    // Failures before every window still to be evaluated are never reported: drop them here,
    // since a code whose sums cannot reach a threshold is not evaluated.
    const TimeMs keep_from = next_minute - c.p.abnormal_period_ms;
    while (!c.abnormal.empty() && c.abnormal.front().time < keep_from) c.abnormal.pop_front();
    c.abnormal.push_back(AbnormalRecord{r.time, r.ts, r.duration_ms, seq, std::string(r.node),
                                        std::string(r.serial), std::string(r.sys), std::string(r.svc_sys),
                                        std::string(r.ret), std::string(r.svc_ret)});
  }
  ++b.total;
  b.success += info.cls == RetClass::kSuccess;
  b.system += info.cls == RetClass::kSystem;
  b.timeouts += r.duration_ms > c.timeout_ms;
  if (info.tracked >= 0) ++c.trackers[info.tracked].ring.Mutable(minute);
  c.history.Add(minute, span);
  CodeHot& h = hot[id];
  h.MarkActive(minute);
  h.RecordAdded(minute);
  if (minute - h.day_first >= h.day_len || minute < h.day_first) {  // a new day: new hint
    h.day_counts = c.history.HintSlot(span.first_minute);
    h.day_first = span.first_minute;
    h.day_len = span.end_minute - span.first_minute;
  }
  if (minute > h.last_minute) {
    h.last_minute = minute;
    gates[id].windows_until = minute + h.widest_min;
  }
  if (!r.svc_sys.empty()) AddService(c, r, minute, b);
  if (c.per_node && !r.node.empty()) {
    auto n = c.nodes.find(AsAbsl(r.node));
    if (n == c.nodes.end()) {
      auto ns = std::make_unique<NodeState>();
      ns->node = std::string(r.node);
      ns->ring.Reset(c.ring.capacity());
      ns->first_minute = ns->last_minute = minute;
      n = c.nodes.emplace(ns->node, std::move(ns)).first;
    }
    NodeState& node = *n->second;
    ++node.ring.Mutable(minute);
    node.first_minute = std::min(node.first_minute, minute);
    node.last_minute = std::max(node.last_minute, minute);
  }
}

void Engine::Prefetch(const RecordView& r) const {
  const State& s = *s_;
  const uint32_t id = s.code_ids.Find(r.txn);
  if (id == CodeIndex::kAbsent) return;
  const char* block = reinterpret_cast<const char*>(s.codes[id].get()) + kRecordOffset;
  for (size_t line = 0; line < kRecordBlock; line += 64) __builtin_prefetch(block + line);
  const CodeHot& h = s.hot[id];
  const int64_t minute = MinuteOf(r.time);
  h.ring.Prefetch(minute);
  if (h.day_counts && minute >= h.day_first && minute < h.day_first + h.day_len) {
    __builtin_prefetch(h.day_counts + (minute - h.day_first));
  }
}

AddResult Engine::Add(const RecordView& r) {
  State& s = *s_;
  if (s.last_evaluated != INT64_MIN && r.time < s.last_evaluated) {
    ++s.stats.late;
    return AddResult::kLate;
  }
  // Live, a record from beyond the clock's skew is rejected here. Replay judges skew against
  // the records themselves, which needs look-ahead (see FutureGuard in replay.cc).
  if (s.clock != INT64_MIN && r.time > s.clock + s.config.max_future_skew_ms) {
    ++s.stats.future;
    return AddResult::kFuture;
  }
  ++s.stats.accepted;
  ++s.seq;
  s.max_time = std::max(s.max_time, r.time);
  if (s.next_minute == INT64_MIN) {
    s.next_minute = s.first_minute = MinuteStart(MinuteOf(r.time) + 1);
  }
  const int64_t minute = MinuteOf(r.time);
  const DaySpan& span = s.days.Of(minute);
  s.catalog.Mark(span.day);
  s.AddToCode(s.CodeId(r.txn), r, minute, span);
  return AddResult::kAccepted;
}

}  // namespace vigil
