// JsonRecordParser: the record contract (section 1) for JSON Lines — fields, types, nulls,
// time arithmetic and every rejection with the field it names.
#include <gtest/gtest.h>

#include <string>

#include "ingest/parse.h"
#include "ingest_test_util.h"

namespace vigil {
namespace {

using testing_ingest::PaddedLine;

constexpr TimeMs kTs = 1795158480123;  // 2026-11-20T15:08:00.123+08:00
constexpr std::string_view kRealistic =
    R"({"ts":"2026-11-20T15:08:00.123+08:00","txn":"A001","ret":"000000","dur_ms":35,)"
    R"("sys":"MBNK","svc_sys":"ACCT","svc_ret":"0000","node":"app03",)"
    R"("serial":"MB20261120150800000123","org":"0101","amount":1250.50})";

class JsonParseTest : public ::testing::Test {
 protected:
  bool Parse(std::string_view line) { return parser_.Parse(line_.Set(line), &r_, &err_); }

  // Parses `{"ts":...,"txn":"A001","ret":"0",<extra>}` — a valid record plus `extra`.
  bool ParseWith(std::string_view extra) {
    std::string line = R"({"ts":"2026-11-20T15:08:00.123+08:00","txn":"A001","ret":"0")";
    if (!extra.empty()) line += "," + std::string(extra);
    line += "}";
    return Parse(line);
  }

  void ExpectReject(std::string_view line, RejectReason reason, std::string_view field) {
    SCOPED_TRACE(std::string(line));
    ASSERT_FALSE(Parse(line));
    EXPECT_EQ(RejectReasonName(err_.reason), std::string(RejectReasonName(reason)));
    EXPECT_EQ(err_.field, field);
    EXPECT_FALSE(err_.detail.empty());
  }

  void ExpectRejectWith(std::string_view extra, RejectReason reason, std::string_view field) {
    SCOPED_TRACE(std::string(extra));
    ASSERT_FALSE(ParseWith(extra));
    EXPECT_EQ(RejectReasonName(err_.reason), std::string(RejectReasonName(reason)));
    EXPECT_EQ(err_.field, field);
  }

