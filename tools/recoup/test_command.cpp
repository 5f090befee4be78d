#include "tools/recoup/test_command.h"
#include "tools/recoup/checked_policy.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <ostream>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "tools/recoup/choice_option.h"
#include "tools/recoup/exit_status.h"

namespace recoup::driver {
namespace {

// "80", "80%", "87.5": a percentage from 0 to 100 with at most two decimals.
std::optional<runtime::Decimal> ParseThreshold(std::string text) {
  if (!text.empty() && text.back() == '%') text.pop_back();
  runtime::DecimalResult parsed = runtime::ParseDecimal(text);
  if (!parsed.ok()) return std::nullopt;
  runtime::DecimalResult scaled = runtime::Rescale(parsed.value, 2);
  if (!scaled.ok() || scaled.value.digits < 0 || scaled.value.digits > 10000) return std::nullopt;
  return scaled.value;
}

// fired / steps < threshold, exactly; nothing to cover is never below.
bool BelowThreshold(std::size_t fired, std::size_t steps, runtime::Decimal threshold) {
  if (steps == 0) return false;
  runtime::Decimal scaled = runtime::Rescale(threshold, 2).value;  // hundredths of a percent
  return static_cast<std::int64_t>(fired) * 100 * 100 < scaled.digits * static_cast<std::int64_t>(steps);
}

}  // namespace

CLI::App* AddTest(CLI::App& app, TestOptions& options) {
  CLI::App* test = app.add_subcommand("test", "Run the tests written inside policy files");
  test->add_option("files", options.files, "Policy files (.recoup) whose tests to run")->required();
  AddChoiceOption(test, "--format", options.format, {{"text", OutputFormat::Text}, {"json", OutputFormat::Json}},
                  "Output format (default text)");
  test->add_flag("--coverage", options.coverage, "Also report the steps no test fired");
  test->add_option("--threshold", options.threshold,
                   "Fail when fewer than P percent of the steps are fired by a test (implies --coverage)")
      ->type_name("P");
  return test;
}

int RunTest(const TestOptions& options, Environment& environment) {
  TestSummary summary;
  summary.coverage = options.coverage || !options.threshold.empty();
  if (!options.threshold.empty()) {
    summary.threshold = ParseThreshold(options.threshold);
    if (!summary.threshold) {
      environment.err << fmt::format(
          "recoup test: --threshold: `{}` is not a percentage from 0 to 100 (write it like 80 or 87.5)\n",
          options.threshold);
      return kExitUsage;
    }
  }
  int status = kExitSuccess;
  std::string file_coverage;
  std::vector<std::string> json_files;
  bool json = options.format == OutputFormat::Json;

  for (const std::string& path : options.files) {
    CheckedPolicy checked = LoadAndCheckPolicy(path, environment);
    if (!checked.readable) {
      status = WorseStatus(status, kExitUsage);
      continue;
    }
    const language::SourceSet& sources = checked.sources;
    const language::DiagnosticList& diagnostics = checked.diagnostics;
    const std::optional<compiler::PolicyIr>& ir = checked.ir;

    TestFileView file;
    file.path = path;
    file.sources = &sources;
    std::vector<compiler::PolicyTestResult> results;
    if (diagnostics.HasErrors() || !ir) {
      file.errors = std::max<std::size_t>(diagnostics.ErrorCount(), 1);
      if (json) {
        file.diagnostics_json = language::RenderJson(diagnostics.all(), sources);
      } else {
        for (const language::Diagnostic& diagnostic : diagnostics.all()) {
          environment.err << language::RenderText(diagnostic, sources) << "\n";
        }
      }
      ++summary.failed;
      status = WorseStatus(status, kExitFindings);
    } else {
      file.policy = &*ir;
      if (!ir->is_library) results = compiler::RunPolicyTests(*ir);
      for (const compiler::PolicyTestResult& result : results) {
        file.tests.push_back({ExplainView{*ir, sources, result.facts, result.run, path}, ir->tests[result.test], result});
        if (result.passed()) {
          ++summary.passed;
        } else {
          ++summary.failed;
          status = WorseStatus(status, kExitFindings);
        }
      }
      if (summary.coverage && !ir->is_library) {
        file.coverage = compiler::MeasureCoverage(*ir, results);
        summary.steps += file.coverage->steps;
        summary.fired += file.coverage->fired;
      }
    }
    if (json) {
      json_files.push_back(RenderTestFileJson(file));
    } else {
      environment.out << RenderTestFileText(file);
      file_coverage += RenderFileCoverageText(file);
    }
  }

  if (summary.threshold) {
    summary.below_threshold = BelowThreshold(summary.fired, summary.steps, *summary.threshold);
    if (summary.below_threshold) status = WorseStatus(status, kExitFindings);
  }
  summary.exit_status = status;
  environment.out << (json ? RenderTestJson(json_files, summary) : RenderTestSummaryText(summary, file_coverage));
  return status;
}

}  // namespace recoup::driver
