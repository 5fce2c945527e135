// How fast `vigil serve` answers the web console's pages (docs/console-api.md: every answer
// under 100 ms at p95 with 5,000 codes and a day of data). bench/console_api_bench.sh runs it.
//
// Data: simulated traffic (`vigil simulate`) of several days. The days before the last are
// turned into stored day aggregates (`vigil replay --write-history`, loaded with --history:
// the baselines and the hourly comparison read them); the last day is sent over HTTP (gzip
// JSON Lines bodies) to a server on a test clock that follows the records' times, so every
// minute of the day is evaluated and the live series holds the whole day. Then every GET
// behind the console's pages is asked REQUESTS times, one request at a time, the per-code ones
// cycling through the busiest codes, with the Accept-Encoding a browser sends. One line per
// endpoint: p50, p95 and max latency (request sent to answer decoded) and the answer's size.
//
// Usage: console_api_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml
//          [--work DIR] [--requests N] [--body N]
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>

#include "common/time_util.h"
#include "fmt/format.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "serve_bench_support.h"

namespace vigil::bench {
namespace {

using Json = nlohmann::json;

struct Options {
  std::string vigil, traffic, config, work = "bench/out/console";
  int requests = 60;
  int body_records = 10'000;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--vigil") o.vigil = value;
    else if (flag == "--traffic") o.traffic = value;
    else if (flag == "--config") o.config = value;
    else if (flag == "--work") o.work = value;
    else if (flag == "--requests") o.requests = std::stoi(value);
    else if (flag == "--body") o.body_records = std::stoi(value);
    else throw std::runtime_error("unknown flag " + flag);
  }
  if (o.vigil.empty() || o.traffic.empty() || o.config.empty()) {
    throw std::runtime_error("usage: console_api_bench --vigil BIN --traffic FILE.jsonl --config FILE.yaml [...]");
  }
  return o;
}

// The "ts" value of a JSON Lines record ("" when it has none).
std::string_view TsOf(std::string_view line) {
  constexpr std::string_view kKey = "\"ts\":\"";
  const size_t at = line.find(kKey);
  if (at == std::string_view::npos) return {};
  const size_t from = at + kKey.size(), to = line.find('"', from);
  return to == std::string_view::npos ? std::string_view{} : line.substr(from, to - from);
}

struct Split {
  std::string day;               // the last day, "2026-11-20"
  std::vector<std::string> live;  // its records
  std::string history_input;      // the file of the days before
};

// The traffic's last day in memory; the days before it written to a file for replay.
Split SplitLastDay(const Options& o) {
  Split s;
  s.history_input = o.work + "/history-input.jsonl";
  std::ifstream in(o.traffic);
  if (!in) throw std::runtime_error("cannot read " + o.traffic);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  for (auto it = lines.rbegin(); it != lines.rend() && s.day.empty(); ++it) s.day = std::string(TsOf(*it).substr(0, 10));
  std::ofstream before(s.history_input);
  for (std::string& l : lines) {
    if (TsOf(l).substr(0, 10) == s.day) {
      s.live.push_back(std::move(l));
    } else {
      before << l << '\n';
    }
  }
  return s;
}

void Run(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(fmt::format("{} failed", args[0]));
}

void SetClock(httplib::Client& cli, TimeMs now_ms) {
  auto r = cli.Post("/api/v1/admin/clock", {{"Authorization", std::string("Bearer ") + kApiToken}},
                    Json{{"now_ms", now_ms}}.dump(), "application/json");
  if (!r || r->status != 200) throw std::runtime_error("setting the clock failed");
}

TimeMs ParseTime(std::string_view text) {
  TimeMs t = 0;
  if (ParseRfc3339Ms(std::string(text), &t) != TimeParse::kOk) throw std::runtime_error("not a time: " + std::string(text));
  return t;
}

// Sends the day's records in order, moving the clock to each body's last record time.
int64_t Feed(httplib::Client& cli, const Split& s, int body_records) {
  int64_t accepted = 0;
  for (size_t at = 0; at < s.live.size(); at += static_cast<size_t>(body_records)) {
    const size_t end = std::min(s.live.size(), at + static_cast<size_t>(body_records));
    std::string body;
    for (size_t i = at; i < end; ++i) body.append(s.live[i]).push_back('\n');
    const std::string gz = Gzip(body, 1);
    httplib::Headers h = {{"Authorization", std::string("Bearer ") + kIngestToken}, {"Content-Encoding", "gzip"}};
    httplib::Result r = cli.Post("/api/v1/records", h, gz, "application/x-ndjson");
    while (r && r->status == 429) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the queue is full: back off
      r = cli.Post("/api/v1/records", h, gz, "application/x-ndjson");
    }
    if (!r || r->status != 200) throw std::runtime_error(fmt::format("ingest failed: {}", r ? r->body : "no answer"));
    accepted += Json::parse(r->body)["accepted"].get<int64_t>();
    SetClock(cli, ParseTime(TsOf(s.live[end - 1])));
  }
  return accepted;
}

struct Endpoint {
  std::string name;
  std::function<std::string(int i)> path;  // the i-th request's path
};

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

