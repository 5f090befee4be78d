// Internal to the simulate and compare commands: the metrics as rows
// (simulate_rows.cpp) that every output format prints (simulate_report.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simulation/metrics.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::driver {

// How a figure is printed: an integer count, money in minor units, or an
// exact ratio shown as a percentage, days, or a plain number.
enum class FigureKind { Count, Money, Percent, Days, Ratio };

// One line of the report.
struct FigureRow {
  std::string key;    // stable, for JSON and CSV: "recovery_rate_percent"
  std::string label;  // for people: "Recovery rate"
  FigureKind kind = FigureKind::Count;
  __int128 integer = 0;      // Count, Money
  simulation::Ratio ratio;   // Percent, Days, Ratio
  bool hide_when_zero = false;  // tables leave it out when zero in every column
};

// The figure key of an aging bucket's open amount ("aging_days_1_30"; its
// invoice count adds "_invoices"), and an action kind's name in keys
// ("final_notice": "actions_final_notice").
std::string AgingKey(std::size_t bucket);
std::string ActionKey(std::size_t kind);

// Every figure of a group, in report order (the same keys for any group).
std::vector<FigureRow> FigureRows(const simulation::Figures& figures);

// The value for display: money with or without its currency code, ratios
// rounded half-even (percent 1 decimal, days 1, plain ratios 2);
// `signed_value` prefixes a `+` to positive differences.
std::string FormatFigure(const FigureRow& row, runtime::CurrencyId currency, bool with_currency, bool signed_value);

// Collected by the horizon less contact cost and contingency fees: the
// headline's "Net recovered" (docs/reports.md).
FigureRow NetRecoveredRow(const simulation::Figures& figures);

// The keys of the headline comparison, in order: recovered, cost, net,
// DSO, CEI, friction (HTML and Markdown reports).
const std::vector<std::string>& HeadlineKeys();

// row - baseline, exactly.
FigureRow DifferenceRow(const FigureRow& row, const FigureRow& baseline);

}  // namespace recoup::driver
