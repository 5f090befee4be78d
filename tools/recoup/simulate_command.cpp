#include "tools/recoup/simulate_command.h"
#include "tools/recoup/checked_policy.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <future>
#include <optional>
#include <ostream>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "runtime/sha256.h"
#include "simulation/monte_carlo.h"
#include "simulation/replay.h"
#include "tools/recoup/choice_option.h"
#include "tools/recoup/exit_status.h"
#include "tools/recoup/output_file.h"
#include "tools/recoup/simulate_monte_carlo.h"

namespace recoup::driver {
namespace {

// Writes the HTML page when --report asked for one, then the report to
// standard output or --out; the exit status.
int WriteResults(const SimulateOptions& options, const std::string& page, const std::string& report,
                 Environment& environment) {
  std::string error;
  if (!options.report.empty() && !WriteFileAtomically(options.report, page, error)) {
    environment.err << "recoup: " << error << "\n";
    return kExitUsage;
  }
  if (options.out.empty()) {
    environment.out << report;
    return kExitSuccess;
  }
  if (!WriteFileAtomically(options.out, report, error)) {
    environment.err << "recoup: " << error << "\n";
    return kExitUsage;
  }
  return kExitSuccess;
}

void AddSharedOptions(CLI::App* command, SimulateOptions& options) {
  command->add_option("--ledger", options.ledger, "The ledger folder (invoices.csv, payments.csv...)")->required();
  command->add_option("--horizon", options.horizon, "How far to follow each invoice: days after its due date (180d)");
  command->add_option("--threads", options.threads, "Worker threads (default: one per hardware thread)");
  AddChoiceOption(command, "--format", options.format,
                  {{"table", ReportFormat::Table}, {"json", ReportFormat::Json}, {"csv", ReportFormat::Csv},
                   {"markdown", ReportFormat::Markdown}},
                  "Output format (default table)");
  command->add_option("--out", options.out, "Write the report to this file instead of standard output");
  command->add_option("--report", options.report,
                      "Also write a self-contained HTML report with charts to this file (docs/reports.md)");
  command->add_flag("--quiet", options.quiet, "Show no progress on standard error");
  command->add_flag("--skip-bad-rows", options.skip_bad_rows, "Leave out bad ledger rows (reported) instead of failing");
  AddChoiceOption(command, "--date-format", options.date_format,
                  {{"iso", runtime::DateFormat::Iso}, {"us", runtime::DateFormat::Us}, {"eu", runtime::DateFormat::Eu}},
                  "How the ledger writes dates (default iso)");
  command->add_option("--as-of", options.as_of, "The ledger's last day, YYYY-MM-DD (default: its latest date)");
  command->add_option("--premature-days", options.premature_days,
                      "A placement is premature when the invoice is paid in full within this many days (30)");
  AddEngineOptions(command, options.engine);
  command->add_option("--model", options.model,
                      "A payment model (recoup fit): sample payments with it (Monte Carlo) instead of replaying them");
  auto mark = [&options](const auto&) { options.monte_carlo_flag_given = true; };
  command->add_option("--draws", options.draws, "Monte Carlo draws, with --model (default 100)")->each(mark);
  command->add_option("--seed", options.seed, "Monte Carlo seed, with --model (default 1)")->each(mark);
  command->add_flag("--parameter-uncertainty", options.parameter_uncertainty,
                    "With --model: draw the model's parameters from their uncertainty in each draw");
}

ReportProvenance Provenance(const SimulateOptions& options, const runtime::Ledger& ledger, const language::FileSystem& files);

// Runs the Monte Carlo simulation of every policy and prints its report
// (and writes the HTML report with --report).
int RunMonteCarlo(const SimulateOptions& options, const std::vector<compiler::PolicyIr>& policies,
                  const std::vector<PreparedEngine>& engines, const runtime::Ledger& ledger,
                  const simulation::ReplayOptions& replay, Environment& environment) {
  std::string error;
  std::optional<std::string> text = environment.files.Read(options.model, &error);
  if (!text) {
    environment.err << fmt::format("recoup: cannot read the model {}: {}\n", options.model, error);
    return kExitUsage;
  }
  runtime::PaymentModelReadResult model = runtime::PaymentModelFromJson(*text);
  if (!model.model) {
    environment.err << fmt::format("{}:{}\n", options.model, model.error);
    return kExitFindings;
  }
  simulation::MonteCarloOptions monte_carlo;
  monte_carlo.draws = options.draws;
  monte_carlo.seed = options.seed;
  monte_carlo.parameter_uncertainty = options.parameter_uncertainty;
  monte_carlo.horizon_days = replay.horizon_days;
  monte_carlo.threads = replay.threads;
  monte_carlo.premature_days = replay.premature_days;
  monte_carlo.as_of = replay.as_of;
  std::vector<MonteCarloColumn> columns;
  for (std::size_t p = 0; p < policies.size(); ++p) {
    monte_carlo.engine = engines[p].engine.get();
    simulation::MonteCarloResult result = simulation::SimulateMonteCarlo(ledger, policies[p], *model.model, monte_carlo);
    if (!result.error.empty()) {
      environment.err << fmt::format("{}: error: {}\n", options.policies[p], result.error);
      return kExitFindings;
    }
    if (result.subject_error_count > 0) {
      for (const std::string& subject_error : result.subject_errors) {
        environment.err << fmt::format("{}: error: {}\n", options.policies[p], subject_error);
      }
      if (result.subject_error_count > result.subject_errors.size()) {
        environment.err << fmt::format("and {} more subject draws could not be simulated\n",
                                       result.subject_error_count - result.subject_errors.size());
      }
      return kExitFindings;
    }
    for (const simulation::Metrics& metrics : result.draws) {
      if (!metrics.conservation_ok) {
        environment.err << fmt::format("recoup: INTERNAL ERROR: money was not conserved simulating {}: {}\n"
                                       "This is a bug in Recoup; please report it with the command line above.\n",
                                       options.policies[p], metrics.conservation_detail);
        return kExitFindings;
      }
    }
    columns.push_back({options.policies[p], policies[p].header.name, std::move(result.draws), policies[p].header.version,
                       policies[p].header.subject == compiler::SubjectKind::Customer});
  }
  MonteCarloHeader header{options.ledger, options.model, columns.front().draws.front().as_of, replay.horizon_days,
                          options.draws, options.seed, options.parameter_uncertainty};
  std::string report = RenderMonteCarloReport(header, columns, options.format);
  std::string page;
  if (!options.report.empty()) {
    ReportProvenance provenance = Provenance(options, ledger, environment.files);
    provenance.model = ModelProvenance{options.model, runtime::Sha256Hex(*text), options.seed, options.draws,
                                       options.parameter_uncertainty};
    ReportHeader report_header{options.ledger, header.as_of, replay.horizon_days, replay.premature_days};
    page = RenderHtmlReport(report_header, MonteCarloPolicyColumns(header, columns), provenance);
  }
  return WriteResults(options, page, report, environment);
}

#ifndef RECOUP_VERSION
#define RECOUP_VERSION "unknown"
#endif

// Policy files with their hashes, ledger row counts: what reproduces a report.
ReportProvenance Provenance(const SimulateOptions& options, const runtime::Ledger& ledger, const language::FileSystem& files) {
  ReportProvenance provenance;
  provenance.recoup_version = RECOUP_VERSION;
  for (const std::string& file : options.policies) {
    std::string error;
    std::optional<std::string> bytes = files.Read(file, &error);
    provenance.policy_files.emplace_back(file, bytes ? runtime::Sha256Hex(*bytes) : "unreadable: " + error);
  }
  provenance.ledger_rows = {{"invoices", ledger.invoices.size()},       {"customers", ledger.customers.size()},
                            {"payments", ledger.payments.date.size()},  {"adjustments", ledger.adjustments.date.size()},
                            {"disputes", ledger.disputes.opened.size()}, {"promises", ledger.promises.made.size()},
                            {"actions", ledger.actions.date.size()}};
  return provenance;
}

}  // namespace

std::optional<std::int32_t> ParseHorizonDays(std::string text) {
  if (!text.empty() && text.back() == 'd') text.pop_back();
  if (text.empty() || text.size() > 5) return std::nullopt;
  std::int32_t days = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    days = days * 10 + (c - '0');
  }
  if (days < 1 || days > 36500) return std::nullopt;
  return days;
}

