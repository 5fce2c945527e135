// The configuration's names and its per-code parameter layering (config.h). Loading and
// validation of YAML are in config_loader.cc and config_params.cc.
//
// Layering (docs/configuration.md): a parameter comes from `overrides.<code>`, else
// `txn_codes.<code>`, else `defaults`, else the built-in default on `CodeParams`. Maps and
// lists (`ret_ratio`, `off`) are taken whole from the nearest layer that sets them, never
// merged. `severity` is the exception: an explicit severity on the code (override or
// txn_codes) wins; else a financial code is `critical`; else `defaults.severity`; else
// `warning`. `service_success_min` is only the code's own (override, else txn_codes): the
// service system's and the global value are combined by the engine (contract rule 4).
#include "common/config.h"

#include <optional>
#include <vector>

#include "fmt/format.h"

namespace vigil {
namespace {

constexpr const char* kRuleNames[kRuleCount] = {
    "abnormal_count", "batch",           "business_success", "no_txn",        "recon",
    "ret_ratio",      "service_success", "system_success",   "timeout_count", "volume_ratio",
};

// Copies the first value set among `layers` (nearest first) into `*out`, if any is set.
template <typename T, typename Out>
void Take(const std::vector<const ParamLayer*>& layers, std::optional<T> ParamLayer::*field,
          Out* out) {
  for (const ParamLayer* layer : layers) {
    if ((layer->*field).has_value()) {
      *out = *(layer->*field);
      return;
    }
  }
}

}  // namespace

const char* RuleName(Rule r) {
  int i = static_cast<int>(r);
  return i >= 0 && i < kRuleCount ? kRuleNames[i] : "unknown";
}

std::optional<Rule> RuleFromName(std::string_view name) {
  for (int i = 0; i < kRuleCount; ++i) {
    if (name == kRuleNames[i]) return static_cast<Rule>(i);
  }
  return std::nullopt;
}

const char* RetClassName(RetClass c) {
  switch (c) {
    case RetClass::kSuccess:
      return "success";
    case RetClass::kBusiness:
      return "business";
    case RetClass::kSystem:
      return "system";
  }
  return "unknown";
}

const char* PeriodsName(Periods p) {
  switch (p) {
    case Periods::kBusy:
      return "busy";
    case Periods::kIdle:
      return "idle";
    case Periods::kBoth:
      return "both";
    case Periods::kNeither:
      return "neither";
  }
  return "unknown";
}

const TxnCodeConfig* Config::FindCode(const std::string& code) const {
  auto it = txn_codes.find(code);
  return it == txn_codes.end() ? nullptr : &it->second;
}

double Config::DefaultServiceSuccessMin() const {
  return defaults.service_success_min.value_or(0.99);
}

CodeParams Config::ResolveParams(const std::string& code) const {
  const TxnCodeConfig* txn = FindCode(code);
  auto ov = overrides.find(code);
  const ParamLayer* override_layer = ov == overrides.end() ? nullptr : &ov->second;
  std::vector<const ParamLayer*> own;  // the code's own layers, nearest first
  if (override_layer != nullptr) own.push_back(override_layer);
  if (txn != nullptr) own.push_back(&txn->params);
  std::vector<const ParamLayer*> all = own;
  all.push_back(&defaults);

  CodeParams p;
  Take(all, &ParamLayer::window_ms, &p.window_ms);
  Take(all, &ParamLayer::min_count, &p.min_count);
  Take(all, &ParamLayer::system_success_min, &p.system_success_min);
  Take(all, &ParamLayer::business_success_min, &p.business_success_min);
  Take(all, &ParamLayer::ret_ratio, &p.ret_ratio);
  Take(own, &ParamLayer::service_success_min, &p.service_success_min);
  Take(all, &ParamLayer::monitor, &p.monitor);
  Take(all, &ParamLayer::per_node, &p.per_node);
  Take(all, &ParamLayer::silence_ms, &p.silence_ms);
  Take(all, &ParamLayer::ratio_periods, &p.ratio_periods);
  Take(all, &ParamLayer::ratio_window_ms, &p.ratio_window_ms);
  Take(all, &ParamLayer::ratio_bounds, &p.ratio_bounds);
  Take(all, &ParamLayer::ratio_min_baseline, &p.ratio_min_baseline);
  Take(all, &ParamLayer::baseline_days, &p.baseline_days);
  Take(all, &ParamLayer::abnormal_period_ms, &p.abnormal_period_ms);
  Take(all, &ParamLayer::abnormal_threshold, &p.abnormal_threshold);
  Take(all, &ParamLayer::timeout_ms, &p.timeout_ms);
  Take(all, &ParamLayer::timeout_period_ms, &p.timeout_period_ms);
  Take(all, &ParamLayer::timeout_threshold, &p.timeout_threshold);
  Take(all, &ParamLayer::for_ms, &p.for_ms);

  std::optional<std::string> own_severity;
  Take(own, &ParamLayer::severity, &own_severity);
  if (own_severity) {
    p.severity = *own_severity;
  } else if (txn != nullptr && txn->financial) {
    p.severity = "critical";
  } else {
    p.severity = defaults.severity.value_or("warning");
  }

  std::vector<Rule> off;
  Take(all, &ParamLayer::off, &off);
  for (Rule r : off) p.off[static_cast<int>(r)] = true;
  return p;
}

std::string ConfigError::ToString() const {
  std::string out;
  if (line > 0) out = fmt::format("line {}: ", line);
  if (!path.empty()) out += path + ": ";
  return out + message;
}

}  // namespace vigil
