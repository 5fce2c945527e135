// serve::Series at a bank's size: the engine thread's cost per record (AddBatch) and how long
// the console's queries hold the series over a full day of 5,000 codes (the console's API
// target is 100 ms at p95; the series' share must stay well under 50 ms).
//
// Fills 24 hours of minutes, CODES x RECORDS_PER_CODE_MINUTE records per minute (codes drawn
// with weights 1 / rank), in batches of 10,000 like the HTTP bodies: 95% success, 3% business failures over 6
// return codes, 2% system; 20 service systems, 3% of their calls failing; durations 5-900 ms.
// Then runs every query REPEAT times and prints the median and the slowest.
//
// Usage: series_bench [CODES (5000)] [RECORDS_PER_CODE_MINUTE (2)] [REPEAT (20)] [HOURS (24)]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "serve/series.h"

namespace vigil::serve {
namespace {

// Thread CPU time: the figures hold on a machine shared with compilers (wall time is printed
// beside for the queries).
struct CpuClock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<CpuClock, duration>;
  static time_point now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(duration(static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
  }
};
using Clock = CpuClock;
using Wall = std::chrono::steady_clock;

constexpr TimeMs kStart = 1'795'104'000'000;  // 2026-11-20T00:00:00Z
constexpr int kServices = 20;
constexpr size_t kBatch = 10'000;

std::shared_ptr<const LoadedConfig> BenchConfig() {
  std::string yaml = R"(timezone: UTC
return_codes:
  global: {success: ["000000"], business: ["E1*"], system: ["9*"]}
service_systems:
)";
  for (int s = 0; s < kServices; ++s) yaml += fmt::format("  S{:02d}: {{name: svc{}, success: [\"0000\"]}}\n", s, s);
  ConfigResult r = LoadConfigForServeText(yaml, "series_bench.yaml");
  if (!r.errors.empty()) throw std::runtime_error(r.errors[0]);
  return r.config;
}

// The strings every record points to.
struct Names {
  std::vector<std::string> txn, sys, svc, node;
  std::vector<std::string> rets = {"000000", "E1001", "E1002", "E1003", "E1017", "E1050", "E1099", "900001"};
  std::vector<std::string> svc_rets = {"0000", "E1"};
  explicit Names(int codes) {
    for (int i = 0; i < codes; ++i) txn.push_back(fmt::format("T{:04d}", i));
    for (int i = 0; i < 10; ++i) sys.push_back(fmt::format("SYS{}", i));
    for (int i = 0; i < kServices; ++i) svc.push_back(fmt::format("S{:02d}", i));
    for (int i = 0; i < 16; ++i) node.push_back(fmt::format("app{:02d}", i));
  }
};

RecordView MakeRecord(const Names& n, uint64_t i, int code, TimeMs t) {
  RecordView r;
  r.ts = t;
  r.time = t;
  const uint64_t h = i * 0x9E3779B97F4A7C15ull >> 32;  // a cheap, well spread pseudo-random
  r.duration_ms = 5 + static_cast<double>(h % 895);
  r.txn = n.txn[static_cast<size_t>(code)];
  const uint64_t roll = h % 100;
  r.ret = n.rets[roll < 95 ? 0 : roll < 98 ? 1 + h / 100 % 6 : 7];
  r.sys = n.sys[static_cast<size_t>(code % 10)];
  r.svc_sys = n.svc[static_cast<size_t>(code % kServices)];
  r.svc_ret = n.svc_rets[h / 7 % 100 < 97 ? 0 : 1];
  r.node = n.node[h % 16];
  r.serial = "MB20261120000000001";
  return r;
}

template <class D>
double Ms(D d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

long RssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

void Time(const std::string& what, int repeat, const std::function<size_t()>& query) {
  std::vector<double> cpu, wall;
  size_t rows = 0;
  for (int i = 0; i < repeat; ++i) {
    const auto t = Clock::now();
    const auto w = Wall::now();
    rows = query();
    cpu.push_back(Ms(Clock::now() - t));
    wall.push_back(Ms(Wall::now() - w));
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  fmt::print("series query {:<30} CPU median {:6.2f} ms, slowest {:6.2f} ms; wall median {:6.2f} ms ({} rows)\n",
             what, cpu[cpu.size() / 2], cpu.back(), wall[wall.size() / 2], rows);
}

int Main(int argc, char** argv) {
  const int codes = argc > 1 ? std::stoi(argv[1]) : 5000;
  const int per_code_minute = argc > 2 ? std::stoi(argv[2]) : 2;
  const int repeat = argc > 3 ? std::stoi(argv[3]) : 20;
  const int hours = argc > 4 ? std::stoi(argv[4]) : 24;
  const Names names(codes);
  Series series;
  series.Reset(BenchConfig());

  // A day of minutes, batch by batch; the minutes are closed as the engine would. Codes are
  // drawn with weights 1 / rank, like real traffic (the busiest code ~12% of the records with
  // 2,000 codes, half of the codes below 0.03%).
  std::vector<double> cumulative;
  double sum = 0;
  for (int c = 0; c < codes; ++c) cumulative.push_back(sum += 1.0 / (c + 1));
  std::vector<RecordView> batch;
  batch.reserve(kBatch);
  uint64_t i = 0, total = 0;
  Clock::duration adding{}, closing{};
  auto flush = [&] {
    const auto t = Clock::now();
    series.AddBatch(batch);
    adding += Clock::now() - t;
    total += batch.size();
    batch.clear();
  };
  const int per_minute = codes * per_code_minute;
  for (int minute = 0; minute < hours * 60; ++minute) {
    const TimeMs t0 = kStart + minute * kMsPerMinute;
    for (int k = 0; k < per_minute; ++k, ++i) {
      const double u = static_cast<double>(i * 0xD1B54A32D192ED03ull >> 11) * 0x1.0p-53 * sum;
      const int code = static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      batch.push_back(MakeRecord(names, i, std::min(code, codes - 1), t0 + k * kMsPerMinute / per_minute));
      if (batch.size() == kBatch) flush();
    }
    flush();
    const auto t = Clock::now();
    series.CloseMinutesBefore(t0 + kMsPerMinute);
    closing += Clock::now() - t;
  }
  const double n = static_cast<double>(total);
  fmt::print("series AddBatch: {} records of {} codes over {} h: {:.0f} ns per record, closing the minutes "
             "{:.0f} ns per record (engine thread CPU); RSS {} MB\n",
             total, codes, hours, std::chrono::duration<double, std::nano>(adding).count() / n,
             std::chrono::duration<double, std::nano>(closing).count() / n, RssMb());

  const TimeMs end = kStart + hours * kMsPerHour;
  const TimeMs day = end - 24 * kMsPerHour, quarter = end - 15 * kMsPerMinute, hour = end - kMsPerHour;
  Time("Summaries(24 h, spark 30)", repeat, [&] { return series.Summaries(day, end, 30).size(); });
  Time("Summaries(15 min, spark 30)", repeat, [&] { return series.Summaries(quarter, end, 30).size(); });
  Time("Summaries(15 min, spark 120)", repeat, [&] { return series.Summaries(quarter, end, 120).size(); });
  Time("Returns(one code, 24 h)", repeat, [&] { return series.Returns("T0042", day, end).minutes.size(); });
  Time("Returns(one code, 60 min)", repeat, [&] { return series.Returns("T0042", hour, end).minutes.size(); });
  Time("Services(24 h)", repeat, [&] { return series.Services(day, end).size(); });
  Time("Services(15 min)", repeat, [&] { return series.Services(quarter, end).size(); });
  Time("TotalMinutes(24 h)", repeat, [&] { return series.TotalMinutes(day, end).size(); });
  Time("Minutes(one code, 24 h)", repeat, [&] { return series.Minutes("T0042", day, end).size(); });
  RecentFilter any;
  Time("Recent(any, 200)", repeat, [&] { return series.Recent(any).size(); });
  RecentFilter one;
  one.txn = "T0042";
  Time("Recent(one code, 200)", repeat, [&] { return series.Recent(one).size(); });
  return 0;
}

}  // namespace
}  // namespace vigil::serve

int main(int argc, char** argv) { return vigil::serve::Main(argc, argv); }
