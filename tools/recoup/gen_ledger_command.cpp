#include "tools/recoup/gen_ledger_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>

#include "runtime/ledger_generator.h"
#include "runtime/money.h"
#include "tools/recoup/exit_status.h"

namespace recoup::driver {
namespace {

namespace fs = std::filesystem;
using runtime::GeneratedFile;

// Writes each generated file to `folder`, remembering the first failure.
class FolderSink final : public runtime::LedgerSink {
 public:
  explicit FolderSink(fs::path folder) : folder_(std::move(folder)) {}
  void Append(GeneratedFile file, std::string_view bytes) override {
    std::unique_ptr<std::ofstream>& stream = streams_[static_cast<std::size_t>(file)];
    if (!stream) {
      const fs::path path = folder_ / runtime::GeneratedFileName(file);
      stream = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
      if (!*stream && error_.empty()) error_ = fmt::format("cannot create {}", path.string());
    }
    stream->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!*stream && error_.empty()) error_ = fmt::format("cannot write {}", runtime::GeneratedFileName(file));
  }
  // Closes every file; the first problem met, or empty.
  std::string Close() {
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      if (!streams_[i]) continue;
      streams_[i]->close();
      if (streams_[i]->fail() && error_.empty()) {
        error_ = fmt::format("cannot write {}", runtime::GeneratedFileName(static_cast<GeneratedFile>(i)));
      }
    }
    return error_;
  }

 private:
  fs::path folder_;
  std::array<std::unique_ptr<std::ofstream>, runtime::kGeneratedFileCount> streams_;
  std::string error_;
};

// The options as the generator wants them, or the first problem.
std::optional<std::string> ToGeneratorOptions(const GenLedgerOptions& flags, runtime::GeneratorOptions& options) {
  options = runtime::DefaultGeneratorOptions();
  options.customers = flags.customers;
  options.months = flags.months;
  options.seed = flags.seed;
  std::optional<runtime::CurrencyId> currency = runtime::FindCurrency(flags.currency);
  if (!currency) return fmt::format("--currency: `{}` is not an ISO 4217 currency code", flags.currency);
  options.currency = *currency;
  std::optional<runtime::Date> start = runtime::Date::ParseIso(flags.start);
  if (!start) return fmt::format("--start: `{}` is not a date; expected YYYY-MM-DD", flags.start);
  options.start = *start;
  std::string_view rest = flags.segments;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) return std::string("--segments: an empty segment name; write them like smb,enterprise");
    options.segments.emplace_back(name);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (std::optional<std::string> problem = runtime::ValidateGeneratorOptions(options)) return *problem;
  return std::nullopt;
}

bool IsLedgerFileName(const std::string& name) {
  for (std::size_t i = 0; i < runtime::kGeneratedFileCount; ++i) {
    if (name == runtime::GeneratedFileName(static_cast<GeneratedFile>(i))) return true;
  }
  return false;
}

// Whether `out` may be written: missing, an empty folder, or (with --force)
// a folder holding nothing but the files a generated ledger has.
std::optional<std::string> CheckDestination(const fs::path& out, bool force) {
  std::error_code error;
  if (!fs::exists(out, error)) return std::nullopt;
  if (!fs::is_directory(out, error)) return fmt::format("{} exists and is not a folder", out.string());
  std::vector<std::string> others;
  bool empty = true;
  for (const fs::directory_entry& entry : fs::directory_iterator(out, error)) {
    empty = false;
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !IsLedgerFileName(name)) others.push_back(name);
  }
  if (error) return fmt::format("cannot read the folder {}: {}", out.string(), error.message());
  if (empty) return std::nullopt;
  if (!force) return fmt::format("{} is not empty; give --force to replace the ledger in it", out.string());
  if (!others.empty()) {
    std::sort(others.begin(), others.end());
    return fmt::format("{} holds {} that no generated ledger has ({}); not replacing it even with --force",
                       out.string(), others.size() == 1 ? "a file" : "files", fmt::join(others, ", "));
  }
  return std::nullopt;
}

// Moves the finished folder into place; the old one, if any, goes last.
void MoveIntoPlace(const fs::path& temporary, const fs::path& out) {
  if (!fs::exists(out)) {
    fs::rename(temporary, out);
    return;
  }
  const fs::path old = fs::path(temporary.string() + ".old");
  fs::rename(out, old);
  fs::rename(temporary, out);
  fs::remove_all(old);
}

