// Business-day calendars: weekend days plus listed holidays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/date.h"

namespace recoup::runtime {

class BusinessCalendar {
 public:
  // `weekend_mask` bit i set = weekday i (0 Monday .. 6 Sunday) is not a business day.
  BusinessCalendar(std::string name, std::uint8_t weekend_mask, std::vector<Date> holidays);
  // Saturday and Sunday, no holidays.
  static BusinessCalendar Weekends();

  const std::string& name() const { return name_; }
  std::uint8_t weekend_mask() const { return weekend_mask_; }
  const std::vector<Date>& holidays() const { return holidays_; }  // sorted, unique

  bool IsBusinessDay(Date date) const;
  // Moves `count` business days forward (count > 0) or backward (count < 0),
  // counting only business days; count 0 moves a non-business day forward to
  // the next business day. Documented in docs/semantics.md.
  Date AddBusinessDays(Date date, std::int32_t count) const;
  // The first business day on or after `date`.
  Date NextBusinessDay(Date date) const;

 private:
  std::string name_;
  std::uint8_t weekend_mask_;
  std::vector<Date> holidays_;
};

}  // namespace recoup::runtime
