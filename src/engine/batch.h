// Rule 9, `batch`: an end-of-day batch step that starts late, runs too long, ends late or fails.
//
// Each step has a business day `day` spanning [day + opens, day + opens + 24h). A step's
// records belong to the business day whose span holds their time. Start S is the earliest
// phase:start record in the span (else the earliest end record's ts). Evaluated only at minutes
// inside the span of a day the step's `days` selects; outside it the condition does not hold,
// so an alert left firing resolves when the span closes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/alert.h"
#include "engine/alert_state.h"
#include "ingest/record.h"

namespace vigil {

struct MinuteContext;

class BatchTracker {
 public:
  BatchTracker(const BatchStepConfig& config, const Calendar& calendar, int64_t for_ms);
  const std::string& txn() const { return config_.txn; }

  // A record of the step's txn; `cls` is the class of its ret.
  void Add(const RecordView& r, RetClass cls, uint64_t seq);
  void Evaluate(const MinuteContext& m, std::vector<AlertEvent>* out);

 private:
  struct Day {
    std::optional<TimeMs> first_start;    // earliest phase:start ts
    std::optional<TimeMs> first_end_ts;   // earliest end record's ts
    bool ended = false;
    TimeMs end_time = 0;
    uint64_t end_seq = 0;
    RetClass end_class = RetClass::kSuccess;
    std::string end_ret;
    AlertState alert;
  };
  // The calendar facts of one business day that Evaluate asks every minute, each a time-zone
  // conversion or a set look-up: worked out once per day (the last two days asked are kept).
  struct Facts {
    LocalDay day = INT64_MIN;
    bool selected = false;  // the step's `days` selects the day
    TimeMs span_start = 0;
    TimeMs latest_start = 0, latest_end = 0;  // when configured
  };
  Facts FactsOf(LocalDay d) const;
  // The business day whose span holds t; `local_day` is t's local day.
  LocalDay BusinessDayOf(TimeMs t, LocalDay local_day) const;
  TimeMs SpanStart(LocalDay d) const { return FactsOf(d).span_start; }
  bool Selected(LocalDay d) const { return FactsOf(d).selected; }
  // Whether the condition holds at t; fills the value / threshold / reason when it does.
  bool Holds(const Day& day, LocalDay d, TimeMs t, Json* value, Json* threshold,
             std::string* reason) const;

  BatchStepConfig config_;
  const Calendar& calendar_;
  int64_t for_ms_;
  std::map<LocalDay, Day> days_;
  mutable Facts facts_[2];
};

}  // namespace vigil
