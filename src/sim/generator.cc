// Minute-by-minute traffic generation; see generator.h.
#include "sim/generator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::sim {
namespace {

constexpr uint64_t kMinuteStream = 0x6D696E;
constexpr uint64_t kDayStream = 0x646179;
constexpr uint64_t kFaultStream = 0x666C74;
constexpr int64_t kJitterMs = 1500;

uint64_t CompactDate(const SimDay& d) {
  return static_cast<uint64_t>(d.date.year()) * 10000 +
         static_cast<uint64_t>(d.date.month()) * 100 + static_cast<uint64_t>(d.date.day());
}

int64_t Jitter(uint64_t serial) {
  return static_cast<int64_t>(((serial * 0x9E3779B97F4A7C15ULL) >> 40) % kJitterMs);
}

}  // namespace

Generator::Generator(const Bank& bank, const SimCalendar& calendar, const EodSchedule& eod,
                     const std::vector<Fault>& faults, uint64_t seed)
    : bank_(bank), cal_(calendar), eod_(eod), faults_(faults), seed_(seed) {
  day_factor_.assign(bank.codes.size(), 0);
  rate_.assign(bank.codes.size(), 0);
}

GenStats Generator::Run(const Sink& sink) {
  stats_ = GenStats{};
  stats_.first_time = std::numeric_limits<TimeMs>::max();
  std::vector<SimRecord> minute;
  for (int d = 0; d < cal_.size(); ++d) {
    StartDay(d);
    for (int m = 0; m < cal_.day(d).minutes; ++m) {
      minute.clear();
      GenerateMinute(d, m, &minute);
      pending_.insert(pending_.end(), minute.begin(), minute.end());
      Flush(cal_.day(d).start_ms + (m + 1) * kMsPerMinute, sink);
    }
  }
  Flush(std::numeric_limits<TimeMs>::max(), sink);
  if (stats_.records == 0) stats_.first_time = 0;
  return stats_;
}

void Generator::StartDay(int day) {
  Rng rng(DeriveSeed(seed_, kDayStream, static_cast<uint64_t>(day)));
  double level = 1 + rng.Range(-kDayLevelSpread, kDayLevelSpread);
  for (size_t i = 0; i < bank_.codes.size(); ++i) {
    double own = 1 + rng.Range(-kCodeDayLevelSpread, kCodeDayLevelSpread);
    day_factor_[i] = bank_.codes[i].rate_per_min * level * own;
  }
  AddEod(day);
}

void Generator::AddEod(int day) {
  const SimDay& d = cal_.day(day);
  const auto base = static_cast<int32_t>(bank_.codes.size());
  uint32_t seq = 900000;  // end-of-day serials sit apart from the online ones
  auto add = [&](SimRecord r) {
    int64_t minute_of_day = (r.ts - d.start_ms) / kMsPerMinute;
    r.serial = CompactDate(d) * 10'000'000'000ULL +
               static_cast<uint64_t>(minute_of_day) * 1'000'000 + seq++;
    eod_pending_.push_back(r);
  };
  for (const StepRun& run : eod_.Runs(day)) {
    const TxnCode& c =
        bank_.eod_codes[static_cast<size_t>(eod_.steps()[static_cast<size_t>(run.step)].code)];
    SimRecord start{.ts = run.start,
                    .code = base + eod_.steps()[static_cast<size_t>(run.step)].code,
                    .ret = static_cast<int16_t>(c.success_ret),
                    .phase = RecPhase::kStart};
    add(start);
    SimRecord end = start;
    end.dur = static_cast<int32_t>(run.dur_ms);
    end.phase = RecPhase::kEnd;
    end.ret = static_cast<int16_t>(run.failed ? c.system_ret : c.success_ret);
    add(end);
  }
  for (const ReconResult& res : eod_.Results(day)) {
    const int code = eod_.checks()[static_cast<size_t>(res.check)].code;
    SimRecord r{
        .ts = res.time - res.dur_ms,
        .mismatch_cents = res.mismatch_cents,
        .mismatch_count = res.mismatch_count,
        .dur = static_cast<int32_t>(res.dur_ms),
        .code = base + code,
        .ret = static_cast<int16_t>(bank_.eod_codes[static_cast<size_t>(code)].success_ret)};
    add(r);
  }
  std::stable_sort(eod_pending_.begin(), eod_pending_.end(),
                   [](const SimRecord& a, const SimRecord& b) { return a.Time() < b.Time(); });
}

