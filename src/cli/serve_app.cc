#include "cli/serve_app.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/history_files.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::cli {

absl::StatusOr<std::string> ResolveToken(const std::string& flag, const char* env, const std::string& file) {
  if (!flag.empty()) return flag;
  if (const char* v = std::getenv(env); v && *v) return std::string(v);
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return token;
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  token = hex;
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(fmt::format("cannot create {}: {}", file, std::strerror(errno)));
  std::string line = token + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) return absl::InternalError(fmt::format("cannot write {}", file));
  return token;
}

std::string DefaultWebRoot() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("web") : (exe.parent_path() / "web").string();
}

absl::StatusOr<std::unique_ptr<ServeApp>> ServeApp::Create(ServeOptions options) {
  std::unique_ptr<ServeApp> app(new ServeApp(std::move(options)));
  ServeOptions& o = app->options_;
  serve::ConfigResult loaded = serve::LoadConfigForServe(o.config_path);
  if (!loaded.config) {
    std::string all;
    for (const auto& e : loaded.errors) all += "\n  " + e;
    return absl::InvalidArgumentError(fmt::format("the configuration is not usable:{}", all));
  }
  app->config_ = loaded.config;
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return absl::InternalError(fmt::format("cannot create {}: {}", o.data_dir, ec.message()));
  auto ingest = ResolveToken(o.ingest_token, "VIGIL_INGEST_TOKEN", o.data_dir + "/ingest-token");
  if (!ingest.ok()) return ingest.status();
  o.ingest_token = *ingest;
  auto api = ResolveToken(o.api_token, "VIGIL_API_TOKEN", o.data_dir + "/api-token");
  if (!api.ok()) return api.status();
  o.api_token = *api;

  if (o.web_root.empty()) o.web_root = DefaultWebRoot();
  if (!o.fake_clock.empty()) {
    TimeMs start = 0;
    if (ParseRfc3339Ms(o.fake_clock, &start) != TimeParse::kOk) {
      return absl::InvalidArgumentError(fmt::format("--fake-clock: '{}' is not an RFC 3339 time with offset", o.fake_clock));
    }
    auto manual = std::make_unique<ManualClock>(start);
    app->fake_clock_ = manual.get();
    app->clock_ = std::move(manual);
  } else {
    app->clock_ = std::make_unique<SystemClock>();
  }

  serve::RuntimeOptions ro;
  ro.data_dir = o.data_dir;
  ro.store_url = o.store_url;
  ro.queue_records = o.queue_records;
  ro.journal_fsync = o.fsync;
  ro.clock = app->clock_.get();
  ServeApp* raw = app.get();
  ro.on_tick = [raw](TimeMs now) { raw->alerting_->Tick(now); };
  auto runtime = serve::Runtime::Open(std::move(ro), app->config_);
  if (!runtime.ok()) return runtime.status();
  app->runtime_ = std::move(*runtime);
  if (auto s = app->ImportHistory(); !s.ok()) return s;
  if (auto s = app->OpenDesk(); !s.ok()) return s;
  if (auto s = app->MakeRetention(); !s.ok()) return s;

  auto alerting = alerting::Alerting::Create(app->config_->config, &app->runtime_->store(), app->clock_.get());
  if (!alerting.ok()) return alerting.status();
  app->alerting_ = std::move(*alerting);
  app->deliverer_ = std::make_unique<alerting::Deliverer>(app->config_->config.alerting,
                                                          &app->runtime_->store(), app->clock_.get());
  app->alerting_->SetOnEnqueued([raw] { raw->deliverer_->Notify(); });
  // The desk's external notifications (desk.notify) share the alert outbox and its deliverer.
  app->desk_notifier_ = std::make_unique<alerting::DeskNotifier>(app->config_->config, &app->runtime_->store());
  app->desk_notifier_->SetOnEnqueued([raw] { raw->deliverer_->Notify(); });
  app->incidents_->AddListener(app->desk_notifier_->Listener());

  http::HttpOptions ho;
  ho.host = o.host;
  ho.port = o.port;
  ho.ingest_token = o.ingest_token;
  ho.api_token = o.api_token;
  ho.max_body_bytes = o.max_body_bytes;
  ho.read_timeout_s = o.read_timeout_s;
  ho.web_root = o.web_root;
  ho.max_streams = o.max_streams;
  ho.max_desk_streams = o.max_desk_streams;
  const char* secure = std::getenv("VIGIL_SECURE_COOKIES");
  ho.secure_cookies = o.secure_cookies || (secure && std::string(secure) == "1");
  http::Services services;
  services.runtime = app->runtime_.get();
  services.alerting = app->alerting_.get();
  services.extra_metrics = [raw] { return raw->DeliveryMetrics(); };
  services.reload = [raw] { return raw->Reload(); };
  services.fake_clock = app->fake_clock_;
  services.desk = app->desk_.get();
  services.incidents = app->incidents_.get();
  services.on_clock_moved = [raw] {
    raw->deliverer_->RunOnce(raw->clock_->Now());
    raw->retention_->RunOnce(raw->clock_->Now());
    // A moved fake clock may put incidents at risk or past due: flag them before answering.
    if (auto n = raw->incidents_->SweepSla(); !n.ok()) spdlog::warn("SLA sweep: {}", n.status().ToString());
  };
  app->http_ = std::make_unique<http::ApiServer>(ho, services);
  app->sources_ = std::make_unique<LiveSources>(o.sources, app->runtime_.get());
  return app;
}

