// Writes the monitoring configuration (the contract's YAML, section 3) for the simulated
// bank: its calendar, return-code classes, service systems, every transaction code with the
// tuned parameters (tuning.h), the batch steps and the reconciliation checks.
#pragma once

#include <cstdint>
#include <string>

#include "sim/bank_model.h"
#include "sim/eod.h"
#include "sim/sim_calendar.h"
#include "sim/tuning.h"

namespace vigil::sim {

// `origin` is one line for the header comment (how the simulation was made).
std::string ConfigYaml(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar,
                       const EodSchedule& eod, const std::string& origin);

}  // namespace vigil::sim
