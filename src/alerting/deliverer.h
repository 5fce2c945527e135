// The outbox worker: takes due notifications from the store and sends each through its
// receiver (notify.h). A message that went out is marked delivered; one that failed is retried
// with exponential backoff (delivery.retry_initial doubling up to retry_max, +-10% jitter) and
// given up once it is delivery.max_age old, or at once when it can never succeed (its receiver
// was removed or changed kind). Delivery is at-least-once: the outbox is in the store, so a
// restart sends what was pending and nothing that was delivered.
//
// Within one pass, once a receiver failed, its further messages are not tried (they are
// rescheduled with it), so one receiver that hangs costs one timeout per pass, not one per
// message, and the other receivers still get theirs.
//
// Run it either by calling RunOnce(now) (tests, or a caller with its own loop), or on its own
// thread with Start(): it sleeps until the next message is due or Notify() says something was
// enqueued. Stop() (or the destructor) ends the thread after the send in progress.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "alerting/notify.h"
#include "common/alerting_config.h"
#include "common/clock.h"
#include "store/store.h"

namespace vigil::alerting {

struct ReceiverCounters {
  int64_t sent = 0;     // messages delivered
  int64_t failed = 0;   // send attempts that failed (each retry counts)
  int64_t gave_up = 0;  // messages abandoned
};

struct DeliveryStats {
  std::map<std::string, ReceiverCounters> receivers;  // by receiver name
  int64_t store_errors = 0;
};

class Deliverer {
 public:
  // `store` and `clock` must outlive the Deliverer.
  Deliverer(const AlertingConfig& config, store::Store* store, Clock* clock);
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Receivers and retry settings for the sends that start from now on.
  void Reload(const AlertingConfig& config);

  // One pass over the notifications due at `now` (at most kBatch); returns how many were
  // taken from the outbox. Passes never overlap (a call waits for the one in progress).
  int RunOnce(TimeMs now);
  static constexpr int kBatch = 100;

  void Start();
  void Stop();
  // Something was enqueued: wake the thread.
  void Notify();

  DeliveryStats Stats() const;

 private:
  void Loop();
  // The delay before retry number `attempts` + 1.
  int64_t BackoffMs(const DeliveryConfig& d, int attempts);
  void CountStoreError(const absl::Status& s, const char* what);

  store::Store* const store_;
  Clock* const clock_;

  std::mutex run_mu_;  // one pass at a time: the thread's and direct RunOnce calls never overlap
  mutable std::mutex mu_;
  std::shared_ptr<const AlertingConfig> config_;
  DeliveryStats stats_;
  std::mt19937_64 rng_;
  std::condition_variable wake_;
  bool notified_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil::alerting
