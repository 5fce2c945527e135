// Rules 5 and 6: no_txn (a code, or one of its nodes, goes silent in a period it is monitored
// in) and volume_ratio (volume against the same clock interval of previous same-type days).
#include <algorithm>

#include "engine/engine_state.h"
#include "engine/median.h"
#include "fmt/format.h"

namespace vigil {

const std::vector<std::pair<int64_t, int64_t>>& BaselineIntervals::Get(int days, int64_t window_min) {
  for (const Entry& e : entries_) {
    if (e.days == days && e.window_min == window_min) return e.intervals;
  }
  Entry entry{days, window_min, {}};
  const int64_t minute_of_day = m_->minute - m_->day.first_minute;
  for (LocalDay d : catalog_.Previous(m_->day.day, m_->day.type, days, calendar_)) {
    int64_t end = MinuteOf(calendar_.At(d, minute_of_day));
    entry.intervals.emplace_back(end - window_min, end);
  }
  entries_.push_back(std::move(entry));
  return entries_.back().intervals;
}

namespace {

// Whether no_txn may be evaluated at t for a silence of `silence_min`: t in a monitored period,
// the whole silence window inside t's busy (or idle) run, and not before the first evaluated
// minute. So no alert fires at 08:00 after a quiet night; the first possible one is 08:00 + silence.
bool SilenceEvaluable(const CodeState& c, const MinuteContext& m) {
  const int64_t from = m.minute - c.silence_min;
  return InPeriods(c.p.monitor, m.busy) && m.run_start_minute <= from &&
         from >= m.first_minute;
}

void EmitNoTxn(const CodeState& c, const MinuteContext& m, Transition tr, const NodeState* node,
               bool holds, EvalEnv& env) {
  AlertEvent e = CodeEvent(c, Rule::kNoTxn, m.t, tr);
  if (node) e.key.fields.emplace_back(KeyField::kNode, node->node);
  std::string silence = FormatDuration(c.silence_min * kMsPerMinute);
  std::string where = node ? fmt::format(" on node {}", node->node) : "";
  e.value = holds ? Json(0) : Json(nullptr);
  e.threshold = "silence " + silence;
  e.summary = holds ? fmt::format("{} no transactions{} for {} ({} period)", c.subject, where,
                                  silence, m.busy ? "busy" : "idle")
                    : fmt::format("{} transactions{} again", c.subject, where);
  env.out->push_back(std::move(e));
}

void EvaluateNodes(CodeState& c, const MinuteContext& m, bool evaluable, EvalEnv& env) {
  const int64_t from = m.minute - c.silence_min;
  for (auto it = c.nodes.begin(); it != c.nodes.end();) {
    NodeState& n = *it->second;
    // Only nodes that had a record of the code in [t - 24h, t) are expected to keep going.
    bool active = n.first_minute < m.minute && n.last_minute >= m.minute - 24 * 60;
    bool holds = false;
    if (evaluable && active) {
      int64_t count = 0;
      n.ring.ForEach(from, m.minute, [&](uint32_t v) { count += v; });
      holds = count == 0;
    }
    Transition tr = n.alert.Update(m.t, holds, c.p.for_ms);
    if (tr != Transition::kNone) EmitNoTxn(c, m, tr, &n, holds, env);
    if (!active && n.last_minute < m.minute && n.alert.idle()) {
      c.nodes.erase(it++);  // gone for a day: forget it
    } else {
      ++it;
    }
  }
}

bool RatioPossible(CodeState& c, const MinuteContext& m, EvalEnv& env) {
  if (c.ratio_day != m.day.day) {
    c.ratio_day = m.day.day;
    c.history.Finalize(m.minute);  // the baseline days are final: each total becomes one read
    int64_t most = 0;
    for (LocalDay d : env.baselines.Days(c.p.baseline_days)) {
      most = std::max(most, c.history.DayTotal(d) + c.history.DayTotal(d - 1));
    }
    c.ratio_possible = static_cast<double>(most) >= c.p.ratio_min_baseline && most > 0;
  }
  return c.ratio_possible;
}

void EvaluateVolumeRatio(CodeState& c, const MinuteContext& m, EvalEnv& env) {
  bool evaluated = false;
  double a = 0, b = 0, ratio = 0;
  const bool window_seen = !env.options.ratio_needs_full_window || m.minute - c.ratio_window_min >= m.first_minute;
  if (!c.p.IsOff(Rule::kVolumeRatio) && InPeriods(c.p.ratio_periods, m.busy) && window_seen &&
      RatioPossible(c, m, env)) {
    const auto& intervals = env.baselines.Get(c.p.baseline_days, c.ratio_window_min);
    if (!intervals.empty()) {
      c.history.Finalize(m.minute);  // every minute before t is final: sums become two reads
      std::vector<double> counts;
      counts.reserve(intervals.size());
      for (const auto& [from, to] : intervals) counts.push_back(static_cast<double>(c.history.Sum(from, to)));
      b = Median(std::move(counts));
      if (b >= c.p.ratio_min_baseline && b > 0) {
        evaluated = true;
        a = static_cast<double>(c.history.Sum(m.minute - c.ratio_window_min, m.minute));
        ratio = a / b;
      }
    }
  }
  const auto [lo, hi] = c.p.ratio_bounds;
  bool holds = evaluated && (ratio < lo || ratio > hi);
  Transition tr = c.volume_ratio.Update(m.t, holds, c.p.for_ms);
  if (tr == Transition::kNone) return;
  AlertEvent e = CodeEvent(c, Rule::kVolumeRatio, m.t, tr);
  e.value = evaluated ? Json(RoundValue(ratio)) : Json(nullptr);
  e.threshold = Json::array({lo, hi});
  std::string window = FormatDuration(c.ratio_window_min * kMsPerMinute);
  if (evaluated) {
    e.summary = fmt::format("{} volume {:.0f}% of baseline ({:.0f} vs {:g}) over the last {}{}",
                            c.subject, ratio * 100, a, b, window, holds ? "" : ", back in range");
    e.extra["count"] = a;
    e.extra["baseline"] = b;
  } else {
    e.summary = fmt::format("{} volume_ratio resolved (not evaluated now)", c.subject);
  }
  env.out->push_back(std::move(e));
}

}  // namespace

void EvaluateVolumeRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env) {
  const bool on = !c.p.IsOff(Rule::kNoTxn);
  const bool evaluable = on && SilenceEvaluable(c, m);
  const bool holds = evaluable && w.silence_total == 0;
  Transition tr = c.no_txn.Update(m.t, holds, c.p.for_ms);
  if (tr != Transition::kNone) EmitNoTxn(c, m, tr, nullptr, holds, env);
  if (!c.nodes.empty()) EvaluateNodes(c, m, evaluable, env);
  EvaluateVolumeRatio(c, m, env);
}

}  // namespace vigil
