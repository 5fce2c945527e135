// Tests of configuration loading (the contract's section 3 example and examples/vigil.yaml),
// rule and class names, and ResolveParams layering including the severity rule.
// Error reporting is tested in config_errors_test.cc.
#include "common/config.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

// The example of the contract's section 3, verbatim.
constexpr const char* kSpecExample = R"(timezone: Asia/Shanghai            # IANA name
allowed_lateness: 30s
max_future_skew: 1h
calendar:
  busy_hours: "08:00-19:00"        # on workdays; may list several ranges: ["08:00-11:30", "13:00-19:00"]
  weekend: [sat, sun]
  holidays: ["2026-10-01"]         # idle all day
  workdays: ["2026-09-27"]         # make-up workdays on a weekend (调休)
return_codes:
  unknown_class: business
  global: {success: ["000000"], business: ["1*"], system: ["9*", "201999"]}
  by_sys: {CARD: {success: ["00"], business: ["51"], system: ["91"]}}
  by_txn: {A001: {business: ["100404"]}}
service_systems:
  ACCT: {name: 核心账务, success: ["0000"], service_success_min: 0.98, window: 5m, min_count: 20}
txn_codes:                          # 交易码参数
  A001: {name: 查询挂账, sys: MBNK, svc_sys: ACCT, financial: false, monitor: both}
defaults: {window: 5m, min_count: 20, system_success_min: 0.99}    # any parameter below
overrides:
  A007: {abnormal_threshold: 1, off: [volume_ratio]}
batch:
  - {name: EOD_INTEREST, txn: B001, opens: "18:00", latest_start: "22:30", max_duration: 60m, latest_end: "25:30", days: workdays}
recon:
  - {name: UNIONPAY, txn: R001, start: "06:00", end: "07:00", factor: 3, floor_count: 10, floor_amount: 1000, days: all}
)";

std::string Errors(const ConfigLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += e.ToString() + "\n";
  return out;
}

Config LoadOk(const std::string& yaml) {
  ConfigLoad load = LoadConfigText(yaml);
  EXPECT_TRUE(load.ok()) << Errors(load);
  return load.config;
}

