// Internal to the HTML report of simulate and compare: the helpers and
// sections shared by simulate_html.cpp (the page, headline, provenance) and
// simulate_html_charts.cpp (the sections with charts).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/recoup/simulate_report.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver::report_html {

// Figures of one group by key, as every output format prints them, with
// the headline's net recovered.
class Rows {
 public:
  explicit Rows(const simulation::Figures& figures) : rows_(FigureRows(figures)) {
    rows_.push_back(NetRecoveredRow(figures));
  }
  const FigureRow& operator[](const std::string& key) const {
    for (const FigureRow& row : rows_) {
      if (row.key == key) return row;
    }
    throw std::logic_error("the HTML report asks for a figure that FigureRows does not have: " + key);
  }

 private:
  std::vector<FigureRow> rows_;
};

// Minor units as a number of major units, for chart coordinates only.
double MajorUnits(std::int64_t minor, runtime::CurrencyId currency);
std::string CurrencyCode(runtime::CurrencyId currency);
// "1,234.50 USD", escaped.
std::string Money(std::int64_t minor, runtime::CurrencyId currency);
// A figure for display, digits grouped, escaped.
std::string Shown(const FigureRow& row, runtime::CurrencyId currency, bool signed_value, bool with_currency = true);
// "Contingency fees": a row's label without the table's indent.
std::string Label(const FigureRow& row);
// "[2] Final notice, then agency".
std::string PolicyHeading(const std::vector<PolicyColumn>& columns, std::size_t p);
// A value with the attributes the browser test reads back: data-key, and
// data-policy or data-difference (`role`), 1-based like the headings.
std::string Cell(const std::string& text, const std::string& key, const char* role, std::size_t p,
                 const std::string& segment = "");

// Where a figure is taken from: all customers (nullopt) or one segment
// ("" for customers without one).
using Group = std::optional<std::string>;

// With a model every column has intervals: the page shows means over the draws.
bool FromModel(const std::vector<PolicyColumn>& columns);
// Policy p's figure as the page shows it, marked for the browser test:
// exact from the metrics in a replay, the mean over the draws with a model.
std::string FigureCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                       const Group& group, bool with_currency);
// The figure's interval under it ("95% interval 61.2 to 70.4", each end
// marked); empty in a replay and where the figure is undefined in every draw.
std::string IntervalCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                         const Group& group = std::nullopt);
// Policy p's difference to the baseline [1] (all customers), with its
// interval and, when the interval holds zero, a marker saying the two
// policies cannot be told apart on this figure.
std::string DifferenceCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                           bool with_currency);
// A figure as a chart coordinate, in the units it is shown in (0 when undefined).
double FigureValue(const PolicyColumn& column, const std::string& key, const Group& group = std::nullopt);
// A mean over the draws for display: `decimals` places, digits grouped,
// `suffix` appended ("%"); "n/a" when no draw had it.
std::string MeanText(const DrawSummary& summary, int decimals, const std::string& suffix = "");
// "95% interval LOW to HIGH", each end a span carrying `marks` (data-key...) and data-bound.
std::string IntervalText(const DrawSummary& summary, int decimals, int confidence, const std::string& marks);
// A summary over the draws as a whisker over its bar: the mean and the
// interval in words (`unit` after each number: "%", " USD"), and `marks`
// with data-low and data-high (the ends as the tables print them, for the
// browser test); nothing when no draw had the figure.
std::optional<svg::BarInterval> Whisker(const DrawSummary& summary, int decimals, const std::string& unit, int confidence,
                                        const std::string& marks);
// Policy p's figure as Whisker gives it, marked like IntervalCell; nothing in a replay.
std::optional<svg::BarInterval> FigureWhisker(const std::vector<PolicyColumn>& columns, std::size_t p,
                                              const std::string& key, const Group& group = std::nullopt);

// The sections with charts (simulate_html_charts.cpp).
std::string RecoverySection(const ReportHeader& header, const std::vector<PolicyColumn>& columns);
std::string AgingSection(const std::vector<PolicyColumn>& columns);
std::string CostSection(const std::vector<PolicyColumn>& columns);
std::string AgencySection(const std::vector<PolicyColumn>& columns);
std::string SegmentSection(const std::vector<PolicyColumn>& columns);

}  // namespace recoup::driver::report_html
