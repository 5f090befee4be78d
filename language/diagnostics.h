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
  // Adds a diagnostic and returns it so the caller can add notes and help:
  //   list.Report(kind, range, "...").help = "did you mean `final`?";
  // The reference is valid until the next Report or Append.
  Diagnostic& Report(DiagnosticKind kind, SourceRange range, std::string message);
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  // Whether the run must fail (exit status 1); warnings alone do not.
  bool HasErrors() const;
  // For the "2 errors, 1 warning" summary line.
  std::size_t ErrorCount() const;
  std::size_t WarningCount() const;
  // Sort by file id, begin offset, end offset, code, message (then help and
  // notes, so the order is total) and drop exact duplicates, so output is
  // the same whatever order phases reported in. Notes keep their order.
  void SortAndDeduplicate();
  // Adds another phase's or file's diagnostics after these.
  void Append(const DiagnosticList& other);

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Renders one diagnostic for people:
//
//   path:line:col: error[E0102]: message
//      12 | source line
//         |    ^^^^^
//   path:line:col: note: message
//       9 | its own source line
//         | ^^^
//      = help: text
//
// Line numbers are right-aligned to the widest one shown; tabs expand to
// the next multiple of 4 columns, in the line and under the caret alike;
// CJK and emoji count two columns; invalid UTF-8 and control characters
// show as U+FFFD. The caret covers the range, at least one column; a range
// running past its first line is underlined to the end of that line; an
// empty range (end of file) gets one caret after the last character. Every
// line ends with '\n'; the caller puts one blank line between diagnostics.
// A range whose file is not in `sources` renders as `<unknown>:` with no
// source line.
std::string RenderText(const Diagnostic& diagnostic, const SourceSet& sources);
// A JSON array of objects {code, name, severity, file, line, column,
// end_line, end_column, message, notes:[{file, line, column, end_line,
// end_column, message}], help}, one object per line, in the given order,
// without a final newline; "[]" when empty. Lines and columns are 1-based,
// columns count code points, and the end is exclusive; `help` is "" when
// there is none; severity is "error" or "warning".
std::string RenderJson(const std::vector<Diagnostic>& diagnostics, const SourceSet& sources);

// One GitHub Actions workflow command (`::error file=...,line=...::message`)
// so CI shows the diagnostic on the pull request's line.
std::string RenderGithub(const Diagnostic& diagnostic, const SourceSet& sources);
// The diagnostics of one checked file with the sources they point into.
struct FileDiagnostics {
  const SourceSet* sources;
  const std::vector<Diagnostic>* diagnostics;
};
// A whole SARIF 2.1.0 log (one run over all files, rules for the codes that
// occur) for code-scanning tools.
std::string RenderSarif(const std::vector<FileDiagnostics>& files, std::string_view tool_version);

// Quotes a string as a JSON string literal: quote, backslash and control
// characters are escaped (\n, \t..., others as \u00XX), valid UTF-8 is kept
// as is, and each byte of invalid UTF-8 becomes \ufffd, so the output is
// always valid JSON whatever the input.
std::string JsonQuote(std::string_view text);

// The closest candidate to `name` by edit distance, or empty when none is
// close enough to be a plausible typo. Used for "did you mean" help.
// Distance is Damerau-Levenshtein (optimal string alignment: a swap of two
// neighbours costs one); a candidate qualifies at distance <= max(1,
// size / 3); ties go to the alphabetically first; `name` itself is never
// suggested. Names longer than kMaxSuggestedNameLength get no suggestion
// (the distance costs the product of the lengths: two 100,000-character
// names would take minutes).
inline constexpr std::size_t kMaxSuggestedNameLength = 256;
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace recoup::language
