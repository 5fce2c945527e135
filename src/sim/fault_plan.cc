// Fault planning for the online traffic: every fault lands on the last workday (L) of the
// simulation, in its own slot of the busy hours, on its own code, so that its side effects
// are local and listed. See fault_plan.h for what a fault promises.
#include "sim/fault_plan.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "fmt/format.h"
#include "sim/fault_planner.h"

namespace vigil::sim {
namespace internal {

Planner::Planner(const Bank& b, const Tuning& t, const SimCalendar& c, uint64_t seed,
                 EodSchedule* e)
    : bank(b), tuning(t), cal(c), eod(e), rng(DeriveSeed(seed, 0xFA17)) {
  last_workday = cal.LastWorkday();
  previous_workday = last_workday >= 0 ? cal.LastWorkday(last_workday) : -1;
  day = last_workday;
  claims.resize(bank.codes.size());
}

double Planner::Count(int i, int from, int to) const {
  double sum = 0;
  const bool work = workday();
  for (int m = std::max(from, 0); m < std::min(to, 1440); ++m) sum += bank.Rate(code(i), m, work);
  return sum;
}

double Planner::MinWindow(int i, int w, int t_from, int t_to) const {
  double least = 1e300;
  for (int t = t_from; t <= t_to; ++t) least = std::min(least, Count(i, t - w, t));
  return least * kLevelLow;
}

bool Planner::Free(int i, int from_minute, int to_minute) const {
  TimeMs from = At(from_minute) - kMsPerHour, to = At(to_minute) + kMsPerHour;
  for (const auto& [a, b] : claims[static_cast<size_t>(i)]) {
    if (a < to && from < b) return false;
  }
  return true;
}

void Planner::Claim(int i, const Fault& f) {
  claims[static_cast<size_t>(i)].push_back({f.start, f.until.value_or(f.end)});
}

int Planner::Pick(const std::vector<int>& candidates, const std::string& role) {
  for (int i : candidates) {
    if (!role.empty() && code(i).role == role) return i;
  }
  return candidates[rng.Below(static_cast<uint32_t>(candidates.size()))];
}

Fault& Planner::Add(const std::string& kind, Effect effect, TimeMs start, TimeMs end) {
  Fault f;
  f.id = fmt::format("F{:02d}", plan.faults.size() + 1);
  f.kind = kind;
  f.effect = effect;
  f.start = start;
  f.end = end;
  plan.faults.push_back(std::move(f));
  return plan.faults.back();
}

void Planner::Skip(const std::string& kind, const std::string& why) {
  plan.skipped.push_back(fmt::format("{}: {}", kind, why));
}

AlertKey TxnKey(const TxnCode& c) { return {{"txn", c.code}}; }
TimeMs Minutes(int64_t m) { return m * kMsPerMinute; }
TimeMs FloorMinute(TimeMs t) { return MinuteStart(MinuteOf(t)); }

Expectation WindowExpect(const std::string& rule, AlertKey key, TimeMs start, TimeMs end, int w) {
  Expectation e{rule, std::move(key), start + Minutes(1), start + Minutes(w + 1), {}, {}};
  e.resolve_from = end + Minutes(1);
  e.resolve_by = end + Minutes(w + 2);
  return e;
}

namespace {

std::string Pct(double share) { return fmt::format("{:.0f}%", share * 100); }

void ToleratePerCode(const TxnCode& c, Fault* f, std::initializer_list<const char*> rules) {
  for (const char* r : rules) f->tolerate.push_back({r, TxnKey(c)});
}

}  // namespace

void PlanSystemSuccess(Planner& p, int F) {
  const int E = F + 10;
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    if (!p.Free(i, F, E)) continue;
    const int w = t.window_min;
    if (p.MinWindow(i, w, F, E + w + 2) >= 2.0 * static_cast<double>(t.min_count))
      cands.push_back(i);
  }
  if (cands.empty()) {
    return p.Skip("system_success",
                  fmt::format("no code busy enough at {}", FormatClockMinutes(F)));
  }
  int i = p.Pick(cands, "");
  const TxnCode& c = p.code(i);
  Fault& f = p.Add("system_success", Effect::kRetShare, p.At(F), p.At(E));
  f.code = i, f.share = 0.5, f.ret = c.system_ret;
  const RetCode& r = p.bank.rets[static_cast<size_t>(c.system_ret)];
  f.desc = fmt::format("{} {}: {} of transactions fail with {} {} (system class) for 10 minutes",
                       c.code, c.name, Pct(f.share), r.code, r.msg);
  f.expect.push_back(
      WindowExpect("system_success", TxnKey(c), f.start, f.end, p.tune(i).window_min));
  // Failures also lower the success share and every ret's share.
  ToleratePerCode(c, &f, {"abnormal_count", "business_success", "ret_ratio"});
  f.until = f.end + Minutes(std::max(p.tune(i).window_min, kAbnormalPeriodMin) + 3);
  p.Claim(i, f);
}

namespace {

int MainBusinessRet(const TxnCode& c) {
  const OutcomeShare* best = &c.business.front();
  for (const OutcomeShare& o : c.business)
    if (o.share > best->share) best = &o;
  return best->ret;
}

}  // namespace

void PlanBusinessSuccess(Planner& p, int F) {
  const int E = F + 15;
  const double kShare = 0.45;
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    if (!p.Free(i, F, E) || !t.business_success_min || p.code(i).business.empty()) continue;
    if ((1 - kShare) * p.code(i).success_share > *t.business_success_min - 0.05) continue;
    const int w = t.window_min;
    if (p.MinWindow(i, w, F, E + w + 2) >= 2.0 * static_cast<double>(t.min_count))
      cands.push_back(i);
  }
  if (cands.empty())
    return p.Skip("business_success", "no code with business_success_min busy enough");
  int i = p.Pick(cands, "A005");
  const TxnCode& c = p.code(i);
  Fault& f = p.Add("business_success", Effect::kRetShare, p.At(F), p.At(E));
  f.code = i, f.share = kShare, f.ret = MainBusinessRet(c);
  const RetCode& r = p.bank.rets[static_cast<size_t>(f.ret)];
  f.desc = fmt::format(
      "{} {}: business rejections spike, {} of transactions return {} {} "
      "for 15 minutes (business_success_min {:.2f})",
      c.code, c.name, Pct(kShare), r.code, r.msg, *p.tune(i).business_success_min);
  f.expect.push_back(
      WindowExpect("business_success", TxnKey(c), f.start, f.end, p.tune(i).window_min));
  ToleratePerCode(c, &f, {"ret_ratio"});
  f.until = f.end + Minutes(p.tune(i).window_min + 3);
  p.Claim(i, f);
}

