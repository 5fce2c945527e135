#include "serve/retention.h"

#include <chrono>
#include <map>

#include "common/strings.h"
#include "common/time_util.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::serve {
namespace {

constexpr const char* kCounterNames[] = {"alert_events", "abnormal_records", "notifications",
                                         "ack_log",      "history_days",     "sessions"};

}  // namespace

absl::Status ParseRetention(const std::vector<std::string>& entries, RetentionOptions* options) {
  const std::map<std::string, int64_t*, std::less<>> kinds = {
      {"alert_events", &options->alert_events_ms},
      {"abnormal_records", &options->abnormal_records_ms},
      {"notifications", &options->notifications_ms},
      {"ack_log", &options->ack_log_ms},
      {"history", &options->history_ms}};
  for (const std::string& entry : entries) {
    const size_t eq = entry.find('=');
    auto kind = kinds.find(entry.substr(0, eq));
    if (eq == std::string::npos || kind == kinds.end()) {
      return absl::InvalidArgumentError(fmt::format(
          "--retention '{}': expected KIND=DURATION with KIND one of alert_events, "
          "abnormal_records, notifications, ack_log, history",
          entry));
    }
    absl::StatusOr<int64_t> ms = ParseDurationMs(std::string_view(entry).substr(eq + 1));
    if (!ms.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("--retention '{}': {}", entry, AsStd(ms.status().message())));
    }
    if (kind->first == "notifications" && *ms != 0 && *ms < kMsPerDay) {
      return absl::InvalidArgumentError(fmt::format(
          "--retention '{}': notifications are kept at least 1d (a restart that queues a "
          "message again must find it to skip it)",
          entry));
    }
    if (kind->first == "history" && *ms % kMsPerDay != 0) {
      return absl::InvalidArgumentError(
          fmt::format("--retention '{}': history is kept in whole days (e.g. 400d)", entry));
    }
    *kind->second = *ms;
  }
  return absl::OkStatus();
}

Retention::Retention(store::Store* store, store::DeskStore* desk, Clock* clock,
                     std::function<LocalDay(TimeMs)> day_of, RetentionOptions options)
    : store_(store), desk_(desk), clock_(clock), day_of_(std::move(day_of)), options_(options) {}

Retention::~Retention() { Stop(); }

void Retention::Drain(Counter counter, const std::function<absl::StatusOr<int64_t>()>& step) {
  while (true) {
    absl::StatusOr<int64_t> n = step();
    if (!n.ok()) {
      errors_.fetch_add(1);
      spdlog::error("retention: pruning {}: {}", kCounterNames[counter],
                    AsStd(n.status().message()));
      return;
    }
    if (*n == 0) return;
    pruned_[counter].fetch_add(*n);
  }
}

void Retention::RunOnce(TimeMs now) {
  std::lock_guard pass(pass_mu_);
  const int batch = options_.batch;
  auto by_age = [&](Counter counter, store::PruneKind kind, int64_t keep_ms) {
    if (keep_ms <= 0) return;
    Drain(counter, [&] { return store_->Prune(kind, now - keep_ms, batch); });
  };
  // Records first: with the events' own limit they would go with them anyway.
  by_age(kRecords, store::PruneKind::kAbnormalRecords, options_.abnormal_records_ms);
  by_age(kEvents, store::PruneKind::kAlertEvents, options_.alert_events_ms);
  by_age(kNotifications, store::PruneKind::kNotifications, options_.notifications_ms);
  by_age(kAckLog, store::PruneKind::kAckLog, options_.ack_log_ms);
  if (options_.history_ms > 0 && day_of_) {
    const LocalDay before = day_of_(now) - options_.history_ms / kMsPerDay;
    // One day per transaction: a day is a row per code (2,000 codes: 2,000 rows).
    Drain(kHistory, [&] { return store_->PruneHistory(before, 1); });
  }
  if (desk_ != nullptr && (options_.session_idle_ms > 0 || options_.session_absolute_ms > 0)) {
    // Sessions are few (one per logged-in person): one statement.
    const TimeMs created_before =
        options_.session_absolute_ms > 0 ? now - options_.session_absolute_ms : INT64_MIN;
    const TimeMs seen_before =
        options_.session_idle_ms > 0 ? now - options_.session_idle_ms : INT64_MIN;
    absl::StatusOr<int64_t> n = desk_->PruneSessions(created_before, seen_before);
    if (n.ok()) {
      pruned_[kSessions].fetch_add(*n);
    } else {
      errors_.fetch_add(1);
      spdlog::error("retention: pruning sessions: {}", AsStd(n.status().message()));
    }
  }
}

void Retention::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms),
                         [&] { return stop_; })) {
        break;
      }
      lock.unlock();
      RunOnce(clock_->Now());
      lock.lock();
    }
  });
}

void Retention::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string Retention::Metrics() const {
  std::string out =
      "# HELP vigil_store_pruned_total Rows deleted by retention, by kind (docs/serve.md).\n"
      "# TYPE vigil_store_pruned_total counter\n";
  for (int c = 0; c < kCounters; ++c) {
    out += fmt::format("vigil_store_pruned_total{{kind=\"{}\"}} {}\n", kCounterNames[c],
                       pruned_[c].load());
  }
  out += "# HELP vigil_store_prune_errors_total Retention passes stopped by a store error.\n"
         "# TYPE vigil_store_prune_errors_total counter\n";
  out += fmt::format("vigil_store_prune_errors_total {}\n", errors_.load());
  return out;
}

}  // namespace vigil::serve
