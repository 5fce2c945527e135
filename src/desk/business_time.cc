// Business minutes (business_time.h): walk the calendar one local day at a time and add each
// workday's opening window clipped to the span.
#include "desk/business_time.h"

#include <algorithm>

namespace vigil::desk {

BusinessClock::BusinessClock(const Calendar* calendar, BusinessHours hours)
    : calendar_(calendar), hours_(hours) {
  hours_.start_minute = std::clamp(hours_.start_minute, 0, 24 * 60);
  hours_.end_minute = std::clamp(hours_.end_minute, 0, 24 * 60);
}

TimeMs BusinessClock::AddBusinessMinutes(TimeMs start, int64_t minutes) const {
  if (minutes <= 0) return start;
  int64_t remaining = minutes * kMsPerMinute;
  const LocalDay first = calendar_->DayOf(start);
  for (LocalDay day = first; day < first + kMaxSearchDays; ++day) {
    if (!Open() || !calendar_->IsWorkday(day)) continue;
    const TimeMs open = std::max(start, calendar_->At(day, hours_.start_minute));
    const TimeMs close = calendar_->At(day, hours_.end_minute);
    if (close <= open) continue;
    if (remaining <= close - open) return open + remaining;
    remaining -= close - open;
  }
  return calendar_->At(first + kMaxSearchDays, hours_.start_minute);
}

int64_t BusinessClock::BusinessMsBetween(TimeMs from, TimeMs to) const {
  if (to <= from || !Open()) return 0;
  int64_t total = 0;
  const LocalDay last = calendar_->DayOf(to);
  for (LocalDay day = calendar_->DayOf(from); day <= last; ++day) {
    if (!calendar_->IsWorkday(day)) continue;
    const TimeMs open = std::max(from, calendar_->At(day, hours_.start_minute));
    const TimeMs close = std::min(to, calendar_->At(day, hours_.end_minute));
    if (close > open) total += close - open;
  }
  return total;
}

int64_t BusinessClock::BusinessMinutesBetween(TimeMs from, TimeMs to) const {
  return BusinessMsBetween(from, to) / kMsPerMinute;
}

std::string_view SlaStateName(SlaState s) {
  switch (s) {
    case SlaState::kOk:
      return "ok";
    case SlaState::kAtRisk:
      return "at_risk";
    case SlaState::kBreached:
      return "breached";
    case SlaState::kMet:
      return "met";
    case SlaState::kMissed:
      return "missed";
  }
  return "ok";
}

SlaState EvaluateSla(const BusinessClock& clock, TimeMs start, TimeMs due, int64_t target_minutes,
                     std::optional<TimeMs> done_at, TimeMs now) {
  if (done_at) return *done_at <= due ? SlaState::kMet : SlaState::kMissed;
  if (now >= due) return SlaState::kBreached;
  // used >= 80% of the target, compared exactly in integers: used * 5 >= target * 4.
  const int64_t used_ms = clock.BusinessMsBetween(start, now);
  if (target_minutes > 0 && used_ms * 5 >= target_minutes * kMsPerMinute * 4) {
    return SlaState::kAtRisk;
  }
  return SlaState::kOk;
}

}  // namespace vigil::desk
