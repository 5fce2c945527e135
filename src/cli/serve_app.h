// `vigil serve` as one object: the runtime (queue, journal, store, engine thread), alerting
// and delivery, and the HTTP API, wired together and stopped in the right order.
#pragma once

#include <condition_variable>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "alerting/alerting.h"
#include "alerting/deliverer.h"
#include "alerting/desk_notify.h"
#include "cli/serve_sources.h"
#include "common/clock.h"
#include "desk/desk.h"
#include "desk/incidents.h"
#include "http/api_server.h"
#include "serve/retention.h"
#include "serve/runtime.h"

namespace vigil::cli {

struct ServeOptions {
  std::string config_path;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./vigil-data";
  std::string store_url;      // empty: SQLite in the data directory
  std::string ingest_token;   // empty: VIGIL_INGEST_TOKEN, else <data>/ingest-token (created)
  std::string api_token;      // empty: VIGIL_API_TOKEN, else <data>/api-token (created)
  std::string history_dir;    // replay --write-history files to load into the store first
  std::string fake_clock;     // a start time: the clock moves only by the admin API
  size_t queue_records = 1'000'000;
  size_t max_body_bytes = 64 << 20;  // a request body as sent
  int read_timeout_s = 10;           // a client silent this long is disconnected
  bool fsync = true;
  std::string web_root;       // the built console; empty: <directory of the vigil binary>/web
  int max_streams = 256;      // open event streams (GET /api/v1/stream) at most
  int max_desk_streams = 256;  // open incident streams (GET /api/v1/incidents/stream) at most
  bool secure_cookies = false;  // session cookies marked Secure (also VIGIL_SECURE_COOKIES=1)
  SourceOptions sources;      // TCP, file tail, Kafka
  std::vector<std::string> retention;  // --retention KIND=DURATION entries (serve/retention.h)
};

class ServeApp : public serve::CommitObserver {
 public:
  // Validates and opens everything; nothing listens yet.
  static absl::StatusOr<std::unique_ptr<ServeApp>> Create(ServeOptions options);
  ~ServeApp() override;

  absl::Status Start();  // rebuild, then deliver, then listen
  void Stop();           // stop listening, drain the queue, stop delivering
  // Re-reads the configuration file; the errors when it was refused (old one kept).
  std::vector<std::string> Reload();

  int port() const { return http_->port(); }
  int tcp_port() const { return sources_->tcp_port(); }
  const std::string& ingest_token() const { return options_.ingest_token; }
  const std::string& api_token() const { return options_.api_token; }
  const std::string& web_root() const { return options_.web_root; }
  serve::Runtime& runtime() { return *runtime_; }

  void OnCommitted(const std::vector<store::AlertEventRow>& events) override;

 private:
  explicit ServeApp(ServeOptions options) : options_(std::move(options)) {}
  absl::Status ImportHistory();
  absl::Status OpenDesk();  // the desk on the runtime's store; the first admin when none
  absl::Status MakeRetention();
  std::string DeliveryMetrics() const;
  void SweepLoop();  // the SLA sweep every 30 s of wall time, until Stop

  ServeOptions options_;
  std::unique_ptr<Clock> clock_;
  ManualClock* fake_clock_ = nullptr;
  std::shared_ptr<const serve::LoadedConfig> config_;
  std::unique_ptr<serve::Runtime> runtime_;
  std::unique_ptr<desk::Desk> desk_;
  std::unique_ptr<desk::IncidentService> incidents_;
  std::thread sla_thread_;
  std::mutex sla_mu_;
  std::condition_variable sla_cv_;
  bool sla_stop_ = false;
  std::unique_ptr<alerting::Alerting> alerting_;
  std::unique_ptr<alerting::Deliverer> deliverer_;
  std::unique_ptr<alerting::DeskNotifier> desk_notifier_;  // listens to incidents_
  std::unique_ptr<http::ApiServer> http_;
  std::unique_ptr<LiveSources> sources_;
  std::unique_ptr<serve::Retention> retention_;
  std::mutex reload_mu_;
};

// Where the build puts the console: `web` beside the running binary.
std::string DefaultWebRoot();

// The token from the flag, else the environment variable, else the file in the data
// directory (created with a new random token, mode 0600, when missing).
absl::StatusOr<std::string> ResolveToken(const std::string& flag, const char* env,
                                         const std::string& file);

}  // namespace vigil::cli
