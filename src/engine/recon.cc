#include "engine/recon.h"

#include <algorithm>

#include "engine/engine_state.h"
#include "engine/median.h"
#include "fmt/format.h"

namespace vigil {

ReconTracker::ReconTracker(const ReconCheckConfig& config, const Calendar& calendar,
                           int baseline_days, int64_t for_ms)
    : config_(config), calendar_(calendar), baseline_days_(baseline_days), for_ms_(for_ms) {}

ReconTracker::Facts ReconTracker::FactsOf(LocalDay d) const {
  if (facts_[0].day == d) return facts_[0];
  if (facts_[1].day == d) return facts_[1];
  facts_[1] = facts_[0];
  Facts& f = facts_[0];
  f.day = d;
  f.selected = Selects(config_.days, calendar_.TypeOf(d));
  f.start = calendar_.At(d, config_.start_minute);
  f.end = calendar_.At(d, config_.end_minute);
  return f;
}

void ReconTracker::Add(const RecordView& r, uint64_t seq) {
  LocalDay d = calendar_.DayOf(r.time);
  const Facts f = FactsOf(d);
  if (r.time < f.start || r.time >= f.end) {
    return;  // outside the check's window: not a result
  }
  Result res{r.time, seq, std::nullopt, std::nullopt};
  if (r.has_mismatch_count) res.count = r.mismatch_count;
  if (r.has_mismatch_amount) res.amount = r.mismatch_amount;
  auto it = results_.find(d);
  if (it == results_.end() || r.time >= it->second.time) results_[d] = res;
  // Keep enough earlier days for the medians, and no more.
  while (results_.size() > static_cast<size_t>(baseline_days_) + 8) results_.erase(results_.begin());
}

bool ReconTracker::ResultOf(LocalDay day, std::optional<double>* count,
                            std::optional<double>* amount) const {
  auto it = results_.find(day);
  if (it == results_.end()) return false;
  *count = it->second.count;
  *amount = it->second.amount;
  return true;
}

void ReconTracker::AddHistoricalResult(LocalDay day, std::optional<double> count,
                                       std::optional<double> amount) {
  results_[day] = Result{0, 0, count, amount};
}

void ReconTracker::Limits(LocalDay d, double* count_limit, double* amount_limit, int* days_used) const {
  std::vector<double> counts, amounts;
  int days = 0;
  for (auto it = results_.lower_bound(d); it != results_.begin() && days < baseline_days_;) {
    --it;
    ++days;
    if (it->second.count) counts.push_back(*it->second.count);
    if (it->second.amount) amounts.push_back(*it->second.amount);
  }
  double mc = Median(counts), ma = Median(amounts);
  *count_limit = std::max(config_.floor_count, counts.empty() ? 0 : config_.factor * mc);
  *amount_limit = std::max(config_.floor_amount, amounts.empty() ? 0 : config_.factor * ma);
  *days_used = days;
}

std::string ReconTracker::Basis(int days) const {
  return days == 0 ? "floor only, no earlier results"
                   : fmt::format("{} x median of {} earlier day(s)", config_.factor, days);
}

bool ReconTracker::Holds(LocalDay d, TimeMs t, Json* value, Json* threshold,
                         std::string* reason) const {
  auto it = results_.find(d);
  if (it == results_.end()) {
    if (t < FactsOf(d).end) return false;
    *value = "no result";
    *threshold = "end " + FormatClockMinutes(config_.end_minute);
    *reason = fmt::format("no result by {}", FormatClockMinutes(config_.end_minute));
    return true;
  }
  double count_limit, amount_limit;
  int days = 0;
  Limits(d, &count_limit, &amount_limit, &days);
  const Result& r = it->second;
  if (r.count && *r.count > count_limit) {
    *value = RoundValue(*r.count);
    *threshold = RoundValue(count_limit);
    *reason = fmt::format("mismatch_count {} > {} ({})", *r.count, count_limit, Basis(days));
    return true;
  }
  if (r.amount && *r.amount > amount_limit) {
    *value = RoundValue(*r.amount);
    *threshold = RoundValue(amount_limit);
    *reason = fmt::format("mismatch_amount {:.2f} > {:.2f} ({})", *r.amount, amount_limit, Basis(days));
    return true;
  }
  return false;
}

void ReconTracker::Evaluate(const MinuteContext& m, std::vector<AlertEvent>* out) {
  const LocalDay current = m.day.day;
  if (Selected(current)) alerts_.try_emplace(current);
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    const LocalDay d = it->first;
    Json value, threshold;
    std::string reason;
    // A day whose result window opened before vigil's first evaluated minute is not judged:
    // its result may have come before the data did.
    const bool watched = FactsOf(d).start >= MinuteStart(m.first_minute);
    bool holds = d == current && Selected(d) && watched && Holds(d, m.t, &value, &threshold, &reason);
    Transition tr = it->second.Update(m.t, holds, for_ms_);
    if (tr != Transition::kNone) {
      out->push_back(DayKeyedEvent(Rule::kRecon, KeyField::kCheck, config_.name, calendar_.FormatDay(d),
                                   config_.txn, m.t, tr == Transition::kFired,
                                   config_.severity.value_or("critical"), holds, value, threshold,
                                   fmt::format("recon {} ({})", config_.name, config_.txn), ": " + reason));
    }
    if (d < current && it->second.idle()) {
      it = alerts_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace vigil
