// The simulate / compare report: a table for people, Markdown, CSV, and
// JSON that keeps every figure (money as decimal strings, never floats).
#include "tools/recoup/simulate_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "language/diagnostics.h"
#include "tools/recoup/html_page.h"

namespace recoup::driver {
namespace {

// One block of the report: all customers, or one segment, with a row list per policy.
struct Section {
  std::string key;    // "all" or the segment name
  std::string title;  // "All customers", "Segment `smb`"
  std::vector<std::vector<FigureRow>> columns;
};

std::vector<Section> Sections(const std::vector<PolicyColumn>& columns) {
  std::vector<Section> sections;
  Section all{"all", "All customers", {}};
  for (const PolicyColumn& column : columns) all.columns.push_back(FigureRows(column.metrics.overall));
  sections.push_back(std::move(all));
  std::set<std::string> names;
  for (const PolicyColumn& column : columns) {
    for (const simulation::SegmentFigures& segment : column.metrics.segments) names.insert(segment.segment);
  }
  for (const std::string& name : names) {
    Section section{name, name.empty() ? "Customers without a segment" : fmt::format("Segment `{}`", name), {}};
    for (const PolicyColumn& column : columns) {
      simulation::Figures figures;
      for (const simulation::SegmentFigures& segment : column.metrics.segments) {
        if (segment.segment == name) figures = segment.figures;
      }
      section.columns.push_back(FigureRows(figures));
    }
    sections.push_back(std::move(section));
  }
  return sections;
}

bool Shown(const Section& section, std::size_t row) {
  if (!section.columns.front()[row].hide_when_zero) return true;
  return std::any_of(section.columns.begin(), section.columns.end(), [&](const std::vector<FigureRow>& rows) {
    return rows[row].integer != 0 || rows[row].ratio.numerator != 0;
  });
}

// The cells of one row: each policy, then each difference to the first.
std::vector<std::string> Cells(const Section& section, std::size_t row, const std::vector<PolicyColumn>& columns,
                               bool with_currency) {
  std::vector<std::string> cells;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    cells.push_back(FormatFigure(section.columns[p][row], columns[p].metrics.currency, with_currency, false));
  }
  for (std::size_t p = 1; p < columns.size(); ++p) {
    const FigureRow& row_figure = section.columns[p][row];
    bool comparable = row_figure.kind != FigureKind::Money || columns[p].metrics.currency == columns[0].metrics.currency;
    cells.push_back(comparable ? FormatFigure(DifferenceRow(row_figure, section.columns[0][row]),
                                              columns[p].metrics.currency, with_currency, true)
                               : "n/a");
  }
  return cells;
}

std::vector<std::string> HeaderCells(const std::vector<PolicyColumn>& columns) {
  std::vector<std::string> cells;
  for (std::size_t p = 0; p < columns.size(); ++p) cells.push_back(fmt::format("[{}]", p + 1));
  for (std::size_t p = 1; p < columns.size(); ++p) cells.push_back(fmt::format("[{}]-[1]", p + 1));
  return cells;
}

std::string Preamble(const ReportHeader& header, const std::vector<PolicyColumn>& columns, const char* bullet) {
  std::string sub = *bullet == '\0' ? "    " : "  - ";
  std::string text = fmt::format("Replay of the ledger {} (as of {}): each invoice followed to {} days after its due date "
                                 "or the ledger's last day, whichever comes first.\n",
                                 header.ledger, header.as_of.ToIso(), header.horizon_days);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const PolicyColumn& column = columns[p];
    const simulation::Metrics& metrics = column.metrics;
    text += fmt::format("{}[{}] {}: \"{}\" version {} ({}, each {}; {} subjects)\n", bullet, p + 1, column.file, column.name,
                        column.version, runtime::InfoOf(metrics.currency).code,
                        column.customer_subject ? "customer" : "invoice", metrics.subjects);
    for (const simulation::CurrencyCount& other : metrics.other_currencies) {
      text += fmt::format("{}not covered: {} invoices in {} ({})\n", sub, other.invoices,
                          runtime::InfoOf(other.currency).code, runtime::ToString(runtime::Money{other.amount, other.currency}));
    }
    if (metrics.credit_notes > 0) {
      text += fmt::format("{}not covered: {} credit notes ({})\n", sub, metrics.credit_notes,
                          runtime::ToString(runtime::Money{metrics.credit_note_amount, metrics.currency}));
    }
    if (metrics.issued_after_as_of > 0) {
      text += fmt::format("{}not covered: {} invoices issued after {}\n", sub, metrics.issued_after_as_of,
                          header.as_of.ToIso());
    }
  }
  return text;
}

