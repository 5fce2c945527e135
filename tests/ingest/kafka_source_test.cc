// KafkaSource against librdkafka's built-in mock cluster: JSON Lines values (several records
// per message, bad lines counted), offsets committed only for applied batches, a restart in
// the same group resuming exactly after what was applied, and a rebalance between two
// consumers that loses nothing.
#include "ingest/kafka_source.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reader_test_util.h"
#include "source_test_util.h"

namespace vigil {
namespace {

using testing_ingest::Deadline;
using testing_ingest::JsonLine;
using testing_ingest::WaitFor;

// A one-broker mock cluster with a producer connected to it.
class MockKafka {
 public:
  explicit MockKafka(const std::string& topic, int partitions) : topic_(topic) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    owner_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    EXPECT_NE(owner_, nullptr) << err;
    cluster_ = rd_kafka_mock_cluster_new(owner_, 1);
    EXPECT_NE(cluster_, nullptr);
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
    EXPECT_EQ(rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_conf_t* pconf = rd_kafka_conf_new();
    EXPECT_EQ(rd_kafka_conf_set(pconf, "bootstrap.servers", bootstraps_.c_str(), err, sizeof err),
              RD_KAFKA_CONF_OK);
    rd_kafka_conf_set(pconf, "linger.ms", "1", err, sizeof err);
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof err);
    EXPECT_NE(producer_, nullptr) << err;
  }
  ~MockKafka() {
    rd_kafka_destroy(producer_);
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(owner_);
  }

  const std::string& bootstraps() const { return bootstraps_; }

