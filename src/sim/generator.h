// The traffic generator: walks the simulated days minute by minute, draws each code's
// records (Poisson counts from the code's rate and the channel's daily shape), applies the
// planned faults, adds the end-of-day records, and hands the records to a sink in roughly
// event-time order (jitter below 1.5 s, far inside the engine's allowed lateness).
//
// Determinism: each minute draws from its own random stream (seed, minute), faults from
// theirs (seed, minute, fault), so the same seed gives the same bytes, and injecting a fault
// leaves every record it does not touch unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/bank_model.h"
#include "sim/eod.h"
#include "sim/fault_plan.h"
#include "sim/random.h"
#include "sim/sim_record.h"

namespace vigil::sim {

struct GenStats {
  int64_t records = 0;
  int64_t dropped_after_end = 0;         // records whose time fell past the last day
  TimeMs first_time = 0, last_time = 0;  // smallest / largest record time written
};

class Generator {
 public:
  using Sink = std::function<void(const SimRecord&)>;

  Generator(const Bank& bank, const SimCalendar& calendar, const EodSchedule& eod,
            const std::vector<Fault>& faults, uint64_t seed);

  // Generates everything; `sink` gets the records in output order.
  GenStats Run(const Sink& sink);

  // Streaming (live feeds): StartDay(d) once when day d begins (it draws the day's levels and
  // queues its end-of-day records), then GenerateMinute(d, m, out) for the day's minutes in
  // order. `out` receives the records whose minute that is, plus the queued end-of-day
  // records whose time falls before the minute's end, unsorted, with `key` set. `faults` (the
  // vector given to the constructor) may grow between calls; a fault must be in it before the
  // minute before its start is generated.
  void StartDay(int day);
  void GenerateMinute(int day, int minute, std::vector<SimRecord>* out);

  // Draws one record of online code `code` starting in the minute at `minute_ms`.
  SimRecord Draw(int code, TimeMs minute_ms, Rng& rng);
  // Draws one record with a start time already fixed.
  SimRecord DrawAt(int code, TimeMs ts, Rng& rng);
  // Expected records per minute of `code` in the current minute (faults scale with this).
  double CurrentRate(int code) const { return rate_[static_cast<size_t>(code)]; }

 private:
  void AddEod(int day);
  void Flush(TimeMs before, const Sink& sink);

  const Bank& bank_;
  const SimCalendar& cal_;
  const EodSchedule& eod_;
  const std::vector<Fault>& faults_;
  uint64_t seed_;
  std::vector<double> day_factor_;  // per code: rate_per_min x day level x code-day level
  std::vector<double> rate_;        // per code: the current minute's rate
  std::vector<SimRecord> eod_pending_;
  std::vector<SimRecord> pending_;
  GenStats stats_;
  uint32_t seq_ = 0;
  uint64_t serial_base_ = 0;  // yyyymmdd * 10^10 + minute of day * 10^6 for this minute
};

// Applies `fault` to the records of one minute (fault_effects.cc). `records` holds only
// that minute's records; they may be changed, removed, or added to.
void ApplyFault(const Fault& fault, const Bank& bank, TimeMs minute_ms, Generator& gen, Rng& rng,
                std::vector<SimRecord>* records);

}  // namespace vigil::sim
