// Series: what the API and console read about recent traffic. Exact counts per minute and at
// minute boundaries, latency percentiles, the failing return codes and their cap, service
// systems' failures (a missing svc_ret included), spark alignment, the 24-hour expiry, batches
// with refused records, and the recent-record rings.
#include "serve/series.h"

#include <deque>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"

namespace vigil::serve {
namespace {

constexpr TimeMs kT0 = 1'795'000'020'000 / kMsPerHour * kMsPerHour;  // a whole hour (2026-11)
constexpr TimeMs kMin = kMsPerMinute;

std::shared_ptr<const LoadedConfig> TestConfig() {
  ConfigResult r = LoadConfigForServeText(R"(timezone: UTC
allowed_lateness: 30s
return_codes:
  unknown_class: business
  global: {success: ["000000"], business: ["1*"], system: ["9*"]}
  by_sys: {CARD: {success: ["00"], system: ["91"]}}
service_systems:
  ACCT: {name: 核心账务, success: ["0000", "0001"]}
txn_codes:
  A001: {name: 转账, sys: MBNK, svc_sys: ACCT}
  A002: {name: 查询, sys: MBNK, svc_sys: ACCT, timeout_ms: 100}
)",
                                          "series_test.yaml");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0]);
  return r.config;
}

// Records whose strings outlive the views handed to Series.
class Records {
 public:
  RecordView& Add(std::string txn, TimeMs time, std::string ret = "000000", double dur_ms = -1) {
    RecordView r;
    r.ts = time;
    r.time = time;
    r.duration_ms = dur_ms;
    r.txn = Keep(std::move(txn));
    r.ret = Keep(std::move(ret));
    views_.push_back(r);
    return views_.back();
  }
  std::string_view Keep(std::string s) { return strings_.emplace_back(std::move(s)); }
  std::span<const RecordView> all() const { return views_; }
  void Clear() { views_.clear(); }

 private:
  std::deque<std::string> strings_;
  std::vector<RecordView> views_;
};

class SeriesTest : public ::testing::Test {
 protected:
  SeriesTest() { series.Reset(TestConfig()); }
  void Flush() {
    series.AddBatch(recs.all());
    recs.Clear();
  }
  Series series;
  Records recs;
};

TEST_F(SeriesTest, CountsEveryRecordInTheMinuteHoldingItsTime) {
  recs.Add("A001", kT0);                        // first ms of minute 0
  recs.Add("A001", kT0 + kMin - 1, "100001");   // last ms of minute 0: business
  recs.Add("A001", kT0 + kMin, "900001");       // first ms of minute 1: system
  recs.Add("A001", kT0 + kMin + 5, "ZZZ");      // unclassified: business (unknown_class)
  recs.Add("A002", kT0 + kMin, "000000", 100);    // not above A002's 100 ms timeout
  recs.Add("A002", kT0 + kMin, "000000", 100.5);  // above it
  Flush();

  auto a = series.Minutes("A001", kT0, kT0 + 3 * kMin);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].minute, kT0);
  EXPECT_EQ(a[0].count, 2u);
  EXPECT_EQ(a[0].business_failures, 1u);
  EXPECT_EQ(a[0].system_failures, 0u);
  EXPECT_EQ(a[1].minute, kT0 + kMin);
  EXPECT_EQ(a[1].count, 2u);
  EXPECT_EQ(a[1].system_failures, 1u);
  EXPECT_EQ(a[1].business_failures, 1u);
  EXPECT_EQ(a[2].count, 0u);
  auto b = series.Minutes("A002", kT0, kT0 + 2 * kMin);
  EXPECT_EQ(b[1].count, 2u);
  EXPECT_EQ(b[1].timeouts, 1u);
  EXPECT_TRUE(series.Minutes("NOPE", kT0, kT0 + kMin).empty());

  // A window cut inside minute 1 still holds all of minute 1; `to` on a boundary excludes the
  // minute it starts.
  auto s = series.Summaries(kT0 + kMin + 30'000, kT0 + 2 * kMin);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].txn, "A001");
  EXPECT_EQ(s[0].count, 2);
  EXPECT_EQ(s[0].system_failures, 1);
  EXPECT_EQ(s[0].last_seen, kT0 + kMin);
  EXPECT_EQ(series.Summaries(kT0, kT0 + kMin)[0].count, 2);

  auto total = series.TotalMinutes(kT0, kT0 + 2 * kMin);
  ASSERT_EQ(total.size(), 2u);
  EXPECT_EQ(total[0].count, 2u);
  EXPECT_EQ(total[1].count, 4u);
  EXPECT_EQ(total[1].system_failures, 1u);
  EXPECT_EQ(total[1].business_failures, 1u);
  EXPECT_EQ(total[1].timeouts, 1u);
  EXPECT_EQ(total[1].p95, -1);
}

