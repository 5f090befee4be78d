// Synthetic ledgers with known ground truth (`recoup gen-ledger`): customers
// in segments with their own invoice sizes, terms and payment habits,
// seasonal issue dates, partial payments, disputes, promises to pay, a
// dunning log written by a known policy, and payments drawn from a known
// discrete-time hazard model that responds to those actions. The model is
// written out as ground_truth.json so that a fitted model can be checked
// against it (docs/ledger.md, "Synthetic ledgers").
//
// The output is a pure function of the options: the same options give the
// same bytes on every machine and standard library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/currency.h"
#include "runtime/date.h"
#include "runtime/ledger_loader.h"

namespace recoup::runtime {

// What to generate. The defaults make a small ledger.
struct GeneratorOptions {
  std::uint32_t customers = 300;
  std::uint32_t months = 24;  // of issue dates, from `start`; history ends then
  std::uint64_t seed = 1;
  // Segment names, each one of KnownSegmentNames(); empty means all of them.
  std::vector<std::string> segments;
  CurrencyId currency = 0;  // set from "USD" by DefaultGeneratorOptions
  Date start = Date::FromDays(19723);  // 2024-01-01
};

// The defaults with the currency set to USD.
GeneratorOptions DefaultGeneratorOptions();

// The segments the generator has a profile for, in their default order:
// smb, enterprise, strategic, public.
std::vector<std::string_view> KnownSegmentNames();

// A plain sentence naming the first problem with `options` (an unknown
// segment, zero customers...), or nothing when they can be generated.
std::optional<std::string> ValidateGeneratorOptions(const GeneratorOptions& options);

// The files a generated ledger has, in the order they are written.
enum class GeneratedFile : std::uint8_t {
  Customers,
  Invoices,
  Payments,
  Adjustments,
  Disputes,
  Promises,
  Actions,
  GroundTruth,
  kCount,
};
inline constexpr std::size_t kGeneratedFileCount = static_cast<std::size_t>(GeneratedFile::kCount);

// "customers.csv" ... "ground_truth.json".
std::string_view GeneratedFileName(GeneratedFile file);

// Where the generator writes: each file's bytes arrive in order, in chunks.
// The command writes them to disk; tests keep them in memory.
class LedgerSink {
 public:
  virtual ~LedgerSink() = default;
  virtual void Append(GeneratedFile file, std::string_view bytes) = 0;
};

// What was generated, for the command's summary and for tests. Amounts are
// minor units of the ledger's currency. For every invoice
// amount + fees = paid + written off + open, so the same holds here.
struct GeneratorSummary {
  std::size_t customers = 0;
  std::size_t invoices = 0;
  std::array<std::size_t, kGeneratedFileCount> rows{};   // data rows, without the header
  std::array<std::size_t, kGeneratedFileCount> bytes{};
  std::int64_t invoiced_minor = 0;
  std::int64_t fees_minor = 0;
  std::int64_t paid_minor = 0;
  std::int64_t written_off_minor = 0;
  std::int64_t open_minor = 0;  // owed at the end of history
  Date end;                     // the first day after the history
};

// Generates the whole ledger into `sink`. `options` must be valid
// (ValidateGeneratorOptions).
// Told how many of `total` invoices are simulated, every few thousand and
// at the end, on the calling thread (the command's progress bar).
using GeneratorProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

GeneratorSummary GenerateLedger(const GeneratorOptions& options, LedgerSink& sink,
                                const GeneratorProgress& progress = {});

// A sink that keeps every file in memory, for tests and small tools.
class MemoryLedgerSink final : public LedgerSink {
 public:
  void Append(GeneratedFile file, std::string_view bytes) override {
    files_[static_cast<std::size_t>(file)].append(bytes);
  }
  const std::string& Contents(GeneratedFile file) const { return files_[static_cast<std::size_t>(file)]; }

 private:
  std::array<std::string, kGeneratedFileCount> files_;
};

// Reads the files kept in `sink` as if they were written to `folder`, for
// LoadLedger without a disk: `folder`/invoices.csv and the rest are Read,
// any other path Missing. The sink must outlive the reader.
FileReader MemoryLedgerReader(const MemoryLedgerSink& sink, std::string folder);

}  // namespace recoup::runtime
