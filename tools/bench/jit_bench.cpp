// JIT benchmark (`make bench-jit`): on a generated ledger (about 1,000,000
// invoices by default) and the largest example policy, the replay's
// throughput on one thread with the interpreter engine and with the JIT
// engine (and whether their metrics agree), then the compile latency of
// every example policy: cold (parse, check, generate, optimise, emit, link;
// wall clock and, as the machine may be shared, this thread's CPU time) and
// from the object cache. The process's JIT session (jit_session.h) already
// exists when these are timed. Prints a table; never fails a test.
//
// Usage: recoup_bench_jit [invoices] [policy.recoup]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/program.h"
#include "runtime/ledger_generator.h"
#include "tools/bench/bench_support.h"
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
  double parse_check = 0, cold = 0, cached = 0;
  double cold_cpu = 0;  // this thread's CPU time of the best cold run (the machine may be shared)
  double generate = 0, optimise = 0, codegen = 0, link = 0;  // of the best cold run
  bool from_cache = false;
};

// Parse and check, then compile without and with a primed cache; the best of `rounds`.
CompileTiming TimeCompile(const std::string& path, const std::string& cache, int rounds) {
  CompileTiming best;
  best.parse_check = best.cold = best.cached = 1e9;
  best.from_cache = true;
  for (int round = 0; round < rounds; ++round) {
    fs::remove_all(cache);
    Clock::time_point start = Clock::now();
    std::optional<compiler::PolicyIr> policy = CheckPolicy(path);
    double parse_check = Milliseconds(start);
    if (!policy) return {};
    start = Clock::now();
    double cpu_start = ThreadCpuSeconds();
    compiler::jit::JitEngineResult cold = compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{cache});
    double cold_ms = Milliseconds(start);
    double cold_cpu = (ThreadCpuSeconds() - cpu_start) * 1000 + parse_check;
    start = Clock::now();
    compiler::jit::JitEngineResult cached = compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{cache});
    double cached_ms = Milliseconds(start);
    best.parse_check = std::min(best.parse_check, parse_check);
    if (parse_check + cold_ms < best.cold) {
      best.cold_cpu = cold_cpu;
      best.generate = cold.report.generate_milliseconds;
      best.optimise = cold.report.optimise_milliseconds;
      best.codegen = cold.report.codegen_milliseconds;
      best.link = cold.report.link_milliseconds;
    }
    best.cold = std::min(best.cold, parse_check + cold_ms);
    best.cached = std::min(best.cached, parse_check + cached_ms);
    best.from_cache = best.from_cache && cached.report.loaded_from_cache && cold.engine && cached.engine;
  }
  return best;
}

double ReplaySeconds(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const compiler::PolicyEngine* engine,
                     simulation::ReplayResult& result) {
  simulation::ReplayOptions options;
  options.threads = 1;
  options.engine = engine;
  Clock::time_point start = Clock::now();
  result = simulation::Replay(ledger, policy, options);
  return Milliseconds(start) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::string policy_path = argc > 2 ? argv[2] : LargestExample();
  std::optional<compiler::PolicyIr> policy = CheckPolicy(policy_path);
  if (!policy) return 1;

  runtime::GeneratorOptions generator = runtime::DefaultGeneratorOptions();
  generator.months = 24;
  generator.customers = static_cast<std::uint32_t>(std::max<std::size_t>(1, target * 100 / 1727));
  generator.seed = 42;
  runtime::MemoryLedgerSink sink;
  runtime::GenerateLedger(generator, sink);
  runtime::FileReader read = [&sink](const std::string& path) {
    runtime::FileContents contents;
    for (std::size_t f = 0; f < runtime::kGeneratedFileCount; ++f) {
      auto file = static_cast<runtime::GeneratedFile>(f);
      if (path == "bench/" + std::string(runtime::GeneratedFileName(file))) {
        contents.status = runtime::FileContents::Status::Read;
        contents.bytes = sink.Contents(file);
      }
    }
    return contents;
  };
  runtime::LedgerLoadResult loaded = runtime::LoadLedger("bench", runtime::LedgerOptions{}, read);
  if (!loaded.ok()) {
    fmt::print(stderr, "{}", runtime::RenderLedgerDiagnostics(loaded));
    return 1;
  }
  const runtime::Ledger& ledger = *loaded.ledger;
  fmt::print("ledger: {} invoices; policy: {} ({} steps)\n\n", ledger.invoices.size(), policy_path, policy->steps.size());

  compiler::jit::JitEngineResult jit = compiler::jit::MakeJitEngine(*policy, compiler::jit::JitOptions{});
  if (!jit.engine) {
    fmt::print(stderr, "the JIT failed: {}\n", jit.error.value_or("?"));
    return 1;
  }
  simulation::ReplayResult interpreted, compiled;
  double interpreter_seconds = ReplaySeconds(ledger, *policy, nullptr, interpreted);
  double jit_seconds = ReplaySeconds(ledger, *policy, jit.engine.get(), compiled);
  double invoices = static_cast<double>(ledger.invoices.size());
  bool same = interpreted.metrics && compiled.metrics && *interpreted.metrics == *compiled.metrics;
  fmt::print("replay, 1 thread          seconds   invoices/s\n");
  fmt::print("  interpreter engine   {:10.2f} {:12.0f}\n", interpreter_seconds, invoices / interpreter_seconds);
  fmt::print("  JIT engine           {:10.2f} {:12.0f}   ({:.2f}x the interpreter engine; target 10x)\n", jit_seconds,
             invoices / jit_seconds, interpreter_seconds / jit_seconds);
  fmt::print("  same metrics: {}\n\n", same ? "yes" : "NO");

  fmt::print("targets: JIT >= 10x the interpreter engine; cold compile < 30 ms; from the cache < 3 ms\n\n");
  std::random_device device;
  std::string cache = (fs::temp_directory_path() / ("recoup-bench-jit-" + std::to_string(device()))).string();
  fmt::print("compile latency, best of 5 (ms)      parse+check  cold total (CPU)  cached total | cold: generate  "
             "optimise  emit  link\n");
  for (const std::string& path : ExamplePolicies()) {
    CompileTiming timing = TimeCompile(path, cache, 5);
    fmt::print("  {:<36} {:9.2f} {:11.2f} ({:5.1f}) {:13.2f} | {:8.2f} {:9.2f} {:5.2f} {:5.2f}{}\n",
               fs::path(path).filename().string(), timing.parse_check, timing.cold, timing.cold_cpu, timing.cached,
               timing.generate, timing.optimise, timing.codegen, timing.link, timing.from_cache ? "" : "   (cache NOT used)");
  }
  fs::remove_all(cache);
  return 0;
}
