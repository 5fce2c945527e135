// ReadRecords / ParseBuffer: split input into lines without copying them and hand every line
// to the right parser, then its record or rejection to the sink.
//
// ReadRecords keeps one buffer of chunk_bytes + max_line_bytes (+ padding): lines are parsed
// where they lie, a line cut by the end of a chunk is moved to the buffer's start, and a line
// longer than the limit is rejected and skipped to its newline without being kept.
#include "ingest/reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/strings.h"
#include "fmt/format.h"
#include "ingest/input_source.h"
#include "ingest/parse.h"

namespace vigil {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kMaxLineLimit = size_t{1} << 30;  // keeps the buffer arithmetic far from overflow

size_t LineLimit(const ReaderOptions& options) {
  return std::min(options.max_line_bytes, kMaxLineLimit);
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// The format a file's name announces (case-insensitive), or kAuto when it says nothing.
InputFormat FormatByName(std::string_view path) {
  if (EndsWith(path, ".gz")) path.remove_suffix(3);
  for (std::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (EndsWith(path, ext)) return InputFormat::kJsonLines;
  }
  return EndsWith(path, ".csv") ? InputFormat::kCsv : InputFormat::kAuto;
}

// Turns lines into records or rejections: strips a trailing \r and a leading BOM, skips blank
// lines, picks the format from the first line when it is not known, reads the CSV header.
class LineDispatcher {
 public:
  LineDispatcher(InputFormat format, size_t max_line_bytes, RecordSink* sink, ReadStats* stats)
      : format_(format), max_line_(max_line_bytes), sink_(sink), stats_(stats) {}

  // `line` has no '\n' and is followed by kParsePadding readable bytes. Returns false when
  // it was an unusable CSV header (error() tells why).
  bool OnLine(std::string_view line, int64_t number) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_line_) {
      OnTooLong(number);
      return true;
    }
    if (number == 1 && line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
    if (line.empty() || (static_cast<unsigned char>(line[0]) <= ' ' && IsBlank(line))) return true;
    ++stats_->lines;
    if (format_ == InputFormat::kAuto) {
      size_t first = line.find_first_not_of(" \t\r");
      format_ = line[first] == '{' ? InputFormat::kJsonLines : InputFormat::kCsv;
    }
    if (format_ == InputFormat::kCsv && !header_seen_) {
      header_seen_ = true;
      ParseError second;
      return csv_[0].SetHeader(line, &err_) && csv_[1].SetHeader(line, &second);
    }
    // Parse into the slot not holding the pending record, so that the pending record's views
    // stay valid; then hint the sink about this record and hand over the pending one.
    const int slot = pending_ ? 1 - pending_slot_ : pending_slot_;
    bool ok = format_ == InputFormat::kJsonLines ? json_[slot].Parse(line, &record_[slot], &err_)
                                                 : csv_[slot].Parse(line, &record_[slot], &err_);
    if (!ok) {
      Flush();
      Reject(number);
      return true;
    }
    sink_->Prefetch(record_[slot]);
    Flush();
    pending_ = true;
    pending_slot_ = slot;
    pending_line_ = number;
    return true;
  }

  // Hands over the record parsed one line ahead. Called before the line it points into may
  // be overwritten, and at the end of the input.
  void Flush() {
    if (!pending_) return;
    pending_ = false;
    ++stats_->records;
    sink_->OnRecord(record_[pending_slot_], pending_line_);
  }

  void OnTooLong(int64_t number) {
    Flush();
    ++stats_->lines;
    err_.reason = RejectReason::kLineTooLong;
    err_.field = {};
    err_.detail = fmt::format("line is longer than {} bytes", max_line_);
    Reject(number);
  }

  // Hands the last error (e.g. a bad CSV header) to the sink as a rejection.
  void Reject(int64_t number) {
    ++stats_->rejected;
    sink_->OnReject(err_, number);
  }

  const ParseError& error() const { return err_; }
  size_t max_line() const { return max_line_; }

 private:
  InputFormat format_;
  size_t max_line_;
  RecordSink* sink_;
  ReadStats* stats_;
  bool header_seen_ = false;
  JsonRecordParser json_[2];  // two of each: one holds the pending record, one parses the next
  CsvRecordParser csv_[2];
  RecordView record_[2];
  bool pending_ = false;
  int pending_slot_ = 0;
  int64_t pending_line_ = 0;
  ParseError err_;
};

// The chunked line splitter of ReadRecords.
class ChunkedLines {
 public:
  explicit ChunkedLines(const ReaderOptions& options)
      : chunk_(std::clamp<size_t>(options.chunk_bytes, 1, kMaxLineLimit)),
        max_line_(LineLimit(options)),
        cap_(chunk_ + max_line_ + 2),
        buf_(cap_ + kParsePadding) {}

