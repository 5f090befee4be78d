// Writing a generated ledger as the CSV files of docs/ledger.md: fixed
// column order, ISO dates, amounts at the currency's exponent, event files
// sorted by date (then invoice, then the order they happened in).
#include <fmt/format.h>

#include <algorithm>

#include "runtime/ledger_generator_internal.h"

namespace recoup::runtime::generator_detail {
namespace {

// Appends one file's rows to a buffer handed to the sink in large chunks,
// counting rows and bytes.
class FileWriter {
 public:
  FileWriter(GeneratedFile file, LedgerSink& sink, GeneratorSummary& summary)
      : file_(file), sink_(sink), summary_(summary) {}
  ~FileWriter() { Flush(); }
  fmt::memory_buffer& buffer() { return buffer_; }
  void Header(std::string_view text) { buffer_.append(text); }
  void EndRow() {
    buffer_.push_back('\n');
    ++summary_.rows[static_cast<std::size_t>(file_)];
    if (buffer_.size() >= kChunkBytes) Flush();
  }

 private:
  static constexpr std::size_t kChunkBytes = 1 << 20;
  void Flush() {
    if (buffer_.size() == 0) return;
    summary_.bytes[static_cast<std::size_t>(file_)] += buffer_.size();
    sink_.Append(file_, std::string_view(buffer_.data(), buffer_.size()));
    buffer_.clear();
  }
  GeneratedFile file_;
  LedgerSink& sink_;
  GeneratorSummary& summary_;
  fmt::memory_buffer buffer_;
};

// Formats ids, dates and amounts without allocating.
class Formatter {
 public:
  Formatter(const GeneratorOptions& options, std::size_t invoices)
      : exponent_(InfoOf(options.currency).exponent),
        minor_per_major_(MinorPerMajor(options.currency)),
        customer_width_(std::max<int>(5, static_cast<int>(fmt::formatted_size("{}", options.customers)))),
        invoice_width_(std::max<int>(6, static_cast<int>(fmt::formatted_size("{}", invoices)))),
        first_day_(options.start.days() - 1) {}

  void CustomerId(fmt::memory_buffer& out, std::uint32_t index) const {
    fmt::format_to(std::back_inserter(out), "C{:0{}}", index + 1, customer_width_);
  }
  void InvoiceId(fmt::memory_buffer& out, std::uint32_t index) const {
    fmt::format_to(std::back_inserter(out), "INV-{:0{}}", index + 1, invoice_width_);
  }
  // Dates near the history come from a table filled on first use.
  void Day(fmt::memory_buffer& out, std::int32_t day) {
    const std::int64_t offset = static_cast<std::int64_t>(day) - first_day_;
    if (offset < 0 || offset >= kTableDays) {
      out.append(Date::FromDays(day).ToIso());
      return;
    }
    if (dates_.empty()) dates_.resize(static_cast<std::size_t>(kTableDays));
    std::array<char, 10>& text = dates_[static_cast<std::size_t>(offset)];
    if (text[0] == 0) {
      const std::string iso = Date::FromDays(day).ToIso();
      if (iso.size() != 10) {
        out.append(iso);
        return;
      }
      std::copy(iso.begin(), iso.end(), text.begin());
    }
    out.append(text.data(), text.data() + text.size());
  }
  void Amount(fmt::memory_buffer& out, std::int64_t minor) const {
    if (minor < 0) {
      out.push_back('-');
      minor = -minor;
    }
    fmt::format_to(std::back_inserter(out), "{}", minor / minor_per_major_);
    if (exponent_ > 0) fmt::format_to(std::back_inserter(out), ".{:0{}}", minor % minor_per_major_, exponent_);
  }

