// Merging metrics builders (MetricsBuilder::Merge): builders fed parts of
// a ledger's subjects, merged in any order, give exactly the metrics of
// one builder fed every subject in order, including a customer whose
// subjects were split between builders, the recovery curve, conservation
// failures in subject order up to the detail's length, and sums past 64
// bits.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"
#include "simulation/metrics.h"
#include "simulation/replay.h"
#include "tests/unit/check_policy_text.h"
#include "tests/unit/memory_ledger.h"

namespace recoup::simulation {
namespace {

const runtime::Ledger& GeneratedLedger() {
  static const runtime::Ledger ledger = [] {
    runtime::GeneratorOptions options = runtime::DefaultGeneratorOptions();
    options.seed = 11;
    options.customers = 120;
    options.months = 12;
    return testing::GeneratedMemoryLedger(options);
  }();
  return ledger;
}

compiler::PolicyIr ExamplePolicy(const std::string& name) {
  std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/examples/" + name);
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  REQUIRE(!text.empty());
  return testing::CheckPolicyText(text);
}

// A policy's subjects replayed over the generated ledger: the plan the
// builders need and every subject's outcome, in subject order.
struct Replayed {
  SubjectPlan plan;
  std::vector<SubjectOutcome> outcomes;
};

Replayed ReplayExample(const std::string& name) {
  const runtime::Ledger& ledger = GeneratedLedger();
  const compiler::PolicyIr policy = ExamplePolicy(name);
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  ReplayOptions options;
  options.threads = 1;
  options.keep_outcomes = true;
  ReplayResult replayed = Replay(ledger, policy, options);
  REQUIRE(replayed.subject_error_count == 0);
  REQUIRE(replayed.outcomes.size() == planned.plan->subject_count());
  return {std::move(*planned.plan), std::move(replayed.outcomes)};
}

MetricsBuilder NewBuilder(const Replayed& replayed) { return MetricsBuilder(GeneratedLedger(), replayed.plan, 180, 30); }

// Subjects [begin, end) into `builder`.
void Feed(MetricsBuilder& builder, const std::vector<SubjectOutcome>& outcomes, std::size_t begin, std::size_t end) {
  for (std::size_t s = begin; s < end; ++s) builder.Add(outcomes[s], s);
}

Metrics FedInOrder(const Replayed& replayed, const std::vector<SubjectOutcome>& outcomes) {
  MetricsBuilder builder = NewBuilder(replayed);
  for (const SubjectOutcome& outcome : outcomes) builder.Add(outcome);
  return builder.Finish();
}

// Blocks of `block` subjects dealt in turn to `parts` builders, as workers
// claim them, then merged into the last builder from the first down.
Metrics DealtAndMerged(const Replayed& replayed, const std::vector<SubjectOutcome>& outcomes, std::size_t parts,
                       std::size_t block) {
  std::vector<MetricsBuilder> builders;
  for (std::size_t p = 0; p < parts; ++p) builders.push_back(NewBuilder(replayed));
  for (std::size_t begin = 0; begin < outcomes.size(); begin += block) {
    Feed(builders[(begin / block) % parts], outcomes, begin, std::min(outcomes.size(), begin + block));
  }
  for (std::size_t p = 0; p + 1 < parts; ++p) builders.back().Merge(builders[p]);
  return builders.back().Finish();
}

// The customers with invoices among subjects [begin, end).
std::set<std::uint32_t> CustomersIn(const std::vector<SubjectOutcome>& outcomes, std::size_t begin, std::size_t end) {
  std::set<std::uint32_t> customers;
  for (std::size_t s = begin; s < end; ++s) {
    if (!outcomes[s].invoices.empty()) customers.insert(outcomes[s].customer);
  }
  return customers;
}

// A subject from the middle on whose customer has invoices in an earlier
// subject too: a split there cuts that customer in two.
std::size_t MiddleOfACustomer(const std::vector<SubjectOutcome>& outcomes) {
  for (std::size_t s = outcomes.size() / 2; s < outcomes.size(); ++s) {
    if (!outcomes[s].invoices.empty() && CustomersIn(outcomes, 0, s).count(outcomes[s].customer) != 0) return s;
  }
  FAIL("no customer has two subjects");
  return 0;
}

TEST_CASE("metrics: builders fed parts of the subjects, merged, equal one builder fed them all", "[simulation][metrics]") {
  for (const char* name : {"email-letter-call.recoup", "final-notice-agency.recoup", "customer-suspension-ladder.recoup"}) {
    INFO(name);
    const Replayed replayed = ReplayExample(name);
    const std::vector<SubjectOutcome>& outcomes = replayed.outcomes;
    const std::size_t subjects = outcomes.size();
    REQUIRE(subjects > 100);
    const Metrics all = FedInOrder(replayed, outcomes);
    REQUIRE(all.conservation_ok);
    REQUIRE(all.segments.size() > 1);
    std::vector<std::size_t> splits = {0, 1, subjects / 3, subjects - 1, subjects};
    if (replayed.plan.kind == compiler::SubjectKind::Invoice) splits.push_back(MiddleOfACustomer(outcomes));
    for (std::size_t split : splits) {
      INFO("split before subject " << split);
      MetricsBuilder first = NewBuilder(replayed);
      MetricsBuilder second = NewBuilder(replayed);
      Feed(first, outcomes, 0, split);
      Feed(second, outcomes, split, subjects);
      MetricsBuilder first_again = first;
      MetricsBuilder second_again = second;
      first.Merge(second);
      CHECK(first.Finish() == all);
      second_again.Merge(first_again);  // the later subjects' builder first
      CHECK(second_again.Finish() == all);
    }
    for (std::size_t parts : {2, 3, 5}) {
      for (std::size_t block : {1, 7, 64}) {
        INFO(parts << " builders, blocks of " << block);
        CHECK(DealtAndMerged(replayed, outcomes, parts, block) == all);
      }
    }
  }
}

TEST_CASE("metrics: a customer whose subjects were split between builders is counted once", "[simulation][metrics]") {
  const Replayed replayed = ReplayExample("email-letter-call.recoup");
  const std::vector<SubjectOutcome>& outcomes = replayed.outcomes;
  const std::size_t split = MiddleOfACustomer(outcomes);
  MetricsBuilder first = NewBuilder(replayed);
  MetricsBuilder second = NewBuilder(replayed);
  Feed(first, outcomes, 0, split);
  Feed(second, outcomes, split, outcomes.size());
  MetricsBuilder first_alone = first;
  MetricsBuilder second_alone = second;
  first.Merge(second);
  const Metrics merged = first.Finish();
  // Each part counted the customers it saw: the merge counts each once.
  const std::set<std::uint32_t> before = CustomersIn(outcomes, 0, split);
  std::size_t shared = 0;
  for (std::uint32_t customer : CustomersIn(outcomes, split, outcomes.size())) shared += before.count(customer);
  REQUIRE(shared > 0);
  CHECK(first_alone.Finish().overall.customers + second_alone.Finish().overall.customers ==
        merged.overall.customers + shared);
  CHECK(merged.overall.customers == CustomersIn(outcomes, 0, outcomes.size()).size());
  CHECK(merged == FedInOrder(replayed, outcomes));
}

TEST_CASE("metrics: merged builders show conservation failures in subject order, as far as the detail goes",
          "[simulation][metrics]") {
  const Replayed replayed = ReplayExample("email-letter-call.recoup");
  std::vector<SubjectOutcome> outcomes = replayed.outcomes;
  // A failure on every third subject, of uneven lengths, far more than
  // the detail shows.
  std::string expected;
  for (std::size_t s = 0; s < outcomes.size(); s += 3) {
    std::string text = fmt::format("subject {} lost {}", s, std::string(s % 11, '!'));
    if (expected.size() < 2000) expected += text + "; ";
    outcomes[s].conservation_failure = text;
  }
  REQUIRE(outcomes.size() / 3 * 20 > 4000);
  const Metrics in_order = FedInOrder(replayed, outcomes);
  CHECK(!in_order.conservation_ok);
  CHECK(in_order.conservation_detail == expected);
  for (std::size_t parts : {2, 4}) {
    for (std::size_t block : {1, 5, 100}) {
      INFO(parts << " builders, blocks of " << block);
      CHECK(DealtAndMerged(replayed, outcomes, parts, block) == in_order);
    }
  }
  // Fed out of order into one builder, a failure arriving late still
  // takes its place.
  MetricsBuilder backwards = NewBuilder(replayed);
  for (std::size_t s = outcomes.size(); s-- > 0;) backwards.Add(outcomes[s], s);
  CHECK(backwards.Finish() == in_order);
}

TEST_CASE("metrics: a sum past 64 bits is reported the same merged or not", "[simulation][metrics]") {
  const Replayed replayed = ReplayExample("email-letter-call.recoup");
  std::vector<SubjectOutcome> outcomes(3, replayed.outcomes.front());
  for (SubjectOutcome& outcome : outcomes) {
    REQUIRE(outcome.invoices.size() == 1);
    InvoiceOutcome& invoice = outcome.invoices.front();
    invoice = InvoiceOutcome{};
    invoice.amount = invoice.open = std::numeric_limits<std::int64_t>::max() / 2;
    outcome.collections.clear();
  }
  const Metrics in_order = FedInOrder(replayed, outcomes);
  CHECK(!in_order.conservation_ok);
  CHECK(in_order.conservation_detail.find("a total does not fit in 64-bit minor units") != std::string::npos);
  // No part passes 64 bits alone: only the merge does.
  CHECK(DealtAndMerged(replayed, outcomes, 3, 1) == in_order);
  CHECK(DealtAndMerged(replayed, outcomes, 2, 1) == in_order);
}

}  // namespace
}  // namespace recoup::simulation
