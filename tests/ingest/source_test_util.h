// Helpers for the live-source tests: draining the queue until enough records arrived (waiting
// on the queue, never sleeping), and a blocking TCP client for 127.0.0.1.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ingest/record_queue.h"

namespace vigil::testing_ingest {

// Generous: the tests run on a loaded 2-core machine.
inline RecordQueue::Clock::time_point Deadline(int seconds = 30) {
  return RecordQueue::Clock::now() + std::chrono::seconds(seconds);
}

// Waits for a condition that only another thread can make true (looked at every
// millisecond, with a generous deadline); returns whether it came true.
template <typename Pred>
bool WaitFor(Pred pred, int seconds = 30) {
  auto deadline = Deadline(seconds);
  while (!pred()) {
    if (RecordQueue::Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Pops batches until `want` records arrived (or the deadline); returns their txn values in
// order. `apply` marks each batch applied (runs its on_applied) as the engine would.
inline std::vector<std::string> PopTxns(RecordQueue& q, size_t want, bool apply = true,
                                        int seconds = 30) {
  std::vector<std::string> txns;
  auto deadline = Deadline(seconds);
  while (txns.size() < want) {
    std::optional<RecordBatch> b = q.Pop(deadline);
    if (!b) break;
    for (const RecordView& r : b->records()) txns.emplace_back(r.txn);
    if (apply) b->MarkApplied();
  }
  return txns;
}

// A blocking client socket; reads time out after `seconds` so that a test never hangs.
class TcpClient {
 public:
  explicit TcpClient(int port, int seconds = 30) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~TcpClient() { Close(); }
  bool connected() const { return connected_; }

  bool Send(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  // True when the server closed the connection (read returns 0 or a reset) before the timeout.
  bool WaitClosedByServer() {
    char c;
    ssize_t n = recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace vigil::testing_ingest
