// The JIT engine against the interpreter engine on tools/testgen's random
// well-typed policies and subjects (every construct the generator knows),
// compared field by field by the same runner as the engines' differential
// test. Compiling a policy with LLVM costs tens of milliseconds and running
// a subject tens of microseconds, so each generated policy is compiled once
// and run on many generated subjects.
//
// How cases are counted: a case is one (generated policy, generated
// subject) pair that both engines ran and that was compared field by
// field. `make test` runs 10,000 cases: 250 policies with 40 subjects
// each. The policies' own `test` blocks are also compared, counted apart
// and not in the 10,000. The 10,000-case run over the shipped policies is
// jit_differential_test.cpp.
//
// Environment:
//   RECOUP_JIT_GENERATED_CASES     how many cases (default 10000; the long
//                                  mode, `make test-jit-differential`, runs more)
//   RECOUP_JIT_GENERATED_SUBJECTS  subjects per policy (default 40)
//   RECOUP_JIT_GENERATED_SEED      the seed (default 20261124)
//   RECOUP_JIT_GENERATED_POLICY    run only this policy (with its subjects)
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "compiler/interpreter.h"
#include "compiler/ir_printer.h"
#include "compiler/jit/jit_engine.h"
#include "tools/testgen/differential.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/result_difference.h"
#include "tools/testgen/subject_generator.h"

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

DifferentialReport RunJitDifferential(const DifferentialOptions& options, const PolicyChecker& checker) {
  auto interpreter = [](const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts,
                        const compiler::InterpretOptions& run) { return compiler::Interpret(policy, facts, run); };
  auto jit = std::make_shared<JitEngineRunner>();
  return RunDifferential(options, checker, interpreter,
                         [jit](const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts,
                               const compiler::InterpretOptions& run) { return (*jit)(policy, facts, run); });
}

// A difference the 40-subject run found (fixed in recoup-codegen-8):
// policy 163 of seed 20261124 on its generated subject 38 (a customer
// policy, an attribute `customer.a1_money` = "yes" that cannot be read, so
// the run stops with an error) gave the JIT engine one `not_fired` record
// more than the interpreter engine: once the run had failed, the generated
// driver still recorded a step whose guard came out false as `guard
// false`, where the interpreter engine decides nothing (the run is
// unwinding). The main run below covers it too; this keeps the case
// named.
TEST_CASE("jit: generated policy 163 of seed 20261124 agrees (no not_fired after an attribute error)", "[jit]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  DifferentialOptions options;
  options.seed = 20261124;
  options.first_case = 163;
  options.case_count = 1;
  options.subjects_per_policy = 40;
  options.reproduce = "RECOUP_JIT_GENERATED_SEED={seed} RECOUP_JIT_GENERATED_POLICY={case} RECOUP_JIT_GENERATED_SUBJECTS=40 "
                      "build/recoup_unit_tests 'jit: the JIT engine agrees*'";
  DifferentialReport report = RunJitDifferential(options, checker);
  for (const std::string& failure : report.reports) std::cout << failure << "\n";
  CHECK(report.differences == 0);
  CHECK(report.failures() == 0);
  CHECK(report.subject_cases == 40);
  CHECK(report.runs_with_error > 0);  // the attribute error still stops some runs
}

// fuzz_jit's round-3 finding (docs/reliability.md): the 16-byte input
// AQAAAAAAAAAsAAAAAAB3AA== is seed 1, case 0x77000000000002c of
// GeneratePolicy; the clang-built fuzz target saw a `not_fired` difference
// on its generated subject 4. GeneratePolicy's text depends on the C++
// compiler (it draws random choices inside operands whose order C++ leaves
// unspecified), so the clang build ran another policy than this GCC build
// generates for the same bytes: both are run here, on fuzz_jit's own
// subjects (GenerateSubject with seed ^ case) and more. Note: neither
// showed the difference in the GCC build even before the fix of policy 163
// (their subject 4 runs without an error here), so this guards the two
// policies' agreement but does not catch the round-3 difference, which is
// most likely another one, still open (docs/reliability.md).
constexpr std::uint64_t kFuzzSeed = 1;
constexpr std::uint64_t kFuzzCase = 0x77000000000002c;

// The policy as the clang-built fuzz target generated it (clang 14).
constexpr const char* kFuzzPolicyAsClangGenerates = R"(policy "Generated policy 535928355657089068"
version "2.9"
currency USD
calendar weekends
payments settle principal, fees, interest
const k1 = 2026-12-28
const k2 = 2026-06-14
const k3 = 67 USD
const k4 = 9%
const k5 = 3
every 1w from end of month of issue + 38 business days: write off, interest 1% per year
    if customer.segment == "enterprise"
s2: every 3w from due + 24d - 2 days until due max 2 times: call, email "US"
s3: at issue + 27d: suspend service
    if today - invoice.issue <= 150d
at promise + 14 days: call
    if invoice.balance < k3
at due + 3 weeks: sms "FR", email "smb"
    if invoice.principal < 4911.40 USD
