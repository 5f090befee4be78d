// Monte Carlo simulation with a fitted payment model: simulated recovery
// under (a mirror of) the generating policy matches the ledger's own
// outcomes within the intervals; the same bytes for any thread count;
// common random numbers make a policy's difference to itself exactly zero
// and differences between policies sharper than each policy's own spread;
// parameter uncertainty widens the intervals; the draws that cannot be
// simulated are listed in subject order, and a worker's exception reaches
// the caller.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"
#include "runtime/payment_fit.h"
#include "simulation/monte_carlo.h"
#include "simulation/replay.h"
#include "simulation/subjects.h"
#include "tests/unit/check_policy_text.h"
#include "tests/unit/failing_engine.h"
#include "tests/unit/memory_ledger.h"
#include "tools/recoup/simulate_monte_carlo.h"

namespace recoup::simulation {
namespace {

// The generator's dunning (runtime/ledger_generator_model.h) with its
// average lag of about two days: email 7, letter 30, call 45, agency 90
// days after due unless strategic; steps wait while a dispute is open.
const char* const kGeneratorPolicy = R"(policy "Generator's dunning"
version "1"
currency USD
subject invoice

at due + 9d: email "reminder"
at due + 32d: letter "second"
at due + 47d: call
at due + 92d: agency "Agency" contingency 30% unless customer.segment == "strategic"

pause on dispute: defer
stop when paid
)";

// Calls a week earlier, no email.
const char* const kEarlyCallPolicy = R"(policy "Early call"
version "1"
currency USD
subject invoice

at due + 5d: call
at due + 32d: letter "second"
at due + 92d: agency "Agency" contingency 30% unless customer.segment == "strategic"

pause on dispute: defer
stop when paid
)";

struct Fixture {
  runtime::Ledger ledger;
  runtime::PaymentModel model;
};

const Fixture& Generated() {
  static const Fixture fixture = [] {
    runtime::GeneratorOptions options = runtime::DefaultGeneratorOptions();
    options.seed = 21;
    options.customers = 120;
    options.months = 12;
    runtime::Ledger ledger = testing::GeneratedMemoryLedger(options);
    std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/stdlib/models/priors.json");
    std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    runtime::PaymentModelReadResult priors = runtime::PaymentModelFromJson(text);
    REQUIRE(priors.model);
    runtime::FitOptions fit_options;
    fit_options.as_of = LedgerEnd(ledger);
    runtime::FitResult fit = runtime::FitPaymentModel(ledger, *priors.model, fit_options);
    REQUIRE(fit.error.empty());
    return Fixture{std::move(ledger), std::move(fit.model)};
  }();
  return fixture;
}

MonteCarloOptions Options(std::uint32_t draws, unsigned threads = 0) {
  MonteCarloOptions options;
  options.draws = draws;
  options.seed = 7;
  options.threads = threads;
  return options;
}

std::vector<double> Collected(const MonteCarloResult& result, std::size_t k) {
  std::vector<double> values;
  for (const Metrics& metrics : result.draws) values.push_back(static_cast<double>(metrics.overall.collected_by[k]));
  return values;
}

TEST_CASE("simulated recovery under the generating policy matches the ledger", "[monte-carlo][validation]") {
  const Fixture& fixture = Generated();
  const compiler::PolicyIr policy = testing::CheckPolicyText(kGeneratorPolicy);
  ReplayOptions replay_options;
  ReplayResult replay = Replay(fixture.ledger, policy, replay_options);
  REQUIRE(replay.metrics);
  MonteCarloResult simulated = SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(30));
  REQUIRE(simulated.error.empty());
  REQUIRE(simulated.subject_error_count == 0);
  REQUIRE(simulated.draws.size() == 30);
  for (std::size_t k = 0; k < 3; ++k) {
    const driver::DrawSummary summary = driver::Summarise(Collected(simulated, k));
    const double history = static_cast<double>(replay.metrics->overall.collected_by[k]);
    INFO(fmt::format("collected by due + {}d: history {}, simulated {} [{}, {}]", kCollectedByDays[k], history,
                     summary.mean, summary.low, summary.high));
    CHECK(history >= summary.low);
    CHECK(history <= summary.high);
  }
  // Cost grows with events, not days: a few interpreter runs per invoice and draw.
  const double runs_per_subject_draw =
      static_cast<double>(simulated.interpreter_runs) / (30.0 * static_cast<double>(replay.metrics->subjects));
  CHECK(runs_per_subject_draw < 4);
  for (const Metrics& metrics : simulated.draws) CHECK(metrics.conservation_ok);
}

