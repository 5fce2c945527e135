// Rules 9 and 10: end-of-day batch steps and reconciliation checks.
#include "harness.h"

namespace vigil::testing {
namespace {

const std::string kBatch = BaseYaml(R"(
batch:
  - {name: EOD_INTEREST, txn: B001, opens: "18:00", latest_start: "22:30", max_duration: 60m, latest_end: "25:30", days: workdays}
recon:
  - {name: UNIONPAY, txn: R001, start: "06:00", end: "07:00", factor: 3, floor_count: 10, floor_amount: 1000, days: all}
)");

// Background traffic: one record a minute at :45, so every minute is evaluated right after the
// records of the minute before it were read, as in a live stream. Data starts a little before
// a span or result window opens: one already open at the first evaluated minute is not judged.
void Ticks(Harness& h, const std::string& from, const std::string& to) {
  for (TimeMs t = T(from) + 45'000; t < T(to); t += kMsPerMinute) {
    Rec r;
    r.time = t;
    r.txn = "F000";
    h.pending().push_back(r);
  }
}

Rec& Step(Harness& h, const std::string& at, Phase phase, const std::string& ret = "000000") {
  Rec& r = h.Add(at, "B001", ret);
  r.phase = phase;
  return r;
}

const char* kKey = "{\"step\":\"EOD_INTEREST\",\"day\":\"2026-11-20\"}";

TEST(Batch, NotStartedByLatestStartThenStarts) {
  Harness h(kBatch);
  Ticks(h, "2026-11-20 17:50", "2026-11-20 22:50");
  Step(h, "2026-11-20 22:40:00", Phase::kStart);
  h.Run("2026-11-20 22:50");
  EXPECT_EQ(h.Events(Rule::kBatch), (std::vector<std::string>{std::string("11-20T22:30 firing ") + kKey,
                                                               std::string("11-20T22:40 resolved ") + kKey}));
  for (const AlertEvent& e : h.all()) {
    if (e.rule == Rule::kBatch && e.firing) EXPECT_EQ(e.threshold, "latest_start 22:30");
  }
}

TEST(Batch, RunsLongerThanMaxDurationThenEndsWell) {
  Harness h(kBatch);
  Ticks(h, "2026-11-20 17:50", "2026-11-20 22:30");
  Step(h, "2026-11-20 21:00:00", Phase::kStart);
  Step(h, "2026-11-20 22:10:00", Phase::kEnd);
  h.Run("2026-11-20 22:30");
  EXPECT_EQ(h.Events(Rule::kBatch), (std::vector<std::string>{std::string("11-20T22:00 firing ") + kKey,
                                                               std::string("11-20T22:10 resolved ") + kKey}));
}

TEST(Batch, EndingWithAFailureFiresAndTheClosingSpanResolvesIt) {
  Harness h(kBatch);
  Ticks(h, "2026-11-20 17:50", "2026-11-21 18:05");
  Step(h, "2026-11-20 21:00:00", Phase::kStart);
  Step(h, "2026-11-20 21:20:00", Phase::kEnd, "999999");
  h.Run("2026-11-21 18:05");
  // The span of business day 11-20 is [11-20 18:00, 11-21 18:00); 11-21 is a Saturday.
  EXPECT_EQ(h.Events(Rule::kBatch), (std::vector<std::string>{std::string("11-20T21:20 firing ") + kKey,
                                                               std::string("11-21T18:00 resolved ") + kKey}));
}

TEST(Batch, LatestEndPastMidnight) {
  Harness h(BaseYaml(R"(
batch:
  - {name: EOD_INTEREST, txn: B001, opens: "18:00", latest_end: "25:30"}
)"));
  Ticks(h, "2026-11-20 17:50", "2026-11-21 02:00");
  Step(h, "2026-11-20 22:00:00", Phase::kStart);
  Step(h, "2026-11-21 01:45:00", Phase::kEnd);
  h.Run("2026-11-21 02:00");
  EXPECT_EQ(h.Events(Rule::kBatch), (std::vector<std::string>{std::string("11-21T01:30 firing ") + kKey,
                                                               std::string("11-21T01:45 resolved ") + kKey}));
}

TEST(Batch, NotEvaluatedOnDaysItDoesNotRun) {
  Harness h(kBatch);
  Ticks(h, "2026-11-21 18:00", "2026-11-22 06:00");  // Saturday: a holiday-type day
  h.Run("2026-11-22 06:00");
  EXPECT_TRUE(h.Events(Rule::kBatch).empty());
}

TEST(Batch, ASpanOpenBeforeTheFirstRecordIsNotJudged) {
  Harness h(kBatch);
  // Data starts on Friday 11-20 at 10:00: the span of Thursday 11-19 (from 18:00) was already
  // open, and its step may well have run before vigil saw anything.
  Ticks(h, "2026-11-20 10:00", "2026-11-20 17:59");
  h.Run("2026-11-20 17:59");
  EXPECT_TRUE(h.Events(Rule::kBatch).empty());
}

const char* kRecon = "{\"check\":\"UNIONPAY\",\"day\":\"2026-11-20\"}";

TEST(Recon, ADayWhoseWindowOpenedBeforeTheFirstRecordIsNotJudged) {
  Harness h(kBatch);
  Ticks(h, "2026-11-20 06:30", "2026-11-21 07:10");  // 11-20's window opened at 06:00
  h.Run("2026-11-21 07:10");
  EXPECT_EQ(h.Events(Rule::kRecon),
            std::vector<std::string>{"11-21T07:00 firing {\"check\":\"UNIONPAY\",\"day\":\"2026-11-21\"}"});
}

TEST(Recon, NoResultByEndHoldsUntilTheEndOfTheDay) {
  Harness h(kBatch);
  Ticks(h, "2026-11-20 05:00", "2026-11-21 00:10");
  h.Run("2026-11-21 00:10");
  EXPECT_EQ(h.Events(Rule::kRecon), (std::vector<std::string>{std::string("11-20T07:00 firing ") + kRecon,
                                                               std::string("11-21T00:00 resolved ") + kRecon}));
}

TEST(Recon, MismatchAgainstFactorTimesMedianOfEarlierDays) {
  for (auto [count, fires] : std::vector<std::pair<double, bool>>{{19, false}, {20, true}}) {
    Harness h(kBatch);
    const char* days[] = {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"};
    const double earlier[] = {5, 8, 6, 7};  // median 6.5: limit max(10, 3 x 6.5) = 19.5
    for (int i = 0; i < 4; ++i) {
      Rec& r = h.Add(std::string(days[i]) + " 06:30:00", "R001");
      r.has_mc = true, r.mismatch_count = earlier[i];
    }
    Ticks(h, "2026-11-20 06:00", "2026-11-20 08:00");
    Rec& today = h.Add("2026-11-20 06:30:00", "R001");
    today.has_mc = true, today.mismatch_count = count;
    h.Run("2026-11-20 08:00");
    auto ev = h.Events(Rule::kRecon);
    if (fires) {
      EXPECT_EQ(ev, std::vector<std::string>{std::string("11-20T06:30 firing ") + kRecon});
      EXPECT_EQ(h.all().back().threshold, 19.5);
    } else {
      EXPECT_TRUE(ev.empty()) << count;
    }
  }
}

TEST(Recon, OnlyTheFloorWithoutEarlierResults) {
  for (auto [amount, fires] : std::vector<std::pair<double, bool>>{{1000, false}, {1000.01, true}}) {
    Harness h(kBatch);
    Ticks(h, "2026-11-20 05:50", "2026-11-20 08:00");
    Rec& r = h.Add("2026-11-20 06:10:00", "R001");
    r.has_mc = true, r.mismatch_count = 1;
    r.has_ma = true, r.mismatch_amount = amount;
    h.Run("2026-11-20 08:00");
    EXPECT_EQ(h.Events(Rule::kRecon).size(), fires ? 1u : 0u) << amount;
  }
}

}  // namespace
}  // namespace vigil::testing
