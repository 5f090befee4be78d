#include "runtime/date.h"

#include <fmt/format.h>

namespace recoup::runtime {
namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic
// Gregorian date (http://howardhinnant.github.io/date_algorithms.html).
constexpr std::int64_t DaysFromCivil(std::int64_t year, std::uint32_t month, std::uint32_t day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::uint32_t year_of_era = static_cast<std::uint32_t>(year - era * 400);             // [0, 399]
  const std::uint32_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const std::uint32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int32_t year;
  std::uint32_t month;
  std::uint32_t day;
};

// Howard Hinnant's civil_from_days, the inverse of DaysFromCivil.
constexpr Civil CivilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::uint32_t day_of_era = static_cast<std::uint32_t>(days - era * 146097);  // [0, 146096]
  const std::uint32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400;
  const std::uint32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::uint32_t shifted_month = (5 * day_of_year + 2) / 153;  // [0, 11], March = 0
  const std::uint32_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const std::uint32_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {static_cast<std::int32_t>(year + (month <= 2)), month, day};
}

constexpr bool IsLeapYear(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr std::uint32_t DaysInMonth(std::int64_t year, std::uint32_t month) {
  constexpr std::uint32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(11017).year == 2000 && CivilFromDays(11017).month == 3);

// Years whose every day fits in an int32 day count with a wide margin.
constexpr std::int32_t kMinYear = -1'000'000;
constexpr std::int32_t kMaxYear = 1'000'000;

}  // namespace

std::optional<Date> Date::FromCivil(std::int32_t year, std::uint32_t month, std::uint32_t day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return Date(static_cast<std::int32_t>(DaysFromCivil(year, month, day)));
}

std::optional<Date> Date::ParseIso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t begin, std::size_t length) -> std::optional<std::uint32_t> {
    std::uint32_t value = 0;
    for (std::size_t i = begin; i < begin + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint32_t>(text[i] - '0');
    }
    return value;
  };
  auto year = number(0, 4);
  auto month = number(5, 2);
  auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  return FromCivil(static_cast<std::int32_t>(*year), *month, *day);
}

std::int32_t Date::year() const { return CivilFromDays(days_).year; }
std::uint32_t Date::month() const { return CivilFromDays(days_).month; }
std::uint32_t Date::day() const { return CivilFromDays(days_).day; }

std::uint32_t Date::weekday() const {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  std::int64_t shifted = (static_cast<std::int64_t>(days_) + 3) % 7;
  return static_cast<std::uint32_t>(shifted < 0 ? shifted + 7 : shifted);
}

Date Date::EndOfMonth() const {
  Civil civil = CivilFromDays(days_);
  return Date(static_cast<std::int32_t>(DaysFromCivil(civil.year, civil.month, DaysInMonth(civil.year, civil.month))));
}

std::string Date::ToIso() const {
  Civil civil = CivilFromDays(days_);
  if (civil.year < 0) return fmt::format("-{:04}-{:02}-{:02}", -static_cast<std::int64_t>(civil.year), civil.month, civil.day);
  return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

}  // namespace recoup::runtime
