// Internal to the configuration loader (config_loader.cc, config_params.cc): a YAML walker that
// reads typed values and collects every problem as a ConfigError with its YAML path and line,
// so one run of `check-config` reports all mistakes in a file, not just the first.
//
// Every reader returns std::nullopt (and has recorded an error) when the value is unusable;
// callers then leave the built-in default in place and go on.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.h"
#include "yaml-cpp/yaml.h"

namespace vigil::config_yaml {

// The handler for the value of one known key; `path` is the value's YAML path.
using FieldFn = std::function<void(const YAML::Node& value, const std::string& path)>;
struct Field {
  std::string_view key;
  FieldFn read;
};

// How a duration is constrained.
enum class DurationKind : uint8_t {
  kWholeMinutes,  // a window: whole minutes, at least 1m
  kPositive,      // > 0
  kNonNegative,   // >= 0
};

// `path.key`, or `key` at the top level.
std::string Join(const std::string& path, std::string_view key);
// `path[i]`.
std::string Index(const std::string& path, size_t i);
// 1-based line of a node, 0 when the node has no position (e.g. it is absent).
int LineOf(const YAML::Node& node);
// The closest of `known` to `word` when it is close enough to be a likely typo, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& known);
// "a, b, c".
std::string JoinNames(const std::vector<std::string_view>& names);
// Characters (UTF-8 code points) in `s`: a transaction code has 1-32 of them, as in records.
size_t CharCount(std::string_view s);

class Reader {
 public:
  explicit Reader(std::vector<ConfigError>* errors) : errors_(errors) {}

  void Error(const YAML::Node& at, const std::string& path, std::string message);
  void ErrorAtLine(int line, const std::string& path, std::string message);

  // Walks a map: each known key's value goes to its reader; unknown keys (with a "did you
  // mean" hint), duplicate keys and non-scalar keys are errors. `seen` receives the keys
  // found. Returns false (error reported) when `node` is not a map; a null node (an empty
  // section such as `calendar:`) is an empty map.
  bool Fields(const YAML::Node& node, const std::string& path, const std::vector<Field>& fields,
              std::set<std::string>* seen = nullptr);
  // Walks a map whose keys are names (codes, systems): `read(key, value, value_path)`.
  using EntryFn = std::function<void(const std::string& key, const YAML::Node& key_node,
                                     const YAML::Node& value, const std::string& path)>;
  void Entries(const YAML::Node& node, const std::string& path, const EntryFn& read);
  // Walks a list: `read(item, item_path)`. A null node is an empty list.
  void Items(const YAML::Node& node, const std::string& path, std::string_view what,
             const FieldFn& read);

  std::optional<std::string> Scalar(const YAML::Node& node, const std::string& path,
                                    std::string_view what);
  // A non-empty name of at most `max_len` characters (transaction codes: 32).
  std::optional<std::string> Name(const YAML::Node& node, const std::string& path,
                                  std::string_view what, size_t max_len = 0);
  std::optional<double> Number(const YAML::Node& node, const std::string& path, double min,
                               double max, std::string_view what);
  std::optional<double> Rate(const YAML::Node& node, const std::string& path);
  std::optional<int64_t> Integer(const YAML::Node& node, const std::string& path, int64_t min,
                                 int64_t max);
  std::optional<bool> Bool(const YAML::Node& node, const std::string& path);
  std::optional<int64_t> Duration(const YAML::Node& node, const std::string& path,
                                  DurationKind kind);
  // "HH:MM", up to `max_hours`:00.
  std::optional<int> Clock(const YAML::Node& node, const std::string& path, int max_hours);
  std::optional<std::string> Severity(const YAML::Node& node, const std::string& path);
  std::optional<Periods> PeriodsValue(const YAML::Node& node, const std::string& path);
  std::optional<DaySelect> Days(const YAML::Node& node, const std::string& path);
  std::optional<RetClass> RetClassValue(const YAML::Node& node, const std::string& path);
  // `[lo, hi]` with 0 <= lo <= hi.
  std::optional<std::pair<double, double>> Bounds(const YAML::Node& node, const std::string& path);
  // A list of rule names.
  std::optional<std::vector<Rule>> Rules(const YAML::Node& node, const std::string& path);
  // A list of return-code patterns (kept as written: 000000 stays "000000").
  std::vector<std::string> Codes(const YAML::Node& node, const std::string& path);

 private:
  // One of `choices` (a closed set of words); the error lists them.
  std::optional<size_t> Choice(const YAML::Node& node, const std::string& path,
                               std::string_view what, const std::vector<std::string_view>& choices);

  // Calls `read` with `key_line_` set to `line`: an empty value (`window:` and nothing) is
  // reported on its key's line, not where the parser noticed it was empty.
  void WithKeyLine(int line, const std::function<void()>& read);

  std::vector<ConfigError>* errors_;
  int key_line_ = 0;
};

// The names of the per-code parameters (section 3's table), in the table's order.
const std::vector<std::string_view>& ParamKeys();
// Appends readers for every per-code parameter, filling `*layer`.
void AddParamFields(Reader& r, ParamLayer* layer, std::vector<Field>* fields);
// The `calendar` section.
void ReadCalendar(Reader& r, const YAML::Node& node, CalendarConfig* cal);
// The `batch` and `recon` sections.
void ReadBatch(Reader& r, const YAML::Node& node, std::vector<BatchStepConfig>* out);
void ReadRecon(Reader& r, const YAML::Node& node, std::vector<ReconCheckConfig>* out);

}  // namespace vigil::config_yaml