  void Produce(int partition, const std::string& value) {
    rd_kafka_resp_err_t e = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    ASSERT_EQ(e, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(e);
  }
  void Flush() { ASSERT_EQ(rd_kafka_flush(producer_, 30000), RD_KAFKA_RESP_ERR_NO_ERROR); }

 private:
  std::string topic_;
  rd_kafka_t* owner_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  rd_kafka_t* producer_ = nullptr;
  std::string bootstraps_;
};

KafkaSourceOptions Options(const MockKafka& kafka, const std::string& group) {
  KafkaSourceOptions o;
  o.brokers = kafka.bootstraps();
  o.topics = {"tx"};
  o.group_id = group;
  o.batch_records = 10;
  o.batch_interval = std::chrono::milliseconds(20);
  // KAFKA_TEST_LOG=1 shows the source's log lines (assignments, commit errors) when debugging.
  o.log = getenv("KAFKA_TEST_LOG") ? SourceLog(LogToStderr) : SourceLog();
  o.config = {{"heartbeat.interval.ms", "100"}, {"session.timeout.ms", "3000"},
              {"log_level", "0"}, {"topic.metadata.refresh.interval.ms", "500"}};
  return o;
}

// Pops batches until every txn in `until` was seen (or the deadline); applies them when
// `apply`. Returns every txn popped, in order.
std::vector<std::string> PopUntil(RecordQueue& q, const std::set<std::string>& until,
                                  bool apply = true) {
  std::vector<std::string> got;
  std::set<std::string> missing = until;
  auto deadline = Deadline(60);
  while (!missing.empty()) {
    std::optional<RecordBatch> b = q.Pop(deadline);
    if (!b) break;
    for (const RecordView& r : b->records()) {
      got.emplace_back(r.txn);
      missing.erase(std::string(r.txn));
    }
    if (apply) b->MarkApplied();
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " records never arrived, e.g. "
                               << (missing.empty() ? "" : *missing.begin());
  return got;
}

// Messages: K0..K(n-1), partitions alternating; every fifth message carries two records and
// every seventh an extra bad line.
std::set<std::string> ProduceRecords(MockKafka& kafka, int partitions, int n, int& next) {
  std::set<std::string> txns;
  for (int i = 0; i < n; ++i) {
    std::string t = "K" + std::to_string(next++);
    std::string value = JsonLine(t);
    txns.insert(t);
    if (i % 5 == 0) {
      std::string t2 = "K" + std::to_string(next++);
      value += "\n" + JsonLine(t2) + "\n";
      txns.insert(t2);
    }
    if (i % 7 == 0) value += "\nnot json";
    kafka.Produce(i % partitions, value);
  }
  kafka.Flush();
  return txns;
}

// One END marker per partition: once all are popped, nothing sent before them is still due.
std::set<std::string> ProduceEnds(MockKafka& kafka, int partitions) {
  std::set<std::string> ends;
  for (int p = 0; p < partitions; ++p) {
    std::string t = "END" + std::to_string(p);
    kafka.Produce(p, JsonLine(t));
    ends.insert(t);
  }
  kafka.Flush();
  return ends;
}

TEST(KafkaSourceTest, RestartResumesRightAfterTheAppliedBatches) {
  MockKafka kafka("tx", 2);
  int next = 0;
  std::set<std::string> all = ProduceRecords(kafka, 2, 120, next);
  RecordQueue q(100000);
  std::set<std::string> applied;
  {
    KafkaSource first(Options(kafka, "g-restart"), &q);
    ASSERT_TRUE(first.Start().ok());
    // The engine applies batches until it has about half, then "crashes": later batches are
    // popped but never applied.
    std::set<std::string> seen;
    auto deadline = Deadline(60);
    while (seen.size() < all.size()) {
      std::optional<RecordBatch> b = q.Pop(deadline);
      ASSERT_TRUE(b) << "only " << seen.size() << " of " << all.size() << " records arrived";
      const bool apply = applied.size() < all.size() / 2;
      for (const RecordView& r : b->records()) {
        seen.emplace(r.txn);
        if (apply) applied.emplace(r.txn);
      }
      if (apply) b->MarkApplied();
    }
    // Counted once the push returned, which may be after our Pop.
    EXPECT_TRUE(WaitFor([&] { return first.counters().records == static_cast<int64_t>(all.size()); }));
    SourceCounters c = first.counters();
    EXPECT_EQ(c.rejected_count(RejectReason::kInvalidJson), (120 + 6) / 7);
    EXPECT_EQ(c.extra_value("messages"), 120);
    first.Stop();
  }
  ASSERT_GT(applied.size(), 0u);
  ASSERT_LT(applied.size(), all.size());

  KafkaSource second(Options(kafka, "g-restart"), &q);
  ASSERT_TRUE(second.Start().ok());
  std::set<std::string> ends = ProduceEnds(kafka, 2);
  std::vector<std::string> got = PopUntil(q, ends);
  std::multiset<std::string> again(got.begin(), got.end());
  for (const std::string& e : ends) again.erase(e);
  std::set<std::string> expected;
  for (const std::string& t : all) {
    if (applied.count(t) == 0) expected.insert(t);
  }
  EXPECT_EQ(again.size(), expected.size()) << "a record came twice";
  EXPECT_EQ(std::set<std::string>(again.begin(), again.end()), expected)
      << "applied records came again, or unapplied ones were lost";
  second.Stop();
}

TEST(KafkaSourceTest, RebalanceBetweenTwoConsumersLosesNothing) {
  constexpr int kPartitions = 4;
  MockKafka kafka("tx", kPartitions);
  int next = 0;
  RecordQueue q(100000);
  KafkaSourceOptions oa = Options(kafka, "g-rebalance");
  oa.source_name = "A";
  KafkaSource a(oa, &q);
  ASSERT_TRUE(a.Start().ok());
  std::set<std::string> first = ProduceRecords(kafka, kPartitions, 100, next);
  std::vector<std::string> got = PopUntil(q, first);

  KafkaSourceOptions ob = Options(kafka, "g-rebalance");
  ob.source_name = "B";
  KafkaSource b(ob, &q);
  ASSERT_TRUE(b.Start().ok());
  // Keep applying while the group rebalances, until b owns partitions.
  auto deadline = Deadline(60);
  while (b.counters().extra_value("partitions_assigned") == 0) {
    ASSERT_LT(RecordQueue::Clock::now(), deadline) << "b never got a partition";
    if (auto batch = q.Pop(RecordQueue::Clock::now() + std::chrono::milliseconds(20))) {
      for (const RecordView& r : batch->records()) got.emplace_back(r.txn);
      batch->MarkApplied();
    }
  }
  std::set<std::string> second = ProduceRecords(kafka, kPartitions, 100, next);
  std::set<std::string> ends = ProduceEnds(kafka, kPartitions);
  std::set<std::string> want = second;
  want.insert(ends.begin(), ends.end());
  std::vector<std::string> more = PopUntil(q, want);
  got.insert(got.end(), more.begin(), more.end());

  std::multiset<std::string> counted(got.begin(), got.end());
  // Nothing is lost. Records applied just before the rebalance may come twice: the mock
  // cluster refuses offset commits while a group is joining (a real broker accepts the commit
  // made on revocation), so their offsets may not have been committed.
  for (const std::string& t : first) EXPECT_GE(counted.count(t), 1u) << t;
  // After the rebalance every partition has one owner that starts where the last one left.
  for (const std::string& t : second) EXPECT_EQ(counted.count(t), 1u) << t;
  EXPECT_GE(a.counters().extra_value("rebalances"), 2);
  EXPECT_GT(a.counters().extra_value("commits"), 0);
  EXPECT_GT(b.counters().records, 0);
  a.Stop();
  b.Stop();
}

TEST(KafkaSourceTest, BadConfigurationNamesTheProperty) {
  RecordQueue q(10);
  KafkaSourceOptions o;
  o.brokers = "127.0.0.1:1";
  o.topics = {"tx"};
  o.group_id = "g";
  o.config = {{"no.such.property", "1"}};
  o.log = nullptr;
  KafkaSource src(o, &q);
  absl::Status st = src.Start();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("no.such.property"), std::string::npos) << st;

  KafkaSourceOptions no_group = o;
  no_group.config.clear();
  no_group.group_id.clear();
  KafkaSource without(no_group, &q);
  EXPECT_EQ(without.Start().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil
