// `recoup simulate POLICY --ledger DIR` and `recoup compare POLICY
// POLICY... --ledger DIR`: replay a ledger's history under one or more
// policies and report the metrics of docs/metrics.md as a table, JSON, CSV
// or Markdown; compare adds the difference of each policy to the first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/ledger_loader.h"
#include "simulation/metrics.h"
#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

enum class ReportFormat { Table, Json, Csv, Markdown };

// The flags of both commands, as written; RunSimulate validates them.
struct SimulateOptions {
  std::vector<std::string> policies;  // simulate: exactly one
  std::string ledger;
  std::string horizon = "180d";       // days after the due date
  unsigned threads = 0;               // 0: one per hardware thread
  ReportFormat format = ReportFormat::Table;
  std::string out;                    // empty: standard output
  bool skip_bad_rows = false;
  runtime::DateFormat date_format = runtime::DateFormat::Iso;
  std::string as_of;                  // YYYY-MM-DD; empty: the ledger's last day
  std::int32_t premature_days = 30;
  // Monte Carlo with a payment model (docs/model.md) instead of replay.
  std::string model;                  // model.json from `recoup fit`; empty: replay
  std::uint32_t draws = 100;
  std::uint64_t seed = 1;
  bool parameter_uncertainty = false;
  bool monte_carlo_flag_given = false;  // --draws, --seed or --parameter-uncertainty written
};

// Register the subcommands, filling `options` when parsed.
CLI::App* AddSimulate(CLI::App& app, SimulateOptions& options);
CLI::App* AddCompare(CLI::App& app, SimulateOptions& options);

// Runs simulate (one policy) or compare (several): the same work, the
// report shows a column per policy and, from the second on, its difference.
int RunSimulate(const SimulateOptions& options, Environment& environment);

// Loads a ledger folder through the driver's file system (shared by the
// commands that read ledgers).
runtime::LedgerLoadResult LoadLedgerFolder(const std::string& folder, runtime::DateFormat date_format,
                                           bool skip_bad_rows, const language::FileSystem& files);

// Writes next to the target, then renames, so a reader never sees half a
// file; `error` says what failed.
bool WriteAtomically(const std::string& path, const std::string& text, std::string& error);

// One policy's results, for the report.
struct PolicyColumn {
  std::string file;
  std::string name;     // the policy's `policy "..."` name
  std::string version;
  bool customer_subject = false;
  simulation::Metrics metrics;
};

// What the report says about the run as a whole.
struct ReportHeader {
  std::string ledger;
  runtime::Date as_of;
  std::int32_t horizon_days = 180;
  std::int32_t premature_days = 30;
};

// The report in the chosen format (simulate_report.cpp).
std::string RenderReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns, ReportFormat format);

}  // namespace recoup::driver
