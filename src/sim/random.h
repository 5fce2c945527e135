// Deterministic random numbers for the simulator.
//
// The engine is std::mt19937_64, whose output sequence the C++ standard fixes; every
// distribution is written here rather than taken from <random>, whose algorithms differ
// between standard libraries. So a seed gives the same traffic on every platform that rounds
// exp/log/sqrt the same way (IEEE 754 platforms with glibc or similar).
//
// Streams are derived from (seed, purpose, index) with DeriveSeed, so that each minute, day
// and fault draws from its own stream: injecting a fault never shifts the background traffic.
//
// Thread safety: an Rng is a plain value; use one per thread.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace vigil::sim {

// Mixes a seed with up to three stream coordinates (SplitMix64 finaliser on each step).
uint64_t DeriveSeed(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0);

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0. Multiply-shift (bias below 2^-32 for n < 2^32).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((engine_() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }
  double Range(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Marsaglia's polar method; the spare value is kept).
  double Normal();
  // Lognormal with the given median and log-space standard deviation.
  double LogNormal(double median, double sigma);
  // Poisson with mean `lambda` >= 0: inversion below 12, Hörmann's PTRS above.
  int64_t Poisson(double lambda);

 private:
  int64_t PoissonLarge(double lambda);

  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

// Draws an index with probability proportional to its weight in O(1) (Walker's alias method).
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights);
  uint32_t Draw(Rng& rng) const;
  size_t size() const { return prob_.size(); }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

}  // namespace vigil::sim
