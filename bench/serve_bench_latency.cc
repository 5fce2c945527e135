// Notification latency of `vigil serve`: per round, one body of normal traffic plus system
// failures of one quiet code in minute m; then the test clock is set to m + 1 min +
// allowed_lateness (the minute closes) and the time until the webhook for that code's alert
// arrives at a listener in this process is taken. The route has group_wait 0s.
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <regex>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "serve_bench.h"

namespace vigil::bench {
namespace {

using Json = nlohmann::json;

// Receives webhooks; remembers when each arrived and which codes' alerts it reports firing.
class WebhookListener {
 public:
  WebhookListener() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      const auto at = Steady::now();
      std::vector<std::string> txns;
      const Json j = Json::parse(req.body, nullptr, false);
      if (j.is_object() && j.contains("alerts")) {
        for (const Json& a : j["alerts"]) {
          if (a.value("status", "") == "firing" && a.contains("labels")) txns.push_back(a["labels"].value("txn", ""));
        }
      }
      {
        std::lock_guard lock(mu_);
        for (auto& t : txns) arrivals_.emplace(std::move(t), at);
      }
      cv_.notify_all();
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookListener() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  // When the first firing alert of `txn` arrived, or nullopt after `timeout`.
  std::optional<Steady::time_point> WaitFor(const std::string& txn, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return arrivals_.contains(txn); })) return std::nullopt;
    return arrivals_.find(txn)->second;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::string, Steady::time_point> arrivals_;
};

struct Code {
  std::string txn, sys;
};

// Quiet codes of the configuration (the last ones of the Zipf order), not of the POS channel
// (its return codes differ) nor batch or reconciliation steps.
std::vector<Code> QuietCodes(const std::string& yaml, size_t n) {
  static const std::regex re(R"(\n  (A\d+): \{name: "[^"]*", sys: ([A-Z]+))");
  std::vector<Code> all;
  for (auto it = std::sregex_iterator(yaml.begin(), yaml.end(), re); it != std::sregex_iterator(); ++it) {
    if ((*it)[2] != "POS") all.push_back({(*it)[1], (*it)[2]});
  }
  if (all.size() < n) throw std::runtime_error("the configuration has too few codes");
  return {all.end() - static_cast<ptrdiff_t>(n), all.end()};
}

std::string LatencyConfig(const std::string& yaml, int webhook_port) {
  return yaml + fmt::format(R"(
alerting:
  receivers:
    hook: {{webhook: {{url: "http://127.0.0.1:{}/hook"}}}}
  route:
    receiver: hook
    group_by: [rule, txn]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 4h
)", webhook_port);
}

// Round r's body: `normal` traffic spread over the minute plus 20 system failures of `code`.
std::string RoundBody(const std::vector<std::string>& normal, const Code& code, TimeMs minute, int round) {
  std::string raw;
  for (size_t i = 0; i < normal.size(); ++i) {
    AppendRestamped(normal[i], minute + static_cast<TimeMs>(i) * 60'000 / static_cast<TimeMs>(normal.size()), &raw);
  }
  for (int i = 0; i < 20; ++i) {
    const std::string line = fmt::format(
        R"({{"ts":"","txn":"{}","ret":"999999","dur_ms":80,"sys":"{}","node":"{}-app01","serial":"BENCH{}-{}"}})",
        code.txn, code.sys, code.sys, round, i);
    AppendRestamped(line, minute + 1000 + i * 2000, &raw);
  }
  return Gzip(raw, 6);
}

}  // namespace

std::vector<double> LatencyRun(const Options& o, const std::string& yaml, const std::vector<std::string>& normal,
                               TimeMs t0, int64_t lateness_ms) {
  WebhookListener hook;
  const std::string dir = o.work + "/latency";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/vigil.yaml") << LatencyConfig(yaml, hook.port());
  ServeProcess server(o.vigil, dir);
  server.Start(dir + "/vigil.yaml", o.start);
  httplib::Client cli("127.0.0.1", server.port());
  cli.set_read_timeout(60, 0);
  httplib::Headers headers = Bearer(kIngestToken);
  headers.emplace("Content-Encoding", "gzip");
  const std::vector<Code> codes = QuietCodes(yaml, static_cast<size_t>(o.alerts));
  std::vector<double> ms;
  for (int r = 0; r < o.alerts; ++r) {
    const TimeMs minute = t0 + r * 60'000LL;
    auto posted = cli.Post("/api/v1/records", headers, RoundBody(normal, codes[r], minute, r), "application/x-ndjson");
    if (!posted || posted->status != 200) throw std::runtime_error("latency: POST /api/v1/records failed");
    const auto sent = Steady::now();
    SetClock(cli, minute + 60'000 + lateness_ms);  // the minute closes now
    auto arrived = hook.WaitFor(codes[r].txn, std::chrono::seconds(30));
    if (!arrived) {
      fmt::print(stderr, "latency: no webhook for {} within 30 s\n", codes[r].txn);
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(*arrived - sent).count());
  }
  server.Stop();
  std::filesystem::remove_all(dir);
  return ms;
}

}  // namespace vigil::bench
