// The listening socket's backlog (src/http/listen_backlog.h): with httplib's own 5, a burst of
// connections to a server that has not accepted yet gets only a handful through (the rest wait
// for SYN retries); once raised, the kernel completes all of them into the queue at once.
#include "http/listen_backlog.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "httplib.h"

namespace vigil::http {
namespace {

// Opens `n` non-blocking connections to 127.0.0.1:port; how many completed their handshake
// within `wait` (nobody accepts them: they sit in the listen queue).
int ConnectedWithin(int port, int n, std::chrono::milliseconds wait) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fds.push_back(fd);
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  int connected = 0;
  for (int fd : fds) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count()))) == 1 &&
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
      ++connected;
    }
  }
  for (int fd : fds) ::close(fd);
  return connected;
}

TEST(ListenBacklogTest, ABurstOfConnectionsIsQueuedWholeOnceRaised) {
  constexpr int kBurst = 100;
  httplib::Server narrow;
  const int narrow_port = narrow.bind_to_any_port("127.0.0.1");
  ASSERT_GT(narrow_port, 0);
  EXPECT_LT(ConnectedWithin(narrow_port, kBurst, std::chrono::milliseconds(300)), 20)
      << "httplib's own backlog lets only a few in";

  httplib::Server wide;
  const int wide_port = wide.bind_to_any_port("127.0.0.1");
  ASSERT_GT(wide_port, 0);
  EXPECT_EQ(RaiseListenBacklog(wide_port, SOMAXCONN), 1);
  EXPECT_EQ(ConnectedWithin(wide_port, kBurst, std::chrono::seconds(5)), kBurst);
}

TEST(ListenBacklogTest, AnotherPortIsLeftAlone) {
  httplib::Server s;
  const int port = s.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  EXPECT_EQ(RaiseListenBacklog(port == 65535 ? 65534 : port + 1, SOMAXCONN), 0);
}

}  // namespace
}  // namespace vigil::http
