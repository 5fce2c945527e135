// A small simulated bank built in memory for the simulator's unit tests.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "sim/bank_model.h"
#include "sim/eod.h"
#include "sim/fault_plan.h"
#include "sim/generator.h"
#include "sim/simulator.h"
#include "sim/tuning.h"

namespace vigil::sim {

struct SimWorld {
  SimCalendar calendar;
  Bank bank;
  Tuning tuning;
  std::unique_ptr<EodSchedule> eod;
  FaultPlan plan;

  // `faults`: "all" / "none" / kinds as on the command line.
  static std::unique_ptr<SimWorld> Make(int codes, int64_t records, int days, uint64_t seed,
                                        const std::string& faults = "none",
                                        absl::CivilDay start = absl::CivilDay(2026, 11, 16)) {
    auto cal = SimCalendar::Create("Asia/Shanghai", start, days);
    if (!cal.ok()) return nullptr;
    auto w = std::unique_ptr<SimWorld>(new SimWorld{*cal, {}, {}, nullptr, {}});
    w->bank = BuildBank(BankOptions{codes, records, seed}, w->calendar);
    w->tuning = TuneBank(w->bank);
    w->eod = std::make_unique<EodSchedule>(w->bank, w->calendar, seed);
    w->plan =
        PlanFaults(w->bank, w->tuning, w->calendar, *ParseFaultKinds(faults), seed, w->eod.get());
    return w;
  }

  std::vector<SimRecord> Generate(uint64_t seed) {
    std::vector<SimRecord> out;
    Generator gen(bank, calendar, *eod, plan.faults, seed);
    gen.Run([&](const SimRecord& r) { out.push_back(r); });
    return out;
  }
};

}  // namespace vigil::sim
