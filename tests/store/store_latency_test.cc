// Rough latency figures (printed, with loose bounds only to catch a pathological regression):
// CommitMinute with a typical minute's events, Enqueue of a small batch. SQLite runs with
// synchronous=FULL on the real disk; the test PostgreSQL server runs with fsync off, so its
// figures are round trips and work, not disk flushes.
#include <chrono>

#include "store_fixture.h"

namespace vigil::store {
namespace {

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

TEST_P(StoreTest, LatencyOfCommitMinuteAndEnqueue) {
  constexpr int kRounds = 100, kEvents = 10, kBatch = 3;
  constexpr TimeMs kT0 = 1'795'000'000'000 / kMsPerMinute * kMsPerMinute;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    TimeMs minute = kT0 + i * kMsPerMinute;
    std::vector<AlertEventRow> events(kEvents);
    for (int k = 0; k < kEvents; ++k) {
      events[k].at = minute;
      events[k].firing = (i + k) % 3 != 0;
      events[k].rule = "system_success";
      events[k].key_json = R"({"txn":"A)" + std::to_string(k) + R"("})";
      events[k].severity = "critical";
      events[k].json = std::string(400, 'x');
      events[k].abnormal_records = {std::string(300, 'r'), std::string(300, 's')};
    }
    ASSERT_OK(store().CommitMinute(minute, &events));
  }
  double commit_ms = MsSince(start) / kRounds;

  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    std::vector<Notification> batch(kBatch);
    for (int k = 0; k < kBatch; ++k) {
      batch[k].dedup_key = std::to_string(i) + "/" + std::to_string(k);
      batch[k].receiver = "ops";
      batch[k].payload_json = std::string(1000, 'p');
    }
    ASSERT_OK(store().Enqueue(&batch));
  }
  double enqueue_ms = MsSince(start) / kRounds;
  std::printf("[figure] %s: CommitMinute (%d events, 2 records each) %.2f ms; Enqueue (%d "
              "notifications) %.2f ms\n",
              GetParam().c_str(), kEvents, commit_ms, kBatch, enqueue_ms);
  EXPECT_LT(commit_ms, 500);
  EXPECT_LT(enqueue_ms, 500);
}

}  // namespace
}  // namespace vigil::store
