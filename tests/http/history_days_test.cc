// HistoryDays against a real SQLite store: a day is read once and the one copy is handed to
// every caller, also to callers asking at the same moment (a code page asks its series and its
// hourly volume at once, both over the same days).
#include "http/history_days.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "common/calendar.h"
#include "store/store.h"

namespace vigil::http {
namespace {

class HistoryDaysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("vigil-history-days-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    auto opened = store::Store::Open("sqlite://" + (dir_ / "vigil.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(HistoryDaysTest, CallersAskingForADayAtOnceShareOneReadOfIt) {
  constexpr LocalDay kDay = 20'000, kToday = 20'010;
  HistoryDay stored;
  stored.day = kDay;
  stored.codes = {{"A001", {{600, 5}, {601, 7}, {1439, 1}}}};
  ASSERT_TRUE(store_->PutHistoryDay(stored).ok());

  HistoryDays days;
  constexpr int kCallers = 8;
  std::latch start(kCallers);
  std::vector<std::shared_ptr<const StoredDay>> got(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      got[i] = days.Day(*store_, kDay, kToday);
    });
  }
  for (auto& t : callers) t.join();
  ASSERT_NE(got[0], nullptr);
  for (const auto& g : got) EXPECT_EQ(g.get(), got[0].get()) << "every caller has the one copy";
  EXPECT_EQ(got[0]->Hours("A001")[10], 12u);
  EXPECT_EQ(got[0]->Hours("A001")[23], 1u);
  EXPECT_EQ(got[0]->At("A001", 601), 7u);
  EXPECT_EQ(got[0]->Hours("B001")[10], 0u);  // a code without records that day
  EXPECT_EQ(days.Day(*store_, kDay, kToday).get(), got[0].get());  // later: from the cache
}

TEST_F(HistoryDaysTest, ADayWithoutDataIsNullAndYesterdayIsLookedAtAgain) {
  constexpr LocalDay kToday = 20'010;
  HistoryDays days;
  EXPECT_EQ(days.Day(*store_, kToday - 5, kToday), nullptr);
  EXPECT_EQ(days.Day(*store_, kToday - 1, kToday), nullptr);  // not written yet
  HistoryDay yesterday;
  yesterday.day = kToday - 1;
  yesterday.codes = {{"A001", {{0, 3}}}};
  ASSERT_TRUE(store_->PutHistoryDay(yesterday).ok());
  auto later = days.Day(*store_, kToday - 1, kToday);  // written since: read now
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->Hours("A001")[0], 3u);
}

// 20'010 is a Monday: the workdays before it are Friday 20'007, Thursday 20'006, ...
TEST_F(HistoryDaysTest, WarmReadsTheLastDaysOfTodaysTypeAheadOfTheFirstVisit) {
  constexpr LocalDay kToday = 20'010;
  auto put = [&](LocalDay day, uint32_t records) {
    HistoryDay d;
    d.day = day;
    d.codes = {{"A001", {{600, records}}}};
    ASSERT_TRUE(store_->PutHistoryDay(d).ok());
  };
  for (LocalDay d = kToday - 7; d < kToday; ++d) put(d, 1);
  const Calendar cal(CalendarConfig{}, absl::UTCTimeZone());
  ASSERT_TRUE(cal.IsWorkday(kToday));
  ASSERT_FALSE(cal.IsWorkday(kToday - 2));

  HistoryDays days;
  std::atomic<bool> stop{false};
  days.Warm(*store_, cal, kToday, 2, stop);
  // The store changes after the warm-up: days read ahead answer from the cache (1 record),
  // the others are read now (9 records).
  for (LocalDay d = kToday - 7; d < kToday; ++d) put(d, 9);
  EXPECT_EQ(days.Day(*store_, kToday - 3, kToday)->At("A001", 600), 1u);  // Friday: warmed
  EXPECT_EQ(days.Day(*store_, kToday - 4, kToday)->At("A001", 600), 1u);  // Thursday: warmed
  EXPECT_EQ(days.Day(*store_, kToday - 5, kToday)->At("A001", 600), 9u);  // Wednesday: 3rd, not asked
  EXPECT_EQ(days.Day(*store_, kToday - 2, kToday)->At("A001", 600), 9u);  // Saturday: other type

  HistoryDays stopped;
  stop = true;
  stopped.Warm(*store_, cal, kToday, 2, stop);
  put(kToday - 3, 4);
  EXPECT_EQ(stopped.Day(*store_, kToday - 3, kToday)->At("A001", 600), 4u);  // nothing read ahead
}

}  // namespace
}  // namespace vigil::http
