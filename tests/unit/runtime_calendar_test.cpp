#include <catch2/catch.hpp>

#include "runtime/calendar.h"

namespace recoup::runtime {
namespace {

Date Iso(std::string_view text) {
  std::optional<Date> date = Date::ParseIso(text);
  REQUIRE(date.has_value());
  return *date;
}

// The rule, the slow obvious way: step one day at a time.
Date NaiveAddBusinessDays(const BusinessCalendar& calendar, Date date, std::int32_t count) {
  if (count == 0) {
    while (!calendar.IsBusinessDay(date)) date = date.AddDays(1);
    return date;
  }
  std::int32_t step = count > 0 ? 1 : -1;
  for (std::int32_t remaining = count > 0 ? count : -count; remaining > 0;) {
    date = date.AddDays(step);
    if (calendar.IsBusinessDay(date)) --remaining;
  }
  return date;
}

TEST_CASE("Stepping across a weekend counts only business days", "[runtime][calendar]") {
  BusinessCalendar calendar = BusinessCalendar::Weekends();
  CHECK(calendar.name() == "weekends");
  CHECK(calendar.AddBusinessDays(Iso("2026-01-09"), 1) == Iso("2026-01-12"));   // Fri + 1 = Mon
  CHECK(calendar.AddBusinessDays(Iso("2026-01-10"), 1) == Iso("2026-01-12"));   // Sat + 1 = Mon
  CHECK(calendar.AddBusinessDays(Iso("2026-01-11"), 1) == Iso("2026-01-12"));   // Sun + 1 = Mon
  CHECK(calendar.AddBusinessDays(Iso("2026-01-09"), 5) == Iso("2026-01-16"));   // Fri + 5 = Fri
  CHECK(calendar.AddBusinessDays(Iso("2026-01-12"), 10) == Iso("2026-01-26"));  // two weeks
}

TEST_CASE("Count zero moves only a non-business day", "[runtime][calendar]") {
  BusinessCalendar calendar = BusinessCalendar::Weekends();
  CHECK(calendar.AddBusinessDays(Iso("2026-01-10"), 0) == Iso("2026-01-12"));  // Sat -> Mon
  CHECK(calendar.AddBusinessDays(Iso("2026-01-12"), 0) == Iso("2026-01-12"));  // Mon stays
  CHECK(calendar.NextBusinessDay(Iso("2026-01-11")) == Iso("2026-01-12"));
}

TEST_CASE("Negative counts step backward", "[runtime][calendar]") {
  BusinessCalendar calendar = BusinessCalendar::Weekends();
  CHECK(calendar.AddBusinessDays(Iso("2026-01-12"), -1) == Iso("2026-01-09"));   // Mon - 1 = Fri
  CHECK(calendar.AddBusinessDays(Iso("2026-01-10"), -1) == Iso("2026-01-09"));   // Sat - 1 = Fri
  CHECK(calendar.AddBusinessDays(Iso("2026-01-11"), -1) == Iso("2026-01-09"));   // Sun - 1 = Fri
  CHECK(calendar.AddBusinessDays(Iso("2026-01-16"), -5) == Iso("2026-01-09"));
  CHECK(calendar.AddBusinessDays(Iso("2026-01-26"), -10) == Iso("2026-01-12"));
}

TEST_CASE("A holiday on a Monday is skipped both ways", "[runtime][calendar]") {
  // 2026-01-19 is Martin Luther King Jr. Day, a Monday.
  BusinessCalendar calendar("us", kSaturday | kSunday, {Iso("2026-01-19")});
  CHECK_FALSE(calendar.IsBusinessDay(Iso("2026-01-19")));
  CHECK(calendar.AddBusinessDays(Iso("2026-01-16"), 1) == Iso("2026-01-20"));   // Fri + 1 = Tue
  CHECK(calendar.AddBusinessDays(Iso("2026-01-20"), -1) == Iso("2026-01-16"));  // Tue - 1 = Fri
  CHECK(calendar.AddBusinessDays(Iso("2026-01-17"), 0) == Iso("2026-01-20"));   // Sat -> Tue
  CHECK(calendar.AddBusinessDays(Iso("2026-01-12"), 5) == Iso("2026-01-20"));
  CHECK(calendar.CountBusinessDaysAfter(Iso("2026-01-16"), Iso("2026-01-23")) == 4);
}

TEST_CASE("Holidays are sorted and deduplicated", "[runtime][calendar]") {
  BusinessCalendar calendar("x", kSaturday | kSunday,
                            {Iso("2026-12-25"), Iso("2026-01-01"), Iso("2026-12-25"), Iso("2026-05-01")});
  REQUIRE(calendar.holidays().size() == 3);
  CHECK(calendar.holidays()[0] == Iso("2026-01-01"));
  CHECK(calendar.holidays()[1] == Iso("2026-05-01"));
  CHECK(calendar.holidays()[2] == Iso("2026-12-25"));
}

TEST_CASE("A whole-week weekend is invalid and clamped", "[runtime][calendar]") {
  CHECK_FALSE(BusinessCalendar::IsValidWeekendMask(kWholeWeek));
  CHECK(BusinessCalendar::IsValidWeekendMask(kSaturday | kSunday));
  CHECK(BusinessCalendar::IsValidWeekendMask(0));
  BusinessCalendar calendar("never", kWholeWeek, {});
  CHECK(calendar.weekend_mask() == (kWholeWeek & ~kMonday));
  // Only Mondays remain: this terminates and lands on Mondays.
  Date result = calendar.AddBusinessDays(Iso("2026-01-07"), 3);  // a Wednesday
  CHECK(result == Iso("2026-01-26"));
  CHECK(result.weekday() == 0);
  CHECK(calendar.AddBusinessDays(Iso("2026-01-07"), -1) == Iso("2026-01-05"));
}

TEST_CASE("A year of holidays is crossed, not looped on", "[runtime][calendar]") {
  std::vector<Date> every_day;
  for (Date day = Iso("2026-01-01"); day <= Iso("2026-12-31"); day = day.AddDays(1)) every_day.push_back(day);
  BusinessCalendar calendar("closed-2026", kSaturday | kSunday, every_day);
  CHECK(calendar.AddBusinessDays(Iso("2025-12-31"), 1) == Iso("2027-01-01"));
  CHECK(calendar.AddBusinessDays(Iso("2027-01-01"), -1) == Iso("2025-12-31"));
  CHECK(calendar.NextBusinessDay(Iso("2026-03-03")) == Iso("2027-01-01"));
  CHECK(calendar.AddBusinessDays(Iso("2025-12-01"), 30) == NaiveAddBusinessDays(calendar, Iso("2025-12-01"), 30));
}

TEST_CASE("Huge counts are fast and saturate instead of overflowing", "[runtime][calendar]") {
  BusinessCalendar calendar = BusinessCalendar::Weekends();
  Date start = Iso("2026-01-05");
  Date later = calendar.AddBusinessDays(start, 1'000'000);
  CHECK(calendar.IsBusinessDay(later));
  CHECK(calendar.CountBusinessDaysAfter(start, later) == 1'000'000);
  CHECK(calendar.AddBusinessDays(later, -1'000'000) == start);
  Date far = calendar.AddBusinessDays(start, INT32_MAX);
  CHECK(far.days() == INT32_MAX);
}

TEST_CASE("Fast stepping agrees with day-by-day stepping", "[runtime][calendar]") {
  std::vector<Date> holidays;
  for (std::int32_t i = 0; i < 60; ++i) holidays.push_back(Iso("2026-01-01").AddDays((i * i * 7 + i * 3) % 400));
  // Runs of consecutive holidays, including across a weekend.
  for (std::int32_t i = 0; i < 12; ++i) holidays.push_back(Iso("2026-07-01").AddDays(i));
  std::uint8_t masks[] = {kSaturday | kSunday, 0, kSunday, static_cast<std::uint8_t>((1u << 4) | kSaturday),
                          static_cast<std::uint8_t>(kWholeWeek & ~(1u << 2)), kWholeWeek};
  for (std::uint8_t mask : masks) {
    BusinessCalendar calendar("test", mask, holidays);
    for (std::int32_t offset = -10; offset < 420; offset += 3) {
      Date start = Iso("2026-01-01").AddDays(offset);
      for (std::int32_t count : {-130, -41, -9, -6, -2, -1, 0, 1, 2, 5, 6, 7, 8, 13, 40, 131}) {
        INFO("mask " << int(mask) << " start " << start.ToIso() << " count " << count);
        Date fast = calendar.AddBusinessDays(start, count);
        REQUIRE(fast == NaiveAddBusinessDays(calendar, start, count));
        if (count > 0) CHECK(calendar.CountBusinessDaysAfter(start, fast) == count);
      }
    }
  }
}

}  // namespace
}  // namespace recoup::runtime
