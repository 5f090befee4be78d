// Diagnostics as values: every phase appends to a DiagnosticList instead of
// printing or throwing, and the driver renders the sorted list at the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "language/source.h"

namespace recoup::language {

enum class Severity : std::uint8_t { Error, Warning };

// Every kind in diagnostic_kinds.def, in file order.
enum class DiagnosticKind : std::uint16_t {
#define RECOUP_DIAGNOSTIC(Name, Code, Severity, Summary) Name,
#include "language/diagnostic_kinds.def"
#undef RECOUP_DIAGNOSTIC
};

// Static facts about one kind, from the registry.
struct DiagnosticKindInfo {
  DiagnosticKind kind;
  std::string_view name;
  std::string_view code;
  Severity severity;
  std::string_view summary;
};

const DiagnosticKindInfo& InfoOf(DiagnosticKind kind);
// The whole registry, in code order; used by tests to prove every code is exercised.
const std::vector<DiagnosticKindInfo>& AllDiagnosticKinds();

// A secondary location with its own message ("the first definition is here").
struct DiagnosticNote {
  SourceRange range;
  std::string message;
};

// One reported problem.
struct Diagnostic {
  DiagnosticKind kind;
  SourceRange range;
  std::string message;
  std::vector<DiagnosticNote> notes;
  std::string help;  // empty when there is nothing to suggest

  Severity severity() const { return InfoOf(kind).severity; }
};

// The diagnostics of one run, collected from every phase.
class DiagnosticList {
 public:
  Diagnostic& Report(DiagnosticKind kind, SourceRange range, std::string message);
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  bool HasErrors() const;
  std::size_t ErrorCount() const;
  std::size_t WarningCount() const;
  // Sort by file, position, then code, and drop exact duplicates, so output
  // is the same whatever order phases reported in.
  void SortAndDeduplicate();
  void Append(const DiagnosticList& other);

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Renders `path:line:col: error[E0102]: message`, the source line, a caret
// under the range, then notes and help; one blank line between diagnostics.
std::string RenderText(const Diagnostic& diagnostic, const SourceSet& sources);
// A JSON array of objects {code, name, severity, file, line, column,
// end_line, end_column, message, notes:[...], help}.
std::string RenderJson(const std::vector<Diagnostic>& diagnostics, const SourceSet& sources);

// Quotes a string as a JSON string literal (escapes, control characters).
std::string JsonQuote(std::string_view text);

// The closest candidate to `name` by edit distance, or empty when none is
// close enough to be a plausible typo. Used for "did you mean" help.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace recoup::language
