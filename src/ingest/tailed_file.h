// Internal to src/ingest: one file followed by FileTail, from an open descriptor: where it was
// read to, its format and CSV header, and the fingerprint of its first bytes. Reads appended
// complete lines into batches; finding rotation and truncation is FileTail's job.
//
// Offsets are byte offsets in the file. `end_offset` of a chunk is just past its last line:
// where a restart resumes once that chunk has been applied.
// Thread safety: none (FileTail's polling thread only).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/line_buffer.h"
#include "ingest/reader.h"
#include "ingest/record_batch.h"

namespace vigil::ingest_internal {

struct FileId {
  uint64_t dev = 0;
  uint64_t ino = 0;
  bool operator==(const FileId&) const = default;
};

// What the offset store keeps for a file: "v1 <dev> <ino> <offset> <fp_len> <fp_crc>".
struct SavedOffset {
  FileId id;
  int64_t offset = 0;
  uint32_t fp_len = 0;  // the fingerprint covers the first fp_len bytes
  uint32_t fp_crc = 0;  // crc32 of them
};
std::string EncodeSavedOffset(const SavedOffset& s);
std::optional<SavedOffset> DecodeSavedOffset(std::string_view text);

// crc32 of the first `len` bytes of `fd`; nullopt when the file is shorter or unreadable.
std::optional<uint32_t> Fingerprint(int fd, uint32_t len);

struct TailLimits {
  InputFormat format = InputFormat::kAuto;  // kAuto: by the path's name, else the first byte
  size_t max_line_bytes = 1 << 20;
  size_t read_bytes = 1 << 20;
  uint32_t fingerprint_bytes = 1024;
};

// The records of one read.
struct TailChunk {
  RecordBatch batch;
  RejectTally rejects;
  std::vector<std::string> errors;  // FormatParseError text, line numbers as described below
  int64_t bytes = 0;                // bytes read from the file
  int64_t end_offset = 0;
};

class TailedFile {
 public:
  // Takes ownership of `fd`, positioned logically at `offset` (a line start).
  TailedFile(std::string path, int fd, FileId id, int64_t offset, const TailLimits& limits);
  ~TailedFile();
  TailedFile(const TailedFile&) = delete;
  TailedFile& operator=(const TailedFile&) = delete;

  // One read's complete lines, or nullopt at the end of the data (or when the format is not
  // known yet, the CSV header is unusable, or reading failed: see error()). With `final`
  // (the file was rotated away and is done), a last line without its newline is delivered too.
  std::optional<TailChunk> ReadChunk(bool final);

  // True when the file is now shorter than what was read, or its first bytes changed: it was
  // truncated (copytruncate) or rewritten, and must be read again from the start.
  bool Replaced() const;

  // Reads the file again from its start (after Replaced()).
  void Restart();

  // What the store should keep once everything up to `end_offset` is applied.
  SavedOffset Saved(int64_t end_offset);

  const std::string& path() const { return path_; }
  int fd() const { return fd_; }
  FileId id() const { return id_; }
  // The offset just past the last line handed out: where reading would resume.
  int64_t consumed() const { return start_offset_ + lines_.consumed_bytes() + final_bytes_; }
  int64_t start_offset() const { return start_offset_; }
  // A read error or an unusable CSV header; empty while all is well. Reported once.
  std::string TakeError() { return std::exchange(error_, std::string()); }

 private:
  bool PrepareFormat();
  void ParseLines(std::string_view lines, int64_t first_line, TailChunk* chunk);

  std::string path_;
  int fd_;
  FileId id_;
  TailLimits limits_;
  int64_t start_offset_;  // the file offset LineBuffer's stream began at
  int64_t read_pos_;      // the next file offset to read
  LineBuffer lines_;
  bool format_ready_ = false;
  bool unusable_ = false;
  InputFormat format_;
  std::string header_;   // CSV header line, without its newline
  std::string scratch_;  // header + lines, for ParseBuffer
  int64_t final_bytes_ = 0;   // a last line without newline, delivered at rotation
  int64_t lines_before_ = 0;  // file lines before start_offset_, when known (-1: unknown)
  uint32_t fp_len_ = 0, fp_crc_ = 0;
  std::string error_;
};

}  // namespace vigil::ingest_internal
