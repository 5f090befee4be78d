// The policy test runner: each kind of expectation passing and failing,
// the outcome it reports, coverage, and `recoup test` run in-process for
// its exit statuses and summary line.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "tests/unit/check_policy_text.h"
#include "tests/unit/memory_files.h"
#include "compiler/checker.h"
#include "compiler/policy_test_runner.h"
#include "compiler/program.h"
#include "tools/recoup/driver.h"

namespace recoup::compiler {
namespace {

using testing::MemoryFiles;

const char* kHeader = "policy \"Test\"\ncurrency USD\n";

// The standard steps these tests use: a letter and fee at due + 30d
// (2026-03-02 for an invoice due 2026-01-31), the agency 30 days later.
const char* kSteps =
    "second: at due + 30d: letter \"overdue-30\", fee 25 USD\n"
    "at second + 30d: agency \"Alacrity\" contingency 30%\n"
    "at due + 200d: legal\n";

PolicyIr CheckPolicy(const std::string& tests) {
  return testing::CheckPolicyText(kHeader + std::string(kSteps) + tests);
}

// One test with the standard invoice and the given expectation lines.
PolicyTestResult RunOne(const std::string& lines, const std::string& given = "") {
  PolicyIr policy = CheckPolicy("test \"t\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n" + given + lines + "}\n");
  REQUIRE(policy.tests.size() == 1);
  PolicyTestResult result = RunPolicyTest(policy, 0);
  INFO("failure: " << result.failure.value_or(""));
  REQUIRE(!result.failure);
  return result;
}

ExpectationOutcome OutcomeOf(const std::string& line, const std::string& given = "") {
  PolicyTestResult result = RunOne("  " + line + "\n", given);
  REQUIRE(result.expectations.size() == 1);
  return result.expectations[0].outcome;
}

TEST_CASE("expect ACTION at DAY: the action on that day, with its template or amount when given", "[policy-test]") {
  CHECK(OutcomeOf("expect letter at due + 30d") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect letter \"overdue-30\" at 2026-03-02") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect fee 25 USD at due + 30d") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect agency \"Alacrity\" at due + 60d") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect letter at due + 31d") == ExpectationOutcome::NoneThatDay);
  CHECK(OutcomeOf("expect call at due + 30d") == ExpectationOutcome::NoneThatDay);
  CHECK(OutcomeOf("expect letter \"final\" at due + 30d") == ExpectationOutcome::DifferentArgument);
  CHECK(OutcomeOf("expect fee 30 USD at due + 30d") == ExpectationOutcome::DifferentArgument);
  // Paid before the letter: nothing that day.
  CHECK(OutcomeOf("expect letter at due + 30d", "  payment 1000 USD on 2026-02-15\n") == ExpectationOutcome::NoneThatDay);
}

TEST_CASE("a missed action reports the same kind on other days", "[policy-test]") {
  PolicyTestResult result = RunOne("  expect letter at due + 29d\n");
  const ExpectationResult& outcome = result.expectations.at(0);
  CHECK(outcome.outcome == ExpectationOutcome::NoneThatDay);
  CHECK(outcome.actual.empty());
  REQUIRE(outcome.elsewhere.size() == 1);
  CHECK(outcome.elsewhere[0].date.ToIso() == "2026-03-02");
  CHECK(outcome.elsewhere[0].action.text == "overdue-30");
}

TEST_CASE("expect never ACTION: fails with every time it happened", "[policy-test]") {
  CHECK(OutcomeOf("expect never call") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect never agency", "  payment 1025 USD on 2026-03-10\n") == ExpectationOutcome::Passed);
  PolicyTestResult result = RunOne("  expect never agency\n");
  const ExpectationResult& outcome = result.expectations.at(0);
  CHECK(outcome.outcome == ExpectationOutcome::HappenedAnyway);
  REQUIRE(outcome.actual.size() == 1);
  CHECK(outcome.actual[0].date.ToIso() == "2026-04-01");
}

TEST_CASE("expect balance MONEY at DAY: what is owed at the end of that day", "[policy-test]") {
  CHECK(OutcomeOf("expect balance 1000 USD at due") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect balance 1025 USD at due + 30d") == ExpectationOutcome::Passed);
  CHECK(OutcomeOf("expect balance 525 USD at 2026-03-10", "  payment 500 USD on 2026-03-10\n") ==
        ExpectationOutcome::Passed);
  PolicyTestResult result = RunOne("  expect balance 1000 USD at due + 30d\n");
  const ExpectationResult& outcome = result.expectations.at(0);
  CHECK(outcome.outcome == ExpectationOutcome::DifferentBalance);
  REQUIRE(outcome.balance.has_value());
  CHECK(outcome.balance->open.minor == 102500);
  CHECK(outcome.balance->fees.minor == 2500);
  // Outside the run: after the horizon, before the issue date.
  CHECK(OutcomeOf("expect balance 1025 USD at due + 100d", "  horizon 90d\n") == ExpectationOutcome::DayOutsideRun);
  CHECK(OutcomeOf("expect balance 1000 USD at 2025-12-31") == ExpectationOutcome::DayOutsideRun);
}

TEST_CASE("a test passes only when every expectation does", "[policy-test]") {
  CHECK(RunOne("  expect letter at due + 30d\n  expect never call\n").passed());
  CHECK(!RunOne("  expect letter at due + 30d\n  expect never agency\n").passed());
  CHECK(RunOne("").passed());
}

TEST_CASE("the timeline lists every action taken, in order", "[policy-test]") {
  PolicyTestResult result = RunOne("  horizon 200d\n");
  // The legal action at due + 200d never comes: the agency placement ends the policy.
  REQUIRE(result.timeline.size() == 3);
  CHECK(result.timeline[0].action.kind == ActionKind::Letter);
  CHECK(result.timeline[1].action.kind == ActionKind::Fee);
  CHECK(result.timeline[1].action.amount == runtime::Money{2500, result.timeline[1].action.amount->currency});
  CHECK(result.timeline[2].action.kind == ActionKind::Agency);
  CHECK(result.timeline[2].date.ToIso() == "2026-04-01");
}

TEST_CASE("a run that cannot finish fails the test", "[policy-test]") {
  MemoryFiles files(std::map<std::string, std::string>{
      {"policy.recoup", std::string(kHeader) +
                            "attribute customer.tier: text\n"
                            "at due + 10d: email \"x\" if customer.tier == \"gold\"\n"
                            "test \"no tier\" {\n  invoice 100 USD issued 2026-01-01 due 2026-01-31\n}\n"}});
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  Program program = LoadProgram("policy.recoup", files, LoadOptions{""}, sources, diagnostics);
  std::optional<PolicyIr> policy = Check(program, sources, diagnostics);
  REQUIRE(policy.has_value());
  PolicyTestResult result = RunPolicyTest(*policy, 0);
  REQUIRE(result.failure.has_value());
  CHECK(result.failure->find("customer.tier") != std::string::npos);
  CHECK(!result.passed());
}

TEST_CASE("coverage counts the steps at least one test fired", "[policy-test]") {
  PolicyIr policy = CheckPolicy(
      "test \"paid early\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n  payment 1000 USD on 2026-02-01\n}\n"
      "test \"letter only\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n  payment 1025 USD on 2026-03-10\n}\n"
      "test \"letter again\" {\n  invoice 2000 USD issued 2026-01-01 due 2026-01-31\n  payment 2025 USD on 2026-03-10\n}\n");
  std::vector<PolicyTestResult> results = RunPolicyTests(policy);
  REQUIRE(results.size() == 3);
  StepCoverage coverage = MeasureCoverage(policy, results);
  CHECK(coverage.steps == 3);
  CHECK(coverage.fired == 1);
  CHECK(coverage.tests_firing == std::vector<std::uint32_t>{2, 0, 0});
  CHECK(coverage.never_fired == std::vector<StepId>{1, 2});

  StepCoverage none = MeasureCoverage(policy, {});
  CHECK(none.fired == 0);
  CHECK(none.never_fired.size() == 3);
}

// `recoup test` in-process.
int RunTestCommand(const std::vector<std::string>& arguments, const std::map<std::string, std::string>& files_in,
                   std::string& output) {
  MemoryFiles files(files_in);
  std::ostringstream out;
  std::ostringstream err;
  driver::Environment environment{files, out, err, ""};
  int status = driver::Run(arguments, environment);
  output = out.str() + err.str();
  return status;
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.find_last_of('\n') + 1);
}

TEST_CASE("recoup test: exit 0 when every test passes, 1 when one fails, 2 for usage", "[policy-test][cli]") {
  std::string passing = std::string(kHeader) + kSteps +
                        "test \"ok\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n"
                        "  expect letter at due + 30d\n}\n";
  std::string failing = std::string(kHeader) + kSteps +
                        "test \"bad\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n"
                        "  expect letter at due + 31d\n}\n";
  std::map<std::string, std::string> files{{"pass.recoup", passing}, {"fail.recoup", failing}};
  std::string output;
  CHECK(RunTestCommand({"test", "pass.recoup"}, files, output) == 0);
  CHECK(output.find("PASS  pass.recoup: ok") != std::string::npos);
  CHECK(LastLine(output) == "1 passed, 0 failed");

  CHECK(RunTestCommand({"test", "pass.recoup", "fail.recoup"}, files, output) == 1);
  CHECK(output.find("FAIL  fail.recoup: bad") != std::string::npos);
  CHECK(output.find("expected a letter on 2026-03-03 (due+31), but the policy sent none that day; it sent a letter "
                    "\"overdue-30\" on 2026-03-02 (due+30)") != std::string::npos);
  CHECK(LastLine(output) == "1 passed, 1 failed");

  CHECK(RunTestCommand({"test", "missing.recoup"}, files, output) == 2);
  CHECK(RunTestCommand({"test", "pass.recoup", "--threshold", "120"}, files, output) == 2);
  CHECK(RunTestCommand({"test", "pass.recoup", "--threshold", "1.005"}, files, output) == 2);
  CHECK(RunTestCommand({"test", "pass.recoup", "--format", "xml"}, files, output) == 2);
  CHECK(RunTestCommand({"test"}, files, output) == 2);
}

TEST_CASE("recoup test: the threshold compares coverage exactly", "[policy-test][cli]") {
  // Three steps, two fired (letter at due + 30d, agency at due + 60d): 66.66...%.
  std::string policy = std::string(kHeader) + kSteps +
                       "test \"ok\" {\n  invoice 1000 USD issued 2026-01-01 due 2026-01-31\n}\n";
  std::map<std::string, std::string> files{{"p.recoup", policy}};
  std::string output;
  CHECK(RunTestCommand({"test", "p.recoup", "--threshold", "66.66"}, files, output) == 0);
  CHECK(RunTestCommand({"test", "p.recoup", "--threshold", "66.67%"}, files, output) == 1);
  CHECK(output.find("coverage 66.6% is below the threshold of 66.67%") != std::string::npos);
  CHECK(LastLine(output) == "1 passed, 0 failed");
  CHECK(RunTestCommand({"test", "p.recoup", "--threshold", "0"}, files, output) == 0);
}

}  // namespace
}  // namespace recoup::compiler
