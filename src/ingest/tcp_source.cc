// TcpSource: a listening socket, an eventfd to wake the loop at Stop(), and one epoll loop that
// reads every connection into its own LineBuffer and parses complete lines into a shared batch.
#include "ingest/tcp_source.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "common/strings.h"
#include "ingest/line_buffer.h"
#include "ingest/record_batch.h"

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  Connection(int fd, size_t max_line, size_t read_bytes) : fd(fd), lines(max_line, read_bytes) {}
  int fd;
  LineBuffer lines;
  Clock::time_point last_read;
};

// A non-blocking listening socket bound to host:port.
absl::StatusOr<int> Listen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("tcp source: cannot resolve {}: {}", host, gai_strerror(rc))));
  }
  std::string last_error = "no address";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 128) != 0) {
      last_error = std::strerror(errno);
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        AsAbsl(fmt::format("tcp source: cannot listen on {}:{}: {}", host, port, last_error)));
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

}  // namespace

class TcpSource::Loop {
 public:
  Loop(const TcpSourceOptions& options, RecordQueue* queue, int listen_fd)
      : options_(options), queue_(queue), listen_fd_(listen_fd) {
    reader_.format = InputFormat::kJsonLines;
    reader_.max_line_bytes = options_.max_line_bytes;
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    Watch(listen_fd_, nullptr);
    Watch(wake_fd_, &wake_fd_);
  }

  ~Loop() { CloseAll(); }