void Measure(httplib::Client& cli, const Endpoint& e, int requests) {
  std::vector<double> ms;
  size_t bytes = 0;
  for (int i = 0; i < requests; ++i) {
    const std::string path = e.path(i);
    const auto t0 = Steady::now();
    auto r = cli.Get(path, {{"Accept-Encoding", "gzip, deflate, br"}});
    ms.push_back(SecondsSince(t0) * 1000);
    if (!r || r->status != 200) throw std::runtime_error(fmt::format("GET {} failed: {}", path, r ? r->body.substr(0, 300) : "no answer"));
    bytes = std::max(bytes, r->body.size());
  }
  std::cout << fmt::format("{:<34} p50 {:7.1f} ms  p95 {:7.1f} ms  max {:7.1f} ms  {:7.0f} KB\n", e.name, Quantile(ms, 0.5),
                           Quantile(ms, 0.95), *std::max_element(ms.begin(), ms.end()), static_cast<double>(bytes) / 1024);
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  std::filesystem::remove_all(o.work);
  std::filesystem::create_directories(o.work);
  const auto t_split = Steady::now();
  Split split = SplitLastDay(o);
  Run({o.vigil, "replay", "--quiet", "--config", o.config, "--write-history", o.work + "/history", split.history_input});
  std::filesystem::remove(split.history_input);  // hundreds of MB, read once
  std::cout << fmt::format("# {} records of {} fed live, the days before as stored history ({:.0f} s to prepare)\n",
                           split.live.size(), split.day, SecondsSince(t_split)) << std::flush;
  if (split.live.empty()) throw std::runtime_error("no records in " + o.traffic);
  ServeProcess server(o.vigil, o.work + "/serve");
  const std::string_view first_ts = TsOf(split.live.front());
  const std::string offset(first_ts.substr(first_ts.size() - 6));  // "+08:00", the simulator's zone
  const std::string midnight = split.day + "T00:00:00" + offset;
  server.Start(o.config, midnight, {"--history", o.work + "/history", "--no-fsync"});
  httplib::Client cli("127.0.0.1", server.port());
  cli.set_read_timeout(120, 0);
  const auto t_feed = Steady::now();
  const int64_t accepted = Feed(cli, split, o.body_records);
  SetClock(cli, ParseTime(split.day + "T23:59:30" + offset));
  auto stats = cli.Get("/api/v1/stats/ingest?timeout_ms=30000&wait_records=" + std::to_string(accepted));
  if (!stats || stats->status != 200) throw std::runtime_error("GET /api/v1/stats/ingest failed");
  const Json st = Json::parse(stats->body);
  std::cout << fmt::format("# {} records accepted in {:.0f} s ({} applied, {} late); clock at {}T23:59:30\n", accepted,
                           SecondsSince(t_feed), st["records_applied"].get<int64_t>(), st["records_late"].get<int64_t>(), split.day)
            << std::flush;

  // The per-code endpoints cycle through the busiest codes.
  std::vector<std::pair<int64_t, std::string>> by_count;
  auto codes = cli.Get("/api/v1/codes?spark_minutes=0&from=" + std::to_string(ParseTime(midnight)));
  if (!codes || codes->status != 200) throw std::runtime_error("GET /api/v1/codes failed: " + (codes ? codes->body : std::string("no answer")));
  const Json all = Json::parse(codes->body);
  for (const auto& c : all["codes"]) {
    if (c["count"].get<int64_t>() > 0) by_count.emplace_back(c["count"].get<int64_t>(), c["txn"].get<std::string>());
  }
  if (by_count.empty()) throw std::runtime_error("no code has records today: " + codes->body.substr(0, 300));
  std::sort(by_count.rbegin(), by_count.rend());
  std::cout << fmt::format("# {} codes in the live series; {} requests per endpoint, one at a time, Accept-Encoding: gzip, deflate, br\n",
                           by_count.size(), o.requests);
  auto code = [&](int i) { return by_count[static_cast<size_t>(i) % std::max<size_t>(1, by_count.size())].second; };
  const std::vector<Endpoint> endpoints = {
      {"overview", [](int) { return std::string("/api/v1/overview"); }},
      {"codes (spark 30)", [](int) { return std::string("/api/v1/codes?spark_minutes=30"); }},
      {"code series (60 min)", [&](int i) { return "/api/v1/codes/" + code(i) + "/series"; }},
      {"code hourly", [&](int i) { return "/api/v1/codes/" + code(i) + "/hourly"; }},
      {"code returns (60 min)", [&](int i) { return "/api/v1/codes/" + code(i) + "/returns"; }},
      {"services", [](int) { return std::string("/api/v1/services"); }},
      {"alerts (firing)", [](int) { return std::string("/api/v1/alerts?state=firing"); }},
      {"alert events (100)", [](int) { return std::string("/api/v1/alerts/events?limit=100"); }},
      {"recent records (200)", [](int) { return std::string("/api/v1/records/recent?limit=200"); }},
      {"recent records of a code", [&](int i) { return "/api/v1/records/recent?limit=200&txn=" + code(i); }},
      {"config", [](int) { return std::string("/api/v1/config"); }},
  };
  for (const Endpoint& e : endpoints) Measure(cli, e, o.requests);
  return 0;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  return vigil::bench::RunBenchMain("console_api_bench", vigil::bench::Main, argc, argv);
}
