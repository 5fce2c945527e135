// `vigil simulate` as a library call: builds the bank, tunes its configuration, plans the
// faults, generates the records and writes records, configuration and fault manifest.
//
// Example:
//   SimOptions o;
//   o.out = "traffic.jsonl"; o.config_out = "vigil.yaml"; o.faults = "all";
//   absl::StatusOr<SimResult> r = Simulate(o);
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/fault_plan.h"
#include "sim/generator.h"

namespace vigil::sim {

struct SimOptions {
  std::string out;                   // records: "-" for stdout, else .jsonl / .csv, optionally .gz
  std::string format;                // "jsonl" / "csv" to override the name; empty: by name
  std::string config_out;            // YAML configuration; empty: not written
  std::string manifest_out;          // fault manifest (JSON Lines); empty: not written
  std::string start = "2026-11-16";  // first day, local date
  int days = 6;
  int codes = 500;
  int64_t records = 1'000'000;  // approximate total
  uint64_t seed = 1;
  std::string faults = "none";  // "all", "none", or kinds / rule names separated by commas
  std::string timezone = "Asia/Shanghai";
  // Called about every 64k records written with (records so far, current day index).
  std::function<void(int64_t records, int day)> progress;
};

struct SimResult {
  GenStats gen;
  int64_t bytes = 0;
  int codes = 0;
  int workdays = 0, holidays = 0;
  std::vector<std::string> days;  // "2026-11-21 Sat holiday (weekend)"
  std::vector<Fault> faults;
  std::vector<std::string> skipped;
};

// The selected fault kinds: "all" / "none" / a comma list of kinds (FaultKinds) or rule
// names (a rule selects all its kinds).
absl::StatusOr<std::set<std::string>> ParseFaultKinds(const std::string& spec);

absl::StatusOr<SimResult> Simulate(const SimOptions& options);

}  // namespace vigil::sim
