// One fault at a time for live feeds; see live_faults.h.
#include "sim/live_faults.h"

#include <functional>
#include <map>

#include "fmt/format.h"
#include "sim/fault_planner.h"

namespace vigil::sim {
namespace {

using internal::Planner;

const std::map<std::string, std::function<void(Planner&, int)>>& OnlinePlanners() {
  using namespace internal;
  static const std::map<std::string, std::function<void(Planner&, int)>> m = {
      {"system_success", PlanSystemSuccess},
      {"ret_ratio", PlanRetRatio},
      {"business_success", PlanBusinessSuccess},
      {"service_success", PlanServiceSuccess},
      {"abnormal_count", PlanAbnormal},
      {"no_txn", PlanNoTxn},
      {"no_txn_node", PlanNodeDown},
      {"volume_drop", [](Planner& p, int F) { PlanVolume(p, true, F); }},
      {"volume_spike", [](Planner& p, int F) { PlanVolume(p, false, F); }},
      {"timeout_count", PlanTimeout},
  };
  return m;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

LiveFaultPlanner::LiveFaultPlanner(const Bank& bank, const Tuning& tuning,
                                   const SimCalendar& calendar, uint64_t seed, EodSchedule* eod)
    : calendar_(calendar),
      planner_(std::make_unique<Planner>(bank, tuning, calendar, seed, eod)) {}

LiveFaultPlanner::~LiveFaultPlanner() = default;

bool LiveFaultPlanner::IsOnline(const std::string& kind) { return OnlinePlanners().count(kind); }
bool LiveFaultPlanner::IsBatch(const std::string& kind) { return StartsWith(kind, "batch_"); }
bool LiveFaultPlanner::IsRecon(const std::string& kind) { return StartsWith(kind, "recon_"); }

absl::StatusOr<Fault> LiveFaultPlanner::PlanOnline(const std::string& kind, int day, int minute) {
  auto it = OnlinePlanners().find(kind);
  if (it == OnlinePlanners().end()) {
    return absl::InvalidArgumentError(fmt::format("'{}' is not an online fault kind", kind));
  }
  planner_->day = day;
  const size_t before = planner_->plan.faults.size();
  it->second(*planner_, minute);
  return Take(kind, before);
}

absl::StatusOr<Fault> LiveFaultPlanner::PlanEod(const std::string& kind, int day) {
  Planner& p = *planner_;
  const size_t before = p.plan.faults.size();
  const bool workday = calendar_.day(day).workday;
  const char* holiday = "no batch run on a holiday";
  if (kind == "batch_failure") {
    internal::PlanBatchFailure(p, workday ? day : -1, holiday);
  } else if (kind == "batch_overrun") {
    internal::PlanBatchOverrun(p, workday ? day : -1, holiday);
  } else if (kind == "batch_late_start") {
    internal::PlanBatchLateStart(p, workday ? day : -1, holiday);
  } else if (kind == "recon_missing") {
    internal::PlanReconMissing(p, day);
  } else if (kind == "recon_mismatch") {
    internal::PlanReconMismatch(p, day, "");
  } else {
    return absl::InvalidArgumentError(fmt::format("'{}' is not an end-of-day fault kind", kind));
  }
  return Take(kind, before);
}

absl::StatusOr<Fault> LiveFaultPlanner::Take(const std::string& kind, size_t faults_before) {
  Planner& p = *planner_;
  if (p.plan.faults.size() > faults_before) return p.plan.faults.back();
  std::string why = p.plan.skipped.empty() ? kind + ": no target" : p.plan.skipped.back();
  return absl::FailedPreconditionError(why);
}

}  // namespace vigil::sim
