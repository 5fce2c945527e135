// Live faults of every kind: the rotation through the online kinds, each fault's effect
// visible in the records it touches, end-of-day faults on the day's plan; and the world's
// configuration and backfill.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "common/config.h"
#include "gtest/gtest.h"
#include "live_fixture.h"
#include "nlohmann/json.hpp"

namespace vigil::sim {
namespace {

bool InFault(const Fault& f, TimeMs t) { return t >= f.start && t < f.end; }

// Expected records of online code `code` in [from, to) of a workday.
double ExpectedCount(const LiveWorld& w, int code, TimeMs from, TimeMs to) {
  const SimCalendar& cal = w.calendar();
  int d = 0;
  while (d + 1 < cal.size() && cal.day(d + 1).start_ms <= from) ++d;
  double sum = 0;
  for (TimeMs t = from; t < to; t += kMsPerMinute) {
    int m = static_cast<int>((t - cal.day(d).start_ms) / kMsPerMinute);
    sum += w.bank().Rate(w.bank().codes[static_cast<size_t>(code)], m, cal.day(d).workday);
  }
  return sum;
}

// Checks that the records in the fault's interval show what the fault does.
void ExpectSignature(const LiveWorld& w, const Fault& f, const std::vector<SimRecord>& rs) {
  SCOPED_TRACE(f.id + " " + f.kind + ": " + f.desc);
  const Bank& bank = w.bank();
  auto of_code = [&](const SimRecord& r) { return r.code == f.code; };
  size_t n = 0, hit = 0;
  switch (f.effect) {
    case Effect::kRetShare:
      for (const SimRecord& r : rs) {
        if (of_code(r) && InFault(f, r.ts)) ++n, hit += r.ret == f.ret;
      }
      ASSERT_GT(n, 20u);
      EXPECT_GT(static_cast<double>(hit) / n, 0.6 * f.share);
      break;
    case Effect::kServiceFail:
      for (const SimRecord& r : rs) {
        if (r.code < static_cast<int>(bank.codes.size()) &&
            bank.codes[static_cast<size_t>(r.code)].svc == f.svc && InFault(f, r.ts)) {
          ++n, hit += r.svc_ret == f.svc * 3 + kSvcFailure;
        }
      }
      ASSERT_GT(n, 20u);
      EXPECT_GT(static_cast<double>(hit) / n, 0.6 * f.share);
      break;
    case Effect::kSilence:
      for (const SimRecord& r : rs) n += of_code(r) && InFault(f, r.Time());
      EXPECT_EQ(n, 0u);
      break;
    case Effect::kNodeDown:
      for (const SimRecord& r : rs) {
        n += r.code < static_cast<int>(bank.codes.size()) &&
             bank.codes[static_cast<size_t>(r.code)].sys == f.sys && r.node == f.node &&
             InFault(f, r.Time());
      }
      EXPECT_EQ(n, 0u);
      break;
    case Effect::kThin:
    case Effect::kBoost: {
      for (const SimRecord& r : rs) n += of_code(r) && InFault(f, r.ts);
      const double normal = ExpectedCount(w, f.code, f.start, f.end);
      if (f.effect == Effect::kThin) {
        EXPECT_LT(n, 0.6 * normal);
      } else {
        EXPECT_GT(n, 1.4 * normal);
      }
      break;
    }
    case Effect::kInject:
      for (TimeMs t : f.inject_times) {
        EXPECT_TRUE(std::any_of(rs.begin(), rs.end(), [&](const SimRecord& r) {
          return of_code(r) && r.ts == t && r.ret == f.ret;
        })) << "no injected failure at " << t;
      }
      break;
    case Effect::kSlow: {
      std::vector<int32_t> durs;
      for (const SimRecord& r : rs) {
        if (of_code(r) && InFault(f, r.ts)) durs.push_back(r.dur);
      }
      ASSERT_GT(durs.size(), 5u);
      std::sort(durs.begin(), durs.end());
      EXPECT_GT(durs[durs.size() / 2], f.factor) << "median above timeout_ms";
      break;
    }
    case Effect::kNone:
      break;
  }
}

TEST(LiveFaultsTest, OnlineKindsTakeTurnsAndEachShowsInTheRecords) {
  const TimeMs start = At("2026-11-20T09:00:00+08:00");
  auto w = MakeWorld(start);
  LiveFeed feed(*w, start, FeedWith("all"));
  std::vector<SimRecord> records = StepThrough(feed, start + 3 * kMsPerHour, 5000);
  std::vector<std::string> skipped;
  for (const LiveEvent& e : feed.TakeEvents()) {
    if (e.text.find(" skipped ") != std::string::npos) skipped.push_back(e.text);
  }
  // The kinds take turns in the order of FaultKinds; the only kinds passed over between two
  // faults are kinds reported as having no target.
  std::vector<std::string> order;
  for (const auto& [kind, rule] : FaultKinds()) {
    if (LiveFaultPlanner::IsOnline(kind)) order.push_back(kind);
  }
  auto index = [&](const std::string& kind) {
    return static_cast<size_t>(std::find(order.begin(), order.end(), kind) - order.begin());
  };
  auto reported = [&](const std::string& kind) {
    return std::any_of(skipped.begin(), skipped.end(), [&](const std::string& s) {
      return s.find("skipped " + kind + ":") != std::string::npos;
    });
  };
  std::set<std::string> seen;
  size_t next = 0;
  for (const Fault& f : feed.faults()) {
    if (!LiveFaultPlanner::IsOnline(f.kind)) continue;  // tonight's batch fault
    for (size_t k = next; k % order.size() != index(f.kind); ++k) {
      EXPECT_TRUE(reported(order[k % order.size()]))
          << order[k % order.size()] << " passed over before " << f.id << " " << f.kind;
    }
    next = index(f.kind) + 1;
    seen.insert(f.kind);
    if (f.start < start + 2 * kMsPerHour) ExpectSignature(*w, f, records);
  }
  EXPECT_GE(seen.size(), 8u) << "most online kinds find a target on a busy workday morning";
  for (const std::string& kind : order) {
    EXPECT_TRUE(seen.count(kind) || reported(kind)) << kind << " neither planned nor skipped";
  }
  // No code carries two faults at once.
  const auto& fs = feed.faults();
  for (size_t i = 0; i < fs.size(); ++i) {
    for (size_t j = i + 1; j < fs.size(); ++j) {
      if (fs[i].code < 0 || fs[i].code != fs[j].code) continue;
      EXPECT_GE(fs[j].start, fs[i].until.value_or(fs[i].end)) << fs[i].id << " " << fs[j].id;
    }
  }
}

TEST(LiveFaultsTest, NightHoursSkipWhatCannotFireThere) {
  const TimeMs start = At("2026-11-20T02:00:00+08:00");
  auto w = MakeWorld(start, 50);
  LiveFeed feed(*w, start, FeedWith("no_txn,volume_drop"));
  StepThrough(feed, start + 30 * kMsPerMinute, 10'000);
  std::vector<std::string> lines;
  for (const LiveEvent& e : feed.TakeEvents()) lines.push_back(e.text);
  for (const Fault& f : feed.faults()) {
    // A silence fault at night must be on a code watched at night.
    if (f.kind == "no_txn") {
      Monitor m = w->tuning().codes[static_cast<size_t>(f.code)].monitor;
      EXPECT_TRUE(m == Monitor::kIdle || m == Monitor::kBoth) << f.desc;
    }
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind("02:05 ", 0), 0u) << lines[0];
}

TEST(LiveFaultsTest, BatchFailureGoesOnTheEveningPlanOfAWorkday) {
  const TimeMs start = At("2026-11-20T17:00:00+08:00");
  auto w = MakeWorld(start, 5);
  LiveFeed feed(*w, start, FeedWith("batch_failure"));
  std::vector<SimRecord> records = StepThrough(feed, At("2026-11-21T00:00:00+08:00"), 60'000);
  ASSERT_EQ(feed.faults().size(), 1u);
  const Fault& f = feed.faults()[0];
  EXPECT_EQ(f.kind, "batch_failure");
  const int b001 = static_cast<int>(w->bank().codes.size());  // the first end-of-day code
  std::vector<SimRecord> runs;
  for (const SimRecord& r : records) {
    if (r.code == b001) runs.push_back(r);
  }
  // start, failed end, rerun start, good end
  ASSERT_EQ(runs.size(), 4u);
  const int16_t failed = static_cast<int16_t>(w->bank().eod_codes[0].system_ret);
  EXPECT_EQ(runs[1].phase, RecPhase::kEnd);
  EXPECT_EQ(runs[1].ret, failed);
  EXPECT_EQ(runs[3].phase, RecPhase::kEnd);
  EXPECT_NE(runs[3].ret, failed);
  EXPECT_EQ(runs[0].ts, f.start);
  EXPECT_EQ(runs[3].Time(), f.end);
  std::vector<LiveEvent> events = feed.TakeEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].text.find("fault batch_failure on EOD_INTEREST of 2026-11-20"),
            std::string::npos)
      << events[0].text;
}

TEST(LiveFaultsTest, ReconMissingLeavesTheDayWithoutThatResult) {
  const TimeMs start = At("2026-11-20T04:00:00+08:00");
  auto w = MakeWorld(start, 5);
  LiveFeed feed(*w, start, FeedWith("recon_missing"));
  std::vector<SimRecord> records = StepThrough(feed, At("2026-11-20T08:00:00+08:00"), 60'000);
  ASSERT_EQ(feed.faults().size(), 1u);
  EXPECT_EQ(feed.faults()[0].kind, "recon_missing");
  const int base = static_cast<int>(w->bank().codes.size());
  size_t unionpay = 0, netsunion = 0;  // R001, R002: end-of-day codes 3 and 4
  for (const SimRecord& r : records) {
    unionpay += r.code == base + 3;
    netsunion += r.code == base + 4;
  }
  EXPECT_EQ(unionpay, 1u);
  EXPECT_EQ(netsunion, 0u);
}

TEST(LiveFaultsTest, ABatchFaultIsNotPlannedWhenTheEveningHasBegun) {
  const TimeMs start = At("2026-11-20T18:30:00+08:00");
  auto w = MakeWorld(start, 5);
  LiveFeed feed(*w, start, FeedWith("batch_late_start"));
  StepThrough(feed, At("2026-11-20T23:59:00+08:00"), 60'000);
  EXPECT_TRUE(feed.faults().empty()) << "its announcement would lie in the past";
}

TEST(LiveWorldTest, ConfigurationLoadsAndNamesEveryCode) {
  const TimeMs now = At("2026-11-20T11:00:00+08:00");
  auto w = MakeWorld(now, 500, 3, 150);
  ConfigLoad load = LoadConfigText(w->ConfigYaml());
  ASSERT_TRUE(load.ok()) << load.errors[0].ToString();
  EXPECT_EQ(w->ConfigYaml(), MakeWorld(now + 3 * kMsPerHour, 500, 3, 150)->ConfigYaml())
      << "a second run the same day writes the same configuration";
  EXPECT_NE(w->ConfigYaml().find("A001"), std::string::npos);
}

TEST(LiveWorldTest, BackfillHoldsTheDaysBeforeTodayOfTheSameBank) {
  const TimeMs now = At("2026-11-20T11:00:00+08:00");
  auto w = MakeWorld(now, 2, 3, 50, 3);
  std::string dir = testing::TempDir();
  std::string path = dir + "/live-backfill-" + std::to_string(getpid()) + ".jsonl";
  absl::StatusOr<BackfillResult> r = w->WriteBackfill(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->first_day, "2026-11-17");
  EXPECT_EQ(r->last_day, "2026-11-19");
  std::ifstream in(path);
  std::string line;
  int64_t n = 0, batch = 0;
  const TimeMs from = At("2026-11-17T00:00:00+08:00"), to = At("2026-11-20T00:00:00+08:00");
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    TimeMs ts = 0;
    ASSERT_EQ(ParseRfc3339Ms(j["ts"].get<std::string>(), &ts), TimeParse::kOk);
    ASSERT_GE(ts, from) << line;
    ASSERT_LT(ts, to) << line;
    batch += j["txn"] == "B001";
    ++n;
  }
  EXPECT_EQ(n, r->gen.records);
  EXPECT_GT(n, 10'000);
  EXPECT_EQ(batch, 6) << "start and end of EOD_INTEREST on three workdays";
  std::remove(path.c_str());
  LiveOptions none;
  none.backfill_days = 0;
  auto empty = LiveWorld::Create(none, now);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE((*empty)->WriteBackfill(path).ok()) << "no days to write";
}

TEST(LiveWorldTest, UnusableOptionsAreNamed) {
  LiveOptions o;
  o.peak_rate = 0;
  EXPECT_NE(LiveWorld::Create(o, 0).status().message().find("--rate"), absl::string_view::npos);
  o = LiveOptions{};
  o.backfill_days = 61;
  EXPECT_NE(LiveWorld::Create(o, 0).status().message().find("--backfill-days"),
            absl::string_view::npos);
  o = LiveOptions{};
  o.timezone = "Mars/Olympus";
  EXPECT_FALSE(LiveWorld::Create(o, 0).ok());
}

}  // namespace
}  // namespace vigil::sim