ServeApp::~ServeApp() { Stop(); }

absl::Status ServeApp::ImportHistory() {
  if (options_.history_dir.empty()) return absl::OkStatus();
  std::vector<HistoryDay> days;
  if (auto s = ReadHistoryDir(options_.history_dir, &days); !s.ok()) return s;
  for (const HistoryDay& d : days) {
    if (auto s = runtime_->store().PutHistoryDay(d); !s.ok()) return s;
  }
  spdlog::info("loaded {} days of history from {}", days.size(), options_.history_dir);
  return absl::OkStatus();
}

absl::Status ServeApp::OpenDesk() {
  auto* desk_store = dynamic_cast<store::DeskStore*>(&runtime_->store());
  if (desk_store == nullptr) return absl::InternalError("the store has no desk tables");
  desk_ = std::make_unique<desk::Desk>(desk_store, clock_.get());
  auto* incident_store = dynamic_cast<store::IncidentStore*>(&runtime_->store());
  if (incident_store == nullptr) return absl::InternalError("the store has no incident tables");
  serve::Runtime* rt = runtime_.get();
  incidents_ = std::make_unique<desk::IncidentService>(
      incident_store, desk_store, clock_.get(), [rt]() -> std::shared_ptr<const Calendar> {
        auto config = rt->config();
        if (!config) return nullptr;
        return std::shared_ptr<const Calendar>(config, &config->calendar);
      });
  auto password = desk_->EnsureFirstAdmin();
  if (!password.ok()) return password.status();
  if (password->has_value()) {
    // Printed once, never logged elsewhere: the operator copies it and logs in to change it.
    const std::string line = fmt::format(
        "| first admin created: user \"admin\", one-time password: {} |", **password);
    const std::string rule = "+" + std::string(line.size() - 2, '-') + "+";
    fmt::print(stderr, "\n{0}\n{1}\n| {2:<{3}} |\n{0}\n\n", rule, line,
               "log in and change it: POST /api/v1/auth/password",
               line.size() - 4);
    std::fflush(stderr);
  }
  return absl::OkStatus();
}

