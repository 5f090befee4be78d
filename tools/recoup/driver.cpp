#include "tools/recoup/driver.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <ostream>

#include "compiler/jit/llvm_info.h"
#include "tools/recoup/check_command.h"
#include "tools/recoup/diff_command.h"
#include "tools/recoup/choice_option.h"
#include "tools/recoup/exit_status.h"
#include "tools/recoup/explain_command.h"
#include "tools/recoup/fmt_command.h"
#include "tools/recoup/fit_command.h"
#include "tools/recoup/simulate_command.h"
#include "tools/recoup/gen_ledger_command.h"
#include "tools/recoup/test_command.h"

#ifndef RECOUP_VERSION
#define RECOUP_VERSION "unknown"
#endif

namespace recoup::driver {
namespace {

std::string VersionText() {
  return fmt::format("recoup {} (LLVM {}, {})", RECOUP_VERSION, compiler::jit::LlvmVersion(),
                     compiler::jit::HostTargetTriple());
}

void AddCheck(CLI::App& app, CheckOptions& options) {
  CLI::App* check = app.add_subcommand("check", "Check policy files and report every problem found");
  check->add_option("files", options.files, "Policy files (.recoup) to check")->required();
  AddChoiceOption(check, "--format", options.format,
                  {{"text", OutputFormat::Text},
                   {"json", OutputFormat::Json},
                   {"github", OutputFormat::Github},
                   {"sarif", OutputFormat::Sarif}},
                  "Output format (default text)");
  AddChoiceOption(check, "--emit", options.emit, {{"ast", EmitPhase::Ast}, {"ir", EmitPhase::Ir}, {"llvm", EmitPhase::Llvm}},
                  "Also print a phase's output for debugging");
  check->add_flag("--deny-warnings", options.deny_warnings, "Exit with status 1 when there are warnings");
}

}  // namespace

int Run(const std::vector<std::string>& arguments, Environment& environment) {
  CLI::App app{"Recoup: write, check and simulate B2B collections policies", "recoup"};
  app.require_subcommand(1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");

  CheckOptions check_options;
  AddCheck(app, check_options);
  ExplainOptions explain_options;
  AddExplain(app, explain_options);
  SimulateOptions simulate_options;
  AddSimulate(app, simulate_options);
  SimulateOptions compare_options;
  AddCompare(app, compare_options);
  GenLedgerOptions gen_ledger_options;
  AddGenLedger(app, gen_ledger_options);
  TestOptions test_options;
  AddTest(app, test_options);
  DiffOptions diff_options;
  AddDiff(app, diff_options);
  FmtOptions fmt_options;
  AddFmt(app, fmt_options);
  FitCommandOptions fit_options;
  AddFit(app, fit_options);

  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    if (std::find(arguments.begin(), arguments.end(), "--version") != arguments.end() && arguments.size() == 1) {
      environment.out << VersionText() << "\n";
      return kExitSuccess;
    }
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    environment.out << app.help();
    return kExitSuccess;
  } catch (const CLI::CallForAllHelp&) {
    environment.out << app.help("", CLI::AppFormatMode::All);
    return kExitSuccess;
  } catch (const CLI::ParseError& error) {
    // Help for a subcommand is raised from inside it; print that command's help.
    environment.err << "recoup: " << error.what() << "\n";
    environment.err << "Run `recoup --help` for the list of commands and options.\n";
    return kExitUsage;
  }

  if (app.got_subcommand("check")) return RunCheck(check_options, environment);
  if (app.got_subcommand("explain")) return RunExplain(explain_options, environment);
  if (app.got_subcommand("simulate")) return RunSimulate(simulate_options, environment);
  if (app.got_subcommand("compare")) return RunSimulate(compare_options, environment);
  if (app.got_subcommand("gen-ledger")) return RunGenLedger(gen_ledger_options, environment);
  if (app.got_subcommand("test")) return RunTest(test_options, environment);
  if (app.got_subcommand("diff")) return RunDiff(diff_options, environment);
  if (app.got_subcommand("fmt")) return RunFmt(fmt_options, environment);
  if (app.got_subcommand("fit")) return RunFit(fit_options, environment);
  return kExitUsage;
}

}  // namespace recoup::driver