namespace {

double NormalShare(const TxnCode& c, int ret) {
  if (ret == c.success_ret) return c.success_share;
  for (const OutcomeShare& o : c.business)
    if (o.ret == ret) return o.share;
  return 0;
}

}  // namespace

void PlanRetRatio(Planner& p, int F) {
  const int E = F + 20;
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    if (!p.Free(i, F, E) || t.ret_ratio.empty()) continue;
    const int w = t.window_min;
    if (p.MinWindow(i, w, F, E + w + 2) >= 2.0 * t.min_count) cands.push_back(i);
  }
  if (cands.empty()) return p.Skip("ret_ratio", "no code with ret_ratio busy enough");
  int i = p.Pick(cands, "A001");
  const TxnCode& c = p.code(i);
  const CodeTuning& t = p.tune(i);
  const RetRange* target = &t.ret_ratio.front();  // the rarest configured ret rises
  for (const RetRange& r : t.ret_ratio) {
    if (NormalShare(c, r.ret) < NormalShare(c, target->ret)) target = &r;
  }
  Fault& f = p.Add("ret_ratio", Effect::kRetShare, p.At(F), p.At(E));
  f.code = i, f.ret = target->ret, f.share = std::min(0.9, target->hi + 0.35);
  const RetCode& rc = p.bank.rets[static_cast<size_t>(f.ret)];
  f.desc =
      fmt::format("{} {}: {} {} rises from {} to about {} of transactions for 20 minutes", c.code,
                  c.name, rc.code, rc.msg.empty() ? "交易成功" : rc.msg, Pct(NormalShare(c, f.ret)),
                  Pct(f.share + (1 - f.share) * NormalShare(c, f.ret)));
  for (const RetRange& r : t.ret_ratio) {
    double now = (r.ret == f.ret ? f.share : 0) + (1 - f.share) * NormalShare(c, r.ret);
    if (now > r.hi + 0.1 || (r.lo > 0 && now < r.lo - 0.1)) {
      AlertKey key = {{"txn", c.code}, {"ret", p.bank.rets[static_cast<size_t>(r.ret)].code}};
      f.expect.push_back(WindowExpect("ret_ratio", key, f.start, f.end, t.window_min));
    }
  }
  if (f.expect.empty()) {
    p.plan.faults.pop_back();
    return p.Skip("ret_ratio", "the configured ranges are too wide to cross");
  }
  ToleratePerCode(c, &f, {"ret_ratio", "business_success"});
  f.until = f.end + Minutes(p.tune(i).window_min + 3);
  p.Claim(i, f);
}

