// `recoup gen-ledger --out DIR --customers N --months M --seed S`: writes a
// synthetic ledger with known ground truth (runtime/ledger_generator.h).
#pragma once

#include <cstdint>
#include <string>

#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

// The flags as written; RunGenLedger parses and validates them.
struct GenLedgerOptions {
  std::string out;
  std::uint32_t customers = 0;
  std::uint32_t months = 0;
  std::uint64_t seed = 0;
  std::string segments;  // comma-separated; empty: all known segments
  std::string currency = "USD";
  std::string start = "2024-01-01";
  bool force = false;
  bool quiet = false;
};

// Registers the `gen-ledger` subcommand, filling `options` when it is parsed.
CLI::App* AddGenLedger(CLI::App& app, GenLedgerOptions& options);

// Generates into a temporary folder next to `out` and renames it into
// place, so an interrupted run never leaves a half-written ledger. Writes
// to the real file system: the driver's FileSystem only reads.
int RunGenLedger(const GenLedgerOptions& options, Environment& environment);

}  // namespace recoup::driver
