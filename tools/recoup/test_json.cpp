// `recoup test --format json`: one object with every file's tests, each
// expectation with what was expected and what happened, the coverage when
// asked, and the totals. Money is a decimal string ("100.00"); dates are ISO.
#include <fmt/format.h>

#include "language/diagnostics.h"
#include "tools/recoup/test_command.h"

namespace recoup::driver {
namespace {

using compiler::ExpectationKind;
using compiler::ExpectationOutcome;
using language::JsonQuote;

std::string MoneyJson(runtime::Money money) { return JsonQuote(runtime::ToPlainString(money)); }

template <typename T, typename F>
std::string Array(const std::vector<T>& items, F render) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + render(items[i]);
  return out + "]";
}

const char* OutcomeCode(ExpectationOutcome outcome) {
  switch (outcome) {
    case ExpectationOutcome::Passed: return "passed";
    case ExpectationOutcome::NoneThatDay: return "none_that_day";
    case ExpectationOutcome::DifferentArgument: return "different_argument";
    case ExpectationOutcome::HappenedAnyway: return "happened";
    case ExpectationOutcome::DifferentBalance: return "different_balance";
    case ExpectationOutcome::DayOutsideRun: return "day_outside_run";
  }
  return "unknown";
}

const char* KindCode(ExpectationKind kind) {
  switch (kind) {
    case ExpectationKind::ActionAt: return "action_at";
    case ExpectationKind::Never: return "never";
    case ExpectationKind::BalanceAt: return "balance_at";
  }
  return "unknown";
}

// A percentage as a JSON number, one decimal, rounded down: 85.7.
std::string PercentNumber(std::size_t permille) { return fmt::format("{}.{}", permille / 10, permille % 10); }

std::string DayFields(const ExplainView& view, runtime::Date date) {
  return fmt::format("\"date\":{},\"relative\":{}", JsonQuote(date.ToIso()), JsonQuote(RelativeToDue(view, date)));
}

std::string ActionJson(const ExplainView& view, const compiler::TimelineAction& taken) {
  const compiler::ActionRecord& action = taken.action;
  return fmt::format("{{{},\"kind\":{},\"text\":{},\"detail\":{},\"amount\":{},\"where\":{}}}",
                     DayFields(view, taken.date), JsonQuote(compiler::ActionSpelling(action.kind)), JsonQuote(action.text),
                     JsonQuote(action.detail), action.amount ? MoneyJson(*action.amount) : "null",
                     JsonQuote(DescribeCause(view, taken.cause)));
}

std::string ActionsJson(const ExplainView& view, const std::vector<compiler::TimelineAction>& actions) {
  return Array(actions, [&](const compiler::TimelineAction& taken) { return ActionJson(view, taken); });
}

std::string ExpectedJson(const TestView& view, const compiler::Expectation& expectation) {
  std::string fields = fmt::format("\"kind\":{}", JsonQuote(KindCode(expectation.kind)));
  if (expectation.kind != ExpectationKind::BalanceAt) {
    fields += fmt::format(",\"action\":{}", JsonQuote(compiler::ActionSpelling(expectation.action)));
  }
  std::string argument = "null";
  if (expectation.argument) {
    argument = expectation.argument->type == compiler::Type::Money ? MoneyJson(expectation.argument->money)
                                                                    : JsonQuote(expectation.argument->text);
  }
  fields += fmt::format(",\"{}\":{}", expectation.kind == ExpectationKind::BalanceAt ? "balance" : "argument", argument);
  if (expectation.kind != ExpectationKind::Never) fields += "," + DayFields(view.explain, expectation.date);
  return "{" + fields + "}";
}

std::string ActualJson(const TestView& view, const compiler::Expectation& expectation,
                       const compiler::ExpectationResult& outcome) {
  switch (expectation.kind) {
    case ExpectationKind::ActionAt:
      return fmt::format("{{\"that_day\":{},\"other_days\":{}}}", ActionsJson(view.explain, outcome.actual),
                         ActionsJson(view.explain, outcome.elsewhere));
    case ExpectationKind::Never: return fmt::format("{{\"actions\":{}}}", ActionsJson(view.explain, outcome.actual));
    case ExpectationKind::BalanceAt:
      if (!outcome.balance) return "{\"balance\":null}";
      return fmt::format("{{\"balance\":{},\"principal\":{},\"fees\":{},\"interest\":{}}}", MoneyJson(outcome.balance->open),
                         MoneyJson(outcome.balance->principal), MoneyJson(outcome.balance->fees),
                         MoneyJson(outcome.balance->interest));
  }
  return "null";
}

std::string TestJson(const TestView& view) {
  std::string expectations = Array(view.result.expectations, [&](const compiler::ExpectationResult& outcome) {
    const compiler::Expectation& expectation = view.test.expectations.at(outcome.index);
    return fmt::format("{{\"line\":{},\"passed\":{},\"outcome\":{},\"expected\":{},\"actual\":{},\"explanation\":{}}}",
                       LineOf(view.explain, expectation.range), outcome.passed() ? "true" : "false",
                       JsonQuote(OutcomeCode(outcome.outcome)), ExpectedJson(view, expectation),
                       ActualJson(view, expectation, outcome), JsonQuote(ExplainOutcome(view, outcome)));
  });
  return fmt::format(
      "{{\"name\":{},\"line\":{},\"passed\":{},\"error\":{},\"start\":{},\"horizon\":{},\"expectations\":{},"
      "\"timeline\":{}}}",
      JsonQuote(view.test.name), LineOf(view.explain, view.test.range), view.result.passed() ? "true" : "false",
      view.result.failure ? JsonQuote(*view.result.failure) : "null", JsonQuote(view.result.run.start.ToIso()),
      JsonQuote(view.result.run.horizon.ToIso()), expectations, ActionsJson(view.explain, view.result.timeline));
}

std::string CoverageJson(const TestFileView& file) {
  if (!file.coverage) return "null";
  const compiler::StepCoverage& coverage = *file.coverage;
  compiler::SubjectFacts no_facts;
  compiler::InterpretResult no_run;
  ExplainView view{*file.policy, *file.sources, no_facts, no_run, file.path};
  std::string never = Array(coverage.never_fired, [&](compiler::StepId step) {
    const compiler::Step& written = file.policy->steps.at(step);
    return fmt::format("{{\"index\":{},\"label\":{},\"line\":{},\"where\":{},\"trigger\":{}}}", step,
                       written.label ? JsonQuote(*written.label) : "null", LineOf(view, written.range),
                       JsonQuote(DescribeCause(view, {compiler::Cause::Kind::Step, step})),
                       JsonQuote(TriggerText(view, step)));
  });
  return fmt::format("{{\"steps\":{},\"fired\":{},\"percent\":{},\"never_fired\":{}}}", coverage.steps,
                     coverage.fired, PercentNumber(CoveragePermille(coverage.fired, coverage.steps)), never);
}

const char* FileStatus(const TestFileView& file) {
  if (file.errors > 0) return "errors";
  if (file.tests.empty()) return "no_tests";
  for (const TestView& view : file.tests) {
    if (!view.result.passed()) return "failed";
  }
  return "passed";
}

}  // namespace

