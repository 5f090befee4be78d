// Money: integer minor units of one currency, with checked arithmetic.
// No floating point ever touches a balance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/currency.h"
#include "runtime/decimal.h"

namespace recoup::runtime {

// An amount of one currency. The default is 0 of the currency with id 0;
// equality compares minor units and currency (1.00 USD != 1.00 EUR).
struct Money {
  std::int64_t minor = 0;   // cents for USD, yen for JPY, fils for BHD
  CurrencyId currency = 0;

  friend bool operator==(const Money&, const Money&) = default;
};

// Why an operation on money has no exact answer.
enum class MoneyError : std::uint8_t { None, Overflow, CurrencyMismatch, TooManyDecimals };

// A value or the reason there is none; errors are values, never thrown.
struct MoneyResult {
  Money value;
  MoneyError error = MoneyError::None;
  bool ok() const { return error == MoneyError::None; }
};

// From a decimal amount; TooManyDecimals when the currency has fewer
// decimals than the amount needs (never rounded).
MoneyResult MoneyFromDecimal(Decimal amount, CurrencyId currency);
// Exact sum or difference; CurrencyMismatch across currencies, Overflow
// past int64 minor units.
MoneyResult Add(Money a, Money b);
MoneyResult Subtract(Money a, Money b);
// a x factor, rounded half-even to the minor unit (fees: 2% of balance,
// a percentage being passed as the decimal 0.02). Half-even: 0.5 cent
// rounds to the even cent, so 2.5 -> 2, 3.5 -> 4, -2.5 -> -2. Overflow when
// the rounded result does not fit in int64.
MoneyResult MultiplyRounded(Money a, Decimal factor);
// The exact decimal value at the currency's exponent (12.50 USD -> 12.50).
Decimal ToDecimal(Money money);
// "1234.50 USD": always the currency's exponent, for people.
std::string ToString(Money money);
// "1234.50" (no currency), for JSON and CSV.
std::string ToPlainString(Money money);

}  // namespace recoup::runtime
