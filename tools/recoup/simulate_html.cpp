// The HTML report of simulate and compare (--report FILE): the headline
// comparison, the recovery curve, aging, cost by action kind, agency
// placements and fees, segments, and the run's provenance
// (docs/reports.md lists every part and how it is computed).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "tools/recoup/html_page.h"
#include "tools/recoup/simulate_report.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver {
namespace {

using simulation::Figures;

// Figures of one group by key, as every output format prints them.
class Rows {
 public:
  explicit Rows(const Figures& figures) : rows_(FigureRows(figures)) { rows_.push_back(NetRecoveredRow(figures)); }
  const FigureRow& operator[](const std::string& key) const {
    for (const FigureRow& row : rows_) {
      if (row.key == key) return row;
    }
    throw std::logic_error("the HTML report asks for a figure that FigureRows does not have: " + key);
  }

 private:
  std::vector<FigureRow> rows_;
};

double MajorUnits(std::int64_t minor, runtime::CurrencyId currency) {
  double scale = 1;
  for (int i = 0; i < runtime::InfoOf(currency).exponent; ++i) scale *= 10;
  return static_cast<double>(minor) / scale;
}

std::string CurrencyCode(runtime::CurrencyId currency) { return std::string(runtime::InfoOf(currency).code); }

std::string Money(std::int64_t minor, runtime::CurrencyId currency) {
  return svg::Escape(html::GroupDigits(runtime::ToString(runtime::Money{minor, currency})));
}


// Money is shown without its code when every policy has the same currency
// (the page says which); with it otherwise.
std::string Shown(const FigureRow& row, runtime::CurrencyId currency, bool signed_value, bool with_currency = true) {
  return svg::Escape(html::GroupDigits(FormatFigure(row, currency, with_currency, signed_value)));
}

bool OneCurrency(const std::vector<PolicyColumn>& columns) {
  return std::all_of(columns.begin(), columns.end(),
                     [&](const PolicyColumn& c) { return c.metrics.currency == columns.front().metrics.currency; });
}

// "  contingency fees" -> "Contingency fees": row labels without the table's indent.
std::string Label(const FigureRow& row) {
  std::string label = row.label;
  label.erase(0, label.find_first_not_of(' '));
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return svg::Escape(label);
}

std::string PolicyHeading(const std::vector<PolicyColumn>& columns, std::size_t p) {
  return fmt::format("[{}] {}", p + 1, svg::Escape(columns[p].name));
}

// "95% interval 88.1 to 91.4", with as many decimals as the value shows.
std::string IntervalText(const Interval& interval, const FigureRow& row, runtime::CurrencyId currency, int confidence) {
  int decimals = row.kind == FigureKind::Money  ? runtime::InfoOf(currency).exponent
                 : row.kind == FigureKind::Ratio ? 2
                 : row.kind == FigureKind::Count ? 0
                                                 : 1;
  return fmt::format("<span class=\"interval\">{}% interval {} to {}</span>", confidence,
                     html::GroupDigits(fmt::format("{:.{}f}", interval.low, decimals)),
                     html::GroupDigits(fmt::format("{:.{}f}", interval.high, decimals)));
}

const Interval* FindInterval(const std::optional<PolicyIntervals>& intervals, bool difference, const std::string& key) {
  if (!intervals) return nullptr;
  const std::map<std::string, Interval>& map = difference ? intervals->differences : intervals->figures;
  auto found = map.find(key);
  return found == map.end() ? nullptr : &found->second;
}

// A value with the attributes the browser test reads back (data-key, and
// data-policy or data-difference, 1-based like the table headings).
std::string Cell(const std::string& text, const std::string& key, const char* role, std::size_t p,
                 const std::string& segment = "") {
  std::string segment_attribute = segment.empty() ? "" : fmt::format(" data-segment=\"{}\"", svg::Escape(segment));
  return fmt::format("<span class=\"value\" data-key=\"{}\" data-{}=\"{}\"{}>{}</span>", key, role, p + 1,
                     segment_attribute, text);
}

// What the replay left out, as the text report's preamble says it.
std::string NotCovered(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  std::string text;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const simulation::Metrics& metrics = columns[p].metrics;
    std::vector<std::string> parts;
    for (const simulation::CurrencyCount& other : metrics.other_currencies) {
      parts.push_back(fmt::format("{} invoices in {} ({})", other.invoices, CurrencyCode(other.currency),
                                  Money(other.amount, other.currency)));
    }
    if (metrics.credit_notes > 0) {
      parts.push_back(fmt::format("{} credit notes ({})", metrics.credit_notes, Money(metrics.credit_note_amount, metrics.currency)));
    }
    if (metrics.issued_after_as_of > 0) {
      parts.push_back(fmt::format("{} invoices issued after {}", metrics.issued_after_as_of, header.as_of.ToIso()));
    }
    if (!parts.empty()) text += fmt::format("<p class=\"note\">[{}] does not cover {}.</p>\n", p + 1, fmt::join(parts, ", "));
  }
  return text;
}

