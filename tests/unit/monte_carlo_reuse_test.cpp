// The Monte Carlo simulation's reuse of runs (a run made for a subject and
// its sampled facts answered from memory for later draws) changes nothing:
// on generated ledgers and policies, for fixed seeds, every draw's metrics
// equal those of the straightforward method, which runs the engine for
// every run of every draw; and the JIT engine gives the interpreter
// engine's results.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/jit/jit_engine.h"
#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"
#include "runtime/payment_fit.h"
#include "simulation/monte_carlo.h"
#include "simulation/monte_carlo_internal.h"
#include "tests/unit/check_policy_text.h"
#include "tests/unit/memory_ledger.h"
#include "tools/testgen/generated_check.h"
#include "tools/testgen/policy_generator.h"

namespace recoup::simulation {
namespace {

runtime::Ledger GeneratedLedger(std::uint64_t seed, std::uint32_t customers, std::string_view currency = "USD") {
  runtime::GeneratorOptions options = runtime::DefaultGeneratorOptions();
  options.currency = *runtime::FindCurrency(currency);
  options.seed = seed;
  options.customers = customers;
  options.months = 8;
  return testing::GeneratedMemoryLedger(options);
}

// The ledger's fitted model, with partial payments and promises made
// common so that draws take every path (remainders, promises, top-ups).
runtime::PaymentModel FittedModel(const runtime::Ledger& ledger) {
  std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/stdlib/models/priors.json");
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  runtime::PaymentModelReadResult priors = runtime::PaymentModelFromJson(text);
  REQUIRE(priors.model);
  runtime::FitOptions options;
  options.as_of = LedgerEnd(ledger);
  runtime::FitResult fit = runtime::FitPaymentModel(ledger, *priors.model, options);
  REQUIRE(fit.error.empty());
  runtime::PaymentModel model = std::move(fit.model);
  for (runtime::SegmentHazards& segment : model.segments) segment.partial_share = 0.3;
  model.promise_rate_after_call = 0.5;
  return model;
}

// The example policies, checked with the standard library.
std::vector<compiler::PolicyIr> ExamplePolicies() {
  const testgen::PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  std::vector<compiler::PolicyIr> policies;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(RECOUP_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() == ".recoup") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream stream(path);
    testgen::CheckedPolicy checked =
        checker.Check(std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>()));
    INFO(path.string() << ": " << checked.diagnostics);
    REQUIRE(checked.ir);
    policies.push_back(std::move(*checked.ir));
  }
  return policies;
}

// Whether `policy` covers any invoice of `ledger` (it may read a column
// the generated ledger lacks, or be in another currency).
bool Runs(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const runtime::PaymentModel& model) {
  MonteCarloOptions probe;
  probe.draws = 1;
  MonteCarloResult result = SimulateMonteCarlo(ledger, policy, model, probe);
  return result.error.empty() && result.draws.front().overall.invoices > 0;
}

// Both ways, compared draw by draw; returns the runs the reuse saved.
std::uint64_t CheckSame(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                        const runtime::PaymentModel& model, MonteCarloOptions options, const std::string& what) {
  INFO(what);
  options.reuse_runs = true;
  MonteCarloResult fast = SimulateMonteCarlo(ledger, policy, model, options);
  options.reuse_runs = false;
  MonteCarloResult straight = SimulateMonteCarlo(ledger, policy, model, options);
  REQUIRE(fast.error.empty());
  REQUIRE(straight.error.empty());
  CHECK(fast.subject_errors == straight.subject_errors);
  CHECK(fast.subject_error_count == straight.subject_error_count);
  REQUIRE(fast.draws.size() == straight.draws.size());
  for (std::size_t d = 0; d < fast.draws.size(); ++d) {
    INFO("draw " << d);
    CHECK(fast.draws[d] == straight.draws[d]);
  }
  CHECK(straight.reused_runs == 0);
  CHECK(straight.derived_runs == 0);
  CHECK(fast.interpreter_runs + fast.reused_runs + fast.derived_runs == straight.interpreter_runs);
  return fast.reused_runs + fast.derived_runs;
}

