// Faults to inject and what the engine must say about them.
//
// A fault is an effect on the traffic (applied by the generator, see fault_effects.cc) or on
// the day's end-of-day plan (eod.h), plus its expectations: the alert (rule + key) that must
// fire, the interval its firing `at` must fall in, and when it must resolve; and the alerts
// tolerated as side effects while the fault lasts. The manifest writer prints them; the
// scenario tests hold the engine to them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/bank_model.h"
#include "sim/eod.h"
#include "sim/sim_calendar.h"
#include "sim/tuning.h"

namespace vigil::sim {

// Ordered key fields as the contract writes them: txn, ret, svc_sys, node, step, check, day.
using AlertKey = std::vector<std::pair<std::string, std::string>>;

struct Expectation {
  std::string rule;
  AlertKey key;
  TimeMs fire_from = 0, fire_by = 0;  // the firing event's `at` lies in [fire_from, fire_by]
  // The resolved event's `at` lies in [resolve_from, resolve_by]. A missing resolve_by means
  // it may stay firing to the end of the data (resolving, if at all, at or after
  // resolve_from); both missing: it must stay firing.
  std::optional<TimeMs> resolve_from, resolve_by;
};

struct Tolerance {
  std::string rule;
  AlertKey key;  // a subset: an alert matches when every field listed here is equal
};

enum class Effect : uint8_t {
  kNone,         // end-of-day faults: the plan itself was changed
  kRetShare,     // `share` of the code's records get `ret` (system or business failures)
  kServiceFail,  // `share` of the calls to service `svc` fail
  kSilence,      // the code has no record
  kNodeDown,     // node `node` of system `sys` takes no traffic (it goes to the others)
  kThin,         // only `factor` of the code's records remain
  kBoost,        // `factor` x the normal traffic is added
  kInject,       // extra failed records at `inject_times`
  kSlow,         // durations jump above the code's timeout
};

struct Fault {
  std::string id;    // "F01"
  std::string kind;  // "system_success", "no_txn_node", "volume_drop", "batch_late_start" ...
  std::string desc;  // one line for people
  TimeMs start = 0, end = 0;        // when the traffic is affected (records' time)
  std::optional<TimeMs> until;      // side effects tolerated in [start, until]; none: to the end
  std::vector<Expectation> expect;  // expect[0] is the primary alert
  std::vector<Tolerance> tolerate;
  Effect effect = Effect::kNone;
  int code = -1, svc = -1, sys = -1, node = -1, ret = -1;
  double share = 0, factor = 0;
  std::vector<TimeMs> inject_times;
};

// The fault kinds, in plan order, with the rule each one targets.
const std::vector<std::pair<std::string, std::string>>& FaultKinds();

struct FaultPlan {
  std::vector<Fault> faults;
  std::vector<std::string> skipped;  // "volume_drop: no code with a large enough baseline"
};

// Chooses targets and times for the selected kinds (a set of kind names). Modifies
// `eod`'s per-day mods for the end-of-day kinds.
FaultPlan PlanFaults(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar,
                     const std::set<std::string>& kinds, uint64_t seed, EodSchedule* eod);

// After generation: resolves expected past the last evaluated minute become open.
void FinalizeFaults(TimeMs last_minute, std::vector<Fault>* faults);

}  // namespace vigil::sim
