// Runs the tests written inside a policy (`test "..." { ... }`) through the
// reference interpreter and matches their expectations against what the
// policy did. Pure: no output, no clock; `recoup test` words and prints the
// results, and coverage is measured from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"

namespace recoup::compiler {

// One action the run took, lifted out of its firing so that timelines can
// be compared action by action.
struct TimelineAction {
  runtime::Date date;
  Cause cause;
  ActionRecord action;
};

// How one expectation fared.
enum class ExpectationOutcome : std::uint8_t {
  Passed,
  NoneThatDay,        // `expect ACTION at D`: no action of that kind on D
  DifferentArgument,  // `expect ACTION ARG at D`: that kind on D, but with another template/amount
  HappenedAnyway,     // `expect never ACTION`: it happened
  DifferentBalance,   // `expect balance M at D`: something else was owed at the end of D
  DayOutsideRun,      // `expect balance M at D`: D is before the first issue date or after the horizon
};

// One expectation with what the run did that bears on it.
struct ExpectationResult {
  std::uint32_t index = 0;  // into PolicyTest::expectations
  ExpectationOutcome outcome = ExpectationOutcome::Passed;
  // ActionAt: the actions of the expected kind on the expected day.
  // Never: every action of that kind.
  std::vector<TimelineAction> actual;
  // ActionAt: the actions of the expected kind on other days.
  std::vector<TimelineAction> elsewhere;
  // BalanceAt: what was owed at the end of the expected day, when it was in the run.
  std::optional<BalancePoint> balance;

  bool passed() const { return outcome == ExpectationOutcome::Passed; }
};

// One test's run and verdict.
struct PolicyTestResult {
  std::uint32_t test = 0;  // index into PolicyIr::tests
  SubjectFacts facts;      // what the test gave the interpreter
  InterpretResult run;     // everything the interpreter reported
  std::vector<TimelineAction> timeline;  // every action taken, in order
  std::vector<ExpectationResult> expectations;  // in the order written
  // The run itself went wrong: an interpreter error (run.error) or money
  // not conserved. The test fails whatever its expectations say.
  std::optional<std::string> failure;

  bool passed() const;
};

// Does `action` (on any day) have the kind and, when one is given, the
// template/text or fee amount that `expectation` names?
bool ActionMatches(const Expectation& expectation, const ActionRecord& action);

// Runs test `index` of `policy` (which must not be a library).
PolicyTestResult RunPolicyTest(const PolicyIr& policy, std::uint32_t index);

// Runs every test of `policy`, in the order written.
std::vector<PolicyTestResult> RunPolicyTests(const PolicyIr& policy);

// Which steps at least one test fired.
struct StepCoverage {
  std::vector<std::uint32_t> tests_firing;  // per step: how many tests fired it at least once
  std::vector<StepId> never_fired;          // in source order
  std::size_t steps = 0;
  std::size_t fired = 0;
};

StepCoverage MeasureCoverage(const PolicyIr& policy, const std::vector<PolicyTestResult>& results);

}  // namespace recoup::compiler
