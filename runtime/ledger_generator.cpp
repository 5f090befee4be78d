// GenerateLedger: drafts customers and invoices, simulates each invoice's
// history from its own random stream, then writes the files and the
// ground truth.
#include "runtime/ledger_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "runtime/ledger_generator_internal.h"

namespace recoup::runtime {

using generator_detail::CustomerDraft;
using generator_detail::InvoiceDraft;

GeneratorOptions DefaultGeneratorOptions() {
  GeneratorOptions options;
  options.currency = *FindCurrency("USD");
  return options;
}

std::vector<std::string_view> KnownSegmentNames() {
  std::vector<std::string_view> names;
  for (const auto& profile : generator_detail::SegmentProfiles()) names.push_back(profile.name);
  return names;
}

std::optional<std::string> ValidateGeneratorOptions(const GeneratorOptions& options) {
  constexpr std::uint32_t kMaxCustomers = 10'000'000;
  constexpr std::uint32_t kMaxMonths = 1200;
  if (options.customers == 0 || options.customers > kMaxCustomers) {
    return fmt::format("the number of customers must be between 1 and {}, not {}", kMaxCustomers, options.customers);
  }
  if (options.months == 0 || options.months > kMaxMonths) {
    return fmt::format("the number of months must be between 1 and {}, not {}", kMaxMonths, options.months);
  }
  if (options.start.year() < 1900 || options.start.year() + options.months / 12 > 9000) {
    return fmt::format("the start date {} is out of range (years 1900 to 9000)", options.start.ToIso());
  }
  if (options.currency >= CurrencyCount()) return std::string("unknown currency");
  const std::vector<std::string_view> known = KnownSegmentNames();
  std::vector<std::string_view> seen;
  for (const std::string& segment : options.segments) {
    if (std::find(known.begin(), known.end(), segment) == known.end()) {
      return fmt::format("`{}` is not a segment the generator knows; choose from {}", segment,
                         fmt::join(known, ", "));
    }
    if (std::find(seen.begin(), seen.end(), segment) != seen.end()) {
      return fmt::format("the segment `{}` is given twice", segment);
    }
    seen.push_back(segment);
  }
  return std::nullopt;
}

std::string_view GeneratedFileName(GeneratedFile file) {
  static constexpr std::string_view kNames[] = {"customers.csv",  "invoices.csv", "payments.csv",
                                                "adjustments.csv", "disputes.csv", "promises.csv",
                                                "actions.csv",     "ground_truth.json"};
  return kNames[static_cast<std::size_t>(file)];
}

FileReader MemoryLedgerReader(const MemoryLedgerSink& sink, std::string folder) {
  return [&sink, folder = std::move(folder)](const std::string& path) {
    FileContents contents;
    for (std::size_t i = 0; i < kGeneratedFileCount; ++i) {
      const auto file = static_cast<GeneratedFile>(i);
      if (path == folder + "/" + std::string(GeneratedFileName(file))) {
        contents.status = FileContents::Status::Read;
        contents.bytes = sink.Contents(file);
      }
    }
    return contents;
  };
}

GeneratorSummary GenerateLedger(const GeneratorOptions& options, LedgerSink& sink, const GeneratorProgress& progress) {
  GeneratorSummary summary;
  summary.end = generator_detail::AddMonths(options.start, options.months);
  const std::vector<CustomerDraft> customers = generator_detail::DraftCustomers(options);
  const std::vector<InvoiceDraft> invoices = generator_detail::DraftInvoices(options, customers);
  summary.customers = customers.size();
  summary.invoices = invoices.size();

  generator_detail::GeneratedEvents events;
  events.payments.reserve(invoices.size() + invoices.size() / 8);
  events.actions.reserve(invoices.size() / 2);
  for (std::uint32_t index = 0; index < invoices.size(); ++index) {
    const InvoiceDraft& invoice = invoices[index];
    const generator_detail::InvoiceOutcome outcome = generator_detail::SimulateInvoice(
        options, invoice, index, customers[invoice.customer], summary.end.days(), events);
    if (invoice.amount_minor + outcome.fees_minor !=
        outcome.paid_minor + outcome.written_off_minor + outcome.open_minor) {
      throw std::logic_error(fmt::format("gen-ledger: invoice {} is not conserved", index));
    }
    summary.invoiced_minor += invoice.amount_minor;
    summary.fees_minor += outcome.fees_minor;
    summary.paid_minor += outcome.paid_minor;
    summary.written_off_minor += outcome.written_off_minor;
    summary.open_minor += outcome.open_minor;
    if (progress && index % 4096 == 4095) progress(index + 1, invoices.size());
  }
  if (progress) progress(invoices.size(), invoices.size());
  generator_detail::WriteLedgerFiles(options, customers, invoices, events, sink, summary);
  const std::string truth = generator_detail::GroundTruthJson(options, summary.end);
  sink.Append(GeneratedFile::GroundTruth, truth);
  summary.bytes[static_cast<std::size_t>(GeneratedFile::GroundTruth)] = truth.size();
  return summary;
}

}  // namespace recoup::runtime
