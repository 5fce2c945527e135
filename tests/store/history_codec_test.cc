// The packed form of a code-day's minute counts: exact round trip, canonical form, corrupt
// input refused, and what a busy and a sparse code-day cost.
#include "store/history_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace vigil::store {
namespace {

// Counts in every minute 07:00-22:00, 5-500 a minute: a diurnal curve with Poisson noise.
MinuteCounts BusyDay(uint32_t seed) {
  std::mt19937 rng(seed);
  MinuteCounts m;
  for (int minute = 7 * 60; minute < 22 * 60; ++minute) {
    double phase = (minute - 7 * 60) / (15.0 * 60);
    double mean = 5 + 495 * std::pow(std::sin(phase * M_PI), 2);
    uint32_t n = std::poisson_distribution<uint32_t>(mean)(rng);
    m.emplace_back(minute, std::max<uint32_t>(n, 1));
  }
  return m;
}

// A code used now and then: 40 scattered minutes of 1-3 records.
MinuteCounts SparseDay(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int> minutes(1440);
  for (int i = 0; i < 1440; ++i) minutes[i] = i;
  std::shuffle(minutes.begin(), minutes.end(), rng);
  minutes.resize(40);
  std::sort(minutes.begin(), minutes.end());
  MinuteCounts m;
  for (int minute : minutes) m.emplace_back(minute, 1 + rng() % 3);
  return m;
}

TEST(HistoryCodec, RoundTripsBusyAndSparseDaysExactly) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    for (const MinuteCounts& day : {BusyDay(seed), SparseDay(seed)}) {
      auto back = DecodeMinutes(EncodeMinutes(day));
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(*back, day);
    }
  }
}

TEST(HistoryCodec, EdgesRoundTrip) {
  std::vector<MinuteCounts> cases = {
      {},
      {{0, 1}},
      {{1439, UINT32_MAX}},
      {{0, 7}, {1, 7}, {2, 7}, {1499, 1}},  // a 25-hour day (DST ends)
      {{-3, 2}, {5, 1}},                     // never exported, but not lost either
      {{10, UINT32_MAX}, {11, 1}, {12, UINT32_MAX}},
  };
  for (const MinuteCounts& c : cases) {
    auto back = DecodeMinutes(EncodeMinutes(c));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, c);
  }
}

TEST(HistoryCodec, StoresTheCanonicalForm) {
  MinuteCounts messy = {{30, 2}, {10, 1}, {30, 3}, {20, 0}, {11, 4}};
  auto back = DecodeMinutes(EncodeMinutes(messy));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, (MinuteCounts{{10, 1}, {11, 4}, {30, 5}}));
}

TEST(HistoryCodec, RefusesCorruptBlobs) {
  for (const MinuteCounts& day : {BusyDay(7), SparseDay(7)}) {
    std::string blob = EncodeMinutes(day);
    for (size_t n = 0; n < blob.size(); ++n) {
      EXPECT_FALSE(DecodeMinutes(blob.substr(0, n)).ok()) << "prefix of " << n << " bytes";
    }
    EXPECT_FALSE(DecodeMinutes(blob + "x").ok());
  }
  EXPECT_EQ(DecodeMinutes("\x09").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(DecodeMinutes(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)).ok());
}

// The figure the README quotes for the packed blob alone (the store's on-disk figure, rows and
// indexes included, is printed by StoreTest.HistoryBytesPerCodeDay).
TEST(HistoryCodec, BytesPerCodeDay) {
  size_t busy = 0, sparse = 0;
  const int days = 50;
  for (int s = 0; s < days; ++s) {
    busy += EncodeMinutes(BusyDay(100 + s)).size();
    sparse += EncodeMinutes(SparseDay(100 + s)).size();
  }
  std::printf("[figure] history blob, busy code-day (900 minutes, 5-500/min): %.0f bytes\n",
              double(busy) / days);
  std::printf("[figure] history blob, sparse code-day (40 minutes, 1-3/min): %.0f bytes\n",
              double(sparse) / days);
  EXPECT_LT(busy / days, 1400u);  // well under 2 bytes per nonzero minute
  EXPECT_LT(sparse / days, 120u);
}

}  // namespace
}  // namespace vigil::store
