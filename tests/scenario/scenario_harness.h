// Helpers for the scenario tests: run the real `vigil` binary (simulate, replay,
// check-config) in a temporary directory, read the alert events and the fault manifest, and
// hold the alerts to the manifest:
//   - every expectation: its alert fires once inside [fire_from, fire_by] and resolves inside
//     [resolve_from, resolve_by] (or stays firing when the manifest says so);
//   - every alert event is explained by a fault: one of its expected or tolerated alerts, at a
//     time inside the fault's range.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::scenario {

using Json = nlohmann::json;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-scenario-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `vigil ARGS`, stdout to `out` (if not empty), stderr to `err`; returns the exit status.
inline int Vigil(const std::string& args, const std::string& out, const std::string& err) {
  std::string cmd = fmt::format("'{}' {}", VIGIL_BINARY, args);
  if (!out.empty()) cmd += fmt::format(" > '{}'", out);
  cmd += fmt::format(" 2> '{}'", err);
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

inline TimeMs ParseTime(const Json& j) {
  TimeMs t = 0;
  if (!j.is_string() || ParseRfc3339Ms(j.get<std::string>(), &t) != TimeParse::kOk) return -1;
  return t;
}
inline std::optional<TimeMs> ParseOptTime(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return ParseTime(j);
}

inline std::vector<Json> ReadJsonLines(const std::string& path) {
  std::vector<Json> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty()) out.push_back(Json::parse(line));
  }
  return out;
}

// True when every field of `part` is in `key` with the same value.
inline bool KeyContains(const Json& key, const Json& part) {
  for (auto it = part.begin(); it != part.end(); ++it) {
    if (!key.contains(it.key()) || key[it.key()] != it.value()) return false;
  }
  return true;
}
inline bool SameKey(const Json& a, const Json& b) { return KeyContains(a, b) && KeyContains(b, a); }

inline std::string Describe(const Json& alert) {
  return fmt::format("{} {} {} {}", alert.value("at", ""), alert.value("state", ""),
                     alert.value("rule", ""), alert["key"].dump());
}

// The time range in which a fault explains alerts: from its start (or its earliest expected
// firing) to `until` (open when null).
inline std::pair<TimeMs, TimeMs> FaultRange(const Json& fault) {
  TimeMs from = MinuteStart(MinuteOf(ParseTime(fault["start"])));
  for (const Json& e : fault["expect"]) from = std::min(from, ParseTime(e["fire_from"]));
  std::optional<TimeMs> until = ParseOptTime(fault["until"]);
  return {from, until.value_or(INT64_MAX)};
}

// Problems with one expectation of `fault` (empty when it holds).
inline std::vector<std::string> CheckExpectation(const Json& fault, const Json& e,
                                                 const std::vector<Json>& alerts) {
  std::vector<std::string> problems;
  auto [from, until] = FaultRange(fault);
  std::vector<const Json*> events;
  for (const Json& a : alerts) {
    TimeMs at = ParseTime(a["at"]);
    if (a["rule"] == e["rule"] && SameKey(a["key"], e["key"]) && at >= from && at <= until) {
      events.push_back(&a);
    }
  }
  std::string what =
      fmt::format("{} {} {} {}", fault["id"].get<std::string>(), fault["kind"].get<std::string>(),
                  e["rule"].get<std::string>(), e["key"].dump());
  if (events.empty()) return {what + ": never fired"};
  const Json& first = *events[0];
  TimeMs at = ParseTime(first["at"]);
  if (first["state"] != "firing" || at < ParseTime(e["fire_from"]) ||
      at > ParseTime(e["fire_by"])) {
    problems.push_back(fmt::format("{}: first event {} outside fire [{}, {}]", what,
                                   Describe(first), e["fire_from"].dump(), e["fire_by"].dump()));
  }
  std::optional<TimeMs> rfrom = ParseOptTime(e["resolve_from"]),
                        rby = ParseOptTime(e["resolve_by"]);
  size_t allowed = rfrom ? 2 : 1;
  if (events.size() > allowed || (rby && events.size() < 2)) {
    problems.push_back(
        fmt::format("{}: {} events, expected {}", what, events.size(), rby ? 2 : allowed));
  }
  if (events.size() >= 2) {
    const Json& second = *events[1];
    TimeMs rat = ParseTime(second["at"]);
    if (second["state"] != "resolved" || !rfrom || rat < *rfrom || (rby && rat > *rby)) {
      problems.push_back(fmt::format("{}: resolve event {} outside [{}, {}]", what,
                                     Describe(second), e["resolve_from"].dump(),
                                     e["resolve_by"].dump()));
    }
  }
  return problems;
}

inline std::vector<std::string> CheckAllExpectations(const std::vector<Json>& faults,
                                                     const std::vector<Json>& alerts) {
  std::vector<std::string> problems;
  for (const Json& f : faults) {
    for (const Json& e : f["expect"]) {
      for (std::string& p : CheckExpectation(f, e, alerts)) problems.push_back(std::move(p));
    }
  }
  return problems;
}

// Alerts no fault explains.
inline std::vector<std::string> Unexplained(const std::vector<Json>& faults,
                                            const std::vector<Json>& alerts) {
  std::vector<std::string> problems;
  for (const Json& a : alerts) {
    TimeMs at = ParseTime(a["at"]);
    bool explained = false;
    for (const Json& f : faults) {
      auto [from, until] = FaultRange(f);
      if (at < from || at > until) continue;
      for (const Json& e : f["expect"]) {
        explained = explained || (a["rule"] == e["rule"] && SameKey(a["key"], e["key"]));
      }
      for (const Json& t : f["tolerate"]) {
        explained = explained || (a["rule"] == t["rule"] && KeyContains(a["key"], t["key"]));
      }
    }
    if (!explained) problems.push_back("unexplained alert: " + Describe(a));
  }
  return problems;
}

// One simulation in its own directory: records, config, manifest and the alerts of a replay.
struct Simulation {
  TempDir dir;
  std::string records, config, manifest, alerts;
  int simulate_rc = -1, replay_rc = -1;
  std::string simulate_log, replay_log;

  explicit Simulation(const std::string& args, const std::string& records_name = "records.jsonl") {
    records = dir.File(records_name);
    config = dir.File("vigil.yaml");
    manifest = dir.File("faults.jsonl");
    alerts = dir.File("alerts.jsonl");
    std::string err = dir.File("simulate.log");
    simulate_rc = Vigil(fmt::format("simulate --out '{}' --config-out '{}' --manifest-out '{}' {}",
                                    records, config, manifest, args),
                        "", err);
    simulate_log = ReadFile(err);
  }
  // Replays `input` (default: the records) into `out` (default: alerts).
  int Replay(std::string input = "", std::string out = "") {
    std::string err = dir.File("replay.log");
    replay_rc =
        Vigil(fmt::format("replay --config '{}' '{}'", config, input.empty() ? records : input),
              out.empty() ? alerts : out, err);
    replay_log = ReadFile(err);
    return replay_rc;
  }
};

inline std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

}  // namespace vigil::scenario
