// A Kafka consumer (librdkafka) whose message values are JSON Lines: one or more records per
// message.
//
// Delivery: auto-commit is off. A batch's offsets (per partition, the last offset + 1) are
// committed only after the engine applied the batch (its on_applied callback), so a restart
// or a rebalance redelivers exactly what was not applied: no gaps; no duplicates of applied
// records. On a revocation the source queues what it holds, waits (up to
// `revoke_drain_timeout`) for the engine to apply the revoked partitions' batches, commits
// them synchronously, then lets the partitions go; batches of revoked partitions applied
// later commit nothing (the new owner reads them again). Eager and cooperative rebalancing
// are both handled; lost partitions are given up without a commit.
//
// Batching: consumed values are gathered until they hold `batch_records` lines or the first
// is `batch_interval` old, then parsed into one batch and queued, waiting for room when the
// queue is full (no consume calls meanwhile: backpressure).
//
// Thread safety: Start/Stop from one owner thread; counters() from any thread. Batches may
// outlive the source (their callbacks hold shared state, not the source).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/time_util.h"
#include "ingest/record_queue.h"
#include "ingest/source_log.h"
#include "ingest/source_stats.h"

namespace vigil {

struct KafkaSourceOptions {
  std::string brokers;              // bootstrap.servers: "host:9092,host2:9092"
  std::vector<std::string> topics;  // subscribed (regex when starting with '^')
  std::string group_id;
  std::string auto_offset_reset = "earliest";  // where a group without commits starts
  size_t batch_records = 4096;
  std::chrono::milliseconds batch_interval{50};
  size_t max_line_bytes = 1 << 20;
  std::chrono::milliseconds revoke_drain_timeout{10'000};
  // Further librdkafka properties (security.protocol, sasl.*, session.timeout.ms, ...); they
  // cannot turn auto-commit back on.
  std::map<std::string, std::string> config;
  std::string source_name = "kafka";     // RecordBatch::source
  std::function<TimeMs()> wall_clock;    // RecordBatch::received_at; default: system clock
  SourceLog log = LogToStderr;
};

class KafkaSource {
 public:
  KafkaSource(KafkaSourceOptions options, RecordQueue* queue);
  ~KafkaSource();  // Stop()s
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  // Creates the consumer, subscribes and starts consuming on its own thread. Fails on a bad
  // configuration (the message names the property).
  absl::Status Start();
  // Commits what was applied (synchronously), leaves the group and joins the thread. Batches
  // still queued are not committed: they are delivered again after a restart.
  void Stop();

  // records, rejected, bytes (message values), batches, errors, plus extra: messages,
  // commits, commit_errors, rebalances, partitions_assigned.
  SourceCounters counters() const;

 private:
  class Consumer;

  KafkaSourceOptions options_;
  RecordQueue* queue_;
  std::unique_ptr<Consumer> consumer_;
  std::thread thread_;
};

}  // namespace vigil
