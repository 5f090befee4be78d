#include "runtime/payment_backtest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace recoup::runtime {
namespace {

constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

struct Window {
  std::int32_t begin = 0, end = 0;
  double factor = 1;
  bool applies_when_placed = false;
};

int IntervalIn(const std::vector<std::int32_t>& starts, std::int32_t value) {
  int interval = 0;
  while (interval + 1 < static_cast<int>(starts.size()) && value >= starts[interval + 1]) ++interval;
  return interval;
}

}  // namespace

BacktestResult Backtest(const Ledger& ledger, const PaymentModel& model, Date cutoff, Date end,
                        const std::vector<std::int32_t>& horizons) {
  BacktestResult result;
  std::vector<std::int32_t> days;
  for (std::int32_t horizon : horizons) {
    if (cutoff.days() + horizon <= end.days()) days.push_back(horizon);
  }
  if (days.empty()) {
    result.error = fmt::format("the ledger ends {} days after the cut-off: no horizon to check", end - cutoff);
    return result;
  }
  for (std::int32_t d : days) result.points.push_back({d, 0, 0, 0, 0, 0});
  const std::int32_t c = cutoff.days();
  std::vector<Window> windows;
  std::vector<std::int32_t> cuts;
  for (std::uint32_t i = 0; i < ledger.invoices.size(); ++i) {
    if (ledger.invoices.IsCreditNote(i)) continue;
    const std::int32_t issue = ledger.invoices.issue_date[i].days();
    const std::int32_t due = ledger.invoices.due_date[i].days();
    if (issue + 1 > c) continue;
    std::int32_t written_off = kNever;
    for (std::uint32_t a = ledger.adjustments.ranges.begin(i); a < ledger.adjustments.ranges.end(i); ++a) {
      if (ledger.adjustments.kind[a] == AdjustmentKind::WriteOff) {
        written_off = ledger.adjustments.date[a].days();
        break;
      }
    }
    if (written_off <= c) continue;
    std::int32_t paid = kNever;
    if (ledger.payments.ranges.begin(i) < ledger.payments.ranges.end(i)) {
      paid = std::max(issue + 1, ledger.payments.date[ledger.payments.ranges.begin(i)].days());
    }
    if (paid <= c) continue;
    const SegmentHazards* segment = model.FindSegment(ledger.texts.Get(ledger.customers.segment[ledger.invoices.customer[i]]));
    if (segment == nullptr) segment = model.FindSegment("*");
    if (segment == nullptr) {
      result.error = fmt::format("the model has no hazard for segment `{}`",
                                 ledger.texts.Get(ledger.customers.segment[ledger.invoices.customer[i]]));
      return result;
    }
    result.open_invoices += 1;
    const double amount = static_cast<double>(ledger.invoices.amount_minor[i]);

    windows.clear();
    std::int32_t placed = kNever;
    for (std::uint32_t a = ledger.actions.ranges.begin(i); a < ledger.actions.ranges.end(i); ++a) {
      const std::int32_t day = ledger.actions.date[a].days();
      const std::string_view name = ledger.texts.Get(ledger.actions.action[a]);
      if (name == "agency") {
        placed = std::min(placed, day);
      } else if (const ActionEffect* effect = model.FindEffect(name)) {
        windows.push_back({day + 1, day + effect->window_days, effect->factor.value, false});
      }
    }
    if (const ActionEffect* fee = model.FindEffect("fee")) {
      for (std::uint32_t a = ledger.adjustments.ranges.begin(i); a < ledger.adjustments.ranges.end(i); ++a) {
        if (ledger.adjustments.kind[a] != AdjustmentKind::Fee) continue;
        const std::int32_t day = ledger.adjustments.date[a].days();
        windows.push_back({day + 1, day + fee->window_days, fee->factor.value, false});
      }
    }
    for (std::uint32_t d = ledger.disputes.ranges.begin(i); d < ledger.disputes.ranges.end(i); ++d) {
      const std::int32_t resolved = ledger.disputes.resolved[d] == kStillOpen ? kNever - 1 : ledger.disputes.resolved[d].days();
      windows.push_back({ledger.disputes.opened[d].days() + 1, resolved, model.dispute_factor.value, true});
    }
    for (std::uint32_t p = ledger.promises.ranges.begin(i); p < ledger.promises.ranges.end(i); ++p) {
      windows.push_back({ledger.promises.made[p].days() + 1, ledger.promises.promised[p].days(), model.promise_factor.value, true});
    }
    const std::int32_t last = std::min(c + days.back(), written_off);
    cuts.assign({c + 1, last + 1});
    for (std::size_t k = 1; k < model.interval_starts.size(); ++k) cuts.push_back(due + model.interval_starts[k]);
    if (placed != kNever) {
      cuts.push_back(placed + 1);
      for (std::size_t k = 1; k < model.agency_interval_starts.size(); ++k) cuts.push_back(placed + model.agency_interval_starts[k]);
    }
    for (const Window& window : windows) {
      cuts.push_back(window.begin);
      if (window.end < kNever - 1) cuts.push_back(window.end + 1);
    }
    for (std::int32_t d : days) cuts.push_back(c + d + 1);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    double cumulative = 0;
    std::size_t point = 0;
    for (std::size_t k = 0; k + 1 < cuts.size() && point < days.size(); ++k) {
      const std::int32_t from = cuts[k], to = cuts[k + 1] - 1;
      if (from <= c) continue;
      while (point < days.size() && from > c + days[point]) {
        result.points[point].predicted_invoices += 1 - std::exp(-cumulative);
        result.points[point].predicted_amount += amount * (1 - std::exp(-cumulative));
        ++point;
      }
      if (from > last) continue;
      const bool is_placed = placed != kNever && from > placed;
      double hazard = is_placed ? model.agency_hazard[IntervalIn(model.agency_interval_starts, from - placed)].value
                                : segment->daily[IntervalIn(model.interval_starts, from - due)].value;
      for (const Window& window : windows) {
        if (from >= window.begin && from <= window.end && (!is_placed || window.applies_when_placed)) hazard *= window.factor;
      }
      if (hazard >= 1) {
        cumulative = std::numeric_limits<double>::infinity();
      } else if (hazard > 0) {
        cumulative += -std::log1p(-hazard) * static_cast<double>(to - from + 1);
      }
    }
    for (; point < days.size(); ++point) {
      result.points[point].predicted_invoices += 1 - std::exp(-cumulative);
      result.points[point].predicted_amount += amount * (1 - std::exp(-cumulative));
    }
    for (std::size_t p = 0; p < days.size(); ++p) {
      result.points[p].open_amount += amount;
      if (paid <= c + days[p]) {
        result.points[p].observed_invoices += 1;
        result.points[p].observed_amount += amount;
      }
    }
  }
  return result;
}

}  // namespace recoup::runtime
