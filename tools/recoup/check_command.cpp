#include "tools/recoup/check_command.h"
#include "tools/recoup/checked_policy.h"

#include <fmt/format.h>

#include <deque>
#include <ostream>

#include "compiler/checker.h"
#include "compiler/ir_printer.h"
#include "compiler/jit/compiled_policy.h"
#include "compiler/program.h"
#include "language/ast_printer.h"
#include "tools/recoup/exit_status.h"

#ifndef RECOUP_VERSION
#define RECOUP_VERSION "unknown"
#endif

namespace recoup::driver {
namespace {

struct FileReport {
  std::string path;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::string diagnostics_json;  // the RenderJson array for this file
};

std::string Plural(std::size_t count, const char* word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

}  // namespace

int RunCheck(const CheckOptions& options, Environment& environment) {
  int status = kExitSuccess;
  std::vector<FileReport> reports;
  std::size_t total_errors = 0;
  std::size_t total_warnings = 0;
  std::size_t unreadable = 0;
  // SARIF is one log over all files, written at the end: keep each file's
  // sources and diagnostics until then (deques: addresses stay put).
  std::deque<language::SourceSet> kept_sources;
  std::deque<std::vector<language::Diagnostic>> kept_diagnostics;

  for (const std::string& path : options.files) {
    CheckedPolicy checked = LoadAndCheckPolicy(path, environment);
    if (!checked.readable) {
      status = WorseStatus(status, kExitUsage);
      ++unreadable;
      continue;
    }
    language::SourceSet& sources = checked.sources;
    const language::DiagnosticList& diagnostics = checked.diagnostics;
    const compiler::Program& program = checked.program;
    const std::optional<compiler::PolicyIr>& ir = checked.ir;

    if (options.emit == EmitPhase::Ast && !program.trees.empty()) {
      const language::SyntaxTree& tree = program.trees[program.main];
      environment.out << language::PrintSyntaxTree(tree, sources.Get(tree.file));
    }
    if (options.emit == EmitPhase::Ir && ir) environment.out << compiler::PrintPolicyIr(*ir);
    if (options.emit == EmitPhase::Llvm && ir && !ir->is_library) {
      compiler::jit::EmitResult emitted = compiler::jit::EmitOptimisedLlvm(*ir);
      if (emitted.error) {
        environment.err << fmt::format("recoup: {}: the JIT could not compile the policy: {}\n", path, *emitted.error);
        status = WorseStatus(status, kExitFindings);
      }
      environment.out << emitted.text;
    }

    FileReport report{path, diagnostics.ErrorCount(), diagnostics.WarningCount(), ""};
    switch (options.format) {
      case OutputFormat::Text:
        for (const language::Diagnostic& diagnostic : diagnostics.all()) {
          environment.err << language::RenderText(diagnostic, sources) << "\n";
        }
        break;
      case OutputFormat::Json: report.diagnostics_json = language::RenderJson(diagnostics.all(), sources); break;
      case OutputFormat::Github:
        for (const language::Diagnostic& diagnostic : diagnostics.all()) {
          environment.out << language::RenderGithub(diagnostic, sources);
        }
        break;
      case OutputFormat::Sarif:
        kept_diagnostics.push_back(diagnostics.all());
        kept_sources.push_back(std::move(sources));
        break;
    }
    total_errors += report.errors;
    total_warnings += report.warnings;
    bool failed = report.errors > 0 || (options.deny_warnings && report.warnings > 0);
    if (failed) status = WorseStatus(status, kExitFindings);
    reports.push_back(std::move(report));
  }

  if (options.format == OutputFormat::Sarif) {
    std::vector<language::FileDiagnostics> files;
    for (std::size_t i = 0; i < kept_sources.size(); ++i) files.push_back({&kept_sources[i], &kept_diagnostics[i]});
    environment.out << language::RenderSarif(files, RECOUP_VERSION) << "\n";
    return status;
  }
  if (options.format == OutputFormat::Json) {
    environment.out << "{\"files\":[";
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const FileReport& report = reports[i];
      environment.out << (i ? "," : "")
                      << fmt::format("{{\"path\":{},\"errors\":{},\"warnings\":{},\"diagnostics\":{}}}",
                                     language::JsonQuote(report.path), report.errors, report.warnings,
                                     report.diagnostics_json);
    }
    environment.out << fmt::format("],\"errors\":{},\"warnings\":{},\"exit_status\":{}}}\n", total_errors,
                                   total_warnings, status);
    return status;
  }

  std::string files_checked = Plural(reports.size(), "file");
  if (unreadable > 0) files_checked += fmt::format(" ({} could not be read)", unreadable);
  if (total_errors == 0 && total_warnings == 0 && unreadable > 0) {
    environment.err << fmt::format("checked {}\n", files_checked);
  } else if (total_errors == 0 && total_warnings == 0) {
    if (options.emit == EmitPhase::None) environment.err << fmt::format("checked {}: no problems found\n", files_checked);
  } else {
    environment.err << fmt::format("checked {}: {}, {}{}\n", files_checked, Plural(total_errors, "error"),
                                   Plural(total_warnings, "warning"),
                                   options.deny_warnings && total_warnings > 0 ? " (warnings denied)" : "");
  }
  return status;
}

}  // namespace recoup::driver
