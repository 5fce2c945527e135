// The engine in wall-clock time: the replay engine unchanged, driven by a clock instead of the
// records' own times. Records are applied as batches arrive; Tick(now) evaluates every minute
// up to now - allowed_lateness, commits that minute's events with the evaluation checkpoint in
// the store, and hands them to the observer (alerting).
//
// Restart and reload share one path, Rebuild(): a fresh engine takes the stored history of the
// days before the journal, then replays the journal's frames with the clock each frame was
// received at, so it reaches the state the old engine had (or, after a reload, the state the
// new configuration would have). Events of minutes already committed are not committed again;
// at the end the engine's open alerts are reconciled with the store's firing ones.
//
// Runs on one thread (the engine thread); nothing here is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "serve/journal.h"
#include "serve/loaded_config.h"
#include "store/store.h"

namespace vigil::serve {

class Series;

// Receives the events of each committed evaluation (with their store ids).
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  virtual void OnCommitted(const std::vector<store::AlertEventRow>& events) = 0;
};

// What applying one batch did, record by record.
struct ApplyOutcome {
  int64_t accepted = 0;
  int64_t late = 0;
  int64_t future = 0;  // rejected: beyond max_future_skew
};

struct LiveStats {
  int64_t records = 0, late = 0, future = 0;
  int64_t events_committed = 0;
  TimeMs checkpoint = INT64_MIN;   // last committed evaluation minute
  TimeMs last_tick = INT64_MIN;    // clock of the last Tick
  int64_t rebuild_frames = 0;      // journal frames replayed by the last Rebuild
  int64_t rebuild_records = 0;
  double rebuild_seconds = 0;
};

// How a journal frame's payload becomes records (the serve assembly decodes gzip and parses);
// `apply` must be called with every accepted record of the frame, in order.
using FrameDecoder =
    std::function<void(const JournalFrame& frame, const std::function<void(const RecordView&)>& apply)>;

class LiveEngine {
 public:
  LiveEngine(store::Store* store, CommitObserver* observer, Series* series);
  ~LiveEngine();

  // Builds a fresh engine for `config` and brings it up to `now` from the store and journal.
  absl::Status Rebuild(std::shared_ptr<const LoadedConfig> config, const Journal& journal,
                       const FrameDecoder& decode, TimeMs now);

  // Applies records received at `received_at` (the engine's clock for future-skew checks).
  ApplyOutcome Apply(std::span<const RecordView> records, TimeMs received_at);
  ApplyOutcome Apply(const RecordView& record, TimeMs received_at);

  // Evaluates up to now - allowed_lateness and commits. Returns the events committed.
  absl::StatusOr<int64_t> Tick(TimeMs now);

  // When the next minute becomes due (for the timer): the evaluation of minute t happens at
  // t + allowed_lateness.
  TimeMs NextDue() const;

  const Engine* engine() const { return engine_.get(); }
  const std::shared_ptr<const LoadedConfig>& config() const { return config_; }
  const LiveStats& stats() const { return stats_; }

 private:
  class EventCollector;
  class HistoryWriter;
  absl::Status Commit(TimeMs minute);
  absl::Status Reconcile(TimeMs now);

  store::Store* store_;
  CommitObserver* observer_;
  Series* series_;
  std::shared_ptr<const LoadedConfig> config_;
  std::unique_ptr<EventCollector> collector_;
  std::unique_ptr<HistoryWriter> history_;
  std::unique_ptr<Engine> engine_;
  LiveStats stats_;
  TimeMs committed_before_rebuild_ = INT64_MIN;  // events at or before it were committed
  bool rebuilding_ = false;
};

}  // namespace vigil::serve
