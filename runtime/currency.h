// ISO 4217 currencies and their minor-unit exponents (JPY 0, USD 2, BHD 3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace recoup::runtime {

// Index into the built-in currency table; stable within one build.
using CurrencyId = std::uint16_t;

// One row of the ISO 4217 table: what money needs to scale and print.
struct CurrencyInfo {
  std::string_view code;   // "USD"
  std::uint8_t exponent;   // digits after the decimal point
};

// Looks a code up (exact, upper case); nothing when unknown. The parser
// uses it to reject `12 USX` (E0007) and the ledger loader for each row.
std::optional<CurrencyId> FindCurrency(std::string_view code);
// The code and exponent behind an id, to print money and scale amounts.
// `id` must come from FindCurrency (an out-of-range id is a bug and throws).
const CurrencyInfo& InfoOf(CurrencyId id);
// How many currencies the table holds: ids are 0 .. CurrencyCount() - 1,
// in code order. Lets tests and documentation walk the whole table.
std::size_t CurrencyCount();

}  // namespace recoup::runtime
