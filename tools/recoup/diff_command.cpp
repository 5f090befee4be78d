#include "tools/recoup/diff_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "tools/recoup/choice_option.h"
#include "tools/recoup/diff_internal.h"
#include "tools/recoup/exit_status.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::driver {

CLI::App* AddDiff(CLI::App& app, DiffOptions& options) {
  CLI::App* diff = app.add_subcommand("diff", "Show what changes in behaviour between two versions of a policy");
  diff->add_option("old", options.old_file, "The policy as it is (.recoup)")->required();
  diff->add_option("new", options.new_file, "The policy as proposed (.recoup)")->required();
  AddChoiceOption(diff, "--format", options.format,
                  {{"text", DiffFormat::Text}, {"json", DiffFormat::Json}, {"markdown", DiffFormat::Markdown}},
                  "Output format (default text)");
  diff->add_option("--examples", options.examples, "Show at most this many example subjects (3)");
  diff->add_option("--budget", options.budget, "Explore at most this many example subjects (1000)");
  diff->add_option("--seed", options.seed, "Seed of the random part of the exploration (1)");
  diff->add_option("--ledger", options.ledger, "Also replay both versions over this ledger folder and compare");
  diff->add_option("--horizon", options.horizon, "--ledger: days after each due date to follow (180d)");
  diff->add_option("--threads", options.threads, "--ledger: worker threads (default: one per hardware thread)");
  diff->add_option("--as-of", options.as_of, "--ledger: the ledger's last day, YYYY-MM-DD");
  diff->add_flag("--skip-bad-rows", options.skip_bad_rows, "--ledger: leave out bad ledger rows instead of failing");
  AddChoiceOption(diff, "--date-format", options.date_format,
                  {{"iso", runtime::DateFormat::Iso}, {"us", runtime::DateFormat::Us}, {"eu", runtime::DateFormat::Eu}},
                  "--ledger: how the ledger writes dates (default iso)");
  diff->footer(
      "Exit status: 0 when the behaviour is the same, 1 when it differs or a policy has errors, 2 for usage errors "
      "and files that cannot be read. docs/cli.md describes the exploration and its limits.");
  return diff;
}

int RunDiff(const DiffOptions& options, Environment& environment) {
  if (options.budget < 1 || options.budget > 1000000) {
    environment.err << "recoup: --budget must be between 1 and 1000000 subjects\n";
    return kExitUsage;
  }
  simulation::ReplayOptions replay;
  std::optional<std::int32_t> horizon = ParseHorizonDays(options.horizon);
  if (!horizon) {
    environment.err << fmt::format("recoup: --horizon `{}` is not a number of days from 1d to 36500d, like 180d\n",
                                   options.horizon);
    return kExitUsage;
  }
  replay.horizon_days = *horizon;
  replay.threads = options.threads;
  if (!options.as_of.empty()) {
    replay.as_of = runtime::Date::ParseIso(options.as_of);
    if (!replay.as_of) {
      environment.err << fmt::format("recoup: --as-of `{}` is not a date like 2026-06-30\n", options.as_of);
      return kExitUsage;
    }
  }

  int status = kExitSuccess;
  std::optional<CheckedPolicy> old_policy = LoadRunnablePolicy(options.old_file, environment, status, "compare");
  std::optional<CheckedPolicy> new_policy = LoadRunnablePolicy(options.new_file, environment, status, "compare");
  if (status != kExitSuccess) return status;

  diff::DiffReport report;
  report.old_file = options.old_file;
  report.new_file = options.new_file;
  report.budget = options.budget;
  report.seed = options.seed;
  report.rules = diff::CompareRules({*old_policy->ir, old_policy->sources, options.old_file},
                                    {*new_policy->ir, new_policy->sources, options.new_file});
  report.exploration = diff::Explore(*old_policy->ir, *new_policy->ir, options);

  if (!options.ledger.empty()) {
    int ledger_status = kExitSuccess;
    runtime::LedgerLoadResult loaded = LoadLedgerReporting(options.ledger, options.date_format, options.skip_bad_rows,
                                                          environment, ledger_status);
    if (ledger_status != kExitSuccess) return ledger_status;
    report.ledger =
        diff::CompareOnLedger(*loaded.ledger, *old_policy->ir, *new_policy->ir, options, replay, environment);
    if (!report.ledger) return kExitFindings;
  }

  report.differs =
      report.rules.matters() || report.exploration.differing > 0 || (report.ledger && report.ledger->changed > 0);
  environment.out << diff::RenderDiff(report, options.format);
  return report.differs ? kExitFindings : kExitSuccess;
}

}  // namespace recoup::driver
