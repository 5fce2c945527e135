// Reads records from files or stdin: JSON Lines or CSV with a header, either optionally
// gzip-compressed (recognised by its magic bytes, whatever the name).
//
// Reads in large chunks, splits lines without copying, skips blank lines, rejects lines
// longer than `max_line_bytes` without buffering them, and hands every record or rejection
// to a `RecordSink` with its 1-based line number. A bad line never stops the stream.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "ingest/record.h"

namespace vigil {

enum class InputFormat : uint8_t { kAuto, kJsonLines, kCsv };

// Receives records and rejections in line order. The reader parses one line ahead: before
// handing over a record it calls Prefetch() with the next one, so that a sink can start
// loading what that record will need while it works on the current one.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnRecord(const RecordView& record, int64_t line) = 0;
  virtual void OnReject(const ParseError& error, int64_t line) = 0;
  virtual void Prefetch(const RecordView& next) {}
};

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;  // auto: by name (.jsonl/.ndjson/.json, .csv,
                                            // either + .gz), else by the first byte ('{')
  size_t max_line_bytes = 1 << 20;          // longer lines are rejected as line_too_long
  size_t chunk_bytes = 4 << 20;
};

struct ReadStats {
  int64_t lines = 0;       // non-blank lines seen
  int64_t bytes = 0;       // uncompressed bytes read
  int64_t records = 0;     // lines handed to OnRecord
  int64_t rejected = 0;    // lines handed to OnReject
};

// Reads `path` ("-" for stdin) to the end. Returns OK when the whole input was read;
// an error for an unreadable file or a corrupt / truncated gzip stream, after every complete
// line before the damage was delivered. `progress`, if set, is called about every chunk with
// the uncompressed bytes read so far.
absl::Status ReadRecords(const std::string& path, const ReaderOptions& options, RecordSink* sink,
                         ReadStats* stats, void (*progress)(void* ctx, int64_t bytes) = nullptr,
                         void* progress_ctx = nullptr);

// Parses records already in memory (HTTP bodies, tests, fuzzing); kAuto sniffs the first
// byte ('{' means JSON Lines, anything else a CSV header). Never fails: bad lines are rejects.
void ParseBuffer(std::string_view data, const ReaderOptions& options, RecordSink* sink,
                 ReadStats* stats);

}  // namespace vigil
