// LoadLedger: reads the folder's files in order and hands each to its
// loader; customers.csv and invoices.csv are loaded here too.
#include "runtime/ledger_loader.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "runtime/ledger_internal.h"

namespace recoup::runtime {
namespace ledger_detail {
namespace {

// Column positions in ColumnsOf(Invoices) and ColumnsOf(Customers).
enum InvoiceColumn { kInvoiceId, kCustomerId, kIssueDate, kDueDate, kAmount, kCurrency };
enum CustomerColumn { kCustomerKey, kSegment };

}  // namespace

const std::vector<ColumnSpec>& ColumnsOf(LedgerFile file) {
  static const std::vector<ColumnSpec> kColumns[] = {
      {{"customer_id", true}, {"segment", false}},
      {{"invoice_id", true},
       {"customer_id", true},
       {"issue_date", true},
       {"due_date", true},
       {"amount", true},
       {"currency", true}},
      {{"invoice_id", true}, {"date", true}, {"amount", true}, {"currency", false}},
      {{"invoice_id", true}, {"date", true}, {"amount", true}, {"kind", true}, {"currency", false}},
      {{"invoice_id", true}, {"opened", true}, {"resolved", true}},
      {{"invoice_id", true}, {"made", true}, {"promised", true}},
      {{"invoice_id", true}, {"date", true}, {"action", true}},
  };
  return kColumns[static_cast<std::size_t>(file)];
}

void LoadCustomers(CsvTable& table, Ledger& ledger) {
  const int id_column = table.Column(kCustomerKey);
  const int segment_column = table.Column(kSegment);
  CustomerColumns& customers = ledger.customers;
  customers.attributes.names = table.extra_names();
  customers.attributes.values.resize(table.extra_columns().size());
  std::vector<std::uint32_t> first_line;
  while (table.NextRow()) {
    if (!table.Required(id_column, "customer_id")) continue;
    std::string_view id = table.Field(id_column);
    auto [index, added] = ledger.customer_ids.Intern(id);
    if (!added) {
      table.Report(LedgerProblem::DuplicateId, id_column,
                   fmt::format("customer `{}` is already listed on line {}", id, first_line[index]));
      continue;
    }
    first_line.push_back(table.row_line());
    customers.segment.push_back(
        ledger.texts.Intern(segment_column == kAbsent ? std::string_view() : table.Field(segment_column)).first);
    for (std::size_t i = 0; i < table.extra_columns().size(); ++i) {
      customers.attributes.values[i].push_back(ledger.texts.Intern(table.Field(table.extra_columns()[i])).first);
    }
  }
}

namespace {

// One invoice row, parsed and checked, not yet stored.
struct InvoiceRow {
  std::string_view id;
  std::string_view customer_id;
  std::optional<StringPool::Id> customer;  // known when customers.csv exists
  Date issue;
  Date due;
  std::int64_t amount = 0;
  CurrencyId currency = 0;
};

// Sizes every invoice column once, from the file's line count.
void ReserveInvoiceColumns(const CsvTable& table, Ledger& ledger) {
  InvoiceColumns& invoices = ledger.invoices;
  const std::size_t rows = table.EstimatedRows();
  ledger.invoice_ids.Reserve(rows, rows * 12);
  invoices.customer.reserve(rows);
  invoices.issue_date.reserve(rows);
  invoices.due_date.reserve(rows);
  invoices.amount_minor.reserve(rows);
  invoices.currency.reserve(rows);
  for (auto& values : invoices.attributes.values) values.reserve(rows);
}

// Parses and checks the current row's own fields (not yet its id's
// uniqueness); problems are reported on the table, which marks the row bad.
InvoiceRow ReadInvoiceRow(CsvTable& table, const int (&column)[6], const LedgerOptions& options, bool have_customers,
                          const Ledger& ledger) {
  static constexpr std::string_view kNames[] = {"invoice_id", "customer_id", "issue_date",
                                                "due_date",   "amount",      "currency"};
  InvoiceRow row;
  bool present = true;
  for (int i = 0; i < 6; ++i) present = table.Required(column[i], kNames[i]) && present;
  row.id = table.Field(column[kInvoiceId]);
  row.customer_id = table.Field(column[kCustomerId]);
  if (!present) return row;
  table.ParseDateField(column[kIssueDate], options.date_format, row.issue);
  table.ParseDateField(column[kDueDate], options.date_format, row.due);
  std::string_view currency_code = table.Field(column[kCurrency]);
  if (std::optional<CurrencyId> currency = FindCurrency(currency_code)) {
    row.currency = *currency;
    table.ParseMoneyField(column[kAmount], row.currency, row.amount);
  } else {
    table.Report(LedgerProblem::UnknownCurrency, column[kCurrency],
                 fmt::format("`{}` is not an ISO 4217 currency code", currency_code),
                 "write the three-letter code in capitals, like USD, EUR or JPY");
  }
  if (have_customers) {
    row.customer = ledger.customer_ids.Find(row.customer_id);
    if (!row.customer) {
      table.Report(LedgerProblem::UnknownCustomer, column[kCustomerId],
                   fmt::format("customer `{}` is not in customers.csv", row.customer_id));
    }
  }
  if (!table.row_bad() && row.due < row.issue) {
    table.Report(LedgerProblem::DueBeforeIssue, column[kDueDate],
                 fmt::format("the due date {} is before the issue date {}", row.due.ToIso(), row.issue.ToIso()));
  }
  return row;
}

// Appends a checked row to the columns (the id is already interned).
void StoreInvoice(const CsvTable& table, const InvoiceRow& row, bool have_customers, Ledger& ledger) {
  InvoiceColumns& invoices = ledger.invoices;
  std::uint32_t customer = row.customer.value_or(0);
  if (!have_customers) {
    auto [index, added] = ledger.customer_ids.Intern(row.customer_id);
    if (added) ledger.customers.segment.push_back(ledger.texts.Intern("").first);
    customer = index;
  }
  invoices.customer.push_back(customer);
  invoices.issue_date.push_back(row.issue);
  invoices.due_date.push_back(row.due);
  invoices.amount_minor.push_back(row.amount);
  invoices.currency.push_back(row.currency);
  for (std::size_t i = 0; i < table.extra_columns().size(); ++i) {
    invoices.attributes.values[i].push_back(ledger.texts.Intern(table.Field(table.extra_columns()[i])).first);
  }
}

}  // namespace

void LoadInvoices(CsvTable& table, const LedgerOptions& options, bool have_customers, Ledger& ledger,
                  StringPool& rejected) {
  int column[6];
  for (int i = 0; i < 6; ++i) column[i] = table.Column(static_cast<std::size_t>(i));
  ledger.invoices.attributes.names = table.extra_names();
  ledger.invoices.attributes.values.resize(table.extra_columns().size());
  ReserveInvoiceColumns(table, ledger);
  std::vector<std::uint32_t> first_line;  // of each stored invoice, for duplicates
  while (table.NextRow()) {
    // Warm the hash slots this loop will probe a few rows from now.
    ledger.invoice_ids.PrefetchSlot(table.PeekField(8, column[kInvoiceId]));
    for (int extra : table.extra_columns()) ledger.texts.PrefetchSlot(table.PeekField(8, extra));
    InvoiceRow row = ReadInvoiceRow(table, column, options, have_customers, ledger);
    if (!table.row_bad()) {
      auto [index, added] = ledger.invoice_ids.Intern(row.id);
      if (!added) {
        table.Report(LedgerProblem::DuplicateId, column[kInvoiceId],
                     fmt::format("invoice `{}` is already defined on line {}", row.id, first_line[index]));
        continue;
      }
      first_line.push_back(table.row_line());
      StoreInvoice(table, row, have_customers, ledger);
      continue;
    }
    // Events for this invoice are not "unknown": its own problem was said.
    if (!row.id.empty() && !ledger.invoice_ids.Find(row.id)) rejected.Intern(row.id);
  }
}

namespace {

std::string JoinPath(const std::string& folder, std::string_view name) {
  if (folder.empty()) return std::string(name);
  if (folder.back() == '/') return folder + std::string(name);
  return folder + "/" + std::string(name);
}

// Reads and opens one file; false when it is absent (optional) or unusable.
bool OpenFile(CsvTable& table, LedgerFile file, bool required, const FileReader& read, ProblemSink& sink,
              std::size_t& bytes_read) {
  FileContents contents = read(table.path());
  if (contents.status != FileContents::Status::Read) {
    if (contents.status == FileContents::Status::Missing && !required) return false;
    LedgerDiagnostic diagnostic;
    diagnostic.problem = LedgerProblem::MissingFile;
    diagnostic.file = table.path();
    diagnostic.message = contents.status == FileContents::Status::Missing
                             ? fmt::format("the ledger has no {}; it is required", FileNameOf(file))
                             : fmt::format("cannot read {}: {}", table.path(), contents.error);
    sink.ReportFileProblem(std::move(diagnostic));
    return false;
  }
  bytes_read += contents.bytes.size();
  return table.Open(std::move(contents.bytes), ColumnsOf(file));
}

void ShrinkAll(Ledger& ledger) {
  ledger.invoice_ids.ShrinkToFit();
  ledger.customer_ids.ShrinkToFit();
  ledger.texts.ShrinkToFit();
  auto& invoices = ledger.invoices;
  invoices.customer.shrink_to_fit();
  invoices.issue_date.shrink_to_fit();
  invoices.due_date.shrink_to_fit();
  invoices.amount_minor.shrink_to_fit();
  invoices.currency.shrink_to_fit();
  for (auto& column : invoices.attributes.values) column.shrink_to_fit();
  ledger.customers.segment.shrink_to_fit();
  for (auto& column : ledger.customers.attributes.values) column.shrink_to_fit();
}

}  // namespace
}  // namespace ledger_detail

LedgerLoadResult LoadLedger(const std::string& folder, const LedgerOptions& options, const FileReader& read) {
  using namespace ledger_detail;
  LedgerLoadResult result;
  ProblemSink sink(options);
  Ledger ledger;
  StringPool rejected;
  auto path_of = [&](LedgerFile file) { return JoinPath(folder, FileNameOf(file)); };

  bool have_customers = false;
  {
    CsvTable table(LedgerFile::Customers, path_of(LedgerFile::Customers), sink);
    if (OpenFile(table, LedgerFile::Customers, false, read, sink, result.bytes_read)) {
      have_customers = true;
      LoadCustomers(table, ledger);
    }
  }
  {
    CsvTable table(LedgerFile::Invoices, path_of(LedgerFile::Invoices), sink);
    if (OpenFile(table, LedgerFile::Invoices, true, read, sink, result.bytes_read)) {
      LoadInvoices(table, options, have_customers, ledger, rejected);
    }
  }
  ShrinkAll(ledger);
  InvoiceIndex index{ledger, rejected};
  const std::size_t invoice_count = ledger.invoices.size();
  // Every event table gets ranges over all invoices, even when its file is absent.
  auto load = [&](LedgerFile file, bool required, auto&& loader, EventRanges& ranges) {
    CsvTable table(file, path_of(file), sink);
    if (OpenFile(table, file, required, read, sink, result.bytes_read)) loader(table);
    if (ranges.offsets.empty()) ranges.offsets.assign(invoice_count + 1, 0);
  };
  load(
      LedgerFile::Payments, true, [&](CsvTable& t) { LoadPayments(t, options, index, ledger.payments); },
      ledger.payments.ranges);
  load(
      LedgerFile::Adjustments, false, [&](CsvTable& t) { LoadAdjustments(t, options, index, ledger.adjustments); },
      ledger.adjustments.ranges);
  load(
      LedgerFile::Disputes, false, [&](CsvTable& t) { LoadDisputes(t, options, index, ledger.disputes); },
      ledger.disputes.ranges);
  load(
      LedgerFile::Promises, false, [&](CsvTable& t) { LoadPromises(t, options, index, ledger.promises); },
      ledger.promises.ranges);
  load(
      LedgerFile::Actions, false, [&](CsvTable& t) { LoadActions(t, options, index, ledger); }, ledger.actions.ranges);
  ledger.texts.ShrinkToFit();

  const bool failed = sink.HasErrors();
  sink.MoveInto(result);
  if (!failed) result.ledger = std::move(ledger);
  return result;
}

FileContents ReadFileFromDisk(const std::string& path) {
  FileContents contents;
  std::error_code code;
  if (!std::filesystem::exists(path, code)) {
    contents.status = FileContents::Status::Missing;
    return contents;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, code)) {
    contents.status = FileContents::Status::Failed;
    contents.error = "it cannot be opened for reading";
    return contents;
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) {
    contents.status = FileContents::Status::Failed;
    contents.error = "cannot tell the file's size";
    return contents;
  }
  contents.bytes.resize(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(contents.bytes.data(), size)) {
    contents.status = FileContents::Status::Failed;
    contents.error = "read error";
    return contents;
  }
  contents.status = FileContents::Status::Read;
  return contents;
}

}  // namespace recoup::runtime
