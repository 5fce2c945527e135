// Rules 1-4: system_success, business_success, ret_ratio, service_success. Each is evaluated
// only when its window [t - W, t) holds at least min_count records; otherwise it does not hold.
#include "engine/engine_state.h"
#include "fmt/format.h"

namespace vigil {

std::string Percent(double v) { return fmt::format("{:.2f}%", v * 100); }

AlertEvent CodeEvent(const CodeState& c, Rule rule, TimeMs t, Transition tr) {
  AlertEvent e;
  e.at = t;
  e.firing = tr == Transition::kFired;
  e.rule = rule;
  e.key.fields.emplace_back(KeyField::kTxn, c.txn);
  e.severity = c.p.severity;
  return e;
}

namespace {

// A rate compared with its minimum: fires when strictly below.
struct RateCheck {
  bool evaluated = false;
  double rate = 0;
  bool Holds(double min) const { return evaluated && rate < min; }
};

RateCheck Rate(int64_t good, int64_t total, int64_t min_count) {
  RateCheck r;
  if (total > 0 && total >= min_count) {
    r.evaluated = true;
    r.rate = static_cast<double>(good) / static_cast<double>(total);
  }
  return r;
}

void EmitRate(const CodeState& c, Rule rule, const MinuteContext& m, Transition tr,
              const RateCheck& r, double min, std::string what, int64_t bad, int64_t total,
              EvalEnv& env) {
  AlertEvent e = CodeEvent(c, rule, m.t, tr);
  e.value = r.evaluated ? Json(RoundValue(r.rate)) : Json(nullptr);
  e.threshold = min;
  std::string window = FormatDuration(c.window_min * kMsPerMinute);
  if (e.firing) {
    e.summary = fmt::format("{} {} {} < {} ({} of {}) over the last {}", c.subject, what,
                            Percent(r.rate), Percent(min), bad, total, window);
  } else {
    e.summary = r.evaluated ? fmt::format("{} {} back to {} over the last {}", c.subject, what,
                                          Percent(r.rate), window)
                            : fmt::format("{} {} resolved ({} records in the last {}, below min_count {})",
                                          c.subject, what, total, window, c.p.min_count);
  }
  e.extra["total"] = total;
  env.out->push_back(std::move(e));
}

void EvaluateRetRatio(CodeState& c, const MinuteContext& m, int64_t total, EvalEnv& env) {
  const bool on = !c.p.IsOff(Rule::kRetRatio);
  const int64_t from = m.minute - c.window_min;
  for (RetTracker& tr : c.trackers) {
    int64_t n = 0;
    tr.ring.ForEach(from, m.minute, [&](uint32_t v) { n += v; });
    bool evaluated = on && total > 0 && total >= c.p.min_count;
    double share = evaluated ? static_cast<double>(n) / static_cast<double>(total) : 0;
    bool holds = evaluated && (share < tr.lo || share > tr.hi);
    Transition t = tr.alert.Update(m.t, holds, c.p.for_ms);
    if (t == Transition::kNone) continue;
    AlertEvent e = CodeEvent(c, Rule::kRetRatio, m.t, t);
    e.key.fields.emplace_back(KeyField::kRet, tr.ret);
    e.value = evaluated ? Json(RoundValue(share)) : Json(nullptr);
    e.threshold = Json::array({tr.lo, tr.hi});
    std::string window = FormatDuration(c.window_min * kMsPerMinute);
    e.summary = holds ? fmt::format("{} return code {} share {} outside [{}, {}] ({} of {}) over the last {}",
                                    c.subject, tr.ret, Percent(share), Percent(tr.lo), Percent(tr.hi), n,
                                    total, window)
                      : fmt::format("{} return code {} share back in range over the last {}",
                                    c.subject, tr.ret, window);
    e.extra["count"] = n;
    e.extra["total"] = total;
    env.out->push_back(std::move(e));
  }
}

void EvaluateTxnService(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env) {
  const bool on = !c.p.IsOff(Rule::kServiceSuccess);
  const int64_t from = m.minute - c.window_min;
  for (size_t i = 0; i < c.svcs.size(); ++i) {
    TxnSvcState& ts = c.svcs[i];
    const ServiceState& svc = *env.services[ts.svc];
    int64_t total = w.svc_total, failures = w.svc_failures;  // the primary service system
    if (i > 0) {
      total = failures = 0;
      ts.ring.ForEach(from, m.minute, [&](const SvcBucket& b) { total += b.total, failures += b.failures; });
    }
    double min = c.p.service_success_min ? *c.p.service_success_min : svc.min;
    RateCheck r = on ? Rate(total - failures, total, c.p.min_count) : RateCheck{};
    Transition t = ts.alert.Update(m.t, r.Holds(min), c.p.for_ms);
    if (t == Transition::kNone) continue;
    AlertEvent e = CodeEvent(c, Rule::kServiceSuccess, m.t, t);
    e.key.fields.emplace_back(KeyField::kSvcSys, svc.id);
    e.value = r.evaluated ? Json(RoundValue(r.rate)) : Json(nullptr);
    e.threshold = min;
    std::string window = FormatDuration(c.window_min * kMsPerMinute);
    e.summary = e.firing ? fmt::format("{} calling {} success {} < {} ({} failures of {}) over the last {}",
                                       c.subject, svc.subject, Percent(r.rate), Percent(min), failures,
                                       total, window)
                         : fmt::format("{} calling {} back to normal over the last {}", c.subject,
                                       svc.subject, window);
    e.extra["total"] = total;
    e.extra["failures"] = failures;
    env.out->push_back(std::move(e));
  }
}

}  // namespace

void EvaluateRateRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env) {
  const int64_t total = w.total, success = w.success, system = w.system;
  RateCheck sys = c.p.IsOff(Rule::kSystemSuccess) ? RateCheck{} : Rate(total - system, total, c.p.min_count);
  Transition t = c.system_success.Update(m.t, sys.Holds(c.p.system_success_min), c.p.for_ms);
  if (t != Transition::kNone) {
    EmitRate(c, Rule::kSystemSuccess, m, t, sys, c.p.system_success_min, "system success",
             system, total, env);
  }
  if (c.p.business_success_min) {
    double min = *c.p.business_success_min;
    RateCheck biz = c.p.IsOff(Rule::kBusinessSuccess) ? RateCheck{} : Rate(success, total, c.p.min_count);
    t = c.business_success.Update(m.t, biz.Holds(min), c.p.for_ms);
    if (t != Transition::kNone) {
      EmitRate(c, Rule::kBusinessSuccess, m, t, biz, min, "business success", total - success,
               total, env);
    }
  }
  EvaluateRetRatio(c, m, total, env);
  EvaluateTxnService(c, m, w, env);
}

