// Fault planning for batch steps and reconciliation checks: each changes the plan of the day
// it is given. A simulation gives the workday before L (failure, overrun) and L (late start)
// to the batch faults, the second-to-last day (missing result) and the last day (mismatch
// spike) to the reconciliation faults; a live feed gives the day ahead.
#include <cmath>

#include "fmt/format.h"
#include "sim/fault_planner.h"

namespace vigil::sim::internal {
namespace {

AlertKey StepKey(const BatchStep& s, const SimDay& d) {
  return {{"step", s.name}, {"day", d.label}};
}

std::string Clock(const SimCalendar& cal, TimeMs t) { return cal.Format(t).substr(11, 5); }

const StepRun* FindRun(const std::vector<StepRun>& runs, int step, bool failed) {
  for (const StepRun& r : runs) {
    if (r.step == step && r.failed == failed) return &r;
  }
  return nullptr;
}

// Any batch alert of that business day may follow from a fault there (later steps wait for
// earlier ones); the business day's span closes at the next day's `opens`.
void TolerateDay(const Planner& p, int day, Fault* f) {
  f->tolerate.push_back({"batch", {{"day", p.cal.day(day).label}}});
  f->until = p.cal.At(day, p.eod->steps()[0].opens + 24 * 60);
}

}  // namespace

void PlanBatchFailure(Planner& p, int day, const char* none) {
  if (day < 0) return p.Skip("batch_failure", none);
  EodMods& mods = p.eod->mods(day);
  mods.fail_step = 0;
  mods.rerun_gap_min = p.rng.Range(15, 25);
  mods.rerun_dur_min = p.rng.Range(25, 35);
  std::vector<StepRun> runs = p.eod->Runs(day);
  const StepRun* failed = FindRun(runs, 0, true);
  const StepRun* rerun = FindRun(runs, 0, false);
  const BatchStep& step = p.eod->steps()[0];
  TimeMs fail_end = failed->start + failed->dur_ms, ok_end = rerun->start + rerun->dur_ms;
  Fault& f = p.Add("batch_failure", Effect::kNone, failed->start, ok_end);
  f.desc = fmt::format(
      "{} ({} {}) on {} ends with 999999 at {}; operators rerun it at {}, it "
      "succeeds at {}",
      step.name, p.bank.eod_codes[0].code, p.bank.eod_codes[0].name, p.cal.day(day).label,
      Clock(p.cal, fail_end), Clock(p.cal, rerun->start), Clock(p.cal, ok_end));
  f.expect.push_back({"batch", StepKey(step, p.cal.day(day)), FloorMinute(fail_end),
                      FloorMinute(fail_end) + Minutes(2), FloorMinute(ok_end),
                      FloorMinute(ok_end) + Minutes(2)});
  TolerateDay(p, day, &f);
}

void PlanBatchOverrun(Planner& p, int day, const char* none) {
  if (day < 0) return p.Skip("batch_overrun", none);
  const int s = 2;
  const BatchStep& step = p.eod->steps()[s];
  EodMods& mods = p.eod->mods(day);
  mods.overrun_step = s;
  mods.overrun_min = step.max_duration + p.rng.Range(30, 50);
  std::vector<StepRun> runs = p.eod->Runs(day);
  const StepRun* run = FindRun(runs, s, false);
  TimeMs limit = run->start + Minutes(step.max_duration);
  TimeMs fire = FloorMinute(limit - 1) + Minutes(1);  // the first whole minute >= S + max
  TimeMs end = run->start + run->dur_ms;
  Fault& f = p.Add("batch_overrun", Effect::kNone, run->start, end);
  f.desc = fmt::format(
      "{} ({} {}) on {} starts at {} and runs {:.0f} minutes (max_duration "
      "{}m), ending at {}",
      step.name, p.bank.eod_codes[s].code, p.bank.eod_codes[s].name, p.cal.day(day).label,
      Clock(p.cal, run->start), mods.overrun_min, step.max_duration, Clock(p.cal, end));
  f.expect.push_back({"batch", StepKey(step, p.cal.day(day)), fire, fire + Minutes(1),
                      FloorMinute(end), FloorMinute(end) + Minutes(2)});
  TolerateDay(p, day, &f);
}

void PlanBatchLateStart(Planner& p, int day, const char* none) {
  if (day < 0) return p.Skip("batch_late_start", none);
  const BatchStep& step = p.eod->steps()[0];
  EodMods& mods = p.eod->mods(day);
  TimeMs deadline = p.cal.At(day, step.latest_start);
  mods.late_step = 0;
  mods.late_start = deadline + static_cast<TimeMs>(p.rng.Range(15, 25) * 60000);
  std::vector<StepRun> runs = p.eod->Runs(day);
  const StepRun* run = FindRun(runs, 0, false);
  Fault& f = p.Add("batch_late_start", Effect::kNone, p.cal.At(day, step.opens), run->start);
  f.desc =
      fmt::format("{} ({} {}) on {} has not started by latest_start {}; it starts at {}", step.name,
                  p.bank.eod_codes[0].code, p.bank.eod_codes[0].name, p.cal.day(day).label,
                  FormatClockMinutes(step.latest_start), Clock(p.cal, run->start));
  f.expect.push_back({"batch", StepKey(step, p.cal.day(day)), deadline, deadline + Minutes(1),
                      FloorMinute(run->start), FloorMinute(run->start) + Minutes(2)});
  TolerateDay(p, day, &f);
}

void PlanReconMissing(Planner& p, int day) {
  const int c = 1;
  const ReconCheck& check = p.eod->checks()[c];
  p.eod->mods(day).recon_missing.push_back(c);
  TimeMs deadline = p.cal.At(day, check.end), midnight = p.cal.At(day, 24 * 60);
  Fault& f = p.Add("recon_missing", Effect::kNone, p.cal.At(day, check.start), deadline);
  const TxnCode& code = p.bank.eod_codes[static_cast<size_t>(check.code)];
  f.desc = fmt::format("{} ({} {}) on {}: no reconciliation result by {}", check.name, code.code,
                       code.name, p.cal.day(day).label, FormatClockMinutes(check.end));
  f.expect.push_back({"recon",
                      {{"check", check.name}, {"day", p.cal.day(day).label}},
                      deadline,
                      deadline + Minutes(1),
                      midnight,
                      midnight + Minutes(1)});
  f.until = midnight + Minutes(2);
}

void PlanReconMismatch(Planner& p, int day, const char* none) {
  if (day < 0) return p.Skip("recon_mismatch", none);
  const int c = 0;
  const ReconCheck& check = p.eod->checks()[c];
  double limit = std::max(check.floor_count, check.factor * p.eod->MedianCountBefore(c, day));
  EodMods& mods = p.eod->mods(day);
  mods.recon_spike_check = c;
  mods.recon_spike_count = static_cast<int64_t>(std::ceil(limit * 6)) + p.rng.Below(20);
  mods.recon_spike_cents = mods.recon_spike_count * 80'000;
  TimeMs at = 0;
  for (const ReconResult& r : p.eod->Results(day))
    if (r.check == c) at = r.time;
  TimeMs midnight = p.cal.At(day, 24 * 60);
  Fault& f = p.Add("recon_mismatch", Effect::kNone, at, at);
  const TxnCode& code = p.bank.eod_codes[static_cast<size_t>(check.code)];
  f.desc = fmt::format("{} ({} {}) on {}: {} mismatches (limit {:.0f}) for {:.2f} yuan", check.name,
                       code.code, code.name, p.cal.day(day).label, mods.recon_spike_count, limit,
                       mods.recon_spike_cents / 100.0);
  f.expect.push_back({"recon",
                      {{"check", check.name}, {"day", p.cal.day(day).label}},
                      FloorMinute(at),
                      FloorMinute(at) + Minutes(2),
                      midnight,
                      midnight + Minutes(1)});
  f.until = midnight + Minutes(2);
}

}  // namespace vigil::sim::internal
