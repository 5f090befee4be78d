// Shared by the ledger loader's files (not part of the public API): the
// problem collector, one open CSV file with its header mapped, field
// parsers and the sort of event rows into per-invoice ranges.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/csv.h"
#include "runtime/ledger.h"
#include "runtime/ledger_loader.h"
#include "runtime/money.h"

namespace recoup::runtime::ledger_detail {

// The files of a ledger folder, in the order they are loaded and reported.
enum class LedgerFile : std::uint8_t {
  Customers,
  Invoices,
  Payments,
  Adjustments,
  Disputes,
  Promises,
  Actions,
  kCount
};
std::string_view FileNameOf(LedgerFile file);  // "invoices.csv"

// Collects problems in arrival order; keeps the first max_diagnostics in full.
class ProblemSink {
 public:
  explicit ProblemSink(const LedgerOptions& options) : options_(options) {}

  // A problem with the whole file or one that makes the rest of it
  // unreadable: always an error, whatever skip_bad_rows says.
  void ReportFileProblem(LedgerDiagnostic diagnostic);
  // A problem with one row: an error, or a warning and a skipped row under
  // skip_bad_rows. `first_of_row` counts the row as skipped for this reason.
  void ReportRowProblem(LedgerFile file, LedgerDiagnostic diagnostic, bool first_of_row);

  bool skip_bad_rows() const { return options_.skip_bad_rows; }
  // Sorted diagnostics, counts and skipped rows into the result.
  void MoveInto(LedgerLoadResult& result);
  bool HasErrors() const { return error_count_ > 0; }

 private:
  void Keep(LedgerDiagnostic diagnostic);

  const LedgerOptions& options_;
  std::vector<LedgerDiagnostic> diagnostics_;
  std::vector<std::uint8_t> file_order_;  // LedgerFile of each kept diagnostic
  std::size_t unreported_ = 0;
  std::size_t error_count_ = 0;
  std::size_t warning_count_ = 0;
  std::array<std::array<std::size_t, static_cast<std::size_t>(LedgerProblem::kCount)>,
             static_cast<std::size_t>(LedgerFile::kCount)>
      skipped_{};
};

// A column a file must or may have.
struct ColumnSpec {
  std::string_view name;
  bool required;
};

inline constexpr int kAbsent = -1;

// One CSV file being loaded: its text, its header mapped to the wanted
// columns, the current row, and reporting at a field's place.
class CsvTable {
 public:
  CsvTable(LedgerFile file, std::string path, ProblemSink& sink) : file_(file), path_(std::move(path)), sink_(sink) {}

  // Takes the file's bytes, checks encoding and header. Returns false when
  // the file cannot be loaded at all (problems already reported).
  bool Open(std::string bytes, const std::vector<ColumnSpec>& columns);
  // Header indices of `columns` as passed to Open, kAbsent when missing.
  int Column(std::size_t spec_index) const { return column_of_spec_[spec_index]; }
  // Header columns that are not in the spec: attribute names and indices.
  const std::vector<std::string>& extra_names() const { return extra_names_; }
  const std::vector<int>& extra_columns() const { return extra_columns_; }

  // The next row that is well-formed CSV; malformed rows are reported and
  // passed over. False at the end of the file.
  bool NextRow();
  // A field with surrounding spaces and tabs removed.
  std::string_view Field(int column) const;
  // Reports a problem at a field of the current row and marks it bad.
  void Report(LedgerProblem problem, int column, std::string message, std::string help = {});
  bool row_bad() const { return row_bad_; }
  std::uint32_t row_line() const { return Row().line; }
  // A field of the row `ahead` rows after the current one (1 ..
  // kLookahead - 1), or "" when that row is not read yet or malformed;
  // lets loaders warm caches for lookups they are about to make.
  std::string_view PeekField(std::size_t ahead, int column) const;

