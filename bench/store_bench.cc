// The store at the size a bank runs it: 2,000 busy codes x 35 days of history (every minute
// 07:00-22:00, 5-500 records a minute: the worst case, real banks have many sparse codes),
// then the latency of the calls the server makes every minute. Prints one line per figure.
//   store_bench URL [CODES] [DAYS]      e.g. store_bench sqlite:///tmp/b/vigil.db 2000 35
// Use an empty database: the figures are differences, but a reused file has free pages.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "store/store.h"

namespace vigil::store {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr LocalDay kFirstDay = 20'775;  // 2026-11-18
constexpr TimeMs kT0 = 1'795'000'000'000 / kMsPerMinute * kMsPerMinute;

double SecondsSince(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

HistoryDay BusyDay(LocalDay day, int codes, std::mt19937& rng) {
  HistoryDay h;
  h.day = day;
  for (int c = 0; c < codes; ++c) {
    HistoryDay::Code code{"T" + std::to_string(10000 + c), {}};
    for (int minute = 7 * 60; minute < 22 * 60; ++minute) {
      double mean = 5 + 495 * std::pow(std::sin((minute - 420) / 900.0 * M_PI), 2);
      code.minutes.emplace_back(minute,
                                std::max<uint32_t>(1, std::poisson_distribution<uint32_t>(mean)(rng)));
    }
    h.codes.push_back(std::move(code));
  }
  return h;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "store_bench: %s\n", s.ToString().c_str());
  return 1;
}

// The alerting's first Tick after 2,500 new alerts writes 2,500 group states: one commit each
// (how it was) against one transaction for all (WriteGroupStates, how it is).
int GroupStates(Store& store) {
  constexpr int kGroups = 2500;
  std::vector<std::pair<std::string, std::string>> states;
  for (int g = 0; g < kGroups; ++g) {
    states.emplace_back(
        R"({}:{rule="system_success",txn="T)" + std::to_string(10000 + g) + R"("})",
        R"({"last_sent":1795000000000,"sent_firing":["a"],"digest":"0123456789abcdef"})");
  }
  auto t = SteadyClock::now();
  for (const auto& [key, json] : states) {
    if (absl::Status s = store.PutGroupState(key, json); !s.ok()) return Fail(s);
  }
  const double each_s = SecondsSince(t);
  t = SteadyClock::now();
  if (absl::Status s = store.WriteGroupStates(states, {}); !s.ok()) return Fail(s);
  const double batched_s = SecondsSince(t);
  std::printf("%s: %d group states: one commit each %.2f s; one transaction %.0f ms\n",
              store.backend().c_str(), kGroups, each_s, batched_s * 1000);
  return 0;
}

// Retention's step: one bounded transaction of the oldest events (2 records each); the
// firing alerts' events stay.
int Retention(Store& store, int events) {
  constexpr int kBatch = 500;
  int batches = 0;
  int64_t pruned = 0;
  double worst_ms = 0;
  auto t0 = SteadyClock::now();
  while (true) {
    auto t = SteadyClock::now();
    auto n = store.Prune(PruneKind::kAlertEvents, kT0 + 10 * kMsPerDay, kBatch);
    if (!n.ok()) return Fail(n.status());
    worst_ms = std::max(worst_ms, SecondsSince(t) * 1000);
    if (*n == 0) break;
    pruned += *n;
    ++batches;
  }
  std::printf("%s: retention: %lld of %d events (and states) pruned in %d transactions of <= %d "
              "events: %.0f ms, the longest %.0f ms\n",
              store.backend().c_str(), static_cast<long long>(pruned), events, batches, kBatch,
              SecondsSince(t0) * 1000, worst_ms);
  return 0;
}

int Run(const std::string& url, int codes, int days) {
  auto opened = Store::Open(url);
  if (!opened.ok()) return Fail(opened.status());
  Store& store = **opened;
  std::mt19937 rng(42);
  auto base = store.HistoryBytes();
  if (!base.ok()) return Fail(base.status());
  double put_s = 0;
  for (int d = 0; d < days; ++d) {
    HistoryDay day = BusyDay(kFirstDay + d, codes, rng);
    auto t = SteadyClock::now();
    if (absl::Status s = store.PutHistoryDay(day); !s.ok()) return Fail(s);
    put_s += SecondsSince(t);
  }
  auto bytes = store.HistoryBytes();
  if (!bytes.ok()) return Fail(bytes.status());
  auto t = SteadyClock::now();
  auto loaded = store.LoadHistory(kFirstDay, kFirstDay + days - 1);
  if (!loaded.ok()) return Fail(loaded.status());
  double load_s = SecondsSince(t);
  double per = double(*bytes - *base) / (double(codes) * days);
  std::printf("%s: history %d busy codes x %d days: %.1f MB stored, %.0f bytes per code-day\n",
              store.backend().c_str(), codes, days, (*bytes - *base) / 1e6, per);
  std::printf("%s: PutHistoryDay of %d codes %.0f ms; LoadHistory of %d days %.2f s\n",
              store.backend().c_str(), codes, put_s * 1000 / days, days, load_s);

  constexpr int kRounds = 200, kEvents = 10;
  t = SteadyClock::now();
  for (int i = 0; i < kRounds; ++i) {
    std::vector<AlertEventRow> events(kEvents);
    for (int k = 0; k < kEvents; ++k) {
      events[k] = AlertEventRow{0, kT0 + i * kMsPerMinute, k % 2 == 0, "system_success",
                                R"({"txn":"T)" + std::to_string(k) + R"("})", "critical",
                                std::string(400, 'j'), {std::string(300, 'r'), std::string(300, 'r')}};
    }
    if (absl::Status s = store.CommitMinute(kT0 + i * kMsPerMinute, &events); !s.ok()) return Fail(s);
  }
  double commit_ms = SecondsSince(t) * 1000 / kRounds;
  t = SteadyClock::now();
  for (int i = 0; i < kRounds; ++i) {
    std::vector<Notification> batch(3);
    for (int k = 0; k < 3; ++k) {
      batch[k].dedup_key = "bench/" + std::to_string(i) + "/" + std::to_string(k);
      batch[k].payload_json = std::string(1000, 'p');
    }
    if (absl::Status s = store.Enqueue(&batch); !s.ok()) return Fail(s);
  }
  double enqueue_ms = SecondsSince(t) * 1000 / kRounds;
  std::printf("%s: CommitMinute (%d events, 2 records each) %.2f ms; Enqueue (3) %.2f ms\n",
              store.backend().c_str(), kEvents, commit_ms, enqueue_ms);
  if (int rc = GroupStates(store); rc != 0) return rc;
  return Retention(store, kRounds * kEvents);
}

}  // namespace
}  // namespace vigil::store

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: store_bench URL [CODES] [DAYS]\n");
    return 2;
  }
  int codes = argc > 2 ? std::atoi(argv[2]) : 2000;
  int days = argc > 3 ? std::atoi(argv[3]) : 35;
  return vigil::store::Run(argv[1], codes, days);
}
