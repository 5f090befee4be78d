// The HTML report of simulate and compare (--report FILE): how a figure is
// read (exact from a replay, or the mean and interval of a model's draws),
// the page, the headline comparison and the run's provenance; the sections
// with charts are in simulate_html_charts.cpp (docs/reports.md lists every
// part and how it is computed).
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

// The figures of all customers or of one segment (zero when the policy saw none of it).
const simulation::Figures& GroupFigures(const PolicyColumn& column, const Group& group) {
  static const simulation::Figures kNone{};
  if (!group) return column.metrics.overall;
  for (const simulation::SegmentFigures& segment : column.metrics.segments) {
    if (segment.segment == *group) return segment.figures;
  }
  return kNone;
}

// data-segment's value: "" for all customers, "-" for customers without a segment.
std::string SegmentMark(const Group& group) {
  if (!group) return "";
  return group->empty() ? "-" : *group;
}

// The summary over the draws of a figure (or of its difference to the
// baseline); nothing in a replay.
const DrawSummary* FindSummary(const PolicyColumn& column, const std::string& key, const Group& group, bool difference) {
  if (!column.intervals) return nullptr;
  const std::map<std::string, DrawSummary>* figures = difference ? &column.intervals->differences : &column.intervals->figures;
  if (group && !difference) {
    auto segment = column.intervals->segments.find(*group);
    if (segment == column.intervals->segments.end()) return nullptr;
    figures = &segment->second;
  }
  auto found = figures->find(key);
  return found == figures->end() ? nullptr : &found->second;
}

FigureKind KindOf(const std::string& key) { return Rows(simulation::Figures{})[key].kind; }

// The decimals of a mean: one more than the exact figure for counts, the
// currency's for money, as the Monte Carlo table prints them.
int MeanDecimals(FigureKind kind, runtime::CurrencyId currency) {
  switch (kind) {
    case FigureKind::Count: return 1;
    case FigureKind::Money: return runtime::InfoOf(currency).exponent;
    case FigureKind::Ratio: return 2;
    default: return 1;
  }
}

std::string Fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);  // no "-0.0"
  return text;
}

// The mean of a figure (signed for a difference) with its unit as the exact figure shows it.
std::string MeanOf(const DrawSummary& summary, FigureKind kind, runtime::CurrencyId currency, bool signed_value,
                   bool with_currency) {
  if (summary.defined == 0) return "n/a";
  std::string suffix = kind == FigureKind::Percent ? (signed_value ? " pt" : "%")
                       : kind == FigureKind::Money && with_currency ? " " + CurrencyCode(currency)
                                                                    : "";
  std::string number = Fixed(summary.mean, MeanDecimals(kind, currency));
  bool positive = number[0] != '-' && number.find_first_of("123456789") != std::string::npos;
  return svg::Escape(html::GroupDigits((signed_value && positive ? "+" : "") + number + suffix));
}

std::string Marks(const std::string& key, const char* role, std::size_t p, const Group& group) {
  std::string segment = SegmentMark(group);
  return fmt::format(" data-key=\"{}\" data-{}=\"{}\"{}", key, role, p + 1,
                     segment.empty() ? "" : fmt::format(" data-segment=\"{}\"", svg::Escape(segment)));
}

int Confidence(const PolicyColumn& column) { return column.intervals ? column.intervals->confidence_percent : 95; }

}  // namespace

std::string MeanText(const DrawSummary& summary, int decimals, const std::string& suffix) {
  if (summary.defined == 0) return "n/a";
  return svg::Escape(html::GroupDigits(Fixed(summary.mean, decimals) + suffix));
}

std::string IntervalText(const DrawSummary& summary, int decimals, int confidence, const std::string& marks) {
  if (summary.defined == 0) return "";
  return fmt::format(
      "<span class=\"interval\">{}% interval<br><span class=\"bound\"{} data-bound=\"low\">{}</span> to <span "
      "class=\"bound\"{} data-bound=\"high\">{}</span></span>",
      confidence, marks, html::GroupDigits(Fixed(summary.low, decimals)), marks,
      html::GroupDigits(Fixed(summary.high, decimals)));
}

std::optional<svg::BarInterval> Whisker(const DrawSummary& summary, int decimals, const std::string& unit, int confidence,
                                        const std::string& marks) {
  if (summary.defined == 0) return std::nullopt;
  auto shown = [&](double value) { return html::GroupDigits(Fixed(value, decimals) + unit); };
  svg::BarInterval whisker;
  whisker.low = summary.low;
  whisker.high = summary.high;
  whisker.text = fmt::format("mean {}, {}% interval {} to {}", shown(summary.mean), confidence, shown(summary.low),
                             shown(summary.high));
  whisker.attributes = fmt::format("{} data-low=\"{}\" data-high=\"{}\"", marks, Fixed(summary.low, decimals),
                                   Fixed(summary.high, decimals));
  return whisker;
}

