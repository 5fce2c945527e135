// Rules 7 and 8: abnormal_count (system-class failures pile up) and timeout_count (slow
// transactions pile up), counted over their own periods; they fire at >= threshold.
#include <algorithm>

#include "engine/engine_state.h"
#include "fmt/format.h"

namespace vigil {
namespace {

Json AbnormalRecords(const CodeState& c, TimeMs from, TimeMs to, int max, const absl::TimeZone& tz) {
  std::vector<const AbnormalRecord*> in;
  for (const AbnormalRecord& r : c.abnormal) {
    if (r.time >= from && r.time < to) in.push_back(&r);
  }
  std::sort(in.begin(), in.end(), [](const AbnormalRecord* a, const AbnormalRecord* b) {
    return a->time != b->time ? a->time < b->time : a->seq < b->seq;
  });
  if (static_cast<int>(in.size()) > max) in.resize(static_cast<size_t>(max));
  Json list = Json::array();
  for (const AbnormalRecord* r : in) {
    Json j = Json::object();
    j["ts"] = FormatRfc3339(r->ts, tz, true);
    j["node"] = r->node;
    j["serial"] = r->serial;
    j["sys"] = r->sys;
    j["txn"] = c.txn;
    j["svc_sys"] = r->svc_sys;
    j["ret"] = r->ret;
    j["svc_ret"] = r->svc_ret;
    j["dur_ms"] = r->duration_ms >= 0 ? Json(r->duration_ms) : Json(nullptr);
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace

void EvaluateCountRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env) {
  const int64_t system = w.abnormal, timeouts = w.timeouts;
  bool holds = !c.p.IsOff(Rule::kAbnormalCount) && system >= c.p.abnormal_threshold;
  Transition tr = c.abnormal_count.Update(m.t, holds, c.p.for_ms);
  if (tr != Transition::kNone) {
    std::string period = FormatDuration(c.p.abnormal_period_ms);
    AlertEvent e = CodeEvent(c, Rule::kAbnormalCount, m.t, tr);
    e.value = system;
    e.threshold = c.p.abnormal_threshold;
    e.summary = holds ? fmt::format("{} {} system failure{} in the last {} (threshold {})", c.subject,
                                    system, system == 1 ? "" : "s", period, c.p.abnormal_threshold)
                      : fmt::format("{} system failures back below {} in the last {}", c.subject,
                                    c.p.abnormal_threshold, period);
    if (holds) {
      e.extra["records"] = AbnormalRecords(c, m.t - c.p.abnormal_period_ms, m.t,
                                           env.options.max_abnormal_records, env.tz);
    }
    env.out->push_back(std::move(e));
  }
  // Failures older than every window still to come are no longer needed.
  const TimeMs keep_from = m.t - c.p.abnormal_period_ms;
  while (!c.abnormal.empty() && c.abnormal.front().time < keep_from) c.abnormal.pop_front();

  holds = !c.p.IsOff(Rule::kTimeoutCount) && timeouts >= c.p.timeout_threshold;
  tr = c.timeout_count.Update(m.t, holds, c.p.for_ms);
  if (tr != Transition::kNone) {
    AlertEvent e = CodeEvent(c, Rule::kTimeoutCount, m.t, tr);
    e.value = timeouts;
    e.threshold = c.p.timeout_threshold;
    std::string tperiod = FormatDuration(c.p.timeout_period_ms);
    e.summary = holds ? fmt::format("{} {} transaction{} slower than {} ms in the last {} (threshold {})",
                                    c.subject, timeouts, timeouts == 1 ? "" : "s", c.p.timeout_ms, tperiod,
                                    c.p.timeout_threshold)
                      : fmt::format("{} slow transactions back below {} in the last {}", c.subject,
                                    c.p.timeout_threshold, tperiod);
    e.extra["timeout_ms"] = c.p.timeout_ms;
    env.out->push_back(std::move(e));
  }
}

}  // namespace vigil
