// ReadRecords on gzip input: recognised by magic bytes, concatenated members, and truncated or
// corrupt streams (every complete line before the damage is delivered, then an error).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/reader.h"
#include "ingest_test_util.h"
#include "reader_test_util.h"

namespace vigil {
namespace {

using testing_ingest::CollectingSink;
using testing_ingest::JsonLine;
using testing_ingest::TempDir;

std::string ManyLines(int n, const std::string& prefix) {
  std::string data;
  for (int i = 0; i < n; ++i) data += JsonLine(prefix + std::to_string(i)) + "\n";
  return data;
}

TEST(GzipReaderTest, RecognisedByMagicBytesWhateverTheName) {
  TempDir dir;
  std::string data = ManyLines(500, "G");
  for (std::string name : {"a.jsonl.gz", "a.jsonl", "a.dat"}) {
    SCOPED_TRACE(name);
    CollectingSink sink;
    ReadStats stats;
    ASSERT_TRUE(ReadRecords(dir.WriteGzip(name, data), {}, &sink, &stats).ok());
    ASSERT_EQ(sink.records.size(), 500u);
    EXPECT_EQ(sink.records[499].txn, "G499");
    EXPECT_EQ(sink.records[499].line, 500);
    EXPECT_EQ(stats.bytes, static_cast<int64_t>(data.size()));
  }
}

TEST(GzipReaderTest, CsvGzipWithTinyChunks) {
  TempDir dir;
  std::string data = "ts,txn,ret\r\n";
  for (int i = 0; i < 50; ++i) data += "1795158480123,C" + std::to_string(i) + ",0\r\n";
  std::string path = dir.WriteGzip("b.csv.gz", data);
  for (size_t chunk : {1, 5, 64, 4096}) {
    ReaderOptions opt;
    opt.chunk_bytes = chunk;
    CollectingSink sink;
    ASSERT_TRUE(ReadRecords(path, opt, &sink, nullptr).ok()) << chunk;
    ASSERT_EQ(sink.records.size(), 50u) << chunk;
    EXPECT_EQ(sink.records[49].line, 51);
  }
}

TEST(GzipReaderTest, ConcatenatedMembersAreOneStream) {
  TempDir dir;
  std::string a = dir.Read(dir.WriteGzip("a.gz", ManyLines(30, "A")));
  std::string b = dir.Read(dir.WriteGzip("b.gz", ManyLines(20, "B")));
  std::string empty = dir.Read(dir.WriteGzip("e.gz", ""));
  std::string path = dir.Write("ab.jsonl.gz", a + empty + b);
  for (size_t chunk : {3, 1 << 20}) {
    ReaderOptions opt;
    opt.chunk_bytes = chunk;
    CollectingSink sink;
    absl::Status st = ReadRecords(path, opt, &sink, nullptr);
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_EQ(sink.records.size(), 50u);
    EXPECT_EQ(sink.records[29].txn, "A29");
    EXPECT_EQ(sink.records[30].txn, "B0");
    EXPECT_EQ(sink.records[49].line, 50);
  }
}

TEST(GzipReaderTest, EmptyGzipIsFine) {
  TempDir dir;
  CollectingSink sink;
  EXPECT_TRUE(ReadRecords(dir.WriteGzip("e.jsonl.gz", ""), {}, &sink, nullptr).ok());
  EXPECT_TRUE(sink.records.empty());
}

TEST(GzipReaderTest, TruncatedStreamDeliversEveryCompleteLineThenFails) {
  TempDir dir;
  std::string full = dir.Read(dir.WriteGzip("full.gz", ManyLines(2000, "T")));
  for (size_t cut : {full.size() / 2, full.size() - 4, size_t{12}}) {
    SCOPED_TRACE(cut);
    std::string path = dir.Write("cut.jsonl.gz", full.substr(0, cut));
    CollectingSink sink;
    absl::Status st = ReadRecords(path, {}, &sink, nullptr);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
    std::string msg(st.message());
    EXPECT_NE(msg.find("cut.jsonl.gz"), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncated gzip stream: input ended after " + std::to_string(cut) +
                       " compressed bytes"),
              std::string::npos)
        << msg;
    int64_t n = static_cast<int64_t>(sink.records.size());
    EXPECT_NE(msg.find("records after line " + std::to_string(n) + " are missing"),
              std::string::npos)
        << msg;
    EXPECT_TRUE(sink.rejects.empty()) << "a cut-off partial line must not be parsed";
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(sink.records[i].line, i + 1);
    if (cut == full.size() - 4) EXPECT_EQ(n, 2000);  // only the trailer's size is missing
    if (cut == full.size() / 2) EXPECT_GT(n, 0);
  }
}

TEST(GzipReaderTest, CorruptStreamFailsAfterTheLinesBeforeTheDamage) {
  TempDir dir;
  std::string full = dir.Read(dir.WriteGzip("full.gz", ManyLines(2000, "C")));
  std::string bad = full;
  for (size_t i = bad.size() / 2; i < bad.size() / 2 + 64; ++i) bad[i] = static_cast<char>(~bad[i]);
  CollectingSink sink;
  absl::Status st = ReadRecords(dir.Write("bad.jsonl.gz", bad), {}, &sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("gzip stream"), std::string::npos) << st.message();
  // Deflate data is only checked by its CRC at the member's end, so zlib may decode some
  // garbage after the damage before noticing; the lines well before it must be intact.
  EXPECT_LT(sink.records.size(), 2000u);
  ASSERT_GT(sink.records.size(), 200u);
  for (size_t i = 0; i < 200; ++i) ASSERT_EQ(sink.records[i].txn, "C" + std::to_string(i));

  std::string trailing = dir.Write("trail.jsonl.gz", full + "garbage");
  CollectingSink sink2;
  st = ReadRecords(trailing, {}, &sink2, nullptr);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(sink2.records.size(), 2000u);
}

}  // namespace
}  // namespace vigil
