// Unit tests of the simulator's writers (records as JSON Lines and CSV, the configuration,
// the manifest) and of the tail statistics the tuner relies on.
#include <cmath>
#include <map>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sim/config_writer.h"
#include "sim/manifest_writer.h"
#include "sim/random.h"
#include "sim/record_writer.h"
#include "sim/stats.h"
#include "sim_fixture.h"
#include "yaml-cpp/yaml.h"

namespace vigil::sim {
namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

// The record's fields as text, from either format.
std::map<std::string, std::string> FromJson(const std::string& line) {
  std::map<std::string, std::string> m;
  nlohmann::json j = nlohmann::json::parse(line);
  for (auto& [k, v] : j.items()) {
    m[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return m;
}

TEST(WriterTest, CsvAndJsonLinesCarryTheSameFields) {
  auto w = SimWorld::Make(60, 40'000, 6, 2, "all");
  std::vector<SimRecord> records = w->Generate(2);
  RecordWriter json(w->bank, w->calendar.tz(), RecordFormat::kJsonLines, nullptr);
  RecordWriter csv(w->bank, w->calendar.tz(), RecordFormat::kCsv, nullptr);
  std::vector<std::string> header = SplitCsv(
      "ts,txn,ret,dur_ms,sys,svc_sys,svc_ret,node,serial,org,amount,msg,phase,mismatch_count,"
      "mismatch_amount");
  std::set<std::string> seen;
  for (const SimRecord& r : records) {
    std::string j = json.Format(r), c = csv.Format(r);
    ASSERT_EQ(j.back(), '\n');
    ASSERT_EQ(c.back(), '\n');
    std::map<std::string, std::string> from_json = FromJson(j);
    std::vector<std::string> cells = SplitCsv(c.substr(0, c.size() - 1));
    ASSERT_EQ(cells.size(), header.size()) << c;
    std::map<std::string, std::string> from_csv;
    for (size_t i = 0; i < header.size(); ++i) {
      if (!cells[i].empty()) from_csv[header[i]] = cells[i];
    }
    for (auto& [k, v] : from_json) {
      if (k == "amount" || k == "mismatch_amount") {
        ASSERT_DOUBLE_EQ(std::stod(v), std::stod(from_csv[k])) << j << c;
        from_csv[k] = v;
      }
      seen.insert(k);
    }
    ASSERT_EQ(from_json, from_csv) << j << c;
  }
  for (const char* field :
       {"ts", "txn", "ret", "dur_ms", "sys", "svc_sys", "svc_ret", "node", "serial", "org",
        "amount", "msg", "phase", "mismatch_count", "mismatch_amount"}) {
    EXPECT_TRUE(seen.count(field)) << field;
  }
}

TEST(WriterTest, TimestampsCarryTheZoneOffsetAndMilliseconds) {
  auto w = SimWorld::Make(20, 1'000, 1, 3);
  RecordWriter json(w->bank, w->calendar.tz(), RecordFormat::kJsonLines, nullptr);
  SimRecord r;
  r.ts = w->calendar.day(0).start_ms + 15 * kMsPerHour + 8 * kMsPerMinute + 123;
  r.dur = 5;
  std::string line = json.Format(r);
  EXPECT_NE(line.find(R"("ts":"2026-11-16T15:08:00.123+08:00")"), std::string::npos) << line;
}

TEST(WriterTest, ConfigIsValidYamlListingEveryCode) {
  auto w = SimWorld::Make(300, 2'000'000, 6, 4);
  YAML::Node y = YAML::Load(ConfigYaml(w->bank, w->tuning, w->calendar, *w->eod, "test"));
  EXPECT_EQ(y["timezone"].as<std::string>(), "Asia/Shanghai");
  EXPECT_EQ(y["txn_codes"].size(), 300u + 5u);
  EXPECT_EQ(y["txn_codes"]["A001"]["name"].as<std::string>(), "查询挂账");
  EXPECT_EQ(y["return_codes"]["global"]["success"][0].as<std::string>(), "000000");
  EXPECT_EQ(y["batch"].size(), 3u);
  EXPECT_EQ(y["recon"].size(), 2u);
  bool has_national_day = false;
  for (const auto& d : y["calendar"]["holidays"])
    has_national_day |= d.as<std::string>() == "2026-10-01";
  EXPECT_TRUE(has_national_day);
  int monitored = 0;
  for (const auto& kv : y["txn_codes"])
    monitored += kv.second["monitor"] && kv.second["monitor"].as<std::string>() != "neither";
  EXPECT_GT(monitored, 5);
}

TEST(WriterTest, ManifestHasOneFaultPerLineWithExpectations) {
  auto w = SimWorld::Make(100, 2'000'000, 6, 11, "all");
  std::string text = ManifestJsonl(w->plan.faults, w->calendar);
  std::stringstream ss(text);
  std::string line;
  size_t n = 0;
  while (std::getline(ss, line)) {
    nlohmann::json f = nlohmann::json::parse(line);
    EXPECT_FALSE(f["expect"].empty()) << line;
    EXPECT_EQ(f["rule"], f["expect"][0]["rule"]);
    EXPECT_EQ(f["key"], f["expect"][0]["key"]);
    ++n;
  }
  EXPECT_EQ(n, w->plan.faults.size());
  EXPECT_EQ(n, 15u);
}

TEST(StatsTest, TailsMatchKnownValues) {
  EXPECT_NEAR(PoissonTailAtLeast(1.0, 1), 1 - std::exp(-1.0), 1e-12);
  EXPECT_NEAR(PoissonTailAtLeast(2.0, 3), 1 - std::exp(-2.0) * (1 + 2 + 2), 1e-12);
  EXPECT_NEAR(PoissonTailAtMost(2.0, 1), std::exp(-2.0) * 3, 1e-12);
  EXPECT_NEAR(BinomialTailAtLeast(10, 0.5, 9), 11.0 / 1024, 1e-12);
  EXPECT_NEAR(BinomialTailAtMost(10, 0.5, 1), 11.0 / 1024, 1e-12);
  double far = PoissonTailAtLeast(0.001, 5);
  EXPECT_GT(far, 0);
  EXPECT_LT(far, 1e-16);
}

TEST(StatsTest, PoissonSamplerHasTheRightMeanAndVariance) {
  Rng rng(42);
  for (double lambda : {0.3, 4.0, 30.0, 800.0}) {
    double sum = 0, sq = 0;
    const int n = 40'000;
    for (int i = 0; i < n; ++i) {
      double k = static_cast<double>(rng.Poisson(lambda));
      sum += k, sq += k * k;
    }
    double mean = sum / n, var = sq / n - mean * mean;
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(var / lambda, 1.0, 0.05) << lambda;
  }
}

TEST(TuningTest, ThresholdsSitFarFromNormalTraffic) {
  auto w = SimWorld::Make(500, 5'000'000, 6, 12);
  for (size_t i = 0; i < w->bank.codes.size(); ++i) {
    const TxnCode& c = w->bank.codes[i];
    const CodeTuning& t = w->tuning.codes[i];
    double p_sys = c.system_rate +
                   (c.svc >= 0 ? w->bank.services[static_cast<size_t>(c.svc)].failure_rate : 0);
    EXPECT_LT(PoissonTailAtLeast(t.stats.peak * kAbnormalPeriodMin * p_sys, t.abnormal_threshold),
              kEpsilon)
        << c.code;
    if (t.monitor == Monitor::kBusy || t.monitor == Monitor::kBoth) {
      EXPECT_GE(t.stats.busy_min * t.silence_min, 25) << c.code;
    }
    if (t.monitor == Monitor::kIdle || t.monitor == Monitor::kBoth) {
      EXPECT_GE(t.stats.idle_min * t.silence_min, 25) << c.code;
    }
    if (t.per_node) {
      EXPECT_NE(t.monitor, Monitor::kNeither) << c.code;
    }
  }
  EXPECT_LT(SafeRatioBaseline({0.6, 1.5}), SafeRatioBaseline({0.8, 1.2}));
  // The article's A007: a quiet important financial code alerts on its first failure.
  EXPECT_EQ(w->tuning.codes[6].abnormal_threshold, 1);
}

}  // namespace
}  // namespace vigil::sim
