// Fit and Monte Carlo benchmark (`make bench-fit`): generates a synthetic
// ledger (about 1,000,000 invoices by default), loads it, fits the payment
// model on one thread and on every hardware thread, then runs the Monte
// Carlo simulation of a policy over a smaller generated ledger and prints
// invoice-draws per second per core.
//
// Usage: recoup_bench_fit [fit-invoices] [monte-carlo-invoices] [draws] [policy.recoup]
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "runtime/ledger_generator.h"
#include "tools/bench/bench_support.h"
#include "runtime/ledger_loader.h"
#include "runtime/payment_fit.h"
#include "simulation/monte_carlo.h"
#include "simulation/subjects.h"

namespace {

using namespace recoup;
using namespace recoup::bench;

}  // namespace

int main(int argc, char** argv) {
  const std::size_t fit_invoices = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::size_t monte_carlo_invoices = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20000;
  const std::uint32_t draws = argc > 3 ? static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10)) : 10;
  const std::string policy_path = argc > 4 ? argv[4] : RECOUP_SOURCE_DIR "/examples/email-letter-call.recoup";
  std::optional<compiler::PolicyIr> policy = CheckPolicy(policy_path);
  if (!policy) return 1;
  std::ifstream stream(RECOUP_SOURCE_DIR "/stdlib/models/priors.json");
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  runtime::PaymentModelReadResult priors = runtime::PaymentModelFromJson(text);
  if (!priors.model) return 1;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

  std::optional<runtime::Ledger> ledger = GenerateAndLoad(fit_invoices, 42);
  if (!ledger) return 1;
  fmt::print("fit ledger: {} invoices, {} payments, {} actions\n", ledger->invoices.size(), ledger->payments.date.size(),
             ledger->actions.date.size());
  runtime::FitOptions options;
  options.as_of = simulation::LedgerEnd(*ledger);
  for (unsigned threads : {1u, cores}) {
    options.threads = threads;
    const Clock::time_point start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    runtime::FitResult fit = runtime::FitPaymentModel(*ledger, *priors.model, options);
    if (!fit.error.empty()) {
      fmt::print(stderr, "fit failed: {}\n", fit.error);
      return 1;
    }
    fmt::print("fit, {} thread{}: wall {:.2f} s, CPU {:.2f} s ({} cells, {} Newton iterations, {} exposure days)\n",
               threads, threads == 1 ? "" : "s", Seconds(start), ProcessCpuSeconds() - cpu_start, fit.cells,
               fit.iterations, fit.model.exposure_days);
  }

  std::optional<runtime::Ledger> small = GenerateAndLoad(monte_carlo_invoices, 43);
  if (!small) return 1;
  options.threads = 0;
  options.as_of = simulation::LedgerEnd(*small);
  runtime::FitResult fit = runtime::FitPaymentModel(*small, *priors.model, options);
  if (!fit.error.empty()) return 1;
  fmt::print("Monte Carlo ledger: {} invoices, policy {}, {} draws\n", small->invoices.size(), policy_path, draws);
  for (unsigned threads : {1u, cores}) {
    simulation::MonteCarloOptions monte_carlo;
    monte_carlo.draws = draws;
    monte_carlo.seed = 1;
    monte_carlo.threads = threads;
    const Clock::time_point start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    simulation::MonteCarloResult result = simulation::SimulateMonteCarlo(*small, *policy, fit.model, monte_carlo);
    const double wall = Seconds(start), cpu = ProcessCpuSeconds() - cpu_start;
    if (!result.error.empty() || result.subject_error_count > 0) {
      fmt::print(stderr, "Monte Carlo failed: {} {}\n", result.error,
                 result.subject_errors.empty() ? "" : result.subject_errors.front());
      return 1;
    }
    const double invoice_draws = static_cast<double>(result.draws.front().overall.invoices) * draws;
    fmt::print("Monte Carlo, {} thread{}: wall {:.2f} s, CPU {:.2f} s: {:.0f} invoice-draws/s, {:.0f} per CPU second; "
               "{:.2f} interpreter runs per invoice-draw\n",
               threads, threads == 1 ? "" : "s", wall, cpu, invoice_draws / wall, invoice_draws / cpu,
               static_cast<double>(result.interpreter_runs) / invoice_draws);
  }
  return 0;
}
