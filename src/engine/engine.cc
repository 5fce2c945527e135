// The engine's minute loop: which minutes to evaluate, the time context of each, the order of
// rules and keys, and the contract's event order.
#include "engine/engine.h"

#include <algorithm>
#include <cstddef>

#include "engine/engine_state.h"
#include "fmt/format.h"

namespace vigil {

static_assert(offsetof(CodeState, p) + sizeof(CodeParams) <= kEvalBytes);
constexpr size_t kStateAhead = 4;

Engine::Engine(const Config& config, const Calendar& calendar, AlertSink* sink, EngineOptions options)
    : s_(std::make_unique<State>(config, calendar, sink, options)) {
  State& s = *s_;
  s.ring_slack_min = (config.allowed_lateness_ms + config.max_future_skew_ms) / kMsPerMinute + 2;
  for (const auto& [id, svc] : config.service_systems) {
    auto st = std::make_unique<ServiceState>();
    st->id = id;
    st->config = &svc;
    st->subject = svc.name.empty() ? id : fmt::format("{} {}", id, svc.name);
    st->min = svc.service_success_min.value_or(config.DefaultServiceSuccessMin());
    const CodeParams defaults = config.ResolveParams("");
    st->window_min = svc.window_ms.value_or(defaults.window_ms) / kMsPerMinute;
    st->min_count = svc.min_count.value_or(defaults.min_count);
    st->for_ms = svc.for_ms.value_or(defaults.for_ms);
    st->severity = svc.severity.value_or(config.defaults.severity.value_or("critical"));
    st->ring.Reset(static_cast<int>(st->window_min + s.ring_slack_min + 4));
    s.service_ids.emplace(id, static_cast<int>(s.services.size()));
    s.services.push_back(std::move(st));
  }
  for (const auto& step : config.batch) {
    s.batches.push_back(std::make_unique<BatchTracker>(step, calendar, config.ResolveParams(step.txn).for_ms));
  }
  for (const auto& check : config.recon) {
    CodeParams p = config.ResolveParams(check.txn);
    s.recons.push_back(std::make_unique<ReconTracker>(check, calendar,
                                                      check.baseline_days.value_or(p.baseline_days), p.for_ms));
  }
  // Configured codes are watched from the start, even before (or without) their first record.
  for (const auto& [txn, code] : config.txn_codes) s.CreateCode(txn);
}

Engine::~Engine() = default;

TimeMs Engine::RecordWatermark() const {
  return s_->max_time == INT64_MIN ? INT64_MIN : s_->max_time - s_->config.allowed_lateness_ms;
}
TimeMs Engine::max_time() const { return s_->max_time; }
TimeMs Engine::next_minute() const { return s_->next_minute; }
void Engine::SetClock(TimeMs now) { s_->clock = now; }
const EngineStats& Engine::stats() const { return s_->stats; }

void Engine::AdvanceTo(TimeMs watermark) {
  State& s = *s_;
  while (s.next_minute != INT64_MIN && s.next_minute <= watermark) {
    s.EvaluateMinute(s.next_minute);
    s.last_evaluated = s.next_minute;
    s.next_minute += kMsPerMinute;
  }
}

MinuteContext Engine::State::Context(TimeMs t) {
  MinuteContext m;
  m.t = t;
  m.minute = MinuteOf(t);
  m.day = days.Of(m.minute);
  m.busy = calendar.IsBusy(t);
  m.first_minute = MinuteOf(first_minute);
  if (stats.minutes_evaluated > 0 && prev.minute == m.minute - 1) {
    m.run_start_minute = m.busy == prev.busy ? prev.run_start_minute : m.minute;
  } else {
    // Only whether the run reaches back past the longest silence matters: stop looking there.
    int64_t r = m.minute;
    while (r > m.minute - max_silence_min - 1 && calendar.IsBusy(MinuteStart(r - 1)) == m.busy) --r;
    m.run_start_minute = r;
  }
  return m;
}

void Engine::ImportHistory(const HistoryDay& day) {
  State& s = *s_;
  const DaySpan span = s.days.Compute(day.day);
  s.catalog.Mark(day.day);
  for (const HistoryDay::Code& code : day.codes) s.Code(code.txn)->history.Import(span, code.minutes);
  for (const HistoryDay::Recon& r : day.recon) {
    for (auto& tracker : s.recons) {
      if (tracker->name() == r.check) tracker->AddHistoricalResult(day.day, r.mismatch_count, r.mismatch_amount);
    }
  }
}

void Engine::CloseRemainingDays() {
  State& s = *s_;
  if (!s.options.history_sink) return;
  for (auto& c : s.codes) c->history.Finalize(INT64_MAX);
  std::vector<LocalDay> open(s.catalog.days().upper_bound(s.last_closed_day), s.catalog.days().end());
  for (LocalDay d : open) s.CloseDay(d);
}

void Engine::State::CloseDay(LocalDay day) {
  if (!options.history_sink || !catalog.days().contains(day) || day <= last_closed_day) return;
  last_closed_day = day;
  HistoryDay h;
  h.day = day;
  for (const auto& c : codes) {
    auto minutes = c->history.Export(day);
    if (!minutes.empty()) h.codes.push_back(HistoryDay::Code{c->txn, std::move(minutes)});
  }
  for (const auto& r : recons) {
    HistoryDay::Recon result{r->name(), std::nullopt, std::nullopt};
    if (r->ResultOf(day, &result.mismatch_count, &result.mismatch_amount)) h.recon.push_back(result);
  }
  options.history_sink->OnDayClosed(h);
}

void Engine::State::EvaluateMinute(TimeMs t) {
  const MinuteContext m = Context(t);
  if (m.day.day != pruned_for_day) {
    // The first minute of a day: every minute of the day before is final now.
    if (pruned_for_day != INT64_MIN) CloseDay(m.day.day - 1);
    PruneHistory(m.day);
  }
  baselines.NewMinute(m);
  EvalEnv env{config, calendar.time_zone(), options, services, baselines, &pending};
  CollectDue(m);
  stats.code_evaluations += static_cast<int64_t>(due.size());
  // The codes' state is scattered over the heap: start loading a code's state a few codes
  // ahead, so that the loads overlap the evaluation of the codes in between.
  for (size_t j = 0; j < due.size(); ++j) {
    if (j + kStateAhead < due.size()) {
      const char* next = reinterpret_cast<const char*>(codes[due[j + kStateAhead]].get());
      for (size_t line = 0; line < kEvalBytes; line += 64) __builtin_prefetch(next + line);
    }
    const size_t i = due[j];
    CodeGate& g = gates[i];
    CodeState& c = *codes[i];
    const WindowSums& w = hot[i].sums;
    // A code with nothing in its windows, and no alert of those rules open, cannot change any
    // of them: skip the work.
    const bool quiet = m.minute > g.windows_until && !g.open;
    if (!quiet) {
      EvaluateRateRules(c, m, w, env);
      EvaluateCountRules(c, m, w, env);
    }
    EvaluateVolumeRules(c, m, w, env);
    g.open = AnyAlertOpen(c);
    g.ratio_day = c.ratio_day;
    g.ratio_possible = c.ratio_possible;
  }
  for (auto& svc : services) EvaluateService(*svc, m, &pending);
  for (auto& b : batches) b->Evaluate(m, &pending);
  for (auto& r : recons) r->Evaluate(m, &pending);
  prev = m;
  ++stats.minutes_evaluated;
  Emit();
}

// Brings every code's window sums to minute m and lists the codes whose rules could change.
// Most codes, most minutes: nothing recent, no alert open, no rule that could hold.
void Engine::State::CollectDue(const MinuteContext& m) {
  due.clear();
  const uint8_t kind = MinuteKind(m.busy);
  for (size_t i = 0; i < gates.size(); ++i) {
    CodeGate& g = gates[i];
    // Recent records only matter when one of them entered or left a window this minute, and
    // the sums reach what a rate or count rule needs: with no alert open, the rules decide as
    // they did a minute ago, or cannot hold.
    bool recent = false;
    if (m.minute <= g.windows_until || !g.sums_idle) {
      CodeHot& h = hot[i];
      const uint64_t active = h.ActiveMask(m.minute);
      g.sums_idle = h.AdvanceSums(m.minute, active);
      recent = !g.sums_idle && h.WindowsChanged(m.minute, active) && (h.per_node || h.CouldHold());
    }
    const bool no_txn_now = g.no_txn_when & kind;
    const bool ratio_now = (g.ratio_when & kind) && (g.ratio_day != m.day.day || g.ratio_possible);
    if (recent || g.open || no_txn_now || ratio_now) due.push_back(static_cast<uint32_t>(i));
  }
}

bool AnyAlertOpen(const CodeState& c) {
  auto open = [](const AlertState& a) { return !a.idle(); };
  if (open(c.system_success) || open(c.business_success) || open(c.no_txn) || open(c.volume_ratio) ||
      open(c.abnormal_count) || open(c.timeout_count)) {
    return true;
  }
  for (const auto& t : c.trackers) if (open(t.alert)) return true;
  for (const auto& s : c.svcs) if (open(s.alert)) return true;
  for (const auto& [name, n] : c.nodes) if (open(n->alert)) return true;
  return false;
}

void Engine::State::PruneHistory(const DaySpan& today) {
  pruned_for_day = today.day;
  int max_days = 1;
  for (const auto& c : codes) max_days = std::max(max_days, c->p.baseline_days);
  absl::flat_hash_set<LocalDay> keep = {today.day, today.day - 1, today.day + 1};
  LocalDay oldest = today.day - 1;
  for (DayType type : {DayType::kWorkday, DayType::kHoliday}) {
    for (LocalDay d : catalog.Previous(today.day, type, max_days, calendar)) {
      keep.insert(d);
      keep.insert(d - 1);  // a window reaching back past midnight reads the day before
      oldest = std::min(oldest, d);
    }
  }
  for (auto& c : codes) c->history.Prune(keep);
  catalog.Forget(oldest);
}

void Engine::State::Emit() {
  if (pending.empty()) return;
  std::vector<std::pair<std::string, AlertEvent*>> order;
  order.reserve(pending.size());
  for (AlertEvent& e : pending) order.emplace_back(e.key.ToJson(), &e);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.second->rule != b.second->rule) return a.second->rule < b.second->rule;
    return a.first < b.first;
  });
  for (auto& [key, e] : order) {
    auto& counter = e->firing ? stats.fired : stats.resolved;
    ++counter[static_cast<int>(e->rule)];
    if (sink) sink->OnAlert(*e);
  }
  pending.clear();
}

