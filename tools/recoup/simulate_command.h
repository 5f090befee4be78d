// `recoup simulate POLICY --ledger DIR` and `recoup compare POLICY
// POLICY... --ledger DIR`: replay a ledger's history under one or more
// policies and report the metrics of docs/metrics.md as a table, JSON, CSV
// or Markdown; compare adds the difference of each policy to the first.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "runtime/ledger_loader.h"
#include "simulation/metrics.h"
#include "simulation/replay.h"
#include "tools/recoup/checked_policy.h"
#include "tools/recoup/driver.h"
#include "tools/recoup/engine_option.h"

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
  EngineSelection engine;
  std::string report;                 // --report FILE: also write the HTML report there
  bool quiet = false;                 // no progress on standard error
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

// One figure over a model's Monte Carlo draws, in the units it is shown
// in (percent, days, major currency units): the mean, the 2.5% and 97.5%
// points of the draws (the 95% interval), the Monte Carlo standard error of
// the mean, and how many draws had it defined (a ratio over nothing is left
// out).
struct DrawSummary {
  double mean = 0, low = 0, high = 0, standard_error = 0;
  std::size_t defined = 0;
  // For differences: the interval excludes zero.
  bool distinguishable() const { return defined > 0 && (low > 0 || high < 0); }
};

// What a model's Monte Carlo draws give a policy's figures instead of one
// exact value. Replay has none; the HTML report shows means and intervals
// exactly where these are given, and then reads from the column's metrics
// only what is the same in every draw (currency, subjects, segment names,
// what the run left out).
struct PolicyIntervals {
  std::uint64_t draws = 0;
  int confidence_percent = 95;                     // what DrawSummary's low and high span
  std::map<std::string, DrawSummary> figures;      // overall, by figure key ("recovery_rate_percent", "net_recovered")
  std::map<std::string, DrawSummary> differences;  // to the baseline (the first policy), by figure key
  std::map<std::string, std::map<std::string, DrawSummary>> segments;  // by segment name, then figure key
  std::vector<DrawSummary> recovery_curve;         // by day past due, percent of invoiced; flat after its end
  std::vector<DrawSummary> action_costs;           // by action kind, major units
};

// One policy's results, for the report.
struct PolicyColumn {
  std::string file;
  std::string name;     // the policy's `policy "..."` name
  std::string version;
  bool customer_subject = false;
  simulation::Metrics metrics;
  std::optional<PolicyIntervals> intervals;  // only when a model was used
};

// The model behind intervals, so a report can be reproduced.
struct ModelProvenance {
  std::string file, sha256;
  std::uint64_t seed = 0, draws = 0;
  bool parameter_uncertainty = false;
};

// What a report was made from (printed at the bottom of the HTML report).
struct ReportProvenance {
  std::string recoup_version;
  std::vector<std::pair<std::string, std::string>> policy_files;  // path, SHA-256
  std::vector<std::pair<std::string, std::uint64_t>> ledger_rows; // "invoices", 1234
  std::optional<ModelProvenance> model;
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
// LoadLedgerFolder for a command that needs the ledger: says so and sets
// `status` to kExitUsage when the folder does not exist, prints the
// ledger's diagnostics, and sets kExitFindings when errors remain. The
// result holds a ledger exactly when `status` is still kExitSuccess.
runtime::LedgerLoadResult LoadLedgerReporting(const std::string& folder, runtime::DateFormat date_format,
                                              bool skip_bad_rows, Environment& environment, int& status);
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

// The self-contained HTML report with charts (simulate_html.cpp).
std::string RenderHtmlReport(const ReportHeader& header, const std::vector<PolicyColumn>& columns,
                             const ReportProvenance& provenance);

}  // namespace recoup::driver
