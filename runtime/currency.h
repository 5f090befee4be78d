// ISO 4217 currencies and their minor-unit exponents (JPY 0, USD 2, BHD 3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace recoup::runtime {

// Index into the built-in currency table; stable within one build.
using CurrencyId = std::uint16_t;

struct CurrencyInfo {
  std::string_view code;   // "USD"
  std::uint8_t exponent;   // digits after the decimal point
};

// Looks a code up (exact, upper case); nothing when unknown.
std::optional<CurrencyId> FindCurrency(std::string_view code);
const CurrencyInfo& InfoOf(CurrencyId id);

}  // namespace recoup::runtime
