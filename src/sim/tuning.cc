// Per-code monitoring parameters from expected traffic; see tuning.h.
#include "sim/tuning.h"

#include <algorithm>
#include <cmath>

#include "sim/stats.h"

namespace vigil::sim {
namespace {

constexpr double kSilenceMinCount = 25;  // P(no record in the silence window) = e^-25
constexpr double kServiceMin = 0.95;

CodeStats ComputeStats(const Bank& bank, const TxnCode& c) {
  CodeStats s;
  double busy_min = 1e300, idle_min = 1e300, busy_sum = 0, rolling = 0;
  std::vector<double> w(1440);
  for (int m = 0; m < 1440; ++m) {
    w[m] = bank.Rate(c, m, true);
    double h = bank.Rate(c, m, false);
    s.peak = std::max({s.peak, w[m], h});
    idle_min = std::min(idle_min, h);
    bool busy = m >= kBusyBeginMinute && m < kBusyEndMinute;
    if (busy) busy_min = std::min(busy_min, w[m]), busy_sum += w[m];
    if (!busy) idle_min = std::min(idle_min, w[m]);
  }
  for (int m = 0; m < kBusyEndMinute; ++m) {
    rolling += w[m] - (m >= kRatioWindowMin ? w[m - kRatioWindowMin] : 0);
    if (m + 1 >= kBusyBeginMinute) s.busy60_max = std::max(s.busy60_max, rolling);
  }
  s.peak *= kLevelHigh;
  s.busy_min = busy_min * kLevelLow;
  s.idle_min = idle_min * kLevelLow;
  s.busy_mean = busy_sum / (kBusyEndMinute - kBusyBeginMinute);
  return s;
}

// True when a rate minimum `min` with `min_count` cannot be breached by failures of
// probability `p` (with probability kEpsilon) at any window count up to n_max.
bool RateSafe(double min, int64_t min_count, double p, double n_max) {
  if (p <= 0) return true;
  auto ok = [&](int64_t n) {
    int64_t k = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1 - min) * n - 1e-9)));
    return PoissonTailAtLeast(static_cast<double>(n) * p, k) < kEpsilon;
  };
  int64_t span = static_cast<int64_t>(std::ceil(3 / (1 - min)));
  for (int64_t n = min_count; n <= min_count + span; ++n) {
    if (!ok(n)) return false;
  }
  for (int64_t n = 2 * min_count; static_cast<double>(n) <= n_max; n *= 2) {
    if (!ok(n)) return false;
  }
  return true;
}

// The service minimum for the (txn, svc_sys) key at this code's min_count: the service
// system's own when safe, else the largest safe of 0.9 / 0.8 (written on the code).
std::optional<double> ServiceMinFor(int64_t mc, double p_svc, double n_max) {
  if (RateSafe(kServiceMin, mc, p_svc, n_max)) return kServiceMin;
  for (double min : {0.9, 0.8}) {
    if (RateSafe(min, mc, p_svc, n_max)) return min;
  }
  return std::nullopt;
}

// The rate rules' window, min_count and system_success_min: the shortest window (5, 10, 15
// minutes; longer windows for quieter codes) in which some minimum is safe with a min_count of
// at most half a typical busy window's count, the tightest such minimum, the smallest such
// min_count. Codes too quiet for any get 5 minutes, 0.9 and a safe min_count (rarely
// evaluated).
void PickRates(const TxnCode& c, double p_svc, CodeTuning* t) {
  static const double kMins[] = {0.99, 0.98, 0.95, 0.9};
  static const int64_t kCounts[] = {50, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000};
  const double p_sys = c.system_rate + p_svc;
  auto choose = [&](int window, double min, int64_t mc) {
    const double n_max = std::max(t->stats.peak * window, 1.0);
    std::optional<double> svc_min = ServiceMinFor(mc, p_svc, n_max);
    if (!RateSafe(min, mc, p_sys, n_max) || !svc_min) return false;
    t->window_min = window, t->system_success_min = min, t->min_count = mc;
    t->service_success_min.reset();
    if (c.svc >= 0 && *svc_min != kServiceMin) t->service_success_min = svc_min;
    return true;
  };
  for (int window : {kWindowMin, 2 * kWindowMin, 3 * kWindowMin}) {
    const double n_typ = t->stats.busy_mean * window;
    for (double min : kMins) {
      for (int64_t mc : kCounts) {
        if (static_cast<double>(mc) > 0.5 * n_typ) break;
        if (choose(window, min, mc)) return;
      }
    }
  }
  for (int64_t mc : kCounts) {
    if (mc >= 100 && choose(kWindowMin, 0.9, mc)) return;
  }
}

