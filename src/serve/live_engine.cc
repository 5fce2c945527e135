#include "serve/live_engine.h"

#include <chrono>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "engine/alert.h"
#include "fmt/format.h"
#include "serve/series.h"
#include "spdlog/spdlog.h"

namespace vigil::serve {

// How many days before the journal's first frame are loaded from the store for baselines.
constexpr int kHistoryDays = 60;

// Turns engine events into store rows (abnormal records split out) and remembers, per alert,
// the last firing event while it is open.
class LiveEngine::EventCollector : public AlertSink {
 public:
  explicit EventCollector(absl::TimeZone tz) : tz_(tz) {}
  void OnAlert(const AlertEvent& e) override {
    store::AlertEventRow row;
    row.at = e.at;
    row.firing = e.firing;
    row.rule = RuleName(e.rule);
    row.key_json = e.key.ToJson();
    row.severity = e.severity;
    if (e.extra.contains("records")) {
      AlertEvent copy = e;
      for (const Json& r : copy.extra["records"]) row.abnormal_records.push_back(r.dump());
      copy.extra.erase("records");
      copy.extra["records_stored"] = row.abnormal_records.size();
      row.json = AlertToJson(copy, tz_);
    } else {
      row.json = AlertToJson(e, tz_);
    }
    std::string id = row.rule + '\0' + row.key_json;
    if (e.firing) {
      open_[id] = row;
    } else {
      open_.erase(id);
    }
    pending_.push_back(std::move(row));
  }
  std::vector<store::AlertEventRow> Take() { return std::exchange(pending_, {}); }
  const absl::flat_hash_map<std::string, store::AlertEventRow>& open() const { return open_; }

 private:
  absl::TimeZone tz_;
  std::vector<store::AlertEventRow> pending_;
  absl::flat_hash_map<std::string, store::AlertEventRow> open_;
};

class LiveEngine::HistoryWriter : public HistorySink {
 public:
  explicit HistoryWriter(store::Store* store) : store_(store) {}
  void OnDayClosed(const HistoryDay& day) override {
    if (auto s = store_->PutHistoryDay(day); !s.ok()) {
      spdlog::error("cannot store the history of day {}: {}", day.day, std::string(s.message()));
    }
  }

