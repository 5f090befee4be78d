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

// With a model each bar is a mean over the draws: its interval is drawn as
// a whisker (chart.intervals), which the legend and description explain.
void ExplainWhiskers(svg::BarChartSpec& chart, const std::vector<PolicyColumn>& columns) {
  if (!FromModel(columns)) return;
  const int confidence = columns.front().intervals->confidence_percent;
  chart.interval_label = fmt::format("whiskers: {}% interval of the draws", confidence);
  chart.description += fmt::format(" Each bar is the mean over the model's draws, with its {}% interval as a whisker.",
                                   confidence);
}

std::vector<std::string> SeriesNames(const std::vector<PolicyColumn>& columns) {
  std::vector<std::string> names;
  for (std::size_t p = 0; p < columns.size(); ++p) names.push_back(fmt::format("[{}] {}", p + 1, columns[p].name));
  return names;
}

}  // namespace

std::string RecoverySection(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  const bool model = FromModel(columns);
  std::int32_t last = header.horizon_days;
  for (const PolicyColumn& column : columns) {
    std::size_t days = model ? column.intervals->recovery_curve.size() : column.metrics.collected_on_day.size();
    last = std::max<std::int32_t>(last, static_cast<std::int32_t>(days) - 1);
  }
  std::int32_t step = std::max<std::int32_t>(1, last / 360);
  svg::LineChartSpec chart;
  chart.id = "recovery-curve";
  chart.title = "Cumulative recovery by days past due";
  chart.x_label = "Days past the due date";
  chart.y_label = "Collected (% of invoiced)";
  chart.x_tick = [](double value) { return fmt::format("{:.0f}", value); };
  chart.y_tick = [](double value) { return fmt::format("{:.0f}%", value); };
  // Each policy's curve by day: exact in a replay, the mean and interval over the draws with a model.
  std::vector<std::vector<DrawSummary>> curves;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    std::vector<DrawSummary> curve;
    if (model) {
      const std::vector<DrawSummary>& drawn = columns[p].intervals->recovery_curve;
      for (std::int32_t day = 0; day <= last; ++day) curve.push_back(drawn.empty() ? DrawSummary{} : drawn[std::min<std::size_t>(day, drawn.size() - 1)]);
    } else {
      const simulation::Metrics& metrics = columns[p].metrics;
      std::vector<std::int64_t> cumulative = simulation::CumulativeCollected(metrics, last);
      double invoiced = static_cast<double>(metrics.overall.invoiced);
      for (std::int32_t day = 0; day <= last; ++day) {
        double percent = invoiced > 0 ? cumulative[day] * 100.0 / invoiced : 0;
        curve.push_back(DrawSummary{percent, percent, percent, 0, 1});
      }
    }
    svg::LineSeries series;
    series.name = fmt::format("[{}] {}", p + 1, columns[p].name);
    for (std::int32_t day = 0; day <= last; ++day) {
      if (day % step != 0 && day != last) continue;
      series.x.push_back(day);
      series.y.push_back(curve[day].mean);
      if (model) {
        series.low.push_back(curve[day].low);
        series.high.push_back(curve[day].high);
      }
    }
    curves.push_back(std::move(curve));
    chart.series.push_back(std::move(series));
  }
  int confidence = model ? columns.front().intervals->confidence_percent : 95;
  if (model) chart.band_label = fmt::format("shaded: {}% interval of the draws, in the policy's colour", confidence);
  chart.description = fmt::format(
      "Share of the invoiced amount collected by each number of days past the due date, from 0 (on or before the due "
      "date) to {} days, one line per policy{}.",
      last, model ? fmt::format(": the mean over the model's draws, with its {}% interval shaded", confidence) : "");
  std::string text = "<h2 id=\"recovery\">Recovery curve</h2>\n" + svg::LineChart(chart);
  std::vector<std::string> table_header{"Days past due"};
  for (std::size_t p = 0; p < columns.size(); ++p) table_header.push_back(PolicyHeading(columns, p));
  std::vector<std::vector<std::string>> rows;
  std::int32_t table_step = last <= 180 ? 15 : last <= 720 ? 30 : 365;
  for (std::int32_t day = 0; day <= last; day += table_step) {
    std::vector<std::string> row{fmt::format("{}", day)};
    for (std::size_t p = 0; p < columns.size(); ++p) {
      if (!model) {
        row.push_back(fmt::format("{:.1f}%", curves[p][day].mean));
        continue;
      }
      std::string marks = fmt::format(" data-key=\"recovery_curve_percent\" data-policy=\"{}\" data-day=\"{}\"", p + 1, day);
      row.push_back(fmt::format("<span class=\"value\"{}>{}</span>", marks, MeanText(curves[p][day], 1, "%")) +
                    IntervalText(curves[p][day], 1, confidence, marks));
    }
    rows.push_back(std::move(row));
  }
  text += html::Folded(model ? "Data: collected by days past due (% of invoiced), mean and interval over the draws"
                             : "Data: collected by days past due (% of invoiced)",
                       html::Table("", table_header, rows));
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
  ExplainWhiskers(chart, columns);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    std::vector<double> values;
    std::vector<std::optional<svg::BarInterval>> whiskers;
    std::vector<std::string> cells;
    for (std::size_t b = 0; b < simulation::kAgingBucketCount; ++b) {
      const std::string key = AgingKey(b);
      values.push_back(FigureValue(columns[p], key));
      whiskers.push_back(FigureWhisker(columns, p, key));
      cells.push_back(fmt::format("{} ({} invoices){}", FigureCell(columns, p, key, std::nullopt, true),
                                  FigureCell(columns, p, key + "_invoices", std::nullopt, false),
                                  IntervalCell(columns, p, key)));
    }
    chart.values.push_back(std::move(values));
    chart.intervals.push_back(std::move(whiskers));
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
  const bool model = FromModel(columns);
  // What each kind cost: exact in a replay, the mean over the draws with a model.
  auto cost = [&](const PolicyColumn& column, std::size_t a) {
    return model ? column.intervals->action_costs[a].mean : MajorUnits(column.metrics.overall.action_costs[a], column.metrics.currency);
  };
  std::vector<std::size_t> kinds;
  for (std::size_t a = 0; a < compiler::kActionKindCount; ++a) {
    for (const PolicyColumn& column : columns) {
      if (FigureValue(column, "actions_" + ActionKey(a)) > 0 || cost(column, a) != 0) {
        kinds.push_back(a);
        break;
      }
    }
  }
  for (std::size_t a : kinds) chart.categories.push_back(compiler::ActionSpelling(static_cast<compiler::ActionKind>(a)));
  ExplainWhiskers(chart, columns);
  std::vector<std::vector<std::string>> shown;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const PolicyColumn& column = columns[p];
    std::vector<double> values;
    std::vector<std::optional<svg::BarInterval>> whiskers;
    std::vector<std::string> cells;
    for (std::size_t a : kinds) {
      values.push_back(cost(column, a));
      std::string actions = FigureCell(columns, p, "actions_" + ActionKey(a), std::nullopt, false);
      if (!model) {
        cells.push_back(fmt::format("{} ({} actions)", Money(column.metrics.overall.action_costs[a], column.metrics.currency), actions));
        continue;
      }
      const DrawSummary& summary = column.intervals->action_costs[a];
      const int decimals = runtime::InfoOf(column.metrics.currency).exponent;
      const int confidence = column.intervals->confidence_percent;
      std::string marks = fmt::format(" data-key=\"contact_cost_by_action\" data-policy=\"{}\" data-action=\"{}\"", p + 1, ActionKey(a));
      cells.push_back(fmt::format("<span class=\"value\"{}>{}</span> ({} actions){}", marks,
                                  MeanText(summary, decimals, " " + CurrencyCode(column.metrics.currency)), actions,
                                  IntervalText(summary, decimals, confidence, marks)));
      whiskers.push_back(Whisker(summary, decimals, " " + CurrencyCode(column.metrics.currency), confidence, marks));
    }
    chart.values.push_back(std::move(values));
    if (model) chart.intervals.push_back(std::move(whiskers));
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
  ExplainWhiskers(chart, columns);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    chart.values.push_back({FigureValue(columns[p], "recovered_after_placement"), FigureValue(columns[p], "contingency_fees")});
    chart.intervals.push_back(
        {FigureWhisker(columns, p, "recovered_after_placement"), FigureWhisker(columns, p, "contingency_fees")});
  }
  std::vector<std::string> header{"Figure"};
  for (std::size_t p = 0; p < columns.size(); ++p) header.push_back(PolicyHeading(columns, p));
  static const char* const kKeys[] = {"agency_placements", "premature_placements", "recovered_after_placement",
                                      "contingency_fees"};
  std::vector<std::vector<std::string>> rows;
  for (const char* key : kKeys) {
    std::vector<std::string> row;
    row.push_back(Label(Rows(Figures{})[key]));
    for (std::size_t p = 0; p < columns.size(); ++p) {
      row.push_back(FigureCell(columns, p, key, std::nullopt, true) + IntervalCell(columns, p, key));
    }
    rows.push_back(std::move(row));
  }
  bool any = std::any_of(columns.begin(), columns.end(),
                         [](const PolicyColumn& c) { return FigureValue(c, "agency_placements") > 0; });
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
  ExplainWhiskers(chart, columns);
  std::string tables;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    std::vector<double> values;
    std::vector<std::optional<svg::BarInterval>> whiskers;
    std::vector<std::string> header{"Segment"};
    std::vector<std::vector<std::string>> rows;
    for (const std::string& name : names) {
      values.push_back(FigureValue(columns[p], "recovery_rate_percent", name));
      whiskers.push_back(FigureWhisker(columns, p, "recovery_rate_percent", name));
      std::vector<std::string> row{name.empty() ? "(none)" : svg::Escape(name)};
      for (const char* key : kKeys) {
        // Every draw has the same invoices: their interval would say nothing.
        std::string interval = std::string(key) == "invoices" ? "" : IntervalCell(columns, p, key, name);
        row.push_back(FigureCell(columns, p, key, name, true) + interval);
      }
      rows.push_back(std::move(row));
    }
    for (const char* key : kKeys) {
      header.push_back(Label(Rows(Figures{})[key]));
    }
    chart.values.push_back(std::move(values));
    chart.intervals.push_back(std::move(whiskers));
    tables += html::Table(PolicyHeading(columns, p), header, rows);
  }
  for (const std::string& name : names) chart.categories.push_back(name.empty() ? "(none)" : name);
  return "<h2 id=\"segments\">Segments</h2>\n" + svg::BarChart(chart) + tables;
}

}  // namespace recoup::driver::report_html
