// HTTP ingest throughput of `vigil serve`: SENDERS threads POST pre-built gzip JSON Lines
// bodies over keep-alive connections to a fresh server; a clock driver closes each data minute
// once all its bodies are acknowledged (see serve_bench.cc).
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "serve_bench.h"

namespace vigil::bench {
namespace {

using Json = nlohmann::json;

// Every parameter the bodies depend on is in the name (the traffic file by name and size).
std::string CachePath(const Options& o, TimeMs t0) {
  return fmt::format("{}/bodies-{}-{}-{}x{}-{}pm-l{}-{}.bin", o.work,
                     std::filesystem::path(o.traffic).stem().string(), std::filesystem::file_size(o.traffic),
                     o.records, o.body_records, o.per_minute, o.gzip_level, t0);
}

bool LoadCache(const std::string& path, std::vector<Body>* bodies) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  int32_t head[2];
  uint64_t size = 0;
  while (in.read(reinterpret_cast<char*>(head), sizeof head) && in.read(reinterpret_cast<char*>(&size), sizeof size)) {
    Body b{std::string(size, '\0'), head[1], head[0]};
    if (!in.read(b.gz.data(), static_cast<std::streamsize>(size))) return false;
    bodies->push_back(std::move(b));
  }
  return !bodies->empty();
}

void SaveCache(const std::string& path, const std::vector<Body>& bodies) {
  std::ofstream out(path + ".tmp", std::ios::binary);
  for (const Body& b : bodies) {
    int32_t head[2] = {b.minute, b.records};
    uint64_t size = b.gz.size();
    out.write(reinterpret_cast<const char*>(head), sizeof head);
    out.write(reinterpret_cast<const char*>(&size), sizeof size);
    out.write(b.gz.data(), static_cast<std::streamsize>(size));
  }
  out.close();
  std::filesystem::rename(path + ".tmp", path);
}

// The first o.records lines of the traffic, restamped into data minutes and compressed.
std::vector<Body> BuildBodies(const Options& o, TimeMs t0) {
  std::ifstream in(o.traffic);
  std::vector<Body> bodies;
  std::vector<std::string> raws;
  std::string line, raw;
  int64_t i = 0;
  auto close_body = [&](int minute, int records) {
    bodies.push_back(Body{"", records, minute});
    raws.push_back(std::exchange(raw, {}));
  };
  int in_body = 0;
  while (i < o.records && std::getline(in, line)) {
    const int64_t minute = i / o.per_minute;
    const TimeMs t = t0 + minute * 60'000 + (i % o.per_minute) * 60'000 / o.per_minute;
    if (!AppendRestamped(line, t, &raw)) continue;
    ++i;
    if (++in_body == o.body_records) close_body(static_cast<int>(minute), std::exchange(in_body, 0));
  }
  if (in_body > 0) close_body(static_cast<int>((i - 1) / o.per_minute), in_body);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < std::max(1u, std::thread::hardware_concurrency()); ++w) {
    workers.emplace_back([&] {
      for (size_t k; (k = next++) < raws.size();) {
        bodies[k].gz = Gzip(raws[k], o.gzip_level);
        std::string().swap(raws[k]);
      }
    });
  }
  for (auto& w : workers) w.join();
  return bodies;
}


// A value of the server's Prometheus text (`name` with its labels), -1 when absent.
int64_t Metric(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : static_cast<int64_t>(std::stod(text.substr(at + name.size() + 2)));
}

// CPU seconds of this process (the senders and the clock driver).
double ProcessCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The largest CPU time any one thread used between two snapshots.
double BusiestThread(const std::map<int, double>& before, const std::map<int, double>& after) {
  double most = 0;
  for (const auto& [tid, cpu] : after) {
    auto it = before.find(tid);
    most = std::max(most, cpu - (it == before.end() ? 0 : it->second));
  }
  return most;
}

// Acknowledged bodies per data minute: the clock driver waits on it.
struct Progress {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> expected, acked;
  std::string error;
  void Fail(std::string e) {
    std::lock_guard lock(mu);
    if (error.empty()) error = std::move(e);
    cv.notify_all();
  }
};