std::optional<svg::BarInterval> FigureWhisker(const std::vector<PolicyColumn>& columns, std::size_t p,
                                              const std::string& key, const Group& group) {
  const PolicyColumn& column = columns[p];
  const DrawSummary* summary = FindSummary(column, key, group, false);
  if (summary == nullptr) return std::nullopt;
  const FigureKind kind = KindOf(key);
  const std::string unit = kind == FigureKind::Percent ? "%"
                           : kind == FigureKind::Money ? " " + CurrencyCode(column.metrics.currency)
                                                       : "";
  return Whisker(*summary, MeanDecimals(kind, column.metrics.currency), unit, Confidence(column),
                 Marks(key, "policy", p, group));
}

bool FromModel(const std::vector<PolicyColumn>& columns) {
  return std::all_of(columns.begin(), columns.end(), [](const PolicyColumn& c) { return c.intervals.has_value(); });
}

std::string FigureCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                       const Group& group, bool with_currency) {
  const PolicyColumn& column = columns[p];
  std::string text;
  if (const DrawSummary* summary = FindSummary(column, key, group, false)) {
    text = MeanOf(*summary, KindOf(key), column.metrics.currency, false, with_currency);
  } else {
    text = Shown(Rows(GroupFigures(column, group))[key], column.metrics.currency, false, with_currency);
  }
  return Cell(text, key, "policy", p, SegmentMark(group));
}

std::string IntervalCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                         const Group& group) {
  const DrawSummary* summary = FindSummary(columns[p], key, group, false);
  if (summary == nullptr) return "";
  return IntervalText(*summary, MeanDecimals(KindOf(key), columns[p].metrics.currency), Confidence(columns[p]),
                      Marks(key, "policy", p, group));
}

std::string DifferenceCell(const std::vector<PolicyColumn>& columns, std::size_t p, const std::string& key,
                           bool with_currency) {
  const PolicyColumn& column = columns[p];
  const FigureKind kind = KindOf(key);
  const bool comparable = kind != FigureKind::Money || column.metrics.currency == columns[0].metrics.currency;
  const DrawSummary* summary = FindSummary(column, key, std::nullopt, true);
  if (summary == nullptr || !comparable) {
    std::string text = comparable ? Shown(DifferenceRow(Rows(column.metrics.overall)[key], Rows(columns[0].metrics.overall)[key]),
                                          column.metrics.currency, true, with_currency)
                                  : "n/a";
    return Cell(text, key, "difference", p);
  }
  const bool distinct = summary->distinguishable();
  std::string marks = Marks(key, "difference", p, std::nullopt);
  std::string text = fmt::format("<span class=\"value{}\"{} data-distinguishable=\"{}\">{}</span>",
                                 distinct ? "" : " indistinct", marks, distinct ? "true" : "false",
                                 MeanOf(*summary, kind, column.metrics.currency, true, with_currency));
  text += IntervalText(*summary, MeanDecimals(kind, column.metrics.currency), Confidence(column), marks);
  if (!distinct && summary->defined > 0) {
    text += "<span class=\"indistinct-note\">&asymp; 0: not distinguishable from zero</span>";
  }
  return text;
}

double FigureValue(const PolicyColumn& column, const std::string& key, const Group& group) {
  if (const DrawSummary* summary = FindSummary(column, key, group, false)) return summary->defined > 0 ? summary->mean : 0;
  const FigureRow row = Rows(GroupFigures(column, group))[key];
  switch (row.kind) {
    case FigureKind::Count: return static_cast<double>(row.integer);
    case FigureKind::Money: return MajorUnits(static_cast<std::int64_t>(row.integer), column.metrics.currency);
    default:
      if (!row.ratio.defined()) return 0;
      return static_cast<double>(row.ratio.numerator) / static_cast<double>(row.ratio.denominator) *
             (row.kind == FigureKind::Percent ? 100.0 : 1.0);
  }
}

