// Readers for the per-code parameters (section 3's table; allowed in `defaults`,
// `txn_codes.<code>` and `overrides.<code>`) and for the `batch` and `recon` sections.
#include <limits>
#include <map>

#include "common/config_yaml.h"
#include "common/time_util.h"
#include "fmt/format.h"

namespace vigil::config_yaml {
namespace {

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxTxnLength = 32;

// Assigns `value` to `*out` when it was read successfully (else the default stays).
template <typename T, typename U>
void Set(T* out, std::optional<U> value) {
  if (value) *out = std::move(*value);
}

void ReadRetRatio(Reader& r, const YAML::Node& node, const std::string& path, ParamLayer* layer) {
  std::map<std::string, std::pair<double, double>> ratio;
  bool ok = true;
  r.Entries(node, path,
            [&](const std::string& code, const YAML::Node&, const YAML::Node& value,
                const std::string& value_path) {
              auto bounds = r.Bounds(value, value_path);
              if (bounds) {
                ratio[code] = *bounds;
              } else {
                ok = false;
              }
            });
  if (ok && (node.IsNull() || node.IsMap())) layer->ret_ratio = std::move(ratio);
}

// A time of day read from the file, with the line it was written on.
struct ClockAt {
  std::optional<int> minute;
  int line = 0;
};

ClockAt ReadClock(Reader& r, const YAML::Node& v, const std::string& p, int max_hours) {
  return ClockAt{r.Clock(v, p, max_hours), LineOf(v)};
}

// latest_start and latest_end lie in the step's business day [opens, opens + 24h), in order.
void CheckBatchTimes(Reader& r, const std::string& path, int opens, const ClockAt& latest_start,
                     const ClockAt& latest_end) {
  const int closes = opens + 24 * 60;
  auto check = [&](const ClockAt& at, const char* key) {
    if (!at.minute) return;
    if (*at.minute < opens) {
      r.ErrorAtLine(at.line, Join(path, key),
                    fmt::format("{} {} is before opens {}", key, FormatClockMinutes(*at.minute),
                                FormatClockMinutes(opens)));
    } else if (*at.minute >= closes) {
      r.ErrorAtLine(at.line, Join(path, key),
                    fmt::format("{} {} is not before the business day closes at {} (opens {} + "
                                "24h); set opens to move the business day",
                                key, FormatClockMinutes(*at.minute), FormatClockMinutes(closes),
                                FormatClockMinutes(opens)));
    }
  };
  check(latest_start, "latest_start");
  check(latest_end, "latest_end");
  if (latest_start.minute && latest_end.minute && *latest_end.minute < *latest_start.minute) {
    r.ErrorAtLine(latest_end.line, Join(path, "latest_end"),
                  fmt::format("latest_end {} is before latest_start {}",
                              FormatClockMinutes(*latest_end.minute),
                              FormatClockMinutes(*latest_start.minute)));
  }
}

// Reads one batch step into `*step`.
void ReadBatchStep(Reader& r, const YAML::Node& node, const std::string& path,
                   BatchStepConfig* step) {
  std::set<std::string> seen;
  ClockAt latest_start, latest_end;
  bool ok = r.Fields(
      node, path,
      {
          {"name", [&](auto& v, auto& p) { Set(&step->name, r.Name(v, p, "a step name")); }},
          {"txn",
           [&](auto& v, auto& p) {
             Set(&step->txn, r.Name(v, p, "a transaction code", kMaxTxnLength));
           }},
          {"opens", [&](auto& v, auto& p) { Set(&step->opens_minute, r.Clock(v, p, 48)); }},
          {"latest_start", [&](auto& v, auto& p) { latest_start = ReadClock(r, v, p, 48); }},
          {"max_duration",
           [&](auto& v, auto& p) {
             step->max_duration_ms = r.Duration(v, p, DurationKind::kPositive);
           }},
          {"latest_end", [&](auto& v, auto& p) { latest_end = ReadClock(r, v, p, 48); }},
          {"days", [&](auto& v, auto& p) { Set(&step->days, r.Days(v, p)); }},
          {"severity", [&](auto& v, auto& p) { step->severity = r.Severity(v, p); }},
      },
      &seen);
  if (!ok) return;
  for (const char* key : {"name", "txn"}) {
    if (!seen.contains(key)) r.Error(node, path, fmt::format("missing '{}'", key));
  }
  CheckBatchTimes(r, path, step->opens_minute, latest_start, latest_end);
  step->latest_start_minute = latest_start.minute;
  step->latest_end_minute = latest_end.minute;
}

void ReadReconCheck(Reader& r, const YAML::Node& node, const std::string& path,
                    ReconCheckConfig* check) {
  std::set<std::string> seen;
  ClockAt start, end;
  bool ok = r.Fields(
      node, path,
      {
          {"name", [&](auto& v, auto& p) { Set(&check->name, r.Name(v, p, "a check name")); }},
          {"txn",
           [&](auto& v, auto& p) {
             Set(&check->txn, r.Name(v, p, "a transaction code", kMaxTxnLength));
           }},
          {"start", [&](auto& v, auto& p) { start = ReadClock(r, v, p, 24); }},
          {"end", [&](auto& v, auto& p) { end = ReadClock(r, v, p, 24); }},
          {"factor",
           [&](auto& v, auto& p) {
             auto f = r.Number(v, p, 0, kInf, "a number like 3");
             if (f && *f == 0)
               r.Error(v, p, fmt::format("must be greater than 0, got '{}'", v.Scalar()));
             if (f && *f > 0) check->factor = *f;
           }},
          {"floor_count",
           [&](auto& v, auto& p) {
             Set(&check->floor_count, r.Number(v, p, 0, kInf, "a number"));
           }},
          {"floor_amount",
           [&](auto& v, auto& p) {
             Set(&check->floor_amount, r.Number(v, p, 0, kInf, "a number"));
           }},
          {"days", [&](auto& v, auto& p) { Set(&check->days, r.Days(v, p)); }},
          {"baseline_days",
           [&](auto& v, auto& p) { Set(&check->baseline_days, r.Integer(v, p, 1, 30)); }},
          {"severity", [&](auto& v, auto& p) { check->severity = r.Severity(v, p); }},
      },
      &seen);
  if (!ok) return;
  for (const char* key : {"name", "txn", "start", "end"}) {
    if (!seen.contains(key)) r.Error(node, path, fmt::format("missing '{}'", key));
  }
  if (start.minute && end.minute && *start.minute >= *end.minute) {
    r.ErrorAtLine(end.line, Join(path, "end"),
                  fmt::format("end {} must be after start {}", FormatClockMinutes(*end.minute),
                              FormatClockMinutes(*start.minute)));
  }
  Set(&check->start_minute, start.minute);
  Set(&check->end_minute, end.minute);
}

// Reports a name used by two entries of a list section (batch steps, recon checks).
void CheckUnique(Reader& r, const YAML::Node& item, const std::string& path,
                 const std::string& name, std::map<std::string, int>* first_line) {
  if (name.empty()) return;
  auto [it, fresh] = first_line->emplace(name, LineOf(item));
  if (!fresh) {
    r.Error(item, Join(path, "name"),
            fmt::format("name '{}' is already used (line {})", name, it->second));
  }
}

}  // namespace

const std::vector<std::string_view>& ParamKeys() {
  static const std::vector<std::string_view> kKeys = {
      "window",
      "min_count",
      "system_success_min",
      "business_success_min",
      "ret_ratio",
      "service_success_min",
      "monitor",
      "per_node",
      "silence",
      "ratio_periods",
      "ratio_window",
      "ratio_bounds",
      "ratio_min_baseline",
      "baseline_days",
      "abnormal_period",
      "abnormal_threshold",
      "timeout_ms",
      "timeout_period",
      "timeout_threshold",
      "for",
      "severity",
      "off",
  };
  return kKeys;
}

void AddParamFields(Reader& r, ParamLayer* l, std::vector<Field>* fields) {
  using K = DurationKind;
  auto minutes = [&r](std::optional<int64_t>* out) {
    return [&r, out](auto& v, auto& p) { Set(out, r.Duration(v, p, K::kWholeMinutes)); };
  };
  auto count = [&r](std::optional<int64_t>* out, int64_t min) {
    return [&r, out, min](auto& v, auto& p) { Set(out, r.Integer(v, p, min, kNoMax)); };
  };
  auto rate = [&r](std::optional<double>* out) {
    return [&r, out](auto& v, auto& p) { Set(out, r.Rate(v, p)); };
  };
  std::vector<Field> add = {
      {"window", minutes(&l->window_ms)},
      {"min_count", count(&l->min_count, 0)},
      {"system_success_min", rate(&l->system_success_min)},
      {"business_success_min", rate(&l->business_success_min)},
      {"ret_ratio", [&r, l](auto& v, auto& p) { ReadRetRatio(r, v, p, l); }},
      {"service_success_min", rate(&l->service_success_min)},
      {"monitor", [&r, l](auto& v, auto& p) { Set(&l->monitor, r.PeriodsValue(v, p)); }},
      {"per_node", [&r, l](auto& v, auto& p) { Set(&l->per_node, r.Bool(v, p)); }},
      {"silence", minutes(&l->silence_ms)},
      {"ratio_periods",
       [&r, l](auto& v, auto& p) { Set(&l->ratio_periods, r.PeriodsValue(v, p)); }},
      {"ratio_window", minutes(&l->ratio_window_ms)},
      {"ratio_bounds", [&r, l](auto& v, auto& p) { Set(&l->ratio_bounds, r.Bounds(v, p)); }},
      {"ratio_min_baseline",
       [&r, l](auto& v, auto& p) {
         Set(&l->ratio_min_baseline, r.Number(v, p, 1, kInf, "a number like 100"));
       }},
      {"baseline_days",
       [&r, l](auto& v, auto& p) { Set(&l->baseline_days, r.Integer(v, p, 1, 30)); }},
      {"abnormal_period", minutes(&l->abnormal_period_ms)},
      {"abnormal_threshold", count(&l->abnormal_threshold, 1)},
      {"timeout_ms", count(&l->timeout_ms, 1)},
      {"timeout_period", minutes(&l->timeout_period_ms)},
      {"timeout_threshold", count(&l->timeout_threshold, 1)},
      {"for", [&r, l](auto& v, auto& p) { Set(&l->for_ms, r.Duration(v, p, K::kNonNegative)); }},
      {"severity", [&r, l](auto& v, auto& p) { Set(&l->severity, r.Severity(v, p)); }},
      {"off", [&r, l](auto& v, auto& p) { Set(&l->off, r.Rules(v, p)); }},
  };
  fields->insert(fields->end(), add.begin(), add.end());
}

void ReadBatch(Reader& r, const YAML::Node& node, std::vector<BatchStepConfig>* out) {
  std::map<std::string, int> names;
  r.Items(node, "batch", "batch steps", [&](const YAML::Node& item, const std::string& path) {
    BatchStepConfig step;
    ReadBatchStep(r, item, path, &step);
    CheckUnique(r, item, path, step.name, &names);
    out->push_back(std::move(step));
  });
}

void ReadRecon(Reader& r, const YAML::Node& node, std::vector<ReconCheckConfig>* out) {
  std::map<std::string, int> names;
  r.Items(node, "recon", "reconciliation checks",
          [&](const YAML::Node& item, const std::string& path) {
            ReconCheckConfig check;
            ReadReconCheck(r, item, path, &check);
            CheckUnique(r, item, path, check.name, &names);
            out->push_back(std::move(check));
          });
}

}  // namespace vigil::config_yaml
