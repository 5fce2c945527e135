// The typed YAML walker of the configuration loader (config_yaml.h): every value is read from
// its scalar text (never through yaml-cpp's as<int>, so 000000 keeps its zeros) and every
// problem becomes a ConfigError naming the YAML path, the line and what was expected.
#include "common/config_yaml.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "common/strings.h"
#include "common/time_util.h"
#include "fmt/format.h"

namespace vigil::config_yaml {
namespace {

// What a node holds, for messages: "'five'", "nothing", "a list", "a map".
std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsScalar()) return fmt::format("'{}'", node.Scalar());
  if (node.IsSequence()) return "a list";
  return "a map";
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return "infinity";
  return fmt::format("{}", v);
}

}  // namespace

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string Index(const std::string& path, size_t i) { return fmt::format("{}[{}]", path, i); }

int LineOf(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& known) {
  size_t limit = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::string_view best;
  size_t best_distance = limit + 1;
  for (std::string_view k : known) {
    size_t d = EditDistance(word, k);
    if (d < best_distance) best = k, best_distance = d;
  }
  return std::string(best);
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void Reader::Error(const YAML::Node& at, const std::string& path, std::string message) {
  bool empty = !at.IsDefined() || at.IsNull();
  ErrorAtLine(empty && key_line_ > 0 ? key_line_ : LineOf(at), path, std::move(message));
}

void Reader::WithKeyLine(int line, const std::function<void()>& read) {
  int saved = key_line_;
  key_line_ = line;
  read();
  key_line_ = saved;
}

void Reader::ErrorAtLine(int line, const std::string& path, std::string message) {
  errors_->push_back(ConfigError{path, line, std::move(message)});
}

bool Reader::Fields(const YAML::Node& node, const std::string& path,
                    const std::vector<Field>& fields, std::set<std::string>* seen) {
  if (node.IsNull()) return true;
  if (!node.IsMap()) {
    Error(node, path, fmt::format("expected a map (key: value, ...), got {}", Describe(node)));
    return false;
  }
  std::vector<std::string_view> known;
  for (const Field& f : fields) known.push_back(f.key);
  std::map<std::string, int> first_line;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      Error(kv.first, path, fmt::format("keys must be plain names, got {}", Describe(kv.first)));
      continue;
    }
    const std::string key = kv.first.Scalar();
    const std::string key_path = Join(path, key);
    auto [it, fresh] = first_line.emplace(key, LineOf(kv.first));
    if (!fresh) {
      Error(kv.first, key_path,
            fmt::format("duplicate key '{}' (first at line {})", key, it->second));
      continue;
    }
    auto field =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
    if (field != fields.end()) {
      if (seen != nullptr) seen->insert(key);
      WithKeyLine(LineOf(kv.first), [&] { field->read(kv.second, key_path); });
      continue;
    }
    std::string hint = ClosestMatch(key, known);
    const auto& params = ParamKeys();
    if (!hint.empty()) {
      Error(kv.first, key_path, fmt::format("unknown key '{}', did you mean '{}'?", key, hint));
    } else if (std::find(params.begin(), params.end(), key) != params.end()) {
      Error(kv.first, key_path,
            fmt::format("'{}' is a per-code parameter: set it under defaults, "
                        "txn_codes.<code> or overrides.<code>",
                        key));
    } else {
      Error(kv.first, key_path,
            fmt::format("unknown key '{}' (known here: {})", key, JoinNames(known)));
    }
  }
  return true;
}

void Reader::Entries(const YAML::Node& node, const std::string& path, const EntryFn& read) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    Error(node, path, fmt::format("expected a map (name: settings, ...), got {}", Describe(node)));
    return;
  }
  std::map<std::string, int> first_line;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar() || kv.first.Scalar().empty()) {
      Error(kv.first, path,
            fmt::format("names must be non-empty plain text, got {}", Describe(kv.first)));
      continue;
    }
    const std::string key = kv.first.Scalar();
    auto [it, fresh] = first_line.emplace(key, LineOf(kv.first));
    if (!fresh) {
      Error(kv.first, Join(path, key),
            fmt::format("'{}' is defined twice (first at line {})", key, it->second));
      continue;
    }
    WithKeyLine(LineOf(kv.first), [&] { read(key, kv.first, kv.second, Join(path, key)); });
  }
}