  // Closes the listener and every connection (after Run() returned).
  void CloseAll() {
    for (auto& [fd, conn] : connections_) close(fd);
    connections_.clear();
    active_.store(0);
    for (int* fd : {&listen_fd_, &wake_fd_, &epoll_fd_}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
  }

  bool ok() const { return wake_fd_ >= 0 && epoll_fd_ >= 0; }

  void Run() {
    std::vector<epoll_event> events(options_.max_connections + 2);
    while (!stop_.load()) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                         TimeoutMs(Clock::now()));
      if (n < 0 && errno != EINTR) {
        Log(fmt::format("tcp source: epoll_wait: {}", std::strerror(errno)));
        stats_.AddError();
        break;
      }
      for (int i = 0; i < n && !stop_.load(); ++i) {
        void* tag = events[i].data.ptr;
        if (tag == nullptr) {
          AcceptAll();
        } else if (tag != &wake_fd_) {
          ReadFrom(static_cast<Connection*>(tag));
        }
      }
      const Clock::time_point now = Clock::now();
      if (!builder_.batch().empty() && now - batch_started_ >= options_.batch_interval) Flush();
      CloseIdle(now);
    }
    Flush();  // pushes only while the queue has room now; Stop() does not wait
  }

  void RequestStop() {
    stop_.store(true);
    uint64_t one = 1;
    [[maybe_unused]] ssize_t w = write(wake_fd_, &one, sizeof one);
  }

  SourceCounters Counters() const {
    SourceCounters c = stats_.Snapshot();
    c.extra = {{"connections_accepted", accepted_.load()},
               {"connections_active", active_.load()},
               {"connections_refused", refused_.load()},
               {"connections_idle_closed", idle_closed_.load()},
               {"partial_lines_dropped", partial_dropped_.load()},
               {"records_dropped_at_stop", dropped_at_stop_.load()}};
    return c;
  }

 private:
  void Watch(int fd, void* tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = tag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }

  void Log(const std::string& line) {
    if (options_.log) options_.log(line);
  }

  // Wakes for the batch's age limit or the next idle check, whichever comes first.
  int TimeoutMs(Clock::time_point now) const {
    auto wait = IdleCheckEvery();
    if (!builder_.batch().empty()) {
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                batch_started_ + options_.batch_interval - now));
    }
    return static_cast<int>(std::max<int64_t>(wait.count() + 1, 0));  // +1: round up
  }

  std::chrono::milliseconds IdleCheckEvery() const {
    return std::clamp(options_.idle_timeout / 8, std::chrono::milliseconds(5),
                      std::chrono::milliseconds(1000));
  }

  void AcceptAll() {
    while (true) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          Log(fmt::format("tcp source: accept: {}", std::strerror(errno)));
          stats_.AddError();
        }
        return;
      }
      if (connections_.size() >= options_.max_connections) {
        refused_.fetch_add(1);  // counted first: the client may look as soon as it is closed
        close(fd);
        continue;
      }
      auto conn = std::make_unique<Connection>(fd, options_.max_line_bytes, options_.read_bytes);
      conn->last_read = Clock::now();
      Watch(fd, conn.get());
      connections_.emplace(fd, std::move(conn));
      accepted_.fetch_add(1);
      active_.store(static_cast<int64_t>(connections_.size()));
    }
  }

  void ReadFrom(Connection* c) {
    ssize_t n = read(c->fd, c->lines.write_ptr(), c->lines.write_room());
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {
      if (n < 0 && errno != ECONNRESET) {
        Log(fmt::format("tcp source: read: {}", std::strerror(errno)));
        stats_.AddError();
      }
      if (!c->lines.pending().empty()) partial_dropped_.fetch_add(1);
      Close(c);
      return;
    }
    c->last_read = Clock::now();
    stats_.AddBytes(n);
    LineBuffer::Lines lines = c->lines.Commit(static_cast<size_t>(n));
    ParseLines(lines.complete, lines.first_line);
    if (lines.too_long_line != 0) {
      stats_.AddReject(RejectReason::kLineTooLong);
    }
  }

  // Parses complete lines into the batch, in pieces that keep a batch within batch_records
  // (a piece has at most as many lines as the batch has room for records).
  void ParseLines(std::string_view lines, int64_t first_line) {
    while (!lines.empty()) {
      const size_t room = options_.batch_records - std::min(options_.batch_records, builder_.batch().size());
      size_t end = 0;
      int64_t taken = 0;
      while (end < lines.size() && taken < static_cast<int64_t>(std::max<size_t>(room, 1))) {
        end = static_cast<const char*>(std::memchr(lines.data() + end, '\n', lines.size() - end)) -
              lines.data() + 1;
        ++taken;
      }
      const bool was_empty = builder_.batch().empty();
      builder_.set_line_offset(first_line - 1);
      ParseBuffer(lines.substr(0, end), reader_, &builder_, nullptr);
      if (was_empty && !builder_.batch().empty()) batch_started_ = Clock::now();
      if (builder_.rejects().total != 0) {
        stats_.AddRejects(builder_.rejects());
        builder_.ClearRejects();
      }
      if (builder_.batch().size() >= options_.batch_records) Flush();
      lines.remove_prefix(end);
      first_line += taken;
    }
  }

  void Close(Connection* c) {
    int fd = c->fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    connections_.erase(fd);
    active_.store(static_cast<int64_t>(connections_.size()));
  }

  void CloseIdle(Clock::time_point now) {
    if (now - last_idle_check_ < IdleCheckEvery()) return;
    last_idle_check_ = now;
    std::vector<Connection*> idle;
    for (auto& [fd, conn] : connections_) {
      if (now - conn->last_read >= options_.idle_timeout) idle.push_back(conn.get());
    }
    for (Connection* c : idle) {
      if (!c->lines.pending().empty()) partial_dropped_.fetch_add(1);
      idle_closed_.fetch_add(1);
      Close(c);
    }
  }

  // Pushes the batch, waiting for room (and reading nothing meanwhile) unless stopping.
  void Flush() {
    if (builder_.batch().empty()) return;
    RecordBatch batch = builder_.TakeBatch();
    batch.source = options_.source_name;
    batch.received_at = options_.wall_clock ? options_.wall_clock() : WallNowMs();
    const auto size = static_cast<int64_t>(batch.size());
    const Clock::time_point t0 = Clock::now();
    bool queued = stop_.load() ? queue_->TryPush(std::move(batch))
                               : queue_->PushUnlessStopped(std::move(batch), stop_) ==
                                     RecordQueue::PushResult::kOk;
    if (queued) {
      stats_.AddRecords(size);
      stats_.AddBatch();
    } else {
      dropped_at_stop_.fetch_add(size);
    }
    // After a wait for room, the connections' silence was our doing: let the next epoll_wait
    // show which of them have data before any is judged idle.
    const Clock::time_point now = Clock::now();
    if (now - t0 > std::chrono::milliseconds(1)) last_idle_check_ = now;
  }

  static TimeMs WallNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  const TcpSourceOptions& options_;
  RecordQueue* queue_;
  ReaderOptions reader_;
  int listen_fd_;
  int wake_fd_ = -1;
  int epoll_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  RecordBatchBuilder builder_{0};
  Clock::time_point batch_started_;
  Clock::time_point last_idle_check_;
  SourceStats stats_;
  std::atomic<int64_t> accepted_{0}, active_{0}, refused_{0}, idle_closed_{0},
      partial_dropped_{0}, dropped_at_stop_{0};
};

TcpSource::TcpSource(TcpSourceOptions options, RecordQueue* queue)
    : options_(std::move(options)), queue_(queue) {}

TcpSource::~TcpSource() { Stop(); }

absl::Status TcpSource::Start() {
  if (loop_) return absl::FailedPreconditionError("tcp source: already started");
  absl::StatusOr<int> fd = Listen(options_.host, options_.port);
  if (!fd.ok()) return fd.status();
  port_ = BoundPort(*fd);
  loop_ = std::make_unique<Loop>(options_, queue_, *fd);
  if (!loop_->ok()) {
    loop_.reset();
    return absl::InternalError(AsAbsl(fmt::format("tcp source: epoll: {}", std::strerror(errno))));
  }
  thread_ = std::thread([this] { loop_->Run(); });
  return absl::OkStatus();
}

void TcpSource::Stop() {
  if (!loop_) return;
  loop_->RequestStop();
  if (thread_.joinable()) thread_.join();
  loop_->CloseAll();
}

SourceCounters TcpSource::counters() const { return loop_ ? loop_->Counters() : SourceCounters(); }

}  // namespace vigil