void Generator::GenerateMinute(int day, int minute, std::vector<SimRecord>* out) {
  const SimDay& d = cal_.day(day);
  const TimeMs minute_ms = d.start_ms + minute * kMsPerMinute;
  Rng rng(DeriveSeed(seed_, kMinuteStream, static_cast<uint64_t>(MinuteOf(minute_ms))));
  serial_base_ = CompactDate(d) * 10'000'000'000ULL + static_cast<uint64_t>(minute) * 1'000'000;
  seq_ = 0;
  const size_t m = static_cast<size_t>(std::min(minute, 1439));
  std::vector<float> level(bank_.systems.size());
  for (size_t s = 0; s < bank_.systems.size(); ++s) {
    const Shape& shape = bank_.shapes[static_cast<size_t>(bank_.systems[s].shape)];
    level[s] = d.workday ? shape.workday[m] : shape.holiday[m];
  }
  for (size_t i = 0; i < bank_.codes.size(); ++i) {
    rate_[i] = day_factor_[i] * level[static_cast<size_t>(bank_.codes[i].sys)];
    int64_t n = rng.Poisson(rate_[i]);
    for (int64_t k = 0; k < n; ++k) out->push_back(Draw(static_cast<int>(i), minute_ms, rng));
  }
  // Faults that add records go first, so that the others (a node down, a failing service)
  // also act on the added records when two faults overlap (a live feed's do).
  for (bool adds : {true, false}) {
    for (size_t k = 0; k < faults_.size(); ++k) {
      const Fault& f = faults_[k];
      if (f.effect == Effect::kNone || minute_ms + kMsPerMinute <= f.start - kMsPerMinute ||
          minute_ms >= f.end + kMsPerMinute ||
          adds != (f.effect == Effect::kBoost || f.effect == Effect::kInject)) {
        continue;
      }
      Rng frng(DeriveSeed(seed_, kFaultStream, static_cast<uint64_t>(MinuteOf(minute_ms)), k));
      ApplyFault(f, bank_, minute_ms, *this, frng, out);
    }
  }
  auto eod_end = std::find_if(eod_pending_.begin(), eod_pending_.end(), [&](const SimRecord& r) {
    return r.Time() >= minute_ms + kMsPerMinute;
  });
  out->insert(out->end(), eod_pending_.begin(), eod_end);
  eod_pending_.erase(eod_pending_.begin(), eod_end);
  const TimeMs end = cal_.end_ms();
  size_t before = out->size();
  out->erase(std::remove_if(out->begin(), out->end(),
                            [end](const SimRecord& r) { return r.Time() >= end; }),
             out->end());
  stats_.dropped_after_end += static_cast<int64_t>(before - out->size());
  for (SimRecord& r : *out) r.key = r.Time() + Jitter(r.serial);
}

void Generator::Flush(TimeMs before, const Sink& sink) {
  std::sort(pending_.begin(), pending_.end(), [](const SimRecord& a, const SimRecord& b) {
    return a.key != b.key ? a.key < b.key : a.serial < b.serial;
  });
  size_t n = 0;
  while (n < pending_.size() && pending_[n].key < before) {
    const SimRecord& r = pending_[n++];
    stats_.first_time = std::min(stats_.first_time, r.Time());
    stats_.last_time = std::max(stats_.last_time, r.Time());
    ++stats_.records;
    sink(r);
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(n));
}

SimRecord Generator::Draw(int code, TimeMs minute_ms, Rng& rng) {
  return DrawAt(code, minute_ms + rng.Below(static_cast<uint32_t>(kMsPerMinute)), rng);
}

SimRecord Generator::DrawAt(int code, TimeMs ts, Rng& rng) {
  const TxnCode& c = bank_.codes[static_cast<size_t>(code)];
  SimRecord r;
  r.ts = ts;
  r.code = code;
  const double p_svc = c.svc >= 0 ? bank_.services[static_cast<size_t>(c.svc)].failure_rate : 0;
  double u = rng.Uniform();
  int ret = c.success_ret;
  int16_t svc = kSvcOk;
  if (u < p_svc) {
    ret = c.svc_failure_ret, svc = kSvcFailure;
  } else if ((u -= p_svc) < c.system_rate) {
    ret = c.system_ret;
  } else {
    u -= c.system_rate;
    for (const OutcomeShare& o : c.business) {
      if (u < o.share) {
        ret = o.ret, svc = kSvcBusiness;
        break;
      }
      u -= o.share;
    }
  }
  r.ret = static_cast<int16_t>(ret);
  r.svc_ret = c.svc >= 0 ? static_cast<int16_t>(c.svc * 3 + svc) : -1;
  double dur = rng.LogNormal(c.latency_median_ms, c.latency_sigma);
  r.dur = static_cast<int32_t>(std::clamp(std::lround(dur), 1L, 60'000L));
  r.node = static_cast<int8_t>(
      rng.Below(static_cast<uint32_t>(bank_.systems[static_cast<size_t>(c.sys)].nodes)));
  r.org = static_cast<int16_t>(bank_.org_table.Draw(rng));
  if (c.financial) {
    double yuan = rng.LogNormal(c.amount_median, c.amount_sigma);
    if (c.amount_round_100) yuan = std::max(100.0, std::round(yuan / 100) * 100);
    r.amount = std::max<int64_t>(1, std::llround(yuan * 100));
  }
  r.serial = serial_base_ + seq_++;
  return r;
}

}  // namespace vigil::sim
