// FileTail on real files in a temporary directory: appended complete lines, CSV headers per
// file, rename rotation, copytruncate, replaced files, glob patterns, and offsets that are
// saved only once a batch is applied, so that a restart neither skips nor repeats lines.
#include "ingest/file_tail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "reader_test_util.h"
#include "source_test_util.h"

namespace vigil {
namespace {

using testing_ingest::JsonLine;
using testing_ingest::PopTxns;
using testing_ingest::TempDir;
namespace fs = std::filesystem;

void Append(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::app) << data;
}

std::string Lines(const std::string& prefix, int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += JsonLine(prefix + std::to_string(i)) + "\n";
  return s;
}

std::vector<std::string> Names(const std::string& prefix, int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(prefix + std::to_string(i));
  return v;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Everything queued right now (the tail pushes synchronously inside Poll()).
std::vector<std::string> Drain(RecordQueue& q, bool apply = true) {
  std::vector<std::string> txns;
  while (std::optional<RecordBatch> b = q.Pop(RecordQueue::Clock::now())) {
    for (const RecordView& r : b->records()) txns.emplace_back(r.txn);
    if (apply) b->MarkApplied();
  }
  return txns;
}

class FileTailTest : public ::testing::Test {
 protected:
  FileTailOptions Options(std::vector<std::string> paths) {
    FileTailOptions o;
    o.paths = std::move(paths);
    o.log = [this](std::string_view line) { logs.emplace_back(line); };
    return o;
  }
  TempDir dir;
  RecordQueue queue{1 << 20};
  MemoryOffsetStore store;
  std::vector<std::string> logs;
};

TEST_F(FileTailTest, ReadsOnlyCompleteAppendedLines) {
  std::string path = dir.path() + "/pay.jsonl";
  std::string partial = JsonLine("A3");
  Append(path, Lines("A", 0, 3) + partial.substr(0, 20));
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("A", 0, 3));
  Append(path, partial.substr(20) + "\n" + Lines("A", 4, 6));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("A", 3, 6));
  tail.Poll();  // nothing new
  EXPECT_TRUE(Drain(queue).empty());
  SourceCounters c = tail.counters();
  EXPECT_EQ(c.records, 6);
  EXPECT_EQ(c.bytes, static_cast<int64_t>(fs::file_size(path)));
  EXPECT_EQ(c.extra_value("files_followed"), 1);
}

TEST_F(FileTailTest, CsvHeaderIsRememberedPerFile) {
  std::string a = dir.path() + "/a.csv", b = dir.path() + "/b.csv";
  Append(a, "ts,txn,ret\n1795158480123,A1,0\n");
  Append(b, "\xEF\xBB\xBFret,sys,txn,ts\r\nE1,S,B1,1795158480123\r\n");
  FileTail tail(Options({a, b}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue), (std::vector<std::string>{"A1", "B1"}));
  Append(a, "1795158480124,A2,0\n");
  Append(b, "E2,S,B2,1795158480124\r\n");
  tail.Poll();
  RecordBatch first = *queue.Pop(RecordQueue::Clock::now());
  RecordBatch second = *queue.Pop(RecordQueue::Clock::now());
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(first[0].txn, "A2");
  EXPECT_EQ(first[0].ts, 1795158480124);
  EXPECT_EQ(second[0].txn, "B2");
  EXPECT_EQ(second[0].ret, "E2");
  EXPECT_EQ(second[0].sys, "S");
  EXPECT_EQ(tail.counters().rejected_total(), 0);
}

TEST_F(FileTailTest, UnusableCsvHeaderIsReportedNotParsed) {
  std::string path = dir.path() + "/bad.csv";
  Append(path, "when,code\n1,2\n");
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  tail.Poll();
  EXPECT_TRUE(Drain(queue).empty());
  EXPECT_EQ(tail.counters().errors, 1);  // once, not at every poll
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().find("unusable CSV header"), std::string::npos) << logs.back();
}

TEST_F(FileTailTest, RenameRotationFinishesTheOldFileThenReadsTheNewOne) {
  std::string path = dir.path() + "/app.jsonl";
  Append(path, Lines("OLD", 0, 5));
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("OLD", 0, 5));
  // Lines written just before the rotation, the last one without its newline, then a new file.
  Append(path, Lines("OLD", 5, 8) + JsonLine("OLD8"));
  fs::rename(path, path + ".1");
  Append(path, Lines("NEW", 0, 4));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Concat(Names("OLD", 5, 9), Names("NEW", 0, 4)));
  Append(path, Lines("NEW", 4, 6));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("NEW", 4, 6));
  EXPECT_EQ(tail.counters().extra_value("rotations"), 1);
}

