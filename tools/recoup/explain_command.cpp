#include "tools/recoup/explain_command.h"
#include "tools/recoup/checked_policy.h"
#include "tools/recoup/choice_option.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <map>
#include <optional>
#include <ostream>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "runtime/sha256.h"
#include "tools/recoup/exit_status.h"
#include "tools/recoup/output_file.h"

#ifndef RECOUP_VERSION
#define RECOUP_VERSION "unknown"
#endif

namespace recoup::driver {

CLI::App* AddExplain(CLI::App& app, ExplainOptions& options) {
  CLI::App* explain = app.add_subcommand("explain", "Show one invoice's timeline under a policy: what fires, when and why");
  explain->add_option("file", options.file, "Policy file (.recoup)")->required();
  explain->add_option("--id", options.id, "The invoice's id (default INV-1)");
  explain->add_option("--amount", options.amount, "The invoice amount, e.g. 12000 or 12000.50");
  explain->add_option("--currency", options.currency, "The invoice currency (default: the policy's)");
  explain->add_option("--issue", options.issue, "Issue date, YYYY-MM-DD");
  explain->add_option("--due", options.due, "Due date, YYYY-MM-DD");
  explain->add_option("--invoice", options.invoices, "Another invoice of the customer: ID:AMOUNT:ISSUE:DUE")
      ->allow_extra_args(false);
  explain->add_option("--customer-attr", options.customer_attributes, "A customer attribute: NAME=VALUE")
      ->allow_extra_args(false);
  explain->add_option("--invoice-attr", options.invoice_attributes, "An attribute of every invoice: NAME=VALUE")
      ->allow_extra_args(false);
  explain->add_option("--payment", options.payments, "A payment: DATE:AMOUNT[:INVOICE]")
      ->allow_extra_args(false);
  explain->add_option("--dispute", options.disputes, "A dispute: OPENED[:RESOLVED[:INVOICE]]")
      ->allow_extra_args(false);
  explain->add_option("--promise", options.promises, "A promise to pay: PROMISED[:MADE[:INVOICE]]")
      ->allow_extra_args(false);
  explain->add_option("--horizon", options.horizon, "How far to look: days after the due date (180d) or a date");
  AddChoiceOption(explain, "--format", options.format, {{"text", OutputFormat::Text}, {"json", OutputFormat::Json}},
                  "Output format (default text)");
  explain->add_option("--report", options.report,
                      "Also write the timeline as a self-contained HTML page with a chart to this file");
  AddEngineOptions(explain, options.engine);
  return explain;
}

int RunExplain(const ExplainOptions& options, Environment& environment) {
  CheckedPolicy checked = LoadAndCheckPolicy(options.file, environment);
  if (!checked.readable) return kExitUsage;
  const language::SourceSet& sources = checked.sources;
  const language::DiagnosticList& diagnostics = checked.diagnostics;
  std::optional<compiler::PolicyIr>& ir = checked.ir;
  if (diagnostics.HasErrors() || !ir) {
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      environment.err << language::RenderText(diagnostic, sources) << "\n";
    }
    return kExitFindings;
  }
  if (ir->is_library) {
    environment.err << fmt::format("recoup: {} has no `policy` line: it is a library, there is nothing to explain\n",
                                   options.file);
    return kExitFindings;
  }

  compiler::SubjectFacts facts;
  compiler::InterpretOptions interpret_options;
  if (std::optional<std::string> problem = BuildExplainFacts(options, *ir, facts, interpret_options)) {
    environment.err << "recoup explain: " << *problem << "\n";
    return kExitUsage;
  }
  PreparedEngine engine = PrepareEngine(options.engine, *ir, CacheDirectoryFor(options.engine, environment));
  if (engine.error) {
    environment.err << "recoup explain: " << *engine.error << "\n";
    return kExitUsage;
  }
  interpret_options.engine = engine.engine.get();
  compiler::InterpretResult result = compiler::Interpret(*ir, facts, interpret_options);
  if (result.error) {
    environment.err << "recoup explain: " << *result.error << "\n";
    if (result.error->find("no value was given") != std::string::npos) {
      environment.err << "give it with --customer-attr NAME=VALUE or --invoice-attr NAME=VALUE\n";
    }
    return kExitUsage;
  }
  ExplainView view{*ir, sources, facts, result, options.file};
  if (!options.report.empty()) {
    std::optional<std::string> bytes = environment.files.Read(options.file);
    std::string error;
    if (!WriteFileAtomically(options.report,
                             RenderExplainHtml(view, bytes ? runtime::Sha256Hex(*bytes) : "unreadable", RECOUP_VERSION),
                             error)) {
      environment.err << "recoup explain: " << error << "\n";
      return kExitUsage;
    }
  }
  environment.out << (options.format == OutputFormat::Json ? RenderExplainJson(view) : RenderExplainText(view));
  // Warnings do not change the timeline; `check` is where they are read.
  if (std::size_t warnings = diagnostics.WarningCount(); warnings > 0) {
    environment.err << fmt::format("note: the policy has {} warning{}; `recoup check {}` shows {}\n", warnings,
                                   warnings == 1 ? "" : "s", options.file, warnings == 1 ? "it" : "them");
  }
  for (const std::string& warning : EngineWarnings(engine)) {
    environment.err << fmt::format("warning: {}: {}\n", options.file, warning);
  }
  if (!result.conservation_ok) {
    environment.err << "recoup explain: INTERNAL ERROR: money was not conserved: " << result.conservation_detail
                    << "\nThis is a bug in Recoup; please report it with the command line above.\n";
    return kExitFindings;
  }
  return kExitSuccess;
}

}  // namespace recoup::driver