std::string RenderTestFileJson(const TestFileView& file) {
  std::size_t passed = 0;
  for (const TestView& view : file.tests) passed += view.result.passed() ? 1 : 0;
  std::string diagnostics = file.diagnostics_json.empty() ? "[]" : file.diagnostics_json;
  return fmt::format(
      "{{\"path\":{},\"status\":{},\"errors\":{},\"diagnostics\":{},\"passed\":{},\"failed\":{},\"tests\":{},"
      "\"coverage\":{}}}",
      JsonQuote(file.path), JsonQuote(FileStatus(file)), file.errors, diagnostics, passed, file.tests.size() - passed,
      Array(file.tests, TestJson), CoverageJson(file));
}

std::string RenderTestJson(const std::vector<std::string>& file_objects, const TestSummary& summary) {
  std::string coverage = "null";
  if (summary.coverage) {
    coverage = fmt::format("{{\"steps\":{},\"fired\":{},\"percent\":{},\"threshold\":{},\"below_threshold\":{}}}",
                           summary.steps, summary.fired,
                           PercentNumber(CoveragePermille(summary.fired, summary.steps)),
                           summary.threshold ? runtime::ToString(runtime::Normalize(*summary.threshold)) : "null",
                           summary.below_threshold ? "true" : "false");
  }
  std::string files = "[";
  for (std::size_t i = 0; i < file_objects.size(); ++i) files += (i ? "," : "") + file_objects[i];
  return fmt::format("{{\"files\":{}],\"passed\":{},\"failed\":{},\"coverage\":{},\"exit_status\":{}}}\n", files,
                     summary.passed, summary.failed, coverage, summary.exit_status);
}

}  // namespace recoup::driver
