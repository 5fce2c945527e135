// Fault planning for silence, volume, abnormal-count and timeout faults at minute F of the
// planner's day (see fault_plan.cc for the other online faults).
#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "sim/fault_planner.h"

namespace vigil::sim::internal {
namespace {

// no_txn: [F + silence, F + silence + 1m] to fire; [E + 1m, E + 3m] to resolve.
Expectation SilenceExpect(AlertKey key, TimeMs start, TimeMs end, int silence) {
  Expectation e{
      "no_txn",         std::move(key),  start + Minutes(silence), start + Minutes(silence + 1),
      end + Minutes(1), end + Minutes(3)};
  return e;
}

// The silence fault's length: long enough for the alert to fire and be seen.
int SilenceMinutes(int silence) { return std::max(30, silence + 15); }

}  // namespace

bool MonitoredThrough(Monitor m, bool workday, int from, int to) {
  if (from < 0 || to > 24 * 60) return false;
  if (m == Monitor::kBoth) return true;
  const bool all_busy = workday && from >= kBusyBeginMinute && to <= kBusyEndMinute;
  const bool all_idle = !workday || to <= kBusyBeginMinute || from >= kBusyEndMinute;
  return (m == Monitor::kBusy && all_busy) || (m == Monitor::kIdle && all_idle);
}

void PlanNoTxn(Planner& p, int F) {
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    // Watched from the start to the resolve (3 minutes after the end).
    bool watched =
        MonitoredThrough(t.monitor, p.workday(), F, F + SilenceMinutes(t.silence_min) + 3);
    if (p.Free(i, F, F + 45) && watched && !t.per_node) cands.push_back(i);
  }
  if (cands.empty()) {
    return p.Skip("no_txn", p.workday() && F >= kBusyBeginMinute && F < kBusyEndMinute
                                ? "no code monitored in busy hours"
                                : "no code monitored at this hour");
  }
  int i = p.Pick(cands, "A003");
  const TxnCode& c = p.code(i);
  const int silence = p.tune(i).silence_min;
  const int dur = SilenceMinutes(silence);
  Fault& f = p.Add("no_txn", Effect::kSilence, p.At(F), p.At(F + dur));
  f.code = i;
  f.desc = fmt::format(
      "{} {} ({} {}): no transaction at all for {} minutes (monitor {}, "
      "silence {}m)",
      c.code, c.name, p.bank.systems[static_cast<size_t>(c.sys)].code,
      p.bank.systems[static_cast<size_t>(c.sys)].name, dur, MonitorName(p.tune(i).monitor),
      silence);
  f.expect.push_back(SilenceExpect(TxnKey(c), f.start, f.end, silence));
  f.tolerate.push_back({"volume_ratio", TxnKey(c)});
  f.until = f.end + Minutes(kRatioWindowMin + 3);
  p.Claim(i, f);
}

void PlanNodeDown(Planner& p, int F) {
  // Per-node codes watched through the longest node fault (silence 30m: 45m, + 5 to resolve).
  auto watched = [&](int i) {
    return p.tune(i).per_node && MonitoredThrough(p.tune(i).monitor, p.workday(), F, F + 50);
  };
  int best = -1, best_n = 0;
  for (size_t s = 0; s < p.bank.systems.size(); ++s) {
    int n = 0;
    for (int i = 0; i < p.codes(); ++i) {
      if (p.code(i).sys == static_cast<int>(s) && watched(i)) ++n;
    }
    if (n > best_n) best = static_cast<int>(s), best_n = n;
  }
  if (best < 0) return p.Skip("no_txn_node", "no code watched per node");
  const RequestSystem& sys = p.bank.systems[static_cast<size_t>(best)];
  int max_silence = 0;
  for (int i = 0; i < p.codes(); ++i) {
    if (p.code(i).sys == best && watched(i))
      max_silence = std::max(max_silence, p.tune(i).silence_min);
  }
  const int dur = SilenceMinutes(max_silence);
  Fault& f = p.Add("no_txn_node", Effect::kNodeDown, p.At(F), p.At(F + dur));
  f.sys = best, f.node = sys.nodes - 1;
  const std::string& node = sys.node_names.back();
  f.desc = fmt::format(
      "{} {} node {} stops taking traffic for {} minutes; the load balancer "
      "moves its share to the other {} nodes",
      sys.code, sys.name, node, dur, sys.nodes - 1);
  for (int i = 0; i < p.codes(); ++i) {
    if (p.code(i).sys != best || !watched(i)) continue;
    AlertKey key = {{"txn", p.code(i).code}, {"node", node}};
    f.expect.push_back(SilenceExpect(key, f.start, f.end, p.tune(i).silence_min));
  }
  f.until = f.end + Minutes(5);
}