  // Reads `src` to its end. Returns false when the CSV header was unusable.
  bool Run(ingest_internal::InputSource& src, LineDispatcher& d, ReadStats* stats,
           void (*progress)(void*, int64_t), void* ctx) {
    while (true) {
      d.Flush();  // the pending record points into the buffer about to be moved or refilled
      MakeRoom();
      size_t n = src.Read(buf_.data() + end_, std::min(chunk_, cap_ - end_));
      if (n == 0) break;
      end_ += n;
      stats->bytes += static_cast<int64_t>(n);
      if (!SplitLines(d)) return false;
      if (progress != nullptr) progress(ctx, stats->bytes);
    }
    if (!src.error().empty() || skipping_ || begin_ == end_) return d.Flush(), true;
    // The last line has no newline: give it zeroed padding instead of stale bytes.
    std::memset(buf_.data() + end_, 0, kParsePadding);
    bool usable = d.OnLine(std::string_view(buf_.data() + begin_, end_ - begin_), ++lines_);
    d.Flush();
    return usable;
  }

  int64_t complete_lines() const { return lines_; }

 private:
  void MakeRoom() {
    if (begin_ == end_) {
      begin_ = end_ = scan_ = 0;
    } else if (cap_ - end_ < chunk_) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
  }

  bool SplitLines(LineDispatcher& d) {
    char* base = buf_.data();
    while (const void* hit = std::memchr(base + scan_, '\n', end_ - scan_)) {
      size_t nl = static_cast<const char*>(hit) - base;
      ++lines_;
      if (skipping_) {
        skipping_ = false;  // the end of an over-long line, already rejected
      } else if (!d.OnLine(std::string_view(base + begin_, nl - begin_), lines_)) {
        return false;
      }
      begin_ = scan_ = nl + 1;
    }
    scan_ = end_;
    if (skipping_) {
      begin_ = end_ = scan_ = 0;                 // drop the middle of an over-long line
    } else if (end_ - begin_ > max_line_ + 1) {  // +1: room for a \r before the \n
      d.OnTooLong(lines_ + 1);
      skipping_ = true;
      begin_ = end_ = scan_ = 0;
    }
    return true;
  }