TEST_F(SeriesTest, SummariesCountWholeHoursAndCutHoursAlike) {
  // One record every 7 minutes for 5 hours; windows cut at odd minutes must count exactly.
  for (int m = 0; m < 300; m += 7) recs.Add("A001", kT0 + m * kMin + 1000);
  Flush();
  for (auto [from, to] : {std::pair{0, 300}, {13, 250}, {60, 120}, {59, 61}, {121, 122}}) {
    int64_t expected = 0;
    for (int m = 0; m < 300; m += 7) expected += (m >= from && m < to);
    EXPECT_EQ(series.Summaries(kT0 + from * kMin, kT0 + to * kMin)[0].count, expected) << from << ".." << to;
  }
}

TEST_F(SeriesTest, PercentilesAppearWhenTheMinuteCloses) {
  for (int i = 1; i <= 100; ++i) recs.Add("A001", kT0 + i, "000000", i);
  recs.Add("A001", kT0 + 5, "000000", -1);  // no duration: not in the percentiles
  Flush();
  EXPECT_EQ(series.Minutes("A001", kT0, kT0 + kMin)[0].p95, -1) << "open minute";
  series.CloseMinutesBefore(kT0 + kMin);
  const MinutePoint p = series.Minutes("A001", kT0, kT0 + kMin)[0];
  // Buckets are a quarter of a power of two wide: within 19% of the exact value.
  EXPECT_NEAR(p.p50, 50, 50 * 0.19);
  EXPECT_NEAR(p.p95, 95, 95 * 0.19);
  EXPECT_NEAR(p.p99, 99, 99 * 0.19);
  EXPECT_LE(p.p50, p.p95);
  EXPECT_EQ(series.Summaries(kT0, kT0 + kMin)[0].p95, p.p95);
  // Sub-millisecond durations are one bucket.
  recs.Add("A002", kT0 + kMin, "000000", 0.2);
  Flush();
  series.CloseMinutesBefore(kT0 + 2 * kMin);
  EXPECT_LT(series.Minutes("A002", kT0 + kMin, kT0 + 2 * kMin)[0].p99, 1);
}

TEST_F(SeriesTest, ReturnsNameTheLargestFailingCodesAndSumTheRest) {
  // 20 distinct business rets: ret i fails i + 1 times in minute 0. Only the first 16 get
  // names in the code; of those the 12 largest are shown.
  for (int i = 0; i < 20; ++i) {
    for (int k = 0; k <= i; ++k) recs.Add("A001", kT0 + k, fmt::format("1{:02d}", i));
  }
  recs.Add("A001", kT0 + kMin, "900000");  // system, minute 1
  recs.Add("A001", kT0 + kMin, "000000");
  recs.Add("A001", kT0 + kMin, "000000");
  Flush();
  ReturnBreakdown r = series.Returns("A001", kT0, kT0 + 2 * kMin);
  ASSERT_EQ(r.totals.size(), 13u);
  // Named ones are 100..115 (counts 1..16); the largest 12 are 115 down to 104 (counts 16..5).
  EXPECT_EQ(std::get<0>(r.totals[0]), "115");
  EXPECT_EQ(std::get<2>(r.totals[0]), 16u);
  EXPECT_EQ(std::get<1>(r.totals[0]), RetClass::kBusiness);
  EXPECT_EQ(std::get<0>(r.totals[11]), "104");
  // other: 100..103 (1+2+3+4) + 116..119 (17+18+19+20) + the system 900000 (1).
  EXPECT_EQ(std::get<0>(r.totals[12]), "other");
  EXPECT_EQ(std::get<2>(r.totals[12]), 10u + 74u + 1u);
  EXPECT_EQ(std::get<1>(r.totals[12]), RetClass::kBusiness);
  ASSERT_EQ(r.minutes.size(), 2u);
  EXPECT_EQ(r.minutes[0].minute, kT0);
  EXPECT_EQ(r.minutes[0].success, 0u);
  ASSERT_EQ(r.minutes[0].failing.size(), 13u);
  EXPECT_EQ(r.minutes[0].failing[0], (std::pair<std::string, uint32_t>{"115", 16}));
  EXPECT_EQ(r.minutes[0].failing[12], (std::pair<std::string, uint32_t>{"other", 84}));
  EXPECT_EQ(r.minutes[1].success, 2u);
  ASSERT_EQ(r.minutes[1].failing.size(), 1u);
  EXPECT_EQ(r.minutes[1].failing[0], (std::pair<std::string, uint32_t>{"other", 1}));

  // A window of minute 1 alone: nothing named failed there.
  ReturnBreakdown late = series.Returns("A001", kT0 + kMin, kT0 + 2 * kMin);
  ASSERT_EQ(late.totals.size(), 1u);
  EXPECT_EQ(late.totals[0], std::make_tuple(std::string("other"), RetClass::kSystem, uint64_t{1}));
  EXPECT_TRUE(series.Returns("NOPE", kT0, kT0 + kMin).minutes.empty());
}