void PlanServiceSuccess(Planner& p, int F) {
  const int E = F + 10;
  int best = -1;
  size_t best_callers = 0;
  for (size_t s = 0; s < p.bank.services.size(); ++s) {
    double n = 0;
    size_t callers = 0;
    for (int i = 0; i < p.codes(); ++i) {
      if (p.code(i).svc != static_cast<int>(s)) continue;
      ++callers;
      n += p.MinWindow(i, kWindowMin, F, E + kWindowMin + 2);
    }
    if (callers < 3 || n < 2.0 * static_cast<double>(p.tuning.services[s].min_count)) continue;
    if (best < 0 || callers < best_callers) best = static_cast<int>(s), best_callers = callers;
  }
  if (best < 0) {
    return p.Skip("service_success",
                  fmt::format("no service system busy enough at {}", FormatClockMinutes(F)));
  }
  const ServiceSystem& svc = p.bank.services[static_cast<size_t>(best)];
  Fault& f = p.Add("service_success", Effect::kServiceFail, p.At(F), p.At(E));
  f.svc = best, f.share = 0.4;
  f.desc = fmt::format(
      "{} {}: {} of calls fail with {} for 10 minutes; its {} callers return "
      "system errors",
      svc.code, svc.name, Pct(f.share), svc.failure, best_callers);
  f.expect.push_back(
      WindowExpect("service_success", {{"svc_sys", svc.code}}, f.start, f.end, kWindowMin));
  for (int i = 0; i < p.codes(); ++i) {
    const TxnCode& c = p.code(i);
    if (c.svc != best) continue;
    AlertKey key = {{"txn", c.code}, {"svc_sys", svc.code}};
    const int w = p.tune(i).window_min;
    if (p.MinWindow(i, w, F, E + w + 2) >= 2.0 * static_cast<double>(p.tune(i).min_count)) {
      f.expect.push_back(WindowExpect("service_success", key, f.start, f.end, w));
    }
    f.tolerate.push_back({"service_success", key});
    ToleratePerCode(c, &f, {"system_success", "abnormal_count", "business_success", "ret_ratio"});
  }
  f.until = f.end + Minutes(3 * kWindowMin + 3);  // the longest code window, > abnormal_period
}

}  // namespace internal