// The smallest count at least `at_least` that Poisson(mu) reaches with probability below
// kEpsilon; above 10 rounded up to a multiple of 5, as people write thresholds.
int64_t CountThreshold(double mu, int64_t at_least) {
  int64_t k = at_least;
  while (PoissonTailAtLeast(mu, k) >= kEpsilon) ++k;
  return k > 10 ? (k + 4) / 5 * 5 : k;
}

// timeout_ms: a round value at least 2.5 x the median latency, raised until a small count
// threshold (<= 5, else <= 10) is safe at the code's peak volume.
void PickTimeout(const TxnCode& c, CodeTuning* t) {
  static const int64_t kNice[] = {300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 3000, 5000};
  for (int64_t limit : {5, 10, 1000}) {
    for (int64_t ms : kNice) {
      if (static_cast<double>(ms) < 2.5 * c.latency_median_ms) continue;
      double p = TimeoutProbability(c, static_cast<double>(ms));
      int64_t k = CountThreshold(t->stats.peak * kTimeoutPeriodMin * p, 3);
      if (k <= limit) {
        t->timeout_ms = ms, t->timeout_threshold = k;
        return;
      }
    }
  }
}

void PickNoTxn(CodeTuning* t) {
  for (int s : {10, 15, 20, 30}) {
    bool busy = t->stats.busy_min * s >= kSilenceMinCount;
    bool idle = t->stats.idle_min * s >= kSilenceMinCount;
    if (busy || idle) {
      t->silence_min = s;
      t->monitor = busy && idle ? Monitor::kBoth : busy ? Monitor::kBusy : Monitor::kIdle;
      return;
    }
  }
}

// The largest rate minimum (in 0.01 steps) that `success_share` keeps at min_count and up.
std::optional<double> BusinessMin(double share, int64_t mc) {
  for (int pct = static_cast<int>(std::floor(share * 100)) - 1; pct >= 30; --pct) {
    double min = pct / 100.0;
    bool ok = true;
    for (int64_t n = mc; n <= mc + 30 && ok; ++n) {
      auto k = static_cast<int64_t>(std::floor(min * static_cast<double>(n) + 1e-9));
      ok = BinomialTailAtMost(n, share, k) < kEpsilon;
    }
    if (ok) return min;
  }
  return std::nullopt;
}

RetRange RetBounds(int ret, double share, int64_t mc) {
  RetRange r{ret, 0, 1};
  auto holds = [&](auto tail) {
    for (int64_t n = mc; n <= mc + 30; ++n)
      if (tail(n) >= kEpsilon) return false;
    return true;
  };
  for (int pct = static_cast<int>(std::floor(share * 100)); pct > 0; --pct) {
    double lo = pct / 100.0;
    if (holds([&](int64_t n) {
          return BinomialTailAtMost(n, share, static_cast<int64_t>(std::floor(lo * n + 1e-9)));
        })) {
      r.lo = lo;
      break;
    }
  }
  for (int pct = static_cast<int>(std::ceil(share * 100)); pct < 100; ++pct) {
    double hi = pct / 100.0;
    if (holds([&](int64_t n) {
          return BinomialTailAtLeast(n, share, static_cast<int64_t>(std::ceil(hi * n - 1e-9)));
        })) {
      r.hi = hi;
      break;
    }
  }
  return r;
}

}  // namespace

const char* MonitorName(Monitor m) {
  switch (m) {
    case Monitor::kBusy:
      return "busy";
    case Monitor::kIdle:
      return "idle";
    case Monitor::kBoth:
      return "both";
    default:
      return "neither";
  }
}

