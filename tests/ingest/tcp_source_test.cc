// TcpSource on real sockets (127.0.0.1, port 0): JSON Lines from several connections, batching
// by count and by time, over-long lines, mid-line disconnects, idle and surplus connections,
// backpressure from a full queue, and a prompt Stop().
#include "ingest/tcp_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reader_test_util.h"
#include "source_test_util.h"

namespace vigil {
namespace {

using testing_ingest::Deadline;
using testing_ingest::JsonLine;
using testing_ingest::PopTxns;
using testing_ingest::TcpClient;
using testing_ingest::WaitFor;
using std::chrono::milliseconds;

TcpSourceOptions Quiet() {
  TcpSourceOptions o;
  o.log = nullptr;
  o.batch_interval = milliseconds(20);
  return o;
}

std::string Lines(const std::string& prefix, int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += JsonLine(prefix + std::to_string(i)) + "\n";
  return s;
}

TEST(TcpSourceTest, LinesFromSeveralConnectionsKeepTheirOrder) {
  RecordQueue q(100000);
  TcpSource src(Quiet(), &q);
  ASSERT_TRUE(src.Start().ok());
  ASSERT_GT(src.port(), 0);
  constexpr int kClients = 3, kLines = 300;
  std::vector<std::thread> senders;
  for (int c = 0; c < kClients; ++c) {
    senders.emplace_back([&, c] {
      TcpClient client(src.port());
      ASSERT_TRUE(client.connected());
      std::string prefix = "C" + std::to_string(c) + "-";
      // In pieces that cut lines in the middle.
      std::string data = Lines(prefix, 0, kLines);
      for (size_t at = 0; at < data.size(); at += 777) {
        ASSERT_TRUE(client.Send(data.substr(at, 777)));
      }
    });
  }
  for (auto& t : senders) t.join();
  std::vector<std::string> txns = PopTxns(q, kClients * kLines);
  ASSERT_EQ(txns.size(), static_cast<size_t>(kClients * kLines));
  std::vector<int> next(kClients, 0);
  for (const std::string& t : txns) {
    int c = t[1] - '0';
    EXPECT_EQ(t, "C" + std::to_string(c) + "-" + std::to_string(next[c])) << "order broken";
    ++next[c];
  }
  EXPECT_TRUE(WaitFor([&] { return src.counters().records == kClients * kLines; }));
  SourceCounters counters = src.counters();
  EXPECT_EQ(counters.rejected_total(), 0);
  EXPECT_EQ(counters.bytes, kClients * static_cast<int64_t>(Lines("C0-", 0, kLines).size()));
  EXPECT_EQ(counters.extra_value("connections_accepted"), kClients);
}

TEST(TcpSourceTest, BatchesHoldAtMostTheCountAndALoneLineArrivesByTime) {
  RecordQueue q(100000);
  TcpSourceOptions o = Quiet();
  o.batch_records = 100;
  o.batch_interval = milliseconds(30);
  TcpSource src(o, &q);
  ASSERT_TRUE(src.Start().ok());
  TcpClient client(src.port());
  ASSERT_TRUE(client.Send(Lines("B", 0, 1050)));
  size_t total = 0;
  while (total < 1050) {
    auto b = q.Pop(Deadline());
    ASSERT_TRUE(b);
    EXPECT_LE(b->size(), 100u);
    EXPECT_EQ(b->source, "tcp");
    EXPECT_GT(b->received_at, 0);
    total += b->size();
  }
  EXPECT_EQ(total, 1050u);
  // A single line, far below the count, is not held back longer than the interval.
  ASSERT_TRUE(client.Send(JsonLine("LONE") + "\n"));
  auto lone = q.Pop(Deadline());
  ASSERT_TRUE(lone);
  ASSERT_EQ(lone->size(), 1u);
  EXPECT_EQ((*lone)[0].txn, "LONE");
}

TEST(TcpSourceTest, OverLongLineIsRejectedAndTheConnectionGoesOn) {
  RecordQueue q(1000);
  TcpSourceOptions o = Quiet();
  o.max_line_bytes = 1024;
  o.read_bytes = 300;  // the long line spans many reads
  TcpSource src(o, &q);
  ASSERT_TRUE(src.Start().ok());
  TcpClient client(src.port());
  std::string huge = R"({"ts":1795158480123,"txn":"HUGE","ret":"0","msg":")" + std::string(5000, 'x') + "\"}\n";
  ASSERT_TRUE(client.Send(JsonLine("BEFORE") + "\n" + huge + JsonLine("AFTER") + "\nnot json\n"));
  EXPECT_EQ(PopTxns(q, 2), (std::vector<std::string>{"BEFORE", "AFTER"}));
  ASSERT_TRUE(client.Send(JsonLine("LATER") + "\n"));
  EXPECT_EQ(PopTxns(q, 1), (std::vector<std::string>{"LATER"}));
  SourceCounters c = src.counters();
  EXPECT_EQ(c.rejected_count(RejectReason::kLineTooLong), 1);
  EXPECT_EQ(c.rejected_count(RejectReason::kInvalidJson), 1);
  EXPECT_EQ(c.extra_value("connections_active"), 1);
}

TEST(TcpSourceTest, DisconnectMidLineLosesOnlyThePartialLine) {
  RecordQueue q(1000);
  TcpSource src(Quiet(), &q);
  ASSERT_TRUE(src.Start().ok());
  {
    TcpClient client(src.port());
    std::string partial = JsonLine("CUT");
    ASSERT_TRUE(client.Send(JsonLine("WHOLE") + "\n" + partial.substr(0, 30)));
  }
  EXPECT_EQ(PopTxns(q, 1), (std::vector<std::string>{"WHOLE"}));
  ASSERT_TRUE(WaitFor([&] {
    SourceCounters c = src.counters();
    return c.extra_value("connections_active") == 0 && c.records == 1;
  }));
  SourceCounters c = src.counters();
  EXPECT_EQ(c.extra_value("partial_lines_dropped"), 1);
  EXPECT_EQ(c.rejected_total(), 0);
}

TEST(TcpSourceTest, SilentConnectionIsClosedAfterTheIdleTimeout) {
  RecordQueue q(1000);
  TcpSourceOptions o = Quiet();
  o.idle_timeout = milliseconds(150);
  TcpSource src(o, &q);
  ASSERT_TRUE(src.Start().ok());
  TcpClient silent(src.port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.WaitClosedByServer());
  EXPECT_EQ(src.counters().extra_value("connections_idle_closed"), 1);
}

TEST(TcpSourceTest, ConnectionsBeyondTheLimitAreRefused) {
  RecordQueue q(1000);
  TcpSourceOptions o = Quiet();
  o.max_connections = 2;
  TcpSource src(o, &q);
  ASSERT_TRUE(src.Start().ok());
  TcpClient a(src.port()), b(src.port());
  ASSERT_TRUE(a.Send(JsonLine("A1") + "\n"));
  ASSERT_TRUE(b.Send(JsonLine("B1") + "\n"));
  ASSERT_EQ(PopTxns(q, 2).size(), 2u);  // both are being served
  TcpClient c(src.port());
  EXPECT_TRUE(c.WaitClosedByServer());
  EXPECT_EQ(src.counters().extra_value("connections_refused"), 1);
  ASSERT_TRUE(a.Send(JsonLine("A2") + "\n"));  // the others are unaffected
  EXPECT_EQ(PopTxns(q, 1), (std::vector<std::string>{"A2"}));
}

TEST(TcpSourceTest, FullQueueStopsReadingAndNothingIsDropped) {
  constexpr int kLines = 3000;
  RecordQueue q(50);
  TcpSourceOptions o = Quiet();
  o.batch_records = 10;
  o.read_bytes = 4096;
  TcpSource src(o, &q);
  ASSERT_TRUE(src.Start().ok());
  std::thread sender([&] {
    TcpClient client(src.port());
    ASSERT_TRUE(client.Send(Lines("P", 0, kLines)));
  });
  // The source fills the queue, then has to wait for room.
  ASSERT_TRUE(WaitFor([&] { return q.counters().push_waits > 0; }));
  EXPECT_LE(q.depth().records, 50u);
  EXPECT_LT(src.counters().records, kLines);
  std::vector<std::string> txns = PopTxns(q, kLines);
  sender.join();
  ASSERT_EQ(txns.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) ASSERT_EQ(txns[i], "P" + std::to_string(i));
  // Counted just after the push returns, which may be after our Pop.
  EXPECT_TRUE(WaitFor([&] { return src.counters().records == kLines; }));
}

TEST(TcpSourceTest, StopIsPromptEvenWhileWaitingForRoom) {
  RecordQueue q(5);
  TcpSourceOptions o = Quiet();
  o.batch_records = 5;
  auto src = std::make_unique<TcpSource>(o, &q);
  ASSERT_TRUE(src->Start().ok());
  TcpClient busy(src->port()), idle(src->port());
  ASSERT_TRUE(busy.Send(Lines("S", 0, 100)));
  ASSERT_TRUE(WaitFor([&] { return q.counters().push_waits > 0; }));
  auto t0 = std::chrono::steady_clock::now();
  src->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_TRUE(idle.WaitClosedByServer());
  EXPECT_GT(src->counters().extra_value("records_dropped_at_stop"), 0);
  EXPECT_EQ(src->counters().extra_value("connections_active"), 0);
  EXPECT_EQ(q.depth().records, 5u);  // what was queued stays queued
}

TEST(TcpSourceTest, BusyPortIsAnError) {
  RecordQueue q(10);
  TcpSource first(Quiet(), &q);
  ASSERT_TRUE(first.Start().ok());
  TcpSourceOptions o = Quiet();
  o.port = first.port();
  TcpSource second(o, &q);
  absl::Status st = second.Start();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(st.message().find(std::to_string(first.port())), std::string::npos) << st;
}

}  // namespace
}  // namespace vigil
