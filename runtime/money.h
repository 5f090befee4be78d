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

struct Money {
  std::int64_t minor = 0;   // cents for USD, yen for JPY, fils for BHD
  CurrencyId currency = 0;

  friend bool operator==(const Money&, const Money&) = default;
};

enum class MoneyError : std::uint8_t { None, Overflow, CurrencyMismatch, TooManyDecimals };

struct MoneyResult {
  Money value;
  MoneyError error = MoneyError::None;
  bool ok() const { return error == MoneyError::None; }
};

// From a decimal amount; TooManyDecimals when the currency has fewer
// decimals than the amount needs (never rounded).
MoneyResult MoneyFromDecimal(Decimal amount, CurrencyId currency);
MoneyResult Add(Money a, Money b);
MoneyResult Subtract(Money a, Money b);
// a x factor, rounded half-even to the minor unit (fees: 2% of balance).
MoneyResult MultiplyRounded(Money a, Decimal factor);
Decimal ToDecimal(Money money);
// "1234.50 USD"
std::string ToString(Money money);
// "1234.50" (no currency), for JSON and CSV.
std::string ToPlainString(Money money);

}  // namespace recoup::runtime