TEST_CASE("the Monte Carlo result is the same for any thread count", "[monte-carlo]") {
  const Fixture& fixture = Generated();
  const compiler::PolicyIr policy = testing::CheckPolicyText(kGeneratorPolicy);
  // 20 draws of about 1,060 subjects: the workers claim blocks of 12
  // subjects (monte_carlo.cpp), so each adds many blocks to its own
  // builders, merged at the end.
  MonteCarloResult one = SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(20, 1));
  REQUIRE(one.draws.size() == 20);
  REQUIRE(one.draws.front().subjects > 20 * 12);
  for (unsigned threads : {2u, 3u, 5u}) {
    INFO(threads << " threads");
    MonteCarloResult more = SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(20, threads));
    CHECK(more.threads_used == threads);
    CHECK(one.draws == more.draws);
    CHECK(one.interpreter_runs == more.interpreter_runs);
  }
}

TEST_CASE("Monte Carlo: the draws that cannot be simulated are listed in subject and draw order for any thread count",
          "[monte-carlo]") {
  const Fixture& fixture = Generated();
  const runtime::Ledger& ledger = fixture.ledger;
  const compiler::PolicyIr policy = testing::CheckPolicyText(kGeneratorPolicy);
  // Every run of every 50th subject (from the 7th) ends in an error, so
  // all its draws fail: the first 20 failures (10 subjects of 2 draws) are
  // spread over several blocks of 128 subjects, claimed by different workers.
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  const SubjectPlan& plan = *planned.plan;
  std::set<std::string, std::less<>> erring;  // their invoices' ids
  for (std::size_t s = 7; s < plan.subject_count(); s += 50) {
    erring.emplace(ledger.invoice_ids.Get(plan.invoice_order[plan.subject_begin[s]]));
  }
  const testing::ErringEngine engine(policy, [&](const compiler::abi::SubjectView& subject) {
    const compiler::abi::TextRef& id = subject.names[subject.invoices[0].name];
    return erring.count(std::string_view(id.data, id.size)) != 0;
  });
  const std::uint32_t draws = 2;
  MonteCarloOptions options = Options(draws, 1);
  options.engine = &engine;
  MonteCarloResult one = SimulateMonteCarlo(ledger, policy, fixture.model, options);
  REQUIRE(one.subject_errors.size() == 20);
  // Subject by subject in plan order, each subject's draws in a row.
  std::vector<std::string> expected;
  std::size_t last_failing = 0;
  for (std::size_t s = 0; s < plan.subject_count(); ++s) {
    const std::string invoice(ledger.invoice_ids.Get(plan.invoice_order[plan.subject_begin[s]]));
    if (erring.count(invoice) == 0) continue;
    for (std::uint32_t d = 0; d < draws; ++d) expected.push_back(invoice);
    if (expected.size() <= 20) last_failing = s;
  }
  REQUIRE(expected.size() > 20);
  REQUIRE(last_failing > 3 * 128);
  CHECK(one.subject_error_count == expected.size());
  for (std::size_t e = 0; e < 20; ++e) {
    INFO(one.subject_errors[e] << " should name " << expected[e]);
    CHECK(one.subject_errors[e].find("`" + expected[e] + "`") != std::string::npos);
  }
  // The failed draws are left out of the metrics, the others kept.
  MonteCarloResult clean = SimulateMonteCarlo(ledger, policy, fixture.model, Options(draws, 1));
  CHECK(one.draws.front().subjects + expected.size() / draws == clean.draws.front().subjects);
  for (unsigned threads : {2u, 3u, 5u}) {
    INFO(threads << " threads");
    options.threads = threads;
    MonteCarloResult more = SimulateMonteCarlo(ledger, policy, fixture.model, options);
    CHECK(more.subject_errors == one.subject_errors);
    CHECK(more.subject_error_count == one.subject_error_count);
    CHECK(more.draws == one.draws);
  }
}