TEST_CASE("Monte Carlo: reusing a subject's runs gives the straightforward method's draws exactly, example policies",
          "[monte-carlo]") {
  const runtime::Ledger usd = GeneratedLedger(5, 40);
  const runtime::Ledger eur = GeneratedLedger(6, 40, "EUR");
  const runtime::PaymentModel usd_model = FittedModel(usd);
  const runtime::PaymentModel eur_model = FittedModel(eur);
  std::uint64_t reused = 0;
  int policies = 0;
  for (const compiler::PolicyIr& policy : ExamplePolicies()) {
    const bool in_euros = runtime::InfoOf(policy.header.currency).code == std::string_view("EUR");
    const runtime::Ledger& ledger = in_euros ? eur : usd;
    const runtime::PaymentModel& model = in_euros ? eur_model : usd_model;
    // `strategic-accounts` reads a column the generated ledger lacks.
    if (!Runs(ledger, policy, model)) continue;
    for (std::uint64_t seed : {1, 2}) {
      MonteCarloOptions options;
      options.draws = 12;
      options.seed = seed;
      options.threads = seed == 1 ? 1 : 2;
      options.parameter_uncertainty = seed == 2;
      reused += CheckSame(ledger, policy, model, options, fmt::format("{}, seed {}", policy.header.name, seed));
    }
    ++policies;
  }
  CHECK(policies >= 4);  // strategic-accounts reads a column the generated ledger lacks
  CHECK(reused > 0);
}

TEST_CASE("Monte Carlo: reusing a subject's runs gives the straightforward method's draws exactly, generated policies",
          "[monte-carlo]") {
  const runtime::Ledger ledger = GeneratedLedger(9, 25);
  const runtime::PaymentModel model = FittedModel(ledger);
  const testgen::PolicyChecker checker(std::string(RECOUP_SOURCE_DIR) + "/stdlib");
  REQUIRE(checker.StdlibFileCount() > 0);
  int simulated = 0;
  std::uint64_t reused = 0;
  for (std::uint64_t index = 0; index < 120 && simulated < 30; ++index) {
    testgen::CheckedPolicy checked = checker.Check(testgen::GeneratePolicy(20261123, index));
    REQUIRE(checked.ir);
    MonteCarloOptions options;
    options.draws = 6;
    options.seed = index;
    options.threads = 2;
    // A policy reading a column the generated ledger lacks cannot run on it.
    if (!Runs(ledger, *checked.ir, model)) continue;
    reused += CheckSame(ledger, *checked.ir, model, options, fmt::format("generated policy {}", index));
    ++simulated;
  }
  CHECK(simulated >= 10);
  CHECK(reused > 0);
}

TEST_CASE("Monte Carlo: the JIT engine gives the interpreter engine's draws", "[monte-carlo][jit]") {
  const runtime::Ledger ledger = GeneratedLedger(5, 30);
  const runtime::PaymentModel model = FittedModel(ledger);
  int simulated = 0;
  for (const compiler::PolicyIr& policy : ExamplePolicies()) {
    compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(policy, compiler::jit::JitOptions{});
    INFO(policy.header.name << ": " << jit.error.value_or(""));
    REQUIRE(jit.engine);
    MonteCarloOptions options;
    options.draws = 8;
    options.seed = 3;
    if (!Runs(ledger, policy, model)) continue;
    MonteCarloResult interpreted = SimulateMonteCarlo(ledger, policy, model, options);
    options.engine = jit.engine.get();
    MonteCarloResult compiled = SimulateMonteCarlo(ledger, policy, model, options);
    REQUIRE(interpreted.error.empty());
    ++simulated;
    CHECK(interpreted.draws == compiled.draws);
    CHECK(interpreted.interpreter_runs == compiled.interpreter_runs);
  }
  CHECK(simulated >= 3);
}

// Policies that exercise what a settling payment ends: fees before it
// (flat and on the balance, stopped by the payment), an agency placement
// with its contingency on what is recovered after it, steps after the
// placement, promises and disputes that pause steps, a write-off.
std::string DerivationPolicy(std::string_view subject, std::string_view extra_step, std::string_view stop) {
  return fmt::format(R"(policy "Derivation {0}"
version "1"
currency USD
subject {0}
after agency: continue
pause on dispute: defer
pause on promise + 2d: skip

at due + 5d: email "first"
at due + 20d: call "ask"
at due + 25d: fee 15 USD
at due + 35d: fee 3% of balance min 20 USD max 300 USD, letter "fee-added"
placed: at due + 50d: agency "Alacrity" contingency 27.5%
at placed + 20d: email "placed"
at due + 150d: write off
{1}
{2}
)",
                     subject, extra_step, stop);
}

