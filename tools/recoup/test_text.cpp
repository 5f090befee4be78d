// `recoup test` for a person: PASS/FAIL per test; on failure the expected
// and the actual timeline side by side, then each failed expectation in
// plain words; coverage; the final `N passed, N failed` line.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "tools/recoup/test_command.h"

namespace recoup::driver {
namespace {

using compiler::ExpectationKind;
using compiler::TimelineAction;

// One line of the side-by-side table.
struct Row {
  bool failed = false;  // the expectation on the left failed
  std::string expected;
  std::string actual;
};

std::string DatedCell(const ExplainView& view, runtime::Date date, const std::string& text) {
  return fmt::format("{} {:<8} {}", date.ToIso(), RelativeToDue(view, date), text);
}

// The expectations and the actions of one day.
struct Day {
  std::vector<std::uint32_t> expectations;  // indexes into the result's expectations
  std::vector<std::size_t> actions;         // indexes into the timeline
};

// Pairs each expectation of `day` with the action it is about (the one it
// matches, or else one of the same kind), so they share a row.
void AddDayRows(const TestView& view, runtime::Date date, const Day& day, std::vector<Row>& rows) {
  const ExplainView& explain = view.explain;
  std::vector<bool> used(day.actions.size(), false);
  auto take = [&](auto&& accept) -> std::string {
    for (std::size_t i = 0; i < day.actions.size(); ++i) {
      const TimelineAction& taken = view.result.timeline[day.actions[i]];
      if (used[i] || !accept(taken)) continue;
      used[i] = true;
      return DatedCell(explain, taken.date, TakenText(taken.action));
    }
    return "";
  };
  // First the actions an expectation matches exactly, then, for the rest,
  // an action of the same kind (another template or amount).
  std::vector<Row> day_rows;
  for (std::uint32_t index : day.expectations) {
    const compiler::Expectation& expectation = view.test.expectations[index];
    Row row{!view.result.expectations[index].passed(), DatedCell(explain, date, ExpectedText(expectation)), ""};
    if (expectation.kind == ExpectationKind::BalanceAt) {
      const std::optional<compiler::BalancePoint>& balance = view.result.expectations[index].balance;
      row.actual = DatedCell(explain, date, balance ? "balance " + runtime::ToString(balance->open) : "(not part of the run)");
    } else {
      row.actual = take([&](const TimelineAction& taken) { return compiler::ActionMatches(expectation, taken.action); });
    }
    day_rows.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < day.expectations.size(); ++i) {
    const compiler::Expectation& expectation = view.test.expectations[day.expectations[i]];
    if (!day_rows[i].actual.empty() || expectation.kind == ExpectationKind::BalanceAt) continue;
    day_rows[i].actual = take([&](const TimelineAction& taken) { return taken.action.kind == expectation.action; });
  }
  rows.insert(rows.end(), day_rows.begin(), day_rows.end());
  for (std::size_t i = 0; i < day.actions.size(); ++i) {
    if (used[i]) continue;
    const TimelineAction& taken = view.result.timeline[day.actions[i]];
    rows.push_back({false, "", DatedCell(explain, taken.date, TakenText(taken.action))});
  }
}

std::vector<Row> SideBySide(const TestView& view) {
  std::map<runtime::Date, Day> days;
  for (std::uint32_t i = 0; i < view.result.expectations.size(); ++i) {
    const compiler::Expectation& expectation = view.test.expectations[i];
    if (expectation.kind != ExpectationKind::Never) days[expectation.date].expectations.push_back(i);
  }
  for (std::size_t i = 0; i < view.result.timeline.size(); ++i) days[view.result.timeline[i].date].actions.push_back(i);
  std::vector<Row> rows;
  for (const auto& [date, day] : days) AddDayRows(view, date, day, rows);
  for (std::uint32_t i = 0; i < view.result.expectations.size(); ++i) {
    const compiler::Expectation& expectation = view.test.expectations[i];
    if (expectation.kind != ExpectationKind::Never) continue;
    const compiler::ExpectationResult& outcome = view.result.expectations[i];
    if (outcome.actual.empty()) {
      rows.push_back({false, ExpectedText(expectation), "none"});
      continue;
    }
    for (std::size_t k = 0; k < outcome.actual.size(); ++k) {
      const TimelineAction& taken = outcome.actual[k];
      rows.push_back({k == 0, k == 0 ? ExpectedText(expectation) : "",
                      DatedCell(view.explain, taken.date, TakenText(taken.action))});
    }
  }
  return rows;
}

std::string RenderFailure(const TestView& view) {
  std::string text;
  if (view.result.failure) {
    text += fmt::format("    the test could not run to the end: {}\n", *view.result.failure);
    if (view.result.failure->find("no value was given") != std::string::npos) {
      text += "    give it in the test: `customer NAME = VALUE`, or `with NAME = VALUE` after the invoice\n";
    }
  }
  std::vector<Row> rows = SideBySide(view);
  if (rows.empty()) return text;
  std::size_t width = std::string_view("expected").size();
  for (const Row& row : rows) width = std::max(width, row.expected.size());
  auto line = [&](const Row& row) {
    std::string rendered = fmt::format("    {} {:<{}} | {}", row.failed ? "x" : " ", row.expected, width, row.actual);
    while (!rendered.empty() && rendered.back() == ' ') rendered.pop_back();
    return rendered + "\n";
  };
  text += line({false, "expected", "the policy did"});
  for (const Row& row : rows) text += line(row);
  for (const compiler::ExpectationResult& outcome : view.result.expectations) {
    if (outcome.passed()) continue;
    const compiler::Expectation& expectation = view.test.expectations[outcome.index];
    text += fmt::format("    line {}: {}\n", LineOf(view.explain, expectation.range), ExplainOutcome(view, outcome));
  }
  return text;
}

}  // namespace

std::string RenderTestFileText(const TestFileView& file) {
  if (file.errors > 0) {
    return fmt::format("FAIL  {}: the policy has {} error{}; its tests were not run\n", file.path, file.errors,
                       file.errors == 1 ? "" : "s");
  }
  if (file.tests.empty()) {
    bool library = file.policy != nullptr && file.policy->is_library;
    return fmt::format("NONE  {}: no tests{}\n", file.path, library ? " (a library file: it has no policy to test)" : "");
  }
  std::string text;
  for (const TestView& view : file.tests) {
    bool passed = view.result.passed();
    text += fmt::format("{}  {}: {}\n", passed ? "PASS" : "FAIL", file.path, view.test.name);
    if (!passed) text += RenderFailure(view);
  }
  return text;
}

std::string RenderFileCoverageText(const TestFileView& file) {
  if (!file.coverage || file.policy == nullptr || file.policy->is_library) return "";
  const compiler::StepCoverage& coverage = *file.coverage;
  std::string text = fmt::format("  {}: {} of {} step{} fired ({}){}", file.path, coverage.fired, coverage.steps,
                                 coverage.steps == 1 ? "" : "s",
                                 PercentText(CoveragePermille(coverage.fired, coverage.steps)),
                                 file.tests.empty() ? ", no tests" : "");
  if (coverage.never_fired.empty()) return text + "\n";
  text += "; never fired by a test:\n";
  // Describing a step needs only the policy and its sources.
  compiler::SubjectFacts no_facts;
  compiler::InterpretResult no_run;
  ExplainView view{*file.policy, *file.sources, no_facts, no_run, file.path};
  std::vector<std::pair<std::string, std::string>> lines;
  std::size_t width = 0;
  for (compiler::StepId step : coverage.never_fired) {
    std::string where = DescribeCause(view, {compiler::Cause::Kind::Step, step});
    width = std::max(width, where.size());
    lines.emplace_back(std::move(where), TriggerText(view, step));
  }
  for (const auto& [where, trigger] : lines) text += fmt::format("    {:<{}}  {}\n", where, width, trigger);
  return text;
}

std::string RenderTestSummaryText(const TestSummary& summary, const std::string& file_coverage) {
  std::string text;
  if (summary.coverage) {
    text += "coverage\n" + file_coverage;
    std::size_t permille = CoveragePermille(summary.fired, summary.steps);
    text += fmt::format("  total: {} of {} step{} fired ({})\n", summary.fired, summary.steps,
                        summary.steps == 1 ? "" : "s", PercentText(permille));
    if (summary.threshold && summary.below_threshold) {
      text += fmt::format("coverage {} is below the threshold of {}%\n", PercentText(permille),
                          runtime::ToString(runtime::Normalize(*summary.threshold)));
    }
  }
  return text + fmt::format("{} passed, {} failed\n", summary.passed, summary.failed);
}

}  // namespace recoup::driver
