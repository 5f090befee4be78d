// The JIT engine against the interpreter engine on tools/testgen's random
// well-typed policies and subjects (every construct the generator knows),
// compared field by field by the same runner as the engines' differential
// test. Every case compiles a new policy with LLVM (hundreds of
// milliseconds on a loaded machine), so `make test` runs 200 cases here;
// the 10,000-case run over fixed policies is jit_differential_test.cpp.
//
// Environment:
//   RECOUP_JIT_GENERATED_CASES  how many cases (default 200)
//   RECOUP_JIT_GENERATED_SEED   the seed (default 20261124)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "compiler/interpreter.h"
#include "compiler/ir_printer.h"
#include "compiler/jit/jit_engine.h"
#include "tools/testgen/differential.h"
#include "tools/testgen/generated_check.h"

namespace recoup::testgen {
namespace {

std::uint64_t FromEnvironment(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr || *text == '\0' ? fallback : std::strtoull(text, nullptr, 10);
}

// Compiles each policy once (a case runs its subject and the policy's own
// tests with the same policy) and runs Interpret() on the JIT engine.
class JitEngineRunner {
 public:
  compiler::InterpretResult operator()(const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts,
                                       const compiler::InterpretOptions& options) {
    std::string text = compiler::PrintPolicyIr(policy);
    if (!engine_ || text != compiled_text_) {
      compiler::jit::JitEngineResult made = compiler::jit::MakeJitEngine(policy, compiler::jit::JitOptions{});
      compiler::InterpretResult failed;
      if (!made.engine) {
        failed.error = "the JIT failed: " + made.error.value_or("?");
        return failed;
      }
      engine_ = std::move(made.engine);
      compiled_text_ = text;
    }
    compiler::InterpretOptions jit_options = options;
    jit_options.engine = engine_.get();
    return compiler::Interpret(policy, facts, jit_options);
  }

 private:
  std::shared_ptr<compiler::PolicyEngine> engine_;
  std::string compiled_text_;
};

TEST_CASE("jit: the JIT engine agrees with the interpreter engine on generated policies and subjects", "[jit]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  DifferentialOptions options;
  options.seed = FromEnvironment("RECOUP_JIT_GENERATED_SEED", 20261124);
  options.case_count = FromEnvironment("RECOUP_JIT_GENERATED_CASES", 200);
  options.reproduce =
      "RECOUP_JIT_GENERATED_SEED={seed} build/recoup_unit_tests 'jit: the JIT engine agrees*'  (case {case})";
  auto interpreter = [](const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts,
                        const compiler::InterpretOptions& run) { return compiler::Interpret(policy, facts, run); };
  auto jit = std::make_shared<JitEngineRunner>();
  DifferentialReport report = RunDifferential(
      options, checker, interpreter,
      [jit](const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts,
            const compiler::InterpretOptions& run) { return (*jit)(policy, facts, run); });
  std::cout << "jit generated differential: seed " << options.seed << ", " << report.cases << " cases: "
            << report.firings << " firings, " << report.guard_false << " guards false, " << report.runs_with_error
            << " runs with an error, " << report.failures() << " failures\n";
  for (const std::string& failure : report.reports) UNSCOPED_INFO(failure);
  CHECK(report.check_failures == 0);
  CHECK(report.differences == 0);
  CHECK(report.conservation_failures == 0);
  CHECK(report.firings > report.cases);
}

}  // namespace
}  // namespace recoup::testgen
