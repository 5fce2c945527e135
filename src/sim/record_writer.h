// Writes simulated records as JSON Lines or CSV (header row, the contract's field names),
// plain or gzip-compressed, to a file or stdout. Formatting goes through fmt into one reused
// buffer that is written in large blocks; this is the simulator's hot path.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sim/bank_model.h"
#include "sim/sim_record.h"

namespace vigil::sim {

enum class RecordFormat : uint8_t { kJsonLines, kCsv };

// A byte sink: a plain file, stdout ("-"), or a gzip stream (zlib gzopen).
class OutputFile {
 public:
  static absl::StatusOr<std::unique_ptr<OutputFile>> Open(const std::string& path, bool gzip);
  ~OutputFile();
  absl::Status Write(const char* data, size_t n);
  absl::Status Close();

 private:
  OutputFile() = default;
  std::string path_;
  FILE* file_ = nullptr;
  void* gz_ = nullptr;  // gzFile
  bool is_stdout_ = false;
};

// "x.jsonl" / "x.csv" / either + ".gz"; "-" is JSON Lines on stdout unless `format` says.
struct OutputSpec {
  std::string path;
  RecordFormat format = RecordFormat::kJsonLines;
  bool gzip = false;
};
absl::StatusOr<OutputSpec> OutputSpecFor(const std::string& path, const std::string& format);

class RecordWriter {
 public:
  RecordWriter(const Bank& bank, const absl::TimeZone& tz, RecordFormat format,
               std::unique_ptr<OutputFile> out);
  ~RecordWriter();

  void Write(const SimRecord& r);
  // Flushes and closes; the first write error, if any, is reported here.
  absl::Status Close();
  int64_t bytes() const { return bytes_; }

  // Formats one record without writing it (tests).
  std::string Format(const SimRecord& r);

 private:
  struct MinuteText {
    int64_t minute = INT64_MIN;
    char prefix[20];  // "2026-11-20T15:08:"
    char offset[8];   // "+08:00"
  };
  const MinuteText& Minute(TimeMs ts);
  void AppendJson(const SimRecord& r);
  void AppendCsv(const SimRecord& r);
  void MaybeFlush();

  const Bank& bank_;
  absl::TimeZone tz_;
  RecordFormat format_;
  std::unique_ptr<OutputFile> out_;
  std::string buf_;
  absl::Status status_;
  int64_t bytes_ = 0;
  std::vector<MinuteText> minutes_;
  std::vector<const TxnCode*> codes_;  // online codes, then end-of-day codes
  std::vector<std::string> svc_rets_;  // service * 3 + {ok, business, failure}
};

}  // namespace vigil::sim
