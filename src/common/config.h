// vigil's monitoring configuration (the contract's section 3), as loaded from YAML.
//
// The structs are plain data: defaults sit on the fields, `LoadConfig` validates once, and
// the result is then used `const`. Per-code parameters come in layers (`ParamLayer`): the
// built-in defaults, `defaults`, `txn_codes.<code>`, `overrides.<code>`; `ResolveParams`
// flattens them into one `CodeParams` for a code.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/alerting_config.h"
#include "common/calendar.h"
#include "common/desk_config.h"

namespace vigil {

// The ten rule kinds. The names are the contract's; their order here is byte order of the
// names, which is also the order alert events of one minute are written in.
enum class Rule : uint8_t {
  kAbnormalCount,    // "abnormal_count"
  kBatch,            // "batch"
  kBusinessSuccess,  // "business_success"
  kNoTxn,            // "no_txn"
  kRecon,            // "recon"
  kRetRatio,         // "ret_ratio"
  kServiceSuccess,   // "service_success"
  kSystemSuccess,    // "system_success"
  kTimeoutCount,     // "timeout_count"
  kVolumeRatio,      // "volume_ratio"
};
inline constexpr int kRuleCount = 10;
const char* RuleName(Rule r);
std::optional<Rule> RuleFromName(std::string_view name);

enum class RetClass : uint8_t { kSuccess, kBusiness, kSystem };
const char* RetClassName(RetClass c);  // "success" / "business" / "system"

// Periods of the calendar a rule applies in (忙闲标志).
enum class Periods : uint8_t { kBusy, kIdle, kBoth, kNeither };
const char* PeriodsName(Periods p);

// Which days a batch step or reconciliation check runs on.
enum class DaySelect : uint8_t { kAll, kWorkdays, kHolidays };
inline bool Selects(DaySelect select, DayType type) {
  return select == DaySelect::kAll || (select == DaySelect::kWorkdays) == (type == DayType::kWorkday);
}

// Return-code lists of one level; patterns may contain `*` (any run of characters).
struct RetLists {
  std::vector<std::string> success, business, system;
  bool empty() const { return success.empty() && business.empty() && system.empty(); }
};

struct ReturnCodeConfig {
  RetClass unknown_class = RetClass::kBusiness;
  RetLists global;
  std::map<std::string, RetLists> by_sys;
  std::map<std::string, RetLists> by_txn;
};

struct ServiceSystemConfig {
  std::string name;
  std::vector<std::string> success;  // patterns of svc_ret that mean success
  std::optional<double> service_success_min;
  std::optional<int64_t> window_ms;
  std::optional<int64_t> min_count;
  std::optional<int64_t> for_ms;
  std::optional<std::string> severity;
};

// One layer of per-code parameters: every field optional, so layers can be stacked.
struct ParamLayer {
  std::optional<int64_t> window_ms;
  std::optional<int64_t> min_count;
  std::optional<double> system_success_min;
  std::optional<double> business_success_min;
  std::optional<std::map<std::string, std::pair<double, double>>> ret_ratio;
  std::optional<double> service_success_min;
  std::optional<Periods> monitor;
  std::optional<bool> per_node;
  std::optional<int64_t> silence_ms;
  std::optional<Periods> ratio_periods;
  std::optional<int64_t> ratio_window_ms;
  std::optional<std::pair<double, double>> ratio_bounds;
  std::optional<double> ratio_min_baseline;
  std::optional<int> baseline_days;
  std::optional<int64_t> abnormal_period_ms;
  std::optional<int64_t> abnormal_threshold;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> timeout_period_ms;
  std::optional<int64_t> timeout_threshold;
  std::optional<int64_t> for_ms;
  std::optional<std::string> severity;
  std::optional<std::vector<Rule>> off;
};

// A code's flattened parameters (contract table in section 3). Windows are whole minutes.
struct CodeParams {
  int64_t window_ms = 5 * 60'000;
  int64_t min_count = 20;
  double system_success_min = 0.99;
  std::optional<double> business_success_min;  // off unless set
  std::map<std::string, std::pair<double, double>> ret_ratio;
  std::optional<double> service_success_min;  // the code's own override, if any
  Periods monitor = Periods::kNeither;
  bool per_node = false;
  int64_t silence_ms = 10 * 60'000;
  Periods ratio_periods = Periods::kBusy;
  int64_t ratio_window_ms = 60 * 60'000;
  std::pair<double, double> ratio_bounds = {0.8, 1.2};
  double ratio_min_baseline = 100;
  int baseline_days = 4;
  int64_t abnormal_period_ms = 10 * 60'000;
  int64_t abnormal_threshold = 10;
  int64_t timeout_ms = 600;
  int64_t timeout_period_ms = 10 * 60'000;
  int64_t timeout_threshold = 4;
  int64_t for_ms = 0;
  std::string severity = "warning";  // "critical" for financial codes unless set
  std::array<bool, kRuleCount> off{};  // indexed by Rule
  bool IsOff(Rule r) const { return off[static_cast<int>(r)]; }
};

struct TxnCodeConfig {
  std::string name;
  std::string sys;      // requesting system the code belongs to
  std::string svc_sys;  // service system it calls
  bool financial = false;
  ParamLayer params;  // any parameter may also be set here
};

struct BatchStepConfig {
  std::string name;
  std::string txn;
  int opens_minute = 0;                 // "opens", default 00:00
  std::optional<int> latest_start_minute;  // minutes after the business day's midnight
  std::optional<int64_t> max_duration_ms;
  std::optional<int> latest_end_minute;  // may pass 24:00
  DaySelect days = DaySelect::kAll;
  std::optional<std::string> severity;  // default "critical"
};

struct ReconCheckConfig {
  std::string name;
  std::string txn;
  int start_minute = 0;
  int end_minute = 0;
  double factor = 3;
  double floor_count = 0;
  double floor_amount = 0;
  DaySelect days = DaySelect::kAll;
  std::optional<int> baseline_days;     // default: the txn's baseline_days
  std::optional<std::string> severity;  // default "critical"
};

struct Config {
  std::string timezone = "Asia/Shanghai";
  int64_t allowed_lateness_ms = 30'000;
  int64_t max_future_skew_ms = 60 * 60'000;
  CalendarConfig calendar;
  ReturnCodeConfig return_codes;
  std::map<std::string, ServiceSystemConfig> service_systems;
  std::map<std::string, TxnCodeConfig> txn_codes;
  ParamLayer defaults;
  std::map<std::string, ParamLayer> overrides;
  std::vector<BatchStepConfig> batch;
  std::vector<ReconCheckConfig> recon;
  AlertingConfig alerting;
  DeskConfig desk;

  // overrides.<code>, then txn_codes.<code>, then defaults, then the built-in defaults.
  CodeParams ResolveParams(const std::string& code) const;
  const TxnCodeConfig* FindCode(const std::string& code) const;
  // The global service-success minimum: `defaults.service_success_min`, else 0.99. Used for
  // a service system without its own `service_success_min` (contract rule 4).
  double DefaultServiceSuccessMin() const;
};

// One problem found in a configuration file, located by YAML path and line.
struct ConfigError {
  std::string path;  // "calendar.busy_hours[1]", "overrides.A007.off[0]"
  int line = 0;      // 1-based; 0 when unknown (e.g. the file could not be read)
  std::string message;
  std::string ToString() const;  // "line 12: overrides.A007.off[0]: unknown rule 'volum_ratio'"
};

struct ConfigLoad {
  Config config;
  std::vector<ConfigError> errors;  // empty when the file is usable
  bool ok() const { return errors.empty(); }
};

// Reads and validates a configuration file, collecting every error (not just the first).
ConfigLoad LoadConfigFile(const std::string& file);
// The same from text already in memory (`source` names it in messages).
ConfigLoad LoadConfigText(const std::string& yaml, const std::string& source = "<config>");

}  // namespace vigil