TEST_CASE("Monte Carlo: the run after a settling payment, derived from the run before it, is the engine's run",
          "[monte-carlo][jit]") {
  const runtime::Ledger ledger = GeneratedLedger(11, 60);
  const runtime::PaymentModel model = FittedModel(ledger);
  struct Case {
    std::string name;
    std::string text;
    bool derivable;
  };
  const std::vector<Case> cases = {
      {"invoice subject", DerivationPolicy("invoice", "", "stop when paid"), true},
      // One-invoice customers are derived; the others run the engine.
      {"customer subject", DerivationPolicy("customer", "", "stop when paid"), true},
      {"a stop rule without actions", DerivationPolicy("invoice", "", "stop when invoice.days_past_due > 100"), true},
      // Interest posted on the payment day, and actions run when paid:
      // the engine is run.
      {"interest", DerivationPolicy("invoice", "at due + 10d: interest 8% per year from due + 1d", "stop when paid"),
       false},
      {"actions when paid", DerivationPolicy("invoice", "", "stop when paid: email \"thanks\""), false},
  };
  for (const Case& test : cases) {
    INFO(test.name);
    const compiler::PolicyIr policy = testing::CheckPolicyText(test.text);
    CHECK(monte_carlo_detail::SettlementDerivable(policy) == test.derivable);
    compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(policy, compiler::jit::JitOptions{});
    REQUIRE(jit.engine);
    for (bool use_jit : {false, true}) {
      MonteCarloOptions options;
      options.draws = 10;
      options.seed = use_jit ? 8 : 7;
      options.threads = 2;
      options.engine = use_jit ? jit.engine.get() : nullptr;
      options.parameter_uncertainty = use_jit;
      options.reuse_runs = true;
      const MonteCarloResult fast = SimulateMonteCarlo(ledger, policy, model, options);
      REQUIRE(fast.error.empty());
      CHECK(fast.subject_error_count == 0);
      CHECK((fast.derived_runs > 0) == test.derivable);
      CheckSame(ledger, policy, model, options, fmt::format("{}, {}", test.name, use_jit ? "jit" : "interpreter"));
    }
  }
}

// A one-invoice run of 100.00 due on day 100, with a partial payment of
// 40.00 on day 130 when `partial`, for DeriveSettledOutcome.
monte_carlo_detail::RunRecord SettlingRecord(bool partial) {
  namespace detail = monte_carlo_detail;
  detail::RunRecord record;
  record.placed = {detail::kNever};
  record.written_off = {detail::kNever};
  record.covered = {1};
  record.contingency = {std::nullopt};
  record.principal_paid = {partial ? 4000 : 0};
  record.action_begin = {0, 0};
  record.window_begin = {0, 0};
  record.owed_begin = {0, partial ? 1u : 0u};
  if (partial) record.owed.push_back({0, 130, -4000, true});
  record.outcome.customer = 3;
  InvoiceOutcome invoice;
  invoice.issue = runtime::Date::FromDays(70);
  invoice.due = runtime::Date::FromDays(100);
  invoice.horizon = runtime::Date::FromDays(280);
  invoice.amount = 10000;
  invoice.collected = invoice.applied = partial ? 4000 : 0;
  invoice.open = 10000 - invoice.applied;
  record.outcome.invoices.push_back(invoice);
  if (partial) record.outcome.collections.push_back({30, 4000});
  return record;
}