TEST_F(FileTailTest, PlainPathKeepsTheOldFileUntilTheNewOneAppears) {
  std::string path = dir.path() + "/gap.jsonl";
  Append(path, Lines("G", 0, 2));
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue).size(), 2u);
  fs::rename(path, path + ".old");
  Append(path + ".old", Lines("G", 2, 3));  // the writer has not reopened yet
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("G", 2, 3));
  Append(path, Lines("H", 0, 1));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("H", 0, 1));
}

TEST_F(FileTailTest, CopyTruncateStartsOverFromTheBeginning) {
  std::string path = dir.path() + "/trunc.jsonl";
  Append(path, Lines("T", 0, 6));
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue).size(), 6u);
  fs::resize_file(path, 0);
  Append(path, Lines("U", 0, 2));  // shorter than what was read
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("U", 0, 2));
  EXPECT_EQ(tail.counters().extra_value("truncations"), 1);
}

TEST_F(FileTailTest, TruncatedAndRefilledPastTheOldSizeIsSeenByItsFirstBytes) {
  std::string path = dir.path() + "/refill.jsonl";
  Append(path, Lines("R", 0, 3));
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue).size(), 3u);
  fs::resize_file(path, 0);
  Append(path, Lines("S", 0, 8));  // longer than before: the size alone cannot tell
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("S", 0, 8));
}

TEST_F(FileTailTest, RestartResumesAfterTheLastAppliedLine) {
  std::string path = dir.path() + "/resume.jsonl";
  Append(path, Lines("L", 0, 20));
  FileTailOptions o = Options({path});
  o.read_bytes = 300;  // about two lines per batch
  std::vector<std::string> applied;
  {
    FileTail tail(o, &queue, &store);
    tail.Poll();
    // The engine applies the first three batches; the others are queued when we "crash".
    for (int i = 0; i < 3; ++i) {
      RecordBatch b = *queue.Pop(RecordQueue::Clock::now());
      for (const RecordView& r : b.records()) applied.emplace_back(r.txn);
      b.MarkApplied();
    }
    Drain(queue, /*apply=*/false);
  }
  ASSERT_FALSE(applied.empty());
  ASSERT_LT(applied.size(), 20u);
  Append(path, Lines("L", 20, 25));
  FileTail again(o, &queue, &store);
  again.Poll();
  std::vector<std::string> rest = Drain(queue);
  EXPECT_EQ(Concat(applied, rest), Names("L", 0, 25));  // no gap, no repeat
  EXPECT_NE(std::find_if(logs.begin(), logs.end(),
                         [](const std::string& l) { return l.find("resuming at byte") != std::string::npos; }),
            logs.end());
}

// The server journals each batch's resume point and, after a crash that kept on_applied from
// running, saves it itself: the restarted tail then starts right after that batch.
TEST_F(FileTailTest, ABatchCarriesTheResumePointItsOnAppliedSaves) {
  std::string path = dir.path() + "/points.jsonl";
  Append(path, Lines("P", 0, 10));
  FileTailOptions o = Options({path});
  o.read_bytes = 300;  // about two lines per batch
  std::vector<std::string> journaled;
  {
    FileTail tail(o, &queue, &store);
    tail.Poll();
    RecordBatch first = *queue.Pop(RecordQueue::Clock::now());
    EXPECT_EQ(first.resume_key, "tail:" + path);
    first.MarkApplied();
    EXPECT_EQ(store.Get(first.resume_key), first.resume_value);
    // The second batch is journaled, then the process dies before its on_applied.
    RecordBatch second = *queue.Pop(RecordQueue::Clock::now());
    for (const RecordBatch* b : {&first, &second}) {
      for (const RecordView& r : b->records()) journaled.emplace_back(r.txn);
    }
    store.Put(second.resume_key, second.resume_value);  // what the restart restores
    Drain(queue, /*apply=*/false);
  }
  FileTail again(o, &queue, &store);
  again.Poll();
  EXPECT_EQ(Concat(journaled, Drain(queue)), Names("P", 0, 10));  // no gap, no repeat
}

