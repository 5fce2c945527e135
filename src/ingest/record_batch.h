// Owned batches of parsed records: what live sources (HTTP bodies, TCP lines, file tail,
// Kafka) put on the RecordQueue and the engine thread drains.
//
// A `RecordBatch` owns every string its RecordViews point to: one arena holds the bytes of all
// records (a record's strings are copied with one allocation-free memcpy per field), so the
// views stay valid for the batch's life and across moves. A batch carries where it came from,
// when it was received, and an optional `on_applied` callback that the consumer runs once the
// engine has applied every record of it (sources commit Kafka or file offsets only then).
//
// `RecordBatchBuilder` is a RecordSink that copies accepted records into a batch and tallies
// the rejected ones; `ParseToBatch` runs ParseBuffer through it.
//
// Thread safety: none inside; a batch is built by one thread, handed over through the queue,
// then used by the consumer alone.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "ingest/reader.h"
#include "ingest/record.h"

namespace vigil {

// Bytes that never move once allocated: chunks are only ever added, so views into them stay
// valid until the arena is destroyed (moving the arena moves the chunk pointers, not bytes).
class StringArena {
 public:
  StringArena() = default;
  StringArena(StringArena&&) noexcept = default;
  StringArena& operator=(StringArena&&) noexcept = default;

  // Makes sure `bytes` more can be allocated without another allocation.
  void Reserve(size_t bytes);
  // `n` uninitialised bytes (n > 0).
  char* Allocate(size_t n);
  size_t used() const { return used_; }

 private:
  void AddChunk(size_t bytes);

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
  size_t last_chunk_ = 0;
  size_t used_ = 0;
};

class RecordBatch {
 public:
  RecordBatch() = default;
  RecordBatch(RecordBatch&&) noexcept = default;
  RecordBatch& operator=(RecordBatch&&) noexcept = default;
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  // Room for `records` records whose strings total `string_bytes`, allocated up front.
  void Reserve(size_t records, size_t string_bytes);
  // Appends `record`, copying its strings into the batch.
  void Add(const RecordView& record);

  std::span<const RecordView> records() const { return records_; }
  const RecordView& operator[](size_t i) const { return records_[i]; }
  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  size_t string_bytes() const { return arena_.used(); }

  // Runs `on_applied` once (later calls do nothing). The consumer calls it after the engine
  // applied the batch, in the order the batches were popped.
  void MarkApplied();

  std::string source;          // "http", "tcp", "tail", "kafka", ... (for metrics and logs)
  TimeMs received_at = 0;      // when the source received the data (wall clock)
  int64_t input_bytes = 0;     // bytes of input the batch was parsed from
  std::function<void()> on_applied;
  // The input as it should be journaled by the server before the batch is applied (an HTTP
  // body as received, gzip included; empty: the server serialises the records itself).
  std::string journal_payload;
  uint8_t journal_format = 0;  // 0 JSON Lines, 1 CSV, 2 sniffed like ParseBuffer's kAuto
  uint8_t journal_flags = 0;   // 1: gzip
  // Called instead of on_applied when the batch could not be made durable (journal write
  // failed): its records were not applied and must not be acknowledged.
  std::function<void(const std::string& error)> on_failed;
  // The source's resume point after this batch (an OffsetStore key and value; empty key: none).
  // The server journals it inside the batch's frame, so a crash after the journal sync but
  // before on_applied saved it still finds it there at restart (no batch read twice).
  std::string resume_key;
  std::string resume_value;

 private:
  StringArena arena_;
  std::vector<RecordView> records_;
};

// Rejected lines counted by reason.
struct RejectTally {
  std::array<int64_t, kRejectReasonCount> by_reason{};
  int64_t total = 0;

  void Add(RejectReason r) {
    ++by_reason[static_cast<size_t>(r)];
    ++total;
  }
  int64_t count(RejectReason r) const { return by_reason[static_cast<size_t>(r)]; }
};

// "line 12: wrong_type (amount): expected a number, got string" (no "(field)" when the error
// concerns no particular field).
std::string FormatParseError(const ParseError& error, int64_t line);

// A RecordSink that copies every accepted record into a RecordBatch, counts rejections by
// reason and keeps the first `max_errors` of them as FormatParseError text.
class RecordBatchBuilder : public RecordSink {
 public:
  explicit RecordBatchBuilder(size_t max_errors = 10) : max_errors_(max_errors) {}

  // Reserves for parsing `input` (its size bounds the string bytes of its records: a string
  // value is never longer than the text it was read from).
  void ReserveFor(std::string_view input);
  // Added to the line numbers of error messages (for input parsed in pieces).
  void set_line_offset(int64_t offset) { line_offset_ = offset; }

  void OnRecord(const RecordView& record, int64_t line) override { batch_.Add(record); }
  void OnReject(const ParseError& error, int64_t line) override;
  // A rejection found outside ParseBuffer (e.g. a stream's over-long line); `line` is not
  // shifted by the line offset.
  void AddReject(RejectReason reason, std::string_view detail, int64_t line);

  RecordBatch& batch() { return batch_; }
  const RecordBatch& batch() const { return batch_; }
  // Hands over the batch built so far and starts an empty one (the tally stays).
  RecordBatch TakeBatch();

  const RejectTally& rejects() const { return rejects_; }
  const std::vector<std::string>& errors() const { return errors_; }
  // Forgets the tally and the kept errors.
  void ClearRejects();

 private:
  void Tally(const ParseError& error, int64_t line);

  size_t max_errors_;
  int64_t line_offset_ = 0;
  RecordBatch batch_;
  RejectTally rejects_;
  std::vector<std::string> errors_;
};

// One buffer (an HTTP body, a test's input) parsed into a batch.
struct ParsedBatch {
  RecordBatch batch;
  ReadStats stats;
  RejectTally rejects;
  std::vector<std::string> errors;  // the first `max_errors` rejections, FormatParseError text
};

// Parses `data` (JSON Lines or CSV with a header, see ParseBuffer) into a batch; never fails.
// The batch's metadata (source, received_at, on_applied) is left for the caller.
ParsedBatch ParseToBatch(std::string_view data, const ReaderOptions& options,
                         size_t max_errors = 10);

}  // namespace vigil
