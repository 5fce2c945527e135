// The simulated bank of a live run (`vigil simulate --live`): the same bank model as a
// simulation, scaled to a rate at peak rather than to a total, on a calendar that starts
// `backfill_days` before the first live day and runs about a year past it. It writes the
// matching configuration and the backfill (the days before the first live day, as a records
// file a history import can read), and owns the end-of-day plan the live feed changes.
//
// The bank depends only on codes, rate and seed, and the configuration also on the first
// live day, so two runs with the same flags on the same day (one writing the configuration
// and backfill, one feeding a server) agree.
//
// Example:
//   LiveOptions o;  o.codes = 300;  o.peak_rate = 500;
//   absl::StatusOr<std::unique_ptr<LiveWorld>> w = LiveWorld::Create(o, clock.Now());
//   std::string yaml = (*w)->ConfigYaml();
//
// Thread safety: not thread-safe; one live feed uses it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sim/bank_model.h"
#include "sim/eod.h"
#include "sim/generator.h"
#include "sim/sim_calendar.h"
#include "sim/tuning.h"

namespace vigil::sim {

struct LiveOptions {
  int codes = 500;          // online transaction codes, 10-100000
  double peak_rate = 100;  // expected records per second in the busiest minute of any day
  uint64_t seed = 1;
  std::string timezone = "Asia/Shanghai";
  int backfill_days = 7;  // days before the first live day the calendar (and backfill) covers
};

inline constexpr int kMaxBackfillDays = 60;

struct BackfillResult {
  GenStats gen;
  int64_t bytes = 0;
  std::string first_day, last_day;  // "2026-11-13", local dates covered
};

class LiveWorld {
 public:
  // The world whose first live day is the local date of `now` in `options.timezone`.
  static absl::StatusOr<std::unique_ptr<LiveWorld>> Create(const LiveOptions& options,
                                                           TimeMs now);

  const LiveOptions& options() const { return options_; }
  const SimCalendar& calendar() const { return calendar_; }
  const Bank& bank() const { return bank_; }
  const Tuning& tuning() const { return tuning_; }
  EodSchedule& eod() { return *eod_; }
  const EodSchedule& eod() const { return *eod_; }
  // Calendar index of the first live day (= backfill_days).
  int today() const { return options_.backfill_days; }
  // Expected records per minute of the whole bank at local `minute` of a day of that type.
  double BankRatePerMinute(int minute, bool workday) const;

  // The monitoring configuration (YAML) for this bank and calendar.
  std::string ConfigYaml() const;

  // Writes the `backfill_days` days before the first live day: normal traffic, no faults, the
  // end-of-day records included, as JSON Lines or CSV by the name (as `--out`), gzip for .gz.
  // `progress` gets (records so far) about every 64k records.
  absl::StatusOr<BackfillResult> WriteBackfill(
      const std::string& path, const std::function<void(int64_t)>& progress = nullptr) const;

 private:
  LiveWorld(const LiveOptions& options, SimCalendar calendar)
      : options_(options), calendar_(std::move(calendar)) {}

  LiveOptions options_;
  SimCalendar calendar_;
  Bank bank_;
  Tuning tuning_;
  std::unique_ptr<EodSchedule> eod_;
};

}  // namespace vigil::sim
