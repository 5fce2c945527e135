// A configuration and traffic helpers for the server integration tests: two codes of the
// mobile bank calling the core accounting system, a webhook and an email receiver listening
// on loopback, and records written at local times of 2026-11-20 (a Friday, a workday).
#pragma once

#include <string>

#include "../alerting/http_test_listener.h"
#include "../alerting/smtp_test_server.h"
#include "fmt/format.h"
#include "server_process.h"

namespace vigil::testing {

using testing_http::HttpTestListener;
using testing_smtp::SmtpTestServer;

inline std::string ServeConfig(int webhook_port, const std::string& smtp_hostport,
                               const std::string& extra_alerting = "") {
  return fmt::format(R"(timezone: Asia/Shanghai
allowed_lateness: 30s
return_codes:
  global:
    success: ["000000"]
    system: ["9*"]
service_systems:
  ACCT: {{name: 核心账务, success: ["0000"], service_success_min: 0.9, window: 1m, min_count: 5}}
txn_codes:
  A001: {{name: 转账, sys: MBNK, svc_sys: ACCT}}
  A002: {{name: 查询, sys: MBNK, svc_sys: ACCT}}
defaults:
  window: 1m
  min_count: 5
  system_success_min: 0.9
  service_success_min: 0.9
  off: [volume_ratio, abnormal_count, timeout_count, ret_ratio, business_success]
alerting:
  receivers:
    hook: {{webhook: {{url: "http://127.0.0.1:{}/hook"}}}}
    mail: {{email: {{to: [ops@bank.test], from: vigil@bank.test, smarthost: "{}", tls: none}}}}
  route:
    receiver: hook
    group_by: [rule, txn, svc_sys]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 4h
    routes:
      - {{receiver: mail, continue: true}}
      - {{receiver: hook}}
{})",
                     webhook_port, smtp_hostport, extra_alerting);
}

// `n` records of `txn` in the minute starting at `hhmm` (local, 2026-11-20), the first
// `failures` of them with a system-class return code; `svc_ret` for all.
inline std::string Records(const std::string& txn, const std::string& hhmm, int n, int failures,
                           const std::string& svc_ret = "0000") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += fmt::format(
        R"({{"ts":"2026-11-20T{}:{:02d}.000+08:00","dur_ms":20,"txn":"{}","ret":"{}","sys":"MBNK","svc_sys":"ACCT","svc_ret":"{}","node":"n1","serial":"S{}{}"}})"
        "\n",
        hhmm, i % 60, txn, i < failures ? "900001" : "000000", svc_ret, txn, i);
  }
  return out;
}

// The webhook requests whose status (firing / resolved) is `status`.
inline int WebhookCount(const HttpTestListener& hook, const std::string& status) {
  int n = 0;
  for (const auto& r : hook.requests()) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_discarded() && j.value("status", "") == status) ++n;
  }
  return n;
}

// Records of `txn` the server counts in 10:00-10:10 (2026-11-20, local).
inline int64_t CountOf(ServerProcess& s, const std::string& txn) {
  auto codes = s.GetJson("/api/v1/codes?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:10:00%2B08:00");
  for (const auto& c : codes["codes"]) {
    if (c["txn"] == txn) return c["count"].get<int64_t>();
  }
  return 0;
}

// Asks the server to answer once `records` records were applied and `reloads` reloads done
// since it started (a wait on the server's condition, not polling); the stats it answered.
inline nlohmann::json WaitForApplied(ServerProcess& s, int64_t records, int64_t reloads = 0) {
  return s.GetJson("/api/v1/stats/ingest?timeout_ms=20000&wait_records=" + std::to_string(records) +
                   "&wait_reloads=" + std::to_string(reloads));
}

// True when /metrics says `n` messages were delivered to `receiver`.
inline bool SentTo(ServerProcess& s, const std::string& receiver, int n) {
  auto m = s.http().Get("/metrics");
  return m && m->body.find("vigil_notifications_sent_total{receiver=\"" + receiver + "\"} " +
                           std::to_string(n) + "\n") != std::string::npos;
}

inline int64_t MetricValue(const std::string& text, const std::string& name) {
  size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

}  // namespace vigil::testing
