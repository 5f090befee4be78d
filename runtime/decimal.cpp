#include "runtime/decimal.h"

#include <limits>

namespace recoup::runtime {
namespace {

using Wide = __int128;

constexpr Wide kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr Wide kInt64Max = std::numeric_limits<std::int64_t>::max();

// 10^exponent for exponent 0..36; 10^36 < 2^127.
constexpr Wide Pow10(int exponent) {
  Wide result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

bool FitsInt64(Wide value) { return value >= kInt64Min && value <= kInt64Max; }

DecimalResult Failure(DecimalError error) { return {Decimal{}, error}; }

// A wide result at `scale`: kept when it fits, otherwise trailing zeros are
// dropped (exactly) until it fits; Overflow when it never does.
DecimalResult Narrow(Wide digits, int scale) {
  while (!FitsInt64(digits) && scale > 0 && digits % 10 == 0) {
    digits /= 10;
    --scale;
  }
  if (!FitsInt64(digits) || scale > kMaxDecimalScale) return Failure(DecimalError::Overflow);
  return {Decimal{static_cast<std::int64_t>(digits), static_cast<std::uint8_t>(scale)}};
}

// Divides by 10^drop, rounding the quotient half-even.
Wide DivideRoundHalfEven(Wide value, int drop) {
  if (drop == 0) return value;
  Wide divisor = Pow10(drop);
  Wide quotient = value / divisor;  // truncates toward zero
  Wide remainder = value % divisor;
  Wide magnitude = remainder < 0 ? -remainder : remainder;
  Wide twice = magnitude * 2;
  bool away = twice > divisor || (twice == divisor && quotient % 2 != 0);
  if (away) quotient += value < 0 ? -1 : 1;
  return quotient;
}

// Both operands at the larger scale, exactly, in 128 bits.
struct Aligned {
  Wide a;
  Wide b;
  int scale;
};

Aligned Align(Decimal a, Decimal b) {
  int scale = a.scale > b.scale ? a.scale : b.scale;
  return {Wide(a.digits) * Pow10(scale - a.scale), Wide(b.digits) * Pow10(scale - b.scale), scale};
}

}  // namespace

DecimalResult ParseDecimal(std::string_view text) {
  std::size_t position = 0;
  bool negative = false;
  if (position < text.size() && text[position] == '-') {
    negative = true;
    ++position;
  }
  Wide digits = 0;
  int integer_digits = 0;
  int scale = 0;
  bool overflow = false;
  auto take_digit = [&](char c) {
    // Stop accumulating once far beyond int64; the verdict is Overflow anyway.
    if (digits > Pow10(36)) overflow = true;
    else digits = digits * 10 + (c - '0');
  };
  while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
    take_digit(text[position++]);
    ++integer_digits;
  }
  if (integer_digits == 0) return Failure(DecimalError::Malformed);
  if (position < text.size() && text[position] == '.') {
    ++position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      take_digit(text[position++]);
      ++scale;
    }
    if (scale == 0) return Failure(DecimalError::Malformed);
  }
  if (position != text.size()) return Failure(DecimalError::Malformed);
  if (overflow || scale > 36) return Failure(DecimalError::Overflow);
  if (negative) digits = -digits;
  // Trailing zeros beyond 18 decimals carry no information; drop them.
  while (scale > kMaxDecimalScale && digits % 10 == 0) {
    digits /= 10;
    --scale;
  }
  return Narrow(digits, scale);
}

DecimalResult Add(Decimal a, Decimal b) {
  Aligned aligned = Align(a, b);
  return Narrow(aligned.a + aligned.b, aligned.scale);
}

DecimalResult Subtract(Decimal a, Decimal b) {
  Aligned aligned = Align(a, b);
  return Narrow(aligned.a - aligned.b, aligned.scale);
}

