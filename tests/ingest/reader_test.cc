// ReadRecords / ParseBuffer: line splitting across chunks, line numbers, blank lines, CRLF,
// BOM, over-long lines, format detection and CSV headers, and what users see on bad input.
#include "ingest/reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest_test_util.h"
#include "reader_test_util.h"

namespace vigil {
namespace {

using testing_ingest::CollectingSink;
using testing_ingest::JsonLine;
using testing_ingest::TempDir;

TEST(ReaderTest, GoodRecordsAroundBadOnesAreDeliveredWithTheirLineNumbers) {
  TempDir dir;
  std::string path =
      dir.Write("in.jsonl", JsonLine("A001") + "\n{not json\n" + JsonLine("A002") + "\n" +
                                R"({"ts":1,"txn":"A003"})" + "\n" + JsonLine("A004") + "\n");
  CollectingSink sink;
  ReadStats stats;
  ASSERT_TRUE(ReadRecords(path, {}, &sink, &stats).ok());
  EXPECT_EQ(sink.RecordLines(), (std::vector<int64_t>{1, 3, 5}));
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].reason, RejectReason::kInvalidJson);
  EXPECT_EQ(sink.rejects[1].line, 4);
  EXPECT_EQ(sink.rejects[1].reason, RejectReason::kMissingField);
  EXPECT_EQ(sink.rejects[1].field, "ret");
  EXPECT_EQ(stats.lines, 5);
  EXPECT_EQ(stats.records, 3);
  EXPECT_EQ(stats.rejected, 2);
}

TEST(ReaderTest, BlankLinesAreSkippedButCounted) {
  CollectingSink sink;
  ReadStats stats;
  std::string data = "\n" + JsonLine("A001") + "\n   \n\t\r\n\r\n" + JsonLine("A002") + "\n\n";
  ParseBuffer(data, {}, &sink, &stats);
  EXPECT_EQ(sink.RecordLines(), (std::vector<int64_t>{2, 6}));
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(stats.lines, 2);
}

TEST(ReaderTest, CrlfAndBom) {
  TempDir dir;
  std::string path = dir.Write(
      "crlf.jsonl", "\xEF\xBB\xBF" + JsonLine("A001") + "\r\n" + JsonLine("A002") + "\r\n");
  CollectingSink sink;
  ASSERT_TRUE(ReadRecords(path, {}, &sink, nullptr).ok());
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(sink.records[1].txn, "A002");

  std::string csv = dir.Write("crlf.csv",
                              "\xEF\xBB\xBFts,txn,ret\r\n1795158480123,A001,0\r\n"
                              "1795158480123,\"A002\",\"0\"\r\n");
  CollectingSink csv_sink;
  ASSERT_TRUE(ReadRecords(csv, {}, &csv_sink, nullptr).ok());
  ASSERT_EQ(csv_sink.records.size(), 2u);
  EXPECT_EQ(csv_sink.records[0].line, 2);  // the header is line 1
  EXPECT_EQ(csv_sink.records[1].ret, "0");
}

TEST(ReaderTest, LastLineWithoutNewline) {
  TempDir dir;
  std::string path = dir.Write("last.jsonl", JsonLine("A001") + "\n" + JsonLine("A002"));
  CollectingSink sink;
  ASSERT_TRUE(ReadRecords(path, {}, &sink, nullptr).ok());
  EXPECT_EQ(sink.RecordLines(), (std::vector<int64_t>{1, 2}));
  CollectingSink buffer_sink;
  ParseBuffer(JsonLine("A001") + "\n" + JsonLine("A002"), {}, &buffer_sink, nullptr);
  EXPECT_EQ(buffer_sink.RecordLines(), (std::vector<int64_t>{1, 2}));
}

TEST(ReaderTest, LineLengthLimitIsExact) {
  std::string line = R"({"ts":1795158480123,"txn":"A001","ret":"0"})";
  std::string padded = line.substr(0, line.size() - 1) + std::string(100 - line.size(), ' ') + "}";
  ASSERT_EQ(padded.size(), 100u);
  ReaderOptions opt;
  opt.max_line_bytes = 100;
  opt.chunk_bytes = 16;
  TempDir dir;
  std::string path = dir.Write("limit.jsonl", padded + "\r\n" + padded + " \n" + padded + "\n");
  CollectingSink sink;
  ASSERT_TRUE(ReadRecords(path, opt, &sink, nullptr).ok());
  EXPECT_EQ(sink.RecordLines(), (std::vector<int64_t>{1, 3}));
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].reason, RejectReason::kLineTooLong);
}

