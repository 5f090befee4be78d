#include <catch2/catch.hpp>

#include "runtime/money.h"

namespace recoup::runtime {
namespace {

CurrencyId Currency(std::string_view code) {
  std::optional<CurrencyId> id = FindCurrency(code);
  REQUIRE(id.has_value());
  return *id;
}

Decimal D(std::string_view text) {
  DecimalResult result = ParseDecimal(text);
  REQUIRE(result.ok());
  return result.value;
}

Money Amount(std::string_view text, std::string_view code) {
  MoneyResult result = MoneyFromDecimal(D(text), Currency(code));
  REQUIRE(result.ok());
  return result.value;
}

TEST_CASE("Decimal amounts become minor units of their currency", "[runtime][money]") {
  CHECK(Amount("12.50", "USD").minor == 1250);
  CHECK(Amount("12.5", "USD").minor == 1250);
  CHECK(Amount("12", "USD").minor == 1200);
  CHECK(Amount("1000", "JPY").minor == 1000);
  CHECK(Amount("1.234", "BHD").minor == 1234);
  CHECK(Amount("0.0001", "CLF").minor == 1);
  CHECK(Amount("1.230", "USD").minor == 123);  // trailing zero is not a decimal too many
}

TEST_CASE("Amounts with more decimals than the currency are never rounded", "[runtime][money]") {
  CHECK(MoneyFromDecimal(D("1.234"), Currency("USD")).error == MoneyError::TooManyDecimals);
  CHECK(MoneyFromDecimal(D("0.5"), Currency("JPY")).error == MoneyError::TooManyDecimals);
  CHECK(MoneyFromDecimal(D("1.2345"), Currency("BHD")).error == MoneyError::TooManyDecimals);
  CHECK(MoneyFromDecimal(D("92233720368547758.07"), Currency("BHD")).error == MoneyError::Overflow);
}

TEST_CASE("Checked addition and subtraction", "[runtime][money]") {
  Money a = Amount("10.25", "USD");
  Money b = Amount("0.80", "USD");
  CHECK(Add(a, b).value == Amount("11.05", "USD"));
  CHECK(Subtract(b, a).value == Amount("-9.45", "USD"));
  CHECK(Add(a, Amount("1", "EUR")).error == MoneyError::CurrencyMismatch);
  CHECK(Subtract(a, Amount("1", "EUR")).error == MoneyError::CurrencyMismatch);
  Money largest{INT64_MAX, Currency("USD")};
  Money smallest{INT64_MIN, Currency("USD")};
  CHECK(Add(largest, Money{1, Currency("USD")}).error == MoneyError::Overflow);
  CHECK(Subtract(smallest, Money{1, Currency("USD")}).error == MoneyError::Overflow);
}

TEST_CASE("MultiplyRounded rounds half-even to the minor unit", "[runtime][money]") {
  CurrencyId usd = Currency("USD");
  CHECK(MultiplyRounded(Money{25, usd}, D("0.1")).value.minor == 2);    // 2.5 -> 2
  CHECK(MultiplyRounded(Money{35, usd}, D("0.1")).value.minor == 4);    // 3.5 -> 4
  CHECK(MultiplyRounded(Money{-25, usd}, D("0.1")).value.minor == -2);  // -2.5 -> -2
  CHECK(MultiplyRounded(Money{-35, usd}, D("0.1")).value.minor == -4);
  CHECK(MultiplyRounded(Money{26, usd}, D("0.1")).value.minor == 3);
  // 2% of 1234.56 USD = 24.6912 -> 24.69
  CHECK(MultiplyRounded(Amount("1234.56", "USD"), D("0.02")).value == Amount("24.69", "USD"));
  // 2% of 1000 JPY = 20 yen exactly; 1.5% of 1001 JPY = 15.015 -> 15
  CHECK(MultiplyRounded(Amount("1000", "JPY"), D("0.02")).value.minor == 20);
  CHECK(MultiplyRounded(Amount("1001", "JPY"), D("0.015")).value.minor == 15);
  CHECK(MultiplyRounded(Money{INT64_MAX, usd}, D("2")).error == MoneyError::Overflow);
  CHECK(MultiplyRounded(Money{INT64_MAX, usd}, D("0.5")).ok());
}

TEST_CASE("Money prints with exactly its currency's decimals", "[runtime][money]") {
  CHECK(ToString(Amount("1234.5", "USD")) == "1234.50 USD");
  CHECK(ToPlainString(Amount("1234.5", "USD")) == "1234.50");
  CHECK(ToString(Amount("-0.05", "EUR")) == "-0.05 EUR");
  CHECK(ToString(Amount("1000", "JPY")) == "1000 JPY");
  CHECK(ToString(Amount("1.5", "BHD")) == "1.500 BHD");
  CHECK(ToString(Amount("0", "CLF")) == "0.0000 CLF");
  CHECK(ToPlainString(Money{INT64_MIN, Currency("USD")}) == "-92233720368547758.08");
  CHECK(ToDecimal(Amount("12.5", "USD")) == Decimal{1250, 2});
}

}  // namespace
}  // namespace recoup::runtime
