// `vigil serve` speed, against the real binary on loopback (bench/serve_bench.sh runs it).
//
// 1. HTTP ingest throughput (serve_bench_ingest.cc). SENDERS threads POST pre-built gzip JSON
//    Lines bodies of BODY records each over keep-alive connections; the figures are accepted
//    records per wall second from the first request to the last answer (200 = journaled,
//    synced and applied), the server's CPU seconds (utime + stime of every thread, from /proc)
//    per million records, the busiest thread's (the engine thread's) CPU seconds per million,
//    and the rate that CPU time would allow on an idle machine: min(1 / engine thread,
//    cores / (server + senders)) per record. The senders run on the same cores as the server.
//    Records are simulated traffic in file order with their times moved: data minute j holds
//    records [j * PER_MINUTE, (j + 1) * PER_MINUTE), spread evenly over [start + j min,
//    start + (j + 1) min). The server runs a test clock from `start`; when every body of minute
//    j is acknowledged the benchmark sets the clock to the end of minute j plus
//    allowed_lateness, so the engine evaluates every minute during the run and no record is late
//    or ahead of the clock (checked against the server's counters).
// 2. Notification latency (serve_bench_latency.cc): from setting the clock to the end of a
//    minute plus allowed_lateness to the webhook of an alert of that minute arriving.
//
// Each figure line gives the median of RUNS runs and their range; lines starting with '#' are
// the runs' details.
//
// Usage: serve_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml [--work DIR]
//          [--records N] [--body N] [--per-minute N] [--senders N] [--runs N] [--alerts N]
//          [--gzip-level N] [--start RFC3339] [--only ingest|latency] [--modes fsync,no-fsync]
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>

#include "common/time_util.h"
#include "fmt/format.h"
#include "serve_bench.h"

