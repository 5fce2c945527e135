// `vigil simulate`: realistic multi-day transaction traffic for a configurable bank, with
// injectable faults of every rule kind, seeded and repeatable. Writes the records, the
// matching monitoring configuration and the fault manifest (docs/simulator.md).
//
// Progress goes to stderr (a line every ~2 s when stderr is not a terminal, an updating line
// when it is), then a summary: records written, codes, days by type, faults injected.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "fmt/format.h"
#include "sim/simulator.h"

namespace vigil::cli {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Bytes(int64_t n) {
  if (n >= (1 << 30)) return fmt::format("{:.2f} GB", n / double(1 << 30));
  if (n >= (1 << 20)) return fmt::format("{:.1f} MB", n / double(1 << 20));
  return fmt::format("{} KB", (n + 1023) / 1024);
}

void PrintSummary(const sim::SimOptions& o, const sim::SimResult& r, double secs) {
  fmt::print(stderr, "simulate: wrote {} records ({}) to {} in {:.1f} s ({:.0f}k records/s)\n",
             r.gen.records, Bytes(r.bytes), o.out, secs,
             r.gen.records / std::max(secs, 1e-3) / 1000);
  fmt::print(stderr, "  codes: {} online codes, 3 batch steps, 2 reconciliation checks\n", r.codes);
  fmt::print(stderr, "  days: {} ({} workday{}, {} holiday{})\n", r.days.size(), r.workdays,
             r.workdays == 1 ? "" : "s", r.holidays, r.holidays == 1 ? "" : "s");
  for (const std::string& d : r.days) fmt::print(stderr, "    {}\n", d);
  fmt::print(stderr, "  faults: {} injected\n", r.faults.size());
  for (const sim::Fault& f : r.faults) {
    fmt::print(stderr, "    {} {:<17} {}\n", f.id, f.kind, f.desc);
  }
  for (const std::string& s : r.skipped) fmt::print(stderr, "  skipped {}\n", s);
  if (!o.config_out.empty()) fmt::print(stderr, "  config: {}\n", o.config_out);
  if (!o.manifest_out.empty()) fmt::print(stderr, "  manifest: {}\n", o.manifest_out);
}

int RunSimulate(sim::SimOptions o) {
  const Clock::time_point start = Clock::now();
  const bool tty = isatty(fileno(stderr)) != 0;
  auto last = std::make_shared<Clock::time_point>(start);
  o.progress = [=](int64_t records, int day) {
    double since = std::chrono::duration<double>(Clock::now() - *last).count();
    if (since < (tty ? 0.25 : 2.0)) return;
    *last = Clock::now();
    fmt::print(stderr, "{}simulate: {} records, day {}/{}, {:.0f} s{}", tty ? "\r" : "", records,
               day + 1, o.days, Seconds(start), tty ? "   " : "\n");
  };
  absl::StatusOr<sim::SimResult> r = sim::Simulate(o);
  if (tty) fmt::print(stderr, "\r{:60}\r", "");
  if (!r.ok()) {
    fmt::print(stderr, "simulate: {}\n", std::string(r.status().message()));
    return 2;
  }
  PrintSummary(o, *r, Seconds(start));
  return 0;
}

}  // namespace

void RegisterSimulate(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<sim::SimOptions>();
  auto* sub = app.add_subcommand(
      "simulate",
      "Generate realistic bank traffic with injectable faults, plus the matching "
      "configuration and fault manifest");
  sub->add_option("--out,-o", o->out, "records file: .jsonl or .csv, optionally .gz; '-' stdout")
      ->required();
  sub->add_option("--format", o->format, "jsonl or csv (default: from the file name)");
  sub->add_option("--config-out", o->config_out, "write the monitoring configuration (YAML)");
  sub->add_option("--manifest-out", o->manifest_out, "write the fault manifest (JSON Lines)");
  sub->add_option("--start", o->start, "first day, YYYY-MM-DD")->capture_default_str();
  sub->add_option("--days", o->days, "number of days")->capture_default_str();
  sub->add_option("--codes", o->codes, "online transaction codes")->capture_default_str();
  sub->add_option("--records", o->records, "approximate total records")->capture_default_str();
  sub->add_option("--seed", o->seed, "random seed")->capture_default_str();
  sub->add_option("--faults", o->faults,
                  "all, none, or a comma list of rules / fault kinds (system_success, "
                  "no_txn_node, volume_drop, batch_late_start, ...)")
      ->capture_default_str();
  sub->add_option("--timezone", o->timezone, "IANA time zone")->capture_default_str();
  sub->callback([o, exit_code] { *exit_code = RunSimulate(*o); });
}

}  // namespace vigil::cli