TEST_CASE("Monte Carlo: a settling outcome derived from facts its caller got wrong is an internal error",
          "[monte-carlo]") {
  namespace detail = monte_carlo_detail;
  const runtime::CurrencyId usd = *runtime::FindCurrency("USD");
  SubjectOutcome outcome;
  // What the invoice owes, after the earlier payment: derived.
  REQUIRE(detail::DeriveSettledOutcome(SettlingRecord(false), 120, 10000, usd, outcome));
  CHECK_FALSE(outcome.error);
  CHECK(outcome.invoices.at(0).settled_on == runtime::Date::FromDays(120));
  REQUIRE(detail::DeriveSettledOutcome(SettlingRecord(true), 150, 6000, usd, outcome));
  CHECK_FALSE(outcome.error);
  CHECK(outcome.invoices.at(0).collected == 10000);
  CHECK(outcome.collections.size() == 2);
  // More than the invoice owes: not a settlement of it.
  REQUIRE(detail::DeriveSettledOutcome(SettlingRecord(false), 120, 11000, usd, outcome));
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("internal error") != std::string::npos);
  CHECK(outcome.error->find("owed that day: 10000") != std::string::npos);
  CHECK(outcome.customer == 3);
  CHECK(outcome.invoices.empty());
  // The earlier payment on the same day: not a run this one follows.
  REQUIRE(detail::DeriveSettledOutcome(SettlingRecord(true), 130, 6000, usd, outcome));
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("earlier payment before it: no") != std::string::npos);
  // Or after it.
  REQUIRE(detail::DeriveSettledOutcome(SettlingRecord(true), 125, 6000, usd, outcome));
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("internal error") != std::string::npos);
}

TEST_CASE("Monte Carlo: hazard segments count each kind of effect once where its windows overlap", "[monte-carlo]") {
  // One invoice due on day 100 with a 1% daily hazard; emails (factor 2,
  // 7-day window) on days 110 and 112, a call (factor 3, 7 days) on day 112.
  namespace detail = monte_carlo_detail;
  compiler::abi::InvoiceView invoice;
  invoice.issue = 70;
  invoice.due = 100;
  invoice.amount = 1000;
  compiler::abi::SubjectView view;
  view.invoices = &invoice;
  view.invoice_count = 1;
  detail::SubjectFrame frame{&view, runtime::Date::FromDays(200)};
  runtime::PaymentModel model;
  model.interval_starts = {runtime::kOpenIntervalStart};
  runtime::SegmentHazards hazards;
  hazards.daily = {runtime::Estimate{0.01}};
  model.effects = {{"email", 7, runtime::Estimate{2}}, {"call", 7, runtime::Estimate{3}}};
  detail::RunRecord record;
  record.placed = {detail::kNever};
  record.written_off = {detail::kNever};
  record.covered = {1};
  record.actions = {{0, 110, compiler::ActionKind::Email},
                    {0, 112, compiler::ActionKind::Email},
                    {0, 112, compiler::ActionKind::Call}};
  record.action_begin = {0, 3};
  record.owed_begin = {0, 0};
  record.window_begin = {0, 0};
  detail::RunScratch scratch;
  detail::EnsureSegments(frame, model, hazards, record, 0, scratch);
  auto rate_on = [&](std::int32_t day) {
    for (std::uint32_t s = record.segment_range[0].first; s < record.segment_range[0].second; ++s) {
      const detail::HazardSegment& segment = record.segments[s];
      if (day >= segment.from && day < segment.from + static_cast<std::int32_t>(segment.length)) return segment.rate;
    }
    return -1.0;
  };
  CHECK(rate_on(105) == Approx(-std::log1p(-0.01)));
  CHECK(rate_on(111) == Approx(-std::log1p(-0.02)));        // the first email
  CHECK(rate_on(114) == Approx(-std::log1p(-0.01 * 2 * 3)));  // both emails (once) and the call
  CHECK(rate_on(119) == Approx(-std::log1p(-0.01 * 2 * 3)));  // the second email's and the call's last day
  CHECK(rate_on(120) == Approx(-std::log1p(-0.01)));
  // The segments cover issue + 1 to the horizon, and the payment day
  // inverts the cumulative hazard: a clock of 0 pays on the first day.
  CHECK(record.segments[record.segment_range[0].first].from == 71);
  CHECK(detail::FirstPaymentDay(record, 0, 0.0) == 71);
  CHECK(detail::FirstPaymentDay(record, 0, 1e9) == detail::kNever);
}

}  // namespace
}  // namespace recoup::simulation
