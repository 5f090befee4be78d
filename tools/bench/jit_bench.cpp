// JIT benchmark (`make bench-jit`): on a generated ledger (about 1,000,000
// invoices by default) and the largest example policy, one table of the
// engines' throughput on one thread over the same SubjectViews (built once
// from the ledger before timing): the reference interpreter (day by day, on
// a sample, being slow), the interpreter engine, the JIT engine, and the
// same policy written by hand in C++ (tools/bench/handwritten_ladder.h, the
// practical limit), with the ratios issue #6 sets targets for. Every
// subject's outcome is compared between the interpreter engine and the JIT,
// and between the JIT and the hand-written run. Then the compile latency of
// every example policy and tools/bench/ten-steps.recoup (wall clock and this
// thread's CPU time, the process's JIT session of jit_session.h already
// existing): until the first result can be computed (parse, check, then the
// quick tier: generate, -O0 code generation, link), until the optimised
// tier compiled behind it has replaced it, the optimised tier alone cold
// (generate, optimise, emit, link) and from the object cache; then the
// quick tier's speed on the benchmark policy. Prints tables; never fails a
// test (exits 1 when outcomes differ).
//
// Usage: recoup_bench_jit [invoices] [policy.recoup] [reference sample invoices] [compile rounds]
// (a sample of 0 skips the reference interpreter, 0 compile rounds the
// compile table: for callgrind runs)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/engine.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/reference_interpreter.h"
#include "compiler/program.h"
#include "runtime/ledger_generator.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/handwritten_ladder.h"
#include "runtime/ledger_loader.h"
#include "simulation/replay.h"

