// Ledgers for tests, through the real loader: from files given in memory,
// or generated (runtime/ledger_generator.h) without touching the disk.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"

namespace recoup::testing {

// Reads the files of `files` (full path, e.g. "l/payments.csv", to text);
// any other path is missing. `files` must outlive the reader.
inline runtime::FileReader MemoryFileReader(const std::map<std::string, std::string>& files) {
  return [&files](const std::string& path) {
    runtime::FileContents contents;
    auto found = files.find(path);
    if (found == files.end()) return contents;
    contents.status = runtime::FileContents::Status::Read;
    contents.bytes = found->second;
    return contents;
  };
}

// The ledger `options` generates, loaded; the test fails with the loader's
// diagnostics when it does not load.
inline runtime::Ledger GeneratedMemoryLedger(const runtime::GeneratorOptions& options) {
  runtime::MemoryLedgerSink sink;
  runtime::GenerateLedger(options, sink);
  runtime::LedgerLoadResult loaded = runtime::LoadLedger("g", runtime::LedgerOptions{}, runtime::MemoryLedgerReader(sink, "g"));
  INFO(runtime::RenderLedgerDiagnostics(loaded));
  REQUIRE(loaded.ok());
  return std::move(*loaded.ledger);
}

// A ledger loaded from files given in memory (file name to text, as in a
// ledger folder); the test fails with the loader's diagnostics when the
// files do not load.
inline runtime::Ledger LoadLedgerFiles(const std::map<std::string, std::string>& files) {
  runtime::FileReader read = [&files](const std::string& path) {
    runtime::FileContents contents;
    auto found = files.find(path.substr(path.find('/') + 1));
    if (found != files.end()) {
      contents.status = runtime::FileContents::Status::Read;
      contents.bytes = found->second;
    }
    return contents;
  };
  runtime::LedgerLoadResult result = runtime::LoadLedger("ledger", runtime::LedgerOptions{}, read);
  INFO(runtime::RenderLedgerDiagnostics(result));
  REQUIRE(result.ok());
  return std::move(*result.ledger);
}

}  // namespace recoup::testing
