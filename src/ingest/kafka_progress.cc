// KafkaProgress: three maps under one mutex, and a condition variable for revocations.
#include "ingest/kafka_progress.h"

#include <algorithm>

namespace vigil::ingest_internal {

void KafkaProgress::Assign(const std::vector<KafkaPartition>& partitions) {
  std::lock_guard lock(mu_);
  for (const KafkaPartition& p : partitions) assigned_.insert(p);
}

void KafkaProgress::Revoke(const std::vector<KafkaPartition>& partitions) {
  std::lock_guard lock(mu_);
  for (const KafkaPartition& p : partitions) {
    assigned_.erase(p);
    queued_.erase(p);
    applied_.erase(p);
    handed_out_.erase(p);
  }
}

void KafkaProgress::Queued(const KafkaOffsets& next) {
  std::lock_guard lock(mu_);
  for (const auto& [p, offset] : next) {
    if (assigned_.count(p) != 0) queued_[p] = std::max(queued_[p], offset);
  }
}

void KafkaProgress::Applied(const KafkaOffsets& next) {
  {
    std::lock_guard lock(mu_);
    for (const auto& [p, offset] : next) {
      if (assigned_.count(p) != 0) applied_[p] = std::max(applied_[p], offset);
    }
  }
  applied_cv_.notify_all();
}

KafkaOffsets KafkaProgress::TakeToCommit(bool all) {
  std::lock_guard lock(mu_);
  KafkaOffsets out;
  for (const auto& [p, offset] : applied_) {
    auto it = handed_out_.find(p);
    if (all || it == handed_out_.end() || it->second < offset) {
      out[p] = offset;
      handed_out_[p] = offset;
    }
  }
  return out;
}

void KafkaProgress::CommitFailed(const KafkaOffsets& offsets) {
  std::lock_guard lock(mu_);
  for (const auto& [p, offset] : offsets) {
    auto it = handed_out_.find(p);
    if (it != handed_out_.end() && it->second == offset) handed_out_.erase(it);
  }
}

KafkaOffsets KafkaProgress::AppliedOf(const std::vector<KafkaPartition>& partitions) {
  std::lock_guard lock(mu_);
  KafkaOffsets out;
  for (const KafkaPartition& p : partitions) {
    if (auto it = applied_.find(p); it != applied_.end()) out[p] = it->second;
  }
  return out;
}

bool KafkaProgress::AllAppliedLocked(const std::vector<KafkaPartition>& partitions) const {
  for (const KafkaPartition& p : partitions) {
    auto q = queued_.find(p);
    if (q == queued_.end()) continue;
    auto a = applied_.find(p);
    if (a == applied_.end() || a->second < q->second) return false;
  }
  return true;
}

bool KafkaProgress::WaitApplied(const std::vector<KafkaPartition>& partitions,
                                std::chrono::steady_clock::time_point deadline,
                                const std::atomic<bool>& stop) {
  std::unique_lock lock(mu_);
  applied_cv_.wait_until(lock, deadline,
                         [&] { return stop.load() || AllAppliedLocked(partitions); });
  return AllAppliedLocked(partitions);
}

void KafkaProgress::Wake() {
  { std::lock_guard lock(mu_); }
  applied_cv_.notify_all();
}

size_t KafkaProgress::assigned() const {
  std::lock_guard lock(mu_);
  return assigned_.size();
}

}  // namespace vigil::ingest_internal
