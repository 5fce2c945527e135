// Poisson and binomial tails by summing masses outward from the threshold in log space.
#include "sim/stats.h"

#include <cmath>

namespace vigil::sim {
namespace {

double LogPoisson(double mu, int64_t k) {
  return static_cast<double>(k) * std::log(mu) - mu - std::lgamma(static_cast<double>(k) + 1);
}

double LogBinomial(int64_t n, double p, int64_t k) {
  double dn = static_cast<double>(n), dk = static_cast<double>(k);
  return std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) + dk * std::log(p) +
         (dn - dk) * std::log1p(-p);
}

// Sums exp(log_mass(j)) for j = from, from + step, ... within [lo, hi] until the terms are
// negligible against the sum (masses fall monotonically away from the mode).
template <typename F>
double SumMasses(F log_mass, int64_t from, int64_t step, int64_t lo, int64_t hi) {
  double sum = 0;
  for (int64_t j = from; j >= lo && j <= hi; j += step) {
    double m = std::exp(log_mass(j));
    sum += m;
    // A zero ends it too: in the far tail the sum is subnormal and sum * 1e-17 underflows.
    if (m < sum * 1e-17 || (m == 0 && j != from)) break;
  }
  return sum;
}

}  // namespace

double PoissonTailAtLeast(double mu, int64_t k) {
  if (k <= 0) return 1.0;
  if (mu <= 0) return 0.0;
  auto lm = [mu](int64_t j) { return LogPoisson(mu, j); };
  if (static_cast<double>(k) > mu) return std::fmin(1.0, SumMasses(lm, k, 1, 0, INT64_MAX / 2));
  return std::fmax(0.0, 1.0 - SumMasses(lm, k - 1, -1, 0, k - 1));
}

double PoissonTailAtMost(double mu, int64_t k) {
  if (k < 0) return 0.0;
  if (mu <= 0) return 1.0;
  auto lm = [mu](int64_t j) { return LogPoisson(mu, j); };
  if (static_cast<double>(k) < mu) return std::fmin(1.0, SumMasses(lm, k, -1, 0, k));
  return std::fmax(0.0, 1.0 - SumMasses(lm, k + 1, 1, k + 1, INT64_MAX / 2));
}

double BinomialTailAtLeast(int64_t n, double p, int64_t k) {
  if (k <= 0) return 1.0;
  if (k > n || p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  auto lm = [n, p](int64_t j) { return LogBinomial(n, p, j); };
  if (static_cast<double>(k) > static_cast<double>(n) * p) {
    return std::fmin(1.0, SumMasses(lm, k, 1, 0, n));
  }
  return std::fmax(0.0, 1.0 - SumMasses(lm, k - 1, -1, 0, k - 1));
}

double BinomialTailAtMost(int64_t n, double p, int64_t k) {
  if (k < 0) return 0.0;
  if (k >= n) return 1.0;
  return BinomialTailAtLeast(n, 1.0 - p, n - k);
}

}  // namespace vigil::sim
