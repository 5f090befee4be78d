// The ratios of docs/metrics.md as exact fractions, and their display.
#include <algorithm>
#include <string>

#include "simulation/metrics.h"

namespace recoup::simulation {
namespace {

using Wide = __int128;

Wide Owed(const Figures& figures) { return static_cast<Wide>(figures.invoiced) + figures.fees + figures.interest; }

std::string WideToString(Wide value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  unsigned __int128 magnitude = negative ? static_cast<unsigned __int128>(-(value + 1)) + 1 : static_cast<unsigned __int128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return negative ? "-" + digits : digits;
}

}  // namespace

Ratio RecoveryRate(const Figures& figures) { return {figures.applied, Owed(figures)}; }

Ratio CollectedByRate(const Figures& figures, std::size_t k) { return {figures.collected_by[k], figures.invoiced}; }

Ratio DaysSalesOutstanding(const Figures& figures) { return {figures.principal_days, figures.invoiced}; }

Ratio AverageDaysDelinquent(const Figures& figures) { return {figures.delinquent_days, figures.invoiced}; }

Ratio CollectionEffectivenessIndex(const Figures& figures) {
  return {figures.applied, Owed(figures) - figures.open_current};
}

Ratio TouchesPerCustomer(const Figures& figures) {
  return {static_cast<Wide>(figures.touches), static_cast<Wide>(figures.customers)};
}

Ratio Difference(Ratio a, Ratio b) {
  if (!a.defined() || !b.defined()) return {};
  if (a.denominator == b.denominator) return {a.numerator - b.numerator, a.denominator};
  return {a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator};
}

std::string FormatRatio(Ratio ratio, int scale, int decimals) {
  if (!ratio.defined()) return "n/a";
  Wide numerator = ratio.numerator * scale;
  Wide denominator = ratio.denominator;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  for (int i = 0; i < decimals; ++i) numerator *= 10;
  bool negative = numerator < 0;
  Wide magnitude = negative ? -numerator : numerator;
  Wide quotient = magnitude / denominator;
  Wide remainder = magnitude % denominator;
  // Half-even: exactly half rounds to the even neighbour.
  if (remainder * 2 > denominator || (remainder * 2 == denominator && quotient % 2 == 1)) quotient += 1;
  std::string digits = WideToString(quotient);
  if (decimals > 0) {
    std::size_t width = static_cast<std::size_t>(decimals) + 1;
    if (digits.size() < width) digits = std::string(width - digits.size(), '0') + digits;
    digits = digits.substr(0, digits.size() - decimals) + "." + digits.substr(digits.size() - decimals);
  }
  return (negative && quotient != 0 ? "-" : "") + digits;
}

}  // namespace recoup::simulation
