// Fuzz target: the JIT engine against the interpreter engine (issue #9).
// An input names a policy in one of two ways:
//   - exactly 16 bytes: a seed and a case for tools/testgen's
//     GeneratePolicy, a random well-typed policy using every construct
//     (mutating the bytes draws another policy);
//   - anything else: policy text, as for fuzz_interpret (`#@file NAME`
//     lines add files to the policy folder); kept only when it checks
//     clean as a runnable policy (other inputs return -1).
// The policy is compiled with LLVM and run by both engines on the subjects
// GenerateSubject draws for it (several, seeded by the input) and on each of
// the policy's own `test` blocks. Aborts when the JIT fails to compile a
// policy the checker accepted, when the two results differ in any field
// (testgen's FirstDifference), or when money is not conserved.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "compiler/interpreter.h"
#include "compiler/interpreter_test_facts.h"
#include "compiler/jit/jit_engine.h"
#include "tools/fuzz/fuzz_support.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/result_difference.h"
#include "tools/testgen/subject_generator.h"

namespace {

using recoup::compiler::InterpretOptions;
using recoup::compiler::InterpretResult;
using recoup::compiler::PolicyIr;
using recoup::compiler::SubjectFacts;

// Generated subjects per policy: compiling dominates, running is cheap.
constexpr std::uint64_t kSubjectsPerPolicy = 8;

constexpr std::size_t kGeneratorInputSize = 16;

[[noreturn]] void Fail(const std::string& what, const std::string& policy_text) {
  std::fprintf(stderr, "fuzz_jit: %s\n--- policy ---\n%s\n", what.c_str(), policy_text.c_str());
  std::abort();
}

std::uint64_t Word(const std::uint8_t* bytes) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof(word));
  return word;
}

// FNV-1a of the input, so text inputs draw their subjects from their bytes.
std::uint64_t Hash(const std::uint8_t* data, std::size_t size) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 1099511628211ull;
  return hash;
}

void Compare(const PolicyIr& policy, const recoup::compiler::PolicyEngine& jit, const SubjectFacts& facts,
             const InterpretOptions& options, const std::string& policy_text, const std::string& subject) {
  InterpretResult interpreted = recoup::compiler::Interpret(policy, facts, options);
  InterpretOptions on_jit = options;
  on_jit.engine = &jit;
  InterpretResult compiled = recoup::compiler::Interpret(policy, facts, on_jit);
  if (std::optional<std::string> difference = recoup::testgen::FirstDifference(interpreted, compiled)) {
    Fail("the engines differ (interpreter vs JIT) on " + subject + " at " + *difference, policy_text);
  }
  if (!interpreted.error && !interpreted.conservation_ok) {
    Fail("money is not conserved on " + subject + ": " + interpreted.conservation_detail, policy_text);
  }
}

void RunBothEngines(const PolicyIr& policy, const std::string& policy_text, std::uint64_t seed) {
  recoup::compiler::jit::JitEngineResult jit =
      recoup::compiler::jit::MakeJitEngine(policy, recoup::compiler::jit::JitOptions{});
  if (!jit.engine) Fail("the JIT failed on a policy that checks: " + jit.error.value_or("?"), policy_text);
  for (std::uint64_t index = 0; index < kSubjectsPerPolicy; ++index) {
    recoup::testgen::GeneratedSubject subject = recoup::testgen::GenerateSubject(policy, seed, index);
    Compare(policy, *jit.engine, subject.facts, subject.options, policy_text,
            "generated subject " + std::to_string(index) + " of seed " + std::to_string(seed));
  }
  for (const recoup::compiler::PolicyTest& test : policy.tests) {
    SubjectFacts facts = recoup::compiler::FactsFromTest(policy, test);
    Compare(policy, *jit.engine, facts, recoup::compiler::OptionsFromTest(policy, test, facts), policy_text,
            "the policy's test \"" + test.name + "\"");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == kGeneratorInputSize) {
    static const recoup::testgen::PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
    std::uint64_t seed = Word(data);
    std::uint64_t case_index = Word(data + 8);
    std::string text = recoup::testgen::GeneratePolicy(seed, case_index);
    recoup::testgen::CheckedPolicy checked = checker.Check(text);
    if (!checked.ir) Fail("a generated policy does not check (a generator bug):\n" + checked.diagnostics, text);
    RunBothEngines(*checked.ir, text, seed ^ case_index);
    return 0;
  }
  std::string_view input(reinterpret_cast<const char*>(data), size);
  recoup::fuzz::MemoryFileSystem files = recoup::fuzz::FilesFromInput(input);
  recoup::fuzz::Checked checked;
  recoup::fuzz::LoadAndCheck(files, checked);
  if (!checked.ir || checked.ir->is_library) return -1;  // not a runnable policy: keep it out of the corpus
  RunBothEngines(*checked.ir, std::string(input), Hash(data, size));
  return 0;
}
