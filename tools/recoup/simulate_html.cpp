// The HTML report of simulate and compare (--report FILE): the page, the
// headline comparison and the run's provenance; the sections with charts
// are in simulate_html_charts.cpp (docs/reports.md lists every part and
// how it is computed).
#include <fmt/format.h>

#include <algorithm>

#include "tools/recoup/html_page.h"
#include "tools/recoup/simulate_html.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver {
namespace report_html {

using simulation::Figures;

double MajorUnits(std::int64_t minor, runtime::CurrencyId currency) {
  double scale = 1;
  for (int i = 0; i < runtime::InfoOf(currency).exponent; ++i) scale *= 10;
  return static_cast<double>(minor) / scale;
}

std::string CurrencyCode(runtime::CurrencyId currency) { return std::string(runtime::InfoOf(currency).code); }

std::string Money(std::int64_t minor, runtime::CurrencyId currency) {
  return svg::Escape(html::GroupDigits(runtime::ToString(runtime::Money{minor, currency})));
}

std::string Shown(const FigureRow& row, runtime::CurrencyId currency, bool signed_value, bool with_currency) {
  return svg::Escape(html::GroupDigits(FormatFigure(row, currency, with_currency, signed_value)));
}

std::string Label(const FigureRow& row) {
  std::string label = row.label;
  label.erase(0, label.find_first_not_of(' '));
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return svg::Escape(label);
}

std::string PolicyHeading(const std::vector<PolicyColumn>& columns, std::size_t p) {
  return fmt::format("[{}] {}", p + 1, svg::Escape(columns[p].name));
}

std::string Cell(const std::string& text, const std::string& key, const char* role, std::size_t p,
                 const std::string& segment) {
  std::string segment_attribute = segment.empty() ? "" : fmt::format(" data-segment=\"{}\"", svg::Escape(segment));
  return fmt::format("<span class=\"value\" data-key=\"{}\" data-{}=\"{}\"{}>{}</span>", key, role, p + 1,
                     segment_attribute, text);
}

namespace {

// Money is shown without its code when every policy has the same currency
// (the page says which); with it otherwise.
bool OneCurrency(const std::vector<PolicyColumn>& columns) {
  return std::all_of(columns.begin(), columns.end(),
                     [&](const PolicyColumn& c) { return c.metrics.currency == columns.front().metrics.currency; });
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
}  // namespace report_html

std::string RenderHtmlReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns,
                             const ReportProvenance& provenance) {
  using namespace report_html;
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
