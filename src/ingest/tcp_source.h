// A TCP listener for JSON Lines: producers connect and write one record per line.
//
// One I/O thread serves every connection with epoll. Complete lines are parsed into one shared
// batch, pushed to the RecordQueue when it holds `batch_records` records or its first record
// is `batch_interval` old. When the queue is full the thread waits for room and reads nothing
// meanwhile, so TCP flow control slows the senders down (backpressure, nothing dropped).
//
// Limits: at most `max_connections` at once (more are accepted and closed at once); a line
// longer than `max_line_bytes` is rejected as line_too_long and skipped, the connection stays;
// a connection silent for `idle_timeout` is closed; a client that disconnects mid-line loses
// only that partial line.
//
// Thread safety: Start/Stop from one owner thread; counters() and port() from any thread once
// Start() returned.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/time_util.h"
#include "ingest/record_queue.h"
#include "ingest/source_log.h"
#include "ingest/source_stats.h"

namespace vigil {

struct TcpSourceOptions {
  std::string host = "127.0.0.1";  // an IPv4 / IPv6 address or a name; "0.0.0.0" for all
  int port = 0;                    // 0: any free port (see TcpSource::port())
  size_t max_connections = 256;
  size_t max_line_bytes = 1 << 20;
  size_t read_bytes = 64 << 10;  // one read per ready connection per turn
  size_t batch_records = 4096;
  std::chrono::milliseconds batch_interval{50};
  std::chrono::milliseconds idle_timeout{5 * 60 * 1000};
  std::string source_name = "tcp";             // RecordBatch::source
  std::function<TimeMs()> wall_clock;          // RecordBatch::received_at; default: system clock
  SourceLog log = LogToStderr;
};

class TcpSource {
 public:
  TcpSource(TcpSourceOptions options, RecordQueue* queue);
  ~TcpSource();  // Stop()s
  TcpSource(const TcpSource&) = delete;
  TcpSource& operator=(const TcpSource&) = delete;

  // Binds and listens, then serves on its own thread. Fails when the address cannot be bound.
  absl::Status Start();
  // The bound port (after a successful Start).
  int port() const { return port_; }
  // Closes the listener and every connection and joins the thread; returns promptly even when
  // waiting for room in the queue (the batch being pushed is then dropped, and counted).
  // Records already queued stay queued.
  void Stop();

  // records, rejected, bytes, batches, errors, plus extra: connections_accepted,
  // connections_active, connections_refused, connections_idle_closed, partial_lines_dropped,
  // records_dropped_at_stop.
  SourceCounters counters() const;

 private:
  class Loop;

  TcpSourceOptions options_;
  RecordQueue* queue_;
  int port_ = 0;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace vigil
