// The live loop; see live_run.h.
#include "sim/live_run.h"

#include <algorithm>

#include "fmt/format.h"

namespace vigil::sim {

LiveRunner::LiveRunner(LiveFeed& feed, const LiveWorld& world, RecordSender& sender,
                       Clock& clock, Sleeper& sleeper, LiveRunOptions options,
                       std::function<void(const std::string&)> log)
    : feed_(feed),
      world_(world),
      sender_(sender),
      clock_(clock),
      sleeper_(sleeper),
      options_(options),
      log_(std::move(log)),
      writer_(world.bank(), world.calendar().tz(), RecordFormat::kJsonLines, nullptr) {}

absl::Status LiveRunner::Run(const std::atomic<bool>* stop) {
  stats_.began = clock_.Now();
  last_progress_ = stats_.began;
  const TimeMs end =
      options_.duration_ms > 0 ? std::min(stats_.began + options_.duration_ms, feed_.end())
                               : feed_.end();
  TimeMs tick = stats_.began;
  std::vector<SimRecord> due;
  while (true) {
    if (stop != nullptr && stop->load()) {
      stats_.stopped = true;
      break;
    }
    const TimeMs now = std::min(clock_.Now(), end);
    due.clear();
    feed_.Step(now, &due);
    for (const LiveEvent& e : feed_.TakeEvents()) log_(e.text);
    stats_.generated += static_cast<int64_t>(due.size());
    absl::Status s = SendDue(due);
    if (absl::IsCancelled(s)) {
      stats_.stopped = true;
      break;
    }
    if (!s.ok()) return s;
    if (now - last_progress_ >= options_.progress_every_ms) Progress(now);
    if (now >= end) break;
    // The next tick; after a slow send, at once (the step then carries everything due).
    tick = std::max(tick + options_.tick_ms, clock_.Now());
    const TimeMs wait = std::min(tick, end) - clock_.Now();
    if (wait > 0 && !sleeper_.Sleep(wait)) {
      stats_.stopped = true;
      break;
    }
  }
  stats_.ended = clock_.Now();
  return absl::OkStatus();
}

absl::Status LiveRunner::SendDue(const std::vector<SimRecord>& due) {
  for (size_t from = 0; from < due.size(); from += options_.batch_records) {
    const size_t to = std::min(due.size(), from + options_.batch_records);
    body_.clear();
    for (size_t i = from; i < to; ++i) body_ += writer_.Format(due[i]);
    if (absl::Status s = sender_.Send(body_, static_cast<int64_t>(to - from)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void LiveRunner::Progress(TimeMs now) {
  const SendStats& s = sender_.stats();
  const double secs = static_cast<double>(now - last_progress_) / 1000.0;
  log_(fmt::format("{} live: {} records sent ({:.0f}/s), {} rejected, {} retries, {} faults started",
                   world_.calendar().Format(now).substr(11, 8), s.records,
                   static_cast<double>(s.records - records_at_last_progress_) / secs, s.rejected,
                   s.retries, feed_.StartedFaults()));
  last_progress_ = now;
  records_at_last_progress_ = s.records;
}

}  // namespace vigil::sim
