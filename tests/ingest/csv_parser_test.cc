// CsvRecordParser: header mapping, RFC 4180 quoting within a line, text cells interpreted by
// field type, and the rejections (invalid_csv, wrong_type, ...) with the field they name.
#include <gtest/gtest.h>

#include <string>

#include "ingest/parse.h"
#include "ingest_test_util.h"

namespace vigil {
namespace {

using testing_ingest::PaddedLine;

constexpr TimeMs kTs = 1795158480123;  // 2026-11-20T15:08:00.123+08:00

class CsvParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        parser_.SetHeader(line_.Set("ts,txn,ret,dur_ms,sys,msg,amount,phase,end_ts"), &err_));
  }
  bool Parse(std::string_view line) { return parser_.Parse(line_.Set(line), &r_, &err_); }
  void ExpectReject(std::string_view line, RejectReason reason, std::string_view field) {
    SCOPED_TRACE(std::string(line));
    ASSERT_FALSE(Parse(line));
    EXPECT_STREQ(RejectReasonName(err_.reason), RejectReasonName(reason));
    EXPECT_EQ(err_.field, field);
    EXPECT_FALSE(err_.detail.empty());
  }

  CsvRecordParser parser_;
  PaddedLine line_;
  RecordView r_;
  ParseError err_;
};

TEST_F(CsvParseTest, PlainRow) {
  ASSERT_TRUE(Parse("2026-11-20T15:08:00.123+08:00,A001,000000,35,MBNK,ok,1250.50,,"))
      << err_.detail;
  EXPECT_EQ(r_.ts, kTs);
  EXPECT_EQ(r_.time, kTs + 35);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 35);
  EXPECT_EQ(r_.txn, "A001");
  EXPECT_EQ(r_.ret, "000000");
  EXPECT_EQ(r_.sys, "MBNK");
  EXPECT_EQ(r_.msg, "ok");
  EXPECT_TRUE(r_.has_amount);
  EXPECT_DOUBLE_EQ(r_.amount, 1250.5);
  EXPECT_EQ(r_.phase, Phase::kEnd);
  EXPECT_FALSE(r_.has_end_ts);
}

TEST_F(CsvParseTest, EmptyCellsAreAbsent) {
  ASSERT_TRUE(Parse("1795158480123,A001,0,,,,,,"));
  EXPECT_EQ(r_.ts, kTs);
  EXPECT_EQ(r_.time, kTs);
  EXPECT_LT(r_.duration_ms, 0);
  EXPECT_FALSE(r_.has_amount);
  EXPECT_EQ(r_.sys, "");
  ExpectReject(",A001,0,,,,,,", RejectReason::kMissingField, "ts");
  ExpectReject("1795158480123,,0,,,,,,", RejectReason::kMissingField, "txn");
  ExpectReject("1795158480123,A001,\"\",,,,,,", RejectReason::kMissingField, "ret");
}

