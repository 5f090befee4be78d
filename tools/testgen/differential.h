// The differential runner: for cases [first, first + count) of a seed it
// generates a policy and a subject, checks the policy with the real front
// end, runs two engines on the subject (and on each of the policy's own
// `test` blocks) and compares their results field by field. A case
// fails when the policy does not check clean (a generator bug), when the
// engines differ, when one throws, or when money is not conserved. Each
// failure is reported with the seed, the case, the policy text, the facts,
// the first difference, and the line that reruns just that case.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/subject_generator.h"

namespace recoup::testgen {

// An engine: the reference interpreter, the fast engine, the JIT.
using Engine = std::function<compiler::InterpretResult(const compiler::PolicyIr&, const compiler::SubjectFacts&,
                                                       const compiler::InterpretOptions&)>;

struct DifferentialOptions {
  std::uint64_t seed = 1;
  std::uint64_t first_case = 0;
  std::uint64_t case_count = 1000;
  // Generated subjects each case's policy runs on (a policy compiled once
  // by the JIT can run on many): subject 0 is GenerateSubject(policy, seed,
  // case), subject k > 0 is GenerateSubject(policy, seed, case + (k << 32)).
  std::uint64_t subjects_per_policy = 1;
  // Failures past this many are counted but not described.
  std::size_t max_reports = 3;
  // How to rerun one case, `{seed}` and `{case}` replaced; printed with
  // each failure.
  std::string reproduce =
      "RECOUP_DIFF_SEED={seed} RECOUP_DIFF_CASE={case} build/recoup_unit_tests 'differential: the engines agree*'";
};

// What a run saw: failures, and enough counts to tell that the cases were
// not trivial (steps fired, guards were false, errors were reported).
struct DifferentialReport {
  std::uint64_t cases = 0;                  // generated policies
  std::uint64_t subject_cases = 0;          // (policy, generated subject) pairs both engines ran
  std::uint64_t test_block_runs = 0;        // policies' own `test` blocks both engines ran
  std::uint64_t check_failures = 0;         // generated policies with errors
  std::uint64_t differences = 0;            // the engines disagreed (or one threw)
  std::uint64_t conservation_failures = 0;  // a result with conservation_ok false
  std::uint64_t warnings = 0;               // checker warnings over all policies
  std::uint64_t runs_with_error = 0;        // results with `error` set (both engines agreed)
  std::uint64_t firings = 0;                // firings over all results of the first engine
  std::uint64_t not_fired = 0;
  std::uint64_t guard_false = 0;            // not fired because a guard was false
  // What the first engine's results showed, by name ("fired: write off",
  // "not fired: its anchor never fired", "ledger: deferred", "error"...),
  // so a test can require the cases to reach every behaviour.
  std::map<std::string, std::uint64_t> outcomes;
  std::vector<std::string> reports;         // at most max_reports, each self-contained

  std::uint64_t failures() const { return check_failures + differences + conservation_failures; }
};

DifferentialReport RunDifferential(const DifferentialOptions& options, const PolicyChecker& checker,
                                   const Engine& first, const Engine& second);

// The subject as a person reads it (and close to `recoup explain` flags).
std::string DescribeSubject(const GeneratedSubject& subject);

}  // namespace recoup::testgen
