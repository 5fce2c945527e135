// The live loop of `vigil simulate --live`: every tick it asks the feed for the records due
// by the clock, formats them as JSON Lines and hands them to the sender in batches; it passes
// the feed's fault lines on and reports progress every few seconds. Clock and sleeper are
// injected, so a test runs an hour of traffic without waiting.
//
// If the sender is slow (the server pushes back), ticks are late and the next one carries
// everything due since: records are never skipped, only delayed.
//
// Example:
//   LiveRunner runner(feed, *world, sender, clock, sleeper, {.duration_ms = 600'000}, log);
//   absl::Status s = runner.Run(&stop);
//
// Thread safety: not thread-safe; Run once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "common/clock.h"
#include "sim/live_feed.h"
#include "sim/live_sender.h"
#include "sim/live_world.h"
#include "sim/record_writer.h"

namespace vigil::sim {

struct LiveRunOptions {
  int64_t duration_ms = 0;  // 0: until stopped or the feed's calendar ends
  int64_t tick_ms = 200;
  size_t batch_records = 5000;  // a tick's records go out in batches of at most this many
  int64_t progress_every_ms = 10'000;
};

struct LiveRunStats {
  int64_t generated = 0;  // records the feed produced
  TimeMs began = 0, ended = 0;
  bool stopped = false;  // ended by the stop flag rather than the duration
};

class LiveRunner {
 public:
  // All references must outlive the runner. `log` gets every line meant for the operator.
  LiveRunner(LiveFeed& feed, const LiveWorld& world, RecordSender& sender, Clock& clock,
             Sleeper& sleeper, LiveRunOptions options,
             std::function<void(const std::string&)> log);

  // Runs until the duration has passed (everything due by then sent), the feed ends, or
  // `*stop` is set. An error is the sender's final one (a refused token, a 4xx).
  absl::Status Run(const std::atomic<bool>* stop = nullptr);

  const LiveRunStats& stats() const { return stats_; }

 private:
  absl::Status SendDue(const std::vector<SimRecord>& due);
  void Progress(TimeMs now);

  LiveFeed& feed_;
  const LiveWorld& world_;
  RecordSender& sender_;
  Clock& clock_;
  Sleeper& sleeper_;
  const LiveRunOptions options_;
  std::function<void(const std::string&)> log_;
  RecordWriter writer_;  // formats only
  std::string body_;
  LiveRunStats stats_;
  TimeMs last_progress_ = 0;
  int64_t records_at_last_progress_ = 0;
};

}  // namespace vigil::sim
