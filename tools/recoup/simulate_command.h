// `recoup simulate POLICY --ledger DIR` and `recoup compare POLICY
// POLICY... --ledger DIR`: replay a ledger's history under one or more
// policies and report the metrics of docs/metrics.md as a table, JSON, CSV
// or Markdown; compare adds the difference of each policy to the first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "runtime/ledger_loader.h"
#include "simulation/metrics.h"
#include "simulation/replay.h"
#include "tools/recoup/checked_policy.h"
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
};

// Register the subcommands, filling `options` when parsed.
CLI::App* AddSimulate(CLI::App& app, SimulateOptions& options);
CLI::App* AddCompare(CLI::App& app, SimulateOptions& options);

// Runs simulate (one policy) or compare (several): the same work, the
// report shows a column per policy and, from the second on, its difference.
int RunSimulate(const SimulateOptions& options, Environment& environment);

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

// Pieces `diff --ledger` shares with simulate and compare.
// A checked policy that can run (not a library); prints its diagnostics,
// worsens `status` and returns nothing otherwise. `purpose` ends the
// sentence for a library file: "there is nothing to simulate".
std::optional<CheckedPolicy> LoadRunnablePolicy(const std::string& file, Environment& environment, int& status,
                                                const char* purpose);
// A ledger folder read through the environment's file system.
runtime::LedgerLoadResult LoadLedgerFolder(const std::string& folder, runtime::DateFormat date_format, bool skip_bad_rows,
                                           const language::FileSystem& files);
// One policy replayed over the ledger as a report column; prints why and
// returns nothing when the replay cannot be trusted (a column the ledger
// lacks, a subject that cannot run, money not conserved).
std::optional<PolicyColumn> ReplayColumn(const runtime::Ledger& ledger, const std::string& file,
                                         const compiler::PolicyIr& policy, const simulation::ReplayOptions& replay,
                                         Environment& environment);
// `180d` or `180` as a number of days from 1 to 36500.
std::optional<std::int32_t> ParseHorizonDays(std::string text);

// The report in the chosen format (simulate_report.cpp).
std::string RenderReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns, ReportFormat format);

}  // namespace recoup::driver
