// Business-day calendars: weekend days plus listed holidays.
//
// The business-day rule (what `at due + 10bd` means):
//
// - Stepping `n` business days from a date counts only business days: the
//   result is the n-th business day strictly after the date (n > 0) or
//   strictly before it (n < 0). The start date itself never counts, whether
//   or not it is a business day, so Friday + 1bd = Monday, Saturday + 1bd =
//   Monday, Monday - 1bd = Friday, and Sunday - 1bd = Friday.
// - Stepping 0 business days from a business day stays on it; from a
//   non-business day it moves forward to the next business day (a step due
//   "on" a Saturday happens on Monday).
// - A weekend mask naming all seven days would leave no business day at
//   all. The checker rejects such a calendar (E0114 InvalidCalendar) and
//   the constructor clamps it: Monday is made a business day again, so no
//   search can loop forever. Bits above bit 6 are ignored.
// - Cost: O(h + 7) day steps plus O(log h) searches, h the number of
//   holidays, whatever n is: whole weeks are skipped at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/date.h"

namespace recoup::runtime {

// Weekend-mask bits for the day names of a `calendar` block.
inline constexpr std::uint8_t kMonday = 1u << 0;
inline constexpr std::uint8_t kSaturday = 1u << 5;
inline constexpr std::uint8_t kSunday = 1u << 6;
// All seven days: a mask that leaves no business day.
inline constexpr std::uint8_t kWholeWeek = 0x7F;

// A named set of non-business days, immutable once built, shared by the
// checker (to resolve `calendar NAME`), the interpreter and the JIT.
class BusinessCalendar {
 public:
  // `weekend_mask` bit i set = weekday i (0 Monday .. 6 Sunday) is not a
  // business day. Holidays may come in any order and repeat; they are
  // sorted and deduplicated here. A whole-week mask is clamped (see above).
  BusinessCalendar(std::string name, std::uint8_t weekend_mask, std::vector<Date> holidays);
  // Saturday and Sunday, no holidays: the built-in `weekends` calendar.
  static BusinessCalendar Weekends();
  // False for a mask that names all seven days; the checker reports E0114.
  static bool IsValidWeekendMask(std::uint8_t weekend_mask);

  // The name written after `calendar`, for diagnostics and reports.
  const std::string& name() const { return name_; }
  std::uint8_t weekend_mask() const { return weekend_mask_; }
  const std::vector<Date>& holidays() const { return holidays_; }  // sorted, unique

  // Neither a weekend day nor a listed holiday.
  bool IsBusinessDay(Date date) const;
  // Moves `count` business days forward (count > 0) or backward (count < 0)
  // by the rule at the top of this file. Results outside the range of Date
  // saturate at its ends; the checker bounds durations well inside it.
  Date AddBusinessDays(Date date, std::int32_t count) const;
  // The first business day on or after `date`.
  Date NextBusinessDay(Date date) const;
  // Business days in (from, to]: how far `to` is from `from` in business
  // days; 0 when to <= from. Used for whole-week skipping and by reports.
  std::int64_t CountBusinessDaysAfter(Date from, Date to) const;

 private:
  bool IsWeekend(std::int64_t days) const;
  // Holidays that fall on a weekday that is not already a weekend day.
  std::int64_t CountWeekdayHolidays(std::int64_t after, std::int64_t up_to) const;

  std::string name_;
  std::uint8_t weekend_mask_;
  std::vector<Date> holidays_;
  std::vector<std::int32_t> weekday_holidays_;  // sorted day numbers
};

}  // namespace recoup::runtime
