// The pieces both parsers share: FinishRecord's time and duration rules, and the RFC 3339
// minute memo, which must always agree with ParseRfc3339Ms.
#include "ingest/parse_common.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/parse.h"

namespace vigil {
namespace {

TEST(FinishRecordTest, TimeAndDurationRules) {
  ParseError err;
  RecordView r;
  r.ts = 1000;
  ASSERT_TRUE(FinishRecord(&r, false, 0, &err));
  EXPECT_EQ(r.time, 1000);
  EXPECT_EQ(r.duration_ms, -1);

  ASSERT_TRUE(FinishRecord(&r, true, 99.99, &err));
  EXPECT_EQ(r.time, 1099);
  EXPECT_DOUBLE_EQ(r.duration_ms, 99.99);

  r.has_end_ts = true;
  r.end_ts = 1500;
  ASSERT_TRUE(FinishRecord(&r, false, 0, &err));
  EXPECT_EQ(r.time, 1500);
  EXPECT_DOUBLE_EQ(r.duration_ms, 500);

  r.phase = Phase::kStart;
  ASSERT_TRUE(FinishRecord(&r, true, 7, &err));
  EXPECT_EQ(r.time, 1000);
  EXPECT_DOUBLE_EQ(r.duration_ms, 7);
}

TEST(FinishRecordTest, Rejections) {
  ParseError err;
  RecordView r;
  r.ts = 1000;
  ASSERT_FALSE(FinishRecord(&r, true, -0.5, &err));
  EXPECT_EQ(err.reason, RejectReason::kNegativeDuration);
  EXPECT_EQ(err.field, "dur_ms");
  ASSERT_FALSE(FinishRecord(&r, true, 1e300, &err));
  EXPECT_EQ(err.reason, RejectReason::kBadTime);
  EXPECT_EQ(err.field, "dur_ms");
  r.has_end_ts = true;
  r.end_ts = 999;
  ASSERT_FALSE(FinishRecord(&r, false, 0, &err));
  EXPECT_EQ(err.reason, RejectReason::kNegativeDuration);
  EXPECT_EQ(err.field, "end_ts");
  EXPECT_NE(err.detail.find("1 ms"), std::string::npos) << err.detail;
}

TEST(TimeMemoTest, AgreesWithParseRfc3339MsInAnyOrder) {
  const std::string times[] = {
      "2026-11-20T15:08:00.123+08:00",
      "2026-11-20T15:08:59.999+08:00",
      "2026-11-20T15:08:07+08:00",
      "2026-11-20T15:08:07.1+08:00",
      "2026-11-20T15:08:07.123456789+08:00",
      "2026-11-20T15:08:07.5Z",
      "2026-11-20T15:08:07.5-05:30",
      "2026-11-20T15:08:60+08:00",  // leap second
      "2026-11-20T15:08:61+08:00",
      "2026-11-20T15:08:07.+08:00",
      "2026-11-20T15:08:07+08:0",
      "2026-11-20T15:08:07+08:00x",
      "2026-11-20T15:08:07",
      "2026-11-20T15:08:07.5",
      "2026-11-20T15:08:7a+08:00",
      "2026-11-20T15:09:00.000+08:00",
      "2026-11-20t15:08:01z",
      "2026-11-20 15:08:01+08:00",
      "2026-02-29T15:08:01+08:00",
      "2028-02-29T15:08:01+08:00",
  };
  for (const std::string& first : times) {
    for (const std::string& second : times) {
      TimeMs memo = 0, plain = 0;
      ingest_internal::ParseTimeMemo(first, &memo);  // primes the memo
      TimeParse a = ingest_internal::ParseTimeMemo(second, &memo);
      TimeParse b = ParseRfc3339Ms(second, &plain);
      ASSERT_EQ(a, b) << first << " then " << second;
      if (a == TimeParse::kOk) ASSERT_EQ(memo, plain) << first << " then " << second;
    }
  }
}

}  // namespace
}  // namespace vigil
