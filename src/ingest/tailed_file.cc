// TailedFile: pread from the last position into a LineBuffer, complete lines through
// ParseBuffer (behind the remembered header for CSV) into one batch per read.
#include "ingest/tailed_file.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "fmt/format.h"
#include "ingest/parse.h"

namespace vigil::ingest_internal {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

InputFormat FormatByName(std::string_view path) {
  for (std::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (EndsWithNoCase(path, ext)) return InputFormat::kJsonLines;
  }
  return EndsWithNoCase(path, ".csv") ? InputFormat::kCsv : InputFormat::kAuto;
}

ssize_t PreadAll(int fd, char* dst, size_t n, int64_t offset) {
  ssize_t got;
  do {
    got = pread(fd, dst, n, offset);
  } while (got < 0 && errno == EINTR);
  return got;
}

}  // namespace

std::string EncodeSavedOffset(const SavedOffset& s) {
  return fmt::format("v1 {} {} {} {} {}", s.id.dev, s.id.ino, s.offset, s.fp_len, s.fp_crc);
}

std::optional<SavedOffset> DecodeSavedOffset(std::string_view text) {
  SavedOffset s;
  unsigned long long dev = 0, ino = 0;
  long long offset = 0;
  unsigned fp_len = 0, fp_crc = 0;
  std::string copy(text);
  int used = 0;
  if (std::sscanf(copy.c_str(), "v1 %llu %llu %lld %u %u%n", &dev, &ino, &offset, &fp_len,
                  &fp_crc, &used) != 5 ||
      static_cast<size_t>(used) != copy.size() || offset < 0) {
    return std::nullopt;
  }
  s.id = {dev, ino};
  s.offset = offset;
  s.fp_len = fp_len;
  s.fp_crc = fp_crc;
  return s;
}

std::optional<uint32_t> Fingerprint(int fd, uint32_t len) {
  std::string buf(len, '\0');
  if (len > 0 && PreadAll(fd, buf.data(), len, 0) != static_cast<ssize_t>(len)) return std::nullopt;
  return static_cast<uint32_t>(
      crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(buf.data()), len));
}

TailedFile::TailedFile(std::string path, int fd, FileId id, int64_t offset,
                       const TailLimits& limits)
    : path_(std::move(path)),
      fd_(fd),
      id_(id),
      limits_(limits),
      start_offset_(offset),
      read_pos_(offset),
      lines_(limits.max_line_bytes, limits.read_bytes),
      lines_before_(offset == 0 ? 0 : -1) {
  if (offset > 0) Saved(offset);  // fingerprint what was read before
}

TailedFile::~TailedFile() { close(fd_); }

void TailedFile::Restart() {
  start_offset_ = read_pos_ = 0;
  lines_ = LineBuffer(limits_.max_line_bytes, limits_.read_bytes);
  format_ready_ = unusable_ = false;
  header_.clear();
  final_bytes_ = 0;
  lines_before_ = 0;
  fp_len_ = fp_crc_ = 0;
}

bool TailedFile::Replaced() const {
  struct stat st {};
  if (fstat(fd_, &st) != 0) return false;
  if (st.st_size < read_pos_) return true;
  return fp_len_ > 0 && Fingerprint(fd_, fp_len_) != fp_crc_;
}

SavedOffset TailedFile::Saved(int64_t end_offset) {
  const auto want = static_cast<uint32_t>(std::min<int64_t>(limits_.fingerprint_bytes, end_offset));
  if (want > fp_len_) {
    if (std::optional<uint32_t> crc = Fingerprint(fd_, want)) {
      fp_len_ = want;
      fp_crc_ = *crc;
    }
  }
  return {id_, end_offset, fp_len_, fp_crc_};
}

