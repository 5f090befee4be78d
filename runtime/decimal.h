// Exact fixed-point decimals for constant folding and literals: value is
// digits / 10^scale, scale at most 18. Every operation is checked; overflow
// or an inexact result is an error value, never a wrap-around or a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recoup::runtime {

// digits / 10^scale. Equality is of the representation (1.50 and 1.5
// differ); use Compare for values.
struct Decimal {
  std::int64_t digits = 0;
  std::uint8_t scale = 0;

  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// Why an operation has no exact answer. `Malformed` is only produced by
// ParseDecimal, for text that is not a decimal number.
enum class DecimalError : std::uint8_t { None, Overflow, DivisionByZero, Inexact, Malformed };

// The largest scale a Decimal may have: 10^18 still fits in int64.
inline constexpr std::uint8_t kMaxDecimalScale = 18;

// A value or the reason there is none; errors are values, never thrown.
struct DecimalResult {
  Decimal value;
  DecimalError error = DecimalError::None;
  bool ok() const { return error == DecimalError::None; }
};

// Parses "12", "12.50", "-0.5" (an optional '-', digits, optionally '.'
// and at least one digit) keeping the written scale; Malformed for anything
// else ("", ".5", "1.", "+1", "1e3"), Overflow when it does not fit in int64
// at its scale or needs more than 18 decimals after dropping trailing zeros.
DecimalResult ParseDecimal(std::string_view text);
// Exact sum at the larger of the two scales (12.50 + 1 = 13.50); trailing
// zeros are dropped only when that is what makes the result fit.
DecimalResult Add(Decimal a, Decimal b);
DecimalResult Subtract(Decimal a, Decimal b);
// Exact product, then reduced to the smallest scale that keeps it exact.
DecimalResult Multiply(Decimal a, Decimal b);
// Division to as many decimals as fit in int64, at most 18, rounded
// half-even at the last digit kept, then normalized (1 / 4 = 0.25,
// 2 / 3 = 0.666666666666666667); DivisionByZero when b is zero, Overflow
// when even the integer part does not fit.
DecimalResult Divide(Decimal a, Decimal b);
// -1, 0 or 1, comparing values (1.50 equals 1.5).
int Compare(Decimal a, Decimal b);
// Removes trailing zeros from the fraction: 12.50 -> 12.5.
Decimal Normalize(Decimal value);
// Rescales to exactly `scale` decimals (money to its currency's minor
// unit); Inexact when digits would be lost, Overflow when the result does
// not fit or `scale` is above 18.
DecimalResult Rescale(Decimal value, std::uint8_t scale);
// Rescales with half-even rounding (banker's rounding) when digits are
// lost: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2. Half-even has no bias up or down
// over many roundings, which matters when fees are summed over a ledger.
DecimalResult RoundHalfEven(Decimal value, std::uint8_t scale);
// "12.5", "-0.25", "3": the shortest exact spelling.
std::string ToString(Decimal value);

}  // namespace recoup::runtime