TEST_CASE("Monte Carlo: a worker's exception reaches the caller, whatever the thread count", "[monte-carlo]") {
  const Fixture& fixture = Generated();
  const compiler::PolicyIr policy = testing::CheckPolicyText(kGeneratorPolicy);
  const MonteCarloResult clean = SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(20, 1));
  REQUIRE(clean.interpreter_runs > 1000);
  for (unsigned threads : {1u, 2u, 5u}) {
    for (std::uint64_t fail_at : {std::uint64_t{1}, clean.interpreter_runs / 2, clean.interpreter_runs}) {
      INFO("threads " << threads << ", failing on engine run " << fail_at);
      MonteCarloOptions options = Options(20, threads);
      testing::FailingEngine failing(policy, fail_at, [] { throw std::runtime_error("injected failure"); });
      options.engine = &failing;
      CHECK_THROWS_WITH(SimulateMonteCarlo(fixture.ledger, policy, fixture.model, options), "injected failure");
      testing::FailingEngine out_of_memory(policy, fail_at, [] { throw std::bad_alloc(); });
      options.engine = &out_of_memory;
      CHECK_THROWS_AS(SimulateMonteCarlo(fixture.ledger, policy, fixture.model, options), std::bad_alloc);
      // The others stopped after the block of 12 subjects they were on.
      if (fail_at == 1) CHECK(out_of_memory.runs() < clean.interpreter_runs / 4);
    }
  }
  // Nothing is left behind: the next simulation gives the clean result.
  CHECK(SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(20, 2)).draws == clean.draws);
}

TEST_CASE("common random numbers: same policy, zero difference, and two policies, a sharp difference", "[monte-carlo]") {
  const Fixture& fixture = Generated();
  const compiler::PolicyIr base = testing::CheckPolicyText(kGeneratorPolicy);
  const compiler::PolicyIr early = testing::CheckPolicyText(kEarlyCallPolicy);
  MonteCarloResult first = SimulateMonteCarlo(fixture.ledger, base, fixture.model, Options(12));
  MonteCarloResult again = SimulateMonteCarlo(fixture.ledger, base, fixture.model, Options(12));
  MonteCarloResult other = SimulateMonteCarlo(fixture.ledger, early, fixture.model, Options(12));
  CHECK(first.draws == again.draws);
  std::vector<double> differences;
  for (std::size_t d = 0; d < 12; ++d) {
    differences.push_back(static_cast<double>(other.draws[d].overall.collected_by[1]) -
                          static_cast<double>(first.draws[d].overall.collected_by[1]));
  }
  const driver::DrawSummary own = driver::Summarise(Collected(first, 1));
  const driver::DrawSummary difference = driver::Summarise(differences);
  INFO(fmt::format("own spread {} to {}, difference {} to {}", own.low, own.high, difference.low, difference.high));
  CHECK(difference.high - difference.low < 0.5 * (own.high - own.low));
  // Different seeds give different draws.
  MonteCarloOptions other_seed = Options(12);
  other_seed.seed = 8;
  CHECK(SimulateMonteCarlo(fixture.ledger, base, fixture.model, other_seed).draws != first.draws);
}

TEST_CASE("parameter uncertainty widens the intervals", "[monte-carlo]") {
  const Fixture& fixture = Generated();
  const compiler::PolicyIr policy = testing::CheckPolicyText(kGeneratorPolicy);
  MonteCarloOptions with = Options(16);
  with.parameter_uncertainty = true;
  const driver::DrawSummary luck = driver::Summarise(Collected(SimulateMonteCarlo(fixture.ledger, policy, fixture.model, Options(16)), 1));
  const driver::DrawSummary both = driver::Summarise(Collected(SimulateMonteCarlo(fixture.ledger, policy, fixture.model, with), 1));
  CHECK(both.high - both.low > luck.high - luck.low);
  // The drawn parameters depend on the draw, not on anything else.
  CHECK(runtime::PaymentModelToJson(DrawParameters(fixture.model, 7, 3)) ==
        runtime::PaymentModelToJson(DrawParameters(fixture.model, 7, 3)));
  CHECK(runtime::PaymentModelToJson(DrawParameters(fixture.model, 7, 3)) !=
        runtime::PaymentModelToJson(DrawParameters(fixture.model, 7, 4)));
}