runtime::LedgerLoadResult LoadLedgerFolder(const std::string& folder, runtime::DateFormat date_format, bool skip_bad_rows,
                                           const language::FileSystem& files) {
  runtime::FileReader read = [&files](const std::string& path) {
    runtime::FileContents contents;
    std::string error;
    if (std::optional<std::string> bytes = files.Read(path, &error)) {
      contents.status = runtime::FileContents::Status::Read;
      contents.bytes = std::move(*bytes);
    } else if (files.Canonical(path)) {
      contents.status = runtime::FileContents::Status::Failed;
      contents.error = error;
    }
    return contents;
  };
  runtime::LedgerOptions ledger_options;
  ledger_options.date_format = date_format;
  ledger_options.skip_bad_rows = skip_bad_rows;
  return runtime::LoadLedger(folder, ledger_options, read);
}

runtime::LedgerLoadResult LoadLedgerReporting(const std::string& folder, runtime::DateFormat date_format,
                                              bool skip_bad_rows, Environment& environment, int& status) {
  if (!environment.files.Canonical(folder)) {
    environment.err << fmt::format("recoup: cannot read the ledger folder {}: it does not exist\n", folder);
    status = kExitUsage;
    return {};
  }
  runtime::LedgerLoadResult loaded = LoadLedgerFolder(folder, date_format, skip_bad_rows, environment.files);
  if (!loaded.diagnostics.empty() || loaded.unreported > 0 || !loaded.skipped.empty()) {
    environment.err << runtime::RenderLedgerDiagnostics(loaded);
  }
  if (!loaded.ok()) status = kExitFindings;
  return loaded;
}