  JsonRecordParser parser_;
  PaddedLine line_;
  RecordView r_;
  ParseError err_;
};

TEST_F(JsonParseTest, RealisticRecordFillsEveryField) {
  ASSERT_TRUE(Parse(kRealistic)) << err_.detail;
  EXPECT_EQ(r_.ts, kTs);
  EXPECT_EQ(r_.time, kTs + 35);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 35);
  EXPECT_FALSE(r_.has_end_ts);
  EXPECT_EQ(r_.txn, "A001");
  EXPECT_EQ(r_.ret, "000000");
  EXPECT_EQ(r_.sys, "MBNK");
  EXPECT_EQ(r_.svc_sys, "ACCT");
  EXPECT_EQ(r_.svc_ret, "0000");
  EXPECT_EQ(r_.node, "app03");
  EXPECT_EQ(r_.serial, "MB20261120150800000123");
  EXPECT_EQ(r_.org, "0101");
  EXPECT_TRUE(r_.has_amount);
  EXPECT_DOUBLE_EQ(r_.amount, 1250.50);
  EXPECT_EQ(r_.msg, "");
  EXPECT_EQ(r_.phase, Phase::kEnd);
  EXPECT_FALSE(r_.has_mismatch_count);
}

TEST_F(JsonParseTest, ReconciliationAndPhaseFields) {
  ASSERT_TRUE(ParseWith(R"("mismatch_count":3,"mismatch_amount":-12.5,"msg":"ok")"));
  EXPECT_TRUE(r_.has_mismatch_count);
  EXPECT_DOUBLE_EQ(r_.mismatch_count, 3);
  EXPECT_TRUE(r_.has_mismatch_amount);
  EXPECT_DOUBLE_EQ(r_.mismatch_amount, -12.5);
  EXPECT_EQ(r_.msg, "ok");
  ASSERT_TRUE(ParseWith(R"("phase":"start")"));
  EXPECT_EQ(r_.phase, Phase::kStart);
  ASSERT_TRUE(ParseWith(R"("phase":"end")"));
  EXPECT_EQ(r_.phase, Phase::kEnd);
}

TEST_F(JsonParseTest, EscapedStringsAreUnescapedAndKeysToo) {
  ASSERT_TRUE(
      Parse(R"({"t\u0073":1795158480123,"txn":"\u4f59\u989d","ret":"E\"1","msg":"a\\b\n"})"));
  EXPECT_EQ(r_.ts, kTs);
  EXPECT_EQ(r_.txn, "余额");
  EXPECT_EQ(r_.ret, "E\"1");
  EXPECT_EQ(r_.msg, "a\\b\n");
}

TEST_F(JsonParseTest, NullIsAbsent) {
  ASSERT_TRUE(ParseWith(R"("dur_ms":null,"end_ts":null,"sys":null,"amount":null,"phase":null)"));
  EXPECT_EQ(r_.time, kTs);
  EXPECT_EQ(r_.duration_ms, -1);
  EXPECT_FALSE(r_.has_end_ts);
  EXPECT_EQ(r_.sys, "");
  EXPECT_FALSE(r_.has_amount);
  EXPECT_EQ(r_.phase, Phase::kEnd);
  ExpectReject(R"({"ts":null,"txn":"A001","ret":"0"})", RejectReason::kMissingField, "ts");
  ExpectReject(R"({"ts":1795158480123,"txn":null,"ret":"0"})", RejectReason::kMissingField, "txn");
  ExpectReject(R"({"ts":1795158480123,"txn":"A001","ret":null})", RejectReason::kMissingField,
               "ret");
}

TEST_F(JsonParseTest, RepeatedKeyLastValueCountsNullAndEmptyIncluded) {
  ASSERT_TRUE(
      ParseWith(R"("sys":"A","sys":"B","amount":1,"amount":null,"phase":"start",)"
                R"("phase":null,"end_ts":1795158480200,"end_ts":null,"node":"n","node":"")"));
  EXPECT_EQ(r_.sys, "B");
  EXPECT_FALSE(r_.has_amount);
  EXPECT_EQ(r_.phase, Phase::kEnd);
  EXPECT_FALSE(r_.has_end_ts);
  EXPECT_EQ(r_.time, kTs);
  EXPECT_EQ(r_.node, "");
  ExpectRejectWith(R"("ret":"")", RejectReason::kMissingField, "ret");
  ExpectRejectWith(R"("ts":null)", RejectReason::kMissingField, "ts");
}

TEST_F(JsonParseTest, UnknownFieldsOfAnyShapeAreIgnored) {
  ASSERT_TRUE(ParseWith(R"("channel":{"a":[1,2,{"b":null}],"c":true},"x":-1.5e3,"y":[],"z":"")"));
  EXPECT_EQ(r_.txn, "A001");
  ASSERT_TRUE(Parse(R"(  {"extra":1,"ts":1795158480123,"ret":"0","txn":"A001"}  )"));
}

TEST_F(JsonParseTest, EpochMillisecondsTs) {
  ASSERT_TRUE(Parse(R"({"ts":1795158480123,"txn":"A001","ret":"0","end_ts":1795158480200})"));
  EXPECT_EQ(r_.ts, kTs);
  EXPECT_EQ(r_.end_ts, kTs + 77);
  EXPECT_EQ(r_.time, kTs + 77);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 77);
}

TEST_F(JsonParseTest, EndTsWinsOverDurMsForTimeButDurMsIsTheDuration) {
  ASSERT_TRUE(ParseWith(R"("dur_ms":10,"end_ts":"2026-11-20T15:08:01.000+08:00")"));
  EXPECT_EQ(r_.time, kTs + 877);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 10);
}

TEST_F(JsonParseTest, TsPlusDurDropsTheFractionButDurationKeepsIt) {
  ASSERT_TRUE(ParseWith(R"("dur_ms":600.9)"));
  EXPECT_EQ(r_.time, kTs + 600);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 600.9);
  ASSERT_TRUE(ParseWith(R"("dur_ms":0.5)"));
  EXPECT_EQ(r_.time, kTs);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 0.5);
  ASSERT_TRUE(ParseWith(R"("dur_ms":0)"));
  EXPECT_DOUBLE_EQ(r_.duration_ms, 0);
}

TEST_F(JsonParseTest, StartPhaseTimeIsTs) {
  ASSERT_TRUE(ParseWith(R"("phase":"start","dur_ms":5000,"end_ts":"2026-11-20T15:09:00+08:00")"));
  EXPECT_EQ(r_.time, kTs);
  EXPECT_DOUBLE_EQ(r_.duration_ms, 5000);
}

TEST_F(JsonParseTest, NoDurationIsUnknown) {
  ASSERT_TRUE(ParseWith(""));
  EXPECT_EQ(r_.time, kTs);
  EXPECT_LT(r_.duration_ms, 0);
}

