// Loading a ledger folder (invoices.csv, payments.csv and the optional
// files of docs/ledger.md) into the columnar Ledger, validating every row.
// Problems are values with file, line and column; nothing is dropped
// silently: either the load fails with every error, or (skip_bad_rows) the
// bad rows are left out, counted by reason, and reported as warnings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ledger.h"

namespace recoup::runtime {

// How dates are written in the ledger's files.
enum class DateFormat : std::uint8_t {
  Iso,  // 2026-01-31 (the default)
  Us,   // 01/31/2026 or 1/31/2026 (month first)
  Eu,   // 31/01/2026 or 31/1/2026 (day first)
};

// "iso", "us", "eu" -> the format; nothing for anything else. For the
// driver's --date-format option.
std::optional<DateFormat> ParseDateFormat(std::string_view name);

// Parses one date in `format`; nothing when malformed or not a real day.
std::optional<Date> ParseLedgerDate(std::string_view text, DateFormat format);

struct LedgerOptions {
  DateFormat date_format = DateFormat::Iso;
  // Load the good rows, count and report the bad ones as warnings.
  bool skip_bad_rows = false;
  // Diagnostics kept in full; the rest are only counted ("and N more").
  std::size_t max_diagnostics = 100;
};

// Every kind of ledger problem, with a stable code L0001.. (docs/ledger.md
// lists them with an example message each).
enum class LedgerProblem : std::uint8_t {
  MissingFile,            // L0001 a required file cannot be read
  InvalidEncoding,        // L0002 not UTF-8
  CsvSyntax,              // L0003 quote never closed, stray quote, text after a closing quote
  WrongFieldCount,        // L0004 a row with more or fewer fields than the header
  MissingColumn,          // L0005 a required column is not in the header
  DuplicateColumn,        // L0006 two header cells with the same name
  EmptyField,             // L0007 a required field is empty
  InvalidNumber,          // L0008 an amount that is not a decimal number, or too large
  TooManyDecimals,        // L0009 more decimals than the currency allows
  InvalidDate,            // L0010 not a date in the chosen format, or a day that does not exist
  UnknownCurrency,        // L0011 not an ISO 4217 code
  DuplicateId,            // L0012 an invoice_id or customer_id given twice
  UnknownInvoice,         // L0013 an event for an invoice invoices.csv does not have
  UnknownCustomer,        // L0014 an invoice for a customer customers.csv does not have
  DatedBeforeIssue,       // L0015 an event dated before its invoice was issued
  DueBeforeIssue,         // L0016 due date before issue date
  NonPositiveAmount,      // L0017 a payment or adjustment of zero or less
  CurrencyMismatch,       // L0018 a payment's currency differs from its invoice's
  ClosedBeforeOpened,     // L0019 a dispute resolved before it was opened
  PromiseBeforeMade,      // L0020 a promise to pay by a date before it was made
  UnknownAdjustmentKind,  // L0021 kind is not fee, interest, credit or write_off
  EmptyFile,              // L0022 a file without even a header row
  kCount,
};

// "L0001".., and the short name used in summaries ("MissingColumn").
std::string_view CodeOf(LedgerProblem problem);
std::string_view NameOf(LedgerProblem problem);

// One problem, with the place it was found. Rendered like policy
// diagnostics: `file:line:col: error[L0005]: message`, the line, a caret.
struct LedgerDiagnostic {
  LedgerProblem problem = LedgerProblem::MissingFile;
  bool is_error = true;      // false: a warning (a row skipped with skip_bad_rows)
  std::string file;          // the path as given to the reader
  std::uint32_t line = 0;    // 1-based; 0 when the problem is the whole file
  std::uint32_t column = 0;  // 1-based, in code points
  std::uint32_t width = 1;   // code points the caret covers
  std::string source_line;   // the line's text, for the snippet
  std::string message;
  std::string help;  // empty when there is nothing to suggest
};

// Rows left out under skip_bad_rows, by file and by the first problem of
// the row.
struct SkippedRows {
  std::string file;
  LedgerProblem problem;
  std::size_t count = 0;
};

struct LedgerLoadResult {
  // Present when the load succeeded (with skip_bad_rows, possibly with
  // warnings); absent when any error remains.
  std::optional<Ledger> ledger;
  // In file order (customers, invoices, payments, adjustments, disputes,
  // promises, actions), then by line and column; at most max_diagnostics.
  std::vector<LedgerDiagnostic> diagnostics;
  // Problems found beyond max_diagnostics, only counted.
  std::size_t unreported = 0;
  std::size_t error_count = 0;
  std::size_t warning_count = 0;
  std::vector<SkippedRows> skipped;  // sorted by file order, then code
  std::size_t bytes_read = 0;        // all files together, for MB/s figures
  bool ok() const { return ledger.has_value(); }
};

// What reading a file gives: its bytes, or that it is missing (optional
// files may be), or that it exists but could not be read.
struct FileContents {
  enum class Status : std::uint8_t { Read, Missing, Failed };
  Status status = Status::Missing;
  std::string bytes;
  std::string error;  // why, when Failed
};

// Reads one whole file. The driver wraps its language::FileSystem (Read,
// with Canonical telling missing from unreadable); tests pass in-memory maps.
using FileReader = std::function<FileContents(const std::string& path)>;

// Loads `folder`/invoices.csv and the rest. Files are read once each, whole.
LedgerLoadResult LoadLedger(const std::string& folder, const LedgerOptions& options, const FileReader& read);

// The diagnostics as text, each as `path:line:col: severity[code]:
// message`, the source line and a caret, `= help:` when there is help;
// a blank line between diagnostics; then "and N more problems" when some
// were only counted, and the skipped-row summary when rows were skipped.
std::string RenderLedgerDiagnostics(const LedgerLoadResult& result);

// A FileReader over the real file system (std::ifstream), for tools and
// benchmarks that have no language::FileSystem at hand.
FileContents ReadFileFromDisk(const std::string& path);

}  // namespace recoup::runtime