void Reader::Items(const YAML::Node& node, const std::string& path, std::string_view what,
                   const FieldFn& read) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    Error(node, path, fmt::format("expected a list of {}, got {}", what, Describe(node)));
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) read(node[i], Index(path, i));
}

std::optional<std::string> Reader::Scalar(const YAML::Node& node, const std::string& path,
                                          std::string_view what) {
  if (node.IsScalar()) return node.Scalar();
  Error(node, path, fmt::format("expected {}, got {}", what, Describe(node)));
  return std::nullopt;
}

std::optional<std::string> Reader::Name(const YAML::Node& node, const std::string& path,
                                        std::string_view what, size_t max_len) {
  auto s = Scalar(node, path, what);
  if (!s) return std::nullopt;
  if (s->empty()) {
    Error(node, path, fmt::format("expected {}, got an empty string", what));
    return std::nullopt;
  }
  if (max_len > 0 && CharCount(*s) > max_len) {
    Error(node, path,
          fmt::format("{} must be 1-{} characters, got '{}' ({} characters)", what, max_len, *s,
                      CharCount(*s)));
    return std::nullopt;
  }
  return s;
}

std::optional<double> Reader::Number(const YAML::Node& node, const std::string& path, double min,
                                     double max, std::string_view what) {
  auto s = Scalar(node, path, what);
  if (!s) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size() || !std::isfinite(v)) {
    Error(node, path, fmt::format("expected {}, got '{}'", what, *s));
    return std::nullopt;
  }
  if (v < min || v > max) {
    Error(node, path,
          std::isinf(max) ? fmt::format("must be at least {}, got '{}'", FormatNumber(min), *s)
                          : fmt::format("must be between {} and {}, got '{}'", FormatNumber(min),
                                        FormatNumber(max), *s));
    return std::nullopt;
  }
  return v;
}

