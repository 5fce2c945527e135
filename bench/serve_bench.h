// The parts of bench/serve_bench (see serve_bench.cc for what it measures and how).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "httplib.h"
#include "serve_bench_support.h"

namespace vigil::bench {

struct Options {
  std::string vigil, traffic, config, work = "bench/out/serve", only;
  std::string modes = "fsync,no-fsync";  // journal modes of the ingest runs
  int64_t records = 3'000'000;
  int body_records = 10'000;
  int64_t per_minute = 1'000'000;  // records per data minute (the clock moves once per minute)
  int senders = 4;
  int runs = 3;
  int alerts = 20;
  int gzip_level = 6;  // zlib's default, what gzip and most HTTP clients send
  std::string start = "2026-11-16T10:00:00+08:00";  // a Monday, a workday, busy hours
};

// One request body: gzip JSON Lines.
struct Body {
  std::string gz;
  int records = 0;
  int minute = 0;  // data minute: every record's time lies in it
};

struct IngestResult {
  int64_t accepted = 0, rejected = 0, throttled = 0, late = 0, future = 0, syncs = 0;
  double seconds = 0, server_cpu = 0, client_cpu = 0;
  double busiest_thread_cpu = 0;   // the engine thread: the serial part of ingestion
  std::vector<double> request_ms;  // each POST, sent to answered
};

// The first o.records records of the traffic, restamped into data minutes from `t0`, in bodies
// of o.body_records; built once and cached under o.work.
std::vector<Body> Bodies(const Options& o, TimeMs t0);

// What another benchmark adds around an ingest run (bench/desk_bench.cc: SSE listeners).
struct IngestHooks {
  std::function<void(const std::string& data_dir)> before_start;  // the fresh data directory
  std::function<void(int port)> after_start;                      // before the first POST
  std::function<void()> before_stop;                               // after the last answer
};

// One ingest run against a fresh server (journal fsync on or off).
IngestResult IngestRun(const Options& o, const std::vector<Body>& bodies, TimeMs t0, int64_t lateness_ms,
                       bool fsync, const IngestHooks& hooks = {});

// One latency run against a fresh server: the milliseconds from closing each alert's minute to
// its webhook, one per alert notified (an alert not notified within 30 s is reported and left out).
std::vector<double> LatencyRun(const Options& o, const std::string& yaml, const std::vector<std::string>& normal,
                               TimeMs t0, int64_t lateness_ms);

// ---- HTTP helpers ----

inline httplib::Headers Bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

// Sets the server's test clock; returns once the engine evaluated at that time.
void SetClock(httplib::Client& cli, TimeMs now_ms);

}  // namespace vigil::bench
