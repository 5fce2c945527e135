#include "serve/runtime.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>

#include "fmt/format.h"
#include "serve/journal_codec.h"
#include "spdlog/spdlog.h"

namespace vigil::serve {
namespace {

constexpr int kMaxBatchesPerSync = 64;   // group commit: one fdatasync per run of batches
constexpr int64_t kIdleTickMs = 1000;    // tick at least this often (gauges, alert groups)

}  // namespace

Runtime::Runtime(RuntimeOptions options, std::shared_ptr<const LoadedConfig> config)
    : options_(std::move(options)), config_(std::move(config)), queue_(options_.queue_records) {
  // Test-only fault injection, read once (tests/serve/serve_sources_test.cc).
  const char* crash = std::getenv(kCrashEnv);
  crash_after_sync_ = crash != nullptr && std::string_view(crash) == "after_journal_sync";
}

Runtime::~Runtime() { Stop(); }

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Open(RuntimeOptions options,
                                                       std::shared_ptr<const LoadedConfig> config) {
  if (!options.clock) return absl::InvalidArgumentError("runtime needs a clock");
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return absl::InternalError(fmt::format("cannot create {}: {}", options.data_dir, ec.message()));
  if (options.store_url.empty()) {
    options.store_url = "sqlite://" + std::filesystem::absolute(options.data_dir).string() + "/vigil.db";
  }
  std::unique_ptr<Runtime> rt(new Runtime(std::move(options), std::move(config)));
  auto store = store::Store::Open(rt->options_.store_url);
  if (!store.ok()) return store.status();
  rt->store_ = std::move(*store);
  JournalOptions jo;
  jo.fsync = rt->options_.journal_fsync;
  auto journal = Journal::Open((std::filesystem::path(rt->options_.data_dir) / "journal").string(), jo);
  if (!journal.ok()) return journal.status();
  rt->journal_ = std::move(*journal);
  return rt;
}

FrameDecoder Runtime::Decoder() const {
  const size_t max = options_.max_body_bytes;
  return [max](const JournalFrame& f, const std::function<void(const RecordView&)>& apply) {
    DecodeFrame(f, max, apply);
  };
}

absl::Status Runtime::Start(CommitObserver* observer) {
  live_ = std::make_unique<LiveEngine>(store_.get(), observer, &series_);
  const TimeMs now = options_.clock->Now();
  // The rebuild reads every frame anyway: it also collects the sources' last resume points.
  std::map<std::string, std::string> resume;
  FrameDecoder decode = [&resume, inner = Decoder()](
                            const JournalFrame& f,
                            const std::function<void(const RecordView&)>& apply) {
    if (std::optional<ResumePoint> p = FrameResumePoint(f)) resume[p->key] = std::move(p->value);
    inner(f, apply);
  };
  if (auto s = live_->Rebuild(config(), *journal_, decode, now); !s.ok()) return s;
  if (auto s = RestoreResumePoints(resume); !s.ok()) return s;
  const LiveStats& ls = live_->stats();
  spdlog::info("engine rebuilt from the journal: {} frames, {} records in {:.1f}s; checkpoint {}",
               ls.rebuild_frames, ls.rebuild_records, ls.rebuild_seconds,
               ls.checkpoint == INT64_MIN ? std::string("none")
                                          : FormatRfc3339(ls.checkpoint, config()->tz));
  {
    std::lock_guard lock(stats_mu_);
    stats_.rebuild_records = ls.rebuild_records;
    stats_.rebuild_seconds = ls.rebuild_seconds;
    stats_.checkpoint = ls.checkpoint;
  }
  last_tick_ = now;
  thread_ = std::thread([this] { Loop(); });
  ready_ = true;
  return absl::OkStatus();
}

// A source saves its resume point only after the journal sync (on_applied); a crash between
// the two leaves the store behind the journal. The journal's last point of each key is never
// older than the stored one (points are journaled before they are saved), so it wins.
absl::Status Runtime::RestoreResumePoints(const std::map<std::string, std::string>& points) {
  for (const auto& [key, value] : points) {
    absl::StatusOr<std::optional<std::string>> saved = store_->GetOffset(key);
    if (!saved.ok()) return saved.status();
    if (*saved == value) continue;
    if (auto s = store_->PutOffset(key, value); !s.ok()) return s;
    spdlog::info("{}: resume point restored from the journal (the last batch before the stop "
                 "was journaled but its offset not saved)", key);
  }
  return absl::OkStatus();
}

void Runtime::Stop() {
  if (stopping_.exchange(true)) return;
  ready_ = false;
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const LoadedConfig> Runtime::config() const {
  std::lock_guard lock(config_mu_);
  return config_;
}

void Runtime::Wake() {
  RecordBatch wake;
  wake.source = "wake";
  queue_.TryPush(std::move(wake));  // an empty batch always fits; it only wakes the loop
}

void Runtime::RunOnEngine(const std::function<void(LiveEngine&)>& fn) {
  if (!thread_.joinable() || std::this_thread::get_id() == thread_.get_id()) {
    fn(*live_);
    return;
  }
  std::promise<void> done;
  {
    std::lock_guard lock(cmd_mu_);
    commands_.push_back([&] {
      fn(*live_);
      done.set_value();
    });
  }
  Wake();
  done.get_future().wait();
}

void Runtime::TickNow() {
  RunOnEngine([this](LiveEngine&) { TickIfDue(true); });
}

absl::Status Runtime::Reload(std::shared_ptr<const LoadedConfig> config) {
  absl::Status status;
  RunOnEngine([&](LiveEngine& live) {
    status = live.Rebuild(config, *journal_, Decoder(), options_.clock->Now());
    if (status.ok()) {
      {
        std::lock_guard lock(config_mu_);
        config_ = config;
      }
      std::lock_guard lock(stats_mu_);
      ++stats_.reloads;
      stats_changed_.notify_all();
    }
  });
  return status;
}

RuntimeStats Runtime::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

RuntimeStats Runtime::WaitFor(int64_t records, int64_t reloads, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(stats_mu_);
  stats_changed_.wait_for(lock, timeout, [&] { return stats_.records >= records && stats_.reloads >= reloads; });
  return stats_;
}

void Runtime::Loop() {
  using Steady = std::chrono::steady_clock;
  while (true) {
    const TimeMs now = options_.clock->Now();
    const TimeMs due = live_->NextDue();
    int64_t wait_ms = due == INT64_MIN ? kIdleTickMs : std::clamp<int64_t>(due - now, 0, kIdleTickMs);
    std::optional<RecordBatch> batch = queue_.Pop(Steady::now() + std::chrono::milliseconds(wait_ms));
    std::vector<RecordBatch> applied;
    uint64_t last_seq = 0;
    while (batch) {
      Process(*batch, &applied, &last_seq);
      if (applied.size() >= kMaxBatchesPerSync) break;
      batch = queue_.Pop(Steady::now());
    }
    Finish(&applied, last_seq);
    RunCommands();
    TickIfDue(false);
    if (queue_.closed() && queue_.depth().batches == 0) break;
  }
  TickIfDue(true);
  RunCommands();
}

void Runtime::Process(RecordBatch& batch, std::vector<RecordBatch>* applied, uint64_t* last_seq) {
  if (batch.empty() && batch.source == "wake") return;
  FrameFormat format;
  uint8_t flags;
  std::string payload = JournalPayload(batch, &format, &flags);
  absl::StatusOr<uint64_t> seq = journal_->Append(batch.received_at, format, flags, payload);
  if (!seq.ok()) {
    spdlog::error("journal: {}; {} records not applied", std::string(seq.status().message()), batch.size());
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.journal_errors;
    }
    if (batch.on_failed) batch.on_failed(std::string(seq.status().message()));
    return;
  }
  *last_seq = *seq;
  // The clock first: minutes due before these records arrived are evaluated without them.
  if (batch.received_at > last_tick_) TickIfDue(false);
  ApplyOutcome out = live_->Apply(batch.records(), batch.received_at);
  unacknowledged_.accepted += out.accepted;
  unacknowledged_.late += out.late;
  unacknowledged_.future += out.future;
  applied->push_back(std::move(batch));
}

void Runtime::Finish(std::vector<RecordBatch>* applied, uint64_t last_seq) {
  if (applied->empty()) return;
  absl::Status synced = journal_->Sync(last_seq);
  if (crash_after_sync_ && synced.ok()) {
    spdlog::warn("{}=after_journal_sync: exiting now, before acknowledging", kCrashEnv);
    spdlog::default_logger()->flush();
    ::_exit(kCrashExitCode);
  }
  for (RecordBatch& b : *applied) {
    if (synced.ok()) {
      b.MarkApplied();
    } else if (b.on_failed) {
      b.on_failed(std::string(synced.message()));
    }
  }
  if (!synced.ok()) spdlog::error("journal sync: {}", std::string(synced.message()));
  // Counted once acknowledged (offsets saved, HTTP answered), so a reader of the stats that
  // sees its records applied may rely on them being kept.
  {
    std::lock_guard lock(stats_mu_);
    stats_.batches += static_cast<int64_t>(applied->size());
    stats_.records += unacknowledged_.accepted;
    stats_.late += unacknowledged_.late;
    stats_.future += unacknowledged_.future;
  }
  unacknowledged_ = ApplyOutcome{};
  stats_changed_.notify_all();
  applied->clear();
}

void Runtime::RunCommands() {
  std::vector<std::function<void()>> commands;
  {
    std::lock_guard lock(cmd_mu_);
    commands.swap(commands_);
  }
  for (auto& c : commands) c();
}

void Runtime::TickIfDue(bool force) {
  const TimeMs now = options_.clock->Now();
  const TimeMs due = live_->NextDue();
  if (!force && !(due != INT64_MIN && now >= due) && now - last_tick_ < kIdleTickMs) return;
  last_tick_ = now;
  absl::StatusOr<int64_t> events = live_->Tick(now);
  if (!events.ok()) spdlog::error("evaluation: {}", std::string(events.status().message()));
  const LiveStats& ls = live_->stats();
  {
    std::lock_guard lock(stats_mu_);
    stats_.events = ls.events_committed;
    stats_.checkpoint = ls.checkpoint;
    const TimeMs next_due = live_->NextDue();
    stats_.lag_ms = next_due == INT64_MIN ? 0 : std::max<int64_t>(0, now - next_due);
  }
  // The journal keeps yesterday and today (what a rebuild replays).
  const auto cfg = config();
  const LocalDay today = cfg->calendar.DayOf(now);
  if (today != journal_day_) {
    journal_day_ = today;
    if (auto s = journal_->DropBefore(cfg->calendar.At(today - 1, 0)); !s.ok()) {
      spdlog::warn("journal clean-up: {}", std::string(s.message()));
    }
  }
  if (options_.on_tick) options_.on_tick(now);
}

}  // namespace vigil::serve
