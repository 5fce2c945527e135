// Tail probabilities the tuner uses to place thresholds many sigma away from normal traffic.
//
// All functions are exact sums of probability masses computed in log space; they are meant
// for the far tails (results down to 1e-300) and moderate n (up to a few hundred thousand).
#pragma once

#include <cstdint>

namespace vigil::sim {

// P(X >= k) for X ~ Poisson(mu).
double PoissonTailAtLeast(double mu, int64_t k);
// P(X <= k) for X ~ Poisson(mu).
double PoissonTailAtMost(double mu, int64_t k);
// P(X >= k) for X ~ Binomial(n, p).
double BinomialTailAtLeast(int64_t n, double p, int64_t k);
// P(X <= k) for X ~ Binomial(n, p).
double BinomialTailAtMost(int64_t n, double p, int64_t k);

}  // namespace vigil::sim
