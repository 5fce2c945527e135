// SQLite crash safety: a process killed with SIGKILL in the middle of a loop of CommitMinute
// calls leaves a database that opens and holds a consistent prefix: every committed checkpoint
// has all of its events, nothing past the checkpoint exists, and every commit the process
// reported as done is there.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

#include <map>

#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000 / kMsPerMinute * kMsPerMinute;
constexpr int kEventsPerMinute = 20;
constexpr int kRecordsPerEvent = 3;

std::vector<AlertEventRow> MinuteEvents(TimeMs minute) {
  std::vector<AlertEventRow> events(kEventsPerMinute);
  for (int i = 0; i < kEventsPerMinute; ++i) {
    AlertEventRow& e = events[i];
    e.at = minute;
    e.firing = (minute / kMsPerMinute + i) % 2 == 0;
    e.rule = "abnormal_count";
    e.key_json = R"({"txn":"T)" + std::to_string(i) + R"("})";
    e.severity = "critical";
    e.json = R"({"at":)" + std::to_string(minute) + R"(,"i":)" + std::to_string(i) + "}";
    for (int r = 0; r < kRecordsPerEvent; ++r) e.abnormal_records.push_back(R"({"r":1})");
  }
  return events;
}

// The child: commits minute after minute from where the store left off, reporting each commit
// on `report` after it returned. Never returns.
[[noreturn]] void CommitForever(const std::string& url, int report) {
  auto store = Store::Open(url);
  if (!store.ok()) _exit(3);
  auto cp = (*store)->Checkpoint();
  if (!cp.ok()) _exit(4);
  TimeMs minute = cp->has_value() ? **cp + kMsPerMinute : kT0;
  for (int i = 0; i < 1'000'000; ++i, minute += kMsPerMinute) {
    std::vector<AlertEventRow> events = MinuteEvents(minute);
    if (!(*store)->CommitMinute(minute, &events).ok()) _exit(5);
    if (write(report, &minute, sizeof(minute)) != sizeof(minute)) _exit(6);
  }
  _exit(0);
}

// Runs a child until it has reported `commits` commits, then SIGKILLs it, mid-commit as often
// as not. Returns the last minute it reported.
TimeMs RunAndKill(const std::string& url, int commits) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    CommitForever(url, fds[1]);
  }
  close(fds[1]);
  TimeMs last = 0;
  for (int seen = 0; seen < commits;) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 60'000) <= 0) {
      ADD_FAILURE() << "the child reported nothing for 60 s";
      break;
    }
    TimeMs minute = 0;
    if (read(fds[0], &minute, sizeof(minute)) != sizeof(minute)) {
      ADD_FAILURE() << "the child stopped early";
      break;
    }
    last = minute;
    ++seen;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  close(fds[0]);
  return last;
}

void ExpectConsistentPrefix(Store& store, TimeMs reported) {
  auto cp = Must(store.Checkpoint());
  ASSERT_TRUE(cp.has_value());
  EXPECT_GE(*cp, reported) << "a commit reported done was lost";
  int64_t minutes = (*cp - kT0) / kMsPerMinute + 1;
  // Every event up to the checkpoint, none after it.
  EventQuery all;
  all.limit = 1'000'000;
  auto events = Must(store.QueryEvents(all));
  ASSERT_EQ(static_cast<int64_t>(events.size()), minutes * kEventsPerMinute);
  std::map<TimeMs, int> per_minute;
  for (const auto& e : events) ++per_minute[e.at];
  EXPECT_EQ(static_cast<int64_t>(per_minute.size()), minutes);
  EXPECT_EQ(per_minute.begin()->first, kT0);
  EXPECT_EQ(per_minute.rbegin()->first, *cp);
  for (const auto& [minute, n] : per_minute) EXPECT_EQ(n, kEventsPerMinute) << minute;
  // The newest event has its records, and every alert's state points at its newest event.
  auto newest = Must(store.GetEvent(events.front().id));
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->abnormal_records.size(), static_cast<size_t>(kRecordsPerEvent));
  auto states = Must(store.AlertStates(true, 0));
  EXPECT_EQ(states.size(), static_cast<size_t>(kEventsPerMinute));
  for (const auto& s : states) EXPECT_EQ(s.updated_at, *cp);
}

TEST(StoreCrash, SqliteKilledMidCommitKeepsAConsistentPrefix) {
  SqliteTestDatabase db;
  auto url = db.Create();
  ASSERT_TRUE(url.ok());
  // Several rounds, each continuing after the last: the kill lands at different points.
  for (int round = 0; round < 4; ++round) {
    TimeMs reported = RunAndKill(*url, 15 + 7 * round);
    auto store = Store::Open(*url);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_NO_FATAL_FAILURE(ExpectConsistentPrefix(**store, reported)) << "round " << round;
  }
}

}  // namespace
}  // namespace vigil::store