TEST(ReaderTest, TenMegabyteLineIsRejectedWithoutBeingBuffered) {
  TempDir dir;
  std::string huge =
      R"({"ts":1795158480123,"txn":"A001","ret":"0","msg":")" + std::string(10 << 20, 'x') + "\"}";
  const std::string text = JsonLine("A001") + "\n" + huge + "\n" + JsonLine("A002") + "\n";
  huge.clear();
  huge.shrink_to_fit();
  // A plain file is mapped and parsed in place; a gzip file is inflated in chunks. Neither may
  // hold the over-long line on the heap.
  for (const std::string& path : {dir.Write("huge.jsonl", text), dir.WriteGzip("huge.jsonl.gz", text)}) {
    ReaderOptions opt;
    opt.chunk_bytes = 64 << 10;
    opt.max_line_bytes = 256 << 10;
    CollectingSink sink;
    testing_ingest::HeapWatch watch;
    ASSERT_TRUE(
        ReadRecords(path, opt, &sink, nullptr, &testing_ingest::HeapWatch::Sample, &watch).ok());
    EXPECT_EQ(sink.RecordLines(), (std::vector<int64_t>{1, 3})) << path;
    ASSERT_EQ(sink.rejects.size(), 1u) << path;
    EXPECT_EQ(sink.rejects[0].line, 2);
    EXPECT_EQ(sink.rejects[0].reason, RejectReason::kLineTooLong);
    EXPECT_GE(watch.samples, 2) << path;
    EXPECT_LT(watch.max_growth, 2 << 20) << path << ": the reader buffered the over-long line";
  }
}

TEST(ReaderTest, AnOverLongLastLineOfAMappedFileIsNotCopied) {
  TempDir dir;
  std::string path = dir.Write("tail.jsonl", JsonLine("A001") + "\n" + std::string(4 << 20, 'x'));
  ReaderOptions opt;
  opt.max_line_bytes = 256 << 10;
  CollectingSink sink;
  testing_ingest::HeapWatch watch;
  ASSERT_TRUE(ReadRecords(path, opt, &sink, nullptr, &testing_ingest::HeapWatch::Sample, &watch).ok());
  EXPECT_EQ(sink.RecordLines(), std::vector<int64_t>{1});
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].reason, RejectReason::kLineTooLong);
  EXPECT_LT(watch.max_growth, 1 << 20);
}

TEST(ReaderTest, LinesSpanningChunkBoundariesAtEveryChunkSize) {
  std::string data = "ts,txn,ret,msg\n";
  for (int i = 0; i < 40; ++i) {
    data += "1795158480123,T" + std::to_string(i) + ",0," + std::string(i % 7, 'm') + "\n";
    if (i % 9 == 0) data += "\n";
    if (i % 13 == 0) data += "oops\n";
  }
  CollectingSink want;
  ParseBuffer(data, {}, &want, nullptr);
  ASSERT_EQ(want.records.size(), 40u);
  TempDir dir;
  std::string path = dir.Write("chunks.csv", data);
  for (size_t chunk : {1, 2, 3, 7, 16, 31, 64, 1000}) {
    SCOPED_TRACE(chunk);
    ReaderOptions opt;
    opt.chunk_bytes = chunk;
    opt.max_line_bytes = 40;
    CollectingSink got;
    ASSERT_TRUE(ReadRecords(path, opt, &got, nullptr).ok());
    EXPECT_EQ(got.RecordLines(), want.RecordLines());
    ASSERT_EQ(got.records.size(), want.records.size());
    for (size_t i = 0; i < got.records.size(); ++i)
      EXPECT_EQ(got.records[i].msg, want.records[i].msg);
    ASSERT_EQ(got.rejects.size(), want.rejects.size());
    for (size_t i = 0; i < got.rejects.size(); ++i)
      EXPECT_EQ(got.rejects[i].line, want.rejects[i].line);
  }
}

