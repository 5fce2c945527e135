// vigil serve's other sources: JSON Lines over TCP, and followed files whose offsets survive a
// kill -9 (after the restart the file is neither re-read nor skipped).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>

#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

int64_t CountOf(ServerProcess& s, const std::string& txn) {
  auto codes = s.GetJson("/api/v1/codes?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:05:00%2B08:00");
  for (const auto& c : codes["codes"]) {
    if (c["txn"] == txn) return c["count"].get<int64_t>();
  }
  return 0;
}

// Waits until the server counts `n` records of `txn` (sources are asynchronous).
bool WaitForCount(ServerProcess& s, const std::string& txn, int64_t n) {
  for (int i = 0; i < 400; ++i) {
    if (CountOf(s, txn) == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(ServeSourcesTest, TcpLinesAreIngested) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:00+08:00");
  const int port = FreePort();
  server.Start({"--tcp-listen", "127.0.0.1:" + std::to_string(port)});
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string lines = Records("A002", "10:00", 7, 0) + "{broken\n";
  ASSERT_EQ(::send(fd, lines.data(), lines.size(), 0), static_cast<ssize_t>(lines.size()));
  ::close(fd);
  EXPECT_TRUE(WaitForCount(server, "A002", 7)) << server.Log();
}

TEST(ServeSourcesTest, FollowedFileResumesAfterKillNineWithoutGapsOrRepeats) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  const std::string file = dir.path() + "/pay.jsonl";
  std::ofstream(file) << Records("A001", "10:00", 10, 0);
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:30+08:00");
  server.Start({"--tail", file});
  ASSERT_TRUE(WaitForCount(server, "A001", 10)) << server.Log();
  std::ofstream(file, std::ios::app) << Records("A001", "10:00", 5, 0);
  ASSERT_TRUE(WaitForCount(server, "A001", 15)) << server.Log();
  server.Kill();

  std::ofstream(file, std::ios::app) << Records("A001", "10:00", 5, 0);
  ServerProcess again(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:40+08:00");
  again.Start({"--tail", file});
  EXPECT_TRUE(WaitForCount(again, "A001", 20)) << again.Log() << "count " << CountOf(again, "A001");
}

}  // namespace
}  // namespace vigil::testing
