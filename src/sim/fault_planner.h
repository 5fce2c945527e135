// Internal to fault planning: the planner's context and helpers, shared by the online-traffic
// planners (fault_plan.cc) and the end-of-day planners (fault_plan_eod.cc).
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
  int last_workday = -1;      // L: the online faults' day
  int previous_workday = -1;  // P: the workday before L
  // Intervals in which a code already carries a fault (with its side effects); a code takes
  // at most one fault at a time.
  std::vector<std::vector<std::pair<TimeMs, TimeMs>>> claims;
  FaultPlan plan;

  // Local time `minute` on day L.
  TimeMs At(int minute) const { return cal.At(last_workday, minute); }
  // Expected records of code `i` in [from, to) minutes of a workday, at level 1.
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

void PlanBatchFailure(Planner& p);
void PlanBatchOverrun(Planner& p);
void PlanBatchLateStart(Planner& p);
void PlanReconMissing(Planner& p);
void PlanReconMismatch(Planner& p);

}  // namespace vigil::sim::internal
