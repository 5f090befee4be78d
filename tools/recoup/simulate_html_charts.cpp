// The sections of the simulate / compare HTML report that have a chart:
// the recovery curve, aging, cost by action kind, agency placements and
// segments, each with its data table as the chart's text alternative.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "tools/recoup/html_page.h"
#include "tools/recoup/simulate_html.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver::report_html {
namespace {

using simulation::Figures;

std::string BarsWithTable(svg::BarChartSpec chart, const std::vector<std::vector<std::string>>& shown,
                          const std::string& first_column, const std::string& summary) {
  std::vector<std::string> header{first_column};
  for (const std::string& name : chart.series) header.push_back(svg::Escape(name));
  std::vector<std::vector<std::string>> rows;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    std::vector<std::string> row{svg::Escape(chart.categories[c])};
    for (std::size_t s = 0; s < chart.series.size(); ++s) row.push_back(shown[s][c]);
    rows.push_back(std::move(row));
  }
  return svg::BarChart(chart) + html::Folded(summary, html::Table("", header, rows));
}

std::vector<std::string> SeriesNames(const std::vector<PolicyColumn>& columns) {
  std::vector<std::string> names;
  for (std::size_t p = 0; p < columns.size(); ++p) names.push_back(fmt::format("[{}] {}", p + 1, columns[p].name));
  return names;
}

}  // namespace

std::string RecoverySection(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  std::int32_t last = header.horizon_days;
  for (const PolicyColumn& column : columns) {
    last = std::max<std::int32_t>(last, static_cast<std::int32_t>(column.metrics.collected_on_day.size()) - 1);
  }
  std::int32_t step = std::max<std::int32_t>(1, last / 360);
  svg::LineChartSpec chart;
  chart.id = "recovery-curve";
  chart.title = "Cumulative recovery by days past due";
  chart.x_label = "Days past the due date";
  chart.y_label = "Collected (% of invoiced)";
  chart.x_tick = [](double value) { return fmt::format("{:.0f}", value); };
  chart.y_tick = [](double value) { return fmt::format("{:.0f}%", value); };
  std::vector<std::vector<double>> percents;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const simulation::Metrics& metrics = columns[p].metrics;
    std::vector<std::int64_t> cumulative = simulation::CumulativeCollected(metrics, last);
    double invoiced = static_cast<double>(metrics.overall.invoiced);
    svg::LineSeries series;
    series.name = fmt::format("[{}] {}", p + 1, columns[p].name);
    std::vector<double> all;
    for (std::int32_t day = 0; day <= last; ++day) {
      double percent = invoiced > 0 ? cumulative[day] * 100.0 / invoiced : 0;
      all.push_back(percent);
      if (day % step != 0 && day != last) continue;
      series.x.push_back(day);
      series.y.push_back(percent);
      if (columns[p].intervals && columns[p].intervals->recovery_curve.size() > static_cast<std::size_t>(day)) {
        series.low.push_back(columns[p].intervals->recovery_curve[day].low);
        series.high.push_back(columns[p].intervals->recovery_curve[day].high);
      }
    }
    percents.push_back(std::move(all));
    chart.series.push_back(std::move(series));
  }
  chart.description = fmt::format(
      "Share of the invoiced amount collected by each number of days past the due date, from 0 (on or before the due "
      "date) to {} days, one line per policy.",
      last);
  std::string text = "<h2 id=\"recovery\">Recovery curve</h2>\n" + svg::LineChart(chart);
  std::vector<std::string> table_header{"Days past due"};
  for (std::size_t p = 0; p < columns.size(); ++p) table_header.push_back(PolicyHeading(columns, p));
  std::vector<std::vector<std::string>> rows;
  std::int32_t table_step = last <= 180 ? 15 : last <= 720 ? 30 : 365;
  for (std::int32_t day = 0; day <= last; day += table_step) {
    std::vector<std::string> row{fmt::format("{}", day)};
    for (const std::vector<double>& percent : percents) row.push_back(fmt::format("{:.1f}%", percent[day]));
    rows.push_back(std::move(row));
  }
  text += html::Folded("Data: collected by days past due (% of invoiced)", html::Table("", table_header, rows));
  return text;
}

