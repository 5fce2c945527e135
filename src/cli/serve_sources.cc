#include "cli/serve_sources.h"

#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::cli {

// File offsets in the store (so they live as long as the records they point past).
class LiveSources::StoreOffsets : public OffsetStore {
 public:
  explicit StoreOffsets(store::Store* store) : store_(store) {}
  std::optional<std::string> Get(const std::string& key) override {
    auto v = store_->GetOffset(key);
    if (!v.ok()) {
      spdlog::error("offset {}: {}", key, std::string(v.status().message()));
      return std::nullopt;
    }
    return *v;
  }
  void Put(const std::string& key, const std::string& value) override {
    if (auto s = store_->PutOffset(key, value); !s.ok()) {
      spdlog::error("offset {}: {}", key, std::string(s.message()));
    }
  }

 private:
  store::Store* store_;
};

namespace {

void Log(std::string_view line) { spdlog::info("{}", line); }

bool SplitHostPort(const std::string& s, std::string* host, int* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  *host = s.substr(0, colon);
  try {
    *port = std::stoi(s.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return *port >= 0 && *port <= 65535;
}

void AppendCounters(std::string* out, const std::string& source, const SourceCounters& c) {
  *out += fmt::format("vigil_source_records_total{{source=\"{}\"}} {}\n", source, c.records);
  *out += fmt::format("vigil_source_bytes_total{{source=\"{}\"}} {}\n", source, c.bytes);
  *out += fmt::format("vigil_source_rejected_total{{source=\"{}\"}} {}\n", source, c.rejected_total());
  *out += fmt::format("vigil_source_errors_total{{source=\"{}\"}} {}\n", source, c.errors);
}

}  // namespace

LiveSources::LiveSources(SourceOptions options, serve::Runtime* runtime)
    : options_(std::move(options)), runtime_(runtime),
      offsets_(std::make_unique<StoreOffsets>(&runtime->store())) {}

LiveSources::~LiveSources() { Stop(); }

absl::Status LiveSources::Start() {
  auto now = [rt = runtime_] { return rt->clock().Now(); };
  if (!options_.tcp_listen.empty()) {
    TcpSourceOptions o;
    if (!SplitHostPort(options_.tcp_listen, &o.host, &o.port)) {
      return absl::InvalidArgumentError(fmt::format("--tcp-listen '{}' is not HOST:PORT", options_.tcp_listen));
    }
    o.wall_clock = now;
    o.log = Log;
    tcp_ = std::make_unique<TcpSource>(o, &runtime_->queue());
    if (auto s = tcp_->Start(); !s.ok()) return s;
    spdlog::info("TCP JSON Lines listener on {}:{}", o.host, tcp_->port());
  }
  if (!options_.tail_paths.empty()) {
    FileTailOptions o;
    o.paths = options_.tail_paths;
    o.wall_clock = now;
    o.log = Log;
    tail_ = std::make_unique<FileTail>(o, &runtime_->queue(), offsets_.get());
    tail_->Start();
    spdlog::info("following {} file pattern(s)", o.paths.size());
  }
  if (!options_.kafka_brokers.empty()) {
    KafkaSourceOptions o;
    o.brokers = options_.kafka_brokers;
    o.topics = options_.kafka_topics;
    o.group_id = options_.kafka_group;
    o.wall_clock = now;
    o.log = Log;
    if (o.topics.empty()) return absl::InvalidArgumentError("--kafka-brokers needs at least one --kafka-topic");
    kafka_ = std::make_unique<KafkaSource>(o, &runtime_->queue());
    if (auto s = kafka_->Start(); !s.ok()) return s;
    spdlog::info("Kafka consumer group {} on {}", o.group_id, o.brokers);
  }
  return absl::OkStatus();
}

void LiveSources::Stop() {
  if (tcp_) tcp_->Stop();
  if (tail_) tail_->Stop();
  if (kafka_) kafka_->Stop();
}

int LiveSources::tcp_port() const { return tcp_ ? tcp_->port() : 0; }

std::string LiveSources::Metrics() const {
  std::string out;
  if (!tcp_ && !tail_ && !kafka_) return out;
  out += "# HELP vigil_source_records_total Records queued by each live source (HTTP: vigil_ingest_*).\n"
         "# TYPE vigil_source_records_total counter\n";
  if (tcp_) AppendCounters(&out, "tcp", tcp_->counters());
  if (tail_) AppendCounters(&out, "tail", tail_->counters());
  if (kafka_) AppendCounters(&out, "kafka", kafka_->counters());
  return out;
}

}  // namespace vigil::cli