void EvaluateService(ServiceState& s, const MinuteContext& m, std::vector<AlertEvent>* out) {
  int64_t total = 0, failures = 0;
  s.ring.ForEach(m.minute - s.window_min, m.minute,
                 [&](const SvcBucket& b) { total += b.total, failures += b.failures; });
  RateCheck r = Rate(total - failures, total, s.min_count);
  Transition t = s.alert.Update(m.t, r.Holds(s.min), s.for_ms);
  if (t == Transition::kNone) return;
  AlertEvent e;
  e.at = m.t;
  e.firing = t == Transition::kFired;
  e.rule = Rule::kServiceSuccess;
  e.key.fields.emplace_back(KeyField::kSvcSys, s.id);
  e.severity = s.severity;
  e.value = r.evaluated ? Json(RoundValue(r.rate)) : Json(nullptr);
  e.threshold = s.min;
  std::string window = FormatDuration(s.window_min * kMsPerMinute);
  e.summary = e.firing ? fmt::format("service system {} success {} < {} ({} failures of {}) over the last {}",
                                     s.subject, Percent(r.rate), Percent(s.min), failures, total, window)
                       : fmt::format("service system {} back to normal over the last {}", s.subject, window);
  e.extra["total"] = total;
  e.extra["failures"] = failures;
  out->push_back(std::move(e));
}

}  // namespace vigil
