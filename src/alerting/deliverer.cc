// The outbox worker (deliverer.h).
#include "alerting/deliverer.h"

#include <algorithm>
#include <chrono>

#include "alerting/tracked_alert.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::alerting {
namespace {

// The longest the thread sleeps without being woken (it re-reads the outbox then).
constexpr int64_t kMaxSleepMs = 60'000;

// A permanent failure: retrying the same message cannot help.
bool Permanent(const absl::Status& s) { return s.code() == absl::StatusCode::kInvalidArgument; }

}  // namespace

Deliverer::Deliverer(const AlertingConfig& config, store::Store* store, Clock* clock)
    : store_(store),
      clock_(clock),
      config_(std::make_shared<const AlertingConfig>(config)),
      rng_(std::random_device{}()) {}

Deliverer::~Deliverer() { Stop(); }

void Deliverer::Reload(const AlertingConfig& config) {
  auto fresh = std::make_shared<const AlertingConfig>(config);
  std::lock_guard<std::mutex> lock(mu_);
  config_ = std::move(fresh);
}

int64_t Deliverer::BackoffMs(const DeliveryConfig& d, int attempts) {
  int64_t delay = d.retry_initial_ms;
  for (int i = 0; i < attempts && delay < d.retry_max_ms; ++i) delay *= 2;
  delay = std::min(delay, d.retry_max_ms);
  std::lock_guard<std::mutex> lock(mu_);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  return static_cast<int64_t>(static_cast<double>(delay) * jitter(rng_));
}

int Deliverer::RunOnce(TimeMs now) {
  std::lock_guard<std::mutex> run(run_mu_);
  std::shared_ptr<const AlertingConfig> config;
  {
    std::lock_guard<std::mutex> lock(mu_);
    config = config_;
  }
  absl::StatusOr<std::vector<store::Notification>> due = store_->DueNotifications(now, kBatch);
  if (!due.ok()) {
    CountStoreError(due.status(), "reading due notifications");
    return 0;
  }
  const SendLimits limits{config->delivery.connect_timeout_ms, config->delivery.timeout_ms};
  std::map<std::string, std::pair<TimeMs, std::string>> failed;  // receiver -> retry at, error
  for (const store::Notification& n : *due) {
    ReceiverCounters counters;
    absl::Status sent;
    auto rc = config->receivers.find(n.receiver);
    if (rc == config->receivers.end()) {
      sent = absl::InvalidArgumentError(
          fmt::format("receiver '{}' is no longer configured", n.receiver));
    } else if (auto f = failed.find(n.receiver); f != failed.end()) {
      sent = absl::UnavailableError(fmt::format("not tried: {}", f->second.second));
    } else {
      sent = SendPayload(rc->second, n.payload_json,
                         fmt::format("{}.{}", n.id, StableHash(n.dedup_key)), now, limits);
      if (!sent.ok()) ++counters.failed;
    }
    absl::Status marked;
    if (sent.ok()) {
      ++counters.sent;
      marked = store_->MarkDelivered(n.id, now);
    } else if (Permanent(sent) || now - n.created_at >= config->delivery.max_age_ms) {
      ++counters.gave_up;
      spdlog::error("alerting: gave up notification {} to {} after {} attempts: {}", n.id,
                    n.receiver, n.attempts + 1, AsStd(sent.message()));
      marked = store_->MarkGaveUp(n.id, std::string(AsStd(sent.message())));
    } else {
      auto f = failed.find(n.receiver);
      TimeMs retry_at = f != failed.end() ? f->second.first
                                          : now + BackoffMs(config->delivery, n.attempts);
      if (f == failed.end()) {
        spdlog::warn("alerting: notification {} to {} failed (attempt {}), retry in {}: {}", n.id,
                     n.receiver, n.attempts + 1, FormatDuration(retry_at - now),
                     AsStd(sent.message()));
        failed[n.receiver] = {retry_at, std::string(AsStd(sent.message()))};
      }
      marked = store_->MarkRetry(n.id, retry_at, std::string(AsStd(sent.message())));
    }
    if (!marked.ok()) CountStoreError(marked, "marking a notification");
    std::lock_guard<std::mutex> lock(mu_);
    ReceiverCounters& c = stats_.receivers[n.receiver];
    c.sent += counters.sent;
    c.failed += counters.failed;
    c.gave_up += counters.gave_up;
  }
  return static_cast<int>(due->size());
}

void Deliverer::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Deliverer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Deliverer::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
  }
  wake_.notify_all();
}

void Deliverer::Loop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      notified_ = false;
    }
    if (RunOnce(clock_->Now()) >= kBatch) continue;  // more may be due already
    int64_t sleep_ms = kMaxSleepMs;
    absl::StatusOr<std::optional<TimeMs>> next = store_->NextAttempt();
    if (!next.ok()) {
      CountStoreError(next.status(), "reading the next attempt time");
    } else if (next->has_value()) {
      sleep_ms = std::clamp<int64_t>(**next - clock_->Now(), 0, kMaxSleepMs);
    }
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms),
                   [this] { return stop_ || notified_; });
  }
}

DeliveryStats Deliverer::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void Deliverer::CountStoreError(const absl::Status& s, const char* what) {
  spdlog::error("alerting: store error {}: {}", what, AsStd(s.message()));
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.store_errors;
}

}  // namespace vigil::alerting