void SendBodies(int port, const std::vector<Body>& bodies, std::atomic<size_t>& next, Progress& p,
                IngestResult& total) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);  // as a producer should: no Nagle delay on the last segment of a body
  cli.set_read_timeout(120, 0);
  httplib::Headers headers = Bearer(kIngestToken);
  headers.emplace("Content-Encoding", "gzip");
  int64_t accepted = 0, rejected = 0, throttled = 0;
  std::vector<double> request_ms;
  for (size_t k; (k = next++) < bodies.size();) {
    const auto sent = Steady::now();
    httplib::Result r = cli.Post("/api/v1/records", headers, bodies[k].gz, "application/x-ndjson");
    while (r && r->status == 429) {
      ++throttled;  // the queue is full: retry the same body, as a producer must
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      r = cli.Post("/api/v1/records", headers, bodies[k].gz, "application/x-ndjson");
    }
    if (!r || r->status != 200) {
      return p.Fail(r ? fmt::format("POST /api/v1/records: {} {}", r->status, r->body)
                      : "POST /api/v1/records: " + httplib::to_string(r.error()));
    }
    request_ms.push_back(SecondsSince(sent) * 1000);
    const Json answer = Json::parse(r->body);
    accepted += answer.value("accepted", 0LL);
    rejected += answer.value("rejected", 0LL);
    std::lock_guard lock(p.mu);
    ++p.acked[bodies[k].minute];
    p.cv.notify_all();
  }
  std::lock_guard lock(p.mu);
  total.accepted += accepted;
  total.rejected += rejected;
  total.throttled += throttled;
  total.request_ms.insert(total.request_ms.end(), request_ms.begin(), request_ms.end());
}

// Closes each data minute (clock to its end + allowed_lateness) once all its bodies are in.
void DriveClock(int port, Progress& p, TimeMs t0, int64_t lateness_ms) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(120, 0);
  for (size_t m = 0; m < p.expected.size(); ++m) {
    {
      std::unique_lock lock(p.mu);
      p.cv.wait(lock, [&] { return p.acked[m] == p.expected[m] || !p.error.empty(); });
      if (!p.error.empty()) return;
    }
    try {
      SetClock(cli, t0 + static_cast<TimeMs>(m + 1) * 60'000 + lateness_ms);
    } catch (const std::exception& e) {
      return p.Fail(e.what());
    }
  }
}

}  // namespace

std::vector<Body> Bodies(const Options& o, TimeMs t0) {
  std::vector<Body> bodies;
  const std::string cache = CachePath(o, t0);
  if (LoadCache(cache, &bodies)) return bodies;
  const auto started = Steady::now();
  bodies = BuildBodies(o, t0);
  SaveCache(cache, bodies);
  fmt::print(stderr, "built {} gzip bodies in {:.1f}s (cached in {})\n", bodies.size(), SecondsSince(started), cache);
  return bodies;
}

void SetClock(httplib::Client& cli, TimeMs now_ms) {
  auto r = cli.Post("/api/v1/admin/clock", Bearer(kApiToken), Json{{"now_ms", now_ms}}.dump(), "application/json");
  if (!r || r->status != 200) throw std::runtime_error("admin clock request failed");
}

IngestResult IngestRun(const Options& o, const std::vector<Body>& bodies, TimeMs t0, int64_t lateness_ms, bool fsync,
                       const IngestHooks& hooks) {
  const std::string dir = o.work + "/ingest";
  std::filesystem::remove_all(dir);
  ServeProcess server(o.vigil, dir);
  if (hooks.before_start) hooks.before_start(dir + "/data");
  server.Start(o.config, o.start, fsync ? std::vector<std::string>{} : std::vector<std::string>{"--no-fsync"});
  if (hooks.after_start) hooks.after_start(server.port());
  Progress p;
  p.expected.assign(static_cast<size_t>(bodies.back().minute) + 1, 0);
  p.acked = p.expected;
  for (const Body& b : bodies) ++p.expected[static_cast<size_t>(b.minute)];

  IngestResult res;
  std::atomic<size_t> next{0};
  const double cpu0 = server.CpuSeconds(), client0 = ProcessCpuSeconds();
  const std::map<int, double> threads0 = server.ThreadCpuSeconds();
  const auto started = Steady::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < o.senders; ++s) {
    threads.emplace_back([&] { SendBodies(server.port(), bodies, next, p, res); });
  }
  threads.emplace_back([&] { DriveClock(server.port(), p, t0, lateness_ms); });
  for (auto& t : threads) t.join();
  res.seconds = SecondsSince(started);
  res.server_cpu = server.CpuSeconds() - cpu0;
  res.busiest_thread_cpu = BusiestThread(threads0, server.ThreadCpuSeconds());
  res.client_cpu = ProcessCpuSeconds() - client0;
  if (hooks.before_stop) hooks.before_stop();
  if (!p.error.empty()) throw std::runtime_error(p.error + "\nserver log:\n" + server.Log());

  httplib::Client cli("127.0.0.1", server.port());
  auto metrics = cli.Get("/metrics");
  if (!metrics) throw std::runtime_error("GET /metrics failed");
  res.late = Metric(metrics->body, "vigil_records_late_total");
  res.future = Metric(metrics->body, "vigil_records_rejected_total{reason=\"future_time\"}");
  res.syncs = Metric(metrics->body, "vigil_journal_syncs_total");
  server.Stop();
  std::filesystem::remove_all(dir);
  return res;
}

}  // namespace vigil::bench
