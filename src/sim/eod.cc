// Batch steps and reconciliation results per day; see eod.h.
#include "sim/eod.h"

#include <algorithm>
#include <cmath>

#include "sim/random.h"
#include "sim/tuning.h"

namespace vigil::sim {

EodSchedule::EodSchedule(const Bank& bank, const SimCalendar& calendar, uint64_t seed)
    : calendar_(calendar) {
  steps_ = {{"EOD_INTEREST", 0, 18 * 60, 22 * 60 + 30, 60, 25 * 60 + 30},
            {"EOD_CLEARING", 1, 18 * 60, 23 * 60 + 30, 90, 27 * 60},
            {"EOD_REPORT", 2, 18 * 60, 25 * 60, 120, 29 * 60}};
  checks_ = {{"UNIONPAY", 3, 6 * 60, 7 * 60, 3, 20, 50000},
             {"NETSUNION", 4, 5 * 60, 6 * 60, 3, 20, 50000}};
  mods_.resize(static_cast<size_t>(calendar.size()));
  for (int d = 0; d < calendar.size(); ++d) {
    Rng rng(DeriveSeed(seed, 0xE0D, static_cast<uint64_t>(d)));
    DayDraw draw;
    draw.first_offset_min = rng.Range(0, 60);
    draw.first_second = rng.Range(0, 60);
    const double kGap[][2] = {{0, 0}, {5, 15}, {5, 10}};
    const double kDur[][2] = {{25, 40}, {40, 60}, {30, 50}};
    for (size_t s = 0; s < steps_.size(); ++s) {
      draw.gap_min.push_back(rng.Range(kGap[s][0], kGap[s][1]));
      draw.dur_min.push_back(rng.Range(kDur[s][0], kDur[s][1]));
    }
    for (size_t c = 0; c < checks_.size(); ++c) {
      ReconResult r;
      r.check = static_cast<int>(c);
      r.day = d;
      r.dur_ms = 2000 + rng.Below(6000);
      r.time = calendar.At(d, checks_[c].start) + static_cast<TimeMs>(rng.Range(10, 40) * 60000);
      r.mismatch_count = rng.Poisson(2.5);
      for (int64_t i = 0; i < r.mismatch_count; ++i) {
        r.mismatch_cents += static_cast<int64_t>(std::llround(rng.LogNormal(300, 0.8) * 100));
      }
      draw.results.push_back(r);
    }
    draws_.push_back(std::move(draw));
  }
}

std::vector<StepRun> EodSchedule::Runs(int day) const {
  std::vector<StepRun> runs;
  if (!calendar_.day(day).workday) return runs;
  const DayDraw& draw = draws_[static_cast<size_t>(day)];
  const EodMods& mods = mods_[static_cast<size_t>(day)];
  auto minutes = [](double m) { return static_cast<int64_t>(std::llround(m * 60000)); };
  TimeMs ready = calendar_.At(day, 19 * 60 + 30) + minutes(draw.first_offset_min) +
                 static_cast<TimeMs>(draw.first_second * 1000);
  for (size_t s = 0; s < steps_.size(); ++s) {
    StepRun run;
    run.step = static_cast<int>(s);
    run.day = day;
    run.start = ready + minutes(draw.gap_min[s]);
    if (mods.late_step == run.step) run.start = std::max(run.start, mods.late_start);
    double dur = mods.overrun_step == run.step ? mods.overrun_min : draw.dur_min[s];
    run.dur_ms = minutes(dur);
    if (mods.fail_step == run.step) {
      run.failed = true;
      runs.push_back(run);
      run.failed = false;
      run.start = run.start + run.dur_ms + minutes(mods.rerun_gap_min);
      run.dur_ms = minutes(mods.rerun_dur_min);
    }
    runs.push_back(run);
    ready = run.start + run.dur_ms;
  }
  return runs;
}

std::vector<ReconResult> EodSchedule::Results(int day) const {
  std::vector<ReconResult> out;
  const EodMods& mods = mods_[static_cast<size_t>(day)];
  for (ReconResult r : draws_[static_cast<size_t>(day)].results) {
    if (std::find(mods.recon_missing.begin(), mods.recon_missing.end(), r.check) !=
        mods.recon_missing.end()) {
      continue;
    }
    if (r.check == mods.recon_spike_check) {
      r.mismatch_count = mods.recon_spike_count;
      r.mismatch_cents = mods.recon_spike_cents;
    }
    out.push_back(r);
  }
  return out;
}

double EodSchedule::MedianCountBefore(int check, int day) const {
  std::vector<double> counts;
  for (int d = day - 1; d >= 0 && static_cast<int>(counts.size()) < kBaselineDays; --d) {
    for (const ReconResult& r : Results(d)) {
      if (r.check == check) counts.push_back(static_cast<double>(r.mismatch_count));
    }
  }
  if (counts.empty()) return 0;
  std::sort(counts.begin(), counts.end());
  size_t n = counts.size();
  return n % 2 ? counts[n / 2] : (counts[n / 2 - 1] + counts[n / 2]) / 2;
}

}  // namespace vigil::sim
