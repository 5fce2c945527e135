// Unit tests of the simulated bank's traffic model: popularity, daily shape, holidays,
// busy-only channels, determinism and the isolation of faults.
#include <algorithm>
#include <cmath>
#include <map>

#include "gtest/gtest.h"
#include "sim_fixture.h"

namespace vigil::sim {
namespace {

const SimDay& DayOf(const SimCalendar& cal, TimeMs t) {
  int i = 0;
  while (i + 1 < cal.size() && cal.day(i + 1).start_ms <= t) ++i;
  return cal.day(i);
}

TEST(ModelTest, SameSeedSameRecordsOtherSeedOtherRecords) {
  auto a = SimWorld::Make(50, 60'000, 2, 7), b = SimWorld::Make(50, 60'000, 2, 7);
  auto c = SimWorld::Make(50, 60'000, 2, 8);
  std::vector<SimRecord> ra = a->Generate(7), rb = b->Generate(7), rc = c->Generate(8);
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    ASSERT_EQ(ra[i].ts, rb[i].ts) << i;
    ASSERT_EQ(ra[i].serial, rb[i].serial) << i;
    ASSERT_EQ(ra[i].dur, rb[i].dur) << i;
    ASSERT_EQ(ra[i].ret, rb[i].ret) << i;
  }
  EXPECT_NE(ra.size(), rc.size());
}

TEST(ModelTest, RecordsTotalAboutAsRequestedInRoughTimeOrder) {
  auto w = SimWorld::Make(200, 300'000, 3, 1);
  std::vector<SimRecord> r = w->Generate(1);
  EXPECT_NEAR(static_cast<double>(r.size()), 300'000 * 1.0, 300'000 * 0.03);
  TimeMs max_time = 0, worst = 0;
  for (const SimRecord& x : r) {
    worst = std::max(worst, max_time - x.Time());
    max_time = std::max(max_time, x.Time());
  }
  EXPECT_LE(worst, 2'000) << "disorder must stay far inside allowed_lateness";
  EXPECT_LT(max_time, w->calendar.end_ms());
}

TEST(ModelTest, PopularityFollowsZipf) {
  auto w = SimWorld::Make(100, 1'000'000, 2, 3);
  std::vector<double> by_rank(101, 0);
  for (const SimRecord& x : w->Generate(3)) {
    if (x.code < 100)
      by_rank[static_cast<size_t>(w->bank.codes[static_cast<size_t>(x.code)].rank)]++;
  }
  // Channels have different daily shapes, so compare the weights the rates derive from and
  // allow for shape differences: rank 1 vs 10 and vs 50 must show the heavy head.
  EXPECT_GT(by_rank[1] / by_rank[10], 4.0);
  EXPECT_GT(by_rank[1] / by_rank[50], 15.0);
  double top10 = 0, total = 0;
  for (int r = 1; r <= 100; ++r) total += by_rank[r], top10 += r <= 10 ? by_rank[r] : 0;
  EXPECT_GT(top10 / total, 0.45);
  EXPECT_LT(top10 / total, 0.80);
}

TEST(ModelTest, HolidaysAreQuieterThanWorkdays) {
  // 2026-10-01..07 is National Day; 2026-09-30 a workday, 2026-10-10 a make-up Saturday.
  auto w = SimWorld::Make(100, 600'000, 13, 4, "none", absl::CivilDay(2026, 9, 28));
  std::map<std::string, double> per_day;
  for (const SimRecord& x : w->Generate(4)) per_day[DayOf(w->calendar, x.ts).label]++;
  EXPECT_FALSE(w->calendar.day(3).workday);  // 10-01
  EXPECT_TRUE(w->calendar.day(12).workday);  // 10-10 调休
  EXPECT_LT(per_day["2026-10-01"], 0.8 * per_day["2026-09-30"]);
  EXPECT_LT(per_day["2026-10-04"], 0.8 * per_day["2026-10-09"]);
  EXPECT_GT(per_day["2026-10-10"], 0.9 * per_day["2026-10-09"]);
}

TEST(ModelTest, BusyOnlyCodesAreSilentOutsideBusyHours) {
  auto w = SimWorld::Make(200, 400'000, 7, 5);
  int corp = 0;
  for (const SimRecord& x : w->Generate(5)) {
    if (x.code >= static_cast<int>(w->bank.codes.size())) continue;
    const TxnCode& c = w->bank.codes[static_cast<size_t>(x.code)];
    if (w->bank.systems[static_cast<size_t>(c.sys)].code != "CORP") continue;
    ++corp;
    const SimDay& d = DayOf(w->calendar, x.ts);
    int minute = static_cast<int>((x.ts - d.start_ms) / kMsPerMinute);
    ASSERT_TRUE(d.workday) << c.code << " on " << d.label;
    ASSERT_GE(minute, kBusyBeginMinute);
    ASSERT_LT(minute, kBusyEndMinute);
  }
  EXPECT_GT(corp, 1000);
}

TEST(ModelTest, DailyShapePeaksInTheMorningAndDipsAtLunchAndNight) {
  auto w = SimWorld::Make(100, 500'000, 1, 6);
  std::vector<double> hour(24, 0);
  for (const SimRecord& x : w->Generate(6))
    hour[static_cast<size_t>((x.ts - w->calendar.day(0).start_ms) / kMsPerHour)]++;
  EXPECT_GT(hour[10], 1.2 * hour[12]);  // lunch dip
  EXPECT_GT(hour[15], 1.2 * hour[12]);
  EXPECT_GT(hour[10], 10 * hour[4]);  // night
}

TEST(ModelTest, FaultsLeaveUntouchedTrafficIdentical) {
  auto quiet = SimWorld::Make(100, 1'000'000, 6, 9, "none");
  auto faulty = SimWorld::Make(100, 1'000'000, 6, 9, "all");
  ASSERT_GT(faulty->plan.faults.size(), 10u);
  std::set<int> touched;
  for (const Fault& f : faulty->plan.faults) {
    if (f.code >= 0) touched.insert(f.code);
    for (size_t i = 0; i < faulty->bank.codes.size(); ++i) {
      const TxnCode& c = faulty->bank.codes[i];
      if ((f.svc >= 0 && c.svc == f.svc) || (f.sys >= 0 && c.sys == f.sys))
        touched.insert(static_cast<int>(i));
    }
  }
  auto keep = [&](const SimRecord& r) {
    return r.code < static_cast<int>(faulty->bank.codes.size()) && !touched.count(r.code);
  };
  std::vector<SimRecord> a, b;
  for (const SimRecord& r : quiet->Generate(9))
    if (keep(r)) a.push_back(r);
  for (const SimRecord& r : faulty->Generate(9))
    if (keep(r)) b.push_back(r);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].serial, b[i].serial) << i;
    ASSERT_EQ(a[i].ret, b[i].ret) << i;
    ASSERT_EQ(a[i].node, b[i].node) << i;
  }
}

}  // namespace
}  // namespace vigil::sim
