// Parsers for one line of input: a JSON object (simdjson on-demand) or a CSV row.
//
// Hot path: a parser is reused for every line, allocates nothing per record once warmed up,
// and returns views into its own buffers (valid until the next call).
// Thread safety: one parser per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/record.h"

namespace vigil {

class JsonRecordParser {
 public:
  JsonRecordParser();
  ~JsonRecordParser();
  // `line` must be followed in memory by at least `kParsePadding` readable bytes (the reader
  // guarantees this); the line itself has no trailing newline. Returns false and fills `err`
  // when the line is rejected.
  bool Parse(std::string_view line, RecordView* out, ParseError* err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class CsvRecordParser {
 public:
  // Reads the header row (field names; unknown ones are ignored). Fails when a required
  // field (ts, txn, ret) has no column or a name repeats.
  bool SetHeader(std::string_view header_line, ParseError* err);
  bool Parse(std::string_view line, RecordView* out, ParseError* err);

 private:
  std::vector<int> column_field_;  // column index -> field id (-1: ignored)
  std::vector<std::string_view> cells_;
  std::string unquoted_;  // storage for cells that needed unquoting
};

// Bytes of readable padding simdjson needs after a line.
inline constexpr size_t kParsePadding = 64;

// Shared by both parsers: fills `time` and `dur_ms` from ts / end_ts / dur_ms / phase and
// checks the cross-field rules (negative duration, end_ts before ts).
bool FinishRecord(RecordView* r, bool has_dur, double dur_ms, ParseError* err);

}  // namespace vigil
