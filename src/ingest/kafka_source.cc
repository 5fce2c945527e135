// KafkaSource: one thread owns the librdkafka consumer (consume, commit, rebalance callbacks);
// batches' on_applied callbacks only record applied offsets in the shared KafkaProgress.
#include "ingest/kafka_source.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <cstring>

#include "common/strings.h"
#include "fmt/format.h"
#include "ingest/kafka_progress.h"
#include "ingest/record_batch.h"

namespace vigil {

using ingest_internal::KafkaOffsets;
using ingest_internal::KafkaPartition;
using ingest_internal::KafkaProgress;

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBatchBytes = 16 << 20;  // values gathered before a batch is parsed
constexpr int kMaxLoggedRejects = 10;
constexpr auto kLeaveTimeout = std::chrono::seconds(10);

std::vector<KafkaPartition> ToList(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<KafkaPartition> out;
  for (const RdKafka::TopicPartition* p : partitions) out.emplace_back(p->topic(), p->partition());
  return out;
}

// librdkafka's partition list for `offsets`; destroyed with the holder.
struct PartitionList {
  explicit PartitionList(const KafkaOffsets& offsets) {
    for (const auto& [p, next] : offsets) {
      list.push_back(RdKafka::TopicPartition::create(p.first, p.second, next));
    }
  }
  ~PartitionList() { RdKafka::TopicPartition::destroy(list); }
  std::vector<RdKafka::TopicPartition*> list;
};

TimeMs SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class KafkaSource::Consumer : public RdKafka::RebalanceCb,
                              public RdKafka::OffsetCommitCb,
                              public RdKafka::EventCb {
 public:
  Consumer(const KafkaSourceOptions& options, RecordQueue* queue)
      : options_(options), queue_(queue), progress_(std::make_shared<KafkaProgress>()) {
    reader_.format = InputFormat::kJsonLines;
    reader_.max_line_bytes = options_.max_line_bytes;
  }

  ~Consumer() override {
    if (consumer_) consumer_->close();  // only when Run() never ran
  }

  absl::Status Create() {
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::map<std::string, std::string> props = {
        {"bootstrap.servers", options_.brokers},
        {"group.id", options_.group_id},
        {"client.id", "vigil"},
        {"auto.offset.reset", options_.auto_offset_reset},
        {"enable.partition.eof", "false"},
    };
    for (const auto& [k, v] : options_.config) props[k] = v;
    // Commits come only from applied batches, whatever the extra configuration says.
    props["enable.auto.commit"] = "false";
    props["enable.auto.offset.store"] = "false";
    std::string err;
    for (const auto& [k, v] : props) {
      if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) {
        return absl::InvalidArgumentError(
            AsAbsl(fmt::format("kafka source: property {}={}: {}", k, v, err)));
      }
    }
    if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this), err) != RdKafka::Conf::CONF_OK ||
        conf->set("offset_commit_cb", static_cast<RdKafka::OffsetCommitCb*>(this), err) != RdKafka::Conf::CONF_OK ||
        conf->set("event_cb", static_cast<RdKafka::EventCb*>(this), err) != RdKafka::Conf::CONF_OK) {
      return absl::InternalError(AsAbsl(fmt::format("kafka source: callbacks: {}", err)));
    }
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
    if (!consumer_) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format("kafka source: {}", err)));
    }
    if (RdKafka::ErrorCode e = consumer_->subscribe(options_.topics); e != RdKafka::ERR_NO_ERROR) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "kafka source: cannot subscribe to {}: {}", fmt::join(options_.topics, ","), RdKafka::err2str(e))));
    }
    return absl::OkStatus();
  }

  void Run() {
    while (!stop_.load()) {
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(ConsumeTimeoutMs()));
      if (m) OnMessage(*m);
      if (!pending_offsets_.empty() && Clock::now() - pending_since_ >= options_.batch_interval) {
        Flush();
      }
      CommitApplied();
    }
    // What was applied is committed before leaving; gathered but unqueued values are not.
    CommitSync(progress_->TakeToCommit(/*all=*/true));
    LeaveGroup();
  }

  void RequestStop() {
    stop_.store(true);
    progress_->Wake();
  }

  SourceCounters Counters() const {
    SourceCounters c = stats_.Snapshot();
    c.extra = {{"messages", messages_.load()},
               {"commits", commits_.load()},
               {"commit_errors", commit_errors_.load()},
               {"rebalances", rebalances_.load()},
               {"partitions_assigned", assigned_.load()}};
    return c;
  }

  // --- librdkafka callbacks (on the consumer thread, inside consume() or close())

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    rebalances_.fetch_add(1);
    const std::vector<KafkaPartition> list = ToList(partitions);
    // Asked only when partitions come: librdkafka 2.0 can hang in rebalance_protocol() when
    // it is called from the revocation that close() triggers (librdkafka issue #4041).
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      cooperative_ = consumer->rebalance_protocol() == "COOPERATIVE";
    }
    const bool cooperative = cooperative_;
    Log(fmt::format("kafka source: {} {} partition(s)",
                    err == RdKafka::ERR__ASSIGN_PARTITIONS ? "assigned"
                    : consumer->assignment_lost()          ? "lost"
                                                           : "revoked",
                    partitions.size()));
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      progress_->Assign(list);
      if (cooperative) {
        delete consumer->incremental_assign(partitions);
      } else {
        consumer->assign(partitions);
      }
    } else {
      if (err == RdKafka::ERR__REVOKE_PARTITIONS && !consumer->assignment_lost()) {
        FinishRevoked(list);
      }
      progress_->Revoke(list);
      if (cooperative) {
        delete consumer->incremental_unassign(partitions);
      } else {
        consumer->unassign();
      }
    }
    assigned_.store(static_cast<int64_t>(progress_->assigned()));
  }

  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition*>& offsets) override {
    if (err == RdKafka::ERR__NO_OFFSET) return;  // nothing was due
    bool failed = err != RdKafka::ERR_NO_ERROR;
    for (const RdKafka::TopicPartition* p : offsets) failed |= p->err() != RdKafka::ERR_NO_ERROR;
    if (!failed) {
      commits_.fetch_add(1);
      return;
    }
    commit_errors_.fetch_add(1);
    KafkaOffsets again;
    for (const RdKafka::TopicPartition* p : offsets) again[{p->topic(), p->partition()}] = p->offset();
    progress_->CommitFailed(again);
    Log(fmt::format("kafka source: offset commit failed: {}", RdKafka::err2str(err)));
  }

  void event_cb(RdKafka::Event& event) override {
    if (event.type() != RdKafka::Event::EVENT_ERROR) return;
    stats_.AddError();
    Log(fmt::format("kafka source: {}error: {}: {}", event.fatal() ? "fatal " : "",
                    RdKafka::err2str(event.err()), event.str()));
  }

 private:
  int ConsumeTimeoutMs() const {
    if (pending_offsets_.empty()) return 100;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        pending_since_ + options_.batch_interval - Clock::now());
    return static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, 100));
  }

  void OnMessage(const RdKafka::Message& m) {
    if (m.err() == RdKafka::ERR__TIMED_OUT || m.err() == RdKafka::ERR__PARTITION_EOF) return;
    if (m.err() != RdKafka::ERR_NO_ERROR) {
      stats_.AddError();
      Log(fmt::format("kafka source: consume: {}", m.errstr()));
      return;
    }
    messages_.fetch_add(1);
    if (pending_offsets_.empty()) pending_since_ = Clock::now();
    auto& next = pending_offsets_[{m.topic_name(), m.partition()}];
    next = std::max(next, m.offset() + 1);
    const auto* value = static_cast<const char*>(m.payload());
    const size_t len = m.len();
    stats_.AddBytes(static_cast<int64_t>(len));
    if (value != nullptr && len > 0) {
      pending_.append(value, len);
      if (value[len - 1] != '\n') pending_.push_back('\n');
      // Lines, to bound the batch by records (a record is at most one line).
      for (const char* p = value; (p = static_cast<const char*>(std::memchr(p, '\n', value + len - p)));
           ++p) {
        ++pending_lines_;
      }
      if (value[len - 1] != '\n') ++pending_lines_;
    }
    if (pending_lines_ >= options_.batch_records || pending_.size() >= kMaxBatchBytes) Flush();
  }

  // Gives the partitions up through the ordinary consume path, then closes. librdkafka 2.0 can
  // hang forever when close() itself has to revoke partitions while the group is rebalancing
  // (the unassign in our callback never gets its answer), so close() is called only once
  // nothing is assigned; past the deadline the consumer is destroyed without it (the group
  // then notices at its session timeout).
  void LeaveGroup() {
    consumer_->unsubscribe();
    const auto deadline = Clock::now() + kLeaveTimeout;
    while (progress_->assigned() > 0 && Clock::now() < deadline) {
      // Messages still arriving are neither queued nor committed: they come again later.
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(50));
    }
    if (progress_->assigned() == 0) {
      consumer_->close();
    } else {
      Log("kafka source: partitions not given up in time; leaving without closing");
    }
    consumer_.reset();
  }

  // Parses the gathered values into one batch and queues it, waiting for room.
  void Flush() {
    if (pending_offsets_.empty()) return;
    ParsedBatch parsed = ParseToBatch(pending_, reader_, kMaxLoggedRejects);
    pending_.clear();
    pending_lines_ = 0;
    stats_.AddRejects(parsed.rejects);
    for (const std::string& e : parsed.errors) {
      if (rejects_logged_++ < kMaxLoggedRejects) Log(fmt::format("kafka source: rejected {}", e));
    }
    KafkaOffsets offsets = std::move(pending_offsets_);
    pending_offsets_.clear();
    RecordBatch batch = std::move(parsed.batch);
    batch.source = options_.source_name;
    batch.received_at = options_.wall_clock ? options_.wall_clock() : SystemNowMs();
    progress_->Queued(offsets);
    batch.on_applied = [progress = progress_, offsets] { progress->Applied(offsets); };
    const auto records = static_cast<int64_t>(batch.size());
    if (queue_->PushUnlessStopped(std::move(batch), stop_) == RecordQueue::PushResult::kOk) {
      stats_.AddRecords(records);
      stats_.AddBatch();
    }
  }

  void CommitApplied() {
    KafkaOffsets due = progress_->TakeToCommit();
    if (due.empty()) return;
    PartitionList offsets(due);
    if (RdKafka::ErrorCode e = consumer_->commitAsync(offsets.list); e != RdKafka::ERR_NO_ERROR) {
      commit_errors_.fetch_add(1);
      progress_->CommitFailed(due);
      Log(fmt::format("kafka source: commit: {}", RdKafka::err2str(e)));
    }
  }

  void CommitSync(const KafkaOffsets& due) {
    if (due.empty() || !consumer_) return;
    PartitionList offsets(due);
    if (RdKafka::ErrorCode e = consumer_->commitSync(offsets.list); e != RdKafka::ERR_NO_ERROR) {
      commit_errors_.fetch_add(1);
      Log(fmt::format("kafka source: commit: {}", RdKafka::err2str(e)));
    }
  }

  // Before giving partitions up: queue what is gathered, let the engine apply what was queued
  // (bounded), and commit it, so that the next owner starts right after.
  void FinishRevoked(const std::vector<KafkaPartition>& revoked) {
    if (!stop_.load()) {
      Flush();
      if (!progress_->WaitApplied(revoked, Clock::now() + options_.revoke_drain_timeout, stop_) &&
          !stop_.load()) {
        Log("kafka source: revoked partitions still had unapplied batches; their records will "
            "be read again by the next owner");
      }
    }
    CommitSync(progress_->AppliedOf(revoked));
  }

  void Log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  const KafkaSourceOptions& options_;
  RecordQueue* queue_;
  ReaderOptions reader_;
  std::shared_ptr<KafkaProgress> progress_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::atomic<bool> stop_{false};

  std::string pending_;        // gathered values, each ending with '\n'
  size_t pending_lines_ = 0;
  KafkaOffsets pending_offsets_;
  Clock::time_point pending_since_;
  int rejects_logged_ = 0;
  bool cooperative_ = false;  // the group's rebalance protocol, as of the last assignment

  SourceStats stats_;
  std::atomic<int64_t> messages_{0}, commits_{0}, commit_errors_{0}, rebalances_{0}, assigned_{0};
};

KafkaSource::KafkaSource(KafkaSourceOptions options, RecordQueue* queue)
    : options_(std::move(options)), queue_(queue) {}

KafkaSource::~KafkaSource() { Stop(); }

absl::Status KafkaSource::Start() {
  if (consumer_) return absl::FailedPreconditionError("kafka source: already started");
  if (options_.topics.empty()) return absl::InvalidArgumentError("kafka source: no topic");
  if (options_.group_id.empty()) return absl::InvalidArgumentError("kafka source: no group id");
  auto consumer = std::make_unique<Consumer>(options_, queue_);
  if (absl::Status st = consumer->Create(); !st.ok()) return st;
  consumer_ = std::move(consumer);
  thread_ = std::thread([this] { consumer_->Run(); });
  return absl::OkStatus();
}

void KafkaSource::Stop() {
  if (!consumer_) return;
  consumer_->RequestStop();
  if (thread_.joinable()) thread_.join();
}

SourceCounters KafkaSource::counters() const {
  return consumer_ ? consumer_->Counters() : SourceCounters();
}

}  // namespace vigil