std::optional<CheckedPolicy> LoadRunnablePolicy(const std::string& file, Environment& environment, int& status,
                                                const char* purpose) {
  CheckedPolicy checked = LoadAndCheckPolicy(file, environment);
  if (!checked.readable) {
    status = WorseStatus(status, kExitUsage);
    return std::nullopt;
  }
  const language::SourceSet& sources = checked.sources;
  const language::DiagnosticList& diagnostics = checked.diagnostics;
  std::optional<compiler::PolicyIr>& ir = checked.ir;
  if (diagnostics.HasErrors() || !ir) {
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      environment.err << language::RenderText(diagnostic, sources) << "\n";
    }
    status = WorseStatus(status, kExitFindings);
    return std::nullopt;
  }
  if (ir->is_library) {
    environment.err << fmt::format("recoup: {} has no `policy` line: it is a library, there is nothing to {}\n", file,
                                   purpose);
    status = WorseStatus(status, kExitFindings);
    return std::nullopt;
  }
  return checked;
}

std::optional<PolicyColumn> ReplayColumn(const runtime::Ledger& ledger, const std::string& file,
                                         const compiler::PolicyIr& policy, const simulation::ReplayOptions& replay,
                                         Environment& environment) {
  simulation::ReplayResult result = simulation::Replay(ledger, policy, replay);
  if (!result.error.empty()) {
    environment.err << fmt::format("{}: error: {}\n", file, result.error);
    return std::nullopt;
  }
  if (result.subject_error_count > 0) {
    for (const std::string& error : result.subject_errors) {
      environment.err << fmt::format("{}: error: {}\n", file, error);
    }
    if (result.subject_error_count > result.subject_errors.size()) {
      environment.err << fmt::format("and {} more subjects could not be replayed\n",
                                     result.subject_error_count - result.subject_errors.size());
    }
    return std::nullopt;
  }
  if (!result.metrics->conservation_ok) {
    environment.err << fmt::format("recoup: INTERNAL ERROR: money was not conserved replaying {}: {}\n"
                                   "This is a bug in Recoup; please report it with the command line above.\n",
                                   file, result.metrics->conservation_detail);
    return std::nullopt;
  }
  return PolicyColumn{file, policy.header.name, policy.header.version,
                      policy.header.subject == compiler::SubjectKind::Customer, std::move(*result.metrics), std::nullopt};
}

CLI::App* AddSimulate(CLI::App& app, SimulateOptions& options) {
  CLI::App* simulate = app.add_subcommand("simulate", "Replay a ledger's history under a policy and report the metrics");
  simulate->add_option("policy", options.policies, "Policy file (.recoup)")->required()->expected(1);
  AddSharedOptions(simulate, options);
  return simulate;
}

CLI::App* AddCompare(CLI::App& app, SimulateOptions& options) {
  CLI::App* compare = app.add_subcommand("compare", "Replay a ledger under several policies, side by side");
  compare->add_option("policies", options.policies, "Policy files (.recoup); the first is the baseline")->required();
  AddSharedOptions(compare, options);
  return compare;
}

