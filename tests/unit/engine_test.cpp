// The interpreter engine (compiler/engine.h) against the day-by-day
// reference interpreter on real subjects: every subject of the example
// ledger under every example policy, the engine reading SubjectViews built
// straight from the columns (as the replay does). Also what explain off
// keeps, and that a reused workspace leaves nothing behind. The random
// policies and subjects are in differential_test.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/engine.h"
#include "compiler/program.h"
#include "compiler/reference_interpreter.h"
#include "compiler/subject_view.h"
#include "compiler/trace_renderer.h"
#include "language/file_system.h"
#include "runtime/ledger_loader.h"
#include "simulation/subjects.h"
#include "tests/unit/check_policy_text.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/result_difference.h"
#include "tools/testgen/subject_generator.h"

namespace recoup::compiler {
namespace {

namespace abi = compiler::abi;

PolicyIr CheckFile(const std::string& path) {
  language::RealFileSystem files;
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  Program program = LoadProgram(path, files, LoadOptions{RECOUP_SOURCE_DIR "/stdlib"}, sources, diagnostics);
  std::optional<PolicyIr> ir;
  if (!program.trees.empty()) ir = Check(program, sources, diagnostics);
  INFO(path);
  REQUIRE(!diagnostics.HasErrors());
  REQUIRE(ir);
  return std::move(*ir);
}

const runtime::Ledger& SmallLedger() {
  static const runtime::Ledger ledger = [] {
    runtime::LedgerLoadResult loaded =
        runtime::LoadLedger(RECOUP_SOURCE_DIR "/examples/ledgers/small", runtime::LedgerOptions{}, runtime::ReadFileFromDisk);
    REQUIRE(loaded.ok());
    return std::move(*loaded.ledger);
  }();
  return ledger;
}

// Every rule the example ledger can exercise (its invoices are in USD, its
// customers have credit limits, its invoices regions): fees, interest,
// write-off, recurrence, business days, end of month, both pauses, stops.
std::string RulesPolicy(const char* subject) {
  return std::string(R"(policy "Engine test"
version "1"
currency USD
subject )") + subject + R"(
attribute customer.credit_limit: money
attribute invoice.region: text
pause on dispute
pause on promise + 3d: skip

at due + 10d: email "reminder" if invoice.region == "north"
late: at due + 20d: fee 1.5% of balance min 5 USD max 100 USD, interest 9% per year from due + 1d
every 7d from late + 7d until due + 80d max 4 times: sms "nudge" if customer.open_balance > customer.credit_limit
at end of month of due + 1bd: letter "month-end"
at late + 3bd: call unless fired(late) == 0
at late + 60d: write off

stop when invoice.balance < 2 USD: write off
)";
}

struct NamedPolicy {
  std::string name;
  PolicyIr ir;
};

std::vector<NamedPolicy> Policies() {
  std::vector<NamedPolicy> policies;
  for (const char* file : {"examples/email-letter-call.recoup", "examples/customer-suspension-ladder.recoup",
                           "examples/final-notice-agency.recoup", "tools/bench/ten-steps.recoup"}) {
    policies.push_back({file, CheckFile(std::string(RECOUP_SOURCE_DIR "/") + file)});
  }
  policies.push_back({"rules, invoice subject", testing::CheckPolicyText(RulesPolicy("invoice"))});
  policies.push_back({"rules, customer subject", testing::CheckPolicyText(RulesPolicy("customer"))});
  return policies;
}

TEST_CASE("engine: every subject of the example ledger, every example policy, as the reference", "[engine]") {
  const runtime::Ledger& ledger = SmallLedger();
  for (const NamedPolicy& named : Policies()) {
    const std::string& name = named.name;
    const PolicyIr& policy = named.ir;
    simulation::PlanResult planned = simulation::PlanSubjects(ledger, policy, std::nullopt);
    REQUIRE(planned.plan);
    const simulation::SubjectPlan& plan = *planned.plan;
    std::unique_ptr<PolicyEngine> engine = MakeInterpreterEngine(policy);
    EngineWorkspace workspace;
    abi::Trace trace;
    SubjectViewStorage storage;
    SubjectFacts facts;
    std::size_t firings = 0;
    for (std::size_t s = 0; s < plan.subject_count(); ++s) {
      simulation::BuildSubjectFacts(ledger, plan, s, facts);
      InterpretOptions options;
      options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
      InterpretResult expected = ReferenceInterpret(policy, facts, options);
      const abi::SubjectView& view = simulation::BuildSubjectView(ledger, plan, s, storage);
      EngineOptions engine_options;
      engine_options.horizon = options.horizon;
      engine->Run(view, engine_options, workspace, trace);
      InterpretResult actual = RenderTrace(policy, view, trace);
      std::optional<std::string> difference = testgen::FirstDifference(expected, actual);
      INFO(name << ", subject " << s);
      REQUIRE(difference.value_or("") == "");
      firings += expected.firings.size();
    }
    INFO(name);
    CHECK(firings > 0);
  }
}

TEST_CASE("engine: explain off keeps firings, ledger, summaries and totals, and drops only explanations", "[engine]") {
  const runtime::Ledger& ledger = SmallLedger();
  PolicyIr policy = testing::CheckPolicyText(RulesPolicy("invoice"));
  simulation::SubjectPlan plan = *simulation::PlanSubjects(ledger, policy, std::nullopt).plan;
  std::unique_ptr<PolicyEngine> engine = MakeInterpreterEngine(policy);
  EngineWorkspace workspace;
  abi::Trace on, off;
  SubjectViewStorage storage;
  std::size_t not_fired = 0;
  for (std::size_t s = 0; s < plan.subject_count(); ++s) {
    const abi::SubjectView& view = simulation::BuildSubjectView(ledger, plan, s, storage);
    EngineOptions options;
    options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
    engine->Run(view, options, workspace, on);
    options.explain = false;
    engine->Run(view, options, workspace, off);
    INFO("subject " << s);
    REQUIRE(on.firings.size() == off.firings.size());
    for (std::size_t f = 0; f < on.firings.size(); ++f) {
      CHECK(on.firings[f].date == off.firings[f].date);
      CHECK(on.firings[f].index == off.firings[f].index);
      REQUIRE(on.firings[f].action_count == off.firings[f].action_count);
    }
    REQUIRE(on.actions.size() == off.actions.size());
    for (std::size_t a = 0; a < on.actions.size(); ++a) {
      CHECK(on.actions[a].kind == off.actions[a].kind);
      CHECK(on.actions[a].amount == off.actions[a].amount);
      CHECK(on.actions[a].cost == off.actions[a].cost);
    }
    CHECK(on.covered == off.covered);
    REQUIRE(on.ledger.size() == off.ledger.size());
    for (std::size_t e = 0; e < on.ledger.size(); ++e) {
      CHECK(on.ledger[e].kind == off.ledger[e].kind);
      CHECK(on.ledger[e].date == off.ledger[e].date);
      CHECK(on.ledger[e].amount == off.ledger[e].amount);
      CHECK(on.ledger[e].to_principal == off.ledger[e].to_principal);
    }
    REQUIRE(on.invoices.size() == off.invoices.size());
    for (std::size_t i = 0; i < on.invoices.size(); ++i) {
      CHECK(on.invoices[i].totals.open == off.invoices[i].totals.open);
      CHECK(on.invoices[i].settled_on == off.invoices[i].settled_on);
    }
    CHECK(on.totals.collected == off.totals.collected);
    CHECK(on.totals.interest_charged == off.totals.interest_charged);
    CHECK(off.not_fired.empty());
    CHECK(off.balances.empty());
    CHECK(off.reads.empty());
    not_fired += on.not_fired.size();
  }
  CHECK(not_fired > 0);
}

TEST_CASE("engine: a reused workspace and trace give what fresh ones give", "[engine]") {
  const runtime::Ledger& ledger = SmallLedger();
  PolicyIr policy = CheckFile(RECOUP_SOURCE_DIR "/examples/customer-suspension-ladder.recoup");
  simulation::SubjectPlan plan = *simulation::PlanSubjects(ledger, policy, std::nullopt).plan;
  REQUIRE(plan.subject_count() > 3);
  std::unique_ptr<PolicyEngine> engine = MakeInterpreterEngine(policy);
  EngineWorkspace reused;
  abi::Trace reused_trace;
  SubjectViewStorage storage;
  for (std::size_t s = 0; s < plan.subject_count(); ++s) {
    const abi::SubjectView& view = simulation::BuildSubjectView(ledger, plan, s, storage);
    EngineOptions options;
    options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
    engine->Run(view, options, reused, reused_trace);
    EngineWorkspace fresh;
    abi::Trace fresh_trace;
    engine->Run(view, options, fresh, fresh_trace);
    INFO("subject " << s);
    std::optional<std::string> difference =
        testgen::FirstDifference(RenderTrace(policy, view, fresh_trace), RenderTrace(policy, view, reused_trace));
    REQUIRE(difference.value_or("") == "");
  }
}


// The replay runs with explain off, which takes shortcuts the differential
// test (explain on) never takes: steps tried only on their next chance, and
// a quiet horizon not visited once the subject is closed for good. Over
// generated policies and subjects, explain off must give the same trace
// apart from the explanations.
TEST_CASE("engine: explain off agrees with explain on over generated policies and subjects", "[engine]") {
  const testgen::PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  constexpr std::uint64_t kSeed = 5;
  std::size_t compared = 0, firings = 0, ledger_events = 0;
  for (std::uint64_t case_index = 0; case_index < 3000; ++case_index) {
    testgen::CheckedPolicy checked = checker.Check(testgen::GeneratePolicy(kSeed, case_index));
    REQUIRE(checked.ir);
    const PolicyIr& policy = *checked.ir;
    testgen::GeneratedSubject subject = testgen::GenerateSubject(policy, kSeed, case_index);
    SubjectViewStorage storage;
    const abi::SubjectView& view = BuildSubjectView(policy, subject.facts, storage);
    std::vector<std::int32_t> probes;
    for (runtime::Date day : subject.options.balance_probes) probes.push_back(day.days());
    std::unique_ptr<PolicyEngine> engine = MakeInterpreterEngine(policy);
    EngineWorkspace workspace;
    abi::Trace on, off;
    EngineOptions options;
    options.horizon = subject.options.horizon;
    options.probes = probes.data();
    options.probe_count = static_cast<std::uint32_t>(probes.size());
    engine->Run(view, options, workspace, on);
    options.explain = false;
    engine->Run(view, options, workspace, off);
    INFO("seed " << kSeed << " case " << case_index);
    REQUIRE(on.error.code == off.error.code);
    if (on.error.code != abi::ErrorCode::None) continue;
    ++compared;
    REQUIRE(on.firings.size() == off.firings.size());
    for (std::size_t f = 0; f < on.firings.size(); ++f) {
      CHECK(on.firings[f].date == off.firings[f].date);
      CHECK(on.firings[f].index == off.firings[f].index);
      CHECK(on.firings[f].occurrence == off.firings[f].occurrence);
    }
    REQUIRE(on.actions.size() == off.actions.size());
    for (std::size_t a = 0; a < on.actions.size(); ++a) {
      CHECK(on.actions[a].kind == off.actions[a].kind);
      CHECK(on.actions[a].amount == off.actions[a].amount);
    }
    REQUIRE(on.ledger.size() == off.ledger.size());
    for (std::size_t e = 0; e < on.ledger.size(); ++e) {
      CHECK(on.ledger[e].kind == off.ledger[e].kind);
      CHECK(on.ledger[e].date == off.ledger[e].date);
      CHECK(on.ledger[e].amount == off.ledger[e].amount);
    }
    REQUIRE(on.probes.size() == off.probes.size());
    for (std::size_t p = 0; p < on.probes.size(); ++p) CHECK(on.probes[p].open == off.probes[p].open);
    REQUIRE(on.invoices.size() == off.invoices.size());
    for (std::size_t i = 0; i < on.invoices.size(); ++i) {
      CHECK(on.invoices[i].totals.open == off.invoices[i].totals.open);
      CHECK(on.invoices[i].totals.interest_charged == off.invoices[i].totals.interest_charged);
      CHECK(on.invoices[i].settled_on == off.invoices[i].settled_on);
      CHECK(on.invoices[i].placed_on == off.invoices[i].placed_on);
    }
    CHECK(on.totals.collected == off.totals.collected);
    CHECK(on.totals.unapplied == off.totals.unapplied);
    CHECK(on.totals.open == off.totals.open);
    firings += on.firings.size();
    ledger_events += on.ledger.size();
  }
  CHECK(compared > 2000);
  CHECK(firings > 5000);
  CHECK(ledger_events > 5000);
}

}  // namespace
}  // namespace recoup::compiler
