// `recoup test FILE...`: runs the tests written inside policy files through
// the reference interpreter, like a test runner: PASS/FAIL per test, the
// expected and the actual timeline side by side on failure, a final
// `N passed, N failed` line; `--coverage` lists the steps no test fired.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_test_runner.h"
#include "tools/recoup/check_command.h"
#include "tools/recoup/driver.h"
#include "tools/recoup/explain_command.h"

namespace CLI {
class App;
}

namespace recoup::driver {

struct TestOptions {
  std::vector<std::string> files;
  OutputFormat format = OutputFormat::Text;
  bool coverage = false;
  std::string threshold;  // percent, as written; empty when not given (implies coverage when given)
};

// Registers the `test` subcommand, filling `options` when it is parsed.
CLI::App* AddTest(CLI::App& app, TestOptions& options);

int RunTest(const TestOptions& options, Environment& environment);

// A coverage figure that never rounds up past what was measured: the share
// of `fired` in `steps`, in tenths of a percent, rounded down (1000 when
// there is nothing to cover).
std::size_t CoveragePermille(std::size_t fired, std::size_t steps);
// "85.7%" from tenths of a percent.
std::string PercentText(std::size_t permille);

// One policy test's result with what the renderers need to word it.
struct TestView {
  ExplainView explain;  // the policy, its sources, the test's facts and run
  const compiler::PolicyTest& test;
  const compiler::PolicyTestResult& result;
};

// The expectation as the test wrote it, normalised: `letter "final-notice"`,
// `fee 100.00 USD`, `never agency`, `balance 5100.00 USD`.
std::string ExpectedText(const compiler::Expectation& expectation);
// One action as a timeline shows it: `letter "final-notice"`, `fee 100.00 USD`.
std::string TakenText(const compiler::ActionRecord& action);
// "2026-03-02 (due+30)".
std::string DayText(const ExplainView& view, runtime::Date date);
// A failed expectation in plain words ("expected a letter on 2026-03-02
// (due+30), but the policy sent none that day; it sent a letter on
// 2026-03-03 (due+31)"); empty for one that passed.
std::string ExplainOutcome(const TestView& view, const compiler::ExpectationResult& outcome);
// The source line of something written in the policy's main file.
std::uint32_t LineOf(const ExplainView& view, language::SourceRange range);

// One file's results, for the renderers; valid while the file's policy and
// sources are alive (RunTest renders each file before loading the next).
struct TestFileView {
  std::string path;
  std::size_t errors = 0;                      // the file did not check: its tests did not run
  std::string diagnostics_json;                // JSON output only
  const compiler::PolicyIr* policy = nullptr;  // null when the file has errors
  const language::SourceSet* sources = nullptr;
  std::vector<TestView> tests;
  std::optional<compiler::StepCoverage> coverage;  // when asked
};

// Totals over all files.
struct TestSummary {
  std::size_t passed = 0;
  std::size_t failed = 0;  // failed tests, plus one per file with errors
  bool coverage = false;
  std::size_t steps = 0;   // over every file, when coverage is measured
  std::size_t fired = 0;
  std::optional<runtime::Decimal> threshold;  // --threshold, in percent
  bool below_threshold = false;
  int exit_status = 0;
};

// Text (test_text.cpp): one file's PASS/FAIL lines with failure details,
// its coverage lines, and the end of the output (total coverage, the
// threshold verdict, and the final `N passed, N failed` line, with the
// files' coverage lines before them).
std::string RenderTestFileText(const TestFileView& file);
std::string RenderFileCoverageText(const TestFileView& file);
std::string RenderTestSummaryText(const TestSummary& summary, const std::string& file_coverage);
// JSON (test_json.cpp): one object per file, and the whole document.
std::string RenderTestFileJson(const TestFileView& file);
std::string RenderTestJson(const std::vector<std::string>& file_objects, const TestSummary& summary);

}  // namespace recoup::driver
