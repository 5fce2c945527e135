// Orchestrates one simulation run; see simulator.h.
#include "sim/simulator.h"

#include <fstream>

#include "absl/time/civil_time.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "sim/config_writer.h"
#include "sim/eod.h"
#include "sim/manifest_writer.h"
#include "sim/record_writer.h"
#include "sim/tuning.h"

namespace vigil::sim {
namespace {

absl::Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) return absl::UnavailableError(fmt::format("cannot write {}", path));
  return absl::OkStatus();
}

absl::Status Validate(const SimOptions& o) {
  if (o.out.empty()) return absl::InvalidArgumentError("--out is required ('-' for stdout)");
  if (o.codes < 10 || o.codes > 100'000) {
    return absl::InvalidArgumentError(fmt::format("--codes must be 10-100000, not {}", o.codes));
  }
  if (o.records < 0) return absl::InvalidArgumentError("--records must not be negative");
  return absl::OkStatus();
}

void DescribeDays(const SimCalendar& cal, SimResult* r) {
  static const char* kWeekday[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (const SimDay& d : cal.days()) {
    int wd = static_cast<int>(absl::GetWeekday(d.date));  // absl: monday = 0
    (d.workday ? r->workdays : r->holidays)++;
    r->days.push_back(fmt::format("{} {} {}{}", d.label, kWeekday[wd],
                                  d.workday ? "workday" : "holiday",
                                  d.why.empty() ? "" : fmt::format(" ({})", d.why)));
  }
}

}  // namespace

absl::StatusOr<std::set<std::string>> ParseFaultKinds(const std::string& spec) {
  std::set<std::string> kinds;
  if (spec == "none" || spec.empty()) return kinds;
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    std::string item =
        spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? spec.size() + 1 : comma + 1;
    bool known = false;
    for (const auto& [kind, rule] : FaultKinds()) {
      if (item == "all" || item == kind || item == rule) kinds.insert(kind), known = true;
    }
    if (!known) {
      std::string names;
      for (const auto& [kind, rule] : FaultKinds()) names += (names.empty() ? "" : ", ") + kind;
      return absl::InvalidArgumentError(
          fmt::format("unknown fault '{}': use all, none, a rule name or one of {}", item, names));
    }
  }
  return kinds;
}

absl::StatusOr<SimResult> Simulate(const SimOptions& o) {
  if (absl::Status s = Validate(o); !s.ok()) return s;
  absl::CivilDay start;
  if (!absl::ParseCivilTime(AsAbsl(o.start), &start)) {
    return absl::InvalidArgumentError(
        fmt::format("--start '{}' is not a date YYYY-MM-DD", o.start));
  }
  absl::StatusOr<std::set<std::string>> kinds = ParseFaultKinds(o.faults);
  if (!kinds.ok()) return kinds.status();
  absl::StatusOr<SimCalendar> cal = SimCalendar::Create(o.timezone, start, o.days);
  if (!cal.ok()) return cal.status();
  absl::StatusOr<OutputSpec> spec = OutputSpecFor(o.out, o.format);
  if (!spec.ok()) return spec.status();

  Bank bank = BuildBank(BankOptions{o.codes, o.records, o.seed}, *cal);
  Tuning tuning = TuneBank(bank);
  EodSchedule eod(bank, *cal, o.seed);
  FaultPlan plan = PlanFaults(bank, tuning, *cal, *kinds, o.seed, &eod);
  if (!o.config_out.empty()) {
    std::string origin = fmt::format(
        "vigil simulate --start {} --days {} --codes {} --records {} "
        "--seed {} --timezone {}",
        o.start, o.days, o.codes, o.records, o.seed, o.timezone);
    if (absl::Status s = WriteText(o.config_out, ConfigYaml(bank, tuning, *cal, eod, origin));
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<std::unique_ptr<OutputFile>> file = OutputFile::Open(spec->path, spec->gzip);
  if (!file.ok()) return file.status();
  RecordWriter writer(bank, cal->tz(), spec->format, std::move(*file));
  Generator gen(bank, *cal, eod, plan.faults, o.seed);
  int64_t written = 0;
  SimResult result;
  result.gen = gen.Run([&](const SimRecord& r) {
    writer.Write(r);
    if ((++written & 0xFFFF) == 0 && o.progress) {
      o.progress(written, static_cast<int>((r.ts - cal->day(0).start_ms) / kMsPerDay));
    }
  });
  if (absl::Status s = writer.Close(); !s.ok()) return s;
  result.bytes = writer.bytes();
  FinalizeFaults(MinuteStart(MinuteOf(result.gen.last_time)), &plan.faults);
  if (!o.manifest_out.empty()) {
    if (absl::Status s = WriteText(o.manifest_out, ManifestJsonl(plan.faults, *cal)); !s.ok())
      return s;
  }
  result.codes = static_cast<int>(bank.codes.size());
  DescribeDays(*cal, &result);
  result.faults = std::move(plan.faults);
  result.skipped = std::move(plan.skipped);
  return result;
}

}  // namespace vigil::sim
