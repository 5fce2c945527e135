// Counters every live source keeps, for /metrics: records, rejected lines by reason, bytes,
// batches, errors, plus a few source-specific figures (connections, rotations, commits...).
//
// Thread safety: SourceStats is updated with relaxed atomics by the source's threads and read
// by anyone through Snapshot().
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ingest/record.h"
#include "ingest/record_batch.h"

namespace vigil {

// A consistent-enough copy of a source's counters (each value is read atomically).
struct SourceCounters {
  int64_t records = 0;   // records accepted and queued
  int64_t bytes = 0;     // input bytes read
  int64_t batches = 0;   // batches queued
  int64_t errors = 0;    // I/O, protocol or broker errors (not bad lines)
  std::array<int64_t, kRejectReasonCount> rejected{};  // bad lines by RejectReason
  // Source-specific counters and gauges: {"connections_active", 3}, {"rotations", 1}, ...
  std::vector<std::pair<std::string, int64_t>> extra;

  int64_t rejected_total() const {
    int64_t n = 0;
    for (int64_t v : rejected) n += v;
    return n;
  }
  int64_t rejected_count(RejectReason r) const { return rejected[static_cast<size_t>(r)]; }
  // The value of extra counter `name`, 0 when absent.
  int64_t extra_value(const std::string& name) const {
    for (const auto& [key, value] : extra) {
      if (key == name) return value;
    }
    return 0;
  }
};

class SourceStats {
 public:
  void AddRecords(int64_t n) { records_.fetch_add(n, std::memory_order_relaxed); }
  void AddBytes(int64_t n) { bytes_.fetch_add(n, std::memory_order_relaxed); }
  void AddBatch() { batches_.fetch_add(1, std::memory_order_relaxed); }
  void AddError() { errors_.fetch_add(1, std::memory_order_relaxed); }
  void AddRejects(const RejectTally& tally) {
    for (size_t i = 0; i < rejected_.size(); ++i) {
      if (tally.by_reason[i] != 0) rejected_[i].fetch_add(tally.by_reason[i], std::memory_order_relaxed);
    }
  }
  void AddReject(RejectReason r) {
    rejected_[static_cast<size_t>(r)].fetch_add(1, std::memory_order_relaxed);
  }

  SourceCounters Snapshot() const {
    SourceCounters c;
    c.records = records_.load(std::memory_order_relaxed);
    c.bytes = bytes_.load(std::memory_order_relaxed);
    c.batches = batches_.load(std::memory_order_relaxed);
    c.errors = errors_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < rejected_.size(); ++i) {
      c.rejected[i] = rejected_[i].load(std::memory_order_relaxed);
    }
    return c;
  }

 private:
  std::atomic<int64_t> records_{0}, bytes_{0}, batches_{0}, errors_{0};
  std::array<std::atomic<int64_t>, kRejectReasonCount> rejected_{};
};

}  // namespace vigil