std::string AgingSection(const std::vector<PolicyColumn>& columns) {
  runtime::CurrencyId currency = columns.front().metrics.currency;
  svg::BarChartSpec chart;
  chart.id = "aging";
  chart.title = "Open at the horizon by days past due";
  chart.description = "Amount still owed at the horizon, by how many days past due it is then, one bar per policy.";
  chart.x_label = "Days past due at the horizon";
  chart.y_label = fmt::format("Open ({})", CurrencyCode(currency));
  chart.y_tick = svg::Compact;
  chart.series = SeriesNames(columns);
  for (std::size_t b = 0; b < simulation::kAgingBucketCount; ++b) chart.categories.push_back(simulation::AgingBucketName(b));
  std::vector<std::vector<std::string>> shown;
  for (const PolicyColumn& column : columns) {
    std::vector<double> values;
    std::vector<std::string> cells;
    for (std::size_t b = 0; b < simulation::kAgingBucketCount; ++b) {
      values.push_back(MajorUnits(column.metrics.overall.aging_amount[b], column.metrics.currency));
      cells.push_back(fmt::format("{} ({} invoices)", Money(column.metrics.overall.aging_amount[b], column.metrics.currency),
                                  column.metrics.overall.aging_invoices[b]));
    }
    chart.values.push_back(std::move(values));
    shown.push_back(std::move(cells));
  }
  return "<h2 id=\"aging\">Aging at the horizon</h2>\n" +
         BarsWithTable(chart, shown, "Days past due", "Data: open at the horizon by aging bucket");
}

std::string CostSection(const std::vector<PolicyColumn>& columns) {
  runtime::CurrencyId currency = columns.front().metrics.currency;
  svg::BarChartSpec chart;
  chart.id = "cost-by-action";
  chart.title = "Contact cost by action kind";
  chart.description = "What each kind of action cost under each policy, from the policy's cost table.";
  chart.x_label = "Action kind";
  chart.y_label = fmt::format("Cost ({})", CurrencyCode(currency));
  chart.y_tick = svg::Compact;
  chart.series = SeriesNames(columns);
  std::vector<std::size_t> kinds;
  for (std::size_t a = 0; a < compiler::kActionKindCount; ++a) {
    for (const PolicyColumn& column : columns) {
      if (column.metrics.overall.actions[a] > 0 || column.metrics.overall.action_costs[a] != 0) {
        kinds.push_back(a);
        break;
      }
    }
  }
  for (std::size_t a : kinds) chart.categories.push_back(compiler::ActionSpelling(static_cast<compiler::ActionKind>(a)));
  std::vector<std::vector<std::string>> shown;
  for (const PolicyColumn& column : columns) {
    std::vector<double> values;
    std::vector<std::string> cells;
    for (std::size_t a : kinds) {
      values.push_back(MajorUnits(column.metrics.overall.action_costs[a], column.metrics.currency));
      cells.push_back(fmt::format("{} ({} actions)", Money(column.metrics.overall.action_costs[a], column.metrics.currency),
                                  column.metrics.overall.actions[a]));
    }
    chart.values.push_back(std::move(values));
    shown.push_back(std::move(cells));
  }
  if (kinds.empty()) return "<h2 id=\"cost\">Cost by action kind</h2>\n<p>No policy took any action.</p>\n";
  return "<h2 id=\"cost\">Cost by action kind</h2>\n" +
         BarsWithTable(chart, shown, "Action kind", "Data: cost and number of actions by kind");
}

