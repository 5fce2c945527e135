// HistoryDays against a real SQLite store: a day is read once and the one copy is handed to
// every caller, also to callers asking at the same moment (a code page asks its series and its
// hourly volume at once, both over the same days).
#include "http/history_days.h"

#include <unistd.h>

#include <filesystem>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vigil::http
