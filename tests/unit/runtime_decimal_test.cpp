#include <catch2/catch.hpp>

#include "runtime/decimal.h"

namespace recoup::runtime {
namespace {

Decimal D(std::string_view text) {
  DecimalResult result = ParseDecimal(text);
  REQUIRE(result.ok());
  return result.value;
}

TEST_CASE("ParseDecimal keeps the written scale", "[runtime][decimal]") {
  CHECK(D("12") == Decimal{12, 0});
  CHECK(D("12.50") == Decimal{1250, 2});
  CHECK(D("-0.5") == Decimal{-5, 1});
  CHECK(D("0") == Decimal{0, 0});
  CHECK(D("9223372036854775807") == Decimal{INT64_MAX, 0});
  CHECK(D("-9223372036854775808") == Decimal{INT64_MIN, 0});
  CHECK(D("0.000000000000000001") == Decimal{1, 18});
  // Trailing zeros past 18 decimals carry nothing and are dropped.
  CHECK(D("1.50000000000000000000") == Decimal{1'500'000'000'000'000'000, 18});
}

TEST_CASE("ParseDecimal rejects malformed text and overflow", "[runtime][decimal]") {
  for (std::string_view text : {"", "-", ".5", "1.", "+1", "1e3", "1,5", " 1", "1 ", "--1", "1.2.3", "abc"}) {
    INFO(text);
    CHECK(ParseDecimal(text).error == DecimalError::Malformed);
  }
  CHECK(ParseDecimal("9223372036854775808").error == DecimalError::Overflow);
  CHECK(ParseDecimal("99999999999999999999999999999999999999999999").error == DecimalError::Overflow);
  CHECK(ParseDecimal("0.0000000000000000001").error == DecimalError::Overflow);
  CHECK(ParseDecimal("92233720368547758.08").error == DecimalError::Overflow);
}

TEST_CASE("Add and Subtract are exact at the larger scale", "[runtime][decimal]") {
  CHECK(Add(D("12.50"), D("1")).value == Decimal{1350, 2});
  CHECK(Subtract(D("0.1"), D("0.25")).value == Decimal{-15, 2});
  CHECK(Add(D("9223372036854775807"), D("1")).error == DecimalError::Overflow);
  CHECK(Subtract(D("-9223372036854775808"), D("1")).error == DecimalError::Overflow);
  // The sum needs scale 18 only for zeros: it is narrowed instead of failing.
  DecimalResult sum = Add(D("100"), D("0.000000000000000000"));
  REQUIRE(sum.ok());
  CHECK(Compare(sum.value, D("100")) == 0);
}

TEST_CASE("Multiply is exact and reduced", "[runtime][decimal]") {
  CHECK(Multiply(D("1.5"), D("2")).value == Decimal{3, 0});
  CHECK(Multiply(D("0.02"), D("1250.00")).value == Decimal{25, 0});
  CHECK(Multiply(D("-0.5"), D("0.5")).value == Decimal{-25, 2});
  CHECK(Multiply(D("4294967296"), D("4294967296")).error == DecimalError::Overflow);
  CHECK(Multiply(D("0.000000001"), D("0.0000000001")).error == DecimalError::Inexact);
}

TEST_CASE("Divide rounds half-even at the last digit kept", "[runtime][decimal]") {
  CHECK(Divide(D("1"), D("4")).value == Decimal{25, 2});
  CHECK(Divide(D("10"), D("2")).value == Decimal{5, 0});
  CHECK(ToString(Divide(D("2"), D("3")).value) == "0.666666666666666667");
  CHECK(ToString(Divide(D("-2"), D("3")).value) == "-0.666666666666666667");
  CHECK(ToString(Divide(D("1"), D("3")).value) == "0.333333333333333333");
  // Large quotients keep fewer decimals, still rounded.
  CHECK(ToString(Divide(D("1000000000000"), D("3")).value) == "333333333333.3333333");
  CHECK(Divide(D("1"), D("0")).error == DecimalError::DivisionByZero);
  CHECK(Divide(D("9223372036854775807"), D("0.1")).error == DecimalError::Overflow);
  CHECK(Divide(D("-9223372036854775808"), D("1")).value == Decimal{INT64_MIN, 0});
}

TEST_CASE("Compare, Normalize and ToString", "[runtime][decimal]") {
  CHECK(Compare(D("1.50"), D("1.5")) == 0);
  CHECK(Compare(D("-1"), D("0.001")) == -1);
  CHECK(Compare(D("9223372036854775807"), D("0.000000000000000001")) == 1);
  CHECK(Normalize(D("12.50")) == Decimal{125, 1});
  CHECK(Normalize(D("0.000")) == Decimal{0, 0});
  CHECK(ToString(D("12.50")) == "12.5");
  CHECK(ToString(D("-0.25")) == "-0.25");
  CHECK(ToString(D("3")) == "3");
  CHECK(ToString(D("0.05")) == "0.05");
  CHECK(ToString(D("-9223372036854775808")) == "-9223372036854775808");
  CHECK(ToString(Decimal{INT64_MIN, 18}) == "-9.223372036854775808");
}

TEST_CASE("Rescale is exact or fails", "[runtime][decimal]") {
  CHECK(Rescale(D("1.5"), 2).value == Decimal{150, 2});
  CHECK(Rescale(D("1.230"), 2).value == Decimal{123, 2});
  CHECK(Rescale(D("1.234"), 2).error == DecimalError::Inexact);
  CHECK(Rescale(D("9223372036854775807"), 1).error == DecimalError::Overflow);
  CHECK(Rescale(D("1"), 19).error == DecimalError::Overflow);
}

TEST_CASE("RoundHalfEven rounds ties to the even neighbour", "[runtime][decimal]") {
  CHECK(RoundHalfEven(D("2.5"), 0).value == Decimal{2, 0});
  CHECK(RoundHalfEven(D("3.5"), 0).value == Decimal{4, 0});
  CHECK(RoundHalfEven(D("-2.5"), 0).value == Decimal{-2, 0});
  CHECK(RoundHalfEven(D("-3.5"), 0).value == Decimal{-4, 0});
  CHECK(RoundHalfEven(D("2.51"), 0).value == Decimal{3, 0});
  CHECK(RoundHalfEven(D("2.49"), 0).value == Decimal{2, 0});
  CHECK(RoundHalfEven(D("0.125"), 2).value == Decimal{12, 2});
  CHECK(RoundHalfEven(D("0.135"), 2).value == Decimal{14, 2});
  CHECK(RoundHalfEven(D("-0.0051"), 2).value == Decimal{-1, 2});
  CHECK(RoundHalfEven(D("1.5"), 3).value == Decimal{1500, 3});
}

}  // namespace
}  // namespace recoup::runtime
