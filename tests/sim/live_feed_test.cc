// The live feed under a manual clock: records due within each step, in time order, at the
// bank's rate shape scaled to the peak rate; faults on schedule with their signature in the
// records; the same seed giving the same records however the steps fall.
#include <algorithm>
#include <cmath>
#include <set>

#include "gtest/gtest.h"
#include "live_fixture.h"

namespace vigil::sim {
namespace {

bool InOrder(const SimRecord& a, const SimRecord& b) {
  return a.Time() != b.Time() ? a.Time() < b.Time() : a.serial < b.serial;
}

// Expected records of the whole bank in [from, to), whole minutes of one day.
double Expected(const LiveWorld& w, TimeMs from, TimeMs to) {
  const SimCalendar& cal = w.calendar();
  int d = 0;
  while (d + 1 < cal.size() && cal.day(d + 1).start_ms <= from) ++d;
  double sum = 0;
  for (TimeMs t = from; t < to; t += kMsPerMinute) {
    sum += w.BankRatePerMinute(static_cast<int>((t - cal.day(d).start_ms) / kMsPerMinute),
                               cal.day(d).workday);
  }
  return sum;
}

TEST(LiveFeedTest, EachStepGivesTheRecordsDueWithinItInTimeOrder) {
  const TimeMs start = At("2026-11-20T09:00:00.250+08:00");
  auto w = MakeWorld(start);
  LiveFeed feed(*w, start, FeedWith("none"));
  const int64_t steps[] = {137, 200, 1, 999, 7000, 60'000, 45'001};
  TimeMs prev = start;
  std::set<uint64_t> serials;
  size_t total = 0;
  for (int i = 0; prev < start + 20 * kMsPerMinute; ++i) {
    const TimeMs now = prev + steps[i % 7];
    std::vector<SimRecord> out;
    feed.Step(now, &out);
    for (size_t k = 0; k < out.size(); ++k) {
      ASSERT_GE(out[k].Time(), prev) << "step " << i;
      ASSERT_LT(out[k].Time(), now) << "step " << i;
      if (k > 0) {
        ASSERT_TRUE(InOrder(out[k - 1], out[k])) << "step " << i << " record " << k;
      }
      ASSERT_TRUE(serials.insert(out[k].serial).second) << "serial repeated";
    }
    total += out.size();
    prev = now;
  }
  EXPECT_GT(total, 10'000u);
  std::vector<SimRecord> none;
  feed.Step(prev, &none);
  feed.Step(prev - 5000, &none);  // time never goes back
  EXPECT_TRUE(none.empty());
}

TEST(LiveFeedTest, SameSeedGivesTheSameRecordsHoweverTheStepsFall) {
  const TimeMs start = At("2026-11-20T10:59:30+08:00");
  const TimeMs until = start + 12 * kMsPerMinute;
  auto a = MakeWorld(start), b = MakeWorld(start), c = MakeWorld(start, 200, 4);
  LiveFeed fa(*a, start, FeedWith("all")), fb(*b, start, FeedWith("all"));
  LiveFeed fc(*c, start, FeedWith("all"));
  std::vector<SimRecord> ra = StepThrough(fa, until, 200), rb = StepThrough(fb, until, 3 * kMsPerMinute + 17);
  std::vector<SimRecord> rc = StepThrough(fc, until, 200);
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    ASSERT_EQ(ra[i].serial, rb[i].serial) << i;
    ASSERT_EQ(ra[i].ts, rb[i].ts) << i;
    ASSERT_EQ(ra[i].dur, rb[i].dur) << i;
    ASSERT_EQ(ra[i].ret, rb[i].ret) << i;
    ASSERT_EQ(ra[i].code, rb[i].code) << i;
  }
  ASSERT_EQ(fa.faults().size(), fb.faults().size());
  for (size_t i = 0; i < fa.faults().size(); ++i) {
    EXPECT_EQ(fa.faults()[i].desc, fb.faults()[i].desc);
  }
  EXPECT_NE(ra.size(), rc.size()) << "another seed gives other traffic";
}

TEST(LiveFeedTest, RateFollowsTheBankShapeScaledToThePeak) {
  const TimeMs day = At("2026-11-20T00:00:00+08:00");
  auto w = MakeWorld(day, 300);
  double peak = 0;
  for (bool workday : {true, false}) {
    for (int m = 0; m < 1440; ++m) peak = std::max(peak, w->BankRatePerMinute(m, workday));
  }
  EXPECT_NEAR(peak, 300 * 60, 1e-6 * 300 * 60) << "--rate is the busiest minute's rate";
  // A morning hour and a night hour: counts as the shape says (Poisson noise plus the
  // day's level spread of 3.5%), and the night much quieter.
  for (const char* from : {"2026-11-20T10:00:00+08:00", "2026-11-20T03:00:00+08:00"}) {
    const TimeMs t0 = At(from), t1 = t0 + kMsPerHour;
    auto world = MakeWorld(t0, 300);
    LiveFeed feed(*world, t0, FeedWith("none"));
    std::vector<SimRecord> out = StepThrough(feed, t1, 10'000);
    const double expected = Expected(*world, t0, t1);
    const double slack = 0.04 * expected + 5 * std::sqrt(expected) + 5;
    EXPECT_NEAR(static_cast<double>(out.size()), expected, slack) << from;
  }
  EXPECT_LT(Expected(*w, At("2026-11-20T03:00:00+08:00"), At("2026-11-20T04:00:00+08:00")),
            0.25 * Expected(*w, At("2026-11-20T10:00:00+08:00"),
                            At("2026-11-20T11:00:00+08:00")));
}

// Share of `code`'s records in [from, to) for which `pred` holds, and their number.
template <typename Pred>
std::pair<double, size_t> Share(const std::vector<SimRecord>& rs, int code, TimeMs from, TimeMs to,
                                Pred pred) {
  size_t n = 0, hit = 0;
  for (const SimRecord& r : rs) {
    if (r.code != code || r.ts < from || r.ts >= to) continue;
    ++n;
    hit += pred(r) ? 1 : 0;
  }
  return {n == 0 ? 0.0 : static_cast<double>(hit) / static_cast<double>(n), n};
}

TEST(LiveFeedTest, FirstFaultMayComeSoonerThenTheUsualPace) {
  const TimeMs start = At("2026-11-20T09:00:20+08:00");
  auto w = MakeWorld(start);
  LiveFeedOptions o = FeedWith("system_success");
  o.first_fault_ms = kMsPerMinute;  // the demo: something to see within the first minutes
  LiveFeed feed(*w, start, o);
  StepThrough(feed, start + 12 * kMsPerMinute, 1000);
  ASSERT_GE(feed.faults().size(), 3u);
  EXPECT_EQ(feed.faults()[0].start, At("2026-11-20T09:02:00+08:00"));  // whole minute after 09:01:20
  EXPECT_EQ(feed.faults()[1].start, At("2026-11-20T09:07:00+08:00"));
  EXPECT_EQ(feed.faults()[2].start, At("2026-11-20T09:12:00+08:00"));
}

TEST(LiveFeedTest, FaultsStartAndStopOnScheduleWithTheirSignature) {
  const TimeMs start = At("2026-11-20T09:00:20+08:00");
  auto w = MakeWorld(start);
  LiveFeed feed(*w, start, FeedWith("system_success"));
  std::vector<SimRecord> records;
  std::vector<LiveEvent> events;
  for (TimeMs t = start + 200; t <= start + 40 * kMsPerMinute; t += 200) {
    feed.Step(t, &records);
    for (LiveEvent& e : feed.TakeEvents()) {
      EXPECT_LT(e.at, t);
      EXPECT_GE(e.at, t - 200) << "announced as soon as it is due: " << e.text;
      events.push_back(std::move(e));
    }
  }
  // A fault every 5 minutes from the first whole minute 5 minutes after the start, each on
  // a code of its own while the others last.
  ASSERT_GE(feed.faults().size(), 7u);
  const Fault& f = feed.faults()[0];
  EXPECT_EQ(f.start, At("2026-11-20T09:06:00+08:00"));
  EXPECT_EQ(f.end, f.start + 10 * kMsPerMinute);
  EXPECT_EQ(feed.faults()[1].start, f.start + 5 * kMsPerMinute);
  EXPECT_NE(feed.faults()[1].code, f.code);
  // Its signature: about half of the code's transactions fail with its system code while it
  // lasts, nearly none before and after.
  auto failed = [&](const SimRecord& r) { return r.ret == f.ret; };
  auto [during, n] = Share(records, f.code, f.start, f.end, failed);
  EXPECT_GT(n, 50u);
  EXPECT_NEAR(during, 0.5, 0.15);
  EXPECT_LT(Share(records, f.code, start, f.start, failed).first, 0.05);
  EXPECT_LT(Share(records, f.code, f.end, f.end + 10 * kMsPerMinute, failed).first, 0.05);
  // Announced when it starts and when it stops, with the code and the expected alert.
  const std::string code = w->bank().codes[static_cast<size_t>(f.code)].code;
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0].at, f.start);
  EXPECT_EQ(events[0].text.rfind("09:06 fault system_success on " + code + " (", 0), 0u)
      << events[0].text;
  EXPECT_NE(events[0].text.find("for 10m; expect system_success to fire by 09:"),
            std::string::npos)
      << events[0].text;
  auto stop = std::find_if(events.begin(), events.end(), [&](const LiveEvent& e) {
    return e.text.rfind("09:16 fault system_success on " + code, 0) == 0;
  });
  ASSERT_NE(stop, events.end());
  EXPECT_EQ(stop->at, f.end);
  EXPECT_NE(stop->text.find("stopped; expect system_success to resolve by 09:"),
            std::string::npos)
      << stop->text;
}

TEST(LiveFeedTest, NoTxnSilencesItsCodeForTheWholeFault) {
  const TimeMs start = At("2026-11-20T13:40:00+08:00");
  auto w = MakeWorld(start);
  LiveFeed feed(*w, start, FeedWith("no_txn", 10 * kMsPerMinute));
  std::vector<SimRecord> records = StepThrough(feed, start + 80 * kMsPerMinute, 1000);
  ASSERT_FALSE(feed.faults().empty());
  const Fault& f = feed.faults()[0];
  EXPECT_EQ(f.kind, "no_txn");
  EXPECT_EQ(f.start, At("2026-11-20T13:50:00+08:00"));
  EXPECT_GE(f.end - f.start, 30 * kMsPerMinute);
  size_t before = 0, during = 0, after = 0;
  for (const SimRecord& r : records) {
    if (r.code != f.code) continue;
    if (r.Time() < f.start) ++before;
    else if (r.Time() < f.end) ++during;
    else if (r.Time() < f.end + 15 * kMsPerMinute) ++after;
  }
  EXPECT_GT(before, 10u);
  EXPECT_EQ(during, 0u);
  EXPECT_GT(after, 10u);
}

}  // namespace
}  // namespace vigil::sim