std::optional<double> Reader::Rate(const YAML::Node& node, const std::string& path) {
  auto s = Scalar(node, path, "a rate between 0 and 1 like 0.99");
  if (!s) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size() || !(v >= 0 && v <= 1)) {
    Error(node, path,
          fmt::format("expected a rate between 0 and 1 (0.99 means 99%), got '{}'", *s));
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> Reader::Integer(const YAML::Node& node, const std::string& path, int64_t min,
                                       int64_t max) {
  auto s = Scalar(node, path, "a whole number");
  if (!s) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) {
    Error(node, path, fmt::format("expected a whole number, got '{}'", *s));
    return std::nullopt;
  }
  if (v < min || v > max) {
    Error(node, path,
          max == std::numeric_limits<int64_t>::max()
              ? fmt::format("must be at least {}, got '{}'", min, *s)
              : fmt::format("must be between {} and {}, got '{}'", min, max, *s));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::Bool(const YAML::Node& node, const std::string& path) {
  bool v = false;
  if (node.IsScalar() && YAML::convert<bool>::decode(node, v)) return v;
  Error(node, path, fmt::format("expected true or false, got {}", Describe(node)));
  return std::nullopt;
}

std::optional<int64_t> Reader::Duration(const YAML::Node& node, const std::string& path,
                                        DurationKind kind) {
  auto s = Scalar(node, path, "a duration like 5m");
  if (!s) return std::nullopt;
  absl::StatusOr<int64_t> ms = ParseDurationMs(*s);
  if (!ms.ok()) {
    Error(node, path,
          fmt::format("expected a duration like 30s, 5m or 1h, got '{}' (units: ms, s, m, h, d)",
                      *s));
    return std::nullopt;
  }
  if (kind == DurationKind::kWholeMinutes && (*ms < kMsPerMinute || *ms % kMsPerMinute != 0)) {
    Error(node, path,
          fmt::format("must be a whole number of minutes, at least 1m (rules are evaluated once "
                      "a minute), got '{}'",
                      *s));
    return std::nullopt;
  }
  if (kind == DurationKind::kPositive && *ms <= 0) {
    Error(node, path, fmt::format("must be longer than 0, got '{}'", *s));
    return std::nullopt;
  }
  return *ms;
}

std::optional<int> Reader::Clock(const YAML::Node& node, const std::string& path, int max_hours) {
  auto s = Scalar(node, path, "a time of day \"HH:MM\"");
  if (!s) return std::nullopt;
  absl::StatusOr<int> m = ParseClockMinutes(*s, max_hours);
  if (!m.ok()) {
    Error(node, path, std::string(AsStd(m.status().message())));
    return std::nullopt;
  }
  return *m;
}

std::optional<size_t> Reader::Choice(const YAML::Node& node, const std::string& path,
                                     std::string_view what,
                                     const std::vector<std::string_view>& choices) {
  auto s = Scalar(node, path, fmt::format("{} ({})", what, fmt::join(choices, "|")));
  if (!s) return std::nullopt;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (*s == choices[i]) return i;
  }
  std::string hint = ClosestMatch(*s, choices);
  Error(node, path,
        fmt::format("unknown {} '{}'{} (known: {})", what, *s,
                    hint.empty() ? "" : fmt::format(", did you mean '{}'?", hint),
                    JoinNames(choices)));
  return std::nullopt;
}

std::optional<std::string> Reader::Severity(const YAML::Node& node, const std::string& path) {
  static const std::vector<std::string_view> kNames = {"critical", "warning", "info"};
  auto i = Choice(node, path, "severity", kNames);
  return i ? std::optional<std::string>(kNames[*i]) : std::nullopt;
}

std::optional<Periods> Reader::PeriodsValue(const YAML::Node& node, const std::string& path) {
  auto i = Choice(node, path, "period", {"busy", "idle", "both", "neither"});
  return i ? std::optional<Periods>(static_cast<Periods>(*i)) : std::nullopt;
}

std::optional<DaySelect> Reader::Days(const YAML::Node& node, const std::string& path) {
  auto i = Choice(node, path, "day selection", {"all", "workdays", "holidays"});
  return i ? std::optional<DaySelect>(static_cast<DaySelect>(*i)) : std::nullopt;
}

std::optional<RetClass> Reader::RetClassValue(const YAML::Node& node, const std::string& path) {
  auto i = Choice(node, path, "return-code class", {"success", "business", "system"});
  return i ? std::optional<RetClass>(static_cast<RetClass>(*i)) : std::nullopt;
}

std::optional<std::pair<double, double>> Reader::Bounds(const YAML::Node& node,
                                                        const std::string& path) {
  if (!node.IsSequence() || node.size() != 2) {
    Error(node, path,
          fmt::format("expected a pair [lo, hi] like [0.8, 1.2], got {}",
                      node.IsSequence() ? fmt::format("{} values", node.size()) : Describe(node)));
    return std::nullopt;
  }
  const double kInf = std::numeric_limits<double>::infinity();
  auto lo = Number(node[0], Index(path, 0), 0, kInf, "a number");
  auto hi = Number(node[1], Index(path, 1), 0, kInf, "a number");
  if (!lo || !hi) return std::nullopt;
  if (*lo > *hi) {
    Error(node, path, fmt::format("lower bound {} is above upper bound {}", *lo, *hi));
    return std::nullopt;
  }
  return std::make_pair(*lo, *hi);
}

std::optional<std::vector<Rule>> Reader::Rules(const YAML::Node& node, const std::string& path) {
  std::vector<std::string_view> names;
  for (int i = 0; i < kRuleCount; ++i) names.push_back(RuleName(static_cast<Rule>(i)));
  std::vector<Rule> rules;
  bool ok = node.IsNull() || node.IsSequence();
  Items(node, path, "rule names like [volume_ratio]",
        [&](const YAML::Node& item, const std::string& item_path) {
          auto i = Choice(item, item_path, "rule", names);
          if (i) {
            rules.push_back(static_cast<Rule>(*i));
          } else {
            ok = false;
          }
        });
  return ok ? std::optional<std::vector<Rule>>(std::move(rules)) : std::nullopt;
}

std::vector<std::string> Reader::Codes(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> codes;
  Items(node, path, "return codes like [\"000000\"]",
        [&](const YAML::Node& item, const std::string& item_path) {
          auto s = Scalar(item, item_path, "a return code");
          if (s && s->empty()) {
            Error(item, item_path, "a return code must not be empty (use \"*\" for any code)");
          } else if (s) {
            codes.push_back(*s);
          }
        });
  return codes;
}

}  // namespace vigil::config_yaml