TEST_F(FileTailTest, CsvRestartKeepsTheHeader) {
  std::string path = dir.path() + "/resume.csv";
  Append(path, "txn,ts,ret\nC0,1795158480123,0\nC1,1795158480123,0\n");
  {
    FileTail tail(Options({path}), &queue, &store);
    tail.Poll();
    EXPECT_EQ(Drain(queue), (std::vector<std::string>{"C0", "C1"}));
  }
  Append(path, "C2,1795158480124,0\n");
  FileTail again(Options({path}), &queue, &store);
  again.Poll();
  RecordBatch b = *queue.Pop(RecordQueue::Clock::now());
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].txn, "C2");
  EXPECT_EQ(b[0].ts, 1795158480124);
}

TEST_F(FileTailTest, ReplacedFileIsReadFromTheStartAfterARestart) {
  std::string path = dir.path() + "/replaced.jsonl";
  Append(path, Lines("X", 0, 4));
  {
    FileTail tail(Options({path}), &queue, &store);
    tail.Poll();
    EXPECT_EQ(Drain(queue).size(), 4u);
  }
  fs::remove(path);
  Append(path, Lines("Y", 0, 6));  // may even get the same inode back
  FileTail again(Options({path}), &queue, &store);
  again.Poll();
  EXPECT_EQ(Drain(queue), Names("Y", 0, 6));
}

TEST_F(FileTailTest, GlobFollowsNewFilesAndARotatedNameIsNotReadTwice) {
  std::string path = dir.path() + "/svc.jsonl";
  FileTail tail(Options({dir.path() + "/svc.jsonl*"}), &queue, &store);
  tail.Poll();  // nothing yet
  Append(path, Lines("P", 0, 3));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("P", 0, 3));
  Append(path, Lines("P", 3, 5));
  fs::rename(path, path + ".1");  // still matches the pattern
  Append(path, Lines("Q", 0, 2));
  tail.Poll();
  tail.Poll();
  std::vector<std::string> got = Drain(queue);
  EXPECT_EQ(got, Concat(Names("P", 3, 5), Names("Q", 0, 2)));
  Append(path + ".1", Lines("P", 5, 6));  // a late write to the rotated file
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("P", 5, 6));
}

TEST_F(FileTailTest, RotationWhileDownResumesTheRotatedFileUnderItsNewName) {
  std::string path = dir.path() + "/down.jsonl";
  Append(path, Lines("D", 0, 3));
  FileTailOptions o = Options({dir.path() + "/down.jsonl*"});
  {
    FileTail tail(o, &queue, &store);
    tail.Poll();
    EXPECT_EQ(Drain(queue), Names("D", 0, 3));
  }
  Append(path, Lines("D", 3, 5));
  fs::rename(path, path + ".1");
  Append(path, Lines("E", 0, 2));
  FileTail again(o, &queue, &store);
  again.Poll();
  std::vector<std::string> got = Drain(queue);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"D3", "D4", "E0", "E1"}));
}

TEST_F(FileTailTest, OverLongLineIsSkipped) {
  std::string path = dir.path() + "/long.jsonl";
  FileTailOptions o = Options({path});
  o.max_line_bytes = 200;
  o.read_bytes = 64;
  Append(path, JsonLine("K0") + "\n" + std::string(1000, 'z') + "\n" + JsonLine("K1") + "\n");
  FileTail tail(o, &queue, &store);
  tail.Poll();
  EXPECT_EQ(Drain(queue), (std::vector<std::string>{"K0", "K1"}));
  EXPECT_EQ(tail.counters().rejected_count(RejectReason::kLineTooLong), 1);
}

TEST_F(FileTailTest, MissingFileIsWaitedFor) {
  std::string path = dir.path() + "/later.jsonl";
  FileTail tail(Options({path}), &queue, &store);
  tail.Poll();
  EXPECT_TRUE(Drain(queue).empty());
  EXPECT_EQ(tail.counters().errors, 0);
  Append(path, Lines("M", 0, 1));
  tail.Poll();
  EXPECT_EQ(Drain(queue), Names("M", 0, 1));
}

TEST_F(FileTailTest, PollsOnItsOwnThreadWhenStarted) {
  std::string path = dir.path() + "/thread.jsonl";
  FileTailOptions o = Options({path});
  o.poll_interval = std::chrono::milliseconds(5);
  o.log = nullptr;
  FileTail tail(o, &queue, &store);
  tail.Start();
  Append(path, Lines("W", 0, 50));
  EXPECT_EQ(PopTxns(queue, 50), Names("W", 0, 50));
  Append(path, Lines("W", 50, 60));
  EXPECT_EQ(PopTxns(queue, 10), Names("W", 50, 60));
  tail.Stop();
}

}  // namespace
}  // namespace vigil
