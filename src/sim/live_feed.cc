// Records for the current time, a minute generated ahead of what is due; see live_feed.h.
#include "sim/live_feed.h"

#include <algorithm>

#include "fmt/format.h"

namespace vigil::sim {
namespace {

// Faults are planned this far ahead of the minute being generated: the generator applies a
// fault from the minute before its start on (records of that minute may end inside it).
constexpr int64_t kPlanAheadMs = 2 * kMsPerMinute;

bool ByTime(const SimRecord& a, const SimRecord& b) {
  return a.Time() != b.Time() ? a.Time() < b.Time() : a.serial < b.serial;
}

// The first whole minute at or after `t`.
TimeMs CeilMinute(TimeMs t) { return MinuteStart(MinuteOf(t + kMsPerMinute - 1)); }

std::string RoundedDuration(TimeMs ms) {
  return FormatDuration((ms + kMsPerMinute / 2) / kMsPerMinute * kMsPerMinute);
}

}  // namespace

LiveFeed::LiveFeed(LiveWorld& world, TimeMs start, LiveFeedOptions options)
    : world_(world),
      options_(std::move(options)),
      gen_(world.bank(), world.calendar(), world.eod(), faults_, world.options().seed),
      planner_(world.bank(), world.tuning(), world.calendar(), world.options().seed,
               &world.eod()),
      start_(start),
      now_(start),
      next_minute_(MinuteOf(start)) {
  for (const auto& [kind, rule] : FaultKinds()) {
    if (!options_.kinds.count(kind)) continue;
    if (LiveFaultPlanner::IsOnline(kind)) online_kinds_.push_back(kind);
    if (LiveFaultPlanner::IsBatch(kind)) batch_kinds_.push_back(kind);
    if (LiveFaultPlanner::IsRecon(kind)) recon_kinds_.push_back(kind);
  }
  if (options_.fault_every_ms > 0) {
    const int64_t first = options_.first_fault_ms >= 0 ? options_.first_fault_ms : options_.fault_every_ms;
    next_fault_ = CeilMinute(start + first);
  }
}

void LiveFeed::Step(TimeMs now, std::vector<SimRecord>* out) {
  now = std::min(now, end());
  if (now <= now_) return;
  while (MinuteStart(next_minute_) < now) GenerateNextMinute();
  size_t i = head_;
  while (i < pending_.size() && pending_[i].Time() < now) out->push_back(pending_[i++]);
  head_ = i;
  now_ = now;
}

std::vector<LiveEvent> LiveFeed::TakeEvents() {
  std::vector<LiveEvent> due;
  auto last = announcements_.lower_bound(now_);
  for (auto it = announcements_.begin(); it != last; ++it) due.push_back({it->first, it->second});
  announcements_.erase(announcements_.begin(), last);
  return due;
}

size_t LiveFeed::StartedFaults() const {
  return static_cast<size_t>(std::count_if(faults_.begin(), faults_.end(),
                                           [this](const Fault& f) { return f.start < now_; }));
}

void LiveFeed::GenerateNextMinute() {
  const TimeMs t = MinuteStart(next_minute_++);
  const int d = DayOf(t, day_);
  if (d != day_) StartDay(d);
  PlanOnlineUpTo(t + kPlanAheadMs);
  const SimDay& day = world_.calendar().day(d);
  minute_.clear();
  gen_.GenerateMinute(d, static_cast<int>((t - day.start_ms) / kMsPerMinute), &minute_);
  // The first minute also brings the day's end-of-day records from before the start.
  minute_.erase(std::remove_if(minute_.begin(), minute_.end(),
                               [this](const SimRecord& r) { return r.Time() < start_; }),
                minute_.end());
  std::sort(minute_.begin(), minute_.end(), ByTime);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(head_));
  head_ = 0;
  const auto mid = static_cast<ptrdiff_t>(pending_.size());
  pending_.insert(pending_.end(), minute_.begin(), minute_.end());
  std::inplace_merge(pending_.begin(), pending_.begin() + mid, pending_.end(), ByTime);
}

int LiveFeed::DayOf(TimeMs t, int from_day) const {
  const SimCalendar& cal = world_.calendar();
  int i = std::max(from_day, 0);
  while (i + 1 < cal.size() && cal.day(i + 1).start_ms <= t) ++i;
  return i;
}

void LiveFeed::StartDay(int day) {
  PlanDayEod(day);
  gen_.StartDay(day);
  day_ = day;
}

