// Internal to fault planning: the planner's context and helpers, shared by the online-traffic
// planners (fault_plan.cc, fault_plan_counts.cc), the end-of-day planners (fault_plan_eod.cc)
// and the live planner (live_faults.cc).
//
// Each online planner places its fault at local minute F of the day `Planner::day` (in a
// simulation: F fixed per kind on the last workday L); each end-of-day planner changes the
// plan of the day it is given. A planner that finds no target calls Skip and adds nothing.
#pragma once

#include <string>
#include <vector>

#include "sim/fault_plan.h"
#include "sim/random.h"

namespace vigil::sim::internal {

struct Planner {
  Planner(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar, uint64_t seed,
          EodSchedule* eod);

  const Bank& bank;
  const Tuning& tuning;
  const SimCalendar& cal;
  EodSchedule* eod;
  Rng rng;
  int last_workday = -1;      // L: the simulation's online faults' day
  int previous_workday = -1;  // P: the workday before L
  int day = -1;               // the day online faults are planned on (L unless live)
  // Intervals in which a code already carries a fault (with its side effects); a code takes
  // at most one fault at a time.
  std::vector<std::vector<std::pair<TimeMs, TimeMs>>> claims;
  FaultPlan plan;

  // Local time `minute` on `day`.
  TimeMs At(int minute) const { return cal.At(day, minute); }
  bool workday() const { return cal.day(day).workday; }
  // Expected records of code `i` in [from, to) minutes of `day`'s type, at level 1 (minutes
  // outside the day count as silent).
  double Count(int i, int from, int to) const;
  // The smallest expected count of code `i` over windows [t - w, t), t in [t_from, t_to],
  // at the lowest level the traffic model allows.
  double MinWindow(int i, int w, int t_from, int t_to) const;
  // Picks a candidate: the one playing `role` in the article if present, else a random one.
  int Pick(const std::vector<int>& candidates, const std::string& role);

  // True when code `i` carries no fault within an hour of [from, to].
  bool Free(int i, int from_minute, int to_minute) const;
  void Claim(int i, const Fault& f);
  Fault& Add(const std::string& kind, Effect effect, TimeMs start, TimeMs end);
  void Skip(const std::string& kind, const std::string& why);
  const TxnCode& code(int i) const { return bank.codes[static_cast<size_t>(i)]; }
  const CodeTuning& tune(int i) const { return tuning.codes[static_cast<size_t>(i)]; }
  int codes() const { return static_cast<int>(bank.codes.size()); }
};

AlertKey TxnKey(const TxnCode& c);
// [start + 1m, start + w + 1m] to fire, [end + 1m, end + w + 2m] to resolve.
Expectation WindowExpect(const std::string& rule, AlertKey key, TimeMs start, TimeMs end, int w);
TimeMs Minutes(int64_t m);
TimeMs FloorMinute(TimeMs t);

// True when a code monitored as `m` is watched for silence at every minute of [from, to)
// (minutes of `day`; busy hours are 08:00-19:00 of workdays).
bool MonitoredThrough(Monitor m, bool workday, int from, int to);

// Online faults starting at local minute F of `p.day`.
void PlanSystemSuccess(Planner& p, int F);
void PlanRetRatio(Planner& p, int F);
void PlanBusinessSuccess(Planner& p, int F);
void PlanServiceSuccess(Planner& p, int F);
void PlanNoTxn(Planner& p, int F);
void PlanNodeDown(Planner& p, int F);
void PlanVolume(Planner& p, bool drop, int F);
void PlanAbnormal(Planner& p, int F);
void PlanTimeout(Planner& p, int F);

// End-of-day faults on the plan of `day` (< 0: skipped with the reason `none`).
void PlanBatchFailure(Planner& p, int day, const char* none);
void PlanBatchOverrun(Planner& p, int day, const char* none);
void PlanBatchLateStart(Planner& p, int day, const char* none);
void PlanReconMissing(Planner& p, int day);
void PlanReconMismatch(Planner& p, int day, const char* none);

}  // namespace vigil::sim::internal
