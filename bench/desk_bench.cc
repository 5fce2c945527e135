// The incident desk at a bank's size, against the real `vigil serve` (bench/desk_bench.sh).
//
// 1. Seeding (desk_bench_seed.cc): INCIDENTS incidents with PER_INCIDENT messages each written
//    into SQLite through store::IncidentStore in batched transactions; the rate is printed.
//    A data directory seeded before with the same counts is reused.
// 2. Reads on that data directory: p50 / p95 of the queue listing (GET /api/v1/incidents) with
//    each filter, and of the incident page (GET /api/v1/incidents/{id} then its /messages, the
//    two requests a page makes) for random incidents. An admin's API token: the widest view.
//    Target: p95 < 50 ms.
// 3. Ingestion over HTTP with 0 and with LISTENERS open SSE streams on /api/v1/incidents/stream
//    (bench/serve_bench_ingest.cc's senders and clock driver on a fresh server), while one
//    client posts a message to an incident every 50 ms, so every stream carries events.
//    Target: no degradation.
//
// Usage: desk_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml [--work DIR]
//          [--incidents N] [--per-incident N] [--samples N] [--listeners N] [--records N]
//          [--only seed|reads|ingest]
#include <atomic>
#include <iostream>
#include <random>

#include "common/time_util.h"
#include "desk_bench.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "nlohmann/json.hpp"
#include "serve_bench.h"

