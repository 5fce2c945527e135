// The live run's bank, calendar, configuration and backfill; see live_world.h.
#include "sim/live_world.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "fmt/format.h"
#include "sim/config_writer.h"
#include "sim/record_writer.h"

namespace vigil::sim {
namespace {

// SimCalendar's limit: the live calendar runs this many days from its first backfill day.
constexpr int kCalendarDays = 366;

absl::Status Validate(const LiveOptions& o) {
  if (o.codes < 10 || o.codes > 100'000) {
    return absl::InvalidArgumentError(fmt::format("--codes must be 10-100000, not {}", o.codes));
  }
  if (!(o.peak_rate > 0) || o.peak_rate > 1e7) {
    return absl::InvalidArgumentError(
        fmt::format("--rate must be above 0 and at most 10000000 records/s, not {}", o.peak_rate));
  }
  if (o.backfill_days < 0 || o.backfill_days > kMaxBackfillDays) {
    return absl::InvalidArgumentError(fmt::format("--backfill-days must be 0-{}, not {}",
                                                  kMaxBackfillDays, o.backfill_days));
  }
  return absl::OkStatus();
}

// Sum of the codes' weights times their channel's level, in the busiest minute of either day
// type: the bank's rate per unit of weight scale at its peak.
double PeakWeightUnits(const Bank& bank) {
  std::vector<double> weight_by_shape(bank.shapes.size(), 0);
  for (const TxnCode& c : bank.codes) {
    weight_by_shape[static_cast<size_t>(bank.systems[static_cast<size_t>(c.sys)].shape)] +=
        c.weight;
  }
  double peak = 0;
  for (bool workday : {true, false}) {
    for (size_t m = 0; m < 1440; ++m) {
      double sum = 0;
      for (size_t s = 0; s < bank.shapes.size(); ++s) {
        sum += weight_by_shape[s] * (workday ? bank.shapes[s].workday : bank.shapes[s].holiday)[m];
      }
      peak = std::max(peak, sum);
    }
  }
  return peak;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LiveWorld>> LiveWorld::Create(const LiveOptions& o, TimeMs now) {
  if (absl::Status s = Validate(o); !s.ok()) return s;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(o.timezone, &tz)) {
    return absl::InvalidArgumentError(fmt::format("unknown time zone '{}'", o.timezone));
  }
  const absl::CivilDay today = absl::CivilDay(tz.At(absl::FromUnixMillis(now)).cs);
  absl::StatusOr<SimCalendar> cal =
      SimCalendar::Create(o.timezone, today - o.backfill_days, kCalendarDays);
  if (!cal.ok()) return cal.status();
  std::unique_ptr<LiveWorld> w(new LiveWorld(o, *std::move(cal)));
  // The total only sets BuildBank's scale, which is replaced by the peak rate below.
  w->bank_ = BuildBank(BankOptions{o.codes, 1'000'000, o.seed}, w->calendar_);
  const double per_weight = o.peak_rate * 60 / PeakWeightUnits(w->bank_);
  for (TxnCode& c : w->bank_.codes) c.rate_per_min = c.weight * per_weight;
  w->tuning_ = TuneBank(w->bank_);
  w->eod_ = std::make_unique<EodSchedule>(w->bank_, w->calendar_, o.seed);
  return w;
}

double LiveWorld::BankRatePerMinute(int minute, bool workday) const {
  double sum = 0;
  for (const TxnCode& c : bank_.codes) sum += bank_.Rate(c, minute, workday);
  return sum;
}

std::string LiveWorld::ConfigYaml() const {
  std::string origin = fmt::format(
      "vigil simulate --live --codes {} --rate {} --seed {} --timezone {} (first live day {})",
      options_.codes, options_.peak_rate, options_.seed, options_.timezone,
      calendar_.day(today()).label);
  return sim::ConfigYaml(bank_, tuning_, calendar_, *eod_, origin);
}

absl::StatusOr<BackfillResult> LiveWorld::WriteBackfill(
    const std::string& path, const std::function<void(int64_t)>& progress) const {
  const int days = options_.backfill_days;
  if (days < 1) return absl::InvalidArgumentError("a backfill needs --backfill-days of 1 or more");
  absl::StatusOr<OutputSpec> spec = OutputSpecFor(path, "");
  if (!spec.ok()) return spec.status();
  // Its own calendar of the backfill days (same first day, so the same day and end-of-day
  // draws as the live calendar), without faults.
  absl::StatusOr<SimCalendar> cal =
      SimCalendar::Create(options_.timezone, calendar_.day(0).date, days);
  if (!cal.ok()) return cal.status();
  EodSchedule eod(bank_, *cal, options_.seed);
  const std::vector<Fault> no_faults;
  absl::StatusOr<std::unique_ptr<OutputFile>> file = OutputFile::Open(spec->path, spec->gzip);
  if (!file.ok()) return file.status();
  RecordWriter writer(bank_, cal->tz(), spec->format, std::move(*file));
  Generator gen(bank_, *cal, eod, no_faults, options_.seed);
  int64_t written = 0;
  BackfillResult result;
  result.gen = gen.Run([&](const SimRecord& r) {
    writer.Write(r);
    if ((++written & 0xFFFF) == 0 && progress) progress(written);
  });
  if (absl::Status s = writer.Close(); !s.ok()) return s;
  result.bytes = writer.bytes();
  result.first_day = cal->day(0).label;
  result.last_day = cal->day(days - 1).label;
  return result;
}

}  // namespace vigil::sim