std::string HeadlineSection(const std::vector<PolicyColumn>& columns, int confidence) {
  std::vector<Rows> rows;
  for (const PolicyColumn& column : columns) rows.emplace_back(column.metrics.overall);
  bool codes = !OneCurrency(columns);
  std::string code = CurrencyCode(columns.front().metrics.currency);
  std::vector<std::string> header{"Metric"};
  for (std::size_t p = 0; p < columns.size(); ++p) header.push_back(PolicyHeading(columns, p));
  for (std::size_t p = 1; p < columns.size(); ++p) header.push_back(fmt::format("[{}] &minus; [1]", p + 1));
  std::vector<std::vector<std::string>> body;
  for (const std::string& key : HeadlineKeys()) {
    bool money = rows[0][key].kind == FigureKind::Money;
    std::vector<std::string> line{Label(rows[0][key]) + (money && !codes ? " (" + code + ")" : "")};
    for (std::size_t p = 0; p < columns.size(); ++p) {
      std::string text = Cell(Shown(rows[p][key], columns[p].metrics.currency, false, codes), key, "policy", p);
      if (const Interval* interval = FindInterval(columns[p].intervals, false, key)) {
        text += IntervalText(*interval, rows[p][key], columns[p].metrics.currency, confidence);
      }
      line.push_back(text);
    }
    for (std::size_t p = 1; p < columns.size(); ++p) {
      const FigureRow& row = rows[p][key];
      bool comparable = row.kind != FigureKind::Money || columns[p].metrics.currency == columns[0].metrics.currency;
      std::string text =
          comparable ? Shown(DifferenceRow(row, rows[0][key]), columns[p].metrics.currency, true, codes) : "n/a";
      text = Cell(text, key, "difference", p);
      if (const Interval* interval = FindInterval(columns[p].intervals, true, key)) {
        text += IntervalText(*interval, row, columns[p].metrics.currency, confidence);
      }
      line.push_back(text);
    }
    body.push_back(std::move(line));
  }
  std::string text = "<h2 id=\"headline\">Headline</h2>\n";
  text += "<div class=\"wide\">" + html::Table("", header, body, "headline") + "</div>\n";
  text += "<p class=\"note\">Net recovered is cash collected by the horizon less contact cost and agency contingency "
          "fees.";
  if (columns.size() > 1) text += " Differences are each policy less the baseline [1].";
  bool any_interval = std::any_of(columns.begin(), columns.end(), [](const PolicyColumn& c) { return c.intervals.has_value(); });
  text += any_interval ? fmt::format(" Intervals are {}% intervals of the model's Monte Carlo draws.", confidence)
                       : " A replay follows the ledger's own payments, so its figures are exact: there are no intervals.";
  return text + "</p>\n";
}

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

std::string ProvenanceSection(const ReportHeader& header, const std::vector<PolicyColumn>& columns,
                              const ReportProvenance& provenance) {
  std::string text = "<h2 id=\"provenance\">Inputs and provenance</h2>\n<dl class=\"provenance\">\n";
  auto item = [&text](const std::string& term, const std::string& value) {
    text += "<dt>" + svg::Escape(term) + "</dt><dd>" + svg::Escape(value) + "</dd>\n";
  };
  for (std::size_t p = 0; p < provenance.policy_files.size(); ++p) {
    const auto& [path, sha256] = provenance.policy_files[p];
    std::string version = p < columns.size() ? fmt::format(" (\"{}\" version {})", columns[p].name, columns[p].version) : "";
    item(fmt::format("Policy [{}]", p + 1), path + version);
    item("  SHA-256", sha256);
  }
  item("Ledger", header.ledger);
  std::string rows;
  for (const auto& [file, count] : provenance.ledger_rows) rows += fmt::format("{}{} {}", rows.empty() ? "" : ", ", count, file);
  item("Ledger rows", rows);
  item("As of", header.as_of.ToIso());
  item("Horizon", fmt::format("{} days after each due date", header.horizon_days));
  item("Premature placement", fmt::format("paid in full within {} days of placement", header.premature_days));
  if (provenance.model) {
    item("Model", provenance.model->file);
    item("  SHA-256", provenance.model->sha256);
    item("Seed", fmt::format("{}", provenance.model->seed));
    item("Draws", fmt::format("{}", provenance.model->draws));
  } else {
    item("Simulation", "replay of the ledger's own payments (no model, no random draws)");
  }
  item("Recoup", provenance.recoup_version);
  return text + "</dl>\n";
}

}  // namespace

std::string RenderHtmlReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns,
                             const ReportProvenance& provenance) {
  int confidence = provenance.model ? provenance.model->confidence_percent : 95;
  bool compare = columns.size() > 1;
  std::string title = compare ? "Recoup: policy comparison" : "Recoup: policy simulation";
  std::string text = html::PageOpen(title);
  text += "<h1>" + title + "</h1>\n";
  text += fmt::format("<p class=\"lead\">{} replayed over the ledger <code>{}</code> as of {}: each invoice followed to {} "
                      "days after its due date or the ledger's last day, whichever comes first. Money in {}.</p>\n",
                      compare ? fmt::format("{} policies", columns.size()) : std::string("One policy"), svg::Escape(header.ledger),
                      header.as_of.ToIso(), header.horizon_days, CurrencyCode(columns.front().metrics.currency));
  std::vector<std::vector<std::string>> policies;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const PolicyColumn& column = columns[p];
    policies.push_back({fmt::format("[{}]", p + 1), svg::Escape(column.name), svg::Escape(column.version),
                        svg::Escape(column.file), column.customer_subject ? "customer" : "invoice",
                        fmt::format("{}", column.metrics.subjects)});
  }
  text += html::Table("", {"", "Policy", "Version", "File", "Subject", "Subjects"}, policies, "text");
  text += NotCovered(header, columns);
  text += HeadlineSection(columns, confidence);
  text += RecoverySection(header, columns);
  text += AgingSection(columns);
  text += CostSection(columns);
  text += AgencySection(columns);
  text += SegmentSection(columns);
  text += ProvenanceSection(header, columns, provenance);
  return text + html::PageClose();
}

}  // namespace recoup::driver
