// Tests of Config::ResolveParams: overrides.<code> over txn_codes.<code> over defaults over the
// built-in defaults; maps and lists replaced whole; the severity rule for financial codes.
#include <gtest/gtest.h>

#include <string>

#include "common/config.h"

namespace vigil {
namespace {

Config Load(const std::string& yaml) {
  ConfigLoad load = LoadConfigText(yaml);
  EXPECT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors[0].ToString());
  return load.config;
}

TEST(ResolveParamsTest, BuiltInDefaultsForAnUnknownCode) {
  CodeParams p = Load("").ResolveParams("Z999");
  EXPECT_EQ(p.window_ms, 5 * 60'000);
  EXPECT_EQ(p.min_count, 20);
  EXPECT_EQ(p.system_success_min, 0.99);
  EXPECT_FALSE(p.business_success_min.has_value());
  EXPECT_TRUE(p.ret_ratio.empty());
  EXPECT_FALSE(p.service_success_min.has_value());
  EXPECT_EQ(p.monitor, Periods::kNeither);
  EXPECT_FALSE(p.per_node);
  EXPECT_EQ(p.silence_ms, 10 * 60'000);
  EXPECT_EQ(p.ratio_periods, Periods::kBusy);
  EXPECT_EQ(p.ratio_window_ms, 60 * 60'000);
  EXPECT_EQ(p.ratio_bounds, std::make_pair(0.8, 1.2));
  EXPECT_EQ(p.ratio_min_baseline, 100);
  EXPECT_EQ(p.baseline_days, 4);
  EXPECT_EQ(p.abnormal_period_ms, 10 * 60'000);
  EXPECT_EQ(p.abnormal_threshold, 10);
  EXPECT_EQ(p.timeout_ms, 600);
  EXPECT_EQ(p.timeout_period_ms, 10 * 60'000);
  EXPECT_EQ(p.timeout_threshold, 4);
  EXPECT_EQ(p.for_ms, 0);
  EXPECT_EQ(p.severity, "warning");
  for (int i = 0; i < kRuleCount; ++i) EXPECT_FALSE(p.IsOff(static_cast<Rule>(i)));
}

TEST(ResolveParamsTest, NearestLayerWinsPerParameter) {
  Config c = Load(R"(
defaults: {window: 10m, min_count: 50, timeout_ms: 800, silence: 20m}
txn_codes:
  A001: {window: 3m, min_count: 5}
overrides:
  A001: {window: 2m}
)");
  CodeParams p = c.ResolveParams("A001");
  EXPECT_EQ(p.window_ms, 2 * 60'000);    // override
  EXPECT_EQ(p.min_count, 5);             // txn_codes
  EXPECT_EQ(p.timeout_ms, 800);          // defaults
  EXPECT_EQ(p.silence_ms, 20 * 60'000);  // defaults
  EXPECT_EQ(p.timeout_threshold, 4);     // built-in
  CodeParams other = c.ResolveParams("B002");
  EXPECT_EQ(other.window_ms, 10 * 60'000);
  EXPECT_EQ(other.min_count, 50);
}

TEST(ResolveParamsTest, RetRatioAndOffAreReplacedWholeNotMerged) {
  Config c = Load(R"(
defaults:
  ret_ratio: {"100404": [0, 0.1]}
  off: [ret_ratio, no_txn]
txn_codes:
  A001: {ret_ratio: {"200001": [0.5, 1]}}
  A002: {}
overrides:
  A001: {off: []}
  A002: {off: [volume_ratio]}
)");
  CodeParams a1 = c.ResolveParams("A001");
  EXPECT_EQ(a1.ret_ratio.size(), 1u);
  EXPECT_EQ(a1.ret_ratio.at("200001"), std::make_pair(0.5, 1.0));
  for (int i = 0; i < kRuleCount; ++i) EXPECT_FALSE(a1.IsOff(static_cast<Rule>(i)));
  CodeParams a2 = c.ResolveParams("A002");
  EXPECT_EQ(a2.ret_ratio.size(), 1u);
  EXPECT_EQ(a2.ret_ratio.at("100404"), std::make_pair(0.0, 0.1));
  EXPECT_TRUE(a2.IsOff(Rule::kVolumeRatio));
  EXPECT_FALSE(a2.IsOff(Rule::kRetRatio));
  EXPECT_FALSE(a2.IsOff(Rule::kNoTxn));
  CodeParams other = c.ResolveParams("A003");
  EXPECT_TRUE(other.IsOff(Rule::kRetRatio));
  EXPECT_TRUE(other.IsOff(Rule::kNoTxn));
  EXPECT_FALSE(other.IsOff(Rule::kVolumeRatio));
}

TEST(ResolveParamsTest, SeverityRule) {
  Config c = Load(R"(
defaults: {severity: info}
txn_codes:
  FIN: {financial: true}
  FIN_WARN: {financial: true, severity: warning}
  FIN_OVR: {financial: true}
  PLAIN: {}
  PLAIN_TXN: {severity: critical}
overrides:
  FIN_OVR: {severity: info}
  PLAIN_TXN: {severity: warning}
)");
  EXPECT_EQ(c.ResolveParams("FIN").severity, "critical");       // financial beats defaults
  EXPECT_EQ(c.ResolveParams("FIN_WARN").severity, "warning");   // explicit on the code wins
  EXPECT_EQ(c.ResolveParams("FIN_OVR").severity, "info");       // explicit override wins
  EXPECT_EQ(c.ResolveParams("PLAIN").severity, "info");         // defaults.severity
  EXPECT_EQ(c.ResolveParams("PLAIN_TXN").severity, "warning");  // override over txn_codes
  EXPECT_EQ(c.ResolveParams("UNCONFIGURED").severity, "info");
  Config bare = Load("txn_codes: {FIN: {financial: true}, PLAIN: {financial: false}}\n");
  EXPECT_EQ(bare.ResolveParams("FIN").severity, "critical");
  EXPECT_EQ(bare.ResolveParams("PLAIN").severity, "warning");
  EXPECT_EQ(bare.ResolveParams("OTHER").severity, "warning");
}

TEST(ResolveParamsTest, ServiceSuccessMinIsTheCodesOwnOnly) {
  Config c = Load(R"(
defaults: {service_success_min: 0.95}
txn_codes:
  A001: {service_success_min: 0.9}
  A002: {}
overrides:
  A002: {service_success_min: 0.8}
  A001: {service_success_min: 0.85}
)");
  EXPECT_EQ(c.ResolveParams("A001").service_success_min, 0.85);
  EXPECT_EQ(c.ResolveParams("A002").service_success_min, 0.8);
  EXPECT_FALSE(c.ResolveParams("A003").service_success_min.has_value());
  EXPECT_EQ(c.DefaultServiceSuccessMin(), 0.95);
  EXPECT_EQ(Load("").DefaultServiceSuccessMin(), 0.99);
}

TEST(ResolveParamsTest, EveryParameterCanBeOverridden) {
  Config c = Load(R"(
overrides:
  X: {window: 7m, min_count: 3, system_success_min: 0.5, business_success_min: 0.6,
      ret_ratio: {"01": [0, 0.2]}, service_success_min: 0.7, monitor: idle, per_node: true,
      silence: 30m, ratio_periods: both, ratio_window: 2h, ratio_bounds: [0.5, 2],
      ratio_min_baseline: 10, baseline_days: 7, abnormal_period: 5m, abnormal_threshold: 2,
      timeout_ms: 3000, timeout_period: 15m, timeout_threshold: 9, for: 3m, severity: info,
      off: [batch, recon]}
)");
  CodeParams p = c.ResolveParams("X");
  EXPECT_EQ(p.window_ms, 7 * 60'000);
  EXPECT_EQ(p.min_count, 3);
  EXPECT_EQ(p.system_success_min, 0.5);
  EXPECT_EQ(p.business_success_min, 0.6);
  EXPECT_EQ(p.ret_ratio.at("01"), std::make_pair(0.0, 0.2));
  EXPECT_EQ(p.service_success_min, 0.7);
  EXPECT_EQ(p.monitor, Periods::kIdle);
  EXPECT_TRUE(p.per_node);
  EXPECT_EQ(p.silence_ms, 30 * 60'000);
  EXPECT_EQ(p.ratio_periods, Periods::kBoth);
  EXPECT_EQ(p.ratio_window_ms, 120 * 60'000);
  EXPECT_EQ(p.ratio_bounds, std::make_pair(0.5, 2.0));
  EXPECT_EQ(p.ratio_min_baseline, 10);
  EXPECT_EQ(p.baseline_days, 7);
  EXPECT_EQ(p.abnormal_period_ms, 5 * 60'000);
  EXPECT_EQ(p.abnormal_threshold, 2);
  EXPECT_EQ(p.timeout_ms, 3000);
  EXPECT_EQ(p.timeout_period_ms, 15 * 60'000);
  EXPECT_EQ(p.timeout_threshold, 9);
  EXPECT_EQ(p.for_ms, 3 * 60'000);
  EXPECT_EQ(p.severity, "info");
  EXPECT_TRUE(p.IsOff(Rule::kBatch));
  EXPECT_TRUE(p.IsOff(Rule::kRecon));
  EXPECT_FALSE(p.IsOff(Rule::kNoTxn));
}

}  // namespace
}  // namespace vigil