namespace {

using namespace recoup;
using namespace recoup::bench;
namespace fs = std::filesystem;

double Milliseconds(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}


std::vector<std::string> ExamplePolicies() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(RECOUP_SOURCE_DIR "/examples")) {
    if (entry.path().extension() == ".recoup") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string LargestExample() {
  std::vector<std::string> paths = ExamplePolicies();
  return *std::max_element(paths.begin(), paths.end(),
                           [](const std::string& a, const std::string& b) { return fs::file_size(a) < fs::file_size(b); });
}

struct CompileTiming {
  double parse_check = 1e9, cached = 1e9;
  double cold = 0, cold_cpu = 1e9;                   // the optimised tier alone (JitTiers::Optimised), with parse+check
  double generate = 0, optimise = 0, codegen = 0, link = 0;  // of the best cold run
  double quick = 0, quick_cpu = 1e9;                 // QuickThenOptimised: until the quick code runs, with parse+check
  double quick_generate = 0, quick_codegen = 0, quick_link = 0;  // of the best quick run
  double optimised_behind = 1e9;                     // QuickThenOptimised: until the optimised code replaced it
  bool from_cache = true, switched = true;
};

// Parse and check, then compile: the optimised tier without and with a
// primed cache, and the quick tier with the optimised one behind it
// (timed until the engine is returned, and until the optimised code has
// replaced the quick code); the best of `rounds` of each, the cold and
// quick compiles by this thread's CPU time (the machine is shared: the
// wall clock waits for other processes), with that round's wall clock and
// stages.
CompileTiming TimeCompile(const std::string& path, const std::string& cache, int rounds) {
  using compiler::jit::JitOptions;
  using compiler::jit::JitTiers;
  CompileTiming best;
  for (int round = 0; round < rounds; ++round) {
    fs::remove_all(cache);
    Clock::time_point start = Clock::now();
    double cpu_start = ThreadCpuSeconds();
    std::optional<compiler::PolicyIr> policy = CheckPolicy(path);
    double parse_check = Milliseconds(start);
    double parse_check_cpu = (ThreadCpuSeconds() - cpu_start) * 1000;
    if (!policy) return {};
    start = Clock::now();
    cpu_start = ThreadCpuSeconds();
    compiler::jit::JitEngineResult cold = compiler::jit::MakeJitEngine(*policy, JitOptions{cache, JitTiers::Optimised});
    double cold_ms = parse_check + Milliseconds(start);
    double cold_cpu = parse_check_cpu + (ThreadCpuSeconds() - cpu_start) * 1000;
    start = Clock::now();
    compiler::jit::JitEngineResult cached = compiler::jit::MakeJitEngine(*policy, JitOptions{cache, JitTiers::QuickThenOptimised});
    double cached_ms = parse_check + Milliseconds(start);
    best.from_cache = best.from_cache && cached.report.loaded_from_cache && !cached.report.quick && cold.engine &&
                      cached.engine && cached.compiled->Optimised();
    if (cold_cpu < best.cold_cpu) {
      best.cold = cold_ms;
      best.cold_cpu = cold_cpu;
      best.generate = cold.report.generate_milliseconds;
      best.optimise = cold.report.optimise_milliseconds;
      best.codegen = cold.report.codegen_milliseconds;
      best.link = cold.report.link_milliseconds;
    }
    best.parse_check = std::min(best.parse_check, parse_check);
    best.cached = std::min(best.cached, cached_ms);

    fs::remove_all(cache);
    start = Clock::now();
    cpu_start = ThreadCpuSeconds();
    compiler::jit::JitEngineResult quick = compiler::jit::MakeJitEngine(*policy, JitOptions{cache, JitTiers::QuickThenOptimised});
    double quick_ms = parse_check + Milliseconds(start);
    double quick_cpu = parse_check_cpu + (ThreadCpuSeconds() - cpu_start) * 1000;
    if (!quick.engine) return {};
    compiler::jit::CompileReport behind = quick.compiled->WaitUntilOptimised();
    double optimised_ms = parse_check + Milliseconds(start);
    best.switched = best.switched && quick.report.quick && behind.error.empty() && quick.compiled->Optimised();
    if (quick_cpu < best.quick_cpu) {
      best.quick = quick_ms;
      best.quick_cpu = quick_cpu;
      best.quick_generate = quick.report.generate_milliseconds;
      best.quick_codegen = quick.report.codegen_milliseconds;
      best.quick_link = quick.report.link_milliseconds;
    }
    best.optimised_behind = std::min(best.optimised_behind, optimised_ms);
  }
  return best;
}

// Every subject of the plan as an engine reads it, built once, with its horizon.
struct PreparedSubjects {
  std::vector<compiler::SubjectViewStorage> views;
  std::vector<std::int32_t> horizons;
  double invoices = 0;  // covered and not: every invoice the subjects hold
};

PreparedSubjects Prepare(const runtime::Ledger& ledger, const simulation::SubjectPlan& plan) {
  PreparedSubjects prepared;
  prepared.views.resize(plan.subject_count());
  prepared.horizons.resize(plan.subject_count());
  for (std::size_t s = 0; s < plan.subject_count(); ++s) {
    const compiler::abi::SubjectView& view = simulation::BuildSubjectView(ledger, plan, s, prepared.views[s]);
    prepared.horizons[s] = simulation::SubjectHorizon(ledger, plan, s, 180).days();
    prepared.invoices += view.invoice_count;
  }
  return prepared;
}

compiler::EngineOptions ReplayOptionsFor(std::int32_t horizon) {
  compiler::EngineOptions options;
  options.horizon = runtime::Date::FromDays(horizon);
  options.explain = false;  // as the replay runs
  return options;
}

// Thread CPU seconds of the best of `rounds` passes of `run_subject` over every subject.
template <typename RunSubject>
double BestSeconds(const PreparedSubjects& subjects, int rounds, RunSubject run_subject) {
  double best = 1e30;
  for (int round = 0; round < rounds; ++round) {
    double start = ThreadCpuSeconds();
    for (std::size_t s = 0; s < subjects.views.size(); ++s) run_subject(subjects.views[s].view, subjects.horizons[s]);
    best = std::min(best, ThreadCpuSeconds() - start);
  }
  return best;
}

// Thread CPU seconds of the reference interpreter over the first subjects
// holding about `sample` invoices; `invoices` is how many they hold.
double ReferenceSeconds(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                        const simulation::SubjectPlan& plan, std::size_t sample, double& invoices) {
  std::size_t subjects = 0;
  while (subjects < plan.subject_count() && plan.subject_begin[subjects] < sample) ++subjects;
  invoices = static_cast<double>(plan.subject_begin[subjects]);
  compiler::SubjectFacts facts;
  std::uint64_t firings = 0;
  double start = ThreadCpuSeconds();
  for (std::size_t s = 0; s < subjects; ++s) {
    simulation::BuildSubjectFacts(ledger, plan, s, facts);
    compiler::InterpretOptions options;
    options.horizon = simulation::SubjectHorizon(ledger, plan, s, 180);
    firings += compiler::ReferenceInterpret(policy, facts, options).firings.size();
  }
  double seconds = ThreadCpuSeconds() - start;
  if (firings == 0) fmt::print("(the reference interpreter fired nothing on the sample)\n");
  return seconds;
}

// Where two outcomes first differ, for the message.
std::string FirstDifference(const RunOutcome& a, const RunOutcome& b) {
  std::size_t at = 0;
  while (at < a.words.size() && at < b.words.size() && a.words[at] == b.words[at]) ++at;
  auto around = [&](const RunOutcome& outcome) {
    std::string text;
    for (std::size_t k = at >= 6 ? at - 6 : 0; k < std::min(outcome.words.size(), at + 6); ++k) {
      text += (k == at ? " [" : " ") + std::to_string(outcome.words[k]) + (k == at ? "]" : "");
    }
    return text;
  };
  return fmt::format("word {}:{} vs{}", at, around(a), around(b));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::string policy_path = argc > 2 ? argv[2] : LargestExample();
  std::size_t sample = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 50000;
  int compile_rounds = argc > 4 ? std::atoi(argv[4]) : 5;
  std::optional<compiler::PolicyIr> policy = CheckPolicy(policy_path);
  if (!policy) return 1;

  std::optional<runtime::Ledger> loaded = GenerateAndLoadFor(*policy, target, 42);
  if (!loaded) return 1;
  const runtime::Ledger& ledger = *loaded;
  fmt::print("ledger: {} invoices; policy: {} ({} steps)\n\n", ledger.invoices.size(), policy_path, policy->steps.size());

  compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{});
  if (!jit.engine) {
    fmt::print(stderr, "the JIT failed: {}\n", jit.error.value_or("?"));
    return 1;
  }
  std::unique_ptr<compiler::PolicyEngine> interpreter = compiler::MakeInterpreterEngine(*policy);
  simulation::PlanResult planned = simulation::PlanSubjects(ledger, *policy, std::nullopt);
  if (!planned.plan) {
    fmt::print(stderr, "{}\n", planned.error);
    return 1;
  }
  const simulation::SubjectPlan& plan = *planned.plan;
  PreparedSubjects subjects = Prepare(ledger, plan);
  std::optional<HandwrittenLadder> handwritten;
  if (HandwrittenLadder::Matches(*policy)) handwritten.emplace(*policy);

  // Every subject's outcome: the interpreter engine against the JIT, the JIT against the hand-written run.
  compiler::EngineWorkspace workspace;
  compiler::abi::Trace trace;
  RunOutcome interpreted, compiled, by_hand;
  std::size_t engines_differ = 0, hand_differs = 0;
  for (std::size_t s = 0; s < subjects.views.size(); ++s) {
    const compiler::abi::SubjectView& view = subjects.views[s].view;
    compiler::EngineOptions options = ReplayOptionsFor(subjects.horizons[s]);
    interpreter->Run(view, options, workspace, trace);
    OutcomeFromTrace(trace, interpreted);
    jit.engine->Run(view, options, workspace, trace);
    OutcomeFromTrace(trace, compiled);
    if (interpreted != compiled && engines_differ++ == 0) {
      fmt::print("subject {}: the interpreter engine and the JIT differ at {}\n", s, FirstDifference(interpreted, compiled));
    }
    if (!handwritten) continue;
    handwritten->Run(view, subjects.horizons[s], by_hand);
    if (by_hand != compiled && hand_differs++ == 0) {
      fmt::print("subject {}: the hand-written run and the JIT differ at {}\n", s, FirstDifference(compiled, by_hand));
    }
  }

  constexpr int kRounds = 3;
  double interpreter_seconds = BestSeconds(subjects, kRounds, [&](const compiler::abi::SubjectView& view, std::int32_t horizon) {
    interpreter->Run(view, ReplayOptionsFor(horizon), workspace, trace);
  });
  double jit_seconds = BestSeconds(subjects, kRounds, [&](const compiler::abi::SubjectView& view, std::int32_t horizon) {
    jit.engine->Run(view, ReplayOptionsFor(horizon), workspace, trace);
  });
  double hand_seconds = 0;
  if (handwritten) {
    hand_seconds = BestSeconds(subjects, kRounds, [&](const compiler::abi::SubjectView& view, std::int32_t horizon) {
      handwritten->Run(view, horizon, by_hand);
    });
  }
  double reference_invoices = 0;
  double reference_seconds = sample == 0 ? 0 : ReferenceSeconds(ledger, *policy, plan, sample, reference_invoices);

  double invoices = subjects.invoices;
  double interpreter_rate = invoices / interpreter_seconds, jit_rate = invoices / jit_seconds;
  fmt::print("{} subjects, {:.0f} invoices, views built once; one thread, CPU seconds, best of {}\n", subjects.views.size(),
             invoices, kRounds);
  fmt::print("                                     seconds   invoices/s   vs interpreter engine   JIT is\n");
  if (sample != 0) {
    fmt::print("  reference interpreter ({:.0f} inv.) {:9.2f} {:12.0f} {:14.2f}x {:17.1f}x faster\n", reference_invoices,
               reference_seconds, reference_invoices / reference_seconds,
               reference_invoices / reference_seconds / interpreter_rate, jit_rate / (reference_invoices / reference_seconds));
  }
  fmt::print("  interpreter engine          {:12.2f} {:12.0f} {:14.2f}x {:17.2f}x faster\n", interpreter_seconds,
             interpreter_rate, 1.0, jit_rate / interpreter_rate);
  fmt::print("  JIT engine                  {:12.2f} {:12.0f} {:14.2f}x\n", jit_seconds, jit_rate, jit_rate / interpreter_rate);
  if (handwritten) {
    fmt::print("  hand-written C++ (-O2)      {:12.2f} {:12.0f} {:14.2f}x {:17.2f}x slower\n", hand_seconds,
               invoices / hand_seconds, invoices / hand_seconds / interpreter_rate, jit_seconds / hand_seconds);
  } else {
    fmt::print("  hand-written C++: written only for examples/customer-suspension-ladder.recoup\n");
  }
  fmt::print("  targets: JIT >= 10x the interpreter engine ({}); JIT within 1.3x of hand-written C++ ({})\n",
             jit_rate / interpreter_rate >= 10 ? "met" : "not met",
             !handwritten ? "not measured" : jit_seconds / hand_seconds <= 1.3 ? "met" : "not met");
  fmt::print("  same outcome on every subject: interpreter engine and JIT {}; JIT and hand-written {}\n\n",
             engines_differ == 0 ? "yes" : fmt::format("NO ({} differ)", engines_differ),
             !handwritten ? "not compared" : hand_differs == 0 ? "yes" : fmt::format("NO ({} differ)", hand_differs));

  if (compile_rounds <= 0) return engines_differ == 0 && hand_differs == 0 ? 0 : 1;
  fmt::print("targets: JIT >= 10x the interpreter engine; cold compile < 30 ms; from the cache < 3 ms\n\n");
  std::random_device device;
  std::string cache = (fs::temp_directory_path() / ("recoup-bench-jit-" + std::to_string(device()))).string();
  fmt::print("compile latency, best of {} rounds by CPU time, ms (CPU ms of this thread; the stages are wall ms)\n"
             "  first result: parse+check, then the quick tier (-O0 code generation of the unoptimised module)\n"
             "  linked; the optimised tier compiles behind it on a second thread until it replaces it\n"
             "  cold -O2: the optimised tier alone (what the cache stores)\n", compile_rounds);
  fmt::print("  {:<34} {:>6} | {:>15} {:>6} {:>6} {:>5} {:>8} | {:>15} {:>6} {:>6} {:>6} {:>5} | {:>6}\n", "policy",
             "parse", "first result", "gen", "emit", "link", "-O2 in", "cold -O2", "gen", "opt", "emit", "link", "cached");
  std::vector<std::string> policies = ExamplePolicies();
  policies.push_back(RECOUP_SOURCE_DIR "/tools/bench/ten-steps.recoup");
  for (const std::string& path : policies) {
    CompileTiming timing = TimeCompile(path, cache, compile_rounds);
    fmt::print("  {:<34} {:6.2f} | {:7.2f} ({:5.1f}) {:6.2f} {:6.2f} {:5.2f} {:8.2f} | {:7.2f} ({:5.1f}) {:6.2f} {:6.2f} {:6.2f} "
               "{:5.2f} | {:6.2f}{}{}\n",
               fs::path(path).filename().string(), timing.parse_check, timing.quick, timing.quick_cpu,
               timing.quick_generate, timing.quick_codegen, timing.quick_link, timing.optimised_behind, timing.cold,
               timing.cold_cpu, timing.generate, timing.optimise, timing.codegen, timing.link, timing.cached,
               timing.from_cache ? "" : "  (cache NOT used)", timing.switched ? "" : "  (optimised tier NOT switched in)");
  }
  // The quick tier's speed on the benchmark policy: what the first subjects run at.
  compiler::jit::JitEngineResult quick =
      compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{"", compiler::jit::JitTiers::Quick});
  if (quick.engine) {
    double quick_seconds = BestSeconds(subjects, 1, [&](const compiler::abi::SubjectView& view, std::int32_t horizon) {
      quick.engine->Run(view, ReplayOptionsFor(horizon), workspace, trace);
    });
    fmt::print("  the quick tier runs {} at {:.0f} invoices/s (optimised: {:.0f}), one pass\n",
               fs::path(policy_path).filename().string(), invoices / quick_seconds, jit_rate);
  }
  fs::remove_all(cache);
  return engines_differ == 0 && hand_differs == 0 ? 0 : 1;
}
