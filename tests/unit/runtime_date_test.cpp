#include <catch2/catch.hpp>

#include "runtime/date.h"

namespace recoup::runtime {
namespace {

Date Iso(std::string_view text) {
  std::optional<Date> date = Date::ParseIso(text);
  REQUIRE(date.has_value());
  return *date;
}

TEST_CASE("The epoch and known day counts", "[runtime][date]") {
  CHECK(Iso("1970-01-01").days() == 0);
  CHECK(Iso("1969-12-31").days() == -1);
  CHECK(Iso("2000-03-01").days() == 11017);
  CHECK(Iso("2026-01-31") - Iso("2026-01-01") == 30);
  CHECK(Date().ToIso() == "1970-01-01");
}

TEST_CASE("Leap years follow the 4, 100 and 400 rules", "[runtime][date]") {
  CHECK(Date::FromCivil(2024, 2, 29).has_value());
  CHECK(Date::FromCivil(2000, 2, 29).has_value());   // divisible by 400
  CHECK_FALSE(Date::FromCivil(1900, 2, 29));          // divisible by 100 only
  CHECK_FALSE(Date::FromCivil(2026, 2, 29));
  CHECK_FALSE(Date::FromCivil(2100, 2, 29));
  CHECK(Iso("2025-01-01") - Iso("2024-01-01") == 366);
  CHECK(Iso("2001-01-01") - Iso("2000-01-01") == 366);
  CHECK(Iso("1901-01-01") - Iso("1900-01-01") == 365);
}

TEST_CASE("FromCivil rejects days that do not exist", "[runtime][date]") {
  CHECK_FALSE(Date::FromCivil(2026, 2, 30));
  CHECK_FALSE(Date::FromCivil(2026, 4, 31));
  CHECK_FALSE(Date::FromCivil(2026, 13, 1));
  CHECK_FALSE(Date::FromCivil(2026, 0, 1));
  CHECK_FALSE(Date::FromCivil(2026, 1, 0));
  CHECK(Date::FromCivil(2026, 12, 31).has_value());
}

TEST_CASE("ParseIso is strict", "[runtime][date]") {
  for (std::string_view text : {"2026-1-31", "2026-01-31 ", " 2026-01-31", "2026/01/31", "26-01-31",
                                "2026-01-3a", "+2026-01-31", "2026-02-30", "2026-00-10", "", "20260131"}) {
    INFO(text);
    CHECK_FALSE(Date::ParseIso(text));
  }
  Date date = Iso("2026-07-04");
  CHECK(date.year() == 2026);
  CHECK(date.month() == 7);
  CHECK(date.day() == 4);
}

TEST_CASE("Round trips through civil fields", "[runtime][date]") {
  for (std::int32_t days = -800000; days <= 800000; days += 997) {
    Date date = Date::FromDays(days);
    std::optional<Date> back = Date::FromCivil(date.year(), date.month(), date.day());
    REQUIRE(back.has_value());
    CHECK(back->days() == days);
  }
  CHECK(Iso("0001-01-01").ToIso() == "0001-01-01");
  CHECK(Iso("9999-12-31").ToIso() == "9999-12-31");
}

TEST_CASE("Weekday of known dates, Monday = 0", "[runtime][date]") {
  CHECK(Iso("1970-01-01").weekday() == 3);  // Thursday
  CHECK(Iso("2000-01-01").weekday() == 5);  // Saturday
  CHECK(Iso("2026-01-01").weekday() == 3);  // Thursday
  CHECK(Iso("2026-07-04").weekday() == 5);  // Saturday
  CHECK(Iso("2025-12-25").weekday() == 3);  // Thursday
  CHECK(Iso("1969-12-28").weekday() == 6);  // Sunday, before the epoch
  CHECK(Iso("1900-01-01").weekday() == 0);  // Monday
}

TEST_CASE("EndOfMonth", "[runtime][date]") {
  CHECK(Iso("2024-02-10").EndOfMonth() == Iso("2024-02-29"));
  CHECK(Iso("2026-02-01").EndOfMonth() == Iso("2026-02-28"));
  CHECK(Iso("2000-02-15").EndOfMonth() == Iso("2000-02-29"));
  CHECK(Iso("1900-02-15").EndOfMonth() == Iso("1900-02-28"));
  CHECK(Iso("2026-12-31").EndOfMonth() == Iso("2026-12-31"));
  CHECK(Iso("2026-04-01").EndOfMonth() == Iso("2026-04-30"));
}

TEST_CASE("Day arithmetic and ordering", "[runtime][date]") {
  CHECK(Iso("2026-01-31").AddDays(30) == Iso("2026-03-02"));
  CHECK(Iso("2024-03-01").AddDays(-1) == Iso("2024-02-29"));
  CHECK(Iso("2026-01-01") < Iso("2026-01-02"));
}

}  // namespace
}  // namespace recoup::runtime
