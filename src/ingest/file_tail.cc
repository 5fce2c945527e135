// FileTail: per watched path, a TailedFile on the file the path names now; each poll compares
// the path's (device, inode) with the open file's to see a rotation, and the file's size and
// first bytes with what was read to see a truncation.
#include "ingest/file_tail.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fmt/format.h"
#include "ingest/tailed_file.h"

namespace vigil {

using ingest_internal::DecodeSavedOffset;
using ingest_internal::EncodeSavedOffset;
using ingest_internal::FileId;
using ingest_internal::Fingerprint;
using ingest_internal::SavedOffset;
using ingest_internal::TailChunk;
using ingest_internal::TailedFile;

struct FileTail::Watched {
  std::string path;
  bool from_glob = false;
  std::unique_ptr<TailedFile> file;
  int64_t queued_end = 0;  // end offset of the last queued chunk of `file`
  int errors_logged = 0;
};

namespace {

constexpr int kMaxLoggedErrorsPerFile = 5;

bool IsPattern(const std::string& p) { return p.find_first_of("*?[") != std::string::npos; }

std::pair<uint64_t, uint64_t> Key(const FileId& id) { return {id.dev, id.ino}; }

}  // namespace

FileTail::FileTail(FileTailOptions options, RecordQueue* queue, OffsetStore* offsets)
    : options_(std::move(options)), queue_(queue), offsets_(offsets) {}

FileTail::~FileTail() { Stop(); }

void FileTail::Start() {
  if (thread_.joinable()) return;
  stop_.store(false);
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_.load()) {
      lock.unlock();
      Poll();
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [&] { return stop_.load(); });
    }
  });
}

void FileTail::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SourceCounters FileTail::counters() const {
  SourceCounters c = stats_.Snapshot();
  c.extra = {{"files_followed", files_.load()},
             {"rotations", rotations_.load()},
             {"truncations", truncations_.load()}};
  return c;
}

void FileTail::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

