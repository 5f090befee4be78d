// Monte Carlo benchmark (`make bench-mc`): the comparison (two
// policies over a generated ledger, N draws) on the interpreter engine and
// on the JIT engine, each on one thread: invoice-draws per second per core
// (per CPU second of the thread), engine runs made, reused and derived
// (from the run before a settling payment) per invoice-draw, and the
// projected wall time of 1,000,000 invoices x 100 draws x 2 policies on 2
// cores at that rate; then the JIT on 2 threads as `recoup compare
// --threads 2` runs it (wall time, process CPU time, and the run
// projected from that wall time). Checks that both engines and both
// thread counts give the same draws. Prints a table; never fails a test.
//
// Usage: recoup_bench_mc [invoices] [draws] [policy-a.recoup policy-b.recoup]
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/jit/jit_engine.h"
#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"
#include "runtime/payment_fit.h"
#include "simulation/monte_carlo.h"
#include "simulation/subjects.h"
#include "tools/bench/bench_support.h"

namespace {

using namespace recoup;
using namespace recoup::bench;

struct Measured {
  double cpu_seconds = 0;
  double wall_seconds = 0;
  double invoice_draws = 0;
  std::uint64_t runs = 0, reused = 0, derived = 0;
  std::vector<std::vector<simulation::Metrics>> draws;  // per policy
};

// Both policies on `threads` threads with `engines` (null: the
// interpreter): CPU time of the calling thread (one thread) or of the
// process (more), and wall time.
std::optional<Measured> Measure(const runtime::Ledger& ledger, const std::vector<compiler::PolicyIr>& policies,
                                const std::vector<const compiler::PolicyEngine*>& engines,
                                const runtime::PaymentModel& model, std::uint32_t draws, unsigned threads = 1) {
  Measured measured;
  for (std::size_t p = 0; p < policies.size(); ++p) {
    simulation::MonteCarloOptions options;
    options.draws = draws;
    options.seed = 1;
    options.threads = threads;
    options.engine = engines[p];
    const double start = threads == 1 ? ThreadCpuSeconds() : ProcessCpuSeconds();
    const Clock::time_point wall = Clock::now();
    simulation::MonteCarloResult result = simulation::SimulateMonteCarlo(ledger, policies[p], model, options);
    measured.wall_seconds += Seconds(wall);
    measured.cpu_seconds += (threads == 1 ? ThreadCpuSeconds() : ProcessCpuSeconds()) - start;
    if (!result.error.empty() || result.subject_error_count > 0) {
      fmt::print(stderr, "Monte Carlo failed: {} {}\n", result.error,
                 result.subject_errors.empty() ? "" : result.subject_errors.front());
      return std::nullopt;
    }
    measured.invoice_draws += static_cast<double>(result.draws.front().overall.invoices) * draws;
    measured.runs += result.interpreter_runs;
    measured.reused += result.reused_runs;
    measured.derived += result.derived_runs;
    measured.draws.push_back(std::move(result.draws));
  }
  return measured;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t invoices = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::uint32_t draws = argc > 2 ? static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 100;
  std::vector<std::string> paths = {RECOUP_SOURCE_DIR "/examples/email-letter-call.recoup",
                                    RECOUP_SOURCE_DIR "/examples/final-notice-agency.recoup"};
  if (argc > 4) paths = {argv[3], argv[4]};
  std::vector<compiler::PolicyIr> policies;
  for (const std::string& path : paths) {
    std::optional<compiler::PolicyIr> policy = CheckPolicy(path);
    if (!policy) return 1;
    policies.push_back(std::move(*policy));
  }
  std::ifstream stream(RECOUP_SOURCE_DIR "/stdlib/models/priors.json");
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  runtime::PaymentModelReadResult priors = runtime::PaymentModelFromJson(text);
  if (!priors.model) return 1;
  std::optional<runtime::Ledger> ledger = GenerateAndLoad(invoices, 43);
  if (!ledger) return 1;
  runtime::FitOptions fit_options;
  fit_options.as_of = simulation::LedgerEnd(*ledger);
  runtime::FitResult fit = runtime::FitPaymentModel(*ledger, *priors.model, fit_options);
  if (!fit.error.empty()) return 1;

  std::vector<std::unique_ptr<compiler::PolicyEngine>> jit_engines;
  for (const compiler::PolicyIr& policy : policies) {
    compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(policy, compiler::jit::JitOptions{});
    if (!jit.engine) {
      fmt::print(stderr, "the JIT could not compile {}: {}\n", policy.header.name, jit.error.value_or(""));
      return 1;
    }
    jit_engines.push_back(std::move(jit.engine));
  }
  fmt::print("Monte Carlo: {} invoices, {} draws, policies {} and {}, one thread each\n", ledger->invoices.size(), draws,
             paths[0], paths[1]);
  fmt::print("{:<12} {:>10} {:>14} {:>22} {:>12} {:>12} {:>12} {:>26}\n", "engine", "CPU s", "invoice-draws",
             "invoice-draws/s/core", "runs/draw", "reused/draw", "derived/draw", "1M x 100 x 2 on 2 cores");
  std::optional<Measured> interpreted;
  for (bool jit : {false, true}) {
    std::vector<const compiler::PolicyEngine*> engines(policies.size(), nullptr);
    if (jit) {
      for (std::size_t p = 0; p < policies.size(); ++p) engines[p] = jit_engines[p].get();
    }
    std::optional<Measured> measured = Measure(*ledger, policies, engines, fit.model, draws);
    if (!measured) return 1;
    const double rate = measured->invoice_draws / measured->cpu_seconds;
    const double projected = 1e6 * 100 * 2 / (rate * 2);
    fmt::print("{:<12} {:>10.2f} {:>14.0f} {:>22.0f} {:>12.3f} {:>12.3f} {:>12.3f} {:>24.1f} s\n",
               jit ? "jit" : "interpreter", measured->cpu_seconds, measured->invoice_draws, rate,
               static_cast<double>(measured->runs) / measured->invoice_draws,
               static_cast<double>(measured->reused) / measured->invoice_draws,
               static_cast<double>(measured->derived) / measured->invoice_draws, projected);
    if (!jit) {
      interpreted = std::move(measured);
    } else if (measured->draws != interpreted->draws) {
      fmt::print("the JIT's draws DIFFER from the interpreter's\n");
      return 1;
    }
  }
  // As `recoup compare --threads 2 --engine jit` runs: two workers, each
  // with its own metrics, merged at the end (process CPU time: whatever
  // the second thread costs counts too).
  std::vector<const compiler::PolicyEngine*> engines;
  for (const auto& engine : jit_engines) engines.push_back(engine.get());
  std::optional<Measured> two = Measure(*ledger, policies, engines, fit.model, draws, 2);
  if (!two) return 1;
  if (two->draws != interpreted->draws) {
    fmt::print("the draws on 2 threads DIFFER from those on one\n");
    return 1;
  }
  const double two_rate = two->invoice_draws / two->cpu_seconds;
  fmt::print("jit on 2 threads: {:.2f} s wall, {:.2f} s CPU, {:.0f} invoice-draws/s/core; "
             "1M x 100 x 2 at this wall rate: {:.1f} s\n",
             two->wall_seconds, two->cpu_seconds, two_rate, two->wall_seconds * 1e6 * 100 * 2 / two->invoice_draws);
  fmt::print("both engines and both thread counts gave the same draws; peak memory {:.0f} MB\n", PeakMegabytes());
  return 0;
}
