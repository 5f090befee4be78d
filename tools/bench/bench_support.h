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

// `sink`'s files, or, when `policy` has text attributes they lack, a copy
// of them in `widened` with a column for each (customers.csv for customer
// ones, invoices.csv for invoice ones) filled with a name on two rows of
// three and empty on the third, so that a policy reading such attributes
// (examples/strategic-accounts.recoup) runs on a generated ledger. The
// generated files quote nothing, so a column goes at the end of each line.
inline const runtime::MemoryLedgerSink& WithAttributeColumns(const compiler::PolicyIr& policy,
                                                            const runtime::MemoryLedgerSink& sink,
                                                            runtime::MemoryLedgerSink& widened) {
  using runtime::GeneratedFile;
  auto file_of = [](const compiler::Attribute& attribute) {
    return attribute.object == compiler::AttributeObject::Customer ? GeneratedFile::Customers : GeneratedFile::Invoices;
  };
  auto lacks = [&](const std::string& text, const compiler::Attribute& attribute) {
    std::string header = "," + text.substr(0, text.find('\n')) + ",";
    return attribute.type.type == compiler::Type::Text && header.find("," + attribute.name + ",") == std::string::npos;
  };
  if (std::none_of(policy.attributes.begin(), policy.attributes.end(), [&](const compiler::Attribute& attribute) {
        return lacks(sink.Contents(file_of(attribute)), attribute);
      })) {
    return sink;
  }
  for (std::size_t file = 0; file < runtime::kGeneratedFileCount; ++file) {
    auto kind = static_cast<GeneratedFile>(file);
    std::string text = sink.Contents(kind);
    for (const compiler::Attribute& attribute : policy.attributes) {
      if (file_of(attribute) != kind || !lacks(text, attribute)) continue;
      std::string with_column;
      std::size_t row = 0, begin = 0;
      for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', begin)) {
        std::size_t content_end = end > begin && text[end - 1] == '\r' ? end - 1 : end;
        with_column.append(text, begin, content_end - begin);
        with_column += row == 0 ? "," + attribute.name : row % 3 == 0 ? std::string(",") : fmt::format(",name-{}", row % 5);
        with_column.append(text, content_end, end + 1 - content_end);
        begin = end + 1;
        ++row;
      }
      text = std::move(with_column);
    }
    widened.Append(kind, text);
  }
  return widened;
}

// A ledger of about `invoices` invoices from gen-ledger with `seed`.
inline std::optional<runtime::Ledger> GenerateAndLoad(std::size_t invoices, std::uint64_t seed) {
  runtime::MemoryLedgerSink sink;
  runtime::GenerateLedger(GeneratorFor(invoices, seed), sink);
  return LoadGeneratedLedger(sink);
}

// The same for `policy`: in its currency, with its text attributes
// (WithAttributeColumns).
inline std::optional<runtime::Ledger> GenerateAndLoadFor(const compiler::PolicyIr& policy, std::size_t invoices,
                                                         std::uint64_t seed) {
  runtime::GeneratorOptions options = GeneratorFor(invoices, seed);
  options.currency = policy.header.currency;
  runtime::MemoryLedgerSink sink;
  runtime::GenerateLedger(options, sink);
  runtime::MemoryLedgerSink widened;
  return LoadGeneratedLedger(WithAttributeColumns(policy, sink, widened));
}

}  // namespace recoup::bench