  size_t chunk_, max_line_, cap_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0, scan_ = 0;  // unprocessed data; scan_: where to look for \n
  bool skipping_ = false;                  // inside an over-long line
  int64_t lines_ = 0;                      // newlines seen
};

// A regular, uncompressed file mapped into memory: its lines are parsed where they lie, which
// saves the kernel's copy of every byte into a read buffer (about 5% of a replay).
class MappedFile {
 public:
  // False when the file is not a non-empty regular file, or is gzip: read it in chunks then.
  bool Map(const std::string& path) {
    if (path == "-") return false;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 2;
    if (ok) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const char*>(p);
        size_ = static_cast<size_t>(st.st_size);
        ::madvise(p, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
    if (data_ && static_cast<unsigned char>(data_[0]) == 0x1f && static_cast<unsigned char>(data_[1]) == 0x8b) {
      Unmap();  // gzip: inflate it in chunks
    }
    return data_ != nullptr;
  }
  ~MappedFile() { Unmap(); }
  std::string_view data() const { return {data_, size_}; }

 private:
  void Unmap() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    data_ = nullptr;
  }
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// The lines of a mapped file, in place; a line too close to the end for the parser's padding
// is copied. Returns false when the CSV header was unusable (`*lines`: its line number).
bool ParseMapped(std::string_view data, const ReaderOptions& options, LineDispatcher& d,
                 ReadStats* stats, void (*progress)(void*, int64_t), void* ctx, int64_t* lines) {
  std::string scratch;
  constexpr size_t kReleaseAlign = 1 << 21;  // a multiple of any page size
  size_t released = 0;
  const size_t report_every = std::max<size_t>(options.chunk_bytes, 1);
  size_t next_report = report_every;
  for (size_t pos = 0; pos < data.size();) {
    const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
    size_t end = hit ? static_cast<const char*>(hit) - data.data() : data.size();
    std::string_view line = data.substr(pos, end - pos);
    ++*lines;
    bool usable = true;
    if (line.size() > d.max_line() + 1) {  // +1: room for a \r; never copied, never parsed
      d.OnTooLong(*lines);
    } else if (end + kParsePadding <= data.size()) {
      usable = d.OnLine(line, *lines);
    } else {
      d.Flush();  // the pending record may point into `scratch`
      scratch.assign(line);
      scratch.append(kParsePadding, '\0');
      usable = d.OnLine(std::string_view(scratch.data(), line.size()), *lines);
    }
    if (!usable) return false;
    pos = end + 1;
    if (pos >= next_report) {
      // Lines behind us are never looked at again: let their pages go, so that replaying a
      // large file does not show up as the file's size in resident memory. Keep one line's
      // worth: the record handed over next may still point into it.
      const size_t keep = d.max_line() + 1 + kReleaseAlign;
      size_t done = (pos > keep ? pos - keep : 0) & ~(kReleaseAlign - 1);
      if (done > released) {
        ::madvise(const_cast<char*>(data.data()) + released, done - released, MADV_DONTNEED);
        released = done;
      }
      if (progress != nullptr) progress(ctx, stats->bytes + static_cast<int64_t>(std::min(pos, data.size())));
      next_report += report_every;
    }
  }
  d.Flush();
  stats->bytes += static_cast<int64_t>(data.size());
  if (progress != nullptr) progress(ctx, stats->bytes);
  return true;
}

}  // namespace

absl::Status ReadRecords(const std::string& path, const ReaderOptions& options, RecordSink* sink,
                         ReadStats* stats, void (*progress)(void* ctx, int64_t bytes),
                         void* progress_ctx) {
  ReadStats unused;
  if (stats == nullptr) stats = &unused;
  if (MappedFile mapped; mapped.Map(path)) {
    InputFormat format = options.format == InputFormat::kAuto ? FormatByName(path) : options.format;
    LineDispatcher dispatcher(format, LineLimit(options), sink, stats);
    int64_t lines = 0;
    if (!ParseMapped(mapped.data(), options, dispatcher, stats, progress, progress_ctx, &lines)) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "{}: line {}: unusable CSV header: {}", path, lines, dispatcher.error().detail)));
    }
    return absl::OkStatus();
  }
  ingest_internal::InputSource src;
  if (absl::Status st = src.Open(path, options.chunk_bytes); !st.ok()) return st;
  const std::string name = path == "-" ? "stdin" : path;
  InputFormat format = options.format == InputFormat::kAuto ? FormatByName(path) : options.format;
  LineDispatcher dispatcher(format, LineLimit(options), sink, stats);
  ChunkedLines lines(options);
  if (!lines.Run(src, dispatcher, stats, progress, progress_ctx)) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("{}: line {}: unusable CSV header: {}", name, lines.complete_lines(),
                           dispatcher.error().detail)));
  }
  if (!src.error().empty()) {
    return absl::DataLossError(AsAbsl(fmt::format("{}: {}; records after line {} are missing", name,
                                                  src.error(), lines.complete_lines())));
  }
  return absl::OkStatus();
}

void ParseBuffer(std::string_view data, const ReaderOptions& options, RecordSink* sink,
                 ReadStats* stats) {
  ReadStats unused;
  if (stats == nullptr) stats = &unused;
  stats->bytes += static_cast<int64_t>(data.size());
  const size_t max_line = LineLimit(options);
  LineDispatcher dispatcher(options.format, max_line, sink, stats);
  std::string scratch;  // a padded copy of a line too close to the end of `data`
  int64_t number = 0;
  for (size_t pos = 0; pos < data.size();) {
    const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
    size_t end = hit ? static_cast<const char*>(hit) - data.data() : data.size();
    std::string_view line = data.substr(pos, end - pos);
    ++number;
    if (line.size() > max_line + 1) {
      dispatcher.OnTooLong(number);
    } else if (end + kParsePadding <= data.size()) {
      if (!dispatcher.OnLine(line, number)) dispatcher.Reject(number);
    } else {
      dispatcher.Flush();  // the pending record may point into `scratch`
      scratch.assign(line);
      scratch.append(kParsePadding, '\0');
      if (!dispatcher.OnLine(std::string_view(scratch.data(), line.size()), number)) {
        dispatcher.Reject(number);
      }
    }
    pos = end + 1;
  }
  dispatcher.Flush();
}

}  // namespace vigil
