#include "compiler/policy_test_runner.h"

#include <algorithm>

#include "compiler/interpreter_test_facts.h"

namespace recoup::compiler {
namespace {

std::vector<TimelineAction> Flatten(const InterpretResult& run) {
  std::vector<TimelineAction> timeline;
  for (const Firing& firing : run.firings) {
    for (const ActionRecord& action : firing.actions) timeline.push_back({firing.date, firing.cause, action});
  }
  return timeline;
}

ExpectationResult MatchActionAt(const Expectation& expectation, const std::vector<TimelineAction>& timeline) {
  ExpectationResult result;
  for (const TimelineAction& taken : timeline) {
    if (taken.action.kind != expectation.action) continue;
    (taken.date == expectation.date ? result.actual : result.elsewhere).push_back(taken);
  }
  bool matched = std::any_of(result.actual.begin(), result.actual.end(),
                             [&](const TimelineAction& taken) { return ActionMatches(expectation, taken.action); });
  if (matched) {
    result.outcome = ExpectationOutcome::Passed;
  } else {
    result.outcome = result.actual.empty() ? ExpectationOutcome::NoneThatDay : ExpectationOutcome::DifferentArgument;
  }
  return result;
}

ExpectationResult MatchNever(const Expectation& expectation, const std::vector<TimelineAction>& timeline) {
  ExpectationResult result;
  for (const TimelineAction& taken : timeline) {
    if (taken.action.kind == expectation.action) result.actual.push_back(taken);
  }
  result.outcome = result.actual.empty() ? ExpectationOutcome::Passed : ExpectationOutcome::HappenedAnyway;
  return result;
}

ExpectationResult MatchBalance(const Expectation& expectation, const InterpretResult& run) {
  ExpectationResult result;
  for (const BalancePoint& point : run.probes) {
    if (point.date == expectation.date) result.balance = point;
  }
  if (!result.balance) {
    result.outcome = ExpectationOutcome::DayOutsideRun;
  } else if (!expectation.argument || result.balance->open != expectation.argument->money) {
    result.outcome = ExpectationOutcome::DifferentBalance;
  } else {
    result.outcome = ExpectationOutcome::Passed;
  }
  return result;
}

}  // namespace

bool PolicyTestResult::passed() const {
  if (failure) return false;
  return std::all_of(expectations.begin(), expectations.end(),
                     [](const ExpectationResult& expectation) { return expectation.passed(); });
}

bool ActionMatches(const Expectation& expectation, const ActionRecord& action) {
  if (action.kind != expectation.action) return false;
  if (!expectation.argument) return true;
  if (expectation.argument->type == Type::Money) return action.amount && *action.amount == expectation.argument->money;
  return action.text == expectation.argument->text;
}

PolicyTestResult RunPolicyTest(const PolicyIr& policy, std::uint32_t index) {
  const PolicyTest& test = policy.tests.at(index);
  PolicyTestResult result;
  result.test = index;
  result.facts = FactsFromTest(policy, test);
  result.run = Interpret(policy, result.facts, OptionsFromTest(policy, test, result.facts));
  result.timeline = Flatten(result.run);
  if (result.run.error) {
    result.failure = *result.run.error;
  } else if (!result.run.conservation_ok) {
    result.failure = "internal error: money was not conserved: " + result.run.conservation_detail;
  }
  for (std::uint32_t i = 0; i < test.expectations.size(); ++i) {
    const Expectation& expectation = test.expectations[i];
    ExpectationResult matched;
    switch (expectation.kind) {
      case ExpectationKind::ActionAt: matched = MatchActionAt(expectation, result.timeline); break;
      case ExpectationKind::Never: matched = MatchNever(expectation, result.timeline); break;
      case ExpectationKind::BalanceAt: matched = MatchBalance(expectation, result.run); break;
    }
    matched.index = i;
    result.expectations.push_back(std::move(matched));
  }
  return result;
}

std::vector<PolicyTestResult> RunPolicyTests(const PolicyIr& policy) {
  std::vector<PolicyTestResult> results;
  for (std::uint32_t i = 0; i < policy.tests.size(); ++i) results.push_back(RunPolicyTest(policy, i));
  return results;
}

StepCoverage MeasureCoverage(const PolicyIr& policy, const std::vector<PolicyTestResult>& results) {
  StepCoverage coverage;
  coverage.steps = policy.steps.size();
  coverage.tests_firing.assign(policy.steps.size(), 0);
  for (const PolicyTestResult& result : results) {
    std::vector<bool> fired(policy.steps.size(), false);
    for (const Firing& firing : result.run.firings) {
      if (firing.cause.kind == Cause::Kind::Step && firing.cause.index < fired.size()) fired[firing.cause.index] = true;
    }
    for (std::size_t step = 0; step < fired.size(); ++step) coverage.tests_firing[step] += fired[step] ? 1 : 0;
  }
  for (StepId step = 0; step < coverage.tests_firing.size(); ++step) {
    if (coverage.tests_firing[step] == 0) {
      coverage.never_fired.push_back(step);
    } else {
      ++coverage.fired;
    }
  }
  return coverage;
}

}  // namespace recoup::compiler