TEST_F(JsonParseTest, InvalidJson) {
  for (std::string_view line :
       {R"({"ts":)", R"({"ts":1,"txn":"A","ret":"0")", R"({"ts":1,"txn":"A","ret":"0",})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0"} x)",
        R"({"ts":1795158480123,"txn":"A001","ret":"0"}})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0"}{"a":1})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0","x":tru})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0","x":{"y":]}})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0","x":[1,,2]})",
        R"({"ts":1795158480123,"txn":"A001","ret":"0","x":01})", "nonsense", "{", "}"}) {
    ExpectReject(line, RejectReason::kInvalidJson, "");
  }
  // A bad value of a known field: the field is named.
  ExpectRejectWith(R"("dur_ms":1.)", RejectReason::kInvalidJson, "dur_ms");
  ExpectRejectWith(R"("sys":nul)", RejectReason::kInvalidJson, "sys");
  ExpectRejectWith(R"("msg":"bad\x")", RejectReason::kInvalidJson, "msg");
  ExpectRejectWith(R"("ts":01)", RejectReason::kInvalidJson, "ts");
}

TEST_F(JsonParseTest, InvalidJsonWinsOverAnEarlierWrongType) {
  ExpectReject(R"({"ts":1795158480123,"txn":5,"ret":"0","x":tru})", RejectReason::kInvalidJson, "");
  ExpectReject(R"({"ts":1795158480123,"txn":5,"ret":"0"} trailing)", RejectReason::kInvalidJson,
               "");
}

TEST_F(JsonParseTest, DeepNestingInUnknownFieldsIsRejected) {
  std::string ok = R"({"ts":1795158480123,"txn":"A001","ret":"0","x":)";
  std::string deep = ok;
  ok += std::string(20, '[') + std::string(20, ']') + "}";
  deep += std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_TRUE(Parse(ok));
  ExpectReject(deep, RejectReason::kInvalidJson, "");
}

TEST_F(JsonParseTest, NotAnObject) {
  for (std::string_view line : {"[1,2]", "42", R"("text")", "null", "true", "[]"}) {
    ExpectReject(line, RejectReason::kNotObject, "");
  }
}

TEST_F(JsonParseTest, InvalidUtf8) {
  ExpectRejectWith("\"msg\":\"\xff\xfe\"", RejectReason::kInvalidUtf8, "");
  ExpectRejectWith("\"msg\":\"\xe4\xbd\"", RejectReason::kInvalidUtf8, "");  // cut short
}

TEST_F(JsonParseTest, MissingRequiredFields) {
  ExpectReject(R"({"txn":"A001","ret":"0"})", RejectReason::kMissingField, "ts");
  ExpectReject(R"({"ts":1795158480123,"ret":"0"})", RejectReason::kMissingField, "txn");
  ExpectReject(R"({"ts":1795158480123,"txn":"A001"})", RejectReason::kMissingField, "ret");
  ExpectReject(R"({"ts":1795158480123,"txn":"A001","ret":""})", RejectReason::kMissingField, "ret");
  ExpectReject("{}", RejectReason::kMissingField, "ts");
}

TEST_F(JsonParseTest, WrongTypes) {
  ASSERT_FALSE(Parse(R"({"ts":1795158480123,"txn":1001,"ret":"0"})"));
  EXPECT_EQ(err_.reason, RejectReason::kWrongType);
  EXPECT_EQ(err_.field, "txn");
  EXPECT_EQ(err_.detail, "expected a string, got number");
  ASSERT_FALSE(ParseWith(R"("dur_ms":"12")"));
  EXPECT_EQ(err_.reason, RejectReason::kWrongType);
  EXPECT_EQ(err_.field, "dur_ms");
  EXPECT_EQ(err_.detail, "expected a number, got string");
  ExpectRejectWith(R"("amount":"1250.50")", RejectReason::kWrongType, "amount");
  ExpectRejectWith(R"("mismatch_count":true)", RejectReason::kWrongType, "mismatch_count");
  ExpectRejectWith(R"("sys":["MBNK"])", RejectReason::kWrongType, "sys");
  ExpectRejectWith(R"("svc_ret":0)", RejectReason::kWrongType, "svc_ret");
  ExpectRejectWith(R"("phase":1)", RejectReason::kWrongType, "phase");
  ExpectRejectWith(R"("end_ts":{"t":1})", RejectReason::kWrongType, "end_ts");
  ExpectReject(R"({"ts":1795158480123,"txn":"A001","ret":0})", RejectReason::kWrongType, "ret");
  ExpectReject(R"({"ts":true,"txn":"A001","ret":"0"})", RejectReason::kWrongType, "ts");
}

TEST_F(JsonParseTest, TsMustBeAnIntegerNumberOrAnRfc3339String) {
  ExpectReject(R"({"ts":1795158480123.5,"txn":"A001","ret":"0"})", RejectReason::kWrongType, "ts");
  ExpectReject(R"({"ts":1.795e12,"txn":"A001","ret":"0"})", RejectReason::kWrongType, "ts");
  ExpectReject(R"({"ts":"1795158480123","txn":"A001","ret":"0"})", RejectReason::kWrongType, "ts");
  ExpectRejectWith(R"("end_ts":1795158480200.0)", RejectReason::kWrongType, "end_ts");
}