int RunSimulate(const SimulateOptions& options, Environment& environment) {
  std::optional<std::int32_t> horizon = ParseHorizonDays(options.horizon);
  if (!horizon) {
    environment.err << fmt::format("recoup: --horizon `{}` is not a number of days from 1d to 36500d, like 180d\n",
                                   options.horizon);
    return kExitUsage;
  }
  simulation::ReplayOptions replay;
  replay.horizon_days = *horizon;
  replay.threads = options.threads;
  replay.premature_days = options.premature_days;
  if (!options.as_of.empty()) {
    replay.as_of = runtime::Date::ParseIso(options.as_of);
    if (!replay.as_of) {
      environment.err << fmt::format("recoup: --as-of `{}` is not a date like 2026-06-30\n", options.as_of);
      return kExitUsage;
    }
  }
  if (options.premature_days < 0) {
    environment.err << "recoup: --premature-days must be 0 or more\n";
    return kExitUsage;
  }
  if (options.model.empty() && (options.monte_carlo_flag_given || options.parameter_uncertainty)) {
    environment.err << "recoup: --draws, --seed and --parameter-uncertainty need --model (a payment model to sample from)\n";
    return kExitUsage;
  }
  if (!options.model.empty() && options.draws == 0) {
    environment.err << "recoup: --draws must be 1 or more\n";
    return kExitUsage;
  }
  if (!options.model.empty() && options.format != ReportFormat::Table && options.format != ReportFormat::Json) {
    environment.err << "recoup: with --model the report is a table or JSON (--format table or json)\n";
    return kExitUsage;
  }

  int status = kExitSuccess;
  std::vector<compiler::PolicyIr> policies;
  for (const std::string& file : options.policies) {
    if (std::optional<CheckedPolicy> checked = LoadRunnablePolicy(file, environment, status, "simulate")) {
      policies.push_back(std::move(*checked->ir));
    }
  }
  if (status != kExitSuccess) return status;
  // The JIT compiles in the background while the ledger loads: what a
  // person waits for is the first result.
  std::string cache_directory = CacheDirectoryFor(options.engine, environment);
  std::vector<std::future<PreparedEngine>> compiling;
  for (const compiler::PolicyIr& policy : policies) {
    compiling.push_back(std::async(std::launch::async, [&options, &policy, cache_directory] {
      return PrepareEngine(options.engine, policy, cache_directory);
    }));
  }
  std::vector<PreparedEngine> engines;
  auto collect_engines = [&]() -> bool {
    bool ok = true;
    for (std::size_t p = 0; p < compiling.size(); ++p) {
      engines.push_back(compiling[p].get());
      if (engines.back().error) {
        environment.err << fmt::format("recoup: {}: {}\n", options.policies[p], *engines.back().error);
        ok = false;
      }
    }
    compiling.clear();
    return ok;
  };

  if (!environment.files.Canonical(options.ledger)) {
    collect_engines();
    environment.err << fmt::format("recoup: cannot read the ledger folder {}: it does not exist\n", options.ledger);
    return kExitUsage;
  }
  runtime::LedgerLoadResult loaded = LoadLedgerFolder(options.ledger, options.date_format, options.skip_bad_rows, environment.files);
  if (!loaded.diagnostics.empty() || loaded.unreported > 0 || !loaded.skipped.empty()) {
    environment.err << runtime::RenderLedgerDiagnostics(loaded);
  }
  if (!collect_engines()) return kExitUsage;
  if (!loaded.ok()) return kExitFindings;
  // After the results: what the JIT's compile left to say.
  auto finish = [&](int result) {
    for (std::size_t p = 0; p < engines.size(); ++p) {
      for (const std::string& warning : EngineWarnings(engines[p])) {
        environment.err << fmt::format("warning: {}: {}\n", options.policies[p], warning);
      }
    }
    return result;
  };
  if (!options.model.empty()) return finish(RunMonteCarlo(options, policies, engines, *loaded.ledger, replay, environment));

  std::vector<PolicyColumn> columns;
  Progress progress(environment.err, ProgressSettingsFor(environment, options.quiet));
  for (std::size_t p = 0; p < policies.size(); ++p) {
    replay.engine = engines[p].engine.get();
    std::string task = policies.size() == 1 ? fmt::format("replaying {}", options.policies[p])
                                            : fmt::format("replaying {} ({} of {})", options.policies[p], p + 1, policies.size());
    bool started = false;
    replay.progress = [&](std::uint64_t done, std::uint64_t total) {
      if (!started) progress.Start(task, total, "subjects");
      started = true;
      progress.Update(done);
    };
    std::optional<PolicyColumn> column = ReplayColumn(*loaded.ledger, options.policies[p], policies[p], replay, environment);
    progress.Finish();
    if (!column) return finish(kExitFindings);
    columns.push_back(std::move(*column));
  }

  ReportHeader header{options.ledger, columns.front().metrics.as_of, *horizon, options.premature_days};
  std::string report = RenderReport(header, columns, options.format);
  std::string page;
  if (!options.report.empty()) page = RenderHtmlReport(header, columns, Provenance(options, *loaded.ledger, environment.files));
  return finish(WriteResults(options, page, report, environment));
}

}  // namespace recoup::driver
