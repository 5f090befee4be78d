// Rendering diagnostics for CI systems: GitHub Actions workflow commands
// (annotations on the pull request's lines) and SARIF 2.1.0 (code-scanning
// tools). Both carry the same code, position and message as the text form.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "language/diagnostics.h"

namespace recoup::language {
namespace {

struct Position {
  std::string path;
  LineColumn begin;
  LineColumn end;
};

Position Locate(const SourceSet& sources, SourceRange range) {
  if (range.file >= sources.size()) return {"", {1, 1}, {1, 1}};
  const SourceFile& file = sources.Get(range.file);
  return {file.path(), file.Locate(range.begin), file.Locate(std::max(range.end, range.begin))};
}

// Workflow-command escaping: data escapes %, CR and LF; properties also
// escape `:` and `,`.
std::string EscapeData(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string EscapeProperty(std::string_view text) {
  std::string out;
  for (char c : EscapeData(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* SarifLevel(Severity severity) { return severity == Severity::Error ? "error" : "warning"; }

std::string SarifLocation(const SourceSet& sources, SourceRange range) {
  Position position = Locate(sources, range);
  return fmt::format(
      R"({{"physicalLocation":{{"artifactLocation":{{"uri":{}}},"region":{{"startLine":{},"startColumn":{},"endLine":{},"endColumn":{}}}}}}})",
      JsonQuote(position.path), position.begin.line, position.begin.column, position.end.line,
      std::max(position.end.column, position.end.line == position.begin.line ? position.begin.column + 1
                                                                              : position.end.column));
}

}  // namespace

std::string RenderGithub(const Diagnostic& diagnostic, const SourceSet& sources) {
  const DiagnosticKindInfo& info = InfoOf(diagnostic.kind);
  Position position = Locate(sources, diagnostic.range);
  std::string message = diagnostic.message;
  if (!diagnostic.help.empty()) message += "\nhelp: " + diagnostic.help;
  return fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                     info.severity == Severity::Error ? "error" : "warning", EscapeProperty(position.path),
                     position.begin.line, position.begin.column, position.end.line, position.end.column,
                     EscapeProperty(fmt::format("{} {}", info.code, info.name)), EscapeData(message));
}

std::string RenderSarif(const std::vector<FileDiagnostics>& files, std::string_view tool_version) {
  // Rules: every kind that occurs, in code order, so the file is stable.
  std::set<std::string_view> codes;
  for (const FileDiagnostics& file : files) {
    for (const Diagnostic& diagnostic : *file.diagnostics) codes.insert(InfoOf(diagnostic.kind).code);
  }
  std::string rules;
  for (const DiagnosticKindInfo& info : AllDiagnosticKinds()) {
    if (!codes.count(info.code)) continue;
    rules += fmt::format(
        R"({}{{"id":{},"name":{},"shortDescription":{{"text":{}}},"defaultConfiguration":{{"level":"{}"}}}})",
        rules.empty() ? "" : ",", JsonQuote(info.code), JsonQuote(info.name), JsonQuote(info.summary),
        SarifLevel(info.severity));
  }
  std::string results;
  for (const FileDiagnostics& file : files) {
  const SourceSet& sources = *file.sources;
  for (const Diagnostic& diagnostic : *file.diagnostics) {
    const DiagnosticKindInfo& info = InfoOf(diagnostic.kind);
    std::string text = diagnostic.message;
    if (!diagnostic.help.empty()) text += " (help: " + diagnostic.help + ")";
    std::string related;
    for (std::size_t i = 0; i < diagnostic.notes.size(); ++i) {
      const DiagnosticNote& note = diagnostic.notes[i];
      std::string location = SarifLocation(sources, note.range);
      location.pop_back();  // reopen the object to add its id and message
      related += fmt::format(R"({}{},"id":{},"message":{{"text":{}}}}})", i == 0 ? "" : ",", location, i,
                             JsonQuote(note.message));
    }
    results += fmt::format(
        R"({}{{"ruleId":{},"level":"{}","message":{{"text":{}}},"locations":[{}]{}}})", results.empty() ? "" : ",",
        JsonQuote(info.code), SarifLevel(info.severity), JsonQuote(text), SarifLocation(sources, diagnostic.range),
        related.empty() ? "" : fmt::format(R"(,"relatedLocations":[{}])", related));
  }
  }
  return fmt::format(
      R"({{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{{"tool":{{"driver":{{"name":"recoup","version":{},"rules":[{}]}}}},"results":[{}]}}]}})",
      JsonQuote(tool_version), rules, results);
}

}  // namespace recoup::language
