// Shared by the alerting tests: a temporary directory, a real SQLite store in it, configs from
// YAML, and alert events shaped the way the engine writes them.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "nlohmann/json.hpp"
#include "store/store.h"

namespace vigil::alerting::testing_support {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/vigil_alerting_XXXXXX";
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::unique_ptr<store::Store> OpenStore(const TempDir& dir) {
  auto s = store::Store::Open("sqlite://" + dir.path() + "/t.db");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

inline Config LoadYaml(const std::string& yaml) {
  ConfigLoad load = LoadConfigText(yaml);
  std::string errors;
  for (const auto& e : load.errors) errors += e.ToString() + "\n";
  EXPECT_TRUE(load.ok()) << errors;
  return load.config;
}

// 2026-11-20 07:00:00 UTC (15:00 in Asia/Shanghai).
inline constexpr TimeMs kT0 = 1'795'158'000'000;
inline constexpr TimeMs kSec = 1'000;
inline constexpr TimeMs kMin = 60'000;

// An event as the engine writes it (replay JSON line) and the store keeps it.
inline store::AlertEventRow Event(TimeMs at, bool firing, const std::string& rule,
                                  const nlohmann::ordered_json& key,
                                  const std::string& severity = "warning",
                                  const std::string& summary = "") {
  store::AlertEventRow e;
  e.at = at;
  e.firing = firing;
  e.rule = rule;
  e.key_json = key.dump();
  e.severity = severity;
  nlohmann::ordered_json j = {{"at", at},
                              {"state", firing ? "firing" : "resolved"},
                              {"rule", rule},
                              {"key", key},
                              {"severity", severity},
                              {"value", firing ? nlohmann::ordered_json(0.95) : nullptr},
                              {"threshold", 0.99},
                              {"summary", summary.empty()
                                              ? rule + " " + key.dump() +
                                                    (firing ? " is failing" : " back to normal")
                                              : summary}};
  e.json = j.dump();
  return e;
}

// Commits one minute's events to the store the way `vigil serve` does, returning them with ids.
inline std::vector<store::AlertEventRow> Commit(store::Store* s, TimeMs minute,
                                                std::vector<store::AlertEventRow> events) {
  absl::Status st = s->CommitMinute(minute, &events);
  EXPECT_TRUE(st.ok()) << st;
  return events;
}

// Every pending notification in the outbox, oldest first.
inline std::vector<store::Notification> Pending(store::Store* s) {
  auto due = s->DueNotifications(std::numeric_limits<TimeMs>::max() / 2, 10'000);
  EXPECT_TRUE(due.ok()) << due.status();
  return due.ok() ? *due : std::vector<store::Notification>{};
}

// The body of a webhook payload (render.h).
inline nlohmann::json WebhookBody(const store::Notification& n) {
  return nlohmann::json::parse(n.payload_json).at("body");
}

}  // namespace vigil::alerting::testing_support

namespace vigil::alerting::testing_support {

// Three codes on two service systems, and webhook receivers (nothing is sent in the pipeline
// tests: messages stay in the outbox, where the tests read them).
inline constexpr const char* kCodes = R"(timezone: Asia/Shanghai
txn_codes:
  A001: {name: 查询挂账, sys: MBNK, svc_sys: ACCT}
  A002: {name: 转账, sys: MBNK, svc_sys: ACCT}
  B001: {name: 日终计息, sys: CORE, svc_sys: CORE}
)";

inline constexpr const char* kRouting = R"(alerting:
  receivers:
    hook: {webhook: {url: "http://127.0.0.1:9/hook"}}
    crit: {webhook: {url: "http://127.0.0.1:9/crit"}}
    quiet: {webhook: {url: "http://127.0.0.1:9/quiet"}, send_resolved: false}
  route:
    receiver: hook
    group_by: [rule, txn]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
    routes:
      - matchers: ["severity=critical"]
        receiver: crit
        continue: true
      - matchers: ["rule=no_txn"]
        receiver: quiet
)";

// The notifications in the outbox for one receiver.
inline std::vector<store::Notification> PendingFor(store::Store* s, const std::string& receiver) {
  std::vector<store::Notification> out;
  for (auto& n : Pending(s)) {
    if (n.receiver == receiver) out.push_back(std::move(n));
  }
  return out;
}

// The label `name` of every alert in a webhook message, in message order.
inline std::vector<std::string> AlertLabels(const store::Notification& n, const std::string& name) {
  std::vector<std::string> out;
  const nlohmann::json body = WebhookBody(n);  // kept: the loop must not outlive it
  for (const auto& a : body.at("alerts")) out.push_back(a.at("labels").value(name, ""));
  return out;
}

}  // namespace vigil::alerting::testing_support