void PlanVolume(Planner& p, bool drop, int F) {
  const char* kind = drop ? "volume_drop" : "volume_spike";
  const int E = F + 60;
  int earlier = 0;  // days of the same type before: the volume baseline
  for (int d = 0; d < p.day; ++d) earlier += p.cal.day(d).workday == p.workday() ? 1 : 0;
  if (earlier < kBaselineDays) {
    return p.Skip(kind, fmt::format("needs {} earlier {} for a baseline, has {}", kBaselineDays,
                                    p.workday() ? "workdays" : "holidays", earlier));
  }
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    if (!p.Free(i, F, E) || (drop ? t.ratio_bounds.first < 0.5 : t.ratio_bounds.second > 1.8))
      continue;
    // Evaluated throughout: the 60-minute count stays well above the minimum baseline.
    if (p.MinWindow(i, kRatioWindowMin, F, E + kRatioWindowMin + 2) >= 1.3 * t.ratio_min_baseline) {
      cands.push_back(i);
    }
  }
  if (cands.empty()) {
    return p.Skip(kind, fmt::format("no code with a large enough volume baseline at {}",
                                    FormatClockMinutes(F)));
  }
  // Prefer the tightest bounds: the fault then needs the smallest change to show.
  auto width = [&](int i) { return p.tune(i).ratio_bounds.second - p.tune(i).ratio_bounds.first; };
  double tightest = width(*std::min_element(cands.begin(), cands.end(),
                                            [&](int a, int b) { return width(a) < width(b); }));
  cands.erase(
      std::remove_if(cands.begin(), cands.end(), [&](int i) { return width(i) > tightest; }),
      cands.end());
  int i = p.Pick(cands, drop ? "A005" : "");
  const TxnCode& c = p.code(i);
  const CodeTuning& t = p.tune(i);
  const double r_lo = kLevelLow / kLevelHigh;
  Fault& f = p.Add(kind, drop ? Effect::kThin : Effect::kBoost, p.At(F), p.At(E));
  f.code = i;
  f.factor = drop ? std::min(0.4, t.ratio_bounds.first * r_lo * 0.7)
                  : std::max(0.7, t.ratio_bounds.second / r_lo * 1.25 - 1);
  f.desc = fmt::format(
      "{} {}: volume {} to about {} of normal for 60 minutes (ratio_bounds "
      "[{}, {}])",
      c.code, c.name, drop ? "collapses" : "jumps",
      fmt::format("{:.0f}%", (drop ? f.factor : 1 + f.factor) * 100), t.ratio_bounds.first,
      t.ratio_bounds.second);
  Expectation e{"volume_ratio",       TxnKey(c),
                f.start + Minutes(1), f.start + Minutes(kRatioWindowMin + 1),
                f.end + Minutes(1),   f.end + Minutes(kRatioWindowMin + 2)};
  f.expect.push_back(e);
  if (drop) {
    f.tolerate.push_back({"no_txn", TxnKey(c)});
  } else {
    for (const char* r : {"abnormal_count", "timeout_count", "system_success"}) {
      f.tolerate.push_back({r, TxnKey(c)});
    }
  }
  f.until = f.end + Minutes(kRatioWindowMin + 3);
  p.Claim(i, f);
}

