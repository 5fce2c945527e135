// The live half of `vigil serve`: the record queue every source feeds, the journal, the store,
// and the engine thread that applies batches and evaluates minutes on the clock.
//
// The engine thread, for each batch it pops: journals it, applies it; after a run of batches,
// one fdatasync (group commit), then each batch's on_applied (the HTTP handler acknowledges,
// the file tail and Kafka commit offsets). So a record is acknowledged only once it is on
// disk, and the journal holds the batches in exactly the order they were applied: a restart
// replays it to the same state. Between batches it ticks the engine on the clock: minute t is
// evaluated at t + allowed_lateness, whether records come or not (no_txn, batch deadlines).
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "ingest/record_queue.h"
#include "serve/journal.h"
#include "serve/live_engine.h"
#include "serve/loaded_config.h"
#include "serve/series.h"
#include "store/store.h"

namespace vigil::serve {

struct RuntimeOptions {
  std::string data_dir = "./vigil-data";
  std::string store_url;               // empty: sqlite:///<data_dir>/vigil.db
  size_t queue_records = 1'000'000;    // bounded queue capacity, in records
  size_t max_body_bytes = 256 << 20;   // inflated size limit for journal frames
  bool journal_fsync = true;
  Clock* clock = nullptr;              // required
  // Called on the engine thread after every tick (alerting groups, delivery wake-up).
  std::function<void(TimeMs now)> on_tick;
};

struct RuntimeStats {
  int64_t batches = 0;
  int64_t records = 0;       // applied and accepted by the engine
  int64_t late = 0;
  int64_t future = 0;
  int64_t journal_errors = 0;
  int64_t events = 0;        // alert events committed
  TimeMs checkpoint = INT64_MIN;
  int64_t lag_ms = 0;        // how far evaluation is behind the clock
  int64_t rebuild_records = 0;
  double rebuild_seconds = 0;
  int64_t reloads = 0;       // configurations applied since start
};

class Runtime {
 public:
  static absl::StatusOr<std::unique_ptr<Runtime>> Open(RuntimeOptions options,
                                                       std::shared_ptr<const LoadedConfig> config);
  ~Runtime();

  // Rebuilds the engine from the store and journal, then starts the engine thread.
  absl::Status Start(CommitObserver* observer);
  // Stops taking records, applies what is queued, syncs, and joins the engine thread.
  void Stop();

  // Validated elsewhere; rebuilds the engine under the new configuration from the journal
  // (state is kept: baselines, windows, open alerts). Blocks until done.
  absl::Status Reload(std::shared_ptr<const LoadedConfig> config);

  // Runs `fn` on the engine thread and waits for it (reads of engine state).
  void RunOnEngine(const std::function<void(LiveEngine&)>& fn);
  // Makes the engine thread look at the clock now (a test clock was moved).
  void Wake();
  // Evaluates on the engine thread at the clock's time now and waits (a test clock was moved).
  void TickNow();

  RecordQueue& queue() { return queue_; }
  store::Store& store() { return *store_; }
  Series& series() { return series_; }
  Clock& clock() { return *options_.clock; }
  std::shared_ptr<const LoadedConfig> config() const;
  RuntimeStats stats() const;
  // Waits until at least `records` records were applied and `reloads` reloads done since
  // start, or `timeout` passed; returns the stats then (scripts and tests wait for their data
  // to be in instead of polling).
  RuntimeStats WaitFor(int64_t records, int64_t reloads, std::chrono::milliseconds timeout) const;
  JournalStats journal_stats() const { return journal_->stats(); }
  bool ready() const { return ready_.load(); }

  // Test-only fault hook: with VIGIL_TEST_CRASH_AT=after_journal_sync in the environment (read
  // once, when the runtime is made) the process _exits with kCrashExitCode right after the
  // first journal sync that made batches durable, before any of them is acknowledged.
  static constexpr const char* kCrashEnv = "VIGIL_TEST_CRASH_AT";
  static constexpr int kCrashExitCode = 86;

 private:
  Runtime(RuntimeOptions options, std::shared_ptr<const LoadedConfig> config);
  void Loop();
  void Process(RecordBatch& batch, std::vector<RecordBatch>* applied, uint64_t* last_seq);
  void Finish(std::vector<RecordBatch>* applied, uint64_t last_seq);
  void RunCommands();
  void TickIfDue(bool force);
  FrameDecoder Decoder() const;
  absl::Status RestoreResumePoints(const std::map<std::string, std::string>& points);

  RuntimeOptions options_;
  mutable std::mutex config_mu_;
  std::shared_ptr<const LoadedConfig> config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Journal> journal_;
  RecordQueue queue_;
  Series series_;
  std::unique_ptr<LiveEngine> live_;
  std::thread thread_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};

  std::mutex cmd_mu_;
  std::vector<std::function<void()>> commands_;

  mutable std::mutex stats_mu_;
  mutable std::condition_variable stats_changed_;
  RuntimeStats stats_;
  ApplyOutcome unacknowledged_;  // applied, not yet synced and acknowledged (engine thread)
  TimeMs last_tick_ = INT64_MIN;
  LocalDay journal_day_ = INT64_MIN;  // day of the last journal clean-up
  bool crash_after_sync_ = false;      // kCrashEnv
};

}  // namespace vigil::serve
