// A ledger loaded from files given in memory (file name to text, as in a
// ledger folder), through the real loader; the test fails with the
// loader's diagnostics when the files do not load.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "runtime/ledger_loader.h"

namespace recoup::testing {

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
