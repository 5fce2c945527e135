#include "engine/replay.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>

#include "engine/history_files.h"

#include "fmt/format.h"

namespace vigil {
namespace {

// Counts the events on their way to the caller's sink.
class CountingSink : public AlertSink {
 public:
  explicit CountingSink(AlertSink* next) : next_(next) {}
  void OnAlert(const AlertEvent& e) override {
    ++count_;
    if (next_) next_->OnAlert(e);
  }
  int64_t count() const { return count_; }

 private:
  AlertSink* next_;
  int64_t count_ = 0;
};

std::string Thousands(int64_t n) {
  std::string digits = fmt::format("{}", n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// A record copied out of the parser's buffers, held while replay decides about it.
struct HeldRecord {
  RecordView view;
  int64_t line = 0;
  std::string file;
  std::string strings[9];
  void Hold(const RecordView& r, int64_t at_line, const std::string& in_file) {
    view = r;
    line = at_line;
    file = in_file;
    std::string_view* fields[] = {&view.txn, &view.ret, &view.sys, &view.svc_sys, &view.svc_ret,
                                  &view.node, &view.serial, &view.org, &view.msg};
    for (int i = 0; i < 9; ++i) {
      strings[i].assign(*fields[i]);
      *fields[i] = strings[i];
    }
  }
};

// Feeds records to the engine, counts rejections by reason, keeps the first ones, and shows
// progress.
//
// The future-skew rule in replay: a record more than max_future_skew ahead of the largest
// accepted time is held back, not judged at once. If the next record is also that far ahead
// and within the skew of the held one, the input really jumped (a night without traffic, a gap
// between files) and both are accepted; otherwise the held record was a lone wrong clock and
// is rejected as future_time. Read literally, the contract would reject every record after
// any gap longer than the skew, since rejected records never move the reference forward.
class ReplayFeed : public RecordSink {
 public:
  ReplayFeed(Engine* engine, const ReplayOptions& o, int64_t skew, std::FILE* err)
      : engine_(engine), options_(o), err_(err), skew_(skew) {
    is_tty_ = isatty(fileno(err)) != 0;
  }
  void SetFile(const std::string& name) { file_ = name; }

  void OnRecord(const RecordView& r, int64_t line) override {
    const TimeMs limit = engine_->max_time() == INT64_MIN ? INT64_MAX : engine_->max_time() + skew_;
    if (held_) {
      held_ = false;
      if (r.time > limit && std::abs(r.time - held_record_.view.time) <= skew_) {
        Apply(held_record_.view);  // confirmed: the input jumped forward
      } else {
        std::string saved = file_;
        file_ = held_record_.file;
        RejectFuture(held_record_.line);
        file_ = saved;
      }
      Apply(r);  // judged afresh below if it is itself far ahead
      return;
    }
    if (r.time > limit) {
      held_record_.Hold(r, line, file_);
      held_ = true;
      return;
    }
    Apply(r);
  }

  void Prefetch(const RecordView& next) override { engine_->Prefetch(next); }

  // At the end of the input a held record has nothing to confirm it.
  void Finish() {
    if (!held_) return;
    held_ = false;
    file_ = held_record_.file;
    RejectFuture(held_record_.line);
  }

  void Apply(const RecordView& r) {
    ++records_;
    engine_->Add(r);
    const TimeMs wm = engine_->RecordWatermark();
    if (wm >= engine_->next_minute()) engine_->AdvanceTo(wm);
  }

  void RejectFuture(int64_t line) {
    OnReject(ParseError{RejectReason::kFutureTime, "ts",
                        fmt::format("more than max_future_skew ({}) ahead of the records before it",
                                    FormatDuration(skew_))},
             line);
  }

  void OnReject(const ParseError& e, int64_t line) override {
    ++rejected_;
    ++by_reason_[static_cast<int>(e.reason)];
    if (static_cast<int>(examples_.size()) < options_.reported_rejections) {
      std::string field = e.field.empty() ? "" : fmt::format(" ({})", e.field);
      examples_.push_back(fmt::format("{}:{}: {}{}: {}", file_, line, RejectReasonName(e.reason), field, e.detail));
    }
  }

  void Progress(int64_t bytes) {
    if (!options_.progress) return;
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - last_progress_).count();
    if (since < (is_tty_ ? 0.5 : 5.0)) return;
    last_progress_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    fmt::print(err_, "{}replay: {} {:.0f} MB read, {} records ({:.2f} M/s){}", is_tty_ ? "\r" : "",
               file_, bytes / 1e6, Thousands(records_), records_ / secs / 1e6, is_tty_ ? "" : "\n");
    std::fflush(err_);
    printed_progress_ = true;
  }
  void EndProgress() {
    if (printed_progress_ && is_tty_) fmt::print(err_, "\n");
  }

  int64_t records() const { return records_; }
  int64_t rejected() const { return rejected_; }
  const std::map<int, int64_t>& by_reason() const { return by_reason_; }
  const std::vector<std::string>& examples() const { return examples_; }

 private:
  Engine* engine_;
  const ReplayOptions& options_;
  std::FILE* err_;
  int64_t skew_;
  bool held_ = false;
  HeldRecord held_record_;
  std::string file_;
  bool is_tty_ = false, printed_progress_ = false;
  int64_t records_ = 0, rejected_ = 0;
  std::map<int, int64_t> by_reason_;
  std::vector<std::string> examples_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_progress_ = start_;
};

void PrintSummary(const Engine& engine, const ReplayFeed& feed, double secs, const Calendar& cal,
                  std::FILE* err) {
  const EngineStats& st = engine.stats();
  fmt::print(err, "replay: {} records read in {:.2f} s ({:.2f} M records/s): {} accepted, {} rejected, {} late\n",
             Thousands(feed.records() + feed.rejected()), secs,
             secs > 0 ? (feed.records() + feed.rejected()) / secs / 1e6 : 0.0, Thousands(st.accepted),
             Thousands(feed.rejected()), Thousands(st.late));
  if (!feed.by_reason().empty()) {
    std::string reasons;
    for (const auto& [r, n] : feed.by_reason()) {
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", RejectReasonName(static_cast<RejectReason>(r)), Thousands(n));
    }
    fmt::print(err, "  rejected by reason: {}\n", reasons);
    for (const auto& ex : feed.examples()) fmt::print(err, "    {}\n", ex);
  }
  if (st.minutes_evaluated > 0) {
    TimeMs last = engine.next_minute() - kMsPerMinute;
    TimeMs first = last - (st.minutes_evaluated - 1) * kMsPerMinute;
    fmt::print(err, "  minutes evaluated: {} ({} .. {}), {} code-minutes\n", Thousands(st.minutes_evaluated),
               FormatRfc3339(first, cal.time_zone()), FormatRfc3339(last, cal.time_zone()),
               Thousands(st.code_evaluations));
  }
  auto unclassified = engine.Unclassified();
  if (!unclassified.empty()) {
    fmt::print(err, "  unclassified return codes (counted as unknown_class; add them to return_codes):\n");
    size_t shown = 0;
    for (const auto& u : unclassified) {
      if (++shown > 20) break;
      fmt::print(err, "    {} ret {}: {} records\n", u.txn, u.ret, Thousands(u.count));
    }
    if (unclassified.size() > 20) fmt::print(err, "    ... and {} more\n", unclassified.size() - 20);
  }
  auto codes = engine.UnconfiguredCodes();
  if (!codes.empty()) {
    std::string list;
    for (size_t i = 0; i < codes.size() && i < 10; ++i) list += (i ? ", " : "") + codes[i];
    fmt::print(err, "  unconfigured codes (monitored with the defaults): {} ({}{})\n", codes.size(), list,
               codes.size() > 10 ? ", ..." : "");
  }
  auto svcs = engine.UnconfiguredServiceSystems();
  if (!svcs.empty()) {
    std::string list;
    for (size_t i = 0; i < svcs.size(); ++i) list += (i ? ", " : "") + svcs[i];
    fmt::print(err, "  unconfigured service systems (not evaluated): {}\n", list);
  }
  int64_t fired = 0, resolved = 0;
  for (int r = 0; r < kRuleCount; ++r) fired += st.fired[r], resolved += st.resolved[r];
  fmt::print(err, "  alerts: {} firing, {} resolved\n", fired, resolved);
  for (int r = 0; r < kRuleCount; ++r) {
    if (st.fired[r] + st.resolved[r] == 0) continue;
    fmt::print(err, "    {:<17} {:>6} firing {:>6} resolved\n", RuleName(static_cast<Rule>(r)), st.fired[r], st.resolved[r]);
  }
}

void OnProgress(void* ctx, int64_t bytes) { static_cast<ReplayFeed*>(ctx)->Progress(bytes); }

}  // namespace

void JsonLinesAlertWriter::OnAlert(const AlertEvent& e) {
  std::string line = AlertToJson(e, tz_);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), out_);
}

