#include "runtime/money.h"

#include <fmt/format.h>

namespace recoup::runtime {
namespace {

MoneyResult Failure(MoneyError error) { return {Money{}, error}; }

std::uint8_t ExponentOf(CurrencyId currency) { return InfoOf(currency).exponent; }

}  // namespace

MoneyResult MoneyFromDecimal(Decimal amount, CurrencyId currency) {
  DecimalResult scaled = Rescale(amount, ExponentOf(currency));
  switch (scaled.error) {
    case DecimalError::None: return {Money{scaled.value.digits, currency}};
    case DecimalError::Inexact: return Failure(MoneyError::TooManyDecimals);
    default: return Failure(MoneyError::Overflow);
  }
}

MoneyResult Add(Money a, Money b) {
  if (a.currency != b.currency) return Failure(MoneyError::CurrencyMismatch);
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.minor, b.minor, &sum)) return Failure(MoneyError::Overflow);
  return {Money{sum, a.currency}};
}

MoneyResult Subtract(Money a, Money b) {
  if (a.currency != b.currency) return Failure(MoneyError::CurrencyMismatch);
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(a.minor, b.minor, &difference)) return Failure(MoneyError::Overflow);
  return {Money{difference, a.currency}};
}

MoneyResult MultiplyRounded(Money a, Decimal factor) {
  // The exact product has minor units at scale factor.scale; rounding it to
  // scale 0 is rounding to the minor unit. |int64 x int64| fits in 128 bits.
  __int128 product = static_cast<__int128>(a.minor) * factor.digits;
  __int128 divisor = 1;
  for (int i = 0; i < factor.scale; ++i) divisor *= 10;
  __int128 quotient = product / divisor;
  __int128 remainder = product % divisor;
  __int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  if (twice > divisor || (twice == divisor && quotient % 2 != 0)) quotient += product < 0 ? -1 : 1;
  if (quotient > INT64_MAX || quotient < INT64_MIN) return Failure(MoneyError::Overflow);
  return {Money{static_cast<std::int64_t>(quotient), a.currency}};
}

Decimal ToDecimal(Money money) { return Decimal{money.minor, ExponentOf(money.currency)}; }

std::string ToPlainString(Money money) {
  std::uint8_t exponent = ExponentOf(money.currency);
  bool negative = money.minor < 0;
  // Unsigned magnitude: -INT64_MIN does not fit in int64.
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(money.minor) : static_cast<std::uint64_t>(money.minor);
  std::uint64_t unit = 1;
  for (int i = 0; i < exponent; ++i) unit *= 10;
  std::string sign = negative ? "-" : "";
  if (exponent == 0) return fmt::format("{}{}", sign, magnitude);
  return fmt::format("{}{}.{:0{}}", sign, magnitude / unit, magnitude % unit, exponent);
}

std::string ToString(Money money) {
  return fmt::format("{} {}", ToPlainString(money), InfoOf(money.currency).code);
}

}  // namespace recoup::runtime
