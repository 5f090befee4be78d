#include "runtime/calendar.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace recoup::runtime {
namespace {

constexpr std::int64_t kDaysPerWeek = 7;

std::uint32_t WeekdayOf(std::int64_t days) {
  std::int64_t shifted = (days + 3) % kDaysPerWeek;  // 1970-01-01 was a Thursday
  return static_cast<std::uint32_t>(shifted < 0 ? shifted + kDaysPerWeek : shifted);
}

std::uint8_t ClampWeekendMask(std::uint8_t mask) {
  mask &= kWholeWeek;
  if (mask == kWholeWeek) mask &= static_cast<std::uint8_t>(~kMonday);
  return mask;
}

Date SaturatedDate(std::int64_t days) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int32_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
  return Date::FromDays(static_cast<std::int32_t>(std::clamp(days, kMin, kMax)));
}

}  // namespace

BusinessCalendar::BusinessCalendar(std::string name, std::uint8_t weekend_mask, std::vector<Date> holidays)
    : name_(std::move(name)), weekend_mask_(ClampWeekendMask(weekend_mask)), holidays_(std::move(holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
  for (Date holiday : holidays_) {
    if (!IsWeekend(holiday.days())) weekday_holidays_.push_back(holiday.days());
  }
}

BusinessCalendar BusinessCalendar::Weekends() {
  return BusinessCalendar("weekends", kSaturday | kSunday, {});
}

bool BusinessCalendar::IsValidWeekendMask(std::uint8_t weekend_mask) {
  return (weekend_mask & kWholeWeek) != kWholeWeek;
}

bool BusinessCalendar::IsWeekend(std::int64_t days) const {
  return (weekend_mask_ >> WeekdayOf(days)) & 1u;
}

bool BusinessCalendar::IsBusinessDay(Date date) const {
  return !IsWeekend(date.days()) &&
         !std::binary_search(weekday_holidays_.begin(), weekday_holidays_.end(), date.days());
}

std::int64_t BusinessCalendar::CountWeekdayHolidays(std::int64_t after, std::int64_t up_to) const {
  if (up_to <= after) return 0;
  auto begin = std::upper_bound(weekday_holidays_.begin(), weekday_holidays_.end(), after,
                                [](std::int64_t day, std::int32_t holiday) { return day < holiday; });
  auto end = std::upper_bound(weekday_holidays_.begin(), weekday_holidays_.end(), up_to,
                              [](std::int64_t day, std::int32_t holiday) { return day < holiday; });
  return end - begin;
}

std::int64_t BusinessCalendar::CountBusinessDaysAfter(Date from, Date to) const {
  std::int64_t after = from.days();
  std::int64_t up_to = to.days();
  if (up_to <= after) return 0;
  std::int64_t span = up_to - after;
  std::int64_t business_per_week = kDaysPerWeek - std::popcount(weekend_mask_);
  std::int64_t count = (span / kDaysPerWeek) * business_per_week;
  for (std::int64_t day = after + (span / kDaysPerWeek) * kDaysPerWeek + 1; day <= up_to; ++day) {
    if (!IsWeekend(day)) ++count;
  }
  return count - CountWeekdayHolidays(after, up_to);
}

Date BusinessCalendar::AddBusinessDays(Date date, std::int32_t count) const {
  if (count == 0) return NextBusinessDay(date);
  const std::int64_t business_per_week = kDaysPerWeek - std::popcount(weekend_mask_);  // >= 1
  const std::int64_t direction = count > 0 ? 1 : -1;
  std::int64_t remaining = count > 0 ? std::int64_t{count} : -std::int64_t{count};
  std::int64_t current = date.days();
  while (remaining > 0) {
    if (remaining > business_per_week + 1) {
      // Skip whole weeks: each holds business_per_week weekdays, less the
      // holidays among them. Leaves 1 .. business_per_week + holidays to go.
      std::int64_t weeks = (remaining - 1) / business_per_week;
      std::int64_t span = weeks * kDaysPerWeek;
      std::int64_t holidays = direction > 0 ? CountWeekdayHolidays(current, current + span)
                                            : CountWeekdayHolidays(current - span - 1, current - 1);
      remaining -= weeks * business_per_week - holidays;
      current += direction * span;
      continue;
    }
    current += direction;
    if (!IsWeekend(current) &&
        !std::binary_search(weekday_holidays_.begin(), weekday_holidays_.end(), current)) {
      --remaining;
    }
  }
  return SaturatedDate(current);
}

Date BusinessCalendar::NextBusinessDay(Date date) const {
  // Ends: at most six weekend days in a row, and finitely many holidays.
  std::int64_t current = date.days();
  while (IsWeekend(current) ||
         std::binary_search(weekday_holidays_.begin(), weekday_holidays_.end(), current)) {
    ++current;
  }
  return SaturatedDate(current);
}

}  // namespace recoup::runtime
