// RecordBatch and its builder: owned copies of parsed records whose views survive the parser,
// moves and the source buffer; rejections counted by reason with "line N: reason (field)" text.
#include "ingest/record_batch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

#include "ingest_test_util.h"
#include "reader_test_util.h"

namespace vigil {
namespace {

using testing_ingest::CollectingSink;
using testing_ingest::JsonLine;
using testing_ingest::OwnedRecord;

std::string Lines(int n, const std::string& prefix) {
  std::string data;
  for (int i = 0; i < n; ++i) data += JsonLine(prefix + std::to_string(i)) + "\n";
  return data;
}

void ExpectSameRecord(const OwnedRecord& want, const RecordView& got) {
  OwnedRecord g = OwnedRecord::From(got, want.line);
  EXPECT_EQ(g.ts, want.ts);
  EXPECT_EQ(g.time, want.time);
  EXPECT_EQ(g.duration_ms, want.duration_ms);
  EXPECT_EQ(g.txn, want.txn);
  EXPECT_EQ(g.ret, want.ret);
  EXPECT_EQ(g.sys, want.sys);
  EXPECT_EQ(g.svc_sys, want.svc_sys);
  EXPECT_EQ(g.svc_ret, want.svc_ret);
  EXPECT_EQ(g.node, want.node);
  EXPECT_EQ(g.serial, want.serial);
  EXPECT_EQ(g.org, want.org);
  EXPECT_EQ(g.msg, want.msg);
  EXPECT_EQ(g.has_amount, want.has_amount);
  EXPECT_EQ(g.amount, want.amount);
}

TEST(RecordBatchTest, KeepsEveryFieldAfterTheInputIsGone) {
  std::string data =
      R"({"ts":"2026-11-20T15:08:00.123+08:00","txn":"T\u00e9","ret":"E01","dur_ms":12.5,)"
      R"("sys":"S","svc_sys":"CORE","svc_ret":"X9","node":"n1","serial":"s1","org":"o1",)"
      R"("msg":"line\nbreak","amount":3.5})"
      "\n";
  data += JsonLine("PAY01") + "\n";
  CollectingSink want;
  ParseBuffer(data, {}, &want, nullptr);
  ASSERT_EQ(want.records.size(), 2u);

  ParsedBatch parsed = ParseToBatch(data, {});
  std::fill(data.begin(), data.end(), 'x');  // the batch must not point into its input
  ASSERT_EQ(parsed.batch.size(), 2u);
  EXPECT_EQ(parsed.batch[0].txn, "T\xc3\xa9");
  EXPECT_EQ(parsed.batch[0].msg, "line\nbreak");
  for (size_t i = 0; i < 2; ++i) ExpectSameRecord(want.records[i], parsed.batch[i]);
  EXPECT_EQ(parsed.stats.records, 2);
  EXPECT_EQ(parsed.batch.input_bytes, static_cast<int64_t>(data.size()));
}

TEST(RecordBatchTest, ViewsStayValidAcrossMoves) {
  ParsedBatch parsed = ParseToBatch(Lines(3, "MV"), {});
  RecordBatch moved = std::move(parsed.batch);
  RecordBatch assigned;
  assigned = std::move(moved);
  std::vector<RecordBatch> many;
  many.push_back(std::move(assigned));
  for (int i = 0; i < 100; ++i) many.emplace_back();  // reallocations move the first batch
  ASSERT_EQ(many[0].size(), 3u);
  EXPECT_EQ(many[0][0].txn, "MV0");
  EXPECT_EQ(many[0][2].txn, "MV2");
  EXPECT_EQ(many[0][2].node, "app03");
}

TEST(RecordBatchTest, ShortStringsSurviveAMoveOfASmallBatch) {
  // One tiny record: nothing may live in a small-string buffer that a move would relocate.
  ParsedBatch parsed = ParseToBatch("ts,txn,ret\n1795158480123,A,0\n", {});
  ASSERT_EQ(parsed.batch.size(), 1u);
  RecordBatch moved = std::move(parsed.batch);
  EXPECT_EQ(moved[0].txn, "A");
  EXPECT_EQ(moved[0].ret, "0");
  EXPECT_TRUE(moved[0].sys.empty());
}

TEST(RecordBatchTest, AddCopiesBeyondTheReservedSpace) {
  RecordBatch batch;
  batch.Reserve(1, 4);  // far too small: the arena must add chunks, not move bytes
  std::vector<std::string> txns;
  for (int i = 0; i < 2000; ++i) txns.push_back("CODE" + std::to_string(i));
  for (const std::string& t : txns) {
    RecordView r;
    r.txn = t;
    r.ret = "000000";
    batch.Add(r);
  }
  ASSERT_EQ(batch.size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(batch[i].txn, txns[i]);
  EXPECT_EQ(batch[1999].ret, "000000");
}

TEST(RecordBatchTest, CsvBatchMatchesTheParser) {
  std::string data = "ts,txn,ret,sys,amount,msg\n";
  for (int i = 0; i < 50; ++i) {
    data += "1795158480123,C" + std::to_string(i) + ",0,SYS,1.5,\"a,\"\"quoted\"\" msg\"\n";
  }
  CollectingSink want;
  ParseBuffer(data, {}, &want, nullptr);
  ParsedBatch parsed = ParseToBatch(data, {});
  ASSERT_EQ(parsed.batch.size(), 50u);
  for (size_t i = 0; i < 50; ++i) ExpectSameRecord(want.records[i], parsed.batch[i]);
  EXPECT_EQ(parsed.batch[7].msg, "a,\"quoted\" msg");
}

TEST(RecordBatchTest, RejectsCountedByReasonWithTheFirstErrors) {
  std::string data = JsonLine("OK1") + "\n" + "not json\n" +
                     R"({"ts":"2026-11-20T15:08:00+08:00","txn":"A","ret":"0","amount":"12"})" +
                     "\n\n" + R"({"txn":"A","ret":"0"})" + "\n" + "[1]\n" + JsonLine("OK2") +
                     "\n" + "{bad\n";
  ParsedBatch parsed = ParseToBatch(data, {}, /*max_errors=*/3);
  ASSERT_EQ(parsed.batch.size(), 2u);
  EXPECT_EQ(parsed.batch[1].txn, "OK2");
  EXPECT_EQ(parsed.rejects.total, 5);
  EXPECT_EQ(parsed.rejects.count(RejectReason::kInvalidJson), 2);
  EXPECT_EQ(parsed.rejects.count(RejectReason::kWrongType), 1);
  EXPECT_EQ(parsed.rejects.count(RejectReason::kMissingField), 1);
  EXPECT_EQ(parsed.rejects.count(RejectReason::kNotObject), 1);
  ASSERT_EQ(parsed.errors.size(), 3u);  // only the first three are kept
  EXPECT_EQ(parsed.errors[0].rfind("line 2: invalid_json: ", 0), 0u) << parsed.errors[0];
  EXPECT_EQ(parsed.errors[1].rfind("line 3: wrong_type (amount): ", 0), 0u) << parsed.errors[1];
  EXPECT_EQ(parsed.errors[2].rfind("line 5: missing_field (ts): ", 0), 0u) << parsed.errors[2];
}

TEST(RecordBatchTest, BuilderShiftsLineNumbersOfPiecesAndTakesFreshBatches) {
  RecordBatchBuilder builder;
  ParseBuffer(JsonLine("P1") + "\n", {}, &builder, nullptr);
  RecordBatch first = builder.TakeBatch();
  builder.set_line_offset(100);
  ParseBuffer(JsonLine("P2") + "\nnope\n", {}, &builder, nullptr);
  builder.AddReject(RejectReason::kLineTooLong, "line is longer than 10 bytes", 250);
  RecordBatch second = builder.TakeBatch();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(first[0].txn, "P1");
  EXPECT_EQ(second[0].txn, "P2");
  ASSERT_EQ(builder.errors().size(), 2u);
  EXPECT_EQ(builder.errors()[0].rfind("line 102: invalid_json", 0), 0u) << builder.errors()[0];
  EXPECT_EQ(builder.errors()[1], "line 250: line_too_long: line is longer than 10 bytes");
  builder.ClearRejects();
  EXPECT_EQ(builder.rejects().total, 0);
  EXPECT_TRUE(builder.errors().empty());
  EXPECT_TRUE(builder.batch().empty());
}

TEST(RecordBatchTest, OnAppliedRunsOnceWhenMarked) {
  RecordBatch batch;
  int runs = 0;
  batch.on_applied = [&] { ++runs; };
  RecordBatch moved = std::move(batch);
  moved.MarkApplied();
  moved.MarkApplied();
  EXPECT_EQ(runs, 1);
  RecordBatch none;
  none.MarkApplied();  // no callback: nothing happens
}

class NoopSink : public RecordSink {
 public:
  void OnRecord(const RecordView& record, int64_t) override { txn_bytes += record.txn.size(); }
  void OnReject(const ParseError&, int64_t) override {}
  size_t txn_bytes = 0;
};

// Figures for the report: building a batch must add little over parsing. Prints records/s of
// both over a 10,000-record buffer (best of several rounds); checks only the results.
TEST(RecordBatchTest, BuildingThroughputAgainstPlainParsing) {
  const std::string data = Lines(10000, "BENCH");
  using Clock = std::chrono::steady_clock;
  auto best_rate = [&](auto&& run) {
    double best = 0;
    for (int round = 0; round < 15; ++round) {
      auto t0 = Clock::now();
      run();
      double s = std::chrono::duration<double>(Clock::now() - t0).count();
      best = std::max(best, 10000 / s);
    }
    return best;
  };
  NoopSink noop;
  double parse_rate = best_rate([&] { ParseBuffer(data, {}, &noop, nullptr); });
  size_t built = 0;
  double batch_rate = best_rate([&] { built = ParseToBatch(data, {}).batch.size(); });
  EXPECT_EQ(built, 10000u);
  EXPECT_GT(noop.txn_bytes, 0u);
  std::printf("ParseBuffer into a no-op sink: %.0f records/s; ParseToBatch: %.0f records/s (%.0f%%)\n",
              parse_rate, batch_rate, 100.0 * batch_rate / parse_rate);
  RecordProperty("parse_records_per_s", static_cast<int>(parse_rate));
  RecordProperty("batch_records_per_s", static_cast<int>(batch_rate));
}

}  // namespace
}  // namespace vigil