DecimalResult Multiply(Decimal a, Decimal b) {
  // |int64 x int64| < 2^126: the exact product always fits in 128 bits.
  Wide product = Wide(a.digits) * Wide(b.digits);
  int scale = a.scale + b.scale;
  while (scale > 0 && product % 10 == 0) {
    product /= 10;
    --scale;
  }
  if (scale > kMaxDecimalScale) return Failure(DecimalError::Inexact);
  return Narrow(product, scale);
}

DecimalResult Divide(Decimal a, Decimal b) {
  if (b.digits == 0) return Failure(DecimalError::DivisionByZero);
  // a / b = (a.digits * 10^b.scale) / (b.digits * 10^a.scale); both fit in
  // 128 bits, and so does every remainder times 10 in the long division.
  Wide numerator = Wide(a.digits) * Pow10(b.scale);
  Wide denominator = Wide(b.digits) * Pow10(a.scale);
  bool negative = (numerator < 0) != (denominator < 0);
  if (numerator < 0) numerator = -numerator;
  if (denominator < 0) denominator = -denominator;

  Wide quotient = numerator / denominator;
  Wide remainder = numerator % denominator;
  if (quotient > kInt64Max + (negative ? 1 : 0)) return Failure(DecimalError::Overflow);
  int scale = 0;
  while (remainder != 0 && scale < kMaxDecimalScale) {
    Wide next_remainder = remainder * 10;
    Wide next = quotient * 10 + next_remainder / denominator;
    if (next > kInt64Max) break;  // one more digit would not fit
    quotient = next;
    remainder = next_remainder % denominator;
    ++scale;
  }
  Wide twice = remainder * 2;
  if (twice > denominator || (twice == denominator && quotient % 2 != 0)) ++quotient;
  if (negative) quotient = -quotient;
  DecimalResult result = Narrow(quotient, scale);
  if (result.ok()) result.value = Normalize(result.value);
  return result;
}

int Compare(Decimal a, Decimal b) {
  Aligned aligned = Align(a, b);
  return aligned.a < aligned.b ? -1 : (aligned.a > aligned.b ? 1 : 0);
}

Decimal Normalize(Decimal value) {
  if (value.digits == 0) return Decimal{0, 0};
  while (value.scale > 0 && value.digits % 10 == 0) {
    value.digits /= 10;
    --value.scale;
  }
  return value;
}

DecimalResult Rescale(Decimal value, std::uint8_t scale) {
  if (scale > kMaxDecimalScale) return Failure(DecimalError::Overflow);
  if (scale >= value.scale) {
    Wide digits = Wide(value.digits) * Pow10(scale - value.scale);
    if (!FitsInt64(digits)) return Failure(DecimalError::Overflow);
    return {Decimal{static_cast<std::int64_t>(digits), scale}};
  }
  Wide divisor = Pow10(value.scale - scale);
  if (Wide(value.digits) % divisor != 0) return Failure(DecimalError::Inexact);
  return {Decimal{static_cast<std::int64_t>(Wide(value.digits) / divisor), scale}};
}

DecimalResult RoundHalfEven(Decimal value, std::uint8_t scale) {
  if (scale >= value.scale) return Rescale(value, scale);
  Wide digits = DivideRoundHalfEven(value.digits, value.scale - scale);
  return {Decimal{static_cast<std::int64_t>(digits), scale}};
}

std::string ToString(Decimal value) {
  value = Normalize(value);
  Wide digits = value.digits;
  bool negative = digits < 0;
  if (negative) digits = -digits;
  std::string reversed;
  int position = 0;
  while (digits != 0 || position <= value.scale) {
    if (position == value.scale && value.scale > 0) reversed.push_back('.');
    reversed.push_back(static_cast<char>('0' + static_cast<int>(digits % 10)));
    digits /= 10;
    ++position;
  }
  if (negative) reversed.push_back('-');
  return std::string(reversed.rbegin(), reversed.rend());
}

}  // namespace recoup::runtime