const std::vector<std::pair<std::string, std::string>>& FaultKinds() {
  static const std::vector<std::pair<std::string, std::string>> v = {
      {"system_success", "system_success"},
      {"ret_ratio", "ret_ratio"},
      {"business_success", "business_success"},
      {"service_success", "service_success"},
      {"abnormal_count", "abnormal_count"},
      {"no_txn", "no_txn"},
      {"no_txn_node", "no_txn"},
      {"volume_drop", "volume_ratio"},
      {"volume_spike", "volume_ratio"},
      {"timeout_count", "timeout_count"},
      {"batch_failure", "batch"},
      {"batch_overrun", "batch"},
      {"batch_late_start", "batch"},
      {"recon_missing", "recon"},
      {"recon_mismatch", "recon"},
  };
  return v;
}

FaultPlan PlanFaults(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar,
                     const std::set<std::string>& kinds, uint64_t seed, EodSchedule* eod) {
  using namespace internal;
  Planner p(bank, tuning, calendar, seed, eod);
  // Planned most constrained first (they need codes with special parameters), each kind in
  // its own slot of day L (docs/simulator.md); the ids follow the faults' start times.
  const int L = p.last_workday, P = p.previous_workday, last = calendar.size() - 1;
  const std::vector<std::pair<const char*, std::function<void(Planner&)>>> planners = {
      {"ret_ratio", [](Planner& q) { PlanRetRatio(q, 10 * 60); }},
      {"business_success", [](Planner& q) { PlanBusinessSuccess(q, 10 * 60 + 40); }},
      {"volume_spike", [](Planner& q) { PlanVolume(q, false, 15 * 60); }},
      {"volume_drop", [](Planner& q) { PlanVolume(q, true, 15 * 60); }},
      {"no_txn_node", [](Planner& q) { PlanNodeDown(q, 14 * 60); }},
      {"no_txn", [](Planner& q) { PlanNoTxn(q, 14 * 60); }},
      {"timeout_count", [](Planner& q) { PlanTimeout(q, 16 * 60 + 30); }},
      {"abnormal_count", [](Planner& q) { PlanAbnormal(q, 13 * 60 + 30); }},
      {"system_success", [](Planner& q) { PlanSystemSuccess(q, 9 * 60 + 30); }},
      {"service_success", [](Planner& q) { PlanServiceSuccess(q, 11 * 60 + 10); }},
      {"batch_failure", [P](Planner& q) { PlanBatchFailure(q, P, "needs two workdays"); }},
      {"batch_overrun", [P](Planner& q) { PlanBatchOverrun(q, P, "needs two workdays"); }},
      {"batch_late_start", [L](Planner& q) { PlanBatchLateStart(q, L, "no workday"); }},
      {"recon_missing", [last](Planner& q) { PlanReconMissing(q, std::max(last - 1, 0)); }},
      {"recon_mismatch",
       [last](Planner& q) { PlanReconMismatch(q, last > 0 ? last : -1, "needs two days"); }},
  };
  bool online = p.last_workday >= 0;
  for (const auto& [kind, plan] : planners) {
    if (!kinds.count(kind)) continue;
    bool eod_kind =
        std::string(kind).rfind("batch", 0) == 0 || std::string(kind).rfind("recon", 0) == 0;
    if (!online && !eod_kind) {
      p.Skip(kind, "the simulation has no workday");
      continue;
    }
    plan(p);
  }
  std::stable_sort(p.plan.faults.begin(), p.plan.faults.end(),
                   [](const Fault& a, const Fault& b) { return a.start < b.start; });
  for (size_t k = 0; k < p.plan.faults.size(); ++k)
    p.plan.faults[k].id = fmt::format("F{:02d}", k + 1);
  return std::move(p.plan);
}

void FinalizeFaults(TimeMs last_minute, std::vector<Fault>* faults) {
  for (Fault& f : *faults) {
    for (Expectation& e : f.expect) {
      if (e.resolve_from && *e.resolve_from > last_minute) {
        e.resolve_from.reset();
        e.resolve_by.reset();
      } else if (e.resolve_by && *e.resolve_by > last_minute) {
        e.resolve_by.reset();
      }
      if (!e.resolve_by) f.until.reset();
    }
    if (f.until && *f.until > last_minute) f.until.reset();
  }
}

}  // namespace vigil::sim
