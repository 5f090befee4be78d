// Counterfactual Monte Carlo simulation (docs/model.md, "Simulating"):
// every subject of a ledger run under a policy with payments sampled from
// the payment-response model instead of replayed. Payments depend on the
// actions the policy takes, so each subject is run iteratively through a
// policy engine (compiler/engine.h, the interpreter's or the JIT's): run
// with the payments sampled so far, sample the next event (a first payment
// by inverting the piecewise-constant hazard against an exponential clock,
// a partial payment's remainder, or whether a call ends in a promise to
// pay) given the actions up to then, add it, run again. A run is a pure
// function of the sampled facts, so the runs of a subject are kept and
// shared by all its draws, and the run after a payment that settles a
// one-invoice subject is derived from the run before it (nothing fires
// after it): most draws make no engine run at all.
// Random numbers come from streams keyed by seed, invoice and draw, so the
// same draw of the same invoice uses the same numbers under every policy
// (common random numbers). Subjects run on several threads, each adding its
// outcomes to its own metrics, merged exactly at the end: the same bytes
// for any thread count. A worker's exception reaches the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/engine.h"
#include "compiler/policy_ir.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"
#include "simulation/metrics.h"

namespace recoup::simulation {

struct MonteCarloOptions {
  std::uint32_t draws = 100;
  std::uint64_t seed = 1;
  // Draw the model's parameters from their uncertainty, once per draw
  // (the same parameters for every policy and subject of that draw).
  bool parameter_uncertainty = false;
  std::int32_t horizon_days = 180;
  unsigned threads = 0;
  std::int32_t premature_days = 30;
  std::optional<runtime::Date> as_of;
  // The engine to run (compiler/engine.h); none: the interpreter engine.
  const compiler::PolicyEngine* engine = nullptr;
  // Answer a run already made for the same subject and sampled facts
  // from memory, and derive the run after a payment settling a
  // one-invoice subject from the run before it where the policy allows
  // (the same result, faster); false runs the engine for every run of
  // every draw (the straightforward method, for tests).
  bool reuse_runs = true;
};

struct MonteCarloResult {
  std::string error;                // nothing was simulated, and why
  std::vector<Metrics> draws;       // one per draw, in draw order
  std::vector<std::string> subject_errors;  // the first few
  std::uint64_t subject_error_count = 0;
  std::uint64_t interpreter_runs = 0;  // engine runs made, over all subjects and draws
  std::uint64_t reused_runs = 0;       // runs answered from a subject's earlier draws
  std::uint64_t derived_runs = 0;      // runs after a settling payment derived from the run before it
  unsigned threads_used = 1;
};

// The model with each parameter drawn from its uncertainty for draw
// `draw`: value x exp(se x N(0,1)), probabilities capped at 1.
runtime::PaymentModel DrawParameters(const runtime::PaymentModel& model, std::uint64_t seed, std::uint32_t draw);

// Simulates `options.draws` draws of every subject of `ledger` under `policy`.
MonteCarloResult SimulateMonteCarlo(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                    const runtime::PaymentModel& model, const MonteCarloOptions& options);

}  // namespace recoup::simulation
