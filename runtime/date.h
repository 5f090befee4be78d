// Dates as whole days, no time of day: the count of days since 1970-01-01
// (the civil-from-days algorithm), so arithmetic is integer arithmetic and
// nobody has to remember an epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recoup::runtime {

// One day of the proleptic Gregorian calendar; the default is 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  // From a stored day count (the JIT and columnar ledgers keep plain ints).
  static constexpr Date FromDays(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Nothing when the day does not exist (2026-02-30, month 13...) or the
  // year is outside -1,000,000 .. 1,000,000.
  static std::optional<Date> FromCivil(std::int32_t year, std::uint32_t month, std::uint32_t day);
  // "YYYY-MM-DD" exactly (four-digit year, two-digit month and day, no
  // spaces or signs); nothing for anything else or a day that does not exist.
  static std::optional<Date> ParseIso(std::string_view text);

  // Days since 1970-01-01, for storage and arithmetic in the JIT.
  constexpr std::int32_t days() const { return days_; }
  // The civil fields, for `end of month` and printing.
  std::int32_t year() const;
  std::uint32_t month() const;
  std::uint32_t day() const;
  // 0 = Monday ... 6 = Sunday (ISO order), the bit index in a weekend mask.
  std::uint32_t weekday() const;
  // The last day of this date's month: `end of month of due` (2024-02-10
  // -> 2024-02-29).
  Date EndOfMonth() const;
  // "2026-01-31", for diagnostics, reports and JSON.
  std::string ToIso() const;

  // Calendar-day arithmetic; the checker bounds durations so it cannot overflow.
  constexpr Date AddDays(std::int32_t days) const { return Date(days_ + days); }
  friend constexpr std::int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

}  // namespace recoup::runtime
