#include "serve/journal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "fmt/format.h"

namespace vigil::serve {
namespace {

constexpr uint32_t kMagic = 0x314A4756;  // "VGJ1"
constexpr size_t kHeader = 4 + 4 + 4 + 8 + 8 + 1 + 1 + 2;
constexpr size_t kCrcFrom = 12;  // the crc covers the header after its own field, and the payload
constexpr uint32_t kMaxPayload = 1u << 30;

template <typename T>
void Put(char* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::InternalError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// A read-only mapping of a whole file (empty files map to nothing).
struct Mapped {
  const char* data = nullptr;
  size_t size = 0;
  explicit Mapped(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* m = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (m != MAP_FAILED) {
        data = static_cast<const char*>(m);
        size = static_cast<size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~Mapped() {
    if (data) ::munmap(const_cast<char*>(data), size);
  }
};

// Decodes the frame at `p` (of `left` bytes); returns its total size, or 0 when the bytes are
// not an intact frame (torn tail, corruption).
size_t DecodeFrame(const char* p, size_t left, JournalFrame* f) {
  if (left < kHeader || Get<uint32_t>(p) != kMagic) return 0;
  uint32_t len = Get<uint32_t>(p + 4);
  if (len > kMaxPayload || left - kHeader < len) return 0;
  uint32_t crc = Get<uint32_t>(p + 8);
  uLong actual = crc32(0L, reinterpret_cast<const Bytef*>(p + kCrcFrom), kHeader - kCrcFrom);
  actual = crc32(actual, reinterpret_cast<const Bytef*>(p + kHeader), len);
  if (actual != crc) return 0;
  f->seq = Get<uint64_t>(p + 12);
  f->received_at = Get<int64_t>(p + 20);
  f->format = static_cast<FrameFormat>(static_cast<uint8_t>(p[28]));
  f->flags = static_cast<uint8_t>(p[29]);
  f->payload = std::string_view(p + kHeader, len);
  return kHeader + len;
}

std::string SegmentName(uint64_t first_seq) { return fmt::format("journal-{:016x}.log", first_seq); }

}  // namespace

Journal::Journal(std::string dir, JournalOptions options)
    : dir_(std::move(dir)), options_(options) {}

Journal::~Journal() {
  if (fd_ >= 0) {
    if (options_.fsync) ::fdatasync(fd_);
    ::close(fd_);
  }
}

absl::StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& dir,
                                                       JournalOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::unique_ptr<Journal> j(new Journal(dir, options));
  if (auto s = j->Recover(); !s.ok()) return s;
  return j;
}

// Lists the segments, learns the newest time and sequence of each, and cuts a torn tail off
// the last one; then appends continue in a fresh segment.
absl::Status Journal::Recover() {
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    std::string name = e.path().filename().string();
    if (name.rfind("journal-", 0) != 0 || name.size() != 8 + 16 + 4) continue;
    Segment s;
    s.path = e.path().string();
    s.first_seq = std::stoull(name.substr(8, 16), nullptr, 16);
    segments_.push_back(s);
  }
  std::sort(segments_.begin(), segments_.end(),
            [](const Segment& a, const Segment& b) { return a.first_seq < b.first_seq; });
  for (size_t i = 0; i < segments_.size(); ++i) {
    Segment& s = segments_[i];
    Mapped m(s.path);
    size_t off = 0;
    JournalFrame f;
    while (size_t n = DecodeFrame(m.data + off, m.size - off, &f)) {
      s.newest = std::max(s.newest, f.received_at);
      next_seq_ = std::max(next_seq_, f.seq + 1);
      off += n;
    }
    if (off < m.size) {
      // Only the tail of a file can be torn; acknowledged frames were synced before the ack.
      stats_.truncated_bytes += m.size - off;
      if (::truncate(s.path.c_str(), static_cast<off_t>(off)) != 0) {
        return Errno("cannot cut the torn tail of", s.path);
      }
    }
  }
  synced_seq_ = next_seq_ - 1;
  return OpenNewSegment();
}

absl::Status Journal::OpenNewSegment() {
  if (fd_ >= 0) {
    if (options_.fsync && ::fdatasync(fd_) != 0) return Errno("cannot sync", segments_.back().path);
    ::close(fd_);
    fd_ = -1;
    synced_seq_ = next_seq_ - 1;
  }
  Segment s;
  s.first_seq = next_seq_;
  s.path = (std::filesystem::path(dir_) / SegmentName(next_seq_)).string();
  fd_ = ::open(s.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) return Errno("cannot create", s.path);
  segments_.push_back(s);
  segment_size_ = 0;
  if (options_.fsync) {
    // The new file's directory entry must survive a crash too.
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Journal::Append(TimeMs received_at, FrameFormat format, uint8_t flags,
                                         std::string_view payload) {
  if (payload.size() > kMaxPayload) return absl::InvalidArgumentError("journal frame too large");
  std::string frame(kHeader + payload.size(), '\0');
  char* p = frame.data();
  std::memcpy(p + kHeader, payload.data(), payload.size());
  std::lock_guard lock(mu_);
  if (segment_size_ > 0 && segment_size_ + static_cast<int64_t>(frame.size()) > options_.segment_bytes) {
    if (auto s = OpenNewSegment(); !s.ok()) return s;
  }
  const uint64_t seq = next_seq_;
  Put<uint32_t>(p, kMagic);
  Put<uint32_t>(p + 4, static_cast<uint32_t>(payload.size()));
  Put<uint64_t>(p + 12, seq);
  Put<int64_t>(p + 20, received_at);
  p[28] = static_cast<char>(format);
  p[29] = static_cast<char>(flags);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(p + kCrcFrom), frame.size() - kCrcFrom);
  Put<uint32_t>(p + 8, static_cast<uint32_t>(crc));
  if (!WriteAll(fd_, frame.data(), frame.size())) {
    // A partial write would leave a torn frame in the middle; cut back to the last good size.
    int err = errno;
    if (::ftruncate(fd_, segment_size_) != 0) {}
    errno = err;
    return Errno("cannot append to", segments_.back().path);
  }
  ++next_seq_;
  segment_size_ += static_cast<int64_t>(frame.size());
  segments_.back().newest = std::max(segments_.back().newest, received_at);
  ++stats_.frames;
  stats_.bytes += frame.size();
  return seq;
}

absl::Status Journal::Sync(uint64_t seq) {
  if (!options_.fsync) return absl::OkStatus();
  std::lock_guard sync_lock(sync_mu_);
  int fd;
  uint64_t target;
  {
    std::lock_guard lock(mu_);
    if (synced_seq_ >= seq) return absl::OkStatus();  // someone else's sync covered it
    target = next_seq_ - 1;
    fd = ::dup(fd_);  // a rotation may close fd_ meanwhile; the dup stays valid
  }
  if (fd < 0) return Errno("cannot sync", dir_);
  int rc = ::fdatasync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot sync journal in", dir_);
  std::lock_guard lock(mu_);
  synced_seq_ = std::max(synced_seq_, target);
  ++stats_.syncs;
  return absl::OkStatus();
}

// Visits the intact frames with received_at >= from, in order, until `fn` returns false.
void Journal::ForEachFrame(TimeMs from, const std::function<bool(const JournalFrame&)>& fn) const {
  std::vector<Segment> segments;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
  }
  for (const Segment& s : segments) {
    if (s.newest < from) continue;
    Mapped m(s.path);
    size_t off = 0;
    JournalFrame f;
    while (size_t n = DecodeFrame(m.data + off, m.size - off, &f)) {
      if (f.received_at >= from && !fn(f)) return;
      off += n;
    }
  }
}

absl::Status Journal::Scan(TimeMs from, const std::function<void(const JournalFrame&)>& fn) const {
  ForEachFrame(from, [&](const JournalFrame& f) {
    fn(f);
    return true;
  });
  return absl::OkStatus();
}

std::optional<TimeMs> Journal::FirstAt(TimeMs from) const {
  std::optional<TimeMs> first;
  ForEachFrame(from, [&](const JournalFrame& f) {
    first = f.received_at;
    return false;
  });
  return first;
}

absl::Status Journal::DropBefore(TimeMs before) {
  std::lock_guard lock(mu_);
  while (segments_.size() > 1 && segments_.front().newest < before) {
    if (::unlink(segments_.front().path.c_str()) != 0 && errno != ENOENT) {
      return Errno("cannot delete", segments_.front().path);
    }
    segments_.erase(segments_.begin());
  }
  return absl::OkStatus();
}

uint64_t Journal::last_seq() const {
  std::lock_guard lock(mu_);
  return next_seq_ - 1;
}

JournalStats Journal::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace vigil::serve