s6: at due + 45bd - 4d: hold credit unless invoice.principal != 231.90 USD and (invoice.days_past_due >= 22 or (invoice.days_past_due) / 7 != 10.97)
s7: at s2 + 10bd + 10d: notice "strategic" unless customer.segment in ["strategic", "smb"] and invoice.balance != invoice.balance and invoice.id != "US"
stop when paid: hold credit
)";

// Runs both engines on `text` with GenerateSubject(policy, seed ^ case, k)
// for k < subjects; returns how many runs ended with an error.
std::uint64_t CheckAgreesOnFuzzSubjects(const PolicyChecker& checker, const std::string& text, std::uint64_t subjects) {
  CheckedPolicy checked = checker.Check(text);
  REQUIRE(checked.ir);
  compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(*checked.ir, compiler::jit::JitOptions{});
  REQUIRE(jit.engine);
  std::uint64_t errors = 0;
  for (std::uint64_t index = 0; index < subjects; ++index) {
    GeneratedSubject subject = GenerateSubject(*checked.ir, kFuzzSeed ^ kFuzzCase, index);
    compiler::InterpretResult interpreted = compiler::Interpret(*checked.ir, subject.facts, subject.options);
    compiler::InterpretOptions on_jit = subject.options;
    on_jit.engine = jit.engine.get();
    compiler::InterpretResult compiled = compiler::Interpret(*checked.ir, subject.facts, on_jit);
    INFO("fuzz_jit subject " << index);
    CHECK(FirstDifference(interpreted, compiled) == std::nullopt);
    errors += interpreted.error.has_value();
  }
  return errors;
}

TEST_CASE("jit: fuzz_jit's round-3 policy agrees on the fuzz target's subjects", "[jit]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  std::uint64_t errors = CheckAgreesOnFuzzSubjects(checker, kFuzzPolicyAsClangGenerates, 400);
  std::cout << "fuzz_jit round-3 policy (as clang generates it): " << errors << " of 400 runs with an error\n";
  errors = CheckAgreesOnFuzzSubjects(checker, GeneratePolicy(kFuzzSeed, kFuzzCase), 400);
  std::cout << "fuzz_jit round-3 policy (as this build generates it): " << errors << " of 400 runs with an error\n";
}

TEST_CASE("jit: the JIT engine agrees with the interpreter engine on generated policies and subjects", "[jit]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  DifferentialOptions options;
  options.seed = FromEnvironment("RECOUP_JIT_GENERATED_SEED", 20261124);
  options.subjects_per_policy = std::max<std::uint64_t>(1, FromEnvironment("RECOUP_JIT_GENERATED_SUBJECTS", 40));
  std::uint64_t cases = FromEnvironment("RECOUP_JIT_GENERATED_CASES", 10000);
  options.case_count = (cases + options.subjects_per_policy - 1) / options.subjects_per_policy;
  if (std::getenv("RECOUP_JIT_GENERATED_POLICY") != nullptr) {
    options.first_case = FromEnvironment("RECOUP_JIT_GENERATED_POLICY", 0);
    options.case_count = 1;
  }
  options.reproduce = "RECOUP_JIT_GENERATED_SEED={seed} RECOUP_JIT_GENERATED_POLICY={case} RECOUP_JIT_GENERATED_SUBJECTS=" +
                      std::to_string(options.subjects_per_policy) + " build/recoup_unit_tests 'jit: the JIT engine agrees*'";
  DifferentialReport report = RunJitDifferential(options, checker);
  std::cout << "jit generated differential: seed " << options.seed << ", " << report.cases << " policies x "
            << options.subjects_per_policy << " subjects = " << report.subject_cases << " cases (and "
            << report.test_block_runs << " policy test blocks): " << report.firings << " firings, " << report.guard_false
            << " guards false, " << report.runs_with_error << " runs with an error, " << report.failures()
            << " failures\n";
  for (const std::string& failure : report.reports) std::cout << failure << "\n";
  CHECK(report.check_failures == 0);
  CHECK(report.differences == 0);
  CHECK(report.conservation_failures == 0);
  if (report.failures() == 0) CHECK(report.subject_cases == report.cases * options.subjects_per_policy);
  CHECK(report.firings > report.subject_cases);
}

// fuzz_jit's first finding: with `instcombine` asked to reach a fixed point
// in one iteration (LLVM 19's default for the pass by name), this generated
// policy made LLVM end the process. It must compile and agree. Note: only
// the clang-built fuzz target aborted; built with GCC the same policy
// compiled even without the fix (the IR the code generator emits seems to
// depend on the C++ compiler, docs/reliability.md), so this test guards
// the fix in clang builds only.
TEST_CASE("jit: the generated policy that stopped LLVM's InstCombine compiles and agrees", "[jit]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  DifferentialOptions options;
  options.seed = 1;
  options.first_case = 0x400000000c8;  // fuzz_jit input 01 00.. c8 00 00 00 00 04 00 00
  options.case_count = 1;
  options.subjects_per_policy = 8;
  DifferentialReport report = RunJitDifferential(options, checker);
  for (const std::string& failure : report.reports) std::cout << failure << "\n";
  CHECK(report.failures() == 0);
  CHECK(report.subject_cases == 8);
}

}  // namespace
}  // namespace recoup::testgen
