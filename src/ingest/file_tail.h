// Follows files like `tail -F` and queues their records: JSON Lines, or CSV with a header
// (remembered per file).
//
// - Paths may be glob patterns (`/var/log/pay/*.jsonl`), looked at again on every poll; a
//   plain path that does not exist yet is waited for.
// - Only complete lines are read; a line longer than `max_line_bytes` is rejected and skipped.
// - Rotation (the path now names another file): the old file is read to its end (a last line
//   without newline included), then the new one from its start. A file under a glob pattern
//   that disappears is read to its end and forgotten; a plain path keeps following its old
//   file until a new one appears.
// - Truncation (copytruncate: the file is shorter than what was read) or a rewrite (its first
//   bytes changed): read again from the start.
// - Restarts: the OffsetStore keeps, per path, device + inode + the offset just past the last
//   APPLIED line + a fingerprint (crc32) of the first bytes. Each batch saves its offset only
//   in its on_applied callback, so after a crash the lines queued but not applied are read
//   again (no gaps) and applied ones are not (no duplicates). The same offset travels in the
//   batch (RecordBatch::resume_key / resume_value): `vigil serve` journals it with the records
//   and, at restart, puts back an offset a crash kept on_applied from saving. A stored offset
//   is used only when the file is the same (device, inode, fingerprint) and still that long;
//   a rotated file found under another watched name (app.log -> app.log.1 both matching the
//   pattern) resumes where the old name left it. Not covered: a rotation while vigil is down,
//   when the rotated file's new name is not watched (its unread end is lost).
//
// Polling: Start() polls every `poll_interval` on its own thread; tests call Poll() instead.
// Thread safety: Poll() from one thread at a time (not while started); counters() from any.
// The OffsetStore must outlive every batch this source queued (their callbacks use it).
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

#include "common/time_util.h"
#include "ingest/offset_store.h"
#include "ingest/reader.h"
#include "ingest/record_queue.h"
#include "ingest/source_log.h"
#include "ingest/source_stats.h"

namespace vigil {

namespace ingest_internal {
class TailedFile;
struct TailChunk;
struct FileId;
}  // namespace ingest_internal

struct FileTailOptions {
  std::vector<std::string> paths;           // files or glob patterns (* ? [...])
  InputFormat format = InputFormat::kAuto;  // kAuto: by name (.jsonl/.ndjson/.json, .csv), else
                                            // the first byte ('{' is JSON Lines)
  size_t max_line_bytes = 1 << 20;
  size_t read_bytes = 1 << 20;              // one batch holds the complete lines of one read
  uint32_t fingerprint_bytes = 1024;
  std::chrono::milliseconds poll_interval{250};
  std::string source_name = "tail";         // RecordBatch::source
  std::string key_prefix = "tail:";         // offset store key: key_prefix + path
  std::function<TimeMs()> wall_clock;       // RecordBatch::received_at; default: system clock
  SourceLog log = LogToStderr;
};

class FileTail {
 public:
  FileTail(FileTailOptions options, RecordQueue* queue, OffsetStore* offsets);
  ~FileTail();  // Stop()s
  FileTail(const FileTail&) = delete;
  FileTail& operator=(const FileTail&) = delete;

  // One pass: finds the files, follows rotation and truncation, reads every appended complete
  // line and queues it (waiting for room in the queue). Problems are logged and counted.
  void Poll();

  void Start();
  // Returns promptly even while waiting for room in the queue (that batch is then not queued;
  // its lines are read again after a restart, since their offset was never saved).
  void Stop();

  // records, rejected, bytes, batches, errors, plus extra: files_followed, rotations,
  // truncations.
  SourceCounters counters() const;

 private:
  struct Watched;

  std::vector<std::pair<std::string, bool>> Discover() const;  // (path, from a glob pattern)
  void PollPath(Watched& w);
  bool OpenFile(Watched& w, bool* adopted);
  int64_t ResumeOffset(const std::string& path, int fd, const ingest_internal::FileId& id,
                       int64_t size, bool* adopted);
  bool FollowedElsewhere(const Watched& self, const ingest_internal::FileId& id) const;
  bool Drain(Watched& w, bool final);
  bool Queue(Watched& w, ingest_internal::TailChunk chunk);
  void Log(const std::string& line) const;
  TimeMs WallNow() const;

  FileTailOptions options_;
  RecordQueue* queue_;
  OffsetStore* offsets_;
  std::map<std::string, std::unique_ptr<Watched>> watched_;  // by path
  // Files read to their end, by (dev, ino): their EncodeSavedOffset, for when they show up
  // under another watched name.
  std::map<std::pair<uint64_t, uint64_t>, std::string> finished_;

  SourceStats stats_;
  std::atomic<int64_t> files_{0}, rotations_{0}, truncations_{0};

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace vigil
