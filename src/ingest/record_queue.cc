// RecordQueue: a deque under one mutex, with one condition variable per side.
#include "ingest/record_queue.h"

#include <utility>

namespace vigil {

RecordQueue::RecordQueue(size_t capacity_records) : capacity_(capacity_records) {}

bool RecordQueue::FitsLocked(size_t records) const {
  return batches_.empty() || records_ + records <= capacity_;
}

void RecordQueue::AppendLocked(RecordBatch&& batch) {
  records_ += batch.size();
  ++counters_.pushed_batches;
  counters_.pushed_records += static_cast<int64_t>(batch.size());
  batches_.push_back(std::move(batch));
}

bool RecordQueue::TryPush(RecordBatch&& batch) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (!FitsLocked(batch.size())) {
      ++counters_.full_rejections;
      return false;
    }
    AppendLocked(std::move(batch));
  }
  not_empty_.notify_one();
  return true;
}

RecordQueue::PushResult RecordQueue::Push(RecordBatch&& batch, Clock::time_point deadline) {
  return PushImpl(std::move(batch), deadline, /*count_wait=*/true);
}

RecordQueue::PushResult RecordQueue::PushImpl(RecordBatch&& batch, Clock::time_point deadline,
                                              bool count_wait) {
  {
    std::unique_lock lock(mu_);
    const size_t n = batch.size();
    if (!closed_ && !FitsLocked(n)) {
      if (count_wait) ++counters_.push_waits;
      room_.wait_until(lock, deadline, [&] { return closed_ || FitsLocked(n); });
    }
    if (closed_) return PushResult::kClosed;
    if (!FitsLocked(n)) return PushResult::kTimeout;
    AppendLocked(std::move(batch));
  }
  not_empty_.notify_one();
  return PushResult::kOk;
}

RecordQueue::PushResult RecordQueue::PushUnlessStopped(RecordBatch&& batch,
                                                       const std::atomic<bool>& stop) {
  constexpr auto kSlice = std::chrono::milliseconds(20);
  for (bool first = true;; first = false) {
    PushResult r = PushImpl(std::move(batch), Clock::now() + kSlice, first);
    if (r != PushResult::kTimeout || stop.load(std::memory_order_relaxed)) return r;
  }
}

std::optional<RecordBatch> RecordQueue::Pop(Clock::time_point deadline) {
  std::optional<RecordBatch> out;
  {
    std::unique_lock lock(mu_);
    not_empty_.wait_until(lock, deadline, [&] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return out;
    out.emplace(std::move(batches_.front()));
    batches_.pop_front();
    records_ -= out->size();
    ++counters_.popped_batches;
  }
  // Producers wait for different amounts of room: let each of them look again.
  room_.notify_all();
  return out;
}

void RecordQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  room_.notify_all();
  not_empty_.notify_all();
}

bool RecordQueue::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

RecordQueue::Depth RecordQueue::depth() const {
  std::lock_guard lock(mu_);
  return {records_, batches_.size()};
}

RecordQueue::Counters RecordQueue::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace vigil