double TimeoutProbability(const TxnCode& code, double timeout_ms) {
  double z = std::log(timeout_ms / code.latency_median_ms) / code.latency_sigma;
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

double SafeRatioBaseline(std::pair<double, double> bounds) {
  const double z2 = 49;  // 7 sigma
  const double r_lo = kLevelLow / kLevelHigh, r_hi = kLevelHigh / kLevelLow;
  auto [lo, hi] = bounds;
  double low = z2 * (r_lo + lo * lo) / ((r_lo - lo) * (r_lo - lo));
  double high = z2 * (r_hi + hi * hi) / ((hi - r_hi) * (hi - r_hi));
  return std::ceil(std::max(low, high) * 1.1 / 100) * 100;
}

namespace internal {
void ChooseSpecialCodes(const Bank& bank, Tuning* tuning);
}  // namespace internal

Tuning TuneBank(const Bank& bank) {
  Tuning tuning;
  for (auto b : {std::pair{0.8, 1.2}, {0.7, 1.35}, {0.6, 1.5}, {0.5, 1.8}}) {
    tuning.ratio_menu.push_back({b, SafeRatioBaseline(b)});
  }
  tuning.defaults.ratio_bounds = tuning.ratio_menu[2].first;
  tuning.defaults.ratio_min_baseline = tuning.ratio_menu[2].second;
  tuning.services.resize(bank.services.size());
  for (const TxnCode& c : bank.codes) {
    CodeTuning t = tuning.defaults;
    t.stats = ComputeStats(bank, c);
    double p_svc = c.svc >= 0 ? bank.services[static_cast<size_t>(c.svc)].failure_rate : 0;
    PickRates(c, p_svc, &t);
    t.abnormal_threshold =
        CountThreshold(t.stats.peak * kAbnormalPeriodMin * (c.system_rate + p_svc), 1);
    PickTimeout(c, &t);
    PickNoTxn(&t);
    for (const auto& [bounds, baseline] : tuning.ratio_menu) {
      if (baseline <= 0.8 * t.stats.busy60_max) {
        t.ratio_bounds = bounds, t.ratio_min_baseline = baseline;
        break;
      }
    }
    tuning.codes.push_back(std::move(t));
  }
  internal::ChooseSpecialCodes(bank, &tuning);
  return tuning;
}

namespace internal {

// business_success on the busiest financial codes, ret_ratio on 查询挂账 (A001) and the
// mobile login (A006), per_node on the two busiest monitored codes of each channel.
void ChooseSpecialCodes(const Bank& bank, Tuning* tuning) {
  std::vector<size_t> order(bank.codes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return bank.codes[a].rank < bank.codes[b].rank; });
  int business = 0;
  std::vector<int> per_node(bank.systems.size(), 0);
  for (size_t i : order) {
    const TxnCode& c = bank.codes[i];
    CodeTuning& t = tuning->codes[i];
    double n_typ = t.stats.busy_mean * t.window_min;
    double p_svc = c.svc >= 0 ? bank.services[static_cast<size_t>(c.svc)].failure_rate : 0;
    if (c.financial && business < 5 && n_typ >= 1.5 * static_cast<double>(t.min_count)) {
      t.business_success_min = BusinessMin(c.success_share - p_svc, t.min_count);
      if (t.business_success_min) ++business;
    }
    if ((c.role == "A001" || c.role == "A006") && n_typ >= 2.0 * static_cast<double>(t.min_count)) {
      if (c.role == "A001")
        t.ret_ratio.push_back(RetBounds(c.success_ret, c.success_share, t.min_count));
      for (const OutcomeShare& o : c.business) {
        if (o.share > 0.02) t.ret_ratio.push_back(RetBounds(o.ret, o.share, t.min_count));
      }
    }
    const RequestSystem& sys = bank.systems[static_cast<size_t>(c.sys)];
    double nodes = sys.nodes;
    bool busy_ok = t.stats.busy_min / nodes * t.silence_min >= kSilenceMinCount;
    bool idle_ok = t.stats.idle_min / nodes * t.silence_min >= kSilenceMinCount;
    bool ok = (t.monitor == Monitor::kBusy && busy_ok) ||
              (t.monitor == Monitor::kBoth && busy_ok && idle_ok);
    if (ok && sys.nodes >= 2 && per_node[static_cast<size_t>(c.sys)] < 2) {
      t.per_node = true;
      ++per_node[static_cast<size_t>(c.sys)];
    }
  }
}

}  // namespace internal
}  // namespace vigil::sim