  // A required field: reports EmptyField and returns false when empty.
  bool Required(int column, std::string_view column_name);
  // The field parsed as a date in `format` (false, reported, when not).
  bool ParseDateField(int column, DateFormat format, Date& date);
  // The field parsed as money in `currency` (false, reported, when not).
  bool ParseMoneyField(int column, CurrencyId currency, std::int64_t& minor);

  const std::string& path() const { return path_; }
  // An upper bound on the data rows (line ends), to size columns once.
  std::size_t EstimatedRows() const;

 private:
  LedgerDiagnostic Locate(LedgerProblem problem, std::size_t offset, std::size_t length) const;
  void ReportHeaderProblem(LedgerProblem problem, std::size_t offset, std::size_t length, std::string message,
                           std::string help);

  LedgerFile file_;
  std::string path_;
  ProblemSink& sink_;
  std::string bytes_;
  std::string_view text_;
  void Fill();
  const CsvRow& Row() const { return ring_[current_]; }

  // Rows are read up to kLookahead ahead into a ring; ring_[current_] is
  // the current row.
  static constexpr std::size_t kLookahead = 16;
  static constexpr std::size_t kRing = kLookahead + 1;
  CsvReader reader_{std::string_view()};
  std::array<CsvRow, kRing> ring_;
  std::array<CsvError, kRing> ring_errors_;
  std::size_t current_ = 0;
  std::size_t buffered_ = 0;  // rows read after the current one
  bool reader_done_ = false;
  bool row_bad_ = false;
  std::vector<int> column_of_spec_;
  std::vector<std::string> extra_names_;
  std::vector<int> extra_columns_;
};

// Sorts event rows by (invoice, date), keeping file order among equal
// dates, and fills the per-invoice ranges. Row must have `invoice` and a
// sort key `date`.
template <typename Row>
void SortIntoRanges(std::vector<Row>& rows, std::size_t invoice_count, EventRanges& ranges) {
  ranges.offsets.assign(invoice_count + 1, 0);
  for (const Row& row : rows) ++ranges.offsets[row.invoice + 1];
  for (std::size_t i = 0; i < invoice_count; ++i) ranges.offsets[i + 1] += ranges.offsets[i];
  std::vector<Row> sorted(rows.size());
  std::vector<std::uint32_t> next(ranges.offsets.begin(), ranges.offsets.end() - 1);
  for (const Row& row : rows) sorted[next[row.invoice]++] = row;
  auto by_date = [](const Row& a, const Row& b) { return a.date < b.date; };
  for (std::size_t i = 0; i < invoice_count; ++i) {
    auto begin = sorted.begin() + ranges.offsets[i];
    auto end = sorted.begin() + ranges.offsets[i + 1];
    if (end - begin > 32) {
      std::stable_sort(begin, end, by_date);
    } else {
      for (auto next = begin + (begin != end); next < end; ++next) {  // stable insertion sort
        for (auto at = next; at != begin && by_date(*at, *(at - 1)); --at) std::iter_swap(at, at - 1);
      }
    }
  }
  rows = std::move(sorted);
  ranges.offsets.shrink_to_fit();
}

// What the events loader needs to know about the invoices just loaded.
struct InvoiceIndex {
  const Ledger& ledger;
  // Ids of invoice rows that were rejected: events for them are not
  // "unknown" (the invoice's own problem was reported).
  const StringPool& rejected;
};

// Loads customers.csv (when present) and invoices.csv into `ledger`.
void LoadCustomers(CsvTable& table, Ledger& ledger);
void LoadInvoices(CsvTable& table, const LedgerOptions& options, bool have_customers, Ledger& ledger,
                  StringPool& rejected);
// The event files; each fills its columns with ranges over all invoices.
void LoadPayments(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, PaymentColumns& out);
void LoadAdjustments(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, AdjustmentColumns& out);
void LoadDisputes(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, DisputeColumns& out);
void LoadPromises(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, PromiseColumns& out);
void LoadActions(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, Ledger& ledger);

// The column specs of each file (docs/ledger.md).
const std::vector<ColumnSpec>& ColumnsOf(LedgerFile file);

}  // namespace recoup::runtime::ledger_detail
