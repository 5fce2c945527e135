// Retention: what the store keeps, and the maintenance that prunes the rest. A pass deletes,
// kind by kind, what is older than that kind's limit in bounded batches (each its own short
// transaction), so a large backlog never holds the write lock for long and the engine's
// commits go in between. It runs on its own thread (never the engine's), every
// `interval_ms` of the steady clock, with cut-offs from the injected clock; RunOnce serves the
// fake clock (a test moved it) and tests.
//
// Never pruned: open alerts (their current episode's events, records, acknowledgement-log
// rows), undelivered notifications, and live sessions (store.h, DeskStore::PruneSessions).
//
// Thread safety: RunOnce may be called from any thread; passes run one at a time.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/calendar.h"
#include "common/clock.h"
#include "store/desk_store.h"
#include "store/store.h"

namespace vigil::serve {

struct RetentionOptions {
  // How long each kind is kept (0: for ever). Defaults: alert history a quarter, delivered
  // notifications a month, day aggregates 400 days (baselines read 60, the console 35; a year
  // of them for reports and last year's same day).
  int64_t alert_events_ms = 90 * kMsPerDay;
  int64_t abnormal_records_ms = 90 * kMsPerDay;
  int64_t notifications_ms = 30 * kMsPerDay;
  int64_t ack_log_ms = 90 * kMsPerDay;
  int64_t history_ms = 400 * kMsPerDay;  // whole days
  // Login sessions past these are deleted (desk::SessionLimits; 0: not pruned).
  int64_t session_idle_ms = 0;
  int64_t session_absolute_ms = 0;
  int batch = 500;                          // events / notifications / log rows per transaction
  int64_t interval_ms = 10 * kMsPerMinute;  // between passes of the maintenance thread
};

// Applies `--retention KIND=DURATION` entries (kinds: alert_events, abnormal_records,
// notifications, ack_log, history; a duration like 90d, or 0 to keep for ever). Errors name
// the entry. Notifications are kept at least a day: a restart that queues a message again
// must still find it to skip it.
absl::Status ParseRetention(const std::vector<std::string>& entries, RetentionOptions* options);

class Retention {
 public:
  // `desk` may be null (no sessions to prune); `day_of` maps a time to its local day (the
  // configured calendar), for the day aggregates.
  Retention(store::Store* store, store::DeskStore* desk, Clock* clock,
            std::function<LocalDay(TimeMs)> day_of, RetentionOptions options);
  ~Retention();  // Stop()s

  // One pass at `now`; prunes until nothing older is left (or a store error, logged).
  void RunOnce(TimeMs now);
  void Start();  // a pass every interval_ms, the first one interval_ms after Start
  void Stop();

  // Prometheus lines: vigil_store_pruned_total{kind=...}, vigil_store_prune_errors_total.
  std::string Metrics() const;

 private:
  enum Counter { kEvents, kRecords, kNotifications, kAckLog, kHistory, kSessions, kCounters };
  // Calls `step` until it returns 0 or fails; adds what went to `counter`.
  void Drain(Counter counter, const std::function<absl::StatusOr<int64_t>()>& step);

  store::Store* store_;
  store::DeskStore* desk_;
  Clock* clock_;
  std::function<LocalDay(TimeMs)> day_of_;
  const RetentionOptions options_;
  std::array<std::atomic<int64_t>, kCounters> pruned_{};
  std::atomic<int64_t> errors_{0};

  std::mutex pass_mu_;  // one pass at a time
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace vigil::serve
