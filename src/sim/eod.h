// End-of-day work: batch steps (日终批量) that run each workday evening one after another,
// and reconciliation results (对账) that arrive once a day in their window. The normal plan
// is drawn per day; faults modify a day's plan before it is realised into runs and results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/bank_model.h"
#include "sim/sim_calendar.h"

namespace vigil::sim {

struct BatchStep {
  std::string name;  // "EOD_INTEREST"
  int code = 0;      // index into Bank::eod_codes
  int opens = 18 * 60;
  int latest_start = 0;   // minutes after the business day's midnight (may pass 24:00)
  int max_duration = 60;  // minutes
  int latest_end = 0;
};

struct ReconCheck {
  std::string name;        // "UNIONPAY"
  int code = 0;            // index into Bank::eod_codes
  int start = 0, end = 0;  // result window, minutes after midnight
  double factor = 3, floor_count = 20, floor_amount = 50000;
};

// One execution of a step: a start record at `start`, an end record after `dur_ms`.
struct StepRun {
  int step = 0;
  int day = 0;
  TimeMs start = 0;
  int64_t dur_ms = 0;
  bool failed = false;
};

struct ReconResult {
  int check = 0;
  int day = 0;
  TimeMs time = 0;  // when the result is known (ts + dur)
  int64_t dur_ms = 0;
  int64_t mismatch_count = 0;
  int64_t mismatch_cents = 0;
};

// What faults change on one day.
struct EodMods {
  int late_step = -1;  // this step starts at `late_start` instead of its turn
  TimeMs late_start = 0;
  int fail_step = -1;  // this step's first run fails; a rerun follows after a gap
  double rerun_gap_min = 20, rerun_dur_min = 30;
  int overrun_step = -1;  // this step runs `overrun_min` minutes
  double overrun_min = 0;
  std::vector<int> recon_missing;  // checks without a result that day
  int recon_spike_check = -1;      // this check reports `recon_spike_count` mismatches
  int64_t recon_spike_count = 0, recon_spike_cents = 0;
};

class EodSchedule {
 public:
  EodSchedule(const Bank& bank, const SimCalendar& calendar, uint64_t seed);

  const std::vector<BatchStep>& steps() const { return steps_; }
  const std::vector<ReconCheck>& checks() const { return checks_; }
  EodMods& mods(int day) { return mods_[static_cast<size_t>(day)]; }
  // The day's runs and results after its mods (empty runs on holidays).
  std::vector<StepRun> Runs(int day) const;
  std::vector<ReconResult> Results(int day) const;
  // Median mismatch count of `check`'s results on the last kBaselineDays earlier days that
  // had one; 0 without any.
  double MedianCountBefore(int check, int day) const;

 private:
  struct DayDraw {
    double first_offset_min = 0;  // B001 starts 19:30 + this
    double first_second = 0;
    std::vector<double> gap_min, dur_min;
    std::vector<ReconResult> results;
  };
  const SimCalendar& calendar_;
  std::vector<BatchStep> steps_;
  std::vector<ReconCheck> checks_;
  std::vector<DayDraw> draws_;
  std::vector<EodMods> mods_;
};

}  // namespace vigil::sim
