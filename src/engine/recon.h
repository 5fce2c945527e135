// Rule 10, `recon`: a reconciliation check that delivers no result, or a result whose mismatch
// is far above what earlier days saw.
//
// Results are records of the check's txn with time in that day's [start, end); a day's result
// is its last. From day + end to the end of the day the condition holds when no result arrived;
// from the first minute evaluated after a result was read to the end of the day it holds when
// mismatch_count > max(floor_count, factor x median) or mismatch_amount > max(floor_amount,
// factor x median), the medians over the last baseline_days earlier days that had a result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/alert.h"
#include "engine/alert_state.h"
#include "ingest/record.h"

namespace vigil {

struct MinuteContext;

class ReconTracker {
 public:
  ReconTracker(const ReconCheckConfig& config, const Calendar& calendar, int baseline_days,
               int64_t for_ms);
  const std::string& txn() const { return config_.txn; }

  void Add(const RecordView& r, uint64_t seq);
  void Evaluate(const MinuteContext& m, std::vector<AlertEvent>* out);
  // The result of a day, if one arrived: (mismatch_count, mismatch_amount).
  bool ResultOf(LocalDay day, std::optional<double>* count, std::optional<double>* amount) const;
  const std::string& name() const { return config_.name; }
  // Results of earlier days (from --history): treated like results read from the input.
  void AddHistoricalResult(LocalDay day, std::optional<double> count, std::optional<double> amount);

 private:
  struct Result {
    TimeMs time = 0;
    uint64_t seq = 0;
    std::optional<double> count, amount;
  };
  // The calendar facts of one day that Evaluate asks every minute, each a time-zone
  // conversion or a set look-up: worked out once per day (the last two days asked are kept).
  struct Facts {
    LocalDay day = INT64_MIN;
    bool selected = false;  // the check's `days` selects the day
    TimeMs start = 0, end = 0;  // the result window
  };
  Facts FactsOf(LocalDay d) const;
  bool Selected(LocalDay d) const { return FactsOf(d).selected; }
  bool Holds(LocalDay d, TimeMs t, Json* value, Json* threshold, std::string* reason) const;
  // The limits of day d from the results of the days before it (`days_used` of them).
  void Limits(LocalDay d, double* count_limit, double* amount_limit, int* days_used) const;
  std::string Basis(int days_used) const;  // how the limits came about, for the summary

  ReconCheckConfig config_;
  const Calendar& calendar_;
  int baseline_days_;
  int64_t for_ms_;
  std::map<LocalDay, Result> results_;
  std::map<LocalDay, AlertState> alerts_;
  mutable Facts facts_[2];
};

}  // namespace vigil
