#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "runtime/currency.h"

namespace recoup::runtime {
namespace {

std::uint8_t ExponentOf(std::string_view code) {
  std::optional<CurrencyId> id = FindCurrency(code);
  REQUIRE(id.has_value());
  CHECK(InfoOf(*id).code == code);
  return InfoOf(*id).exponent;
}

TEST_CASE("Common currencies have two decimals", "[runtime][currency]") {
  for (std::string_view code : {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "INR",
                                "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "TRY",
                                "ILS", "AED", "SAR", "THB", "MYR", "IDR", "PHP", "TWD", "ARS", "COP", "PEN",
                                "EGP", "NGN", "KES", "MAD", "PKR", "BDT", "UAH", "RUB"}) {
    INFO(code);
    CHECK(ExponentOf(code) == 2);
  }
}

TEST_CASE("Currencies with zero, three and four decimals", "[runtime][currency]") {
  for (std::string_view code : {"JPY", "KRW", "CLP", "ISK", "VND", "XAF", "XOF", "PYG", "UGX"}) {
    INFO(code);
    CHECK(ExponentOf(code) == 0);
  }
  for (std::string_view code : {"BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"}) {
    INFO(code);
    CHECK(ExponentOf(code) == 3);
  }
  CHECK(ExponentOf("CLF") == 4);
}

TEST_CASE("Unknown or misspelled codes are not found", "[runtime][currency]") {
  for (std::string_view code : {"usd", "US", "USDD", "", "XXX", "ABC", "AAA", "ZZZ", "XAU"}) {
    INFO(code);
    CHECK_FALSE(FindCurrency(code));
  }
}

TEST_CASE("The table is sorted, unique, and ids are stable indices", "[runtime][currency]") {
  REQUIRE(CurrencyCount() > 150);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < CurrencyCount(); ++i) {
    const CurrencyInfo& info = InfoOf(static_cast<CurrencyId>(i));
    CHECK(info.code.size() == 3);
    CHECK(info.exponent <= 4);
    if (i > 0) CHECK(InfoOf(static_cast<CurrencyId>(i - 1)).code < info.code);
    CHECK(seen.insert(info.code).second);
    CHECK(FindCurrency(info.code) == std::optional<CurrencyId>(static_cast<CurrencyId>(i)));
  }
}

}  // namespace
}  // namespace recoup::runtime
