// Fault planning one fault at a time, at the moment a live feed asks: the same planners as a
// simulation (fault_plan.h), given the minute and day instead of the simulation's fixed
// slots. Targets are chosen among the codes eligible at that hour of that day type; a code
// carries one fault at a time (and an hour's margin), across all faults planned so far.
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sim/fault_plan.h"

namespace vigil::sim {

namespace internal {
struct Planner;
}

class LiveFaultPlanner {
 public:
  // `eod` gets the end-of-day faults' changes; all must outlive the planner.
  LiveFaultPlanner(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar,
                   uint64_t seed, EodSchedule* eod);
  ~LiveFaultPlanner();

  // Kinds that change the online traffic (system_success ... timeout_count), and those that
  // change a day's end-of-day plan (batch_*, recon_*).
  static bool IsOnline(const std::string& kind);
  static bool IsBatch(const std::string& kind);
  static bool IsRecon(const std::string& kind);

  // Plans online `kind` to start at local `minute` of calendar day `day`. FailedPrecondition
  // with the reason when no target fits then ("no code busy enough at 03:10").
  absl::StatusOr<Fault> PlanOnline(const std::string& kind, int day, int minute);
  // Plans a batch or reconciliation `kind` on the plan of `day`; call it before the day's
  // end-of-day records are drawn (Generator::StartDay), at most one batch and one recon kind
  // per day. FailedPrecondition with the reason when it cannot apply (a batch on a holiday).
  absl::StatusOr<Fault> PlanEod(const std::string& kind, int day);

 private:
  absl::StatusOr<Fault> Take(const std::string& kind, size_t faults_before);

  const SimCalendar& calendar_;
  std::unique_ptr<internal::Planner> planner_;
};

}  // namespace vigil::sim
