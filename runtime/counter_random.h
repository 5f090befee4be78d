// A counter-based random number generator: each stream is named by a key
// (seed, customer, invoice, purpose) and its n-th value is a pure function
// of the key and n, so what one customer or invoice draws does not depend
// on the order in which the others were generated, nor on the thread count.
// Distributions are written here from the raw bits, because the standard
// library's distributions give different numbers on different libraries.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace recoup::runtime {

// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective mix of 64
// bits whose output passes BigCrush when fed a counter.
constexpr std::uint64_t MixBits(std::uint64_t value) {
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

// One stream of random numbers. Copying a stream copies its position.
class RandomStream {
 public:
  // The stream named by `seed` and up to three more words; distinct names
  // give independent-looking streams.
  constexpr RandomStream(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0)
      : key_(MixBits(Prefix(seed, a, b) ^ (c * kGolden))) {}

  // What the streams named (seed, a, b, c) share for any c: a caller that
  // makes many of them (one per draw) mixes it once and passes it to
  // FromPrefix, which gives the very stream the constructor would.
  static constexpr std::uint64_t Prefix(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    return MixBits(MixBits(MixBits(seed ^ 0x5265636F75705247ULL) ^ a) + b);
  }
  static constexpr RandomStream FromPrefix(std::uint64_t prefix, std::uint64_t c) {
    return RandomStream(MixBits(prefix ^ (c * kGolden)));
  }

  // The next 64 raw bits: the mixed (key + counter x golden ratio).
  constexpr std::uint64_t NextBits() { return MixBits(key_ + (++counter_) * kGolden); }
  // Uniform on [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(NextBits() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1): never 0, so its logarithm is finite.
  double UniformOpen() { return (static_cast<double>(NextBits() >> 11) + 0.5) * 0x1.0p-53; }
  // Uniform integer in [low, high], both included (multiply-shift; the bias
  // is below 2^-32 for the ranges used here).
  std::int64_t UniformInt(std::int64_t low, std::int64_t high) {
    const auto span = static_cast<std::uint64_t>(high - low) + 1;
    const auto product = static_cast<unsigned __int128>(NextBits()) * span;
    return low + static_cast<std::int64_t>(product >> 64);
  }
  bool Bernoulli(double probability) { return Uniform() < probability; }
  // Exponential with the given mean (inversion).
  double Exponential(double mean) { return -std::log(UniformOpen()) * mean; }
  // Standard normal (Box-Muller, one value per two uniforms).
  double Normal() {
    const double radius = std::sqrt(-2.0 * std::log(UniformOpen()));
    return radius * std::cos(6.283185307179586 * Uniform());
  }
  // Log-normal with median `median` and log-scale standard deviation `sigma`.
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  // Poisson with the given mean: Knuth's product of uniforms below 30, a
  // rounded normal approximation above (only used for large means).
  std::uint32_t Poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean >= 30) {
      const double value = std::floor(mean + std::sqrt(mean) * Normal() + 0.5);
      return value < 0 ? 0 : static_cast<std::uint32_t>(value);
    }
    const double limit = std::exp(-mean);
    double product = Uniform();
    std::uint32_t count = 0;
    while (product > limit) {
      ++count;
      product *= Uniform();
    }
    return count;
  }
  // An index drawn with probability proportional to `weights` (not all 0).
  std::size_t Choose(std::span<const double> weights) {
    double total = 0;
    for (double weight : weights) total += weight;
    double point = Uniform() * total;
    for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
      if (point < weights[i]) return i;
      point -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  explicit constexpr RandomStream(std::uint64_t key) : key_(key) {}

  static constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

}  // namespace recoup::runtime
