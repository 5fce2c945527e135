// vigil's HTTP server: record ingestion, the REST API (JSON, described at
// GET /api/v1/openapi.json), Prometheus metrics and health checks, on cpp-httplib with
// explicit limits: bounded worker threads, body size, read/write timeouts, keep-alive caps.
//
// The same server answers the web console's static files (every GET outside /api/, /metrics,
// /healthz, /readyz; static_files.h) and its live updates (GET /api/v1/stream, server-sent
// events; stream_hub.h). A stream holds one worker thread while it is open, so the pool has
// `threads` workers for requests plus `max_streams` for streams, plus `max_desk_streams` for
// the incident desk's streams (desk_stream.h): open desk pages never take ingestion's workers.
//
// Authorisation until the desk's users and sessions arrive: POST /api/v1/records needs the
// ingest token, every other write (silences, reload) the API token, both as
// `Authorization: Bearer`. Reads, metrics and health checks are open on the listen address
// (loopback by default).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "alerting/alerting.h"
#include "common/clock.h"
#include "serve/runtime.h"

namespace httplib {
class Server;
}
namespace vigil::desk {
class Desk;
class IncidentService;
}

namespace vigil::http {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                         // 0: any free port (tests)
  std::string ingest_token;                // required for POST /api/v1/records
  std::string api_token;                   // required for other writes
  size_t max_body_bytes = 64 << 20;        // as sent (compressed)
  size_t max_inflated_bytes = 256 << 20;   // after gzip
  int threads = 16;                        // workers for ordinary requests
  int max_streams = 256;                   // open event streams at most (503 beyond)
  int max_desk_streams = 256;              // open incident streams at most (503 beyond)
  std::string web_root;                    // the built console (index.html, assets/)
  int read_timeout_s = 10;                 // a slow client is cut off after this
  int write_timeout_s = 10;
  int ack_timeout_s = 30;                  // longest wait for a batch to be journaled
  bool secure_cookies = false;             // session cookies marked Secure (behind TLS)
};

// What the handlers call.
struct Services {
  serve::Runtime* runtime = nullptr;
  alerting::Alerting* alerting = nullptr;  // may be null (no alerting section)
  // Extra Prometheus lines (the deliverer's counters).
  std::function<std::string()> extra_metrics;
  // Re-reads the configuration file and applies it; the errors, empty when it was applied.
  std::function<std::vector<std::string>()> reload;
  // Set only with --fake-clock: POST /api/v1/admin/clock moves it (tests, demos).
  ManualClock* fake_clock = nullptr;
  // Called after the fake clock moved and the engine evaluated: one delivery pass, so the
  // answer comes after what became due was sent.
  std::function<void()> on_clock_moved;
  // The incident desk (users, sessions, tokens, audit: /api/v1/auth, users, tokens, audit);
  // null: those routes are not served.
  desk::Desk* desk = nullptr;
  // The desk's incidents (/api/v1/incidents...); null: not served. Needs `desk`.
  desk::IncidentService* incidents = nullptr;
};

// Counters the handlers keep (exposed on /metrics).
struct HttpCounters {
  std::atomic<int64_t> ingest_requests{0}, ingest_records{0}, ingest_rejected{0},
      ingest_bytes{0}, ingest_throttled{0}, ingest_unauthorized{0}, ingest_bad_body{0};
  std::array<std::atomic<int64_t>, kRejectReasonCount> rejected_by_reason{};
};

class StreamHub;
class RateMeter;
class DeskStreamHub;

struct RouteContext {
  const HttpOptions& options;
  const Services& services;
  HttpCounters& counters;
  StreamHub* streams = nullptr;      // the event streams' listeners
  RateMeter* ingest_rate = nullptr;  // records applied per second, sampled every second
  DeskStreamHub* desk_streams = nullptr;  // GET /api/v1/incidents/stream's listeners
};

class ApiServer {
 public:
  ApiServer(HttpOptions options, Services services);
  ~ApiServer();

  // Binds and starts serving on a background thread; the bound port is port().
  absl::Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  HttpOptions options_;
  Services services_;
  HttpCounters counters_;
  std::unique_ptr<RateMeter> ingest_rate_;
  std::unique_ptr<StreamHub> streams_;
  std::unique_ptr<DeskStreamHub> desk_streams_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  // Reads the stored days a code page needs before its first visit (HistoryDays::Warm).
  std::thread warm_thread_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

}  // namespace vigil::http
