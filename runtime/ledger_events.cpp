// The per-invoice event files: payments, adjustments, disputes, promises
// and the historical action log. Each row names an invoice; rows are
// validated against it, then sorted into per-invoice ranges.
#include <fmt/format.h>

#include "runtime/ledger_internal.h"

namespace recoup::runtime::ledger_detail {
namespace {

// What an event row's invoice_id refers to.
struct InvoiceReference {
  std::uint32_t invoice = 0;
  bool found = false;  // false: unknown, or rejected (then nothing more is checked against it)
};

// Looks the row's invoice up. An invoice whose own row was rejected is not
// reported again as unknown; under skip_bad_rows the event row is skipped
// with a warning that says why.
// `last` remembers the previous row's invoice: files grouped by invoice
// then skip the hash lookup.
InvoiceReference ResolveInvoice(CsvTable& table, int column, const InvoiceIndex& index, std::string_view what,
                                bool skip_bad_rows, std::optional<std::uint32_t>& last) {
  InvoiceReference reference;
  if (!table.Required(column, "invoice_id")) return reference;
  std::string_view id = table.Field(column);
  if (last && index.ledger.invoice_ids.Get(*last) == id) {
    reference.invoice = *last;
    reference.found = true;
    return reference;
  }
  if (std::optional<StringPool::Id> found = index.ledger.invoice_ids.Find(id)) {
    reference.invoice = *found;
    reference.found = true;
    last = *found;
    return reference;
  }
  if (index.rejected.Find(id)) {
    if (skip_bad_rows) {
      table.Report(LedgerProblem::UnknownInvoice, column,
                   fmt::format("{} for invoice `{}`, whose row in invoices.csv was skipped", what, id));
    }
    return reference;
  }
  table.Report(LedgerProblem::UnknownInvoice, column,
               fmt::format("{} for invoice `{}`, which invoices.csv does not have", what, id));
  return reference;
}

// Warms the caches for the invoice lookups of the next rows, in three
// steps a few rows apart, so that by the time a row is processed its hash
// slot, its id's text and its invoice's columns are in the cache.
void WarmAhead(const CsvTable& table, int column, const Ledger& ledger) {
  const StringPool& ids = ledger.invoice_ids;
  std::string_view far = table.PeekField(12, column);
  if (!far.empty()) ids.PrefetchSlot(far);
  std::string_view middle = table.PeekField(6, column);
  if (!middle.empty()) {
    if (std::optional<StringPool::Id> id = ids.Candidate(middle)) {
      ids.PrefetchEnd(*id);
      __builtin_prefetch(&ledger.invoices.issue_date[*id]);
      __builtin_prefetch(&ledger.invoices.currency[*id]);
    }
  }
  std::string_view near = table.PeekField(3, column);
  if (!near.empty()) {
    if (std::optional<StringPool::Id> id = ids.Candidate(near)) ids.PrefetchBytes(*id);
  }
}

// Reports an event dated before its invoice's issue date.
void CheckNotBeforeIssue(CsvTable& table, int column, const InvoiceIndex& index, const InvoiceReference& reference,
                         Date date, std::string_view what) {
  if (!reference.found) return;
  Date issued = index.ledger.invoices.issue_date[reference.invoice];
  if (date < issued) {
    table.Report(LedgerProblem::DatedBeforeIssue, column,
                 fmt::format("{} dated {}, before invoice `{}` was issued on {}", what, date.ToIso(),
                             index.ledger.invoice_ids.Get(reference.invoice), issued.ToIso()));
  }
}

// An optional `currency` column must, when filled, name the invoice's currency.
void CheckCurrency(CsvTable& table, int column, const InvoiceIndex& index, const InvoiceReference& reference,
                   std::string_view what) {
  if (column == kAbsent || table.Field(column).empty()) return;
  std::string_view code = table.Field(column);
  std::optional<CurrencyId> currency = FindCurrency(code);
  if (!currency) {
    table.Report(LedgerProblem::UnknownCurrency, column, fmt::format("`{}` is not an ISO 4217 currency code", code),
                 "write the three-letter code in capitals, like USD, EUR or JPY");
    return;
  }
  if (!reference.found) return;
  CurrencyId expected = index.ledger.invoices.currency[reference.invoice];
  if (*currency != expected) {
    table.Report(LedgerProblem::CurrencyMismatch, column,
                 fmt::format("{} in {} for invoice `{}`, which is in {}", what, code,
                             index.ledger.invoice_ids.Get(reference.invoice), InfoOf(expected).code),
                 fmt::format("{}s are in their invoice's currency; convert the amount first", what));
  }
}

// A positive amount in the invoice's currency; `what` is "a payment"...
bool ParsePositiveAmount(CsvTable& table, int column, const InvoiceIndex& index, const InvoiceReference& reference,
                         std::string_view what, std::string_view help, std::int64_t& minor) {
  if (!table.Required(column, "amount") || !reference.found) return false;
  if (!table.ParseMoneyField(column, index.ledger.invoices.currency[reference.invoice], minor)) return false;
  if (minor <= 0) {
    table.Report(LedgerProblem::NonPositiveAmount, column,
                 fmt::format("{} must be more than zero, not {}", what, table.Field(column)), std::string(help));
    return false;
  }
  return true;
}

bool ParseRequiredDate(CsvTable& table, int column, std::string_view name, DateFormat format, Date& date) {
  return table.Required(column, name) && table.ParseDateField(column, format, date);
}

bool Commit(const CsvTable& table, const InvoiceReference& reference) { return reference.found && !table.row_bad(); }

std::optional<AdjustmentKind> ParseAdjustmentKind(std::string_view text) {
  if (text == "fee") return AdjustmentKind::Fee;
  if (text == "interest") return AdjustmentKind::Interest;
  if (text == "credit") return AdjustmentKind::Credit;
  if (text == "write_off") return AdjustmentKind::WriteOff;
  return std::nullopt;
}

}  // namespace

void LoadPayments(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, PaymentColumns& out) {
  struct Row {
    std::uint32_t invoice;
    Date date;
    std::int64_t amount;
  };
  std::vector<Row> rows;
  rows.reserve(table.EstimatedRows());
  const int invoice_column = table.Column(0), date_column = table.Column(1), amount_column = table.Column(2),
            currency_column = table.Column(3);
  std::optional<std::uint32_t> last;
  while (table.NextRow()) {
    WarmAhead(table, invoice_column, index.ledger);
    InvoiceReference reference = ResolveInvoice(table, invoice_column, index, "payment", options.skip_bad_rows, last);
    Date date;
    if (ParseRequiredDate(table, date_column, "date", options.date_format, date)) {
      CheckNotBeforeIssue(table, date_column, index, reference, date, "payment");
    }
    CheckCurrency(table, currency_column, index, reference, "payment");
    std::int64_t amount = 0;
    ParsePositiveAmount(table, amount_column, index, reference, "a payment",
                        "refunds and credit notes belong in adjustments.csv", amount);
    if (Commit(table, reference)) rows.push_back({reference.invoice, date, amount});
  }
  SortIntoRanges(rows, index.ledger.invoices.size(), out.ranges);
  out.date.reserve(rows.size());
  out.amount_minor.reserve(rows.size());
  for (const Row& row : rows) {
    out.date.push_back(row.date);
    out.amount_minor.push_back(row.amount);
  }
}

void LoadAdjustments(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, AdjustmentColumns& out) {
  struct Row {
    std::uint32_t invoice;
    Date date;
    std::int64_t amount;
    AdjustmentKind kind;
  };
  std::vector<Row> rows;
  const int invoice_column = table.Column(0), date_column = table.Column(1), amount_column = table.Column(2),
            kind_column = table.Column(3), currency_column = table.Column(4);
  std::optional<std::uint32_t> last;
  while (table.NextRow()) {
    WarmAhead(table, invoice_column, index.ledger);
    InvoiceReference reference =
        ResolveInvoice(table, invoice_column, index, "adjustment", options.skip_bad_rows, last);
    Date date;
    if (ParseRequiredDate(table, date_column, "date", options.date_format, date)) {
      CheckNotBeforeIssue(table, date_column, index, reference, date, "adjustment");
    }
    std::optional<AdjustmentKind> kind;
    if (table.Required(kind_column, "kind")) {
      kind = ParseAdjustmentKind(table.Field(kind_column));
      if (!kind) {
        table.Report(LedgerProblem::UnknownAdjustmentKind, kind_column,
                     fmt::format("`{}` is not a kind of adjustment", table.Field(kind_column)),
                     "the kinds are fee, interest, credit and write_off");
      }
    }
    CheckCurrency(table, currency_column, index, reference, "adjustment");
    std::int64_t amount = 0;
    ParsePositiveAmount(table, amount_column, index, reference, "an adjustment",
                        "amounts are positive; the kind says whether the balance goes up (fee, interest) or down "
                        "(credit, write_off)",
                        amount);
    if (Commit(table, reference)) rows.push_back({reference.invoice, date, amount, *kind});
  }
  SortIntoRanges(rows, index.ledger.invoices.size(), out.ranges);
  for (const Row& row : rows) {
    out.date.push_back(row.date);
    out.amount_minor.push_back(row.amount);
    out.kind.push_back(row.kind);
  }
}

void LoadDisputes(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, DisputeColumns& out) {
  struct Row {
    std::uint32_t invoice;
    Date date;
    Date resolved;
  };
  std::vector<Row> rows;
  const int invoice_column = table.Column(0), opened_column = table.Column(1), resolved_column = table.Column(2);
  std::optional<std::uint32_t> last;
  while (table.NextRow()) {
    WarmAhead(table, invoice_column, index.ledger);
    InvoiceReference reference = ResolveInvoice(table, invoice_column, index, "dispute", options.skip_bad_rows, last);
    Date opened;
    bool have_opened = ParseRequiredDate(table, opened_column, "opened", options.date_format, opened);
    if (have_opened) CheckNotBeforeIssue(table, opened_column, index, reference, opened, "dispute");
    Date resolved = kStillOpen;
    if (!table.Field(resolved_column).empty() && table.ParseDateField(resolved_column, options.date_format, resolved) &&
        have_opened && resolved < opened) {
      table.Report(
          LedgerProblem::ClosedBeforeOpened, resolved_column,
          fmt::format("the dispute is resolved on {}, before it was opened on {}", resolved.ToIso(), opened.ToIso()));
    }
    if (Commit(table, reference)) rows.push_back({reference.invoice, opened, resolved});
  }
  SortIntoRanges(rows, index.ledger.invoices.size(), out.ranges);
  for (const Row& row : rows) {
    out.opened.push_back(row.date);
    out.resolved.push_back(row.resolved);
  }
}

void LoadPromises(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, PromiseColumns& out) {
  struct Row {
    std::uint32_t invoice;
    Date date;
    Date promised;
  };
  std::vector<Row> rows;
  const int invoice_column = table.Column(0), made_column = table.Column(1), promised_column = table.Column(2);
  std::optional<std::uint32_t> last;
  while (table.NextRow()) {
    WarmAhead(table, invoice_column, index.ledger);
    InvoiceReference reference =
        ResolveInvoice(table, invoice_column, index, "promise to pay", options.skip_bad_rows, last);
    Date made, promised;
    bool have_made = ParseRequiredDate(table, made_column, "made", options.date_format, made);
    if (have_made) CheckNotBeforeIssue(table, made_column, index, reference, made, "promise to pay");
    if (ParseRequiredDate(table, promised_column, "promised", options.date_format, promised) && have_made &&
        promised < made) {
      table.Report(
          LedgerProblem::PromiseBeforeMade, promised_column,
          fmt::format("the promise made on {} is to pay by {}, an earlier day", made.ToIso(), promised.ToIso()));
    }
    if (Commit(table, reference)) rows.push_back({reference.invoice, made, promised});
  }
  SortIntoRanges(rows, index.ledger.invoices.size(), out.ranges);
  for (const Row& row : rows) {
    out.made.push_back(row.date);
    out.promised.push_back(row.promised);
  }
}

void LoadActions(CsvTable& table, const LedgerOptions& options, const InvoiceIndex& index, Ledger& ledger) {
  struct Row {
    std::uint32_t invoice;
    Date date;
    StringPool::Id action;
  };
  std::vector<Row> rows;
  const int invoice_column = table.Column(0), date_column = table.Column(1), action_column = table.Column(2);
  std::optional<std::uint32_t> last;
  while (table.NextRow()) {
    WarmAhead(table, invoice_column, index.ledger);
    InvoiceReference reference = ResolveInvoice(table, invoice_column, index, "action", options.skip_bad_rows, last);
    Date date;
    if (ParseRequiredDate(table, date_column, "date", options.date_format, date)) {
      CheckNotBeforeIssue(table, date_column, index, reference, date, "action");
    }
    table.Required(action_column, "action");
    if (Commit(table, reference)) {
      rows.push_back({reference.invoice, date, ledger.texts.Intern(table.Field(action_column)).first});
    }
  }
  SortIntoRanges(rows, index.ledger.invoices.size(), ledger.actions.ranges);
  for (const Row& row : rows) {
    ledger.actions.date.push_back(row.date);
    ledger.actions.action.push_back(row.action);
  }
}

}  // namespace recoup::runtime::ledger_detail
