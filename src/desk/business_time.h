// The desk's SLA clock: business minutes on the monitoring calendar (workdays, holidays, 调休
// make-up workdays, its time zone) within the desk's business hours, and the SLA state an
// incident shows for one target (first response or resolution).
//
// Business time is counted to the millisecond: an incident reported at 10:00:30 on a workday
// has used 59.5 business minutes at 11:00. Time outside business hours and on holidays does not
// count; a start outside hours begins counting at the next opening.
//
// Thread safety: immutable; safe to share between threads (the calendar is immutable too).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/calendar.h"
#include "common/time_util.h"

namespace vigil::desk {

// Opening hours of a business day, minutes after local midnight: [start, end).
struct BusinessHours {
  int start_minute = 8 * 60 + 30;
  int end_minute = 17 * 60 + 30;
};

class BusinessClock {
 public:
  // `calendar` must outlive the clock. Hours with end <= start (or outside 0..1440) make every
  // day closed: nothing counts and due times are the search limit below.
  BusinessClock(const Calendar* calendar, BusinessHours hours);

  // The time at which `minutes` business minutes have passed since `start` (the due time).
  // Exactly at closing time when the last minute is the day's last: a 60-minute target from
  // 16:30 is due at 17:30 that day, not at 08:30 the next. `minutes` <= 0 → `start`.
  // Searches at most kMaxSearchDays days ahead (a calendar without workdays).
  TimeMs AddBusinessMinutes(TimeMs start, int64_t minutes) const;

  // Whole business minutes in [from, to); 0 when to <= from.
  int64_t BusinessMinutesBetween(TimeMs from, TimeMs to) const;
  // The same in milliseconds (the SLA thresholds compare these).
  int64_t BusinessMsBetween(TimeMs from, TimeMs to) const;

  const BusinessHours& hours() const { return hours_; }
  const Calendar& calendar() const { return *calendar_; }

  static constexpr int64_t kMaxSearchDays = 3660;

 private:
  bool Open() const { return hours_.end_minute > hours_.start_minute; }

  const Calendar* calendar_;
  BusinessHours hours_;
};

enum class SlaState { kOk, kAtRisk, kBreached, kMet, kMissed };
std::string_view SlaStateName(SlaState s);  // "ok", "at_risk", "breached", "met", "missed"

// The state of one SLA target. Open (no `done_at`): breached when now >= due; at risk once
// >= 80% of `target_minutes` of business time has passed since `start`; ok before. Done:
// met when done_at <= due, else missed.
SlaState EvaluateSla(const BusinessClock& clock, TimeMs start, TimeMs due, int64_t target_minutes,
                     std::optional<TimeMs> done_at, TimeMs now);

}  // namespace vigil::desk