TEST_F(CsvParseTest, QuotedCellsWithCommasAndQuotes) {
  ASSERT_TRUE(Parse(R"("2026-11-20T15:08:00.123+08:00","A001","0",35.5,"MB,NK",)"
                    R"("say ""hi"", then go","-3",start,"")"))
      << err_.detail;
  EXPECT_EQ(r_.sys, "MB,NK");
  EXPECT_EQ(r_.msg, R"(say "hi", then go)");
  EXPECT_DOUBLE_EQ(r_.amount, -3);
  EXPECT_EQ(r_.phase, Phase::kStart);
  EXPECT_EQ(r_.time, kTs);  // start: its ts
  EXPECT_DOUBLE_EQ(r_.duration_ms, 35.5);
  ASSERT_TRUE(Parse(R"(1795158480123,A001,0,,"""","""""x""""",,,)"));
  EXPECT_EQ(r_.sys, "\"");
  EXPECT_EQ(r_.msg, "\"\"x\"\"");
}

TEST_F(CsvParseTest, BadQuoting) {
  ExpectReject(R"(1795158480123,A001,0,,"MBNK,,,,)", RejectReason::kInvalidCsv, "");
  ExpectReject(R"(1795158480123,A001,0,,"MB"NK,,,,)", RejectReason::kInvalidCsv, "");
  ExpectReject(R"(1795158480123,A001,0,,MB"NK,,,,)", RejectReason::kInvalidCsv, "");
  ExpectReject(R"(1795158480123,A001,0,, "MBNK",,,,)", RejectReason::kInvalidCsv, "");
}

TEST_F(CsvParseTest, WrongNumberOfCells) {
  ExpectReject("1795158480123,A001,0,,,,,", RejectReason::kInvalidCsv, "");
  ExpectReject("1795158480123,A001,0,,,,,,,", RejectReason::kInvalidCsv, "");
  ExpectReject("1795158480123", RejectReason::kInvalidCsv, "");
  EXPECT_NE(err_.detail.find("1 cells"), std::string::npos) << err_.detail;
}

TEST_F(CsvParseTest, NumbersMustParseFully) {
  ExpectReject("1795158480123,A001,0,12ms,,,,,", RejectReason::kWrongType, "dur_ms");
  ExpectReject("1795158480123,A001,0, 12,,,,,", RejectReason::kWrongType, "dur_ms");
  ExpectReject("1795158480123,A001,0,nan,,,,,", RejectReason::kWrongType, "dur_ms");
  ExpectReject("1795158480123,A001,0,,,,inf,,", RejectReason::kWrongType, "amount");
  ExpectReject("1795158480123,A001,0,,,,\"1,250.50\",,", RejectReason::kWrongType, "amount");
  ASSERT_TRUE(Parse("1795158480123,A001,0,1e3,,,1.5E2,,"));
  EXPECT_DOUBLE_EQ(r_.duration_ms, 1000);
  EXPECT_DOUBLE_EQ(r_.amount, 150);
}

TEST_F(CsvParseTest, TimesAsRfc3339OrEpochDigits) {
  ASSERT_TRUE(Parse("1795158480123,A001,0,,,,,,1795158480200"));
  EXPECT_EQ(r_.time, kTs + 77);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 77);
  ExpectReject("17951584801.5,A001,0,,,,,,", RejectReason::kBadTime, "ts");
  ExpectReject("99999999999999999999,A001,0,,,,,,", RejectReason::kBadTime, "ts");
  ExpectReject("soon,A001,0,,,,,,", RejectReason::kBadTime, "ts");
  ExpectReject("2026-11-20T15:08:00,A001,0,,,,,,", RejectReason::kNoOffset, "ts");
  ExpectReject("1795158480123,A001,0,,,,,,2026-11-20T15:08:00.000+08:00",
               RejectReason::kNegativeDuration, "end_ts");
}

TEST_F(CsvParseTest, OtherRejections) {
  ExpectReject("1795158480123,A001,0,-5,,,,,", RejectReason::kNegativeDuration, "dur_ms");
  ExpectReject("1795158480123,A001,0,,,,,begin,", RejectReason::kBadPhase, "phase");
  ExpectReject("1795158480123,ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456,0,,,,,,", RejectReason::kBadTxn,
               "txn");
  ExpectReject("1795158480123,A001,0,,\xc3\x28,,,,", RejectReason::kInvalidUtf8, "");
}

TEST(CsvHeaderTest, ColumnsInAnyOrderUnknownOnesIgnored) {
  CsvRecordParser p;
  PaddedLine line;
  ParseError err;
  RecordView r;
  ASSERT_TRUE(p.SetHeader(line.Set("\"remark\", ret ,txn,ts,remark,node"), &err)) << err.detail;
  ASSERT_TRUE(p.Parse(line.Set("x,0,A001,1795158480123,y,app03"), &r, &err)) << err.detail;
  EXPECT_EQ(r.ret, "0");
  EXPECT_EQ(r.txn, "A001");
  EXPECT_EQ(r.node, "app03");
}

TEST(CsvHeaderTest, MissingRequiredColumnIsNamed) {
  CsvRecordParser p;
  PaddedLine line;
  ParseError err;
  for (auto [header, missing] : {std::pair{"txn,ret", "ts"}, std::pair{"ts,ret,sys", "txn"},
                                 std::pair{"ts,txn", "ret"}, std::pair{"TS,txn,ret", "ts"}}) {
    ASSERT_FALSE(p.SetHeader(line.Set(header), &err)) << header;
    EXPECT_EQ(err.reason, RejectReason::kMissingField);
    EXPECT_EQ(err.field, missing);
    EXPECT_NE(err.detail.find(std::string("'") + missing + "'"), std::string::npos) << err.detail;
  }
  RecordView r;
  EXPECT_FALSE(p.Parse(line.Set("1,A,0"), &r, &err));  // no header: every row is rejected
  EXPECT_EQ(err.reason, RejectReason::kInvalidCsv);
}

TEST(CsvHeaderTest, RepeatedFieldColumnIsAnError) {
  CsvRecordParser p;
  PaddedLine line;
  ParseError err;
  ASSERT_FALSE(p.SetHeader(line.Set("ts,txn,ret,txn"), &err));
  EXPECT_EQ(err.reason, RejectReason::kInvalidCsv);
  EXPECT_EQ(err.field, "txn");
  ASSERT_FALSE(p.SetHeader(line.Set("ts,txn,\"ret"), &err));
  EXPECT_EQ(err.reason, RejectReason::kInvalidCsv);
}

}  // namespace
}  // namespace vigil
