// RecordQueue: capacity in records, TryPush refusing (429), Push waiting for room
// (backpressure), Pop waiting for batches, FIFO order across producers, Close waking everyone.
#include "ingest/record_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace vigil {
namespace {

using Clock = RecordQueue::Clock;
using std::chrono::seconds;

// A batch of `n` records whose txn is `tag` (so that the consumer can tell batches apart).
RecordBatch MakeBatch(size_t n, const std::string& tag) {
  RecordBatch b;
  for (size_t i = 0; i < n; ++i) {
    RecordView r;
    r.txn = tag;
    r.ret = "0";
    r.ts = static_cast<TimeMs>(i);
    b.Add(r);
  }
  b.source = tag;
  return b;
}

Clock::time_point In(std::chrono::milliseconds d) { return Clock::now() + d; }
Clock::time_point Generous() { return Clock::now() + seconds(30); }

TEST(RecordQueueTest, CapacityCountsRecordsNotBatches) {
  RecordQueue q(10);
  EXPECT_TRUE(q.TryPush(MakeBatch(6, "a")));
  RecordBatch too_many = MakeBatch(5, "b");
  EXPECT_FALSE(q.TryPush(std::move(too_many)));
  EXPECT_EQ(too_many.size(), 5u);  // a refused batch is left with the caller
  EXPECT_EQ(too_many[0].txn, "b");
  EXPECT_TRUE(q.TryPush(MakeBatch(4, "c")));
  RecordQueue::Depth d = q.depth();
  EXPECT_EQ(d.records, 10u);
  EXPECT_EQ(d.batches, 2u);
  EXPECT_EQ(q.counters().full_rejections, 1);
  EXPECT_TRUE(q.TryPush(MakeBatch(0, "empty")));  // an empty batch always fits
}

TEST(RecordQueueTest, OversizedBatchOnlyIntoAnEmptyQueue) {
  RecordQueue q(10);
  ASSERT_TRUE(q.TryPush(MakeBatch(1, "small")));
  EXPECT_FALSE(q.TryPush(MakeBatch(50, "big")));
  ASSERT_TRUE(q.Pop(Generous()).has_value());
  EXPECT_TRUE(q.TryPush(MakeBatch(50, "big")));
  EXPECT_EQ(q.depth().records, 50u);
}

TEST(RecordQueueTest, PopReturnsBatchesInOrderAndTimesOutWhenEmpty) {
  RecordQueue q(100);
  ASSERT_TRUE(q.TryPush(MakeBatch(2, "first")));
  ASSERT_EQ(q.Push(MakeBatch(3, "second"), Generous()), RecordQueue::PushResult::kOk);
  auto a = q.Pop(Generous());
  auto b = q.Pop(Generous());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->source, "first");
  EXPECT_EQ(b->source, "second");
  EXPECT_EQ((*b)[2].txn, "second");
  EXPECT_FALSE(q.Pop(In(std::chrono::milliseconds(20))).has_value());
  EXPECT_EQ(q.depth().records, 0u);
}

TEST(RecordQueueTest, PushWaitsForRoomUntilTheConsumerPops) {
  RecordQueue q(10);
  ASSERT_TRUE(q.TryPush(MakeBatch(8, "old")));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_EQ(q.Push(MakeBatch(5, "new"), Generous()), RecordQueue::PushResult::kOk);
    pushed = true;
  });
  // The producer cannot get in while 8 of 10 are taken; the only way on is a Pop.
  auto old = q.Pop(Generous());
  ASSERT_TRUE(old);
  EXPECT_EQ(old->source, "old");
  auto next = q.Pop(Generous());
  ASSERT_TRUE(next);
  EXPECT_EQ(next->source, "new");
  producer.join();
  EXPECT_TRUE(pushed);
}

TEST(RecordQueueTest, PushTimesOutAndKeepsTheBatch) {
  RecordQueue q(4);
  ASSERT_TRUE(q.TryPush(MakeBatch(4, "full")));
  RecordBatch b = MakeBatch(2, "late");
  EXPECT_EQ(q.Push(std::move(b), In(std::chrono::milliseconds(30))),
            RecordQueue::PushResult::kTimeout);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(q.counters().push_waits, 1);
}

TEST(RecordQueueTest, CloseWakesWaitingProducersAndConsumers) {
  RecordQueue full(1);
  ASSERT_TRUE(full.TryPush(MakeBatch(1, "x")));
  RecordQueue empty(10);
  std::thread producer([&] {
    EXPECT_EQ(full.Push(MakeBatch(1, "y"), Generous()), RecordQueue::PushResult::kClosed);
  });
  std::thread consumer([&] { EXPECT_FALSE(empty.Pop(Generous()).has_value()); });
  auto t0 = Clock::now();
  full.Close();
  empty.Close();
  producer.join();
  consumer.join();
  EXPECT_LT(Clock::now() - t0, seconds(10));  // woken, not timed out
  EXPECT_FALSE(full.TryPush(MakeBatch(0, "z")));
  // What was queued before Close is still handed out, then Pop returns at once.
  auto left = full.Pop(Generous());
  ASSERT_TRUE(left);
  EXPECT_EQ(left->source, "x");
  EXPECT_FALSE(full.Pop(Generous()).has_value());
}

TEST(RecordQueueTest, ManyProducersOneConsumerLoseNothingAndKeepEachProducersOrder) {
  constexpr int kProducers = 4, kBatches = 300;
  RecordQueue q(64);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kBatches; ++i) {
        RecordBatch b = MakeBatch(1 + i % 7, "p" + std::to_string(p));
        b.received_at = i;  // sequence number within the producer
        ASSERT_EQ(q.Push(std::move(b), Generous()), RecordQueue::PushResult::kOk);
      }
    });
  }
  std::vector<int64_t> last(kProducers, -1);
  size_t max_depth = 0;
  for (int got = 0; got < kProducers * kBatches; ++got) {
    max_depth = std::max(max_depth, q.depth().records);
    auto b = q.Pop(Generous());
    ASSERT_TRUE(b);
    int p = b->source[1] - '0';
    EXPECT_EQ(b->received_at, last[p] + 1) << "producer " << p;
    last[p] = b->received_at;
    EXPECT_EQ(b->size(), static_cast<size_t>(1 + b->received_at % 7));
  }
  for (auto& t : producers) t.join();
  EXPECT_LE(max_depth, 64u);
  EXPECT_EQ(q.depth().batches, 0u);
  EXPECT_EQ(q.counters().popped_batches, kProducers * kBatches);
}

}  // namespace
}  // namespace vigil