TEST_F(JsonParseTest, BadTimes) {
  ExpectReject(R"({"ts":"yesterday","txn":"A001","ret":"0"})", RejectReason::kBadTime, "ts");
  ExpectReject(R"({"ts":"","txn":"A001","ret":"0"})", RejectReason::kBadTime, "ts");
  ExpectReject(R"({"ts":"2026-02-30T10:00:00+08:00","txn":"A001","ret":"0"})",
               RejectReason::kBadTime, "ts");
  ExpectRejectWith(R"("end_ts":"2026-11-20T25:00:00Z")", RejectReason::kBadTime, "end_ts");
  ExpectReject(R"({"ts":9223372036854775807,"txn":"A001","ret":"0"})", RejectReason::kBadTime,
               "ts");
  ExpectReject(R"({"ts":18446744073709551615,"txn":"A001","ret":"0"})", RejectReason::kBadTime,
               "ts");
  ExpectRejectWith(R"("dur_ms":1e300)", RejectReason::kBadTime, "dur_ms");
}

TEST_F(JsonParseTest, TimeWithoutOffset) {
  ExpectReject(R"({"ts":"2026-11-20T15:08:00.123","txn":"A001","ret":"0"})",
               RejectReason::kNoOffset, "ts");
  ExpectRejectWith(R"("end_ts":"2026-11-20 15:08:01")", RejectReason::kNoOffset, "end_ts");
}

TEST_F(JsonParseTest, TxnLengthCountsCharactersNotBytes) {
  std::string line = R"({"ts":1795158480123,"ret":"0","txn":")";
  std::string chinese32;
  for (int i = 0; i < 32; ++i) chinese32 += "余";  // 96 bytes, 32 characters
  EXPECT_TRUE(Parse(line + chinese32 + "\"}")) << err_.detail;
  ExpectReject(line + chinese32 + "余\"}", RejectReason::kBadTxn, "txn");
  EXPECT_TRUE(Parse(line + std::string(32, 'A') + "\"}"));
  ExpectReject(line + std::string(33, 'A') + "\"}", RejectReason::kBadTxn, "txn");
  ExpectReject(line + "\"}", RejectReason::kBadTxn, "txn");
  EXPECT_TRUE(Parse(line + "A\"}"));
}

TEST_F(JsonParseTest, NegativeDurations) {
  ExpectRejectWith(R"("dur_ms":-1)", RejectReason::kNegativeDuration, "dur_ms");
  ExpectRejectWith(R"("dur_ms":-0.001)", RejectReason::kNegativeDuration, "dur_ms");
  ExpectRejectWith(R"("end_ts":"2026-11-20T15:08:00.122+08:00")", RejectReason::kNegativeDuration,
                   "end_ts");
  EXPECT_TRUE(ParseWith(R"("end_ts":"2026-11-20T07:08:00.123Z")"));  // same instant: 0 ms
  EXPECT_DOUBLE_EQ(r_.duration_ms, 0);
}

TEST_F(JsonParseTest, BadPhase) {
  ExpectRejectWith(R"("phase":"begin")", RejectReason::kBadPhase, "phase");
  ExpectRejectWith(R"("phase":"START")", RejectReason::kBadPhase, "phase");
}

TEST_F(JsonParseTest, ParserIsReusableAfterEveryKindOfRejection) {
  for (std::string_view bad : {"{", "[1]", "\xff", R"({"ts":1.5,"txn":"A","ret":"0"})",
                               R"({"ts":1,"txn":"A","ret":"0","x":tru})"}) {
    EXPECT_FALSE(Parse(bad));
    ASSERT_TRUE(Parse(kRealistic)) << err_.detail;
    EXPECT_EQ(r_.serial, "MB20261120150800000123");
  }
}

TEST_F(JsonParseTest, LongLinesGrowTheParser) {
  std::string big(200000, 'x');
  ASSERT_TRUE(ParseWith(R"("msg":")" + big + "\""));
  EXPECT_EQ(r_.msg.size(), big.size());
  ASSERT_TRUE(Parse(kRealistic));
}

TEST(RejectReasonNameTest, EveryReasonHasItsContractName) {
  const char* expected[kRejectReasonCount] = {
      "invalid_json", "invalid_csv", "invalid_utf8",        "not_object", "missing_field",
      "wrong_type",   "bad_time",    "time_without_offset", "bad_txn",    "negative_duration",
      "bad_phase",    "future_time", "line_too_long"};
  for (int i = 0; i < kRejectReasonCount; ++i) {
    EXPECT_STREQ(RejectReasonName(static_cast<RejectReason>(i)), expected[i]);
  }
}

}  // namespace
}  // namespace vigil
