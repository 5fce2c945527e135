// Distributions for the simulator; see random.h for why they are not <random>'s.
#include "sim/random.h"

#include <cmath>

namespace vigil::sim {
namespace {

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// log(k!) exactly from a table for small k, Stirling's series above.
double LogFactorial(int64_t k) {
  static const std::vector<double> table = [] {
    std::vector<double> t(256);
    t[0] = 0;
    for (int i = 1; i < 256; ++i) t[i] = t[i - 1] + std::log(static_cast<double>(i));
    return t;
  }();
  if (k < 256) return table[k];
  double x = static_cast<double>(k);
  return (x + 0.5) * std::log(x) - x + 0.918938533204672742 + 1.0 / (12.0 * x) -
         1.0 / (360.0 * x * x * x);
}

}  // namespace

uint64_t DeriveSeed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  uint64_t h = SplitMix(seed ^ 0x5bd1e9955bd1e995ULL);
  h = SplitMix(h ^ a);
  h = SplitMix(h ^ (b + 0x632be59bd9b4e019ULL));
  return SplitMix(h ^ (c + 0x8cb92ba72f3d8dd7ULL));
}

double Rng::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Rng::LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

int64_t Rng::Poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda >= 12) return PoissonLarge(lambda);
  // Inversion by sequential search from 0.
  double u = Uniform();
  double p = std::exp(-lambda);
  double cdf = p;
  int64_t k = 0;
  while (u >= cdf && k < 200) {
    ++k;
    p *= lambda / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

// W. Hörmann, "The transformed rejection method for generating Poisson random variables"
// (1993), algorithm PTRS; exact for lambda >= 10.
int64_t Rng::PoissonLarge(double lambda) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    double u = Uniform() - 0.5;
    double v = Uniform();
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<int64_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - LogFactorial(static_cast<int64_t>(k))) {
      return static_cast<int64_t>(k);
    }
  }
}

AliasTable::AliasTable(const std::vector<double>& weights) {
  const size_t n = weights.size();
  prob_.assign(n, 0);
  alias_.assign(n, 0);
  if (n == 0) return;
  double total = 0;
  for (double w : weights) total += w;
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = total > 0 ? weights[i] * static_cast<double>(n) / total : 1.0;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back(), l = large.back();
    small.pop_back();
    prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : large) prob_[i] = 1.0;
  for (uint32_t i : small) prob_[i] = 1.0;
}

uint32_t AliasTable::Draw(Rng& rng) const {
  uint32_t i = rng.Below(static_cast<uint32_t>(prob_.size()));
  return rng.Uniform() < prob_[i] ? i : alias_[i];
}

}  // namespace vigil::sim
