// Journal payloads with a source's resume point (the file tail's offset after the batch):
// the point reads back from the frame, and the records decode as without it.
#include "serve/journal_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/record_batch.h"

namespace vigil::serve {
namespace {

RecordBatch TwoRecords() {
  ReaderOptions options;
  options.format = InputFormat::kJsonLines;
  RecordBatch batch = ParseToBatch(
      "{\"ts\":1795140000000,\"txn\":\"A001\",\"ret\":\"000000\"}\n"
      "{\"ts\":1795140001000,\"txn\":\"A002\",\"ret\":\"900001\",\"node\":\"n1\"}\n",
      options).batch;
  return batch;
}

std::vector<std::string> Decoded(const std::string& payload, FrameFormat format, uint8_t flags) {
  JournalFrame frame;
  frame.seq = 7;
  frame.format = format;
  frame.flags = flags;
  frame.payload = payload;
  std::vector<std::string> out;
  DecodeFrame(frame, 1 << 20, [&](const RecordView& r) { out.push_back(std::string(r.txn)); });
  return out;
}

TEST(JournalCodecTest, ResumePointTravelsInFrontOfTheRecords) {
  RecordBatch batch = TwoRecords();
  batch.resume_key = "tail:/var/log/pay.jsonl";
  batch.resume_value = std::string("dev=1 ino=2 off=4096\0fp", 23);  // any bytes
  FrameFormat format;
  uint8_t flags = 0;
  const std::string payload = JournalPayload(batch, &format, &flags);
  EXPECT_EQ(flags, kFrameResume);
  JournalFrame frame;
  frame.flags = flags;
  frame.payload = payload;
  std::optional<ResumePoint> point = FrameResumePoint(frame);
  ASSERT_TRUE(point.has_value());
  EXPECT_EQ(point->key, batch.resume_key);
  EXPECT_EQ(point->value, batch.resume_value);
  EXPECT_EQ(Decoded(payload, format, flags), (std::vector<std::string>{"A001", "A002"}));
}

TEST(JournalCodecTest, BatchesWithoutAResumePointAreWrittenAsBefore) {
  RecordBatch batch = TwoRecords();
  FrameFormat format;
  uint8_t flags = 9;
  const std::string payload = JournalPayload(batch, &format, &flags);
  EXPECT_EQ(flags, 0);
  EXPECT_EQ(payload.front(), '{');  // plain JSON Lines, no prefix
  JournalFrame frame;
  frame.payload = payload;
  EXPECT_FALSE(FrameResumePoint(frame).has_value());
  EXPECT_EQ(Decoded(payload, format, flags), (std::vector<std::string>{"A001", "A002"}));
}

TEST(JournalCodecTest, AMalformedResumePrefixDecodesNothing) {
  const std::string truncated("\x20\0\0\0tail:", 9);  // says 32 key bytes, holds 5
  JournalFrame frame;
  frame.flags = kFrameResume;
  frame.payload = truncated;
  EXPECT_FALSE(FrameResumePoint(frame).has_value());
  EXPECT_TRUE(Decoded(truncated, FrameFormat::kJsonLines, kFrameResume).empty());
}

}  // namespace
}  // namespace vigil::serve