TimeMs FileTail::WallNow() const {
  if (options_.wall_clock) return options_.wall_clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::pair<std::string, bool>> FileTail::Discover() const {
  std::vector<std::pair<std::string, bool>> found;
  for (const std::string& p : options_.paths) {
    if (!IsPattern(p)) {
      found.emplace_back(p, false);
      continue;
    }
    glob_t g{};
    if (glob(p.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) found.emplace_back(g.gl_pathv[i], true);
    }
    globfree(&g);
  }
  return found;
}

void FileTail::Poll() {
  for (const auto& [path, from_glob] : Discover()) {
    auto& w = watched_[path];
    if (!w) {
      w = std::make_unique<Watched>();
      w->path = path;
      w->from_glob = from_glob;
    }
  }
  for (auto it = watched_.begin(); it != watched_.end() && !stop_.load();) {
    PollPath(*it->second);
    const Watched& w = *it->second;
    // A file under a pattern that is gone and done with is forgotten.
    if (w.from_glob && !w.file && access(w.path.c_str(), F_OK) != 0) {
      it = watched_.erase(it);
    } else {
      ++it;
    }
  }
  int64_t open = 0;
  for (const auto& [path, w] : watched_) open += w->file != nullptr;
  files_.store(open);
}

void FileTail::PollPath(Watched& w) {
  struct stat st {};
  const bool exists = stat(w.path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  const FileId now_id{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  if (w.file && (!exists || now_id != w.file->id())) {
    // Rotated away or removed. A plain path keeps reading its old file until a new one shows
    // up (the writer may not have reopened yet); otherwise finish the old file and let go.
    if (!exists && !w.from_glob) {
      Drain(w, /*final=*/false);
      return;
    }
    if (!Drain(w, /*final=*/true)) return;
    finished_[Key(w.file->id())] = EncodeSavedOffset(w.file->Saved(w.file->consumed()));
    if (exists) {
      rotations_.fetch_add(1);
      Log(fmt::format("tail {}: rotated; finished the old file at byte {}", w.path,
                      w.file->consumed()));
    }
    w.file.reset();
  } else if (w.file && w.file->Replaced()) {
    truncations_.fetch_add(1);
    Log(fmt::format("tail {}: truncated or rewritten; reading it again from the start", w.path));
    w.file->Restart();
    w.queued_end = 0;
  }
  if (!w.file) {
    if (!exists || FollowedElsewhere(w, now_id)) return;
    bool adopted = false;
    if (!OpenFile(w, &adopted)) return;
    if (adopted) {
      // The offset came from another name or this process: store it under this name too,
      // once everything queued before it is applied.
      TailChunk checkpoint;
      checkpoint.end_offset = w.file->consumed();
      if (!Queue(w, std::move(checkpoint))) return;
    }
  }
  Drain(w, /*final=*/false);
}

bool FileTail::FollowedElsewhere(const Watched& self, const FileId& id) const {
  for (const auto& [path, w] : watched_) {
    if (w.get() != &self && w->file && w->file->id() == id) return true;
  }
  return false;
}

bool FileTail::OpenFile(Watched& w, bool* adopted) {
  int fd = open(w.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) {
      stats_.AddError();
      Log(fmt::format("tail {}: cannot open: {}", w.path, std::strerror(errno)));
    }
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return false;
  }
  const FileId id{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  const int64_t offset = ResumeOffset(w.path, fd, id, st.st_size, adopted);
  ingest_internal::TailLimits limits;
  limits.format = options_.format;
  limits.max_line_bytes = options_.max_line_bytes;
  limits.read_bytes = options_.read_bytes;
  limits.fingerprint_bytes = options_.fingerprint_bytes;
  w.file = std::make_unique<TailedFile>(w.path, fd, id, offset, limits);
  w.queued_end = offset;
  w.errors_logged = 0;
  if (offset > 0) Log(fmt::format("tail {}: resuming at byte {}", w.path, offset));
  return true;
}

// Where to start reading the file `fd` (named `path`): what this process already read of it
// (it was followed under another name), else what the store saved for this path, else what it
// saved for another watched path that named this very file; 0 when nothing matches.
int64_t FileTail::ResumeOffset(const std::string& path, int fd, const FileId& id, int64_t size,
                               bool* adopted) {
  *adopted = false;
  auto matches = [&](const std::optional<std::string>& value) -> std::optional<int64_t> {
    if (!value) return std::nullopt;
    std::optional<SavedOffset> s = DecodeSavedOffset(*value);
    if (!s || s->id != id || s->offset > size) return std::nullopt;
    if (Fingerprint(fd, s->fp_len) != s->fp_crc) return std::nullopt;
    return s->offset;
  };
  if (auto it = finished_.find(Key(id)); it != finished_.end()) {
    if (auto done = matches(it->second)) {
      *adopted = true;
      return *done;
    }
  }
  if (offsets_ == nullptr) return 0;
  if (auto own = matches(offsets_->Get(options_.key_prefix + path))) return *own;
  for (const auto& [other, w] : watched_) {
    if (other == path) continue;
    if (auto theirs = matches(offsets_->Get(options_.key_prefix + other))) {
      *adopted = true;
      return *theirs;
    }
  }
  return 0;
}

// Reads and queues everything appended to `w.file`. False when a batch could not be queued
// (stopping, or the queue closed): the file is then dropped, to be reopened at its saved
// offset by a later poll.
bool FileTail::Drain(Watched& w, bool final) {
  while (std::optional<TailChunk> chunk = w.file->ReadChunk(final)) {
    stats_.AddBytes(chunk->bytes);
    stats_.AddRejects(chunk->rejects);
    for (const std::string& e : chunk->errors) {
      if (w.errors_logged++ >= kMaxLoggedErrorsPerFile) break;
      const int64_t from = w.file->start_offset();
      Log(from == 0 ? fmt::format("tail {}: {}", w.path, e)
                    : fmt::format("tail {} (lines counted from byte {}): {}", w.path, from, e));
    }
    if (chunk->end_offset <= w.queued_end && chunk->batch.empty()) continue;
    if (!Queue(w, std::move(*chunk))) {
      w.file.reset();
      return false;
    }
  }
  if (std::string error = w.file->TakeError(); !error.empty()) {
    stats_.AddError();
    Log(fmt::format("tail {}: {}", w.path, error));
  }
  return true;
}

bool FileTail::Queue(Watched& w, TailChunk chunk) {
  RecordBatch batch = std::move(chunk.batch);
  batch.source = options_.source_name;
  batch.received_at = WallNow();
  batch.input_bytes = chunk.bytes;
  if (offsets_ != nullptr) {
    batch.resume_key = options_.key_prefix + w.path;
    batch.resume_value = EncodeSavedOffset(w.file->Saved(chunk.end_offset));
    batch.on_applied = [store = offsets_, key = batch.resume_key, value = batch.resume_value] {
      store->Put(key, value);
    };
  }
  const auto records = static_cast<int64_t>(batch.size());
  if (queue_->PushUnlessStopped(std::move(batch), stop_) != RecordQueue::PushResult::kOk) {
    return false;
  }
  w.queued_end = chunk.end_offset;
  stats_.AddRecords(records);
  stats_.AddBatch();
  return true;
}

}  // namespace vigil
