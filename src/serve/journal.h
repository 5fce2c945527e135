// The ingest journal: every batch of records is appended here before it is acknowledged, so a
// record a producer was told "accepted" survives a crash (kill -9 included). On start, the
// server rebuilds the engine's live state by replaying the journal's frames in order.
//
// Files: `<dir>/journal-<first seq, 16 hex>.log`, each a run of frames
//   [magic u32][payload length u32][crc32 of everything after this field u32]
//   [seq u64][received_at i64][format u8][flags u8][reserved u16][payload]
// little-endian. A frame is written with one write(); a crash can leave a torn last frame,
// which Open() cuts off (it was never acknowledged: acks wait for Sync()).
//
// Thread safety: Append and Sync may be called from many threads (HTTP handlers); Scan and
// DropBefore from one thread while no Append runs concurrently on the same segment set.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/time_util.h"

namespace vigil::serve {

// kAuto: sniffed as ParseBuffer does (first non-blank line '{' is JSON Lines, else CSV), so a
// body is read back exactly as it was read when it arrived.
enum class FrameFormat : uint8_t { kJsonLines = 0, kCsv = 1, kAuto = 2 };
inline constexpr uint8_t kFrameGzip = 1;  // flags: payload is gzip-compressed
// flags: the payload starts with the source's resume point (journal_codec.h), then the records
inline constexpr uint8_t kFrameResume = 2;

struct JournalFrame {
  uint64_t seq = 0;
  TimeMs received_at = 0;
  FrameFormat format = FrameFormat::kJsonLines;
  uint8_t flags = 0;
  std::string_view payload;  // valid during the Scan callback only
};

struct JournalOptions {
  int64_t segment_bytes = 64 << 20;  // start a new file past this size
  bool fsync = true;                 // tests of recovery logic may turn it off
};

struct JournalStats {
  uint64_t frames = 0;        // appended since open
  uint64_t bytes = 0;         // appended since open
  uint64_t syncs = 0;         // fdatasync calls (fewer than frames under concurrency)
  uint64_t truncated_bytes = 0;  // torn tail cut off at open
};

class Journal {
 public:
  static absl::StatusOr<std::unique_ptr<Journal>> Open(const std::string& dir,
                                                       JournalOptions options = {});
  ~Journal();

  // Appends one frame and returns its sequence number. It is durable once Sync(seq) returns.
  absl::StatusOr<uint64_t> Append(TimeMs received_at, FrameFormat format, uint8_t flags,
                                  std::string_view payload);
  // Waits until every frame up to `seq` is on disk. Concurrent callers share one fdatasync
  // (group commit).
  absl::Status Sync(uint64_t seq);

  // Calls `fn` for every intact frame with received_at >= from, in sequence order.
  absl::Status Scan(TimeMs from, const std::function<void(const JournalFrame&)>& fn) const;

  // The receive time of the first intact frame with received_at >= from, if any.
  std::optional<TimeMs> FirstAt(TimeMs from) const;

  // Deletes whole segments whose frames are all older than `before` (never the current one).
  absl::Status DropBefore(TimeMs before);

  uint64_t last_seq() const;
  JournalStats stats() const;
  const std::string& dir() const { return dir_; }

 private:
  struct Segment {
    std::string path;
    uint64_t first_seq = 0;
    TimeMs newest = INT64_MIN;  // newest received_at in the segment
  };
  Journal(std::string dir, JournalOptions options);
  absl::Status Recover();
  void ForEachFrame(TimeMs from, const std::function<bool(const JournalFrame&)>& fn) const;
  absl::Status OpenNewSegment();

  const std::string dir_;
  const JournalOptions options_;
  mutable std::mutex mu_;  // appends, segment list
  std::vector<Segment> segments_;
  int fd_ = -1;
  int64_t segment_size_ = 0;
  uint64_t next_seq_ = 1;
  JournalStats stats_;

  std::mutex sync_mu_;  // one fdatasync at a time
  uint64_t synced_seq_ = 0;  // guarded by mu_
};

}  // namespace vigil::serve