absl::Status ServeApp::MakeRetention() {
  serve::RetentionOptions ro;
  if (auto s = serve::ParseRetention(options_.retention, &ro); !s.ok()) return s;
  ro.session_idle_ms = desk_->sessions().limits().idle_ms;
  ro.session_absolute_ms = desk_->sessions().limits().absolute_ms;
  serve::Runtime* rt = runtime_.get();
  retention_ = std::make_unique<serve::Retention>(
      &rt->store(), &desk_->store(), clock_.get(),
      [rt](TimeMs t) { return rt->config()->calendar.DayOf(t); }, ro);
  return absl::OkStatus();
}

absl::Status ServeApp::Start() {
  if (auto s = runtime_->Start(this); !s.ok()) return s;
  deliverer_->Start();
  retention_->Start();
  if (auto s = sources_->Start(); !s.ok()) return s;
  if (auto s = http_->Start(); !s.ok()) return s;
  sla_thread_ = std::thread([this] { SweepLoop(); });
  return absl::OkStatus();
}

void ServeApp::SweepLoop() {
  std::unique_lock lock(sla_mu_);
  while (!sla_stop_) {
    lock.unlock();
    if (auto n = incidents_->SweepSla(); !n.ok()) spdlog::warn("SLA sweep: {}", n.status().ToString());
    lock.lock();
    sla_cv_.wait_for(lock, std::chrono::seconds(30), [this] { return sla_stop_; });
  }
}

void ServeApp::Stop() {
  {
    std::lock_guard lock(sla_mu_);
    sla_stop_ = true;
    sla_cv_.notify_all();
  }
  if (sla_thread_.joinable()) sla_thread_.join();
  if (http_) http_->Stop();
  if (sources_) sources_->Stop();
  if (runtime_) runtime_->Stop();
  if (deliverer_) deliverer_->Stop();
  if (retention_) retention_->Stop();
}

void ServeApp::OnCommitted(const std::vector<store::AlertEventRow>& events) {
  alerting_->OnCommitted(events);
}

std::vector<std::string> ServeApp::Reload() {
  std::lock_guard lock(reload_mu_);
  serve::ConfigResult loaded = serve::LoadConfigForServe(options_.config_path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("reload refused: {}", e);
    return loaded.errors;
  }
  if (auto s = alerting_->Reload(loaded.config->config); !s.ok()) {
    return {fmt::format("{}: alerting: {}", options_.config_path, std::string(s.message()))};
  }
  if (auto s = runtime_->Reload(loaded.config); !s.ok()) {
    return {fmt::format("rebuilding the engine: {}", std::string(s.message()))};
  }
  deliverer_->Reload(loaded.config->config.alerting);
  desk_notifier_->Reload(loaded.config->config);
  config_ = loaded.config;
  spdlog::info("configuration reloaded from {}", options_.config_path);
  return {};
}

std::string ServeApp::DeliveryMetrics() const {
  const alerting::DeliveryStats st = deliverer_->Stats();
  std::string out = sources_->Metrics() + retention_->Metrics() +
      "# HELP vigil_notifications_sent_total Messages delivered, by receiver.\n"
      "# TYPE vigil_notifications_sent_total counter\n";
  for (const auto& [name, c] : st.receivers) out += fmt::format("vigil_notifications_sent_total{{receiver=\"{}\"}} {}\n", name, c.sent);
  out += "# HELP vigil_notifications_failed_total Failed send attempts, by receiver.\n"
         "# TYPE vigil_notifications_failed_total counter\n";
  for (const auto& [name, c] : st.receivers) out += fmt::format("vigil_notifications_failed_total{{receiver=\"{}\"}} {}\n", name, c.failed);
  out += "# HELP vigil_notifications_gave_up_total Messages abandoned after retrying, by receiver.\n"
         "# TYPE vigil_notifications_gave_up_total counter\n";
  for (const auto& [name, c] : st.receivers) out += fmt::format("vigil_notifications_gave_up_total{{receiver=\"{}\"}} {}\n", name, c.gave_up);
  return out;
}

}  // namespace vigil::cli
