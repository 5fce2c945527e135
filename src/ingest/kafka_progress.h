// Internal to src/ingest: which Kafka offsets may be committed. The consumer thread records
// what it queued and what it was assigned; batches' on_applied callbacks (engine thread)
// record what was applied; the consumer thread commits only applied offsets of partitions it
// still owns, and on a revocation waits (bounded) until what it queued was applied.
//
// Offsets here are "next" offsets (last offset + 1), as Kafka commits them.
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vigil::ingest_internal {

using KafkaPartition = std::pair<std::string, int32_t>;  // (topic, partition)
using KafkaOffsets = std::map<KafkaPartition, int64_t>;   // partition -> next offset

class KafkaProgress {
 public:
  void Assign(const std::vector<KafkaPartition>& partitions);
  // Forgets the partitions: later applied callbacks for them commit nothing.
  void Revoke(const std::vector<KafkaPartition>& partitions);

  void Queued(const KafkaOffsets& next);
  void Applied(const KafkaOffsets& next);

  // Applied offsets of owned partitions not handed out for commit yet (all of them when
  // `all`); marks them handed out.
  KafkaOffsets TakeToCommit(bool all = false);
  // Lets offsets handed out by TakeToCommit be handed out again (their commit failed).
  void CommitFailed(const KafkaOffsets& offsets);
  // Applied offsets of these partitions (for the commit before giving them up).
  KafkaOffsets AppliedOf(const std::vector<KafkaPartition>& partitions);

  // Waits until every queued batch of `partitions` was applied, the deadline passed or
  // Wake() was called with `stop` set. True when everything was applied.
  bool WaitApplied(const std::vector<KafkaPartition>& partitions,
                   std::chrono::steady_clock::time_point deadline, const std::atomic<bool>& stop);
  void Wake();

  size_t assigned() const;

 private:
  bool AllAppliedLocked(const std::vector<KafkaPartition>& partitions) const;

  mutable std::mutex mu_;
  std::condition_variable applied_cv_;
  std::set<KafkaPartition> assigned_;
  KafkaOffsets queued_, applied_, handed_out_;
};

}  // namespace vigil::ingest_internal
