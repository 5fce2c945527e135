// `vigil replay --config FILE [--until TS] INPUT... > alerts.jsonl`
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/alert_table.h"
#include "cli/commands.h"
#include "common/config.h"
#include "engine/replay.h"
#include "fmt/format.h"

namespace vigil::cli {
namespace {

struct ReplayFlags {
  std::string config;
  std::string until;
  std::string history;
  std::string write_history;
  std::string format = "jsonl";
  std::vector<std::string> inputs;
  bool quiet = false;
};

int Run(const ReplayFlags& f) {
  ConfigLoad load = LoadConfigFile(f.config);
  if (!load.ok()) {
    for (const auto& e : load.errors) fmt::print(stderr, "{}:{}\n", f.config, e.ToString());
    fmt::print(stderr, "replay: the configuration {} is not usable ({} errors)\n", f.config, load.errors.size());
    return 2;
  }
  auto tz = LoadTimeZone(load.config.timezone);
  if (!tz.ok()) {
    fmt::print(stderr, "replay: {}\n", std::string(tz.status().message()));
    return 2;
  }
  Calendar calendar(load.config.calendar, *tz);
  ReplayOptions options;
  options.inputs = f.inputs;
  options.progress = !f.quiet;
  options.history_dir = f.history;
  options.write_history_dir = f.write_history;
  if (!f.until.empty()) {
    TimeMs until = 0;
    if (ParseRfc3339Ms(f.until, &until) != TimeParse::kOk) {
      fmt::print(stderr, "replay: --until '{}' is not an RFC 3339 time with offset\n", f.until);
      return 2;
    }
    options.until = MinuteStart(MinuteOf(until));
  }
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  JsonLinesAlertWriter jsonl(stdout, *tz);
  AlertTableWriter table(stdout, *tz, isatty(fileno(stdout)) != 0);
  AlertSink* sink = f.format == "table" ? static_cast<AlertSink*>(&table) : &jsonl;
  int rc = RunReplay(load.config, calendar, options, sink, stderr).exit_code;
  std::fflush(stdout);
  return rc;
}

}  // namespace

void RegisterReplay(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReplayFlags>();
  auto* sub = app.add_subcommand("replay", "Run the engine over recorded transactions and print the alert events");
  sub->add_option("--config", flags->config, "configuration file (YAML)")->required();
  sub->add_option("--until", flags->until, "evaluate every minute up to this time (RFC 3339)");
  sub->add_option("--history", flags->history, "directory with aggregates of earlier days, for baselines");
  sub->add_option("--write-history", flags->write_history, "write each closed day's aggregates to this directory");
  sub->add_option("--format", flags->format, "jsonl (default) or table")
      ->check(CLI::IsMember({"jsonl", "table"}));
  sub->add_flag("--quiet", flags->quiet, "no progress lines");
  sub->add_option("inputs", flags->inputs, ".jsonl / .csv files, optionally .gz; - for stdin")->required();
  sub->callback([flags, exit_code] { *exit_code = Run(*flags); });
}

}  // namespace vigil::cli