// Finds the format (by name, else by the first byte) and, for CSV, reads and checks the
// header. False while the first line is incomplete, or when the header is unusable.
bool TailedFile::PrepareFormat() {
  if (format_ready_) return true;
  if (unusable_) return false;
  InputFormat format = limits_.format != InputFormat::kAuto ? limits_.format : FormatByName(path_);
  std::string head(limits_.max_line_bytes + 2, '\0');
  ssize_t n = PreadAll(fd_, head.data(), head.size(), 0);
  if (n < 0) {
    error_ = fmt::format("read error: {}", std::strerror(errno));
    return false;
  }
  head.resize(static_cast<size_t>(n));
  std::string_view text = head;
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (format == InputFormat::kAuto) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return false;  // nothing to go by yet
    format = text[first] == '{' ? InputFormat::kJsonLines : InputFormat::kCsv;
  }
  if (format == InputFormat::kCsv) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      if (head.size() > limits_.max_line_bytes + 1) {
        unusable_ = true;
        error_ = fmt::format("CSV header is longer than {} bytes", limits_.max_line_bytes);
      }
      return false;
    }
    header_.assign(text.substr(0, nl));
    if (!header_.empty() && header_.back() == '\r') header_.pop_back();
    CsvRecordParser check;
    ParseError err;
    if (!check.SetHeader(header_, &err)) {
      unusable_ = true;
      error_ = fmt::format("unusable CSV header: {}", err.detail);
      return false;
    }
    if (start_offset_ == 0) {  // the header is not a record: start after it
      start_offset_ = read_pos_ = static_cast<int64_t>(head.size() - text.size() + nl + 1);
      lines_before_ = 1;
    }
  }
  format_ = format;
  format_ready_ = true;
  return true;
}

void TailedFile::ParseLines(std::string_view lines, int64_t first_line, TailChunk* chunk) {
  // Error messages count file lines when reading began at the start, else lines since the
  // resume point.
  const int64_t base = (lines_before_ < 0 ? 0 : lines_before_) + first_line - 1;
  RecordBatchBuilder builder(5);
  ReaderOptions options;
  options.format = format_;
  options.max_line_bytes = limits_.max_line_bytes;
  if (format_ == InputFormat::kCsv) {
    scratch_.clear();
    scratch_.reserve(header_.size() + 1 + lines.size());
    scratch_.append(header_).append(1, '\n').append(lines);
    builder.ReserveFor(scratch_);
    builder.set_line_offset(base - 1);  // scratch's line 1 is the header
    ParseBuffer(scratch_, options, &builder, nullptr);
  } else {
    builder.ReserveFor(lines);
    builder.set_line_offset(base);
    ParseBuffer(lines, options, &builder, nullptr);
  }
  chunk->batch = builder.TakeBatch();
  chunk->rejects = builder.rejects();
  chunk->errors = builder.errors();
}

std::optional<TailChunk> TailedFile::ReadChunk(bool final) {
  if (!PrepareFormat()) return std::nullopt;
  ssize_t n = PreadAll(fd_, lines_.write_ptr(), lines_.write_room(), read_pos_);
  if (n < 0) {
    error_ = fmt::format("read error at offset {}: {}", read_pos_, std::strerror(errno));
    return std::nullopt;
  }
  TailChunk chunk;
  if (n == 0) {
    if (!final || lines_.pending().empty()) return std::nullopt;
    // The file is done: its last line counts even without a newline.
    std::string last(lines_.pending());
    const int64_t number = lines_.lines() + 1;
    lines_.DropPending();
    final_bytes_ += static_cast<int64_t>(last.size());
    ParseLines(last, number, &chunk);
    chunk.end_offset = consumed();
    return chunk;
  }
  read_pos_ += n;
  chunk.bytes = n;
  LineBuffer::Lines got = lines_.Commit(static_cast<size_t>(n));
  if (!got.complete.empty()) ParseLines(got.complete, got.first_line, &chunk);
  if (got.too_long_line != 0) {
    chunk.rejects.Add(RejectReason::kLineTooLong);
    ParseError err;
    err.reason = RejectReason::kLineTooLong;
    err.detail = fmt::format("line is longer than {} bytes", limits_.max_line_bytes);
    const int64_t base = lines_before_ < 0 ? 0 : lines_before_;
    if (chunk.errors.size() < 5) chunk.errors.push_back(FormatParseError(err, base + got.too_long_line));
  }
  chunk.end_offset = consumed();
  return chunk;
}

}  // namespace vigil::ingest_internal
