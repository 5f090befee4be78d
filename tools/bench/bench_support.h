// What the benchmarks share: clocks (wall, thread and process CPU time, the
// machine being shared), peak memory, checking a policy file with the
// repository's standard library, and a gen-ledger ledger made in memory. Header-only; each benchmark is its own
// executable (RECOUP_SOURCE_DIR is defined by CMake for each).
#pragma once

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"
#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"

namespace recoup::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// CPU seconds of the calling thread, and of the whole process: the
// development machine is shared, so wall-clock figures alone mislead.
inline double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

inline double PeakMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in kilobytes on Linux
}

// The checked policy at `path`, or nothing after printing its diagnostics.
inline std::optional<compiler::PolicyIr> CheckPolicy(const std::string& path) {
  language::RealFileSystem files;
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program =
      compiler::LoadProgram(path, files, compiler::LoadOptions{RECOUP_SOURCE_DIR "/stdlib"}, sources, diagnostics);
  std::optional<compiler::PolicyIr> ir;
  if (!program.trees.empty()) ir = compiler::Check(program, sources, diagnostics);
  if (diagnostics.HasErrors() || !ir) {
    for (const language::Diagnostic& diagnostic : diagnostics.all()) fmt::print(stderr, "{}\n", language::RenderText(diagnostic, sources));
    return std::nullopt;
  }
  return ir;
}

// gen-ledger's options for about `invoices` invoices: it makes about 17.3
// invoices per customer in 24 months.
inline runtime::GeneratorOptions GeneratorFor(std::size_t invoices, std::uint64_t seed) {
  runtime::GeneratorOptions generator = runtime::DefaultGeneratorOptions();
  generator.months = 24;
  generator.customers = static_cast<std::uint32_t>(std::max<std::size_t>(1, invoices * 100 / 1727));
  generator.seed = seed;
  return generator;
}

// The ledger "bench" loaded from `sink`, or nothing after printing why not.
inline std::optional<runtime::Ledger> LoadGeneratedLedger(const runtime::MemoryLedgerSink& sink) {
  runtime::LedgerLoadResult loaded = runtime::LoadLedger("bench", runtime::LedgerOptions{}, runtime::MemoryLedgerReader(sink, "bench"));
  if (!loaded.ok()) {
    fmt::print(stderr, "{}", runtime::RenderLedgerDiagnostics(loaded));
    return std::nullopt;
  }
  return std::move(*loaded.ledger);
}

// A ledger of about `invoices` invoices from gen-ledger with `seed`.
inline std::optional<runtime::Ledger> GenerateAndLoad(std::size_t invoices, std::uint64_t seed) {
  runtime::MemoryLedgerSink sink;
  runtime::GenerateLedger(GeneratorFor(invoices, seed), sink);
  return LoadGeneratedLedger(sink);
}

}  // namespace recoup::bench