TEST(ReaderTest, EmptyInputsAreFine) {
  TempDir dir;
  for (std::string name : {"empty.jsonl", "empty.csv", "empty"}) {
    CollectingSink sink;
    ReadStats stats;
    EXPECT_TRUE(ReadRecords(dir.Write(name, ""), {}, &sink, &stats).ok());
    EXPECT_TRUE(sink.records.empty());
    EXPECT_TRUE(sink.rejects.empty());
    EXPECT_EQ(stats.lines, 0);
  }
  CollectingSink sink;
  EXPECT_TRUE(ReadRecords(dir.Write("blank.jsonl", "\n\n  \n"), {}, &sink, nullptr).ok());
  EXPECT_TRUE(sink.rejects.empty());
}

TEST(ReaderTest, FormatFromNameElseFromTheFirstByte) {
  TempDir dir;
  std::string json = "\n  " + JsonLine("A001") + "\n";
  std::string csv = "\nts,txn,ret\n1795158480123,A001,0\n";
  for (auto [name, data, accepted] :
       {std::tuple{"a.JSONL", csv, false},  // the name wins over the content
        std::tuple{"a.ndjson", json, true}, std::tuple{"a.json", json, true},
        std::tuple{"a.txt", json, true},  // sniffed: '{'
        std::tuple{"a.log", csv, true},   // sniffed: a CSV header
        std::tuple{"a.csv", csv, true}}) {
    SCOPED_TRACE(name);
    CollectingSink sink;
    ASSERT_TRUE(ReadRecords(dir.Write(name, data), {}, &sink, nullptr).ok());
    if (accepted) {
      ASSERT_EQ(sink.records.size(), 1u);
      EXPECT_EQ(sink.records[0].txn, "A001");
    } else {
      EXPECT_TRUE(sink.records.empty());
      ASSERT_FALSE(sink.rejects.empty());
      EXPECT_EQ(sink.rejects[0].reason, RejectReason::kInvalidJson);
    }
  }
  ReaderOptions forced;
  forced.format = InputFormat::kCsv;
  CollectingSink sink;
  EXPECT_FALSE(ReadRecords(dir.Write("b.jsonl", json), forced, &sink, nullptr).ok());
}

TEST(ReaderTest, BadCsvHeaderNamesTheMissingColumn) {
  TempDir dir;
  CollectingSink sink;
  absl::Status st =
      ReadRecords(dir.Write("h.csv", "ts,code,ret\n1795158480123,A001,0\n"), {}, &sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("'txn'"), absl::string_view::npos) << st.message();
  EXPECT_NE(st.message().find("h.csv"), absl::string_view::npos) << st.message();
  EXPECT_TRUE(sink.records.empty());
}

TEST(ReaderTest, ParseBufferRejectsEveryRowUnderABadHeader) {
  CollectingSink sink;
  ReadStats stats;
  ParseBuffer("ts,ret\n1,0\n2,0\n", {}, &sink, &stats);
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[0].reason, RejectReason::kMissingField);
  EXPECT_EQ(sink.rejects[0].field, "txn");
  EXPECT_EQ(sink.rejects[0].line, 1);
  EXPECT_EQ(sink.rejects[2].line, 3);
  EXPECT_EQ(stats.rejected, 3);
}

TEST(ReaderTest, UnreadableInputNamesTheFileAndTheReason) {
  TempDir dir;
  CollectingSink sink;
  absl::Status st = ReadRecords(dir.path() + "/missing.jsonl", {}, &sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(st.message().find("missing.jsonl"), absl::string_view::npos) << st.message();
  EXPECT_NE(st.message().find("No such file"), absl::string_view::npos) << st.message();
  st = ReadRecords(dir.path(), {}, &sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("directory"), absl::string_view::npos) << st.message();
}

TEST(ReaderTest, ProgressIsReportedWithBytesSoFar) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 100; ++i) data += JsonLine("A001") + "\n";
  ReaderOptions opt;
  opt.chunk_bytes = 1000;
  std::vector<int64_t> seen;
  auto record = [](void* ctx, int64_t bytes) {
    static_cast<std::vector<int64_t>*>(ctx)->push_back(bytes);
  };
  CollectingSink sink;
  ReadStats stats;
  ASSERT_TRUE(ReadRecords(dir.Write("p.jsonl", data), opt, &sink, &stats, record, &seen).ok());
  ASSERT_GE(seen.size(), data.size() / 1000);
  EXPECT_EQ(seen.back(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(stats.bytes, static_cast<int64_t>(data.size()));
}

}  // namespace
}  // namespace vigil
