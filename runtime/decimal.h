// Exact fixed-point decimals for constant folding and literals: value is
// digits / 10^scale, scale at most 18. Every operation is checked; overflow
// or an inexact result is an error value, never a wrap-around or a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recoup::runtime {

struct Decimal {
  std::int64_t digits = 0;
  std::uint8_t scale = 0;

  friend bool operator==(const Decimal&, const Decimal&) = default;
};

enum class DecimalError : std::uint8_t { None, Overflow, DivisionByZero, Inexact };

struct DecimalResult {
  Decimal value;
  DecimalError error = DecimalError::None;
  bool ok() const { return error == DecimalError::None; }
};

// Parses "12", "12.50", "-0.5"; nothing for malformed text, Overflow when
// it does not fit in int64 at its scale.
DecimalResult ParseDecimal(std::string_view text);
DecimalResult Add(Decimal a, Decimal b);
DecimalResult Subtract(Decimal a, Decimal b);
// Exact product, then reduced to the smallest scale that keeps it exact.
DecimalResult Multiply(Decimal a, Decimal b);
// Division to at most 18 decimals, rounded half-even at the last digit;
// DivisionByZero when b is zero.
DecimalResult Divide(Decimal a, Decimal b);
// -1, 0 or 1.
int Compare(Decimal a, Decimal b);
// Removes trailing zeros from the fraction: 12.50 -> 12.5.
Decimal Normalize(Decimal value);
// Rescales to exactly `scale` decimals; Inexact when digits would be lost.
DecimalResult Rescale(Decimal value, std::uint8_t scale);
// Rescales with half-even rounding (banker's rounding) when digits are lost.
DecimalResult RoundHalfEven(Decimal value, std::uint8_t scale);
// "12.5", "-0.25", "3": the shortest exact spelling.
std::string ToString(Decimal value);

}  // namespace recoup::runtime
