// Ledger problems: their codes, their collection, and their rendering in
// the same shape as policy diagnostics.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "runtime/ledger_internal.h"

namespace recoup::runtime {
namespace {

struct ProblemInfo {
  std::string_view code;
  std::string_view name;
};

constexpr ProblemInfo kProblems[] = {
    {"L0001", "MissingFile"},        {"L0002", "InvalidEncoding"},   {"L0003", "CsvSyntax"},
    {"L0004", "WrongFieldCount"},    {"L0005", "MissingColumn"},     {"L0006", "DuplicateColumn"},
    {"L0007", "EmptyField"},         {"L0008", "InvalidNumber"},     {"L0009", "TooManyDecimals"},
    {"L0010", "InvalidDate"},        {"L0011", "UnknownCurrency"},   {"L0012", "DuplicateId"},
    {"L0013", "UnknownInvoice"},     {"L0014", "UnknownCustomer"},   {"L0015", "DatedBeforeIssue"},
    {"L0016", "DueBeforeIssue"},     {"L0017", "NonPositiveAmount"}, {"L0018", "CurrencyMismatch"},
    {"L0019", "ClosedBeforeOpened"}, {"L0020", "PromiseBeforeMade"}, {"L0021", "UnknownAdjustmentKind"},
    {"L0022", "EmptyFile"},
};
static_assert(std::size(kProblems) == static_cast<std::size_t>(LedgerProblem::kCount));

std::uint32_t DigitCount(std::uint32_t value) {
  std::uint32_t digits = 1;
  while (value >= 10) value /= 10, ++digits;
  return digits;
}

// The source line for display: control characters (tabs included) become
// spaces so the caret stays under the column it names, and each byte that
// is not UTF-8 becomes U+FFFD (one column, as the column count assumes).
std::string Displayable(std::string_view line) {
  std::string text;
  while (!line.empty()) {
    std::size_t invalid = FindInvalidUtf8(line);
    std::string_view valid = line.substr(0, invalid);
    for (char c : valid) text += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    if (invalid == std::string_view::npos) break;
    text += "\xEF\xBF\xBD";
    line.remove_prefix(invalid + 1);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void RenderOne(std::string& out, const LedgerDiagnostic& diagnostic) {
  std::string_view severity = diagnostic.is_error ? "error" : "warning";
  std::string_view code = CodeOf(diagnostic.problem);
  if (diagnostic.line == 0) {
    out += fmt::format("{}: {}[{}]: {}\n", diagnostic.file, severity, code, diagnostic.message);
  } else {
    out += fmt::format("{}:{}:{}: {}[{}]: {}\n", diagnostic.file, diagnostic.line, diagnostic.column, severity, code,
                       diagnostic.message);
    std::uint32_t gutter = DigitCount(diagnostic.line);
    std::string source = fmt::format("   {:>{}} | {}", diagnostic.line, gutter, Displayable(diagnostic.source_line));
    while (!source.empty() && source.back() == ' ') source.pop_back();
    out += source;
    out += '\n';
    out += fmt::format("   {:>{}} | {}{}\n", "", gutter, std::string(diagnostic.column - 1, ' '),
                       std::string(std::max<std::uint32_t>(diagnostic.width, 1), '^'));
  }
  if (!diagnostic.help.empty()) out += fmt::format("   = help: {}\n", diagnostic.help);
}

}  // namespace

std::string_view CodeOf(LedgerProblem problem) { return kProblems[static_cast<std::size_t>(problem)].code; }
std::string_view NameOf(LedgerProblem problem) { return kProblems[static_cast<std::size_t>(problem)].name; }

std::string RenderLedgerDiagnostics(const LedgerLoadResult& result) {
  std::string out;
  for (const LedgerDiagnostic& diagnostic : result.diagnostics) {
    if (!out.empty()) out += '\n';
    RenderOne(out, diagnostic);
  }
  if (result.unreported > 0) {
    out += fmt::format("\nand {} more problem{}\n", result.unreported, result.unreported == 1 ? "" : "s");
  }
  if (!result.skipped.empty()) {
    std::size_t total = 0;
    for (const SkippedRows& skipped : result.skipped) total += skipped.count;
    out += fmt::format("\nskipped {} bad row{}:\n", total, total == 1 ? "" : "s");
    for (const SkippedRows& skipped : result.skipped) {
      out += fmt::format("  {}: {} row{} [{} {}]\n", skipped.file, skipped.count, skipped.count == 1 ? "" : "s",
                         CodeOf(skipped.problem), NameOf(skipped.problem));
    }
  }
  return out;
}

namespace ledger_detail {

std::string_view FileNameOf(LedgerFile file) {
  static constexpr std::string_view kNames[] = {"customers.csv", "invoices.csv", "payments.csv", "adjustments.csv",
                                                "disputes.csv",  "promises.csv", "actions.csv"};
  return kNames[static_cast<std::size_t>(file)];
}

void ProblemSink::Keep(LedgerDiagnostic diagnostic) {
  if (diagnostic.is_error) {
    ++error_count_;
  } else {
    ++warning_count_;
  }
  if (diagnostics_.size() >= options_.max_diagnostics) {
    ++unreported_;
    return;
  }
  diagnostics_.push_back(std::move(diagnostic));
}

void ProblemSink::ReportFileProblem(LedgerDiagnostic diagnostic) {
  diagnostic.is_error = true;
  Keep(std::move(diagnostic));
}

void ProblemSink::ReportRowProblem(LedgerFile file, LedgerDiagnostic diagnostic, bool first_of_row) {
  diagnostic.is_error = !options_.skip_bad_rows;
  if (options_.skip_bad_rows && first_of_row) {
    ++skipped_[static_cast<std::size_t>(file)][static_cast<std::size_t>(diagnostic.problem)];
  }
  Keep(std::move(diagnostic));
}

void ProblemSink::MoveInto(LedgerLoadResult& result) {
  // Files are loaded in report order and rows in line order; only the
  // fields of one row may come out of order. Sort by (file's first
  // appearance, line, column), stably.
  std::vector<std::string> files;
  std::vector<std::size_t> rank(diagnostics_.size());
  for (std::size_t i = 0; i < diagnostics_.size(); ++i) {
    auto found = std::find(files.begin(), files.end(), diagnostics_[i].file);
    rank[i] = static_cast<std::size_t>(found - files.begin());
    if (found == files.end()) files.push_back(diagnostics_[i].file);
  }
  std::vector<std::size_t> order(diagnostics_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const LedgerDiagnostic& x = diagnostics_[a];
    const LedgerDiagnostic& y = diagnostics_[b];
    if (rank[a] != rank[b]) return rank[a] < rank[b];
    if (x.line != y.line) return x.line < y.line;
    return x.column < y.column;
  });
  for (std::size_t index : order) result.diagnostics.push_back(std::move(diagnostics_[index]));
  result.unreported = unreported_;
  result.error_count = error_count_;
  result.warning_count = warning_count_;
  for (std::size_t file = 0; file < skipped_.size(); ++file) {
    for (std::size_t problem = 0; problem < skipped_[file].size(); ++problem) {
      if (skipped_[file][problem] == 0) continue;
      result.skipped.push_back(SkippedRows{std::string(FileNameOf(static_cast<LedgerFile>(file))),
                                           static_cast<LedgerProblem>(problem), skipped_[file][problem]});
    }
  }
}

}  // namespace ledger_detail
}  // namespace recoup::runtime