std::vector<UnclassifiedRet> Engine::Unclassified() const {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const auto& c : s_->codes) {
    for (int i = 0; i < c->inline_rets; ++i) {
      const auto& [ret, info] = c->first_rets[i];
      if (info.unknown && info.count > 0) counts[{c->txn, ret}] += info.count;
    }
    for (const auto& [ret, info] : c->rets) {
      if (info.unknown && info.count > 0) counts[{c->txn, ret}] += info.count;
    }
    for (const auto& [key, info] : c->rets_by_sys) {
      if (info.unknown && info.count > 0) counts[{c->txn, key.ret}] += info.count;
    }
  }
  std::vector<UnclassifiedRet> out;
  for (const auto& [k, n] : counts) out.push_back(UnclassifiedRet{k.first, k.second, n});
  return out;
}

std::vector<std::string> Engine::UnconfiguredCodes() const {
  std::vector<std::string> out;
  for (const auto& c : s_->codes) {
    if (!c->config) out.push_back(c->txn);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Engine::UnconfiguredServiceSystems() const {
  std::vector<std::string> out;
  for (const auto& [id, n] : s_->unconfigured_services) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

MemoryUse Engine::Memory() const {
  MemoryUse m;
  m.codes = static_cast<int64_t>(s_->codes.size());
  for (const auto& c : s_->codes) {
    m.history_days += static_cast<int64_t>(c->history.days());
    m.history_bytes += static_cast<int64_t>(c->history.bytes());
  }
  return m;
}

}  // namespace vigil
