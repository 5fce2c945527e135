// What each fault does to one minute of traffic; see fault_plan.h for the effects.
#include <algorithm>
#include <cmath>

#include "sim/generator.h"

namespace vigil::sim {
namespace {

bool In(TimeMs t, const Fault& f) { return t >= f.start && t < f.end; }

int16_t ServiceAnswer(const Bank& bank, const TxnCode& c, int ret) {
  if (c.svc < 0) return -1;
  Outcome cls = bank.rets[static_cast<size_t>(ret)].cls;
  return static_cast<int16_t>(c.svc * 3 + (cls == Outcome::kBusiness ? kSvcBusiness : kSvcOk));
}

template <typename Pred>
void EraseIf(std::vector<SimRecord>* records, Pred pred) {
  records->erase(std::remove_if(records->begin(), records->end(), pred), records->end());
}

}  // namespace

void ApplyFault(const Fault& f, const Bank& bank, TimeMs minute_ms, Generator& gen, Rng& rng,
                std::vector<SimRecord>* records) {
  const TxnCode* code = f.code >= 0 ? &bank.codes[static_cast<size_t>(f.code)] : nullptr;
  switch (f.effect) {
    case Effect::kRetShare:
      for (SimRecord& r : *records) {
        if (r.code == f.code && In(r.ts, f) && rng.Chance(f.share)) {
          r.ret = static_cast<int16_t>(f.ret);
          r.svc_ret = ServiceAnswer(bank, *code, f.ret);
        }
      }
      break;
    case Effect::kServiceFail:
      for (SimRecord& r : *records) {
        if (r.code >= static_cast<int>(bank.codes.size())) continue;
        const TxnCode& c = bank.codes[static_cast<size_t>(r.code)];
        if (c.svc == f.svc && In(r.ts, f) && rng.Chance(f.share)) {
          r.ret = static_cast<int16_t>(c.svc_failure_ret);
          r.svc_ret = static_cast<int16_t>(c.svc * 3 + kSvcFailure);
        }
      }
      break;
    case Effect::kSilence:
      EraseIf(records, [&](const SimRecord& r) { return r.code == f.code && In(r.Time(), f); });
      break;
    case Effect::kNodeDown: {
      const int nodes = bank.systems[static_cast<size_t>(f.sys)].nodes;
      for (SimRecord& r : *records) {
        if (r.code >= static_cast<int>(bank.codes.size()) || r.node != f.node || !In(r.Time(), f) ||
            bank.codes[static_cast<size_t>(r.code)].sys != f.sys) {
          continue;
        }
        int n = static_cast<int>(rng.Below(static_cast<uint32_t>(nodes - 1)));
        r.node = static_cast<int8_t>(n >= f.node ? n + 1 : n);
      }
      break;
    }
    case Effect::kThin:
      EraseIf(records, [&](const SimRecord& r) {
        return r.code == f.code && In(r.ts, f) && !rng.Chance(f.factor);
      });
      break;
    case Effect::kBoost:
      if (In(minute_ms, f)) {
        int64_t n = rng.Poisson(f.factor * gen.CurrentRate(f.code));
        for (int64_t k = 0; k < n; ++k) records->push_back(gen.Draw(f.code, minute_ms, rng));
      }
      break;
    case Effect::kInject:
      for (TimeMs t : f.inject_times) {
        if (t < minute_ms || t >= minute_ms + kMsPerMinute) continue;
        SimRecord r = gen.DrawAt(f.code, t, rng);
        r.ret = static_cast<int16_t>(f.ret);
        r.svc_ret = ServiceAnswer(bank, *code, f.ret);
        r.dur = static_cast<int32_t>(std::lround(code->latency_median_ms));
        records->push_back(r);
      }
      break;
    case Effect::kSlow:
      for (SimRecord& r : *records) {
        if (r.code != f.code || !In(r.ts, f)) continue;
        double slow = std::max(r.dur * rng.Range(4, 8), f.factor * rng.Range(1.3, 3.0));
        r.dur = static_cast<int32_t>(std::lround(slow));
      }
      break;
    case Effect::kNone:
      break;
  }
}

}  // namespace vigil::sim