std::string RenderTable(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  std::string text = Preamble(header, columns, "");
  for (const Section& section : Sections(columns)) {
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> head{""};
    for (std::string& cell : HeaderCells(columns)) head.push_back(std::move(cell));
    lines.push_back(std::move(head));
    for (std::size_t row = 0; row < section.columns.front().size(); ++row) {
      if (!Shown(section, row)) continue;
      std::vector<std::string> line{section.columns.front()[row].label};
      for (std::string& cell : Cells(section, row, columns, false)) line.push_back(std::move(cell));
      lines.push_back(std::move(line));
    }
    std::vector<std::size_t> widths(lines.front().size(), 0);
    for (const auto& line : lines) {
      for (std::size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], line[c].size());
    }
    text += fmt::format("\n== {} (money in {})\n", section.title, runtime::InfoOf(columns.front().metrics.currency).code);
    for (const auto& line : lines) {
      std::string out = fmt::format("{:<{}}", line[0], widths[0]);
      for (std::size_t c = 1; c < line.size(); ++c) out += fmt::format("  {:>{}}", line[c], widths[c]);
      text += out + "\n";
    }
  }
  return text;
}

// A figure of the overall group by key, the headline's net included.
FigureRow OverallRow(const PolicyColumn& column, const std::string& key) {
  if (key == "net_recovered") return NetRecoveredRow(column.metrics.overall);
  for (FigureRow& row : FigureRows(column.metrics.overall)) {
    if (row.key == key) return row;
  }
  return {};
}

std::string MarkdownLabel(std::string label) {
  label.erase(0, label.find_first_not_of(' '));
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

// Shaped for a pull request comment: the headline table first, then the
// differences in words, then every figure folded away under <details>.
std::string RenderMarkdown(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  std::string text = fmt::format("## Recoup replay: {} over `{}`\n\n",
                                 columns.size() == 1 ? fmt::format("`{}`", columns[0].file)
                                                     : fmt::format("{} policies", columns.size()),
                                 header.ledger);
  text += fmt::format("As of {}, each invoice followed to {} days after its due date. ", header.as_of.ToIso(),
                      header.horizon_days);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    text += fmt::format("{}**[{}]** `{}` (\"{}\" {})", p == 0 ? "" : ", ", p + 1, columns[p].file, columns[p].name,
                        columns[p].version);
  }
  text += columns.size() > 1 ? "; [1] is the baseline.\n\n" : ".\n\n";
  text += "| Headline |";
  std::string rule = "|---|";
  for (const std::string& cell : HeaderCells(columns)) {
    text += " " + cell + " |";
    rule += "---:|";
  }
  text += "\n" + rule + "\n";
  for (const std::string& key : HeadlineKeys()) {
    text += "| " + MarkdownLabel(OverallRow(columns[0], key).label) + " |";
    for (std::size_t p = 0; p < columns.size(); ++p) {
      text += " " + html::GroupDigits(FormatFigure(OverallRow(columns[p], key), columns[p].metrics.currency, true, false)) + " |";
    }
    for (std::size_t p = 1; p < columns.size(); ++p) {
      FigureRow row = OverallRow(columns[p], key);
      bool comparable = row.kind != FigureKind::Money || columns[p].metrics.currency == columns[0].metrics.currency;
      std::string cell = comparable ? FormatFigure(DifferenceRow(row, OverallRow(columns[0], key)), columns[p].metrics.currency,
                                                   true, true)
                                    : "n/a";
      text += " **" + html::GroupDigits(cell) + "** |";
    }
    text += "\n";
  }
  if (columns.size() > 1) {
    text += "\n**Differences to [1]**\n\n";
    for (std::size_t p = 1; p < columns.size(); ++p) {
      std::vector<std::string> parts;
      static const std::pair<const char*, const char*> kChanges[] = {
          {"net_recovered", "net recovered"},    {"contact_cost", "contact cost"}, {"contingency_fees", "agency fees"},
          {"recovery_rate_percent", "recovery rate"}, {"dso_days", "DSO (days)"},   {"touches_per_customer", "touches per customer"},
          {"agency_placements", "agency placements"}};
      for (const auto& [key, words] : kChanges) {
        FigureRow row = OverallRow(columns[p], key);
        if (row.kind == FigureKind::Money && columns[p].metrics.currency != columns[0].metrics.currency) continue;
        FigureRow difference = DifferenceRow(row, OverallRow(columns[0], key));
        std::string value = html::GroupDigits(FormatFigure(difference, columns[p].metrics.currency, true, true));
        // Left out when it shows as zero (an exact difference too small for the decimals shown).
        if (value.find_first_of("123456789") == std::string::npos) continue;
        parts.push_back(fmt::format("{} {}", words, value));
      }
      text += fmt::format("- **[{}] {}**: {}\n", p + 1, columns[p].name,
                          parts.empty() ? std::string("the same headline figures") : fmt::format("{}", fmt::join(parts, ", ")));
    }
  }
  text += "\n<details><summary>All figures, overall and by segment</summary>\n\n";
  text += Preamble(header, columns, "- ");
  for (const Section& section : Sections(columns)) {
    text += fmt::format("\n#### {}\n\n| Metric |", section.title);
    std::string section_rule = "|---|";
    for (const std::string& cell : HeaderCells(columns)) {
      text += " " + cell + " |";
      section_rule += "---:|";
    }
    text += "\n" + section_rule + "\n";
    for (std::size_t row = 0; row < section.columns.front().size(); ++row) {
      if (!Shown(section, row)) continue;
      std::string label = section.columns.front()[row].label;
      label.erase(0, label.find_first_not_of(' '));
      text += "| " + label + " |";
      for (const std::string& cell : Cells(section, row, columns, true)) text += " " + cell + " |";
      text += "\n";
    }
  }
  return text + "\n</details>\n";
}

