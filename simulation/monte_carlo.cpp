// The Monte Carlo driver: subjects taken a chunk at a time; within a
// chunk, subjects claimed in blocks by worker threads, all draws of a
// subject computed by one worker into its slots; then each draw's metrics
// built from the chunk's slots in subject order, the draws shared out
// among the workers (each draw's builder is its own). The workers are
// started once and meet at a barrier between the two phases.
#include "simulation/monte_carlo.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>

#include "runtime/counter_random.h"
#include "simulation/monte_carlo_internal.h"
#include "simulation/replay.h"
#include "runtime/worker_threads.h"

namespace recoup::simulation {
namespace {

// Subject outcomes a worker claims at once (subjects x draws), at least one subject.
constexpr std::size_t kSlotsPerBlock = 256;
constexpr std::size_t kMaxSubjectErrors = 20;
// Subject outcomes held at once (subjects in a chunk x draws): few enough
// that they are mostly still in cache when they are added to the metrics,
// enough that the workers meet at the barriers seldom. 2,048 cost 13% more
// wall time on 2 threads than 8,192; 32,768 was much slower
// (docs/model.md, section 8).
constexpr std::size_t kSlotsPerChunk = 1 << 13;

void Perturb(runtime::Estimate& estimate, runtime::RandomStream& random, bool probability) {
  const double normal = random.Normal();
  if (estimate.log_standard_error <= 0 || estimate.value <= 0) return;
  estimate.value *= std::exp(estimate.log_standard_error * normal);
  if (probability) estimate.value = std::min(estimate.value, 1.0);
}

// Asks for the heap data a subject outcome's metrics read.
void PrefetchOutcome(const SubjectOutcome& outcome) {
  __builtin_prefetch(outcome.invoices.data());
  __builtin_prefetch(outcome.collections.data());
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
  std::vector<MetricsBuilder> builders;
  builders.reserve(draws);
  for (std::size_t d = 0; d < draws; ++d) builders.emplace_back(ledger, plan, options.horizon_days, options.premature_days);

  const std::size_t subjects = plan.subject_count();
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, subjects)));
  result.threads_used = threads;
  const std::size_t block = std::max<std::size_t>(1, kSlotsPerBlock / draws);
  const std::size_t chunk = std::max<std::size_t>(block, kSlotsPerChunk / draws);
  std::vector<SubjectOutcome> slots(std::min(chunk, subjects) * draws);
  std::unique_ptr<compiler::PolicyEngine> own_engine;
  const compiler::PolicyEngine* engine = options.engine;
  if (engine == nullptr) {
    own_engine = compiler::MakeInterpreterEngine(policy);
    engine = own_engine.get();
  }
  // One simulator per thread, kept from chunk to chunk.
  std::vector<std::unique_ptr<monte_carlo_detail::SubjectSimulator>> simulators;
  for (unsigned t = 0; t < threads; ++t) {
    simulators.push_back(std::make_unique<monte_carlo_detail::SubjectSimulator>(
        ledger, policy, *engine, plan, options.horizon_days, options.reuse_runs));
  }

  // Shared by the workers; changed only between the barrier's phases.
  std::size_t chunk_begin = 0;
  std::size_t chunk_end = std::min(subjects, chunk);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> chunk_failed{false};  // some draw of the chunk has an error
  // After a chunk is simulated: its errors, in subject and draw order (the
  // slots are read only when a worker saw one: this runs on one thread
  // while the others wait).
  auto simulated = [&]() noexcept {
    if (!chunk_failed.load(std::memory_order_relaxed)) return;
    chunk_failed.store(false, std::memory_order_relaxed);
    for (std::size_t s = chunk_begin; s < chunk_end; ++s) {
      for (std::size_t d = 0; d < draws; ++d) {
        const SubjectOutcome& outcome = slots[(s - chunk_begin) * draws + d];
        if (!outcome.error) continue;
        if (result.subject_errors.size() < kMaxSubjectErrors) result.subject_errors.push_back(*outcome.error);
        result.subject_error_count += 1;
      }
    }
  };
  // After a chunk is aggregated: the next chunk.
  auto aggregated = [&]() noexcept {
    chunk_begin = chunk_end;
    chunk_end = std::min(subjects, chunk_begin + chunk);
    next.store(chunk_begin, std::memory_order_relaxed);
  };
  std::barrier simulate_barrier(static_cast<std::ptrdiff_t>(threads), simulated);
  std::barrier aggregate_barrier(static_cast<std::ptrdiff_t>(threads), aggregated);
  auto work = [&](unsigned t) {
    monte_carlo_detail::SubjectSimulator& simulator = *simulators[t];
    while (chunk_begin < subjects) {
      for (;;) {
        const std::size_t begin = next.fetch_add(block, std::memory_order_relaxed);
        if (begin >= chunk_end) break;
        for (std::size_t s = begin; s < std::min(chunk_end, begin + block); ++s) {
          simulator.BeginSubject(s);
          for (std::size_t d = 0; d < draws; ++d) {
            const runtime::PaymentModel& drawn = options.parameter_uncertainty ? models[d] : model;
            SubjectOutcome& outcome = slots[(s - chunk_begin) * draws + d];
            simulator.SimulateDraw(drawn, options.seed, static_cast<std::uint32_t>(d), outcome);
            if (outcome.error) chunk_failed.store(true, std::memory_order_relaxed);
          }
        }
      }
      simulate_barrier.arrive_and_wait();
      // Each draw's subjects in subject order, into that draw's own builder
      // (the same sums for any number of workers). Subject by subject, the
      // worker's draws of it: the slots are read in the order they lie in
      // memory, and the next one's invoices and collections are fetched
      // while this one is added.
      for (std::size_t s = chunk_begin; s < chunk_end; ++s) {
        const SubjectOutcome* row = &slots[(s - chunk_begin) * draws];
        for (std::size_t d = t; d < draws; d += threads) {
          const SubjectOutcome& outcome = row[d];
          const std::size_t ahead = (s - chunk_begin) * draws + d + threads;
          if (ahead < slots.size()) PrefetchOutcome(slots[ahead]);
          if (!outcome.error) builders[d].Add(outcome);
        }
      }
      aggregate_barrier.arrive_and_wait();
    }
  };
  runtime::RunOnThreads(threads, work);
  for (MetricsBuilder& builder : builders) result.draws.push_back(builder.Finish());
  for (const auto& simulator : simulators) {
    result.interpreter_runs += simulator->engine_runs();
    result.reused_runs += simulator->reused_runs();
    result.derived_runs += simulator->derived_runs();
  }
  return result;
}

}  // namespace recoup::simulation
