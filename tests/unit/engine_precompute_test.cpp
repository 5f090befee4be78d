// What the engines work out once instead of on every use: the subject's
// fact days (FactDays, listed once per run in place of searching the facts
// on every wake day, by the interpreter engine and the JIT's driver alike) and a compiled `applies to` (decided without
// walking the IR when not explaining). Each must give what the searching
// service or the IR walk gives.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "compiler/engine.h"
#include "compiler/engine_internal.h"
#include "compiler/jit/runtime_helpers.h"
#include "compiler/subject_view.h"
#include "tests/unit/check_policy_text.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/subject_generator.h"

namespace recoup::compiler {
namespace {

runtime::Date Day(const char* iso) { return *runtime::Date::ParseIso(iso); }

// Every day from before the start to after the horizon: FactDays::After
// and On against recoup_next_fact_day and recoup_is_fact_event_day; and
// the JIT driver's list (recoup_jit_fact_days) is the same list.
void CheckAgainstServices(abi::RunState& run, FactDays& facts) {
  facts.Build(run);
  std::int32_t jit_count = -1;
  const FactDays::Entry* jit_days = recoup_jit_fact_days(&run, &jit_count);
  REQUIRE(jit_count == static_cast<std::int32_t>(facts.count));
  for (std::uint32_t i = 0; i < facts.count; ++i) {
    CHECK(jit_days[i].day == facts.storage[i].day);
    CHECK(static_cast<int>(jit_days[i].facts) == static_cast<int>(facts.storage[i].facts));
  }
  for (std::int32_t day = run.start - 3; day <= run.horizon + 3; ++day) {
    INFO("day " << day << ", start " << run.start << ", horizon " << run.horizon);
    std::uint8_t on = facts.On(day);
    bool event = day == run.horizon || (on & (FactDays::kPayment | FactDays::kDispute)) != 0;
    // The service counts payments before the start on the start only.
    if (day >= run.start) CHECK(event == (recoup_is_fact_event_day(&run, day) != 0));
    CHECK(facts.After(day) == recoup_next_fact_day(&run, day));
  }
}

TEST_CASE("engine: fact days are the days recoup_next_fact_day finds, with what falls on each", "[engine]") {
  PolicyIr policy = testing::CheckPolicyText(R"(policy "Facts"
version "1"
currency USD
subject invoice

pause on dispute: defer
pause on promise + 3d: skip
at due + 10d: email "late"
)");
  SubjectFacts facts;
  facts.customer_id = "C1";
  InvoiceFacts invoice;
  invoice.id = "I1";
  invoice.issue = Day("2026-01-10");
  invoice.due = Day("2026-02-09");
  invoice.amount = runtime::Money{100000, policy.header.currency};
  facts.invoices.push_back(invoice);
  // Before the issue date (applied on the start), two on one day that a
  // dispute also opens on and a promise is made on, one after the horizon.
  facts.payments.push_back({"I1", Day("2026-01-05"), runtime::Money{1000, policy.header.currency}});
  facts.payments.push_back({"I1", Day("2026-02-20"), runtime::Money{2000, policy.header.currency}});
  facts.payments.push_back({"I1", Day("2026-02-20"), runtime::Money{3000, policy.header.currency}});
  facts.payments.push_back({"I1", Day("2026-09-01"), runtime::Money{4000, policy.header.currency}});
  facts.disputes.push_back({"I1", Day("2026-02-20"), Day("2026-03-01")});
  facts.promises.push_back({"I1", Day("2026-02-20"), Day("2026-03-10")});
  SubjectViewStorage storage;
  const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
  std::shared_ptr<const abi::RunPolicy> run_policy = MakeRunPolicy(policy);
  EngineWorkspace workspace;
  abi::Trace trace;
  EngineOptions options;
  options.horizon = Day("2026-06-30");
  std::vector<std::int32_t> probes{Day("2026-03-01").days(), Day("2026-04-01").days()};
  options.probes = probes.data();
  options.probe_count = static_cast<std::uint32_t>(probes.size());
  abi::RunState* run = workspace.PrepareRun(*run_policy, view, options, trace);
  REQUIRE(run != nullptr);
  FactDays days;
  days.Build(*run);
  std::vector<std::pair<std::int32_t, int>> listed;
  for (std::uint32_t i = 0; i < days.count; ++i) listed.emplace_back(days.storage[i].day, days.storage[i].facts);
  std::vector<std::pair<std::int32_t, int>> expected{
      {Day("2026-01-05").days(), FactDays::kPayment},
      {Day("2026-01-10").days(), FactDays::kOther},  // the issue date
      {Day("2026-02-20").days(), FactDays::kPayment | FactDays::kDispute | FactDays::kPromiseMade},
      {Day("2026-03-01").days(), FactDays::kDispute | FactDays::kProbe},
      {Day("2026-03-14").days(), FactDays::kOther},  // the promise pause ends (promised + 3 days grace, then a day)
      {Day("2026-04-01").days(), FactDays::kProbe},
      {Day("2026-06-30").days(), FactDays::kOther},  // the horizon
      {Day("2026-09-01").days(), FactDays::kPayment},
  };
  CHECK(listed == expected);
  CHECK(days.horizon_facts == FactDays::kOther);
  // The payment before the issue date is applied on the start.
  CHECK(days.On(run->start) == (FactDays::kOther | FactDays::kPayment));
  CheckAgainstServices(*run, days);
}

TEST_CASE("engine: a customer's many fact days, given out of order, are listed in order", "[engine]") {
  PolicyIr policy = testing::CheckPolicyText(R"(policy "Many"
version "1"
currency USD
subject customer

at due + 10d: email "late"
)");
  SubjectFacts facts;
  facts.customer_id = "C1";
  for (int i = 11; i >= 0; --i) {  // latest first
    InvoiceFacts invoice;
    invoice.id = "I" + std::to_string(i);
    invoice.issue = Day("2026-01-01").AddDays(7 * i);
    invoice.due = invoice.issue.AddDays(30);
    invoice.amount = runtime::Money{10000, policy.header.currency};
    facts.invoices.push_back(invoice);
    facts.payments.push_back({invoice.id, invoice.due.AddDays(i % 3), runtime::Money{5000, policy.header.currency}});
    facts.payments.push_back({invoice.id, invoice.issue.AddDays(14), runtime::Money{100, policy.header.currency}});
  }
  SubjectViewStorage storage;
  const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
  std::shared_ptr<const abi::RunPolicy> run_policy = MakeRunPolicy(policy);
  EngineWorkspace workspace;
  abi::Trace trace;
  EngineOptions options;
  options.horizon = Day("2026-05-01");  // before some of the payments
  abi::RunState* run = workspace.PrepareRun(*run_policy, view, options, trace);
  REQUIRE(run != nullptr);
  FactDays days;
  days.Build(*run);
  REQUIRE(days.count > 16);
  for (std::uint32_t i = 1; i < days.count; ++i) CHECK(days.storage[i - 1].day < days.storage[i].day);
  CheckAgainstServices(*run, days);
}

TEST_CASE("engine: fact days agree with the services over generated policies and subjects", "[engine]") {
  const testgen::PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  constexpr std::uint64_t kSeed = 11;
  std::size_t checked_runs = 0;
  for (std::uint64_t case_index = 0; case_index < 400; ++case_index) {
    testgen::CheckedPolicy checked = checker.Check(testgen::GeneratePolicy(kSeed, case_index));
    REQUIRE(checked.ir);
    const PolicyIr& policy = *checked.ir;
    testgen::GeneratedSubject subject = testgen::GenerateSubject(policy, kSeed, case_index);
    SubjectViewStorage storage;
    const abi::SubjectView& view = BuildSubjectView(policy, subject.facts, storage);
    std::vector<std::int32_t> probes;
    for (runtime::Date day : subject.options.balance_probes) probes.push_back(day.days());
    std::shared_ptr<const abi::RunPolicy> run_policy = MakeRunPolicy(policy);
    EngineWorkspace workspace;
    abi::Trace trace;
    EngineOptions options;
    options.horizon = subject.options.horizon;
    options.probes = probes.data();
    options.probe_count = static_cast<std::uint32_t>(probes.size());
    abi::RunState* run = workspace.PrepareRun(*run_policy, view, options, trace);
    if (run == nullptr) continue;
    INFO("seed " << kSeed << " case " << case_index);
    FactDays days;
    CheckAgainstServices(*run, days);
    ++checked_runs;
  }
  CHECK(checked_runs > 250);
}

// A customer subject's invoices under `applies to CONDITION`: which are
// covered, explaining (the IR walked) and not (compiled when it can be).
struct Coverage {
  std::vector<std::int32_t> explained, quick;
  bool compiled = false;
  abi::ErrorCode error = abi::ErrorCode::None;
};

Coverage CoverageOf(const std::string& condition, const std::string& segment) {
  PolicyIr policy = testing::CheckPolicyText(R"(policy "Applies"
version "1"
currency USD
subject customer
attribute customer.tier: text
attribute invoice.region: text
applies to )" + condition + R"(

at due + 10d: email "late"
)");
  SubjectFacts facts;
  facts.customer_id = "C1";
  facts.customer_attributes["segment"] = segment;
  facts.customer_attributes["tier"] = "gold";
  const char* regions[] = {"north", "south", "north", "east"};
  std::int64_t amounts[] = {4000, 5000, 12000, 90000};
  const char* issued[] = {"2026-01-01", "2026-01-20", "2026-02-10", "2026-03-05"};
  for (int i = 0; i < 4; ++i) {
    InvoiceFacts invoice;
    invoice.id = "I" + std::to_string(i);
    invoice.issue = Day(issued[i]);
    invoice.due = invoice.issue.AddDays(30);
    invoice.amount = runtime::Money{amounts[i], policy.header.currency};
    invoice.attributes["region"] = regions[i];
    facts.invoices.push_back(invoice);
  }
  SubjectViewStorage storage;
  const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
  std::unique_ptr<PolicyEngine> engine = MakeInterpreterEngine(policy);
  EngineWorkspace workspace;
  abi::Trace on, off;
  EngineOptions options;
  options.horizon = Day("2026-08-01");
  engine->Run(view, options, workspace, on);
  options.explain = false;
  engine->Run(view, options, workspace, off);
  Coverage coverage;
  coverage.compiled = !MakeRunPolicy(policy)->applies_to.nodes.empty();
  coverage.error = on.error.code;
  CHECK(off.error.code == on.error.code);
  for (const abi::InvoiceTrace& invoice : on.invoices) coverage.explained.push_back(invoice.invoice);
  for (const abi::InvoiceTrace& invoice : off.invoices) coverage.quick.push_back(invoice.invoice);
  REQUIRE(on.not_covered.size() == off.not_covered.size());
  for (std::size_t i = 0; i < on.not_covered.size(); ++i) {
    CHECK(on.not_covered[i].invoice == off.not_covered[i].invoice);
    CHECK(on.not_covered[i].kind == off.not_covered[i].kind);
  }
  return coverage;
}

TEST_CASE("engine: a compiled `applies to` covers the invoices the IR walk covers", "[engine]") {
  using Covered = std::vector<std::int32_t>;
  struct Case {
    std::string condition;
    std::string segment;
    bool compiled;
    Covered covered;  // invoice indices, by due date
  };
  std::vector<Case> cases{
      {"invoice.amount >= 50 USD", "smb", true, {1, 2, 3}},
      {"invoice.amount > 50 USD", "smb", true, {2, 3}},
      {"100 USD <= invoice.amount", "smb", true, {2, 3}},
      {"invoice.balance < 120 USD and invoice.principal != 50 USD", "smb", true, {0}},
      {"customer.segment == \"enterprise\"", "enterprise", true, {0, 1, 2, 3}},
      {"customer.segment == \"enterprise\"", "smb", true, {}},
      {"customer.segment in [\"smb\", \"mid\"] or invoice.amount > 800 USD", "enterprise", true, {3}},
      {"not (customer.segment in [\"smb\", \"mid\"])", "mid", true, {}},
      {"invoice.issue >= 2026-02-01", "smb", true, {2, 3}},
      {"invoice.due < 2026-02-25 or customer.id == \"C1\"", "smb", true, {0, 1, 2, 3}},
      // Attributes can be missing: the IR is walked.
      {"customer.tier == \"gold\" and invoice.amount >= 100 USD", "smb", false, {2, 3}},
      {"invoice.region == \"north\"", "smb", false, {0, 2}},
      {"invoice.amount * 2 > 100 USD", "smb", false, {2, 3}},
  };
  for (const Case& test : cases) {
    INFO(test.condition << " (segment " << test.segment << ")");
    Coverage coverage = CoverageOf(test.condition, test.segment);
    REQUIRE(coverage.error == abi::ErrorCode::None);
    CHECK(coverage.compiled == test.compiled);
    CHECK(coverage.explained == test.covered);
    CHECK(coverage.quick == test.covered);
  }
}

}  // namespace
}  // namespace recoup::compiler