 private:
  store::Store* store_;
};

LiveEngine::LiveEngine(store::Store* store, CommitObserver* observer, Series* series)
    : store_(store), observer_(observer), series_(series) {}
LiveEngine::~LiveEngine() = default;

absl::Status LiveEngine::Rebuild(std::shared_ptr<const LoadedConfig> config, const Journal& journal,
                                 const FrameDecoder& decode, TimeMs now) {
  const auto started = std::chrono::steady_clock::now();
  config_ = std::move(config);
  collector_ = std::make_unique<EventCollector>(config_->tz);
  history_ = std::make_unique<HistoryWriter>(store_);
  EngineOptions options;
  options.history_sink = history_.get();
  options.ratio_needs_full_window = true;  // a server started mid-day never saw the hour before
  engine_ = std::make_unique<Engine>(config_->config, config_->calendar, collector_.get(), options);
  stats_ = LiveStats{};
  if (series_) series_->Reset(config_);

  auto checkpoint = store_->Checkpoint();
  if (!checkpoint.ok()) return checkpoint.status();
  committed_before_rebuild_ = checkpoint->value_or(INT64_MIN);
  stats_.checkpoint = committed_before_rebuild_;

  // The journal keeps yesterday and today; older days come from the store.
  const LocalDay today = config_->calendar.DayOf(now);
  const TimeMs from = config_->calendar.At(today - 1, 0);
  const LocalDay first_day = config_->calendar.DayOf(journal.FirstAt(from).value_or(now));
  // One day at a time: a day of 2,000 busy codes is ~14 MB as HistoryDay, the engine keeps
  // only what baselines can still ask for.
  for (LocalDay day = first_day - kHistoryDays; day < first_day; ++day) {
    auto days = store_->LoadHistory(day, day);
    if (!days.ok()) return days.status();
    for (const HistoryDay& d : *days) engine_->ImportHistory(d);
  }

  rebuilding_ = true;
  absl::Status status = journal.Scan(from, [&](const JournalFrame& frame) {
    ++stats_.rebuild_frames;
    if (engine_->max_time() != INT64_MIN) (void)Tick(frame.received_at);
    decode(frame, [&](const RecordView& r) {
      ++stats_.rebuild_records;
      Apply(r, frame.received_at);
    });
  });
  if (status.ok()) {
    auto ticked = Tick(now);
    if (!ticked.ok()) status = ticked.status();
  }
  rebuilding_ = false;
  if (status.ok()) status = Reconcile(now);
  stats_.rebuild_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return status;
}

ApplyOutcome LiveEngine::Apply(const RecordView& r, TimeMs received_at) {
  return Apply(std::span<const RecordView>(&r, 1), received_at);
}

ApplyOutcome LiveEngine::Apply(std::span<const RecordView> records, TimeMs received_at) {
  ApplyOutcome out;
  engine_->SetClock(received_at);
  std::vector<uint32_t> not_accepted;  // for the series, which takes the batch in one go
  for (size_t i = 0; i < records.size(); ++i) {
    switch (engine_->Add(records[i])) {
      case AddResult::kAccepted:
        ++out.accepted;
        break;
      case AddResult::kLate:
        ++out.late;
        not_accepted.push_back(static_cast<uint32_t>(i));
        break;
      case AddResult::kFuture:
        ++out.future;
        not_accepted.push_back(static_cast<uint32_t>(i));
        break;
    }
  }
  if (series_ && out.accepted > 0) series_->AddBatch(records, not_accepted);
  stats_.records += out.accepted;
  stats_.late += out.late;
  stats_.future += out.future;
  return out;
}

absl::StatusOr<int64_t> LiveEngine::Tick(TimeMs now) {
  stats_.last_tick = now;
  engine_->SetClock(now);
  engine_->AdvanceTo(now - config_->config.allowed_lateness_ms);
  if (series_) series_->CloseMinutesBefore(engine_->next_minute());
  if (engine_->next_minute() == INT64_MIN) return 0;
  const TimeMs minute = engine_->next_minute() - kMsPerMinute;  // the last one evaluated
  if (minute <= stats_.checkpoint) return 0;
  const int64_t before = stats_.events_committed;
  if (auto s = Commit(minute); !s.ok()) return s;
  return stats_.events_committed - before;
}

TimeMs LiveEngine::NextDue() const {
  const TimeMs next = engine_ ? engine_->next_minute() : INT64_MIN;
  if (next == INT64_MIN) return INT64_MIN;
  return next + config_->config.allowed_lateness_ms;
}

absl::Status LiveEngine::Commit(TimeMs minute) {
  std::vector<store::AlertEventRow> rows = collector_->Take();
  if (rebuilding_) {
    // Minutes the old engine committed already: their events are in the store.
    std::erase_if(rows, [&](const store::AlertEventRow& r) { return r.at <= committed_before_rebuild_; });
    if (minute <= committed_before_rebuild_) return absl::OkStatus();
  }
  if (auto s = store_->CommitMinute(minute, &rows); !s.ok()) return s;
  stats_.checkpoint = minute;
  stats_.events_committed += static_cast<int64_t>(rows.size());
  if (observer_ && !rows.empty()) observer_->OnCommitted(rows);
  return absl::OkStatus();
}

// After a rebuild: alerts the store has firing that the engine no longer holds are resolved
// (a rule switched off by a reload, or data the journal no longer has); alerts the engine
// holds open that the store does not know are committed as firing now.
absl::Status LiveEngine::Reconcile(TimeMs now) {
  if (stats_.checkpoint == INT64_MIN || engine_->max_time() == INT64_MIN) return absl::OkStatus();
  auto firing = store_->AlertStates(false);
  if (!firing.ok()) return firing.status();
  const auto& open = collector_->open();
  std::vector<store::AlertEventRow> rows;
  absl::flat_hash_map<std::string, bool> stored;
  for (const store::AlertStateRow& a : *firing) {
    std::string id = a.rule + '\0' + a.key_json;
    stored[id] = true;
    if (open.contains(id)) continue;
    store::AlertEventRow r;
    r.at = stats_.checkpoint;
    r.firing = false;
    r.rule = a.rule;
    r.key_json = a.key_json;
    r.severity = a.severity;
    Json j = Json::parse(a.last_event_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) j = Json::object();
    j["at"] = FormatRfc3339(r.at, config_->tz);
    j["state"] = "resolved";
    j["value"] = nullptr;
    j["threshold"] = nullptr;
    j["summary"] = fmt::format("{} {}: resolved (no longer holds after a restart or a "
                               "configuration reload)", a.rule, a.key_json);
    r.json = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    rows.push_back(std::move(r));
  }
  for (const auto& [id, row] : open) {
    if (!stored.contains(id)) rows.push_back(row);
  }
  if (rows.empty()) return absl::OkStatus();
  spdlog::info("after rebuild: {} alert states reconciled with the store", rows.size());
  if (auto s = store_->CommitMinute(stats_.checkpoint, &rows); !s.ok()) return s;
  stats_.events_committed += static_cast<int64_t>(rows.size());
  if (observer_) observer_->OnCommitted(rows);
  return absl::OkStatus();
}

}  // namespace vigil::serve