namespace vigil::bench {
namespace {

Options ParseArgs(int argc, char** argv) {
  Options o;
  std::map<std::string, std::string*> strings = {{"--vigil", &o.vigil}, {"--traffic", &o.traffic},
      {"--config", &o.config}, {"--work", &o.work}, {"--start", &o.start}, {"--only", &o.only},
      {"--modes", &o.modes}};
  std::map<std::string, int64_t*> longs = {{"--records", &o.records}, {"--per-minute", &o.per_minute}};
  std::map<std::string, int*> ints = {{"--body", &o.body_records}, {"--senders", &o.senders},
      {"--runs", &o.runs}, {"--alerts", &o.alerts}, {"--gzip-level", &o.gzip_level}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (strings.contains(flag)) *strings[flag] = value;
    else if (longs.contains(flag)) *longs[flag] = std::stoll(value);
    else if (ints.contains(flag)) *ints[flag] = std::stoi(value);
    else throw std::runtime_error("unknown flag " + flag);
  }
  if (o.vigil.empty() || o.traffic.empty() || o.config.empty()) {
    throw std::runtime_error("usage: serve_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml [...]");
  }
  if (o.per_minute % o.body_records != 0) throw std::runtime_error("--per-minute must be a multiple of --body");
  return o;
}

TimeMs ParseTime(const std::string& text) {
  TimeMs t = 0;
  if (ParseRfc3339Ms(text, &t) != TimeParse::kOk) throw std::runtime_error("not an RFC 3339 time: " + text);
  return t;
}

// allowed_lateness of the configuration (the simulator writes it in seconds).
int64_t AllowedLatenessMs(const std::string& yaml) {
  std::smatch m;
  static const std::regex re(R"((^|\n)allowed_lateness: *(\d+)s)");
  return std::regex_search(yaml, m, re) ? std::stoll(m[2]) * 1000 : 0;
}

std::string Thousands(double v) {
  std::string digits = fmt::format("{:.0f}", v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The 1, 5 and 15 minute load averages, as /proc/loadavg has them.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return fmt::format("{} {} {}", one, five, fifteen);
}

// Whether the comma-separated `modes` lists `mode`.
bool HasMode(const std::string& modes, const std::string& mode) {
  return ("," + modes + ",").find("," + mode + ",") != std::string::npos;
}

// One figure line: the median of `v` and the range of the runs.
void Figure(const std::string& label, const std::vector<double>& v, const std::string& unit, bool thousands) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  auto show = [&](double x) { return thousands ? Thousands(x) : fmt::format("{:.2f}", x); };
  fmt::print("{:<38} {:>10} {:<28} (runs {} .. {})\n", label, show(Median(v)), unit, show(*lo), show(*hi));
}

void IngestFigures(const Options& o, const std::vector<Body>& bodies, TimeMs t0, int64_t lateness_ms) {
  for (bool fsync : {true, false}) {
    if (!HasMode(o.modes, fsync ? "fsync" : "no-fsync")) continue;
    const std::string label = fmt::format("serve ingest gzip JSONL, {}", fsync ? "fsync" : "--no-fsync");
    std::vector<double> rates, cpus, engine, ceiling;
    for (int run = 0; run < o.runs; ++run) {
      const IngestResult r = IngestRun(o, bodies, t0, lateness_ms, fsync);
      const double millions = static_cast<double>(r.accepted) / 1e6;
      rates.push_back(static_cast<double>(r.accepted) / r.seconds);
      cpus.push_back(r.server_cpu / millions);
      engine.push_back(r.busiest_thread_cpu / millions);
      // What the CPU time allows on an otherwise idle machine: the engine thread is serial, and
      // server plus senders share the cores.
      const double cores = std::thread::hardware_concurrency();
      ceiling.push_back(1e6 * std::min(1 / engine.back(), cores / (cpus.back() + r.client_cpu / millions)));
      fmt::print("#   {} run {} (load average {}): {} records in {:.2f} s, {} records/s; server CPU {:.2f} s ({:.2f} s per M records, "
                 "busiest thread {:.2f}); senders' CPU {:.2f} s; rejected {}, late {}, future {}, 429s {}, "
                 "journal syncs {}; request p50 {:.0f} ms, p90 {:.0f} ms, max {:.0f} ms\n",
                 label, run + 1, LoadAverage(), Thousands(static_cast<double>(r.accepted)), r.seconds, Thousands(rates.back()),
                 r.server_cpu, cpus.back(), engine.back(), r.client_cpu, r.rejected, r.late, r.future, r.throttled,
                 r.syncs, Quantile(r.request_ms, 0.5), Quantile(r.request_ms, 0.9), Quantile(r.request_ms, 1));
      if (r.rejected != 0 || r.late != 0 || r.future != 0) {
        fmt::print("# WARNING: records were refused or not counted; the rate above overstates ingestion\n");
      }
      std::fflush(stdout);
    }
    Figure(label, rates, "records/s", true);
    Figure(label, cpus, "server CPU-s per M records", false);
    Figure(label, engine, "engine-thread CPU-s per M", false);
    Figure(label, ceiling, "records/s CPU-bound ceiling", true);
    // One line to quote: the wall-clock rate depends on what else runs (hence the load), the CPU
    // per record does not.
    fmt::print("SUMMARY {}: {} records/s, {:.2f} server CPU-s per M records (engine thread {:.2f}), "
               "CPU-bound ceiling {} records/s; load average {} (median of {} runs)\n",
               label, Thousands(Median(rates)), Median(cpus), Median(engine), Thousands(Median(ceiling)),
               LoadAverage(), o.runs);
    std::fflush(stdout);
  }
}

void LatencyFigures(const Options& o, TimeMs t0, int64_t lateness_ms) {
  const std::string yaml = ReadFile(o.config);
  std::vector<std::string> normal;
  std::ifstream in(o.traffic);
  for (std::string line; normal.size() < static_cast<size_t>(o.body_records) && std::getline(in, line);) normal.push_back(line);
  fmt::print("# latency: per alert, 10,000 records of normal traffic and 20 system failures of one quiet code in a\n"
             "#   minute, then the test clock is set to that minute's end + allowed_lateness; figure: from sending\n"
             "#   that request to the webhook arriving here (route group_wait 0s). With the real clock the engine\n"
             "#   thread waits on the ingest queue with a deadline at the next minute's due time (Runtime::Loop,\n"
             "#   NextDue = minute end + allowed_lateness), so the same evaluation and delivery start at that time.\n");
  std::vector<double> all, run_medians;
  for (int run = 0; run < o.runs; ++run) {
    const std::vector<double> ms = LatencyRun(o, yaml, normal, t0, lateness_ms);
    all.insert(all.end(), ms.begin(), ms.end());
    run_medians.push_back(Median(ms));
    fmt::print("#   latency run {}: {} of {} alerts notified; median {:.1f} ms, max {:.1f} ms\n", run + 1, ms.size(),
               o.alerts, Median(ms), ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
    std::fflush(stdout);
  }
  const auto [mmin, mmax] = std::minmax_element(run_medians.begin(), run_medians.end());
  fmt::print("{:<38} {:>10.1f} ms median, {:.1f} ms max over {} alerts (run medians {:.1f} .. {:.1f} ms)\n",
             "serve notification latency", Median(all), all.empty() ? 0.0 : *std::max_element(all.begin(), all.end()),
             all.size(), *mmin, *mmax);
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  std::filesystem::create_directories(o.work);
  const TimeMs t0 = ParseTime(o.start);
  const int64_t lateness_ms = AllowedLatenessMs(ReadFile(o.config));
  if (o.only.empty() || o.only == "ingest") {
    const std::vector<Body> bodies = Bodies(o, t0);
    int64_t records = 0, bytes = 0;
    for (const Body& b : bodies) records += b.records, bytes += static_cast<int64_t>(b.gz.size());
    fmt::print("# ingest: {} senders x keep-alive POSTs of {} records (gzip level {}, {} KB a body on average); "
               "{} records over {} data minutes of {} records, each evaluated during the run; median of {} runs\n",
               o.senders, o.body_records, o.gzip_level, bytes / static_cast<int64_t>(bodies.size()) / 1024,
               Thousands(static_cast<double>(records)), bodies.back().minute + 1,
               Thousands(static_cast<double>(o.per_minute)), o.runs);
    fmt::print("# ingest: record times are rewritten (order and content kept) to fill those minutes from the test\n"
               "#   clock's start; the clock moves to a minute's end + allowed_lateness once its bodies are answered,\n"
               "#   so nothing is late or ahead of the clock. Bodies are compressed before timing; the senders\n"
               "#   share the cores with the server (their CPU is printed, not counted in the server's).\n");
    std::fflush(stdout);
    IngestFigures(o, bodies, t0, lateness_ms);
  }
  if (o.only.empty() || o.only == "latency") LatencyFigures(o, t0, lateness_ms);
  return 0;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  return vigil::bench::RunBenchMain("serve_bench", vigil::bench::Main, argc, argv);
}
