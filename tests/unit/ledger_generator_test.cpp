// The synthetic ledger generator: same seed same bytes, the ledger loads
// cleanly, every invoice is conserved, payments are never early or more
// than owed, segments pay as configured, the dunning log follows the
// documented policy, and `recoup gen-ledger` writes, refuses and replaces
// folders as docs/cli.md says.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "language/file_system.h"
#include "runtime/ledger_generator.h"
#include "runtime/ledger_generator_model.h"
#include "runtime/ledger_loader.h"
#include "tools/recoup/driver.h"

namespace recoup::runtime {
namespace {

GeneratorOptions SmallOptions(std::uint64_t seed, std::uint32_t customers = 120, std::uint32_t months = 12) {
  GeneratorOptions options = DefaultGeneratorOptions();
  options.seed = seed;
  options.customers = customers;
  options.months = months;
  return options;
}

struct Generated {
  MemoryLedgerSink sink;
  GeneratorSummary summary;
};

Generated Generate(const GeneratorOptions& options) {
  Generated generated;
  generated.summary = GenerateLedger(options, generated.sink);
  return generated;
}

// Loads the generated files through the real loader.
LedgerLoadResult Load(const MemoryLedgerSink& sink) {
  return LoadLedger("gen", LedgerOptions{}, MemoryLedgerReader(sink, "gen"));
}

std::string_view SegmentOf(const Ledger& ledger, std::uint32_t invoice) {
  return ledger.texts.Get(ledger.customers.segment[ledger.invoices.customer[invoice]]);
}

TEST_CASE("the same seed gives the same bytes, another seed other bytes", "[runtime][generator]") {
  const Generated first = Generate(SmallOptions(42));
  const Generated again = Generate(SmallOptions(42));
  const Generated other = Generate(SmallOptions(43));
  for (std::size_t i = 0; i < kGeneratedFileCount; ++i) {
    const auto file = static_cast<GeneratedFile>(i);
    INFO(GeneratedFileName(file));
    CHECK(first.sink.Contents(file) == again.sink.Contents(file));
  }
  CHECK(first.sink.Contents(GeneratedFile::Invoices) != other.sink.Contents(GeneratedFile::Invoices));
  CHECK(first.sink.Contents(GeneratedFile::Payments) != other.sink.Contents(GeneratedFile::Payments));
}

TEST_CASE("the memory reader serves the sink's files in its folder and nothing else", "[runtime][generator]") {
  const Generated generated = Generate(SmallOptions(3, 20, 2));
  const FileReader read = MemoryLedgerReader(generated.sink, "gen");
  const FileContents invoices = read("gen/invoices.csv");
  CHECK(invoices.status == FileContents::Status::Read);
  CHECK(invoices.bytes == generated.sink.Contents(GeneratedFile::Invoices));
  CHECK(read("gen/ground_truth.json").bytes == generated.sink.Contents(GeneratedFile::GroundTruth));
  CHECK(read("other/invoices.csv").status == FileContents::Status::Missing);
  CHECK(read("geninvoices.csv").status == FileContents::Status::Missing);
  CHECK(read("gen/notes.csv").status == FileContents::Status::Missing);
}

TEST_CASE("a customer's draws do not depend on how many customers there are", "[runtime][generator]") {
  const std::string fewer = Generate(SmallOptions(5, 50, 3)).sink.Contents(GeneratedFile::Customers);
  const std::string more = Generate(SmallOptions(5, 80, 3)).sink.Contents(GeneratedFile::Customers);
  CHECK(more.compare(0, fewer.size(), fewer) == 0);
}

TEST_CASE("the generated ledger loads without problems and matches the summary", "[runtime][generator]") {
  const Generated generated = Generate(SmallOptions(7, 120, 24));
  const LedgerLoadResult result = Load(generated.sink);
  INFO(RenderLedgerDiagnostics(result));
  REQUIRE(result.ok());
  CHECK(result.diagnostics.empty());
  const Ledger& ledger = *result.ledger;
  CHECK(ledger.invoices.size() == generated.summary.invoices);
  CHECK(ledger.customers.size() == generated.summary.customers);
  CHECK(ledger.payments.date.size() == generated.summary.rows[static_cast<std::size_t>(GeneratedFile::Payments)]);
  CHECK(ledger.actions.date.size() == generated.summary.rows[static_cast<std::size_t>(GeneratedFile::Actions)]);
  CHECK(generated.summary.invoices > 1000);
  CHECK(generated.summary.rows[static_cast<std::size_t>(GeneratedFile::Disputes)] > 0);
  CHECK(generated.summary.rows[static_cast<std::size_t>(GeneratedFile::Promises)] > 0);
  CHECK(generated.summary.written_off_minor > 0);
  CHECK(ledger.invoices.attributes.Find("region").has_value());
}

TEST_CASE("every invoice is conserved, payments never early, never more than owed", "[runtime][generator]") {
  const Generated generated = Generate(SmallOptions(11, 150, 24));
  const LedgerLoadResult result = Load(generated.sink);
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  const Date end = generated.summary.end;
  std::int64_t invoiced = 0, fees = 0, paid = 0, written_off = 0, open = 0;
  std::size_t partly_paid = 0;
  for (std::uint32_t invoice = 0; invoice < ledger.invoices.size(); ++invoice) {
    const Date issue = ledger.invoices.issue_date[invoice];
    // Walk the invoice's payments and adjustments in date order; on one
    // day payments come first, then fees, then a write-off.
    std::multimap<std::pair<std::int32_t, int>, std::int64_t> changes;
    for (auto row = ledger.payments.ranges.begin(invoice); row < ledger.payments.ranges.end(invoice); ++row) {
      REQUIRE(ledger.payments.date[row] > issue);
      REQUIRE(ledger.payments.date[row] < end);
      changes.insert({{ledger.payments.date[row].days(), 0}, -ledger.payments.amount_minor[row]});
    }
    for (auto row = ledger.adjustments.ranges.begin(invoice); row < ledger.adjustments.ranges.end(invoice); ++row) {
      const bool is_fee = ledger.adjustments.kind[row] == AdjustmentKind::Fee;
      REQUIRE((is_fee || ledger.adjustments.kind[row] == AdjustmentKind::WriteOff));
      const std::int64_t amount = ledger.adjustments.amount_minor[row];
      changes.insert({{ledger.adjustments.date[row].days(), is_fee ? 1 : 2}, is_fee ? amount : -amount});
      (is_fee ? fees : written_off) += amount;
    }
    std::int64_t balance = ledger.invoices.amount_minor[invoice];
    invoiced += balance;
    for (const auto& [when, change] : changes) {
      if (when.second == 0) paid -= change;
      balance += change;
      REQUIRE(balance >= 0);
    }
    open += balance;
    const auto payments = ledger.payments.ranges.end(invoice) - ledger.payments.ranges.begin(invoice);
    if (payments >= 2) ++partly_paid;
    REQUIRE(payments <= 3);
  }
  CHECK(invoiced == generated.summary.invoiced_minor);
  CHECK(fees == generated.summary.fees_minor);
  CHECK(paid == generated.summary.paid_minor);
  CHECK(written_off == generated.summary.written_off_minor);
  CHECK(open == generated.summary.open_minor);
  CHECK(invoiced + fees == paid + written_off + open);
  CHECK(partly_paid > 0);
}

TEST_CASE("segments pay as their hazards say: strategic first, public last", "[runtime][generator]") {
  const Generated generated = Generate(SmallOptions(3, 400, 18));
  const LedgerLoadResult result = Load(generated.sink);
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  std::map<std::string, std::vector<int>> days_after_due;  // of the first payment
  for (std::uint32_t invoice = 0; invoice < ledger.invoices.size(); ++invoice) {
    const auto row = ledger.payments.ranges.begin(invoice);
    if (row == ledger.payments.ranges.end(invoice)) continue;
    days_after_due[std::string(SegmentOf(ledger, invoice))].push_back(ledger.payments.date[row] -
                                                                       ledger.invoices.due_date[invoice]);
  }
  std::map<std::string, int> median;
  for (auto& [segment, days] : days_after_due) {
    REQUIRE(days.size() > 100);
    std::sort(days.begin(), days.end());
    median[segment] = days[days.size() / 2];
  }
  CHECK(median["strategic"] < median["enterprise"]);
  CHECK(median["enterprise"] < median["smb"]);
  CHECK(median["smb"] < median["public"]);
}

TEST_CASE("a subset of segments only has those segments", "[runtime][generator]") {
  GeneratorOptions options = SmallOptions(9, 60, 6);
  options.segments = {"public", "smb"};
  REQUIRE_FALSE(ValidateGeneratorOptions(options));
  const LedgerLoadResult result = Load(Generate(options).sink);
  REQUIRE(result.ok());
  for (std::uint32_t customer = 0; customer < result.ledger->customers.size(); ++customer) {
    const std::string_view segment = result.ledger->texts.Get(result.ledger->customers.segment[customer]);
    CHECK((segment == "smb" || segment == "public"));
  }
  options.segments = {"smb", "retail"};
  CHECK(ValidateGeneratorOptions(options).value_or("").find("`retail` is not a segment") != std::string::npos);
}

TEST_CASE("the dunning log follows the documented policy", "[runtime][generator]") {
  using generator_detail::DunningSteps;
  const Generated generated = Generate(SmallOptions(21, 200, 24));
  const LedgerLoadResult result = Load(generated.sink);
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  std::size_t checked = 0;
  for (std::uint32_t invoice = 0; invoice < ledger.invoices.size(); ++invoice) {
    const Date due = ledger.invoices.due_date[invoice];
    const bool disputed = ledger.disputes.ranges.end(invoice) > ledger.disputes.ranges.begin(invoice);
    // The day the balance reached zero, if it did.
    std::optional<Date> settled;
    std::int64_t balance = ledger.invoices.amount_minor[invoice];
    for (auto row = ledger.adjustments.ranges.begin(invoice); row < ledger.adjustments.ranges.end(invoice); ++row) {
      if (ledger.adjustments.kind[row] == AdjustmentKind::Fee) balance += ledger.adjustments.amount_minor[row];
    }
    for (auto row = ledger.payments.ranges.begin(invoice); row < ledger.payments.ranges.end(invoice); ++row) {
      balance -= ledger.payments.amount_minor[row];
      if (balance == 0) settled = ledger.payments.date[row];
    }
    std::size_t next_step = 0;
    std::optional<Date> placed;
    for (auto row = ledger.actions.ranges.begin(invoice); row < ledger.actions.ranges.end(invoice); ++row) {
      const Date date = ledger.actions.date[row];
      const std::string_view action = ledger.texts.Get(ledger.actions.action[row]);
      INFO(ledger.invoice_ids.Get(invoice) << " " << action << " on " << date.ToIso());
      // Steps come in the policy's order, each at most once.
      while (next_step < DunningSteps().size() && DunningSteps()[next_step].action != action) ++next_step;
      REQUIRE(next_step < DunningSteps().size());
      const auto& step = DunningSteps()[next_step++];
      const std::int32_t days = date - due;
      CHECK(days >= step.days_after_due);
      if (!disputed) CHECK(days <= step.days_after_due + generator_detail::kMaxActionLagDays + 2);
      CHECK(date.weekday() < 5);
      CHECK(step.unless_segment != SegmentOf(ledger, invoice));
      CHECK_FALSE(placed);  // nothing after the agency
      if (settled) CHECK(date < *settled);
      if (action == "agency") placed = date;
      ++checked;
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("ground_truth.json is versioned and carries the model", "[runtime][generator]") {
  const Generated generated = Generate(SmallOptions(4, 10, 2));
  const std::string& truth = generated.sink.Contents(GeneratedFile::GroundTruth);
  CHECK(truth.rfind("{\n  \"version\": 1,\n  \"seed\": 4,", 0) == 0);
  for (const char* key : {"\"segments\"", "\"daily_hazard\"", "\"action_effects\"", "\"agency\"", "\"dunning_policy\"",
                          "\"dispute_rate\"", "\"partial_payment\"", "\"promises\"", "\"write_off\""}) {
    CHECK(truth.find(key) != std::string::npos);
  }
}

TEST_CASE("recoup gen-ledger writes a folder, refuses a non-empty one, replaces with --force",
          "[driver][generator]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / fmt::format("recoup-gen-ledger-test-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root);
  language::RealFileSystem files;
  std::ostringstream out, err;
  driver::Environment environment{files, out, err, ""};
  const std::string folder = (root / "ledger").string();
  auto run = [&](std::vector<std::string> extra, const std::string& target = "") {
    std::vector<std::string> arguments = {"gen-ledger", "--out", target.empty() ? folder : target, "--customers", "20",
                                          "--months", "3", "--seed", "1"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return driver::Run(arguments, environment);
  };
  CHECK(run({}) == 0);
  CHECK(err.str().find("invoices.csv") != std::string::npos);
  CHECK(fs::exists(fs::path(folder) / "ground_truth.json"));
  CHECK(run({"--quiet"}) == 2);
  CHECK(err.str().find("is not empty; give --force") != std::string::npos);
  err.str("");
  CHECK(run({"--force", "--quiet"}) == 0);
  CHECK(err.str().empty());
  { std::ofstream(fs::path(folder) / "notes.txt") << "mine"; }
  CHECK(run({"--force"}) == 2);
  CHECK(fs::exists(fs::path(folder) / "notes.txt"));
  err.str("");
  CHECK(run({"--segments", "smb,retail"}, (root / "other").string()) == 2);
  CHECK(err.str().find("`retail` is not a segment") != std::string::npos);
  CHECK(run({"--currency", "XYZ"}, (root / "other").string()) == 2);
  CHECK(run({"--start", "2024-02-30"}, (root / "other").string()) == 2);
  CHECK_FALSE(fs::exists(root / "other"));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(root)) ++entries;
  CHECK(entries == 1);  // no temporary folder left behind
  fs::remove_all(root);
}

}  // namespace
}  // namespace recoup::runtime