ReplayResult RunReplay(const Config& config, const Calendar& calendar, const ReplayOptions& options,
                       AlertSink* out, std::FILE* err) {
  ReplayResult result;
  auto start = std::chrono::steady_clock::now();
  CountingSink sink(out);
  std::unique_ptr<HistoryDirWriter> history_writer;
  EngineOptions engine_options;
  if (!options.write_history_dir.empty()) {
    history_writer = std::make_unique<HistoryDirWriter>(options.write_history_dir, calendar);
    engine_options.history_sink = history_writer.get();
  }
  Engine engine(config, calendar, &sink, engine_options);
  if (!options.history_dir.empty()) {
    std::vector<HistoryDay> days;
    if (absl::Status st = ReadHistoryDir(options.history_dir, &days); !st.ok()) {
      fmt::print(err, "replay: error: {}\n", std::string(st.message()));
      result.exit_code = 2;
      return result;
    }
    for (const HistoryDay& d : days) engine.ImportHistory(d);
    fmt::print(err, "replay: {} day(s) of history from {}\n", days.size(), options.history_dir);
  }
  ReplayFeed feed(&engine, options, config.max_future_skew_ms, err);
  std::vector<std::string> failures;
  for (const std::string& input : options.inputs) {
    feed.SetFile(input == "-" ? "<stdin>" : input);
    ReadStats stats;
    absl::Status st = ReadRecords(input, ReaderOptions{}, &feed, &stats, &OnProgress, &feed);
    if (!st.ok()) failures.push_back(std::string(st.message()));
  }
  feed.Finish();
  feed.EndProgress();
  if (engine.max_time() != INT64_MIN) {
    TimeMs until = options.until.value_or(MinuteStart(MinuteOf(engine.max_time())));
    engine.AdvanceTo(until);
    engine.CloseRemainingDays();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(engine, feed, result.seconds, calendar, err);
  if (history_writer) {
    if (!history_writer->status().ok()) failures.push_back(std::string(history_writer->status().message()));
    fmt::print(err, "  history: {} day(s) written to {}\n", history_writer->days_written(),
               options.write_history_dir);
  }
  for (const auto& f : failures) fmt::print(err, "replay: error: {}\n", f);
  result.records = feed.records();
  result.rejected = feed.rejected();
  result.alerts = sink.count();
  result.exit_code = failures.empty() ? 0 : 2;
  return result;
}

}  // namespace vigil