void PlanAbnormal(Planner& p, int F) {
  std::vector<int> cands;
  int64_t lowest = 4;
  for (int i = 0; i < p.codes(); ++i) {
    if (p.Free(i, F, F + 20) && p.code(i).financial)
      lowest = std::min(lowest, p.tune(i).abnormal_threshold);
  }
  for (int i = 0; i < p.codes(); ++i) {
    if (p.Free(i, F, F + 20) && p.code(i).financial && p.tune(i).abnormal_threshold == lowest)
      cands.push_back(i);
  }
  if (cands.empty() || lowest > 3)
    return p.Skip("abnormal_count", "no financial code with abnormal_threshold <= 3");
  int i = p.Pick(cands, "A007");
  const TxnCode& c = p.code(i);
  const int64_t threshold = p.tune(i).abnormal_threshold;
  Fault& f = p.Add("abnormal_count", Effect::kInject, p.At(F), p.At(F + 5));
  f.code = i, f.ret = c.system_ret;
  const auto dur = static_cast<TimeMs>(std::lround(c.latency_median_ms));
  std::vector<TimeMs> times;  // event times of the injected failures
  for (int64_t k = 0; k < threshold + 2; ++k) {
    f.inject_times.push_back(f.start + 20'000 + k * 50'000);
    times.push_back(f.inject_times.back() + dur);
  }
  // Replay the rule over the injected records: fires at the first minute with `threshold`
  // of them in [t - period, t), resolves at the first later minute with fewer.
  auto holds = [&](TimeMs t) {
    return std::count_if(times.begin(), times.end(), [&](TimeMs x) {
             return x >= t - Minutes(kAbnormalPeriodMin) && x < t;
           }) >= threshold;
  };
  TimeMs t = f.start;
  while (!holds(t)) t += Minutes(1);
  TimeMs fire = t;
  while (holds(t)) t += Minutes(1);
  f.expect.push_back({"abnormal_count", TxnKey(c), fire, fire + Minutes(1), t, t + Minutes(1)});
  const RetCode& r = p.bank.rets[static_cast<size_t>(c.system_ret)];
  f.desc = fmt::format(
      "{} {} (financial, about {:.1f} per 10 min): {} failures {} {} within 5 "
      "minutes (abnormal_threshold {})",
      c.code, c.name, p.Count(i, F - 5, F + 5), threshold + 2, r.code, r.msg, threshold);
  for (const char* rule : {"system_success", "business_success", "ret_ratio"}) {
    f.tolerate.push_back({rule, TxnKey(c)});
  }
  f.until = t + Minutes(3);
  p.Claim(i, f);
}

void PlanTimeout(Planner& p, int F) {
  const int E = F + 15;
  std::vector<int> cands;
  for (int i = 0; i < p.codes(); ++i) {
    const CodeTuning& t = p.tune(i);
    if (!p.Free(i, F, E)) continue;
    double n = p.MinWindow(i, kTimeoutPeriodMin, F + 1, E);
    if (n >= 3.0 * static_cast<double>(t.timeout_threshold) && n >= 10) cands.push_back(i);
  }
  if (cands.empty()) {
    return p.Skip("timeout_count",
                  fmt::format("no code busy enough at {}", FormatClockMinutes(F)));
  }
  int i = p.Pick(cands, "A008");
  const TxnCode& c = p.code(i);
  const CodeTuning& t = p.tune(i);
  Fault& f = p.Add("timeout_count", Effect::kSlow, p.At(F), p.At(E));
  f.code = i, f.factor = static_cast<double>(t.timeout_ms);
  f.desc = fmt::format(
      "{} {}: response times jump from about {:.0f} ms to several seconds "
      "for 15 minutes (timeout_ms {}, timeout_threshold {})",
      c.code, c.name, c.latency_median_ms, t.timeout_ms, t.timeout_threshold);
  Expectation e{"timeout_count",      TxnKey(c),
                f.start + Minutes(1), f.start + Minutes(kTimeoutPeriodMin + 1),
                f.end + Minutes(1),   f.end + Minutes(kTimeoutPeriodMin + 2)};
  f.expect.push_back(e);
  f.until = f.end + Minutes(kTimeoutPeriodMin + 3);
  p.Claim(i, f);
}

}  // namespace vigil::sim::internal