TEST_CASE("a sampled payment settles what is owed: fees charged before it and interest posted with it",
          "[monte-carlo]") {
  runtime::LedgerLoadResult loaded = runtime::LoadLedger("l", runtime::LedgerOptions{}, [](const std::string& path) {
    runtime::FileContents contents;
    if (path == "l/invoices.csv") {
      contents.status = runtime::FileContents::Status::Read;
      contents.bytes = "invoice_id,customer_id,issue_date,due_date,amount,currency\nI1,C1,2025-01-01,2025-01-31,1000.00,USD\n";
    } else if (path == "l/payments.csv") {
      contents.status = runtime::FileContents::Status::Read;
      contents.bytes = "invoice_id,date,amount\n";
    }
    return contents;
  });
  REQUIRE(loaded.ok());
  runtime::PaymentModel model = Generated().model;
  for (runtime::SegmentHazards& segment : model.segments) {
    segment.name = "";
    segment.partial_share = 0;  // every sampled payment is meant to settle
  }
  const compiler::PolicyIr policy = testing::CheckPolicyText(R"(policy "Fees and interest"
version "1"
currency USD
subject invoice

at due + 1d: interest 12% per year from due + 1d
at due + 10d: fee 40 USD, email "fee"
stop when paid
)");
  MonteCarloOptions options = Options(40);
  options.as_of = runtime::Date::ParseIso("2026-12-31");
  MonteCarloResult result = SimulateMonteCarlo(*loaded.ledger, policy, model, options);
  REQUIRE(result.error.empty());
  REQUIRE(result.subject_error_count == 0);
  int paid_with_fee = 0;
  for (const Metrics& metrics : result.draws) {
    const Figures& figures = metrics.overall;
    CHECK(metrics.conservation_ok);
    if (figures.collected > 0) {
      CHECK(figures.open == 0);
      CHECK(figures.settled == 1);
      CHECK(figures.collected == 100000 + figures.fees + figures.interest);
      paid_with_fee += figures.fees > 0 ? 1 : 0;
    }
  }
  CHECK(paid_with_fee > 0);
}

TEST_CASE("a dispute history opened after the simulated settlement is dropped", "[monte-carlo]") {
  // I1 pays on its due date in every draw (hazard 1 in days 0-14, 0
  // elsewhere); history disputed it a month later, never resolved. The
  // customer's step at issue + 90d sees I2 still open and no open dispute.
  auto file = [](std::string bytes) {
    runtime::FileContents contents;
    contents.status = runtime::FileContents::Status::Read;
    contents.bytes = std::move(bytes);
    return contents;
  };
  runtime::LedgerLoadResult loaded = runtime::LoadLedger("l", runtime::LedgerOptions{}, [&](const std::string& path) {
    if (path == "l/invoices.csv") {
      return file("invoice_id,customer_id,issue_date,due_date,amount,currency\n"
                  "I1,C1,2025-01-01,2025-01-31,100.00,USD\nI2,C1,2025-01-01,2025-12-31,100.00,USD\n");
    }
    if (path == "l/payments.csv") return file("invoice_id,date,amount\n");
    if (path == "l/disputes.csv") return file("invoice_id,opened,resolved\nI1,2025-03-01,\n");
    return runtime::FileContents{};
  });
  REQUIRE(loaded.ok());
  runtime::PaymentModel model = Generated().model;
  runtime::SegmentHazards segment = model.segments.front();
  segment.name = "";
  segment.partial_share = 0;
  for (std::size_t k = 0; k < segment.daily.size(); ++k) segment.daily[k].value = model.IntervalOf(0) == static_cast<int>(k) ? 1 : 0;
  model.segments = {segment};
  model.promise_rate_after_call = 0;
  const compiler::PolicyIr policy = testing::CheckPolicyText(R"(policy "Check"
version "1"
currency USD
subject customer

at issue + 90d: email "check"
pause on dispute: skip
stop when paid
)");
  MonteCarloOptions options = Options(3);
  options.as_of = runtime::Date::ParseIso("2026-12-31");
  MonteCarloResult result = SimulateMonteCarlo(*loaded.ledger, policy, model, options);
  REQUIRE(result.error.empty());
  REQUIRE(result.subject_error_count == 0);
  for (const Metrics& metrics : result.draws) {
    CHECK(metrics.overall.settled == 2);
    CHECK(metrics.overall.actions[static_cast<std::size_t>(compiler::ActionKind::Email)] == 1);
  }
}

TEST_CASE("draws are summarised by mean and percentile interval", "[monte-carlo]") {
  std::vector<double> values;
  for (int i = 0; i < 41; ++i) values.push_back(40 - i);
  values.push_back(std::nan(""));
  const driver::DrawSummary summary = driver::Summarise(values);
  CHECK(summary.defined == 41);
  CHECK(summary.mean == Approx(20));
  CHECK(summary.low == Approx(1));
  CHECK(summary.high == Approx(39));
  CHECK(summary.distinguishable());
  CHECK(!driver::Summarise({-1, 0, 1}).distinguishable());
}

}  // namespace
}  // namespace recoup::simulation