// Machine values: counts as integers, money as plain decimals, ratios with
// 4 decimals (percent points for percentages); "" / null when undefined.
std::string MachineValue(const FigureRow& row, runtime::CurrencyId currency) {
  switch (row.kind) {
    case FigureKind::Count: return fmt::format("{}", static_cast<std::int64_t>(row.integer));
    case FigureKind::Money: return runtime::ToPlainString(runtime::Money{static_cast<std::int64_t>(row.integer), currency});
    default: return row.ratio.defined() ? simulation::FormatRatio(row.ratio, row.kind == FigureKind::Percent ? 100 : 1, 4) : "";
  }
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string RenderCsv(const std::vector<PolicyColumn>& columns) {
  std::string text = "section,metric";
  for (const PolicyColumn& column : columns) text += "," + CsvField(column.file);
  for (std::size_t p = 1; p < columns.size(); ++p) text += "," + CsvField(columns[p].file + " - " + columns[0].file);
  text += "\n";
  for (const Section& section : Sections(columns)) {
    for (std::size_t row = 0; row < section.columns.front().size(); ++row) {
      text += CsvField(section.key) + "," + section.columns.front()[row].key;
      for (std::size_t p = 0; p < columns.size(); ++p) text += "," + MachineValue(section.columns[p][row], columns[p].metrics.currency);
      for (std::size_t p = 1; p < columns.size(); ++p) {
        bool comparable = section.columns[p][row].kind != FigureKind::Money ||
                          columns[p].metrics.currency == columns[0].metrics.currency;
        text += "," + (comparable ? MachineValue(DifferenceRow(section.columns[p][row], section.columns[0][row]),
                                                 columns[p].metrics.currency)
                                  : std::string());
      }
      text += "\n";
    }
  }
  return text;
}

// `money_comparable` false: differences of money between two currencies, left null.
std::string JsonFigures(const std::vector<FigureRow>& rows, runtime::CurrencyId currency, bool money_comparable = true) {
  std::string text = "{";
  for (std::size_t row = 0; row < rows.size(); ++row) {
    bool known = money_comparable || rows[row].kind != FigureKind::Money;
    std::string value = known ? MachineValue(rows[row], currency) : "";
    if (rows[row].kind == FigureKind::Count) {
    } else if (value.empty()) {
      value = "null";
    } else {
      value = language::JsonQuote(value);
    }
    text += fmt::format("{}{}: {}", row == 0 ? "" : ", ", language::JsonQuote(rows[row].key), value);
  }
  return text + "}";
}

std::string RenderJson(const ReportHeader& header, const std::vector<PolicyColumn>& columns) {
  std::vector<Section> sections = Sections(columns);
  std::string text = fmt::format("{{\n  \"ledger\": {},\n  \"as_of\": \"{}\",\n  \"horizon_days\": {},\n  \"premature_days\": {},\n"
                                 "  \"policies\": [\n",
                                 language::JsonQuote(header.ledger), header.as_of.ToIso(), header.horizon_days,
                                 header.premature_days);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const PolicyColumn& column = columns[p];
    const simulation::Metrics& metrics = column.metrics;
    std::string currency = std::string(runtime::InfoOf(metrics.currency).code);
    std::string others;
    for (const simulation::CurrencyCount& other : metrics.other_currencies) {
      others += fmt::format("{}{{\"currency\": \"{}\", \"invoices\": {}, \"amount\": \"{}\"}}", others.empty() ? "" : ", ",
                            runtime::InfoOf(other.currency).code, other.invoices,
                            runtime::ToPlainString(runtime::Money{other.amount, other.currency}));
    }
    text += fmt::format(
        "    {{\"file\": {}, \"name\": {}, \"version\": {}, \"currency\": \"{}\", \"subject\": \"{}\", \"subjects\": {},\n"
        "     \"not_covered\": {{\"other_currencies\": [{}], \"credit_notes\": {}, \"credit_note_amount\": \"{}\", "
        "\"issued_after_as_of\": {}}},\n     \"conservation_ok\": {},\n",
        language::JsonQuote(column.file), language::JsonQuote(column.name), language::JsonQuote(column.version), currency,
        column.customer_subject ? "customer" : "invoice", metrics.subjects, others, metrics.credit_notes,
        runtime::ToPlainString(runtime::Money{metrics.credit_note_amount, metrics.currency}), metrics.issued_after_as_of,
        metrics.conservation_ok ? "true" : "false");
    text += "     \"overall\": " + JsonFigures(sections[0].columns[p], metrics.currency) + ",\n     \"segments\": [";
    for (std::size_t s = 1; s < sections.size(); ++s) {
      text += fmt::format("{}\n       {{\"segment\": {}, \"figures\": {}}}", s == 1 ? "" : ",", language::JsonQuote(sections[s].key),
                          JsonFigures(sections[s].columns[p], metrics.currency));
    }
    text += fmt::format("]}}{}\n", p + 1 == columns.size() ? "" : ",");
  }
  text += "  ],\n  \"differences\": [";
  for (std::size_t p = 1; p < columns.size(); ++p) {
    text += fmt::format("{}\n    {{\"policy\": {}, \"baseline\": {}, \"segments\": [", p == 1 ? "" : ",",
                        language::JsonQuote(columns[p].file), language::JsonQuote(columns[0].file));
    for (std::size_t s = 0; s < sections.size(); ++s) {
      std::vector<FigureRow> differences;
      for (std::size_t row = 0; row < sections[s].columns[p].size(); ++row) {
        differences.push_back(DifferenceRow(sections[s].columns[p][row], sections[s].columns[0][row]));
      }
      text += fmt::format("{}\n       {{\"segment\": {}, \"figures\": {}}}", s == 0 ? "" : ",",
                          s == 0 ? "null" : language::JsonQuote(sections[s].key),
                          JsonFigures(differences, columns[p].metrics.currency,
                                      columns[p].metrics.currency == columns[0].metrics.currency));
    }
    text += "]}";
  }
  text += columns.size() > 1 ? "\n  ]\n}\n" : "]\n}\n";
  return text;
}

}  // namespace

std::string RenderReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns, ReportFormat format) {
  switch (format) {
    case ReportFormat::Table: return RenderTable(header, columns);
    case ReportFormat::Markdown: return RenderMarkdown(header, columns);
    case ReportFormat::Csv: return RenderCsv(columns);
    case ReportFormat::Json: return RenderJson(header, columns);
  }
  return "";
}

}  // namespace recoup::driver
