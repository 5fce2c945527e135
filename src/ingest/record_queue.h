// The one bounded queue between every live source (producers) and the engine thread (the
// single consumer). Its capacity counts RECORDS, not batches, so that memory stays bounded
// whatever the batch sizes.
//
// - TryPush never waits: false when the batch does not fit (the HTTP handler answers 429).
// - Push waits until the batch fits, the deadline passes or the queue is closed: sources that
//   can stop reading (TCP, file tail, Kafka) apply backpressure instead of dropping.
// - Pop waits until a batch is there, the deadline passes or the queue is closed and drained.
// A batch larger than the whole capacity is accepted only into an empty queue (otherwise it
// could never go in). Batches leave in the order they were pushed.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "ingest/record_batch.h"

namespace vigil {

class RecordQueue {
 public:
  using Clock = std::chrono::steady_clock;

  enum class PushResult { kOk, kTimeout, kClosed };

  struct Depth {
    size_t records = 0;
    size_t batches = 0;
  };

  struct Counters {
    int64_t pushed_batches = 0;
    int64_t pushed_records = 0;
    int64_t popped_batches = 0;
    int64_t full_rejections = 0;  // TryPush calls refused for lack of room
    int64_t push_waits = 0;       // Push calls that had to wait for room
  };

  explicit RecordQueue(size_t capacity_records);
  RecordQueue(const RecordQueue&) = delete;
  RecordQueue& operator=(const RecordQueue&) = delete;

  // Moves `batch` in when it fits now and the queue is open; otherwise returns false and
  // leaves `batch` untouched.
  bool TryPush(RecordBatch&& batch);

  // Moves `batch` in once it fits. On kTimeout or kClosed `batch` is left untouched.
  PushResult Push(RecordBatch&& batch, Clock::time_point deadline);

  // Push for sources that stop reading while the queue is full: waits as long as it takes,
  // looking at `stop` every few milliseconds (kTimeout means `stop` was set).
  PushResult PushUnlessStopped(RecordBatch&& batch, const std::atomic<bool>& stop);

  // The oldest batch; nullopt at the deadline, or at once when the queue is closed and empty.
  // Batches pushed before Close() are still handed out.
  std::optional<RecordBatch> Pop(Clock::time_point deadline);

  // Refuses every later push and wakes every waiting producer and consumer.
  void Close();
  bool closed() const;

  Depth depth() const;
  size_t capacity() const { return capacity_; }
  Counters counters() const;

 private:
  PushResult PushImpl(RecordBatch&& batch, Clock::time_point deadline, bool count_wait);
  bool FitsLocked(size_t records) const;
  void AppendLocked(RecordBatch&& batch);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;  // consumer waits here
  std::condition_variable room_;       // producers wait here
  std::deque<RecordBatch> batches_;    // guarded by mu_
  size_t records_ = 0;                 // guarded by mu_
  bool closed_ = false;                // guarded by mu_
  Counters counters_;                  // guarded by mu_
};

}  // namespace vigil