TEST_F(SeriesTest, ReturnsShowFewFailingCodesByNameWithClasses) {
  recs.Add("A001", kT0, "900001");
  recs.Add("A001", kT0, "100001");
  recs.Add("A001", kT0, "100001");
  recs.Add("A001", kT0 + 2 * kMin, "100001");
  RecordView& card = recs.Add("A001", kT0 + 2 * kMin, "91");  // sys CARD: 91 is system there
  card.sys = recs.Keep("CARD");
  Flush();
  ReturnBreakdown r = series.Returns("A001", kT0, kT0 + 3 * kMin);
  ASSERT_EQ(r.totals.size(), 3u);
  EXPECT_EQ(r.totals[0], std::make_tuple(std::string("100001"), RetClass::kBusiness, uint64_t{3}));
  EXPECT_EQ(std::get<1>(r.totals[1]), RetClass::kSystem);
  EXPECT_EQ(std::get<1>(r.totals[2]), RetClass::kSystem);
  ASSERT_EQ(r.minutes.size(), 3u);
  EXPECT_TRUE(r.minutes[1].failing.empty());
  EXPECT_EQ(r.minutes[2].failing.size(), 2u);
}

TEST_F(SeriesTest, ServiceFailuresAreRetsOutsideTheSuccessListMissingIncluded) {
  auto call = [&](const char* txn, TimeMs t, const char* svc, const char* svc_ret) {
    RecordView& r = recs.Add(txn, t);
    r.svc_sys = recs.Keep(svc);
    r.svc_ret = recs.Keep(svc_ret);
  };
  call("A001", kT0, "ACCT", "0000");
  call("A001", kT0, "ACCT", "0001");
  call("A001", kT0, "ACCT", "E99");    // failure
  call("A001", kT0, "ACCT", "");       // missing: failure
  call("A002", kT0 + kMin, "ACCT", "0000");
  call("A002", kT0 + kMin, "ACCT", "");  // failure
  call("A002", kT0 + kMin, "XYZ", "0000");  // not configured: every call fails
  recs.Add("A002", kT0 + kMin);             // no svc_sys: not a call
  Flush();
  auto s = series.Services(kT0, kT0 + 2 * kMin);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].svc_sys, "ACCT");
  EXPECT_EQ(s[0].count, 6);
  EXPECT_EQ(s[0].failures, 3);
  ASSERT_EQ(s[0].codes.size(), 2u);
  EXPECT_EQ(s[0].codes[0].first, "A001");
  EXPECT_EQ(s[0].codes[0].second, (std::pair<int64_t, int64_t>{4, 2}));
  EXPECT_EQ(s[0].codes[1].second, (std::pair<int64_t, int64_t>{2, 1}));
  ASSERT_EQ(s[0].minutes.size(), 2u);
  EXPECT_EQ(s[0].minutes[0].count, 4u);
  EXPECT_EQ(s[0].minutes[0].failures, 2u);
  EXPECT_EQ(s[0].minutes[1].minute, kT0 + kMin);
  EXPECT_EQ(s[0].minutes[1].failures, 1u);
  EXPECT_EQ(s[1].svc_sys, "XYZ");
  EXPECT_EQ(s[1].count, 1);
  EXPECT_EQ(s[1].failures, 1);
  // A window without calls keeps the service system, with zeros and no codes.
  auto later = series.Services(kT0 + 5 * kMin, kT0 + 6 * kMin);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].count, 0);
  EXPECT_TRUE(later[0].codes.empty());
}