TEST(ConfigLoadTest, SpecExampleTopLevelAndCalendar) {
  Config c = LoadOk(kSpecExample);
  EXPECT_EQ(c.timezone, "Asia/Shanghai");
  EXPECT_EQ(c.allowed_lateness_ms, 30'000);
  EXPECT_EQ(c.max_future_skew_ms, 3'600'000);
  ASSERT_EQ(c.calendar.busy_hours.size(), 1u);
  EXPECT_EQ(c.calendar.busy_hours[0].begin_minute, 480);
  EXPECT_EQ(c.calendar.busy_hours[0].end_minute, 1140);
  EXPECT_EQ(c.calendar.weekend, (std::vector<int>{6, 7}));
  EXPECT_EQ(c.calendar.holidays, (std::vector<absl::CivilDay>{absl::CivilDay(2026, 10, 1)}));
  EXPECT_EQ(c.calendar.workdays, (std::vector<absl::CivilDay>{absl::CivilDay(2026, 9, 27)}));
}

TEST(ConfigLoadTest, SpecExampleReturnCodesAndSystems) {
  Config c = LoadOk(kSpecExample);
  const ReturnCodeConfig& rc = c.return_codes;
  EXPECT_EQ(rc.unknown_class, RetClass::kBusiness);
  EXPECT_EQ(rc.global.success, (std::vector<std::string>{"000000"}));
  EXPECT_EQ(rc.global.business, (std::vector<std::string>{"1*"}));
  EXPECT_EQ(rc.global.system, (std::vector<std::string>{"9*", "201999"}));
  ASSERT_EQ(rc.by_sys.count("CARD"), 1u);
  EXPECT_EQ(rc.by_sys.at("CARD").success, (std::vector<std::string>{"00"}));
  EXPECT_EQ(rc.by_sys.at("CARD").system, (std::vector<std::string>{"91"}));
  ASSERT_EQ(rc.by_txn.count("A001"), 1u);
  EXPECT_TRUE(rc.by_txn.at("A001").success.empty());
  EXPECT_EQ(rc.by_txn.at("A001").business, (std::vector<std::string>{"100404"}));

  const ServiceSystemConfig& acct = c.service_systems.at("ACCT");
  EXPECT_EQ(acct.name, "核心账务");
  EXPECT_EQ(acct.success, (std::vector<std::string>{"0000"}));
  EXPECT_EQ(acct.service_success_min, 0.98);
  EXPECT_EQ(acct.window_ms, 300'000);
  EXPECT_EQ(acct.min_count, 20);
  EXPECT_FALSE(acct.for_ms.has_value());
  EXPECT_FALSE(acct.severity.has_value());

  const TxnCodeConfig* a001 = c.FindCode("A001");
  ASSERT_NE(a001, nullptr);
  EXPECT_EQ(a001->name, "查询挂账");
  EXPECT_EQ(a001->sys, "MBNK");
  EXPECT_EQ(a001->svc_sys, "ACCT");
  EXPECT_FALSE(a001->financial);
  EXPECT_EQ(a001->params.monitor, Periods::kBoth);
  EXPECT_EQ(c.FindCode("A007"), nullptr);
}

TEST(ConfigLoadTest, SpecExampleBatchAndRecon) {
  Config c = LoadOk(kSpecExample);
  ASSERT_EQ(c.batch.size(), 1u);
  const BatchStepConfig& b = c.batch[0];
  EXPECT_EQ(b.name, "EOD_INTEREST");
  EXPECT_EQ(b.txn, "B001");
  EXPECT_EQ(b.opens_minute, 18 * 60);
  EXPECT_EQ(b.latest_start_minute, 22 * 60 + 30);
  EXPECT_EQ(b.max_duration_ms, 3'600'000);
  EXPECT_EQ(b.latest_end_minute, 25 * 60 + 30);
  EXPECT_EQ(b.days, DaySelect::kWorkdays);
  EXPECT_FALSE(b.severity.has_value());
  ASSERT_EQ(c.recon.size(), 1u);
  const ReconCheckConfig& r = c.recon[0];
  EXPECT_EQ(r.name, "UNIONPAY");
  EXPECT_EQ(r.txn, "R001");
  EXPECT_EQ(r.start_minute, 360);
  EXPECT_EQ(r.end_minute, 420);
  EXPECT_EQ(r.factor, 3);
  EXPECT_EQ(r.floor_count, 10);
  EXPECT_EQ(r.floor_amount, 1000);
  EXPECT_EQ(r.days, DaySelect::kAll);
  EXPECT_FALSE(r.baseline_days.has_value());
}

TEST(ConfigLoadTest, SpecExampleResolvedParams) {
  Config c = LoadOk(kSpecExample);
  CodeParams a007 = c.ResolveParams("A007");  // override only, not in txn_codes
  EXPECT_EQ(a007.abnormal_threshold, 1);
  EXPECT_TRUE(a007.IsOff(Rule::kVolumeRatio));
  EXPECT_FALSE(a007.IsOff(Rule::kAbnormalCount));
  EXPECT_EQ(a007.window_ms, 300'000);
  EXPECT_EQ(a007.system_success_min, 0.99);
  CodeParams a001 = c.ResolveParams("A001");
  EXPECT_EQ(a001.monitor, Periods::kBoth);
  EXPECT_EQ(a001.abnormal_threshold, 10);
  EXPECT_FALSE(a001.IsOff(Rule::kVolumeRatio));
  EXPECT_EQ(a001.severity, "warning");
  EXPECT_EQ(c.DefaultServiceSuccessMin(), 0.99);
}

TEST(ConfigLoadTest, EmptyDocumentGivesTheBuiltInDefaults) {
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    Config c = LoadOk(text);
    EXPECT_EQ(c.timezone, "Asia/Shanghai");
    EXPECT_EQ(c.allowed_lateness_ms, 30'000);
    EXPECT_EQ(c.calendar.busy_hours.size(), 1u);
    EXPECT_TRUE(c.txn_codes.empty());
    EXPECT_EQ(c.return_codes.unknown_class, RetClass::kBusiness);
  }
}

TEST(ConfigLoadTest, ReturnCodesKeepTheirTextEvenUnquoted) {
  Config c = LoadOk("return_codes:\n  global: {success: [000000, 00, 0x1F, 1e3], system: [9*]}\n");
  EXPECT_EQ(c.return_codes.global.success,
            (std::vector<std::string>{"000000", "00", "0x1F", "1e3"}));
  EXPECT_EQ(c.return_codes.global.system, (std::vector<std::string>{"9*"}));
}

TEST(ConfigLoadTest, BusyHoursAsAListAndEmpty) {
  Config c =
      LoadOk("calendar:\n  busy_hours: [\"13:00-19:00\", \"08:00-11:30\", \"19:00-24:00\"]\n");
  ASSERT_EQ(c.calendar.busy_hours.size(), 3u);
  EXPECT_EQ(c.calendar.busy_hours[0].begin_minute, 480);  // sorted
  EXPECT_EQ(c.calendar.busy_hours[0].end_minute, 690);
  EXPECT_EQ(c.calendar.busy_hours[2].end_minute, 1440);
  EXPECT_TRUE(LoadOk("calendar: {busy_hours: []}\n").calendar.busy_hours.empty());
}

TEST(ConfigLoadTest, WeekendAcceptsFullNamesAndOtherDays) {
  Config c = LoadOk("calendar: {weekend: [Friday, sat]}\n");
  EXPECT_EQ(c.calendar.weekend, (std::vector<int>{5, 6}));
}

TEST(ConfigLoadTest, BoundaryValuesAreAccepted) {
  Config c = LoadOk(R"(allowed_lateness: 0s
max_future_skew: 1ms
defaults: {window: 1m, min_count: 0, for: 0m, system_success_min: 0, business_success_min: 1,
           ratio_bounds: [0, 0], baseline_days: 30, per_node: yes, off: []}
batch:
  - {name: S, txn: B, opens: "00:00", latest_start: "00:00", latest_end: "23:59"}
  - {name: T, txn: B, opens: "24:00", latest_end: "47:59"}
)");
  EXPECT_EQ(c.allowed_lateness_ms, 0);
  EXPECT_EQ(c.defaults.window_ms, 60'000);
  EXPECT_EQ(c.defaults.min_count, 0);
  EXPECT_EQ(c.defaults.business_success_min, 1.0);
  EXPECT_EQ(c.defaults.ratio_bounds, std::make_pair(0.0, 0.0));
  EXPECT_EQ(c.defaults.per_node, true);
  EXPECT_EQ(c.batch[1].latest_end_minute, 47 * 60 + 59);
}

TEST(ConfigLoadTest, ExampleFileLoadsWithEveryKey) {
  ConfigLoad load = LoadConfigFile(std::string(VIGIL_SOURCE_DIR) + "/examples/vigil.yaml");
  ASSERT_TRUE(load.ok()) << Errors(load);
  const Config& c = load.config;
  EXPECT_EQ(c.calendar.busy_hours.size(), 2u);
  EXPECT_EQ(c.calendar.holidays.size(), 3u);
  EXPECT_EQ(c.service_systems.size(), 2u);
  EXPECT_EQ(c.txn_codes.size(), 4u);
  EXPECT_EQ(c.service_systems.at("ACCT").for_ms, 120'000);
  EXPECT_EQ(c.service_systems.at("ACCT").severity, "critical");
  EXPECT_EQ(c.batch.size(), 1u);
  EXPECT_EQ(c.recon.at(0).baseline_days, 5);
  EXPECT_EQ(c.recon.at(0).severity, "critical");
  // Every per-code parameter is set in some layer of the example.
  const ParamLayer& d = c.defaults;
  const ParamLayer& a005 = c.txn_codes.at("A005").params;
  EXPECT_TRUE(d.window_ms && d.min_count && d.system_success_min && d.business_success_min &&
              d.service_success_min && d.ratio_periods && d.ratio_window_ms && d.ratio_bounds &&
              d.ratio_min_baseline && d.baseline_days && d.abnormal_period_ms &&
              d.abnormal_threshold && d.timeout_ms && d.timeout_period_ms && d.timeout_threshold &&
              d.for_ms && d.severity && d.off);
  EXPECT_TRUE(a005.monitor && a005.per_node && a005.silence_ms && a005.ret_ratio);
  CodeParams p = c.ResolveParams("A005");
  EXPECT_EQ(p.severity, "critical");  // financial
  EXPECT_EQ(p.ret_ratio.at("100404"), std::make_pair(0.0, 0.05));
  EXPECT_EQ(p.silence_ms, 15 * 60'000);
}

TEST(NamesTest, RulesRoundTripInByteOrder) {
  for (int i = 0; i < kRuleCount; ++i) {
    Rule r = static_cast<Rule>(i);
    ASSERT_EQ(RuleFromName(RuleName(r)), r);
    if (i > 0) {
      EXPECT_LT(std::string(RuleName(static_cast<Rule>(i - 1))), RuleName(r));
    }
  }
  EXPECT_STREQ(RuleName(Rule::kVolumeRatio), "volume_ratio");
  EXPECT_FALSE(RuleFromName("volum_ratio").has_value());
  EXPECT_FALSE(RuleFromName("").has_value());
  EXPECT_STREQ(RetClassName(RetClass::kSuccess), "success");
  EXPECT_STREQ(RetClassName(RetClass::kBusiness), "business");
  EXPECT_STREQ(RetClassName(RetClass::kSystem), "system");
  EXPECT_STREQ(PeriodsName(Periods::kBusy), "busy");
  EXPECT_STREQ(PeriodsName(Periods::kIdle), "idle");
  EXPECT_STREQ(PeriodsName(Periods::kBoth), "both");
  EXPECT_STREQ(PeriodsName(Periods::kNeither), "neither");
}

TEST(ConfigErrorTest, ToStringLeavesOutUnknownParts) {
  EXPECT_EQ((ConfigError{"overrides.A007.off[0]", 12, "unknown rule"}).ToString(),
            "line 12: overrides.A007.off[0]: unknown rule");
  EXPECT_EQ((ConfigError{"", 3, "YAML syntax error"}).ToString(), "line 3: YAML syntax error");
  EXPECT_EQ((ConfigError{"", 0, "cannot read"}).ToString(), "cannot read");
}

}  // namespace
}  // namespace vigil
