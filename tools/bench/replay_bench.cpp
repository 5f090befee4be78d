// Replay benchmark (`make bench-replay`): generates a synthetic ledger with
// the gen-ledger library (about 1,000,000 invoices by default), loads it,
// and replays it under a policy (the ten-step tools/bench/ten-steps.recoup
// by default) with the interpreter engine and with the JIT engine, each on
// one thread (best of three by CPU time) and on every hardware thread.
// Prints invoices per second for each, the JIT's ratio to the interpreter,
// whether all runs agree (both engines, any thread count), and the peak
// resident memory of the process. Then, on the same ledger, runs the
// day-by-day reference interpreter and the interpreter engine (best of
// three) over the first subjects (a sample, the reference being slow) and
// prints both rates and their ratio.
//
// Usage: recoup_bench_replay [invoices] [policy.recoup] [sample invoices] [interp|jit|both]
// (a sample of 0 skips the reference; the engines default to both)
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "compiler/checker.h"
#include "compiler/engine.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/program.h"
#include "compiler/reference_interpreter.h"
#include "runtime/ledger_generator.h"
#include "tools/bench/bench_support.h"
#include "runtime/ledger_loader.h"
#include "simulation/replay.h"

namespace {

using namespace recoup;
using namespace recoup::bench;

// One replay: wall seconds, CPU seconds of this thread (the whole run when
// threads == 1, which runs inline) and of the process.
struct Timing {
  double wall = 0, thread_cpu = 0, process_cpu = 0;
};

simulation::ReplayResult Timed(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                               const compiler::PolicyEngine& engine, unsigned threads, Timing& timing) {
  simulation::ReplayOptions options;
  options.threads = threads;
  options.engine = &engine;
  Clock::time_point start = Clock::now();
  double thread_start = ThreadCpuSeconds();
  double process_start = ProcessCpuSeconds();
  simulation::ReplayResult result = simulation::Replay(ledger, policy, options);
  timing = {Seconds(start), ThreadCpuSeconds() - thread_start, ProcessCpuSeconds() - process_start};
  return result;
}

// The first subjects of the plan holding about `invoices` invoices.
std::size_t SampleSubjects(const simulation::SubjectPlan& plan, std::size_t invoices) {
  std::size_t subjects = 0;
  while (subjects < plan.subject_count() && plan.subject_begin[subjects] < invoices) ++subjects;
  return subjects;
}

// Thread CPU seconds to run the reference interpreter over subjects [0, count).
double ReferenceSeconds(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                        const simulation::SubjectPlan& plan, std::size_t count, std::uint64_t& firings) {
  compiler::SubjectFacts facts;
  double start = ThreadCpuSeconds();
  for (std::size_t s = 0; s < count; ++s) {
    simulation::BuildSubjectFacts(ledger, plan, s, facts);
    compiler::InterpretOptions options;
    options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
    firings += compiler::ReferenceInterpret(policy, facts, options).firings.size();
  }
  return ThreadCpuSeconds() - start;
}

// Thread CPU seconds to run the interpreter engine over the same subjects,
// views built from the columns, explain off (as the replay does).
double EngineSeconds(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                     const simulation::SubjectPlan& plan, std::size_t count, std::uint64_t& firings) {
  std::unique_ptr<compiler::PolicyEngine> engine = compiler::MakeInterpreterEngine(policy);
  compiler::SubjectViewStorage storage;
  compiler::EngineWorkspace workspace;
  compiler::abi::Trace trace;
  double start = ThreadCpuSeconds();
  for (std::size_t s = 0; s < count; ++s) {
    const compiler::abi::SubjectView& view = simulation::BuildSubjectView(ledger, plan, s, storage);
    compiler::EngineOptions options;
    options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
    options.explain = false;
    engine->Run(view, options, workspace, trace);
    firings += trace.firings.size();
  }
  return ThreadCpuSeconds() - start;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::string policy_path = argc > 2 ? argv[2] : RECOUP_SOURCE_DIR "/tools/bench/ten-steps.recoup";
  std::size_t sample = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 50000;
  std::optional<compiler::PolicyIr> policy = CheckPolicy(policy_path);
  if (!policy) return 1;

  Clock::time_point start = Clock::now();
  // In the policy's currency, with its text attributes (bench_support.h).
  runtime::GeneratorOptions generator = GeneratorFor(target, 42);
  generator.currency = policy->header.currency;
  runtime::MemoryLedgerSink sink, widened;
  runtime::GenerateLedger(generator, sink);
  const runtime::MemoryLedgerSink& files = WithAttributeColumns(*policy, sink, widened);
  double generate_seconds = Seconds(start);

  start = Clock::now();
  std::optional<runtime::Ledger> loaded = LoadGeneratedLedger(files);
  double load_seconds = Seconds(start);
  if (!loaded) return 1;
  const runtime::Ledger& ledger = *loaded;
  fmt::print("ledger: {} invoices, {} customers, {} payments (generated in {:.1f} s, loaded in {:.1f} s, {:.0f} bytes/invoice)\n",
             ledger.invoices.size(), ledger.customers.size(), ledger.payments.date.size(), generate_seconds, load_seconds,
             static_cast<double>(ledger.MemoryBytes()) / static_cast<double>(std::max<std::size_t>(1, ledger.invoices.size())));
  fmt::print("policy: {} ({} steps)\n", policy_path, policy->steps.size());

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::string chosen = argc > 4 ? argv[4] : "both";
  if (chosen != "interp" && chosen != "jit" && chosen != "both") {
    fmt::print(stderr, "the engines are interp, jit or both, not {}\n", chosen);
    return 1;
  }
  struct Engine {
    std::string name;
    std::unique_ptr<compiler::PolicyEngine> engine;
  };
  std::vector<Engine> engines;
  if (chosen != "jit") engines.push_back({"interpreter", compiler::MakeInterpreterEngine(*policy)});
  if (chosen != "interp") {
    Clock::time_point compile_start = Clock::now();
    compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{});
    if (!jit.engine) {
      fmt::print(stderr, "JIT: {}\n", jit.error.value_or("failed"));
      return 1;
    }
    fmt::print("JIT compiled in {:.1f} ms (no cache)\n", Seconds(compile_start) * 1000);
    engines.push_back({"JIT", std::move(jit.engine)});
  }
  // Per engine: one thread, best of kRounds by this thread's CPU time (the
  // machine may be shared, and other work only ever adds time), then every
  // hardware thread.
  constexpr int kRounds = 3;
  bool agree = true;
  std::optional<simulation::Metrics> first_metrics;
  double invoices = 0;
  std::vector<double> per_core;
  for (const Engine& engine : engines) {
    Timing one_timing;
    simulation::ReplayResult one = Timed(ledger, *policy, *engine.engine, 1, one_timing);
    if (!one.error.empty() || one.subject_error_count > 0 || !one.metrics->conservation_ok) {
      fmt::print(stderr, "replay failed: {} {}\n", one.error, one.subject_errors.empty() ? "" : one.subject_errors.front());
      return 1;
    }
    for (int round = 1; round < kRounds; ++round) {
      Timing again;
      simulation::ReplayResult repeated = Timed(ledger, *policy, *engine.engine, 1, again);
      agree = agree && repeated.metrics && *repeated.metrics == *one.metrics;
      if (again.thread_cpu < one_timing.thread_cpu) one_timing = again;
    }
    invoices = static_cast<double>(one.metrics->overall.invoices + one.metrics->overall.not_covered);
    per_core.push_back(invoices / one_timing.thread_cpu);
    fmt::print("{} replay, 1 thread (best of {}): wall {:7.2f} s {:9.0f} invoices/s; CPU {:7.2f} s {:9.0f} invoices/s per core ({:.2f} us per invoice)\n",
               engine.name, kRounds, one_timing.wall, invoices / one_timing.wall, one_timing.thread_cpu,
               invoices / one_timing.thread_cpu, one_timing.thread_cpu / invoices * 1e6);
    Timing all_timing;
    simulation::ReplayResult all = Timed(ledger, *policy, *engine.engine, cores, all_timing);
    fmt::print("{} replay, {} threads: wall {:7.2f} s {:9.0f} invoices/s; CPU {:7.2f} s in all (wall speed-up {:.2f}x)\n",
               engine.name, cores, all_timing.wall, invoices / all_timing.wall, all_timing.process_cpu,
               one_timing.wall / all_timing.wall);
    agree = agree && all.metrics && *all.metrics == *one.metrics;
    if (!first_metrics) first_metrics = *one.metrics;
    agree = agree && *first_metrics == *one.metrics;
  }
  if (per_core.size() == 2) fmt::print("JIT / interpreter, whole replay per core: {:.2f}x\n", per_core[1] / per_core[0]);
  fmt::print("same metrics for 1 and {} threads, in every round{}: {}\n", cores,
             engines.size() > 1 ? " and on both engines" : "", agree ? "yes" : "NO");
  fmt::print("peak resident memory: {:.0f} MB\n", PeakMegabytes());
  if (sample == 0) return agree ? 0 : 1;

