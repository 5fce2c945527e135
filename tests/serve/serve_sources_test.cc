// vigil serve's other sources: JSON Lines over TCP, and followed files whose offsets survive a
// kill -9 or a crash between the journal sync and the offset's save (after the restart the
// file is neither re-read nor skipped).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

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
  WaitForApplied(server, 7);
  EXPECT_EQ(CountOf(server, "A002"), 7) << server.Log();
}

TEST(ServeSourcesTest, FollowedFileResumesAfterKillNineWithoutGapsOrRepeats) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  const std::string file = dir.path() + "/pay.jsonl";
  std::ofstream(file) << Records("A001", "10:00", 10, 0);
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:30+08:00");
  server.Start({"--tail", file});
  WaitForApplied(server, 10);
  ASSERT_EQ(CountOf(server, "A001"), 10) << server.Log();
  std::ofstream(file, std::ios::app) << Records("A001", "10:00", 5, 0);
  WaitForApplied(server, 15);
  ASSERT_EQ(CountOf(server, "A001"), 15) << server.Log();
  server.Kill();

  std::ofstream(file, std::ios::app) << Records("A001", "10:00", 5, 0);
  ServerProcess again(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:40+08:00");
  again.Start({"--tail", file});
  // 15 come back from the journal, the 5 appended while it was down from the file.
  EXPECT_EQ(WaitForApplied(again, 5)["rebuild_records"], 15) << again.Log();
  EXPECT_EQ(CountOf(again, "A001"), 20) << again.Log();
}

// A crash after the journal made a tail batch durable but before the tail saved its offset
// (the test-only hook VIGIL_TEST_CRASH_AT=after_journal_sync exits right there): the restart
// takes the offset from the journaled frame, so no line is applied twice and none is skipped.
TEST(ServeSourcesTest, FollowedFileCrashAfterJournalSyncRepeatsAndSkipsNothing) {
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  const std::string file = dir.path() + "/pay.jsonl";
  constexpr int kLines = 8000;  // ~1.4 MB: more than one read (1 MB), one batch or two synced
  const std::string config = ServeConfig(hook.port(), smtp.hostport());
  ServerProcess server(dir.path(), config, "2026-11-20T10:01:00+08:00");
  server.Start({"--tail", file}, {"VIGIL_TEST_CRASH_AT=after_journal_sync"});
  // The file appears whole once the server listens (a rename), so the hook fires on the tail's
  // first batch, never before the server is up.
  std::ofstream(file + ".tmp") << Records("A001", "10:00", kLines, 0);
  std::filesystem::rename(file + ".tmp", file);
  ASSERT_EQ(server.WaitExit(), 86) << server.Log();

  std::ofstream(file, std::ios::app) << Records("A002", "10:00", 5, 0);
  ServerProcess again(dir.path(), config, "2026-11-20T10:01:00+08:00");
  again.Start({"--tail", file});
  const int64_t journaled = again.GetJson("/api/v1/stats/ingest")["rebuild_records"];
  ASSERT_GT(journaled, 0) << again.Log();
  // The file is read on from where the journaled batches end: the rest of it (if the crash
  // came mid-file), then the 5 lines appended while the server was down (the last lines of the
  // file, so once they are applied all of it is in).
  const int64_t rest = kLines - journaled + 5;
  EXPECT_EQ(WaitForApplied(again, rest)["records_applied"], rest) << again.Log();
  EXPECT_EQ(CountOf(again, "A001"), kLines) << again.Log();
  EXPECT_EQ(CountOf(again, "A002"), 5) << again.Log();
}

}  // namespace
}  // namespace vigil::testing
