// `vigil serve --config FILE [--listen HOST:PORT] [--data DIR] ...`: the 24x7 server.
// SIGHUP reloads the configuration (an invalid one is refused, the old one keeps running);
// SIGTERM / SIGINT stop it after the queued records are journaled and applied.
#include <signal.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/serve_app.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::cli {
namespace {

struct ServeFlags {
  ServeOptions options;
  std::string listen = "127.0.0.1:8080";
  std::string log_format = "text";
  std::string port_file;
  bool no_fsync = false;
};

bool SplitListen(const std::string& listen, std::string* host, int* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  try {
    size_t used = 0;
    *port = std::stoi(listen.substr(colon + 1), &used);
    return used == listen.size() - colon - 1 && *port >= 0 && *port <= 65535;
  } catch (...) {
    return false;
  }
}

// The address a browser on this machine opens: a wildcard listen address is reached over
// loopback; an IPv6 address needs brackets.
std::string ConsoleBase(const std::string& host, int port) {
  std::string h = host;
  if (h.empty() || h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::" || h == "[::]") h = "::1";
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return fmt::format("http://{}:{}", h, port);
}

void SetUpLogging(const std::string& format) {
  if (format == "json") {
    // One JSON object per line; the message is the only free text and is kept last.
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%v"})");
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  }
}

int Run(ServeFlags& f) {
  SetUpLogging(f.log_format);
  if (!SplitListen(f.listen, &f.options.host, &f.options.port)) {
    fmt::print(stderr, "serve: --listen '{}' is not HOST:PORT\n", f.listen);
    return 2;
  }
  f.options.fsync = !f.no_fsync;
  // Signals are taken by sigwait below: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto app = ServeApp::Create(f.options);
  if (!app.ok()) {
    fmt::print(stderr, "serve: {}\n", std::string(app.status().message()));
    return 2;
  }
  if (auto s = (*app)->Start(); !s.ok()) {
    fmt::print(stderr, "serve: {}\n", std::string(s.message()));
    return 2;
  }
  const std::string base = fmt::format("http://{}:{}", f.options.host, (*app)->port());
  spdlog::info("vigil serve listening on {} (data in {})", base, f.options.data_dir);
  // The API token rides in the fragment: browsers do not send it to the server or in Referer;
  // the console keeps it for its writes (docs/console-api.md).
  spdlog::info("console: {}/#token={}", ConsoleBase(f.options.host, (*app)->port()), (*app)->api_token());
  fmt::print(stderr,
             "\n  console    {2}/\n  API        {0}/api/v1/alerts\n  OpenAPI    {0}/api/v1/openapi.json\n"
             "  metrics    {0}/metrics\n  ingest     POST {0}/api/v1/records (token in {1}/ingest-token or VIGIL_INGEST_TOKEN)\n\n",
             base, f.options.data_dir, ConsoleBase(f.options.host, (*app)->port()));
  if (!f.port_file.empty()) {
    // Written once listening and logged, renamed into place: a reader never sees a partial file.
    const std::string tmp = f.port_file + ".tmp";
    if (std::FILE* pf = std::fopen(tmp.c_str(), "w")) {
      fmt::print(pf, "{}\n", (*app)->port());
      std::fclose(pf);
      std::rename(tmp.c_str(), f.port_file.c_str());
    }
  }
  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      auto errors = (*app)->Reload();
      for (const auto& e : errors) spdlog::error("reload refused: {}", e);
      continue;
    }
    spdlog::info("signal {}: stopping after the queued records are applied", sig);
    break;
  }
  (*app)->Stop();
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  auto f = std::make_shared<ServeFlags>();
  CLI::App* sub = app.add_subcommand("serve", "run the monitoring server: live ingestion, alerts, REST API");
  sub->add_option("--config,-c", f->options.config_path, "monitoring configuration (YAML)")->required();
  sub->add_option("--listen", f->listen, "HOST:PORT to listen on")->capture_default_str();
  sub->add_option("--data", f->options.data_dir, "data directory (SQLite store, journal, tokens)")->capture_default_str();
  sub->add_option("--store", f->options.store_url, "store URL: sqlite:///path.db or postgresql://... (default: SQLite in --data)");
  sub->add_option("--ingest-token", f->options.ingest_token, "bearer token for POST /api/v1/records (else VIGIL_INGEST_TOKEN, else <data>/ingest-token)");
  sub->add_option("--api-token", f->options.api_token, "bearer token for API writes (else VIGIL_API_TOKEN, else <data>/api-token)");
  sub->add_option("--history", f->options.history_dir, "load day aggregates written by `replay --write-history` into the store first");
  sub->add_option("--tcp-listen", f->options.sources.tcp_listen, "also take JSON Lines over TCP on HOST:PORT");
  sub->add_option("--tail", f->options.sources.tail_paths, "follow these files or glob patterns (tail -F; offsets kept in the store)");
  sub->add_option("--kafka-brokers", f->options.sources.kafka_brokers, "consume records from Kafka (bootstrap servers)");
  sub->add_option("--kafka-topic", f->options.sources.kafka_topics, "Kafka topic(s) to consume");
  sub->add_option("--kafka-group", f->options.sources.kafka_group, "Kafka consumer group")->capture_default_str();
  sub->add_option("--read-timeout", f->options.read_timeout_s, "seconds a client may stay silent mid-request")->capture_default_str();
  sub->add_option("--max-body-bytes", f->options.max_body_bytes, "largest request body accepted, as sent")->capture_default_str();
  sub->add_option("--queue", f->options.queue_records, "ingest queue capacity in records")->capture_default_str();
  sub->add_option("--fake-clock", f->options.fake_clock, "start a test clock at this RFC 3339 time; it moves only by POST /api/v1/admin/clock");
  sub->add_option("--log-format", f->log_format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  sub->add_option("--port-file", f->port_file, "write the port listened on to this file once ready (with --listen HOST:0)");
  sub->add_option("--web-root", f->options.web_root, "the built web console (default: web/ beside the vigil binary)");
  sub->add_option("--max-streams", f->options.max_streams, "open event streams (GET /api/v1/stream) at most; one worker thread each")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  sub->add_option("--max-desk-streams", f->options.max_desk_streams, "open incident streams (GET /api/v1/incidents/stream) at most; one worker thread each")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  sub->add_flag("--secure-cookies", f->options.secure_cookies, "mark the desk's session cookies Secure (set it when a TLS proxy fronts the server)");
  sub->add_flag("--no-fsync", f->no_fsync, "do not fdatasync the journal (benchmarks only: a crash may lose acknowledged records)");
  sub->callback([f, exit_code] { *exit_code = Run(*f); });
}

}  // namespace vigil::cli
