// `vigil simulate`: realistic multi-day transaction traffic for a configurable bank, with
// injectable faults of every rule kind, seeded and repeatable. Writes the records, the
// matching monitoring configuration and the fault manifest (docs/simulator.md).
//
// Progress goes to stderr (a line every ~2 s when stderr is not a terminal, an updating line
// when it is), then a summary: records written, codes, days by type, faults injected.
//
// `vigil simulate --live` feeds the same bank's traffic in real time to a running
// `vigil serve` (sim/live_*.h), after writing its configuration and backfill if asked; fault
// lines and progress go to stderr; Ctrl-C stops it.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/clock.h"
#include "fmt/format.h"
#include "sim/live_run.h"
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

// The flags of live mode; durations as written ("5m").
struct LiveFlags {
  bool live = false;
  std::string target, token, backfill_out;
  double rate = 100;
  std::string fault_every = "5m", first_fault, duration;
  int backfill_days = 7;
};

std::atomic<bool> g_stop{false};

void OnSignal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);  // a second Ctrl-C ends the process at once
}

void Log(const std::string& line) { fmt::print(stderr, "{}\n", line); }

int Fail(const std::string& message) {
  fmt::print(stderr, "simulate: {}\n", message);
  return 2;
}

int WriteConfig(const sim::LiveWorld& world, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << world.ConfigYaml();
  f.close();
  if (!f) return Fail(fmt::format("cannot write {}", path));
  fmt::print(stderr, "simulate: wrote the configuration to {}\n", path);
  return 0;
}

int WriteBackfill(const sim::LiveWorld& world, const std::string& path) {
  const Clock::time_point start = Clock::now();
  absl::StatusOr<sim::BackfillResult> r = world.WriteBackfill(path);
  if (!r.ok()) return Fail(std::string(r.status().message()));
  const std::string days =
      r->first_day == r->last_day ? r->first_day : r->first_day + " to " + r->last_day;
  fmt::print(stderr, "simulate: wrote {} records ({}) of {} to {} in {:.1f} s\n", r->gen.records,
             Bytes(r->bytes), days, path, Seconds(start));
  return 0;
}

absl::StatusOr<sim::LiveFeedOptions> FeedOptions(const sim::SimOptions& o, const LiveFlags& l) {
  sim::LiveFeedOptions f;
  absl::StatusOr<std::set<std::string>> kinds = sim::ParseFaultKinds(o.faults);
  if (!kinds.ok()) return kinds.status();
  f.kinds = *kinds;
  absl::StatusOr<int64_t> every = ParseDurationMs(l.fault_every);
  if (!every.ok() || *every % kMsPerMinute != 0) {
    return absl::InvalidArgumentError(
        fmt::format("--fault-every '{}' must be whole minutes (5m), or 0 for none", l.fault_every));
  }
  f.fault_every_ms = *every;
  if (!l.first_fault.empty()) {
    absl::StatusOr<int64_t> first = ParseDurationMs(l.first_fault);
    if (!first.ok() || *first % kMsPerMinute != 0) {
      return absl::InvalidArgumentError(
          fmt::format("--first-fault '{}' must be whole minutes (1m)", l.first_fault));
    }
    f.first_fault_ms = *first;
  }
  return f;
}

void PrintLiveSummary(const sim::LiveRunner& runner, const sim::RecordSender& sender,
                      const sim::LiveFeed& feed) {
  const sim::SendStats& s = sender.stats();
  const double secs = std::max(1e-3, (runner.stats().ended - runner.stats().began) / 1000.0);
  fmt::print(stderr,
             "simulate: {} records in {} batches ({}) sent to {} in {:.0f} s ({:.0f}/s); "
             "server accepted {}, rejected {}; {} retries; {} faults started{}\n",
             s.records, s.batches, Bytes(s.bytes), sender.url(), secs, s.records / secs,
             s.accepted, s.rejected, s.retries, feed.StartedFaults(),
             runner.stats().stopped ? " (stopped)" : "");
}

