// The policy generator of tools/testgen reaches every construct of the
// language: over 2,000 generated policies each action, anchor, expression
// operator, field, attribute type, trigger form, pause, stop and header
// option appears, and every policy checks clean. A change to the generator
// that loses a construct fails here instead of silently thinning the
// differential test.
#include <catch2/catch.hpp>

#include <string>

#include "tools/testgen/construct_coverage.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"

namespace recoup::testgen {
namespace {

TEST_CASE("testgen: generated policies cover every construct and check clean", "[differential]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  constexpr std::uint64_t kPolicies = 2000;
  ConstructCounts counts;
  std::uint64_t failures = 0;
  for (std::uint64_t index = 0; index < kPolicies; ++index) {
    std::string text = GeneratePolicy(11, index);
    CheckedPolicy checked = checker.Check(text);
    if (!checked.ir) {
      if (++failures <= 3) UNSCOPED_INFO("seed 11, case " << index << ":\n" << text << checked.diagnostics);
      continue;
    }
    CountConstructs(*checked.ir, counts);
  }
  CHECK(failures == 0);
  for (const std::string& construct : EveryConstruct()) {
    INFO("construct: " << construct);
    CHECK(counts[construct] > 0);
  }
}

TEST_CASE("testgen: the construct counter sees what a policy uses", "[differential]") {
  PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  CheckedPolicy checked = checker.Check(
      "policy \"p\"\ncurrency JPY\nsubject customer\n"
      "s1: at end of month of due - 2bd: email \"a\", fee 2% of balance min 100 JPY unless customer.segment in [\"x\"]\n"
      "pause on promise + 3d: skip\n");
  INFO(checked.diagnostics);
  REQUIRE(checked.ir);
  ConstructCounts counts;
  CountConstructs(*checked.ir, counts);
  CHECK(counts["header.subject customer"] == 1);
  CHECK(counts["header.currency exponent 0"] == 1);
  CHECK(counts["anchor.end of month"] == 1);
  CHECK(counts["anchor.due"] == 1);
  CHECK(counts["offset.business days"] == 1);
  CHECK(counts["offset.negative"] == 1);
  CHECK(counts["fee.of balance"] == 1);
  CHECK(counts["fee.min"] == 1);
  CHECK(counts["fee.max"] == 0);
  CHECK(counts["guard.unless"] == 1);
  CHECK(counts["expression.In"] == 1);
  CHECK(counts["expression.Not"] == 1);
  CHECK(counts["pause.promise skip"] == 1);
  CHECK(counts["pause.promise grace"] == 1);
  CHECK(counts["action.write off"] == 0);
}

}  // namespace
}  // namespace recoup::testgen