std::string AgencySection(const std::vector<PolicyColumn>& columns) {
  runtime::CurrencyId currency = columns.front().metrics.currency;
  svg::BarChartSpec chart;
  chart.id = "agency";
  chart.title = "Agency placements: recovered and fees";
  chart.description = "Money applied after invoices were placed with a collection agency, and the agency's contingency fees.";
  chart.x_label = "Agency figure";
  chart.y_label = fmt::format("Amount ({})", CurrencyCode(currency));
  chart.y_tick = svg::Compact;
  chart.series = SeriesNames(columns);
  chart.categories = {"recovered after placement", "contingency fees"};
  for (const PolicyColumn& column : columns) {
    const Figures& f = column.metrics.overall;
    chart.values.push_back({MajorUnits(f.recovered_after_placement, column.metrics.currency),
                            MajorUnits(f.contingency_fees, column.metrics.currency)});
  }
  std::vector<std::string> header{"Figure"};
  for (std::size_t p = 0; p < columns.size(); ++p) header.push_back(PolicyHeading(columns, p));
  static const char* const kKeys[] = {"agency_placements", "premature_placements", "recovered_after_placement",
                                      "contingency_fees"};
  std::vector<std::vector<std::string>> rows;
  for (const char* key : kKeys) {
    std::vector<std::string> row;
    for (std::size_t p = 0; p < columns.size(); ++p) {
      Rows figures(columns[p].metrics.overall);
      if (p == 0) row.push_back(Label(figures[key]));
      row.push_back(Cell(Shown(figures[key], columns[p].metrics.currency, false), key, "policy", p));
    }
    rows.push_back(std::move(row));
  }
  bool any = std::any_of(columns.begin(), columns.end(), [](const PolicyColumn& c) { return c.metrics.overall.placements > 0; });
  std::string text = "<h2 id=\"agency\">Agency placements and fees</h2>\n";
  if (any) text += svg::BarChart(chart);
  text += html::Table("", header, rows);
  if (!any) text += "<p class=\"note\">No policy placed an invoice with an agency.</p>\n";
  return text;
}

std::string SegmentSection(const std::vector<PolicyColumn>& columns) {
  std::set<std::string> names;
  for (const PolicyColumn& column : columns) {
    for (const simulation::SegmentFigures& segment : column.metrics.segments) names.insert(segment.segment);
  }
  static const char* const kKeys[] = {"invoices", "recovery_rate_percent", "dso_days", "cei_percent", "contact_cost",
                                      "touches_per_customer", "agency_placements"};
  svg::BarChartSpec chart;
  chart.id = "segments";
  chart.title = "Recovery rate by customer segment";
  chart.description = "Share of what was owed (invoiced, fees and interest) that was collected, by segment and policy.";
  chart.x_label = "Customer segment";
  chart.y_label = "Recovery rate (%)";
  chart.y_tick = [](double value) { return fmt::format("{:.0f}%", value); };
  chart.series = SeriesNames(columns);
  std::string tables;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    std::vector<double> values;
    std::vector<std::string> header{"Segment"};
    std::vector<std::vector<std::string>> rows;
    for (const std::string& name : names) {
      Figures figures;
      for (const simulation::SegmentFigures& segment : columns[p].metrics.segments) {
        if (segment.segment == name) figures = segment.figures;
      }
      Rows shown(figures);
      simulation::Ratio rate = simulation::RecoveryRate(figures);
      values.push_back(rate.defined() ? static_cast<double>(rate.numerator) * 100.0 / static_cast<double>(rate.denominator) : 0);
      std::vector<std::string> row{name.empty() ? "(none)" : svg::Escape(name)};
      for (const char* key : kKeys) {
        row.push_back(Cell(Shown(shown[key], columns[p].metrics.currency, false), key, "policy", p, name.empty() ? "-" : name));
      }
      rows.push_back(std::move(row));
    }
    for (const char* key : kKeys) {
      header.push_back(Label(Rows(Figures{})[key]));
    }
    chart.values.push_back(std::move(values));
    tables += html::Table(PolicyHeading(columns, p), header, rows);
  }
  for (const std::string& name : names) chart.categories.push_back(name.empty() ? "(none)" : name);
  return "<h2 id=\"segments\">Segments</h2>\n" + svg::BarChart(chart) + tables;
}

}  // namespace recoup::driver::report_html
