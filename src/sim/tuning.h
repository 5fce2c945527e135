// Derives a well-tuned monitoring configuration from the bank's expected traffic, the way the
// source article suggests (参数根据基线自动计算): every threshold sits far out in the tail of
// what normal traffic can produce, so that millions of evaluations stay quiet, while real
// faults still cross it.
//
// The tail bound used throughout is kEpsilon per evaluation, computed with Poisson or binomial
// tails at the level extremes the traffic model allows (kLevelLow / kLevelHigh).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/bank_model.h"

namespace vigil::sim {

inline constexpr double kEpsilon = 1e-9;
inline constexpr int kWindowMin = 5;  // the rate rules' window
inline constexpr int kAbnormalPeriodMin = 10;
inline constexpr int kTimeoutPeriodMin = 10;
inline constexpr int kRatioWindowMin = 60;
inline constexpr int kBaselineDays = 4;

enum class Monitor : uint8_t { kNeither, kBusy, kIdle, kBoth };
const char* MonitorName(Monitor m);

struct RetRange {
  int ret = 0;  // index into Bank::rets
  double lo = 0, hi = 1;
};

// Expected traffic of one code (records per minute), at the level extremes.
struct CodeStats {
  double peak = 0;        // highest minute rate, any day type, at kLevelHigh
  double busy_min = 0;    // lowest busy minute (workday 08:00-19:00), at kLevelLow
  double idle_min = 0;    // lowest idle minute (nights, holidays), at kLevelLow
  double busy_mean = 0;   // mean busy minute at level 1
  double busy60_max = 0;  // largest 60-minute count ending in busy hours, level 1
};

struct CodeTuning {
  CodeStats stats;
  int window_min = kWindowMin;  // the rate rules' window
  int64_t min_count = 100;
  double system_success_min = 0.9;
  std::optional<double> business_success_min;
  std::optional<double> service_success_min;  // only where the service system's is unsafe
  std::vector<RetRange> ret_ratio;
  Monitor monitor = Monitor::kNeither;
  int silence_min = 10;
  bool per_node = false;
  std::pair<double, double> ratio_bounds = {0.6, 1.5};
  double ratio_min_baseline = 1000;
  int64_t abnormal_threshold = 10;
  int64_t timeout_ms = 600;
  int64_t timeout_threshold = 4;
};

struct ServiceTuning {
  double min = 0.95;
  int64_t min_count = 100;
};

struct Tuning {
  CodeTuning defaults;                  // written as `defaults`
  std::vector<CodeTuning> codes;        // parallel to Bank::codes
  std::vector<ServiceTuning> services;  // parallel to Bank::services
  // The volume_ratio menu: bounds with the smallest baseline at which they are safe.
  std::vector<std::pair<std::pair<double, double>, double>> ratio_menu;
};

Tuning TuneBank(const Bank& bank);

// The smallest baseline (expected count) at which `bounds` hold normal noise (exposed for
// tests and the fault planner).
double SafeRatioBaseline(std::pair<double, double> bounds);
// Probability that a lognormal latency exceeds `timeout_ms`.
double TimeoutProbability(const TxnCode& code, double timeout_ms);

}  // namespace vigil::sim
