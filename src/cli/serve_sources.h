// The live sources of `vigil serve` besides HTTP: a TCP line listener, followed files and a
// Kafka consumer group, all feeding the runtime's one bounded queue. File offsets are kept in
// the store, so a restart resumes where the applied records end.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/clock.h"
#include "ingest/file_tail.h"
#include "ingest/kafka_source.h"
#include "ingest/offset_store.h"
#include "ingest/tcp_source.h"
#include "serve/runtime.h"

namespace vigil::cli {

struct SourceOptions {
  std::string tcp_listen;               // HOST:PORT; empty: no TCP listener
  std::vector<std::string> tail_paths;  // files or glob patterns to follow
  std::string kafka_brokers;            // empty: no Kafka consumer
  std::vector<std::string> kafka_topics;
  std::string kafka_group = "vigil";
};

class LiveSources {
 public:
  LiveSources(SourceOptions options, serve::Runtime* runtime);
  ~LiveSources();

  absl::Status Start();
  void Stop();
  int tcp_port() const;
  // Prometheus lines: records, rejected, bytes, errors per source.
  std::string Metrics() const;

 private:
  class StoreOffsets;
  SourceOptions options_;
  serve::Runtime* runtime_;
  std::unique_ptr<StoreOffsets> offsets_;
  std::unique_ptr<TcpSource> tcp_;
  std::unique_ptr<FileTail> tail_;
  std::unique_ptr<KafkaSource> kafka_;
};

}  // namespace vigil::cli