namespace vigil::bench {
namespace {

using Json = nlohmann::json;

struct DeskOptions {
  std::string vigil, traffic, config, work = "bench/out/desk", only;
  int64_t incidents = 200'000, records = 1'000'000;
  int per_incident = 10, samples = 200, listeners = 200;
};

DeskOptions ParseArgs(int argc, char** argv) {
  DeskOptions o;
  std::map<std::string, std::string*> strings = {{"--vigil", &o.vigil}, {"--traffic", &o.traffic},
      {"--config", &o.config}, {"--work", &o.work}, {"--only", &o.only}};
  std::map<std::string, int64_t*> longs = {{"--incidents", &o.incidents}, {"--records", &o.records}};
  std::map<std::string, int*> ints = {{"--per-incident", &o.per_incident}, {"--samples", &o.samples},
      {"--listeners", &o.listeners}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (strings.contains(flag)) *strings[flag] = value;
    else if (longs.contains(flag)) *longs[flag] = std::stoll(value);
    else if (ints.contains(flag)) *ints[flag] = std::stoi(value);
    else throw std::runtime_error("unknown flag " + flag);
  }
  if (o.vigil.empty() || o.traffic.empty() || o.config.empty()) {
    throw std::runtime_error("usage: desk_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml [...]");
  }
  return o;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

std::string Thousands(double v) {
  std::string digits = fmt::format("{:.0f}", v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return fmt::format("{} {} {}", one, five, fifteen);
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

httplib::Headers Auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// Milliseconds of one GET answered 200 (throws otherwise).
double TimedGet(httplib::Client& cli, const std::string& path, const httplib::Headers& h, size_t* bytes = nullptr) {
  const auto sent = Steady::now();
  auto r = cli.Get(path, h);
  const double ms = SecondsSince(sent) * 1000;
  if (!r || r->status != 200) {
    throw std::runtime_error(fmt::format("GET {}: {}", path, r ? fmt::format("{} {}", r->status, r->body.substr(0, 300))
                                                              : httplib::to_string(r.error())));
  }
  if (bytes) *bytes += r->body.size();
  return ms;
}

struct Row {
  std::string name;
  std::vector<double> ms;
  size_t bytes = 0;
};

void PrintRow(const Row& r) {
  fmt::print("{:<44} p50 {:6.1f} ms  p95 {:6.1f} ms  max {:6.1f} ms  {:5.0f} KB/answer\n", r.name, Quantile(r.ms, 0.5),
             Quantile(r.ms, 0.95), Quantile(r.ms, 1), static_cast<double>(r.bytes) / 1024 / std::max<size_t>(1, r.ms.size()));
  std::fflush(stdout);
}

void Reads(const DeskOptions& o, const DeskSeed& seed) {
  const std::string dir = o.work + "/seeded";
  std::ofstream(o.work + "/desk.yaml") << "timezone: Asia/Shanghai\n";
  ServeProcess server(o.vigil, dir);
  server.Start(o.work + "/desk.yaml", "2026-11-20T16:00:00+08:00");
  httplib::Client cli("127.0.0.1", server.port());
  cli.set_keep_alive(true);
  cli.set_read_timeout(60, 0);
  const httplib::Headers h = Auth(seed.token);
  const std::string handler = seed.handlers.at(7);
  const std::vector<std::pair<std::string, std::string>> filters = {
      {"queue, no filter", ""},
      {"queue, status=new,accepted", "status=new,accepted"},
      {"queue, status=closed", "status=closed"},
      {"queue, system=交易", "system=" + UrlEncode("交易")},
      {"queue, class=program", "class=program"},
      {"queue, priority=P1", "priority=P1"},
      {"queue, assignee=" + handler, "assignee=" + handler},
      {"queue, group=ops", "group=ops"},
      {"queue, sla=at_risk,breached", "sla=at_risk,breached"},
      {"queue, status=accepted&priority=P2&system=开户", "status=accepted&priority=P2&system=" + UrlEncode("开户")},
      {"queue, q=委托 (text search, common, 2 chars)", "q=" + UrlEncode("委托")},
      {"queue, q=资金不足 (common term, 4 chars)", "q=" + UrlEncode("资金不足")},
      {"queue, q=网关超时 (rare term: no incident)", "q=" + UrlEncode("网关超时")},
      {"queue, q=Timeout (rare ASCII, mixed case)", "q=Timeout"},
      {"queue, q=挂失 (rare term, 2 chars: a scan)", "q=" + UrlEncode("挂失")},
      {"queue, page at the middle (before_id)", fmt::format("before_id={}", seed.max_id / 2)},
  };
  // Warm up: the first sweep of open incidents' SLA runs at start; pages are cached by SQLite.
  for (const auto& [name, query] : filters) TimedGet(cli, "/api/v1/incidents?" + query, h);
  fmt::print("# reads on {} incidents, {} messages; {} requests per line, one keep-alive client; load average {}\n",
             Thousands(static_cast<double>(seed.incidents)), Thousands(static_cast<double>(seed.messages)), o.samples,
             LoadAverage());
  std::vector<double> all_p95;
  for (const auto& [name, query] : filters) {
    Row r{name, {}, 0};
    for (int i = 0; i < o.samples; ++i) r.ms.push_back(TimedGet(cli, "/api/v1/incidents?" + query, h, &r.bytes));
    PrintRow(r);
    all_p95.push_back(Quantile(r.ms, 0.95));
  }
  std::mt19937_64 rng(7);
  Row page{"incident page (GET incident + messages)", {}, 0};
  for (int i = 0; i < o.samples; ++i) {
    const int64_t id = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(seed.max_id));
    page.ms.push_back(TimedGet(cli, fmt::format("/api/v1/incidents/{}", id), h, &page.bytes) +
                      TimedGet(cli, fmt::format("/api/v1/incidents/{}/messages", id), h, &page.bytes));
  }
  PrintRow(page);
  fmt::print("SUMMARY desk reads: queue p95 worst {:.1f} ms over {} filters, incident page p95 {:.1f} ms "
             "(target < 50 ms); {} incidents, {} messages; load average {}\n",
             *std::max_element(all_p95.begin(), all_p95.end()), filters.size(), Quantile(page.ms, 0.95),
             Thousands(static_cast<double>(seed.incidents)), Thousands(static_cast<double>(seed.messages)), LoadAverage());
  std::fflush(stdout);
}

// SSE listeners plus one poster, around one ingest run.
class StreamLoad {
 public:
  StreamLoad(int listeners) : listeners_(listeners) {}
  ~StreamLoad() { Stop(); }

  void Prepare(const std::string& data_dir) { token_ = SeedTokenOnly(data_dir); }

  void Start(int port) {
    for (int i = 0; i < listeners_; ++i) {
      clients_.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
      clients_.back()->set_read_timeout(3600, 0);
      threads_.emplace_back([this, c = clients_.back().get()] {
        c->Get("/api/v1/incidents/stream", Auth(token_),
               [&](const httplib::Response& res) {
                 connected_ += res.status == 200;
                 if (res.status != 200) {
                   std::lock_guard lock(mu_);
                   ++refused_[res.status];
                 }
                 return res.status == 200;
               },
               [&](const char*, size_t n) { bytes_ += static_cast<int64_t>(n); return !stop_; });
      });
    }
    // httplib listens with a short backlog: connections beyond it wait for SYN retransmits
    // (1, 3, 7, 15, 31, 63 s), so 200 at once may take a minute to be all accepted.
    for (int i = 0; i < 1200 && connected_ < listeners_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (connected_ < listeners_) {
      std::lock_guard lock(mu_);
      fmt::print("# WARNING: {} of {} streams connected; refused: {}\n", connected_.load(), listeners_,
                 fmt::join(refused_, ", "));
    }
    poster_ = std::thread([this, port] { Post(port); });
  }

  void Stop() {
    stop_ = true;
    if (poster_.joinable()) poster_.join();
    for (auto& c : clients_) c->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    clients_.clear();
  }

  int connected() const { return connected_; }
  int64_t posted() const { return posted_; }
  int64_t stream_bytes() const { return bytes_; }

 private:
  void Post(int port) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    auto created = cli.Post("/api/v1/incidents", Auth(token_),
                            Json{{"title", "股票交易不了"}, {"description", "压测"}, {"system", "交易"}}.dump(),
                            "application/json");
    if (!created || created->status != 201) {
      fmt::print("# WARNING: could not create the incident to post to: {}\n", created ? created->body : "no answer");
      return;
    }
    const int64_t id = Json::parse(created->body).value("id", int64_t{0});
    const std::string path = fmt::format("/api/v1/incidents/{}/messages", id);
    while (!stop_) {
      auto r = cli.Post(path, Auth(token_), Json{{"body", fmt::format("第 {} 条消息", posted_.load())}}.dump(),
                        "application/json");
      if (r && r->status == 201) ++posted_;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  int listeners_;
  std::string token_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connected_{0};
  std::atomic<int64_t> posted_{0}, bytes_{0};
  std::mutex mu_;
  std::map<int, int> refused_;  // HTTP status → streams refused with it
  std::vector<std::unique_ptr<httplib::Client>> clients_;
  std::vector<std::thread> threads_;
  std::thread poster_;
};

void Ingest(const DeskOptions& d) {
  Options o;
  o.vigil = d.vigil;
  o.traffic = d.traffic;
  o.config = d.config;
  o.work = d.work + "/serve";
  o.records = d.records;
  std::filesystem::create_directories(o.work);
  const TimeMs t0 = [&] {
    TimeMs t = 0;
    if (ParseRfc3339Ms(o.start, &t) != TimeParse::kOk) throw std::runtime_error("bad start");
    return t;
  }();
  const std::vector<Body> bodies = Bodies(o, t0);
  std::map<int, double> rate;
  for (int listeners : {0, d.listeners}) {
    StreamLoad load(listeners);
    IngestHooks hooks{[&](const std::string& dir) { load.Prepare(dir); }, [&](int port) { load.Start(port); },
                      [&] { load.Stop(); }};
    // The simulator's configuration has allowed_lateness 0s unless it says otherwise.
    const IngestResult r = IngestRun(o, bodies, t0, 0, /*fsync=*/true, hooks);
    rate[listeners] = static_cast<double>(r.accepted) / r.seconds;
    fmt::print("serve ingest with {:>3} SSE listeners {:>12} records/s  ({} records in {:.1f} s; server CPU {:.2f} s per M; "
               "{} streams connected, {} messages posted meanwhile, {} KB streamed; request p95 {:.0f} ms; load {})\n",
               listeners, Thousands(rate[listeners]), Thousands(static_cast<double>(r.accepted)), r.seconds,
               r.server_cpu / (static_cast<double>(r.accepted) / 1e6), load.connected(), load.posted(),
               load.stream_bytes() / 1024, Quantile(r.request_ms, 0.95), LoadAverage());
    std::fflush(stdout);
  }
  fmt::print("SUMMARY desk streams: ingest {} records/s with {} SSE listeners vs {} with none ({:+.1f}%); load average {}\n",
             Thousands(rate[d.listeners]), d.listeners, Thousands(rate[0]), 100 * (rate[d.listeners] / rate[0] - 1),
             LoadAverage());
}

int Main(int argc, char** argv) {
  const DeskOptions o = ParseArgs(argc, argv);
  std::filesystem::create_directories(o.work);
  DeskSeed seed;
  if (o.only.empty() || o.only == "seed" || o.only == "reads") {
    seed = SeedDesk(o.work + "/seeded/data", o.incidents, o.per_incident);
    if (seed.seconds > 0) {
      fmt::print("SUMMARY desk seeding: {} incidents + {} messages in {:.1f} s through the store: {} incidents/s, "
                 "{} messages/s (SQLite, batches of 500 incidents); load average {}\n",
                 Thousands(static_cast<double>(seed.incidents)), Thousands(static_cast<double>(seed.messages)),
                 seed.seconds, Thousands(static_cast<double>(seed.incidents) / seed.seconds),
                 Thousands(static_cast<double>(seed.messages) / seed.seconds), LoadAverage());
    } else {
      fmt::print("# seeding: reusing {} (seeded by an earlier run)\n", o.work + "/seeded/data");
    }
    std::fflush(stdout);
  }
  if (o.only.empty() || o.only == "reads") Reads(o, seed);
  if (o.only.empty() || o.only == "ingest") Ingest(o);
  return 0;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  return vigil::bench::RunBenchMain("desk_bench", vigil::bench::Main, argc, argv);
}
