// Baselines in the store: whole days of per-minute volume and recon results.
#include <cmath>
#include <random>

#include "store/history_codec.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr LocalDay kDay = 20'775;  // 2026-11-18

HistoryDay Day(LocalDay day, int codes, bool busy, uint32_t seed = 1) {
  std::mt19937 rng(seed + static_cast<uint32_t>(day));
  HistoryDay h;
  h.day = day;
  for (int c = 0; c < codes; ++c) {
    HistoryDay::Code code{"T" + std::to_string(1000 + c), {}};
    if (busy) {
      for (int minute = 7 * 60; minute < 22 * 60; ++minute) {
        double mean = 5 + 495 * std::pow(std::sin((minute - 420) / 900.0 * M_PI), 2);
        code.minutes.emplace_back(minute,
                                  std::max<uint32_t>(1, std::poisson_distribution<uint32_t>(mean)(rng)));
      }
    } else {
      for (int minute = static_cast<int>(rng() % 30); minute < 1440; minute += 30 + rng() % 20) {
        code.minutes.emplace_back(minute, 1 + rng() % 3);
      }
    }
    h.codes.push_back(std::move(code));
  }
  return h;
}

TEST_P(StoreTest, HistoryRoundTripsDaysInRange) {
  HistoryDay d1 = Day(kDay, 3, true);
  d1.recon = {{"ledger_vs_core", 2.0, 1234.56}, {"only_count", 0.1 + 0.2, std::nullopt},
              {"neither", std::nullopt, std::nullopt}};
  HistoryDay d2 = Day(kDay + 1, 2, false);
  HistoryDay d3 = Day(kDay + 2, 1, true);
  HistoryDay empty;
  empty.day = kDay + 3;
  for (const HistoryDay* d : {&d3, &d1, &empty, &d2}) EXPECT_OK(store().PutHistoryDay(*d));

  auto days = Must(store().LoadHistory(kDay, kDay + 1));
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].day, kDay);
  EXPECT_EQ(days[1].day, kDay + 1);
  ASSERT_EQ(days[0].codes.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(days[0].codes[i].txn, d1.codes[i].txn);
    EXPECT_EQ(days[0].codes[i].minutes, d1.codes[i].minutes);
  }
  // Recon results by check name; doubles exact, absent values absent.
  ASSERT_EQ(days[0].recon.size(), 3u);
  EXPECT_EQ(days[0].recon[0].check, "ledger_vs_core");
  EXPECT_EQ(days[0].recon[0].mismatch_count, 2.0);
  EXPECT_EQ(days[0].recon[0].mismatch_amount, 1234.56);
  EXPECT_EQ(days[0].recon[1].check, "neither");
  EXPECT_EQ(days[0].recon[1].mismatch_count, std::nullopt);
  EXPECT_EQ(days[0].recon[2].mismatch_count, 0.1 + 0.2);
  EXPECT_EQ(days[0].recon[2].mismatch_amount, std::nullopt);
  ASSERT_EQ(days[1].codes.size(), 2u);
  EXPECT_EQ(days[1].codes[1].minutes, d2.codes[1].minutes);

  // A day stored without codes is still a day.
  auto later = Must(store().LoadHistory(kDay + 3, kDay + 100));
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].day, kDay + 3);
  EXPECT_TRUE(later[0].codes.empty());
  EXPECT_TRUE(Must(store().LoadHistory(kDay + 4, kDay + 100)).empty());
}

TEST_P(StoreTest, HistoryDayPutAgainReplacesTheDay) {
  HistoryDay first = Day(kDay, 3, false);
  first.recon = {{"r1", 1.0, 1.0}};
  EXPECT_OK(store().PutHistoryDay(first));
  HistoryDay second = Day(kDay, 1, true, 99);
  second.codes[0].txn = "T9999";
  EXPECT_OK(store().PutHistoryDay(second));
  auto days = Must(store().LoadHistory(kDay, kDay));
  ASSERT_EQ(days.size(), 1u);
  ASSERT_EQ(days[0].codes.size(), 1u);
  EXPECT_EQ(days[0].codes[0].txn, "T9999");
  EXPECT_EQ(days[0].codes[0].minutes, second.codes[0].minutes);
  EXPECT_TRUE(days[0].recon.empty());
}

TEST_P(StoreTest, HistoryRefusesACodeTwiceInOneDay) {
  HistoryDay d = Day(kDay, 2, false);
  d.codes[1].txn = d.codes[0].txn;
  absl::Status s = store().PutHistoryDay(d);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find(d.codes[0].txn), absl::string_view::npos) << s;
  EXPECT_TRUE(Must(store().LoadHistory(kDay, kDay)).empty());  // nothing half-written
}

TEST_P(StoreTest, HistoryPruneDropsDaysBeforeOldestFirstInBoundedBatches) {
  for (int i = 0; i < 5; ++i) {
    HistoryDay d = Day(kDay + i, 2, false);
    d.recon = {{"r", 1.0, std::nullopt}};
    EXPECT_OK(store().PutHistoryDay(d));
  }
  int64_t before = Must(store().HistoryBytes());
  EXPECT_EQ(Must(store().PruneHistory(kDay + 3, 2)), 2);  // the batch limit, oldest first
  EXPECT_EQ(Must(store().LoadHistory(kDay - 10, kDay + 10)).front().day, kDay + 2);
  EXPECT_EQ(Must(store().PruneHistory(kDay + 3, 2)), 1);
  EXPECT_EQ(Must(store().PruneHistory(kDay + 3, 2)), 0);
  auto days = Must(store().LoadHistory(kDay - 10, kDay + 10));
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].day, kDay + 3);
  EXPECT_EQ(days[0].codes.size(), 2u);
  EXPECT_EQ(days[0].recon.size(), 1u);
  EXPECT_EQ(days[1].day, kDay + 4);
  EXPECT_GT(before, 0);
  EXPECT_EQ(Must(store().PruneHistory(kDay + 100, 10)), 2);
  EXPECT_TRUE(Must(store().LoadHistory(kDay - 10, kDay + 10)).empty());
}

// Stored bytes per code-day on disk (rows, page slack and the primary-key index included), for
// a busy and a sparse code: the figure behind ">= 35 days of 2,000 codes".
double BytesPerCodeDay(Store& store, bool busy) {
  const int codes = 500, days = 2;
  int64_t base = Must(store.HistoryBytes());
  for (int d = 0; d < days; ++d) EXPECT_OK(store.PutHistoryDay(Day(kDay + d, codes, busy)));
  return double(Must(store.HistoryBytes()) - base) / (codes * days);
}

TEST_P(StoreTest, HistoryBytesPerBusyCodeDay) {
  double bytes = BytesPerCodeDay(store(), true);
  std::printf("[figure] %s: stored history per busy code-day (900 minutes, 5-500/min): %.0f "
              "bytes; 2,000 such codes x 35 days = %.1f MB\n",
              GetParam().c_str(), bytes, bytes * 2000 * 35 / 1e6);
  EXPECT_LT(bytes, 1600);
}

TEST_P(StoreTest, HistoryBytesPerSparseCodeDay) {
  double bytes = BytesPerCodeDay(store(), false);
  std::printf("[figure] %s: stored history per sparse code-day (~30 minutes, 1-3/min): %.0f "
              "bytes\n", GetParam().c_str(), bytes);
  EXPECT_LT(bytes, 300);
}

}  // namespace
}  // namespace vigil::store