void PrintSummary(const runtime::GeneratorSummary& summary, const runtime::GeneratorOptions& options,
                  const std::string& out, std::ostream& err) {
  auto money = [&](std::int64_t minor) { return runtime::ToString(runtime::Money{minor, options.currency}); };
  err << fmt::format("gen-ledger: wrote {} (seed {}, {} months from {} to {})\n", out, options.seed, options.months,
                     options.start.ToIso(), summary.end.AddDays(-1).ToIso());
  for (std::size_t i = 0; i < runtime::kGeneratedFileCount; ++i) {
    const auto file = static_cast<GeneratedFile>(i);
    const std::string rows = file == GeneratedFile::GroundTruth ? "" : fmt::format("{} rows", summary.rows[i]);
    err << fmt::format("  {:<18} {:>12} {:>12} bytes\n", runtime::GeneratedFileName(file), rows, summary.bytes[i]);
  }
  err << fmt::format("  customers {}, invoices {}, payments {}\n", summary.customers, summary.invoices,
                     summary.rows[static_cast<std::size_t>(GeneratedFile::Payments)]);
  err << fmt::format("  invoiced {}, fees {}, collected {}, written off {}, open at the end {}\n",
                     money(summary.invoiced_minor), money(summary.fees_minor), money(summary.paid_minor),
                     money(summary.written_off_minor), money(summary.open_minor));
}

}  // namespace

CLI::App* AddGenLedger(CLI::App& app, GenLedgerOptions& options) {
  CLI::App* command =
      app.add_subcommand("gen-ledger", "Write a synthetic ledger with known ground truth (ground_truth.json)");
  command->add_option("--out", options.out, "Folder to write the ledger to")->required();
  command->add_option("--customers", options.customers, "Number of customers")->required();
  command->add_option("--months", options.months, "Months of issue dates; the history ends after them")->required();
  command->add_option("--seed", options.seed, "Random seed: the same seed gives the same bytes")->required();
  command->add_option("--segments", options.segments,
                      "Comma-separated segments (default smb,enterprise,strategic,public)");
  command->add_option("--currency", options.currency, "Currency of every invoice (default USD)");
  command->add_option("--start", options.start, "First day of the history, YYYY-MM-DD (default 2024-01-01)");
  command->add_flag("--force", options.force, "Replace a ledger already in the folder");
  command->add_flag("--quiet", options.quiet, "Print no summary and no progress");
  return command;
}

int RunGenLedger(const GenLedgerOptions& flags, Environment& environment) {
  runtime::GeneratorOptions options;
  if (std::optional<std::string> problem = ToGeneratorOptions(flags, options)) {
    environment.err << "recoup gen-ledger: " << *problem << "\n";
    return kExitUsage;
  }
  fs::path out = fs::path(flags.out).lexically_normal();
  if (!out.has_filename()) out = out.parent_path();  // "ledger/" is "ledger"
  if (std::optional<std::string> problem = CheckDestination(out, flags.force)) {
    environment.err << "recoup gen-ledger: " << *problem << "\n";
    return kExitUsage;
  }
  const fs::path temporary =
      out.parent_path() / fmt::format(".{}.gen-ledger-{}", out.filename().string(), static_cast<long>(::getpid()));
  std::error_code error;
  fs::remove_all(temporary, error);
  if (!fs::create_directories(temporary, error)) {
    environment.err << fmt::format("recoup gen-ledger: cannot create {}: {}\n", temporary.string(), error.message());
    return kExitUsage;
  }
  FolderSink sink(temporary);
  Progress progress(environment.err, ProgressSettingsFor(environment, flags.quiet));
  progress.Start(fmt::format("generating {}", flags.out), 0, "invoices");
  const runtime::GeneratorSummary summary =
      runtime::GenerateLedger(options, sink, [&progress](std::uint64_t done, std::uint64_t total) {
        progress.SetTotal(total);
        progress.Update(done);
      });
  progress.Finish();
  std::string problem = sink.Close();
  if (problem.empty()) {
    try {
      MoveIntoPlace(temporary, out);
    } catch (const fs::filesystem_error& failure) {
      problem = failure.what();
    }
  }
  if (!problem.empty()) {
    fs::remove_all(temporary, error);
    environment.err << "recoup gen-ledger: " << problem << "\n";
    return kExitUsage;
  }
  if (!flags.quiet) PrintSummary(summary, options, flags.out, environment.err);
  return kExitSuccess;
}

}  // namespace recoup::driver
