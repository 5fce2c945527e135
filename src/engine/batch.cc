#include "engine/batch.h"

#include "engine/engine_state.h"
#include "fmt/format.h"

namespace vigil {

BatchTracker::BatchTracker(const BatchStepConfig& config, const Calendar& calendar, int64_t for_ms)
    : config_(config), calendar_(calendar), for_ms_(for_ms) {}

BatchTracker::Facts BatchTracker::FactsOf(LocalDay d) const {
  if (facts_[0].day == d) return facts_[0];
  if (facts_[1].day == d) return facts_[1];
  facts_[1] = facts_[0];
  Facts& f = facts_[0];
  f.day = d;
  f.selected = Selects(config_.days, calendar_.TypeOf(d));
  f.span_start = calendar_.At(d, config_.opens_minute);
  if (config_.latest_start_minute) f.latest_start = calendar_.At(d, *config_.latest_start_minute);
  if (config_.latest_end_minute) f.latest_end = calendar_.At(d, *config_.latest_end_minute);
  return f;
}

LocalDay BatchTracker::BusinessDayOf(TimeMs t, LocalDay local_day) const {
  LocalDay d = local_day;
  while (t < SpanStart(d)) --d;
  while (t >= SpanStart(d) + kMsPerDay) ++d;
  return d;
}

void BatchTracker::Add(const RecordView& r, RetClass cls, uint64_t seq) {
  TimeMs at = r.phase == Phase::kStart ? r.ts : r.time;
  Day& day = days_[BusinessDayOf(at, calendar_.DayOf(at))];
  if (r.phase == Phase::kStart) {
    if (!day.first_start || r.ts < *day.first_start) day.first_start = r.ts;
    return;
  }
  if (!day.first_end_ts || r.ts < *day.first_end_ts) day.first_end_ts = r.ts;
  // The latest end decides: by time, and by reading order between equal times.
  if (!day.ended || r.time >= day.end_time) {
    day.ended = true;
    day.end_time = r.time;
    day.end_seq = seq;
    day.end_class = cls;
    day.end_ret.assign(r.ret);
  }
}

bool BatchTracker::Holds(const Day& day, LocalDay d, TimeMs t, Json* value, Json* threshold,
                         std::string* reason) const {
  auto clock = [](int minutes) { return FormatClockMinutes(minutes); };
  if (day.ended && day.end_class != RetClass::kSuccess) {
    *value = fmt::format("ended with ret {} ({})", day.end_ret, RetClassName(day.end_class));
    *threshold = "success";
    *reason = fmt::format("ended with return code {} ({})", day.end_ret, RetClassName(day.end_class));
    return true;
  }
  if (day.ended) return false;
  std::optional<TimeMs> start = day.first_start ? day.first_start : day.first_end_ts;
  if (config_.latest_end_minute && t >= FactsOf(d).latest_end) {
    *value = start ? "running" : "not started";
    *threshold = "latest_end " + clock(*config_.latest_end_minute);
    *reason = fmt::format("not finished by latest_end {}", clock(*config_.latest_end_minute));
    return true;
  }
  if (start && config_.max_duration_ms && t >= *start + *config_.max_duration_ms) {
    *value = fmt::format("running {}", FormatDuration((t - *start) / kMsPerMinute * kMsPerMinute));
    *threshold = "max_duration " + FormatDuration(*config_.max_duration_ms);
    *reason = fmt::format("running longer than max_duration {}", FormatDuration(*config_.max_duration_ms));
    return true;
  }
  if (!start && config_.latest_start_minute && t >= FactsOf(d).latest_start) {
    *value = "not started";
    *threshold = "latest_start " + clock(*config_.latest_start_minute);
    *reason = fmt::format("not started by latest_start {}", clock(*config_.latest_start_minute));
    return true;
  }
  return false;
}

void BatchTracker::Evaluate(const MinuteContext& m, std::vector<AlertEvent>* out) {
  const LocalDay current = BusinessDayOf(m.t, m.day.day);
  if (Selected(current)) days_.try_emplace(current);
  for (auto it = days_.begin(); it != days_.end();) {
    Day& day = it->second;
    const LocalDay d = it->first;
    Json value, threshold;
    std::string reason;
    // A span that opened before vigil's first evaluated minute is not judged: its start may
    // have come before the data did.
    const bool watched = SpanStart(d) >= MinuteStart(m.first_minute);
    bool holds = d == current && Selected(d) && watched && Holds(day, d, m.t, &value, &threshold, &reason);
    Transition tr = day.alert.Update(m.t, holds, for_ms_);
    if (tr != Transition::kNone) {
      out->push_back(DayKeyedEvent(Rule::kBatch, KeyField::kStep, config_.name, calendar_.FormatDay(d),
                                   config_.txn, m.t, tr == Transition::kFired,
                                   config_.severity.value_or("critical"), holds, value, threshold,
                                   fmt::format("batch {} ({})", config_.name, config_.txn), " " + reason));
    }
    // Days before the current one keep nothing worth remembering once their alert is over.
    if (d < current && day.alert.idle()) {
      it = days_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace vigil