// One batch kind on each workday that begins before its span opens (18:00), one recon kind on
// each day that begins before the first result window (05:00), each kind in turn.
void LiveFeed::PlanDayEod(int day) {
  const SimCalendar& cal = world_.calendar();
  const TimeMs announce_at = std::max(start_, cal.day(day).start_ms);
  auto plan = [&](const std::vector<std::string>& kinds, size_t* next) {
    const std::string& kind = kinds[(*next)++ % kinds.size()];
    absl::StatusOr<Fault> f = planner_.PlanEod(kind, day);
    if (f.ok()) return AddFault(*f);
    Announce(announce_at,
             fmt::format("{} skipped {}", Clock(announce_at), std::string(f.status().message())));
  };
  if (!batch_kinds_.empty() && cal.day(day).workday && start_ <= cal.At(day, 18 * 60)) {
    plan(batch_kinds_, &batch_next_);
  }
  if (!recon_kinds_.empty() && start_ <= cal.At(day, 5 * 60)) plan(recon_kinds_, &recon_next_);
}

void LiveFeed::PlanOnlineUpTo(TimeMs limit) {
  if (online_kinds_.empty() || options_.fault_every_ms <= 0) return;
  while (next_fault_ <= limit && next_fault_ < end()) {
    PlanOnlineAt(next_fault_);
    next_fault_ += options_.fault_every_ms;
  }
}

// The next kind in rotation that has a target now; a kind without one is reported when its
// reason is new, and tried again on its next turn.
void LiveFeed::PlanOnlineAt(TimeMs at) {
  const int d = DayOf(at, day_);
  const int minute = static_cast<int>((at - world_.calendar().day(d).start_ms) / kMsPerMinute);
  const size_t n = online_kinds_.size();
  for (size_t k = 0; k < n; ++k) {
    const std::string& kind = online_kinds_[(online_next_ + k) % n];
    absl::StatusOr<Fault> f = planner_.PlanOnline(kind, d, minute);
    if (f.ok()) {
      online_next_ = (online_next_ + k + 1) % n;
      return AddFault(*f);
    }
    std::string why(f.status().message());
    if (last_skip_[kind] != why) Announce(at, fmt::format("{} skipped {}", Clock(at), why));
    last_skip_[kind] = why;
  }
  Announce(at, fmt::format("{} no fault fits now", Clock(at)));
}

void LiveFeed::AddFault(const Fault& f) {
  faults_.push_back(f);
  const Expectation* e = f.expect.empty() ? nullptr : &f.expect.front();
  std::string start =
      fmt::format("{} fault {} on {}", Clock(f.start), f.kind, Target(f));
  if (f.end > f.start) start += " for " + RoundedDuration(f.end - f.start);
  if (e != nullptr) start += fmt::format("; expect {} to fire by {}", e->rule, Clock(e->fire_by));
  Announce(f.start, fmt::format("{} ({} {})", start, f.id, f.desc));
  if (f.end <= f.start) return;
  std::string stop = fmt::format("{} fault {} on {} stopped", Clock(f.end), f.kind, Target(f));
  if (e != nullptr && e->resolve_by) {
    stop += fmt::format("; expect {} to resolve by {}", e->rule, Clock(*e->resolve_by));
  }
  Announce(f.end, stop);
}

void LiveFeed::Announce(TimeMs at, std::string text) {
  announcements_.emplace(at, std::move(text));
}

std::string LiveFeed::Clock(TimeMs t) const {
  return world_.calendar().Format(t).substr(11, 5);
}

std::string LiveFeed::Target(const Fault& f) const {
  const Bank& bank = world_.bank();
  if (f.code >= 0) {
    const TxnCode& c = bank.codes[static_cast<size_t>(f.code)];
    return fmt::format("{} ({})", c.code, c.name);
  }
  if (f.svc >= 0) {
    const ServiceSystem& s = bank.services[static_cast<size_t>(f.svc)];
    return fmt::format("{} ({})", s.code, s.name);
  }
  if (f.sys >= 0) {
    const RequestSystem& s = bank.systems[static_cast<size_t>(f.sys)];
    return fmt::format("{} ({})", s.node_names[static_cast<size_t>(f.node)], s.name);
  }
  std::string key;  // end-of-day faults: "EOD_INTEREST of 2026-11-20"
  for (const auto& [field, value] : f.expect.empty() ? AlertKey{} : f.expect.front().key) {
    key += key.empty() ? value : (field == "day" ? " of " : " ") + value;
  }
  return key;
}

}  // namespace vigil::sim
