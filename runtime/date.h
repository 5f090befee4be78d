// Dates as whole days, no time of day: the count of days since 1970-01-01
// (the civil-from-days algorithm), so arithmetic is integer arithmetic and
// nobody has to remember an epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recoup::runtime {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Nothing when the day does not exist (2026-02-30, month 13...).
  static std::optional<Date> FromCivil(std::int32_t year, std::uint32_t month, std::uint32_t day);
  // "YYYY-MM-DD" exactly; nothing for anything else.
  static std::optional<Date> ParseIso(std::string_view text);

  constexpr std::int32_t days() const { return days_; }
  std::int32_t year() const;
  std::uint32_t month() const;
  std::uint32_t day() const;
  // 0 = Monday ... 6 = Sunday.
  std::uint32_t weekday() const;
  Date EndOfMonth() const;
  std::string ToIso() const;

  constexpr Date AddDays(std::int32_t days) const { return Date(days_ + days); }
  friend constexpr std::int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

}  // namespace recoup::runtime
