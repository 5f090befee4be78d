// The differential test of issue #6: random well-typed policies and random
// subjects (tools/testgen), each run by two engines whose results must be
// identical field by field, with money conserved and every generated
// policy checking clean. See docs/reliability.md, "Differential testing".
//
// Environment:
//   RECOUP_DIFF_CASES  how many cases (default 10000; the long mode is e.g. 200000)
//   RECOUP_DIFF_SEED   the seed (default 20261123)
//   RECOUP_DIFF_CASE   run only from this case (with RECOUP_DIFF_CASES, default 1)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/reference_interpreter.h"
#include "tools/testgen/differential.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/result_difference.h"
#include "tools/testgen/subject_generator.h"

namespace recoup::testgen {
namespace {

using compiler::InterpretOptions;
using compiler::InterpretResult;
using compiler::PolicyIr;
using compiler::SubjectFacts;

// ======================== The engines under test ========================
// The one place to change when engines are added: the day-by-day reference
// interpreter (the executable specification) against Interpret(), which
// runs the interpreter engine (compiler/engine.h) and renders its trace.
// The JIT gets its own pair here.
InterpretResult FirstEngine(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options) {
  return compiler::ReferenceInterpret(policy, facts, options);
}
InterpretResult SecondEngine(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options) {
  return compiler::Interpret(policy, facts, options);
}
// =========================================================================

constexpr std::uint64_t kDefaultSeed = 20261123;
constexpr std::uint64_t kDefaultCases = 10000;

std::uint64_t FromEnvironment(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') FAIL(name << " must be a whole number, not `" << text << "`");
  return value;
}

const PolicyChecker& Checker() {
  static const PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  return checker;
}

TEST_CASE("differential: the engines agree on generated policies and subjects", "[differential]") {
  REQUIRE(Checker().StdlibFileCount() > 0);
  DifferentialOptions options;
  options.seed = FromEnvironment("RECOUP_DIFF_SEED", kDefaultSeed);
  bool single = std::getenv("RECOUP_DIFF_CASE") != nullptr;
  options.first_case = FromEnvironment("RECOUP_DIFF_CASE", 0);
  options.case_count = FromEnvironment("RECOUP_DIFF_CASES", single ? 1 : kDefaultCases);
  DifferentialReport report = RunDifferential(options, Checker(), FirstEngine, SecondEngine);
  std::cout << "differential: seed " << options.seed << ", cases " << options.first_case << ".."
            << options.first_case + options.case_count - 1 << ": " << report.firings << " firings, "
            << report.guard_false << " guards false, " << report.runs_with_error << " runs with an error, "
            << report.warnings << " checker warnings, " << report.failures() << " failures\n";
  for (const std::string& failure : report.reports) {
    std::cout << failure << "\n";
    UNSCOPED_INFO(failure);
  }
  CHECK(report.check_failures == 0);
  CHECK(report.differences == 0);
  CHECK(report.conservation_failures == 0);
  if (report.cases >= 1000) {
    // The cases are not trivial: steps fire, guards are sometimes false,
    // and most runs end without an error.
    CHECK(report.firings > report.cases);
    CHECK(report.guard_false > report.cases / 20);
    CHECK(report.runs_with_error < report.cases / 5);
    // Every behaviour of docs/semantics.md section 15 shows up.
    std::vector<std::string> expected = {"error", "not covered", "unapplied cash", "invoice settled",
                                         "invoice written off", "invoice placed", "balance probed"};
    for (std::size_t kind = 0; kind < compiler::kActionKindCount; ++kind) {
      expected.push_back(std::string("fired: ") + compiler::ActionSpelling(static_cast<compiler::ActionKind>(kind)));
    }
    for (int reason = 0; reason <= static_cast<int>(compiler::NotFiredReason::MaxReached); ++reason) {
      expected.push_back(std::string("not fired: ") +
                         compiler::NotFiredReasonText(static_cast<compiler::NotFiredReason>(reason)));
    }
    for (const char* kind : {"payment", "interest posted", "written off", "dispute opened", "dispute resolved",
                             "promise made", "deferred"}) {
      expected.push_back(std::string("ledger: ") + kind);
    }
    for (const std::string& outcome : expected) {
      INFO("outcome: " << outcome);
      CHECK(report.outcomes[outcome] > 0);
    }
  }
}

TEST_CASE("differential: generation is deterministic per seed and case", "[differential]") {
  for (std::uint64_t index : {0u, 1u, 77u}) {
    std::string text = GeneratePolicy(5, index);
    CHECK(text == GeneratePolicy(5, index));
    CHECK(text != GeneratePolicy(6, index));
    CheckedPolicy checked = Checker().Check(text);
    INFO(text << checked.diagnostics);
    REQUIRE(checked.ir);
    GeneratedSubject one = GenerateSubject(*checked.ir, 5, index);
    GeneratedSubject two = GenerateSubject(*checked.ir, 5, index);
    CHECK(DescribeSubject(one) == DescribeSubject(two));
    CHECK(DescribeSubject(one) != DescribeSubject(GenerateSubject(*checked.ir, 5, index + 1000)));
  }
}

TEST_CASE("differential: a disagreeing engine is reported with the case and how to rerun it", "[differential]") {
  // An engine that charges one minor unit more on every fee: the runner
  // must notice, and say where.
  Engine off_by_one = [](const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options) {
    InterpretResult result = compiler::Interpret(policy, facts, options);
    for (compiler::Firing& firing : result.firings) {
      for (compiler::ActionRecord& action : firing.actions) {
        if (action.kind == compiler::ActionKind::Fee && action.amount) action.amount->minor += 1;
      }
    }
    return result;
  };
  DifferentialOptions options;
  options.seed = 3;
  options.case_count = 300;
  DifferentialReport report = RunDifferential(options, Checker(), FirstEngine, off_by_one);
  REQUIRE(report.differences > 0);
  REQUIRE(!report.reports.empty());
  const std::string& first = report.reports.front();
  INFO(first);
  CHECK(first.find("seed 3, case ") != std::string::npos);
  CHECK(first.find("RECOUP_DIFF_SEED=3 RECOUP_DIFF_CASE=") != std::string::npos);
  CHECK(first.find("].actions[") != std::string::npos);
  CHECK(first.find("].amount: ") != std::string::npos);
  CHECK(first.find("--- policy ---\n") != std::string::npos);
  CHECK(first.find("--- subject ---\ncustomer ") != std::string::npos);

  // An engine that throws is a failure, not a crash of the test.
  Engine throwing = [](const PolicyIr&, const SubjectFacts&, const InterpretOptions&) -> InterpretResult {
    throw std::runtime_error("not implemented");
  };
  options.case_count = 2;
  DifferentialReport thrown = RunDifferential(options, Checker(), FirstEngine, throwing);
  CHECK(thrown.differences == 2);
  REQUIRE(!thrown.reports.empty());
  CHECK(thrown.reports.front().find("second engine: the engine threw: not implemented") != std::string::npos);
}

}  // namespace
}  // namespace recoup::testgen