namespace {

// Money is shown without its code when every policy has the same currency
// (the page says which); with it otherwise.
bool OneCurrency(const std::vector<PolicyColumn>& columns) {
  return std::all_of(columns.begin(), columns.end(),
                     [&](const PolicyColumn& c) { return c.metrics.currency == columns.front().metrics.currency; });
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

std::string HeadlineSection(const std::vector<PolicyColumn>& columns) {
  Rows labels(columns.front().metrics.overall);
  bool codes = !OneCurrency(columns);
  std::string code = CurrencyCode(columns.front().metrics.currency);
  std::vector<std::string> header{"Metric"};
  for (std::size_t p = 0; p < columns.size(); ++p) header.push_back(PolicyHeading(columns, p));
  for (std::size_t p = 1; p < columns.size(); ++p) header.push_back(fmt::format("[{}] &minus; [1]", p + 1));
  std::vector<std::vector<std::string>> body;
  for (const std::string& key : HeadlineKeys()) {
    bool money = labels[key].kind == FigureKind::Money;
    std::vector<std::string> line{Label(labels[key]) + (money && !codes ? " (" + code + ")" : "")};
    for (std::size_t p = 0; p < columns.size(); ++p) {
      line.push_back(FigureCell(columns, p, key, std::nullopt, codes) + IntervalCell(columns, p, key));
    }
    for (std::size_t p = 1; p < columns.size(); ++p) line.push_back(DifferenceCell(columns, p, key, codes));
    body.push_back(std::move(line));
  }
  std::string text = "<h2 id=\"headline\">Headline</h2>\n";
  text += "<div class=\"wide\">" + html::Table("", header, body, "headline") + "</div>\n";
  text += "<p class=\"note\">Net recovered is cash collected by the horizon less contact cost and agency contingency "
          "fees.";
  if (columns.size() > 1) text += " Differences are each policy less the baseline [1].";
  if (FromModel(columns)) {
    const PolicyIntervals& intervals = *columns.front().intervals;
    text += fmt::format(
        " Each figure is the mean over the model's {} Monte Carlo draws; under it, its {}% interval (from the 2.5% to "
        "the 97.5% point of the draws).",
        intervals.draws, intervals.confidence_percent);
    if (columns.size() > 1) {
      text += " Differences are taken draw by draw, with the same random numbers for every policy; a difference whose "
              "interval contains zero is marked <em>&asymp; 0: not distinguishable from zero</em>: the draws cannot "
              "tell the two policies apart on that figure.";
    }
  } else {
    text += " A replay follows the ledger's own payments, so its figures are exact: there are no intervals.";
  }
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
    item("Parameter uncertainty",
         provenance.model->parameter_uncertainty
             ? "yes: the model's parameters drawn from their uncertainty in each draw"
             : "no: the model's estimates in every draw (the intervals show the payments' randomness only)");
    item("Intervals", "from the 2.5% to the 97.5% point of the draws");
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
  bool compare = columns.size() > 1;
  std::string title = compare ? "Recoup: policy comparison" : "Recoup: policy simulation";
  std::string text = html::PageOpen(title);
  text += "<h1>" + title + "</h1>\n";
  std::string subject = compare ? fmt::format("{} policies", columns.size()) : std::string("One policy");
  std::string followed = fmt::format("each invoice followed to {} days after its due date or the ledger's last day, "
                                     "whichever comes first. Money in {}.",
                                     header.horizon_days, CurrencyCode(columns.front().metrics.currency));
  if (FromModel(columns) && provenance.model) {
    text += fmt::format("<p class=\"lead\">{} simulated over the invoices of the ledger <code>{}</code> as of {}, with "
                        "payments sampled from the payment model <code>{}</code> in {} Monte Carlo draws (seed {}{}): {} "
                        "Figures are means over the draws, with {}% intervals.</p>\n",
                        subject, svg::Escape(header.ledger), header.as_of.ToIso(), svg::Escape(provenance.model->file),
                        provenance.model->draws, provenance.model->seed,
                        provenance.model->parameter_uncertainty ? ", with parameter uncertainty" : "", followed,
                        columns.front().intervals->confidence_percent);
  } else {
    text += fmt::format("<p class=\"lead\">{} replayed over the ledger <code>{}</code> as of {}: {}</p>\n", subject,
                        svg::Escape(header.ledger), header.as_of.ToIso(), followed);
  }
  std::vector<std::vector<std::string>> policies;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const PolicyColumn& column = columns[p];
    policies.push_back({fmt::format("[{}]", p + 1), svg::Escape(column.name), svg::Escape(column.version),
                        svg::Escape(column.file), column.customer_subject ? "customer" : "invoice",
                        fmt::format("{}", column.metrics.subjects)});
  }
  text += html::Table("", {"", "Policy", "Version", "File", "Subject", "Subjects"}, policies, "text");
  text += NotCovered(header, columns);
  text += HeadlineSection(columns);
  text += RecoverySection(header, columns);
  text += AgingSection(columns);
  text += CostSection(columns);
  text += AgencySection(columns);
  text += SegmentSection(columns);
  text += ProvenanceSection(header, columns, provenance);
  return text + html::PageClose();
}

}  // namespace recoup::driver