  simulation::PlanResult planned = simulation::PlanSubjects(ledger, *policy, std::nullopt);
  std::size_t subjects = SampleSubjects(*planned.plan, sample);
  double sampled = static_cast<double>(planned.plan->subject_begin[subjects]);
  std::uint64_t reference_firings = 0, engine_firings = 0;
  double reference = ReferenceSeconds(ledger, *policy, *planned.plan, subjects, reference_firings);
  double engine = EngineSeconds(ledger, *policy, *planned.plan, subjects, engine_firings);
  for (int round = 1; round < kRounds; ++round) {
    std::uint64_t again_firings = 0;
    engine = std::min(engine, EngineSeconds(ledger, *policy, *planned.plan, subjects, again_firings));
  }
  fmt::print("sample of {:.0f} invoices, CPU of one thread (without metrics):\n", sampled);
  fmt::print("  reference interpreter (day by day): {:9.0f} invoices/s ({:.2f} us per invoice)\n", sampled / reference,
             reference / sampled * 1e6);
  fmt::print("  interpreter engine (wake days):     {:9.0f} invoices/s ({:.2f} us per invoice), {:.1f}x the reference\n",
             sampled / engine, engine / sampled * 1e6, reference / engine);
  fmt::print("  same firings: {}\n", reference_firings == engine_firings ? "yes" : "NO");
  return agree && reference_firings == engine_firings ? 0 : 1;
}