 private:
  static constexpr std::int64_t kTableDays = 366 * 60;
  int exponent_;
  std::int64_t minor_per_major_;
  int customer_width_;
  int invoice_width_;
  std::int64_t first_day_;
  std::vector<std::array<char, 10>> dates_;
};

void WriteCustomers(const std::vector<CustomerDraft>& customers, Formatter& format, FileWriter& writer) {
  writer.Header("customer_id,segment,country,credit_limit\n");
  fmt::memory_buffer& out = writer.buffer();
  for (std::uint32_t index = 0; index < customers.size(); ++index) {
    const CustomerDraft& customer = customers[index];
    format.CustomerId(out, index);
    fmt::format_to(std::back_inserter(out), ",{},{},", customer.profile->name, Countries()[customer.country]);
    format.Amount(out, customer.credit_limit_minor);
    writer.EndRow();
  }
}

void WriteInvoices(const GeneratorOptions& options, const std::vector<CustomerDraft>& customers,
                   const std::vector<InvoiceDraft>& invoices, Formatter& format, FileWriter& writer) {
  writer.Header("invoice_id,customer_id,issue_date,due_date,amount,currency,region\n");
  fmt::memory_buffer& out = writer.buffer();
  const std::string_view currency = InfoOf(options.currency).code;
  for (std::uint32_t index = 0; index < invoices.size(); ++index) {
    const InvoiceDraft& invoice = invoices[index];
    format.InvoiceId(out, index);
    out.push_back(',');
    format.CustomerId(out, invoice.customer);
    out.push_back(',');
    format.Day(out, invoice.issue);
    out.push_back(',');
    format.Day(out, invoice.due);
    out.push_back(',');
    format.Amount(out, invoice.amount_minor);
    fmt::format_to(std::back_inserter(out), ",{},{}", currency, Regions()[customers[invoice.customer].region]);
    writer.EndRow();
  }
}

template <typename Event>
void SortByDay(std::vector<Event>& events) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.day < b.day; });
}

void WriteMoneyEvents(const std::vector<MoneyEvent>& events, bool with_kind, Formatter& format, FileWriter& writer) {
  writer.Header(with_kind ? "invoice_id,date,amount,kind\n" : "invoice_id,date,amount\n");
  fmt::memory_buffer& out = writer.buffer();
  for (const MoneyEvent& event : events) {
    format.InvoiceId(out, event.invoice);
    out.push_back(',');
    format.Day(out, event.day);
    out.push_back(',');
    format.Amount(out, event.amount_minor);
    if (with_kind) out.append(std::string_view(event.write_off ? ",write_off" : ",fee"));
    writer.EndRow();
  }
}

// Disputes and promises: the second date, or empty when it is kNever or
// after the history (a dispute still open at the end).
void WriteSpanEvents(const std::vector<SpanEvent>& events, std::string_view header, std::int32_t end,
                     Formatter& format, FileWriter& writer) {
  writer.Header(header);
  fmt::memory_buffer& out = writer.buffer();
  for (const SpanEvent& event : events) {
    format.InvoiceId(out, event.invoice);
    out.push_back(',');
    format.Day(out, event.day);
    out.push_back(',');
    if (event.until < end) format.Day(out, event.until);
    writer.EndRow();
  }
}

void WriteActions(const std::vector<SpanEvent>& events, Formatter& format, FileWriter& writer) {
  writer.Header("invoice_id,date,action\n");
  fmt::memory_buffer& out = writer.buffer();
  for (const SpanEvent& event : events) {
    format.InvoiceId(out, event.invoice);
    out.push_back(',');
    format.Day(out, event.day);
    out.push_back(',');
    out.append(DunningSteps()[static_cast<std::size_t>(event.until)].action);
    writer.EndRow();
  }
}

}  // namespace

void WriteLedgerFiles(const GeneratorOptions& options, const std::vector<CustomerDraft>& customers,
                      const std::vector<InvoiceDraft>& invoices, GeneratedEvents& events, LedgerSink& sink,
                      GeneratorSummary& summary) {
  Formatter format(options, invoices.size());
  const std::int32_t end = summary.end.days();
  {
    FileWriter writer(GeneratedFile::Customers, sink, summary);
    WriteCustomers(customers, format, writer);
  }
  {
    FileWriter writer(GeneratedFile::Invoices, sink, summary);
    WriteInvoices(options, customers, invoices, format, writer);
  }
  SortByDay(events.payments);
  SortByDay(events.adjustments);
  SortByDay(events.disputes);
  SortByDay(events.promises);
  SortByDay(events.actions);
  {
    FileWriter writer(GeneratedFile::Payments, sink, summary);
    WriteMoneyEvents(events.payments, false, format, writer);
  }
  {
    FileWriter writer(GeneratedFile::Adjustments, sink, summary);
    WriteMoneyEvents(events.adjustments, true, format, writer);
  }
  {
    FileWriter writer(GeneratedFile::Disputes, sink, summary);
    WriteSpanEvents(events.disputes, "invoice_id,opened,resolved\n", end, format, writer);
  }
  {
    FileWriter writer(GeneratedFile::Promises, sink, summary);
    WriteSpanEvents(events.promises, "invoice_id,made,promised\n", kNever, format, writer);
  }
  {
    FileWriter writer(GeneratedFile::Actions, sink, summary);
    WriteActions(events.actions, format, writer);
  }
}

}  // namespace recoup::runtime::generator_detail