TEST_F(SeriesTest, SparkHoldsTheLastMinutesUpToTo) {
  for (int m = 0; m < 10; ++m) {
    for (int k = 0; k <= m; ++k) recs.Add("A001", kT0 + m * kMin + k);  // m + 1 in minute m
  }
  Flush();
  // `to` on a boundary: minute 9 is the last; from does not matter.
  auto s = series.Summaries(kT0 + 9 * kMin, kT0 + 10 * kMin, 4);
  EXPECT_EQ(s[0].spark, (std::vector<uint32_t>{7, 8, 9, 10}));
  EXPECT_EQ(s[0].count, 10);
  // `to` inside minute 5: minute 5 is the last.
  EXPECT_EQ(series.Summaries(kT0, kT0 + 5 * kMin + 1, 3)[0].spark, (std::vector<uint32_t>{4, 5, 6}));
  // Before the first record: zeros; 0 minutes: no spark.
  EXPECT_EQ(series.Summaries(kT0, kT0 + 2 * kMin, 4)[0].spark, (std::vector<uint32_t>{0, 0, 1, 2}));
  EXPECT_TRUE(series.Summaries(kT0, kT0 + 2 * kMin, 0)[0].spark.empty());
  EXPECT_TRUE(series.Summaries(kT0, kT0 + 2 * kMin)[0].spark.empty());
}

TEST_F(SeriesTest, KeepsTwentyFourHours) {
  recs.Add("A001", kT0 + 10 * kMin, "100001");
  Flush();
  recs.Add("A001", kT0 + 24 * kMsPerHour - 1);  // the last ms of the day: another hour
  Flush();
  EXPECT_EQ(series.Summaries(kT0, kT0 + 24 * kMsPerHour)[0].count, 2);
  // Hour 24 takes the slot of hour 0: hour 0 is gone, for the code and for the total.
  recs.Add("A001", kT0 + 24 * kMsPerHour + 5 * kMin);
  Flush();
  EXPECT_EQ(series.Minutes("A001", kT0 + 10 * kMin, kT0 + 11 * kMin)[0].count, 0u);
  EXPECT_EQ(series.TotalMinutes(kT0 + 10 * kMin, kT0 + 11 * kMin)[0].count, 0u);
  EXPECT_TRUE(series.Returns("A001", kT0, kT0 + kMsPerHour).totals.empty());
  // A record of the forgotten hour is not counted any more.
  recs.Add("A001", kT0 + 20 * kMin);
  Flush();
  EXPECT_EQ(series.Summaries(kT0, kT0 + kMsPerHour)[0].count, 0);
  EXPECT_EQ(series.TotalMinutes(kT0 + 20 * kMin, kT0 + 21 * kMin)[0].count, 0u);
  EXPECT_EQ(series.Summaries(kT0 + 23 * kMsPerHour, kT0 + 25 * kMsPerHour)[0].count, 2);
  // A window longer than a day is cut at from + 24 h.
  EXPECT_EQ(series.Minutes("A001", kT0, kT0 + 30 * kMsPerHour).size(), 24u * 60u);
}

TEST_F(SeriesTest, BatchesLeaveOutRefusedAndStartRecords) {
  recs.Add("A001", kT0);
  recs.Add("A001", kT0 + 1);  // refused by the engine (late)
  recs.Add("A001", kT0 + 2).phase = Phase::kStart;
  recs.Add("A002", kT0 + 3);
  recs.Add("A002", kT0 + 4);  // refused (future)
  const uint32_t refused[] = {1, 4};
  series.AddBatch(recs.all(), refused);
  recs.Clear();
  auto s = series.Summaries(kT0, kT0 + kMin);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].count, 1);
  EXPECT_EQ(s[1].count, 1);
  EXPECT_EQ(series.Recent(RecentFilter{}).size(), 2u);
}

