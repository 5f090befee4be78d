// The Monte Carlo driver: worker threads claim blocks of subjects in
// order; a worker simulates every draw of a subject in turn and adds each
// outcome at once, while it is in cache, to its own metrics builder for
// that draw. Once all have finished, each draw's builders are merged in
// worker order (MetricsBuilder::Merge gives exactly the builder fed every
// subject) and the workers' first errors sorted into subject and draw
// order: the same bytes for any thread count and any share of the work.
#include "simulation/monte_carlo.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <thread>
#include <tuple>

#include "runtime/counter_random.h"
#include "simulation/monte_carlo_internal.h"
#include "simulation/replay.h"
#include "runtime/worker_threads.h"

namespace recoup::simulation {
namespace {

// Subject draws a worker claims at once (subjects x draws), at least one
// subject: the shared counter is touched seldom, uneven subjects balance.
constexpr std::size_t kSubjectDrawsPerBlock = 256;
constexpr std::size_t kMaxSubjectErrors = 20;

// A draw of a subject that could not be simulated.
struct SubjectError {
  std::size_t subject = 0;
  std::uint32_t draw = 0;
  std::string text;
};

// What one worker adds up: a metrics builder per draw, and its first
// errors (it claims subjects in increasing order, so these are in subject
// and draw order) with their count.
struct WorkerTotals {
  std::vector<MetricsBuilder> builders;
  std::vector<SubjectError> errors;
  std::uint64_t error_count = 0;
};

void Perturb(runtime::Estimate& estimate, runtime::RandomStream& random, bool probability) {
  const double normal = random.Normal();
  if (estimate.log_standard_error <= 0 || estimate.value <= 0) return;
  estimate.value *= std::exp(estimate.log_standard_error * normal);
  if (probability) estimate.value = std::min(estimate.value, 1.0);
}

}  // namespace

runtime::PaymentModel DrawParameters(const runtime::PaymentModel& model, std::uint64_t seed, std::uint32_t draw) {
  runtime::PaymentModel drawn = model;
  runtime::RandomStream random(seed, static_cast<std::uint64_t>(monte_carlo_detail::StreamPurpose::Parameters), draw);
  for (runtime::SegmentHazards& segment : drawn.segments) {
    for (runtime::Estimate& estimate : segment.daily) Perturb(estimate, random, true);
  }
  for (runtime::ActionEffect& effect : drawn.effects) Perturb(effect.factor, random, false);
  Perturb(drawn.dispute_factor, random, false);
  Perturb(drawn.promise_factor, random, false);
  for (runtime::Estimate& estimate : drawn.agency_hazard) Perturb(estimate, random, true);
  return drawn;
}

MonteCarloResult SimulateMonteCarlo(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                    const runtime::PaymentModel& model, const MonteCarloOptions& options) {
  MonteCarloResult result;
  PlanResult planned = PlanSubjects(ledger, policy, options.as_of);
  if (!planned.plan) {
    result.error = planned.error;
    return result;
  }
  const SubjectPlan& plan = *planned.plan;
  const std::size_t draws = std::max<std::uint32_t>(1, options.draws);
  std::vector<runtime::PaymentModel> models;
  if (options.parameter_uncertainty) {
    for (std::uint32_t d = 0; d < draws; ++d) models.push_back(DrawParameters(model, options.seed, d));
  }

  const std::size_t subjects = plan.subject_count();
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, subjects)));
  result.threads_used = threads;
  const std::size_t block = std::max<std::size_t>(1, kSubjectDrawsPerBlock / draws);
  std::unique_ptr<compiler::PolicyEngine> own_engine;
  const compiler::PolicyEngine* engine = options.engine;
  if (engine == nullptr) {
    own_engine = compiler::MakeInterpreterEngine(policy);
    engine = own_engine.get();
  }
  std::vector<std::unique_ptr<monte_carlo_detail::SubjectSimulator>> simulators;
  for (unsigned t = 0; t < threads; ++t) {
    simulators.push_back(std::make_unique<monte_carlo_detail::SubjectSimulator>(
        ledger, policy, *engine, plan, options.horizon_days, options.reuse_runs));
  }
  std::vector<WorkerTotals> totals(threads);
  std::atomic<std::size_t> next{0};
  // Set when a worker throws (runtime::RunOnThreads): the others stop at
  // their next block, and the exception reaches the caller.
  std::atomic<bool> stop{false};
  auto work = [&](unsigned t) {
    monte_carlo_detail::SubjectSimulator& simulator = *simulators[t];
    WorkerTotals& mine = totals[t];
    mine.builders.reserve(draws);
    for (std::size_t d = 0; d < draws; ++d) {
      mine.builders.emplace_back(ledger, plan, options.horizon_days, options.premature_days);
    }
    SubjectOutcome outcome;  // each draw's, added before the next is simulated into it
    while (!stop.load(std::memory_order_relaxed)) {
      const std::size_t begin = next.fetch_add(block, std::memory_order_relaxed);
      if (begin >= subjects) break;
      for (std::size_t s = begin; s < std::min(subjects, begin + block); ++s) {
        simulator.BeginSubject(s);
        for (std::size_t d = 0; d < draws; ++d) {
          const runtime::PaymentModel& drawn = options.parameter_uncertainty ? models[d] : model;
          simulator.SimulateDraw(drawn, options.seed, static_cast<std::uint32_t>(d), outcome);
          if (!outcome.error) {
            mine.builders[d].Add(outcome, s);
            continue;
          }
          if (mine.errors.size() < kMaxSubjectErrors) {
            mine.errors.push_back({s, static_cast<std::uint32_t>(d), *outcome.error});
          }
          mine.error_count += 1;
        }
      }
    }
  };
  runtime::RunOnThreads(threads, work, &stop);

  std::vector<SubjectError> errors;
  for (WorkerTotals& worker : totals) {
    for (SubjectError& error : worker.errors) errors.push_back(std::move(error));
    result.subject_error_count += worker.error_count;
  }
  std::sort(errors.begin(), errors.end(), [](const SubjectError& a, const SubjectError& b) {
    return std::tie(a.subject, a.draw) < std::tie(b.subject, b.draw);
  });
  for (std::size_t e = 0; e < std::min(errors.size(), kMaxSubjectErrors); ++e) {
    result.subject_errors.push_back(std::move(errors[e].text));
  }
  result.draws.reserve(draws);
  for (std::size_t d = 0; d < draws; ++d) {
    MetricsBuilder& builder = totals.front().builders[d];
    for (unsigned t = 1; t < threads; ++t) builder.Merge(totals[t].builders[d]);
    result.draws.push_back(builder.Finish());
  }
  for (const auto& simulator : simulators) {
    result.interpreter_runs += simulator->engine_runs();
    result.reused_runs += simulator->reused_runs();
    result.derived_runs += simulator->derived_runs();
  }
  return result;
}

}  // namespace recoup::simulation
