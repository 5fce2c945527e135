// The fault manifest: JSON Lines, one injected fault per line, the contract between
// `vigil simulate` and whoever checks the alerts (the scenario tests, a demo). Its fields are
// documented in docs/simulator.md.
#pragma once

#include <string>
#include <vector>

#include "sim/fault_plan.h"
#include "sim/sim_calendar.h"

namespace vigil::sim {

std::string ManifestJsonl(const std::vector<Fault>& faults, const SimCalendar& calendar);

}  // namespace vigil::sim