TEST_F(SeriesTest, SummaryNamesTheRequestingSystemOfTheLatestRecord) {
  recs.Add("A001", kT0 + 5);
  recs.Add("Q9", kT0 + 5);
  Flush();
  auto s = series.Summaries(kT0, kT0 + kMin);
  EXPECT_EQ(s[0].sys, "MBNK");  // the configured one, for a record without sys
  EXPECT_EQ(s[1].sys, "");      // neither
  recs.Add("A001", kT0 + 6).sys = recs.Keep("CARD");
  recs.Add("A001", kT0 + 1).sys = recs.Keep("OLD");  // older than the latest: ignored
  Flush();
  EXPECT_EQ(series.Summaries(kT0, kT0 + kMin)[0].sys, "CARD");
}

TEST_F(SeriesTest, RecentKeepsTheLastRecordsOverallAndSixteenPerCode) {
  for (int i = 0; i < 20; ++i) recs.Add("Q1", kT0 + i, fmt::format("{}", i));
  Flush();
  for (int i = 0; i < 25'000; ++i) recs.Add("BUSY", kT0 + kMin + i);
  Flush();
  RecentFilter all;
  all.limit = 100'000;
  auto r = series.Recent(all);
  ASSERT_EQ(r.size(), 20'000u);  // the shared ring: Q1's records have left it
  EXPECT_EQ(r.front().time, kT0 + kMin + 24'999);
  EXPECT_EQ(r.front().txn, "BUSY");
  RecentFilter q1;
  q1.txn = "Q1";
  auto quiet = series.Recent(q1);
  ASSERT_EQ(quiet.size(), 16u);  // its own ring still has its last 16
  EXPECT_EQ(quiet.front().ret, "19");
  EXPECT_EQ(quiet.back().ret, "4");
  // Records in both rings come once.
  RecentFilter busy;
  busy.txn = "BUSY";
  busy.limit = 20;
  auto b = series.Recent(busy);
  ASSERT_EQ(b.size(), 20u);
  for (size_t i = 1; i < b.size(); ++i) EXPECT_EQ(b[i].time, b[i - 1].time - 1);
  // Filters and `after`.
  RecentFilter after;
  after.txn = "Q1";
  after.after = kT0 + 17;
  EXPECT_EQ(series.Recent(after).size(), 2u);
}

TEST_F(SeriesTest, RecentRecordsKeepTheirFieldsUpToTheSlotsRoom) {
  // Field lengths across every copy path (0 to 3, 4 to 7, 8 to 15, 16 and more bytes).
  RecordView& r = recs.Add("A001", kT0 + 7, "E12", 812.5);
  r.ts = kT0 - 812;
  r.sys = recs.Keep("MB");
  r.svc_sys = recs.Keep("ACCT");
  r.svc_ret = recs.Keep("");
  r.node = recs.Keep("app-node-0001");
  r.serial = recs.Keep("MB2026112000000000017");
  r.msg = recs.Keep(std::string(300, 'x'));  // longer than a slot holds
  Flush();
  auto out = series.Recent(RecentFilter{});
  ASSERT_EQ(out.size(), 1u);
  const RecentRecord& got = out[0];
  EXPECT_EQ(got.time, kT0 + 7);
  EXPECT_EQ(got.ts, kT0 - 812);
  EXPECT_EQ(got.duration_ms, 812.5);
  EXPECT_EQ(got.cls, RetClass::kBusiness);
  EXPECT_EQ(got.txn, "A001");
  EXPECT_EQ(got.ret, "E12");
  EXPECT_EQ(got.sys, "MB");
  EXPECT_EQ(got.svc_sys, "ACCT");
  EXPECT_EQ(got.svc_ret, "");
  EXPECT_EQ(got.node, "app-node-0001");
  EXPECT_EQ(got.serial, "MB2026112000000000017");
  // The message takes what room is left, cut, never past it.
  EXPECT_FALSE(got.msg.empty());
  EXPECT_EQ(got.msg, std::string(got.msg.size(), 'x'));
  EXPECT_LT(got.msg.size(), 176u);
}

}  // namespace
}  // namespace vigil::serve
