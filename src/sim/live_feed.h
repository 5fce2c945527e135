// The live feed: the simulated bank's records for the current time, with a fault every few
// minutes. Time is given, never read: Step(now) produces the records due up to `now`, so a
// wall clock drives it in `vigil simulate --live` and a manual clock in the tests.
//
// Records are generated a minute at a time by the simulation's generator (same bank, same
// per-minute random streams, same fault effects) and handed out by their time (the time the
// engine uses: ts + dur_ms), so a server receiving them sees a stream in event order.
//
// Faults: every `fault_every` (the first one `fault_every` after the start) the next selected
// online kind in rotation that has an eligible target then is planned to start at that whole
// minute (kinds without a target are skipped and reported). Selected batch and recon kinds go
// on the end-of-day plan of each day that begins early enough (one batch kind per workday
// before 18:00, one recon kind per day before 05:00, each in rotation). Each fault is
// announced as it starts and stops (TakeEvents).
//
// Example:
//   LiveFeed feed(*world, clock.Now(), {.kinds = *ParseFaultKinds("all")});
//   std::vector<SimRecord> batch;
//   feed.Step(clock.Now(), &batch);
//   for (const LiveEvent& e : feed.TakeEvents()) fmt::print(stderr, "{}\n", e.text);
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/generator.h"
#include "sim/live_faults.h"
#include "sim/live_world.h"

namespace vigil::sim {

struct LiveFeedOptions {
  std::set<std::string> kinds;                  // selected fault kinds (ParseFaultKinds)
  int64_t fault_every_ms = 5 * kMsPerMinute;    // whole minutes; 0: no online faults
  int64_t first_fault_ms = -1;                  // the first one this long after the start (-1: fault_every_ms)
};

struct LiveEvent {
  TimeMs at = 0;
  // "12:05 fault system_success on A013 (手机银行转账) for 10m; expect system_success to fire
  // by 12:16 (F03 ...)", in the bank's local time.
  std::string text;
};

class LiveFeed {
 public:
  // Produces nothing before `start`. `world` must outlive the feed; the feed changes its
  // end-of-day plan.
  LiveFeed(LiveWorld& world, TimeMs start, LiveFeedOptions options);

  // Appends to `out` every record whose time lies in [the previous now, now) (the first
  // step: [start, now)), ordered by time, then serial. `now` before the previous one is
  // treated as the previous one; past end() as end().
  void Step(TimeMs now, std::vector<SimRecord>* out);

  // The announcements whose time lies before the last step's `now`, in time order; each is
  // returned once.
  std::vector<LiveEvent> TakeEvents();

  // Every fault planned so far (those planned ahead included), in planning order.
  const std::vector<Fault>& faults() const { return faults_; }
  // How many of them started before the last step's `now`.
  size_t StartedFaults() const;
  // The end of the world's calendar: the feed has nothing at or after it.
  TimeMs end() const { return world_.calendar().end_ms(); }
  TimeMs now() const { return now_; }

 private:
  void GenerateNextMinute();
  int DayOf(TimeMs t, int from_day) const;
  void StartDay(int day);
  void PlanDayEod(int day);
  void PlanOnlineUpTo(TimeMs limit);
  void PlanOnlineAt(TimeMs at);
  void AddFault(const Fault& f);
  void Announce(TimeMs at, std::string text);
  std::string Clock(TimeMs t) const;
  std::string Target(const Fault& f) const;

  LiveWorld& world_;
  const LiveFeedOptions options_;
  std::vector<Fault> faults_;  // the generator reads it; planned faults are appended
  Generator gen_;
  LiveFaultPlanner planner_;
  std::vector<std::string> online_kinds_, batch_kinds_, recon_kinds_;
  size_t online_next_ = 0, batch_next_ = 0, recon_next_ = 0;
  std::map<std::string, std::string> last_skip_;  // kind -> reason last reported

  const TimeMs start_;
  TimeMs now_;                  // the last step's now
  int64_t next_minute_;         // epoch minute generated next
  int day_ = -1;                // calendar day the generator is in
  TimeMs next_fault_ = 0;       // start of the next online fault
  std::vector<SimRecord> pending_;  // generated, not yet due; sorted from head_ on
  size_t head_ = 0;
  std::vector<SimRecord> minute_;   // scratch
  std::multimap<TimeMs, std::string> announcements_;
};

}  // namespace vigil::sim
