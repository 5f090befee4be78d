// The `recoup diff` report: text for a terminal, Markdown for a pull-request
// comment, JSON for tools. The ledger metrics come from the simulate /
// compare report (RenderReport), never from a second table printer.
#include <fmt/format.h>

#include <algorithm>

#include "language/diagnostics.h"
#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {
namespace {

using language::JsonQuote;

// One line of a side-by-side timeline.
struct Row {
  runtime::Date date;
  std::string before, after;
  bool differs = false;
};

std::vector<Row> SideBySide(const Timeline& before, const Timeline& after) {
  std::vector<Row> rows;
  std::size_t i = 0, j = 0;
  while (i < before.entries.size() || j < after.entries.size()) {
    runtime::Date day = i < before.entries.size() ? before.entries[i].date : after.entries[j].date;
    if (j < after.entries.size() && after.entries[j].date < day) day = after.entries[j].date;
    std::vector<const TimelineEntry*> was, now;
    for (; i < before.entries.size() && before.entries[i].date == day; ++i) was.push_back(&before.entries[i]);
    for (; j < after.entries.size() && after.entries[j].date == day; ++j) now.push_back(&after.entries[j]);
    std::vector<bool> used(now.size(), false);
    std::vector<const TimelineEntry*> left_over;
    for (const TimelineEntry* entry : was) {
      bool paired = false;
      for (std::size_t n = 0; n < now.size() && !paired; ++n) {
        if (!used[n] && *now[n] == *entry) {
          used[n] = paired = true;
          rows.push_back({day, EntryText(*entry, before.currency), EntryText(*now[n], after.currency), false});
        }
      }
      if (!paired) left_over.push_back(entry);
    }
    std::vector<const TimelineEntry*> added;
    for (std::size_t n = 0; n < now.size(); ++n) {
      if (!used[n]) added.push_back(now[n]);
    }
    for (std::size_t k = 0; k < std::max(left_over.size(), added.size()); ++k) {
      rows.push_back({day, k < left_over.size() ? EntryText(*left_over[k], before.currency) : "",
                      k < added.size() ? EntryText(*added[k], after.currency) : "", true});
    }
  }
  return rows;
}

std::string Relative(runtime::Date date, runtime::Date due) {
  std::int32_t days = date - due;
  if (days == 0) return "due";
  return fmt::format("due{}{}", days > 0 ? "+" : "", days);
}

std::string Money(std::int64_t minor, runtime::CurrencyId currency) {
  return runtime::ToString(runtime::Money{minor, currency});
}

std::string OwedText(const Timeline& timeline) {
  if (timeline.error) return "the run failed: " + *timeline.error;
  std::string text =
      fmt::format("still owed {} (principal {}, fees {}, interest {})",
                  Money(timeline.open_principal + timeline.open_fees + timeline.open_interest, timeline.currency),
                  Money(timeline.open_principal, timeline.currency), Money(timeline.open_fees, timeline.currency),
                  Money(timeline.open_interest, timeline.currency));
  if (timeline.written_off != 0) text += ", written off " + Money(timeline.written_off, timeline.currency);
  return text;
}

bool SameMoney(const Timeline& a, const Timeline& b) {
  return a.error == b.error && a.open_principal == b.open_principal && a.open_fees == b.open_fees &&
         a.open_interest == b.open_interest && a.written_off == b.written_off;
}

std::string Verdict(const DiffReport& report) {
  return report.differs ? "The behaviour differs." : "The behaviour is the same.";
}

std::string ExplorationSummary(const DiffReport& report) {
  const Exploration& exploration = report.exploration;
  std::string text = fmt::format("{} of {} explored subjects behave differently (budget {}, seed {})",
                                 exploration.differing, exploration.explored, report.budget, report.seed);
  return text;
}

std::string NoExampleNote(const DiffReport& report) {
  if (!report.exploration.examples.empty() || !report.rules.matters()) return "";
  return "No example found among the subjects explored: the change may show only for rarer invoices, or never. "
         "`--ledger DIR` checks every subject of real data.";
}

std::string Article(const RuleChange& change) {
  return fmt::format("{} {}: {}", change.area, change.kind, change.where);
}

// ---- text ----

std::string TextRules(const DiffReport& report) {
  std::string text = "\nRules\n";
  if (report.rules.changes.empty()) text += "  no rule changed\n";
  for (const RuleChange& change : report.rules.changes) {
    text += "  " + Article(change) + (change.matters ? "" : " (does not change behaviour by itself)") + "\n";
    for (const std::string& detail : change.details) text += "    " + detail + "\n";
  }
  for (const std::string& ignored : report.rules.ignored_unreachable) {
    text += "  left out, can never fire: " + ignored + "\n";
  }
  return text;
}

// The side-by-side table of two timelines, indented for the text report.
std::string TextTimelines(const Timeline& before, const Timeline& after, runtime::Date due) {
  std::vector<Row> rows = SideBySide(before, after);
  std::size_t width = 3;
  for (const Row& row : rows) width = std::max(width, row.before.size());
  std::string text = fmt::format("      {:<10}  {:<8} {:<{}}  {}\n", "date", "day", "old", width, "new");
  for (const Row& row : rows) {
    std::string line = fmt::format("    {} {}  {:<8} {:<{}}  {}", row.differs ? '*' : ' ', row.date.ToIso(),
                                   Relative(row.date, due), row.before, width, row.after);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  if (rows.empty()) text += "      (no actions in either version)\n";
  return text;
}

std::string TextExample(const Example& example, std::size_t number) {
  runtime::Date due = example.scenario.facts.invoices.front().due;
  std::string text = fmt::format("\n  Example {}: {}\n", number, example.scenario.description);
  std::string changes;
  for (const std::string& change : example.changes) changes += (changes.empty() ? "" : "; ") + change;
  text += "    changes: " + changes + "\n";
  text += TextTimelines(example.before, example.after, due);
  if (!SameMoney(example.before, example.after)) {
    text += fmt::format("    at the horizon {}:\n      old: {}\n      new: {}\n",
                        example.scenario.options.horizon.ToIso(), OwedText(example.before), OwedText(example.after));
  }
  return text;
}

std::string GroupExamples(const ChangeGroup& group) {
  std::string text;
  for (const std::string& example : group.examples) text += (text.empty() ? "" : ", ") + example;
  return text;
}

std::string RenderText(const DiffReport& report) {
  std::string text = fmt::format("recoup diff {} {}\n{}\n", report.old_file, report.new_file, Verdict(report));
  text += TextRules(report);
  text += "\nExamples: " + ExplorationSummary(report) + "\n";
  for (std::size_t e = 0; e < report.exploration.examples.size(); ++e) {
    text += TextExample(report.exploration.examples[e], e + 1);
  }
  if (std::string note = NoExampleNote(report); !note.empty()) text += "  " + note + "\n";
  if (report.ledger) {
    const LedgerDiff& ledger = *report.ledger;
    text += fmt::format("\nLedger {}: {} of {} {} have a different action timeline\n", ledger.header.ledger,
                        ledger.changed, ledger.subjects, ledger.subject_word);
    for (const ChangeGroup& group : ledger.groups) {
      text += fmt::format("  {:>6}  {}  (e.g. {})\n", group.subjects, group.change, GroupExamples(group));
    }
    for (const LedgerExample& example : ledger.shown) {
      text += fmt::format("\n  {} ({}):\n", example.subject, example.change);
      text += TextTimelines(example.before, example.after, example.due);
    }
    text += "\n" + RenderReport(ledger.header, ledger.columns, ReportFormat::Table);
  }
  return text;
}

// ---- markdown ----

std::string Cell(std::string text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// The side-by-side table in Markdown; `≠` marks the rows that differ.
std::string MarkdownTimelines(const Timeline& before, const Timeline& after, runtime::Date due) {
  std::string text = "|  | date | day | old | new |\n|---|---|---|---|---|\n";
  for (const Row& row : SideBySide(before, after)) {
    text += fmt::format("| {} | {} | {} | {} | {} |\n", row.differs ? "≠" : "", row.date.ToIso(),
                        Relative(row.date, due), Cell(row.before), Cell(row.after));
  }
  return text;
}

// The simulate report's headings one level down, under the diff's own
// (its top heading is `##`, the diff's sections are `###`).
std::string Demoted(const std::string& markdown) {
  std::string text;
  std::size_t start = 0;
  while (start < markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    if (end == std::string::npos) end = markdown.size();
    std::string line = markdown.substr(start, end - start);
    if (!line.empty() && line[0] == '#') line = "#" + line;
    text += line + "\n";
    start = end + 1;
  }
  return text;
}

std::string RenderMarkdown(const DiffReport& report) {
  std::string text = fmt::format("## Policy diff: `{}` → `{}`\n\n**{}**\n\n### Rules\n\n", report.old_file,
                                 report.new_file, Verdict(report));
  if (report.rules.changes.empty()) text += "No rule changed.\n";
  for (const RuleChange& change : report.rules.changes) {
    text += fmt::format("- **{} {}** {}{}\n", change.area, change.kind, change.where,
                        change.matters ? "" : " (does not change behaviour by itself)");
    for (const std::string& detail : change.details) text += "  - `" + detail + "`\n";
  }
  for (const std::string& ignored : report.rules.ignored_unreachable)
    text += "- left out, can never fire: " + ignored + "\n";
  text += "\n### Examples\n\n" + ExplorationSummary(report) + ".\n";
  for (std::size_t e = 0; e < report.exploration.examples.size(); ++e) {
    const Example& example = report.exploration.examples[e];
    runtime::Date due = example.scenario.facts.invoices.front().due;
    std::string changes;
    for (const std::string& change : example.changes) changes += (changes.empty() ? "" : "; ") + change;
    text +=
        fmt::format("\n**Example {}**: {}. Changes: {}.\n\n", e + 1, Cell(example.scenario.description), Cell(changes));
    text += MarkdownTimelines(example.before, example.after, due);
    if (!SameMoney(example.before, example.after)) {
      text += fmt::format("\nAt the horizon ({}): old {}; new {}.\n", example.scenario.options.horizon.ToIso(),
                          Cell(OwedText(example.before)), Cell(OwedText(example.after)));
    }
  }
  if (std::string note = NoExampleNote(report); !note.empty()) text += "\n" + note + "\n";
  if (report.ledger) {
    const LedgerDiff& ledger = *report.ledger;
    text += fmt::format("\n### Ledger `{}`\n\n{} of {} {} have a different action timeline.\n", ledger.header.ledger,
                        ledger.changed, ledger.subjects, ledger.subject_word);
    if (!ledger.groups.empty())
      text += fmt::format("\n| {} | change | examples |\n|---:|---|---|\n", ledger.subject_word);
    for (const ChangeGroup& group : ledger.groups) {
      text += fmt::format("| {} | {} | {} |\n", group.subjects, Cell(group.change), Cell(GroupExamples(group)));
    }
    for (const LedgerExample& example : ledger.shown) {
      text += fmt::format("\n**{}** ({}):\n\n", Cell(example.subject), Cell(example.change));
      text += MarkdownTimelines(example.before, example.after, example.due);
    }
    text += "\n" + Demoted(RenderReport(ledger.header, ledger.columns, ReportFormat::Markdown));
  }
  return text;
}

// ---- JSON ----

std::string JsonStrings(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + JsonQuote(items[i]);
  return text + "]";
}

std::string JsonMoney(std::int64_t minor, runtime::CurrencyId currency) {
  return JsonQuote(runtime::ToPlainString(runtime::Money{minor, currency}));
}

std::string JsonTimeline(const Timeline& timeline, runtime::Date due) {
  std::string text = "{\"actions\": [";
  for (std::size_t i = 0; i < timeline.entries.size(); ++i) {
    const TimelineEntry& entry = timeline.entries[i];
    text += fmt::format(
        "{}{{\"date\": \"{}\", \"relative\": \"{}\", \"kind\": {}, \"text\": {}, \"terms\": {}, \"amount\": {}, "
        "\"invoices\": {}}}",
        i ? ", " : "", entry.date.ToIso(), Relative(entry.date, due), JsonQuote(compiler::ActionSpelling(entry.kind)),
        JsonQuote(entry.text), JsonQuote(entry.terms),
        entry.amount ? JsonMoney(*entry.amount, timeline.currency) : "null", JsonQuote(entry.invoices));
  }
  text += fmt::format(
      "], \"error\": {}, \"at_horizon\": {{\"principal\": {}, \"fees\": {}, \"interest\": {}, "
      "\"written_off\": {}}}}}",
      timeline.error ? JsonQuote(*timeline.error) : "null", JsonMoney(timeline.open_principal, timeline.currency),
      JsonMoney(timeline.open_fees, timeline.currency), JsonMoney(timeline.open_interest, timeline.currency),
      JsonMoney(timeline.written_off, timeline.currency));
  return text;
}

std::string RenderJson(const DiffReport& report) {
  std::string text =
      fmt::format("{{\n  \"old\": {},\n  \"new\": {},\n  \"differs\": {},\n  \"rules\": [", JsonQuote(report.old_file),
                  JsonQuote(report.new_file), report.differs ? "true" : "false");
  for (std::size_t c = 0; c < report.rules.changes.size(); ++c) {
    const RuleChange& change = report.rules.changes[c];
    text += fmt::format("{}\n    {{\"area\": {}, \"kind\": {}, \"where\": {}, \"details\": {}, \"matters\": {}}}",
                        c ? "," : "", JsonQuote(change.area), JsonQuote(change.kind), JsonQuote(change.where),
                        JsonStrings(change.details), change.matters ? "true" : "false");
  }
  text += report.rules.changes.empty() ? "],\n" : "\n  ],\n";
  text += "  \"ignored_unreachable\": " + JsonStrings(report.rules.ignored_unreachable) + ",\n";
  const Exploration& exploration = report.exploration;
  text += fmt::format(
      "  \"exploration\": {{\"budget\": {}, \"seed\": {}, \"explored\": {}, \"differing\": {}, \"examples\": [",
      report.budget, report.seed, exploration.explored, exploration.differing);
  for (std::size_t e = 0; e < exploration.examples.size(); ++e) {
    const Example& example = exploration.examples[e];
    runtime::Date due = example.scenario.facts.invoices.front().due;
    text += fmt::format(
        "{}\n    {{\"subject\": {}, \"horizon\": \"{}\", \"changes\": {},\n     \"old\": {},\n     \"new\": {}}}",
        e ? "," : "", JsonQuote(example.scenario.description), example.scenario.options.horizon.ToIso(),
        JsonStrings(example.changes), JsonTimeline(example.before, due), JsonTimeline(example.after, due));
  }
  text += exploration.examples.empty() ? "]},\n" : "\n  ]},\n";
  if (!report.ledger) return text + "  \"ledger\": null\n}\n";
  const LedgerDiff& ledger = *report.ledger;
  text +=
      fmt::format("  \"ledger\": {{\"path\": {}, \"subject\": \"{}\", \"subjects\": {}, \"changed\": {}, \"groups\": [",
                  JsonQuote(ledger.header.ledger), ledger.subject_word == "customers" ? "customer" : "invoice",
                  ledger.subjects, ledger.changed);
  for (std::size_t g = 0; g < ledger.groups.size(); ++g) {
    const ChangeGroup& group = ledger.groups[g];
    text += fmt::format("{}\n    {{\"change\": {}, \"subjects\": {}, \"examples\": {}}}", g ? "," : "",
                        JsonQuote(group.change), group.subjects, JsonStrings(group.examples));
  }
  std::string metrics = RenderReport(ledger.header, ledger.columns, ReportFormat::Json);
  while (!metrics.empty() && metrics.back() == '\n') metrics.pop_back();
  text += ledger.groups.empty() ? "],\n  \"shown\": [" : "\n  ],\n  \"shown\": [";
  for (std::size_t e = 0; e < ledger.shown.size(); ++e) {
    const LedgerExample& example = ledger.shown[e];
    text += fmt::format("{}\n    {{\"subject\": {}, \"change\": {},\n     \"old\": {},\n     \"new\": {}}}",
                        e ? "," : "", JsonQuote(example.subject), JsonQuote(example.change),
                        JsonTimeline(example.before, example.due), JsonTimeline(example.after, example.due));
  }
  text += ledger.shown.empty() ? "],\n" : "\n  ],\n";
  text += "  \"metrics\": " + metrics + "}\n}\n";
  return text;
}

}  // namespace

std::string RenderDiff(const DiffReport& report, DiffFormat format) {
  switch (format) {
    case DiffFormat::Text:
      return RenderText(report);
    case DiffFormat::Markdown:
      return RenderMarkdown(report);
    case DiffFormat::Json:
      return RenderJson(report);
  }
  return "";
}

}  // namespace recoup::driver::diff