int RunLive(const sim::SimOptions& o, const LiveFlags& l) {
  absl::StatusOr<sim::LiveFeedOptions> feed_options = FeedOptions(o, l);
  if (!feed_options.ok()) return Fail(std::string(feed_options.status().message()));
  sim::LiveRunOptions run;
  if (!l.duration.empty()) {
    absl::StatusOr<int64_t> d = ParseDurationMs(l.duration);
    if (!d.ok() || *d <= 0) return Fail(fmt::format("--duration '{}' is not a duration", l.duration));
    run.duration_ms = *d;
  }
  if (l.target.empty() && o.config_out.empty() && l.backfill_out.empty()) {
    return Fail("--live needs --target URL (or --config-out / --backfill-out to prepare a run)");
  }
  SystemClock clock;
  sim::LiveOptions lo{o.codes, l.rate, o.seed, o.timezone, l.backfill_days};
  absl::StatusOr<std::unique_ptr<sim::LiveWorld>> world = sim::LiveWorld::Create(lo, clock.Now());
  if (!world.ok()) return Fail(std::string(world.status().message()));
  if (!o.config_out.empty()) {
    if (int rc = WriteConfig(**world, o.config_out); rc != 0) return rc;
  }
  if (!l.backfill_out.empty()) {
    if (int rc = WriteBackfill(**world, l.backfill_out); rc != 0) return rc;
  }
  if (l.target.empty()) return 0;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  sim::SystemSleeper sleeper(&g_stop);
  sim::RecordSender sender({.target = l.target, .token = l.token, .stop = &g_stop}, sleeper, Log);
  sim::LiveFeed feed(**world, clock.Now(), *feed_options);
  fmt::print(stderr,
             "simulate: feeding {} with {} codes, up to {} records/s at peak ({}); faults: {}{}; "
             "Ctrl-C stops\n",
             sender.url(), o.codes, l.rate, o.timezone, o.faults,
             feed_options->fault_every_ms > 0 && !feed_options->kinds.empty()
                 ? " every " + l.fault_every
                 : "");
  sim::LiveRunner runner(feed, **world, sender, clock, sleeper, run, Log);
  absl::Status s = runner.Run(&g_stop);
  PrintLiveSummary(runner, sender, feed);
  if (!s.ok()) {
    fmt::print(stderr, "simulate: {}\n", std::string(s.message()));
    return 1;
  }
  return 0;
}

// Flags that belong to one mode only, given in the other (--token may come from the
// environment, so it is not checked).
std::string MisplacedFlag(const CLI::App& sub, bool live) {
  for (const char* f : live ? std::vector<const char*>{"--out", "--format", "--manifest-out",
                                                       "--start", "--days", "--records"}
                            : std::vector<const char*>{"--target", "--rate",
                                                       "--fault-every", "--first-fault", "--duration",
                                                       "--backfill-days", "--backfill-out"}) {
    if (sub.count(f) > 0) return f;
  }
  return "";
}

}  // namespace

void RegisterSimulate(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<sim::SimOptions>();
  auto l = std::make_shared<LiveFlags>();
  auto* sub = app.add_subcommand(
      "simulate",
      "Generate realistic bank traffic with injectable faults, plus the matching "
      "configuration and fault manifest");
  sub->add_option("--out,-o", o->out,
                  "records file: .jsonl or .csv, optionally .gz; '-' stdout (not with --live)");
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
  sub->add_flag("--live", l->live, "feed a running vigil serve in real time");
  sub->add_option("--target", l->target, "live: the server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", l->token, "live: ingest bearer token")->envname("VIGIL_INGEST_TOKEN");
  sub->add_option("--rate", l->rate, "live: records per second at the busiest minute")
      ->capture_default_str();
  sub->add_option("--fault-every", l->fault_every, "live: a fault this often (0: none)")
      ->capture_default_str();
  sub->add_option("--first-fault", l->first_fault,
                  "live: the first fault this long after the start (default: --fault-every)");
  sub->add_option("--duration", l->duration, "live: stop after this long (default: Ctrl-C)");
  sub->add_option("--backfill-days", l->backfill_days,
                  "live: days before today for baselines (and --backfill-out)")
      ->capture_default_str();
  sub->add_option("--backfill-out", l->backfill_out,
                  "live: write the backfill days' records (for replay --write-history)");
  sub->callback([o, l, sub, exit_code] {
    if (std::string f = MisplacedFlag(*sub, l->live); !f.empty()) {
      *exit_code = Fail(fmt::format("{} {}", f, l->live ? "is not used with --live" : "needs --live"));
      return;
    }
    *exit_code = l->live ? RunLive(*o, *l) : RunSimulate(*o);
  });
}

}  // namespace vigil::cli
