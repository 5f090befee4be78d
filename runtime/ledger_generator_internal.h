// The generator's phases and the data they hand each other: customers and
// invoices drafted, each invoice's history simulated into events, then
// everything written as CSV (ledger_generator.cpp drives them).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ledger_generator.h"
#include "runtime/ledger_generator_model.h"

namespace recoup::runtime::generator_detail {

// A day that never comes (a dispute never resolved, a step never due).
inline constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

// Purposes that name random streams, so no two draws share one.
enum class StreamPurpose : std::uint64_t { Customer = 1, MonthVolume = 2, Invoice = 3, InvoiceHistory = 4 };

struct CustomerDraft {
  const SegmentProfile* profile = nullptr;
  std::int32_t terms_days = 30;
  double activity = 1;           // multiplies the segment's invoices per month
  std::uint32_t first_month = 0;  // months after the start before the first invoice
  std::uint8_t country = 0;       // index into Countries()
  std::uint8_t region = 0;        // index into Regions()
  std::int64_t credit_limit_minor = 0;
};

struct InvoiceDraft {
  std::uint32_t customer = 0;
  std::uint32_t sequence = 0;  // the customer's n-th invoice, names its random stream
  std::int32_t issue = 0;      // days since 1970-01-01
  std::int32_t due = 0;
  std::int64_t amount_minor = 0;
};

// Rows of the event files; `invoice` is the index in issue order.
struct MoneyEvent {
  std::uint32_t invoice = 0;
  std::int32_t day = 0;
  std::int64_t amount_minor = 0;
  bool write_off = false;  // adjustments: write_off, else fee
};
struct SpanEvent {
  std::uint32_t invoice = 0;
  std::int32_t day = 0;     // opened / made / the action's day
  std::int32_t until = 0;   // resolved (kNever: still open) / promised / the action kind
};

struct GeneratedEvents {
  std::vector<MoneyEvent> payments;
  std::vector<MoneyEvent> adjustments;
  std::vector<SpanEvent> disputes;
  std::vector<SpanEvent> promises;
  std::vector<SpanEvent> actions;
};

// What one invoice came to by the end of history.
struct InvoiceOutcome {
  std::int64_t fees_minor = 0;
  std::int64_t paid_minor = 0;
  std::int64_t written_off_minor = 0;
  std::int64_t open_minor = 0;
};

// 100 for USD, 1 for JPY, 1000 for BHD.
inline std::int64_t MinorPerMajor(CurrencyId currency) {
  std::int64_t factor = 1;
  for (int i = 0; i < InfoOf(currency).exponent; ++i) factor *= 10;
  return factor;
}

// The day `months` after `start`, keeping the day of the month (or the
// month's last day when it has fewer): where each month of issue dates
// begins, and where the history ends.
Date AddMonths(Date start, std::uint32_t months);

std::span<const std::string_view> Countries();
std::span<const std::string_view> Regions();

// The customers, each from its own random stream.
std::vector<CustomerDraft> DraftCustomers(const GeneratorOptions& options);
// Every invoice of every customer, sorted by issue day (then customer and
// sequence), so invoice ids increase with the issue date.
std::vector<InvoiceDraft> DraftInvoices(const GeneratorOptions& options, const std::vector<CustomerDraft>& customers);

// Simulates one invoice's history up to the day before `end`, appending its
// events; payments never exceed what is owed.
InvoiceOutcome SimulateInvoice(const GeneratorOptions& options, const InvoiceDraft& invoice, std::uint32_t index,
                               const CustomerDraft& customer, std::int32_t end, GeneratedEvents& events);

// Writes the CSV files, event files in date order.
void WriteLedgerFiles(const GeneratorOptions& options, const std::vector<CustomerDraft>& customers,
                      const std::vector<InvoiceDraft>& invoices, GeneratedEvents& events, LedgerSink& sink,
                      GeneratorSummary& summary);

}  // namespace recoup::runtime::generator_detail
