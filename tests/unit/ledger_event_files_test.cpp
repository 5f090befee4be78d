// Problems in several event files: reported in file order, then line
// order; the limit on kept diagnostics keeps the first in that order; the
// counts and the skipped rows per file; and a good ledger's event tables
// come out the same on every load.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "runtime/ledger_loader.h"
#include "tests/unit/memory_ledger.h"

namespace recoup::runtime {
namespace {

using Files = std::map<std::string, std::string>;

LedgerLoadResult Load(const Files& files, LedgerOptions options = {}) {
  return LoadLedger("l", options, testing::MemoryFileReader(files));
}

// One problem per row in every event file: an unknown invoice in
// payments.csv, adjustments.csv and actions.csv, a bad date in
// disputes.csv and promises.csv; `rows` rows each.
Files BrokenEvents(int rows) {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\nA,C,2026-01-01,2026-02-01,100,USD\n"}};
  std::string payments = "invoice_id,date,amount\n", adjustments = "invoice_id,date,amount,kind\n",
              disputes = "invoice_id,opened,resolved\n", promises = "invoice_id,made,promised\n",
              actions = "invoice_id,date,action\n";
  for (int i = 0; i < rows; ++i) {
    payments += "P" + std::to_string(i) + ",2026-02-10,5\n";
    adjustments += "J" + std::to_string(i) + ",2026-02-10,5,fee\n";
    disputes += "A,2026-02-3" + std::to_string(2 + i % 7) + ",\n";
    promises += "A,2026-13-01,2026-02-20\n";
    actions += "X" + std::to_string(i) + ",2026-02-10,email\n";
  }
  files["l/payments.csv"] = payments;
  files["l/adjustments.csv"] = adjustments;
  files["l/disputes.csv"] = disputes;
  files["l/promises.csv"] = promises;
  files["l/actions.csv"] = actions;
  return files;
}

TEST_CASE("ledger: the event files' problems come in file order, then line order", "[runtime][ledger]") {
  LedgerLoadResult result = Load(BrokenEvents(3));
  CHECK_FALSE(result.ok());
  REQUIRE(result.diagnostics.size() == 15);
  CHECK(result.error_count == 15);
  CHECK(result.unreported == 0);
  const char* files[] = {"l/payments.csv", "l/adjustments.csv", "l/disputes.csv", "l/promises.csv", "l/actions.csv"};
  for (std::size_t k = 0; k < result.diagnostics.size(); ++k) {
    INFO(k);
    CHECK(result.diagnostics[k].file == files[k / 3]);
    CHECK(result.diagnostics[k].line == 2 + k % 3);
  }
  const std::string text = RenderLedgerDiagnostics(result);
  CHECK(text.find("l/payments.csv:2:1: error[L0013]") == 0);
  CHECK(text.find("l/actions.csv:4:1: error[L0013]") != std::string::npos);
}

TEST_CASE("ledger: past the limit, the problems kept are the first in file order", "[runtime][ledger]") {
  LedgerOptions options;
  options.max_diagnostics = 5;
  // payments.csv alone has more than the limit: nothing of the others is kept.
  LedgerLoadResult many = Load(BrokenEvents(7), options);
  REQUIRE(many.diagnostics.size() == 5);
  for (const LedgerDiagnostic& diagnostic : many.diagnostics) CHECK(diagnostic.file == "l/payments.csv");
  CHECK(many.diagnostics.back().line == 6);
  CHECK(many.unreported == 30);
  CHECK(many.error_count == 35);
  // Two rows a file: payments.csv's two, adjustments.csv's two, then disputes.csv's first.
  LedgerLoadResult few = Load(BrokenEvents(2), options);
  REQUIRE(few.diagnostics.size() == 5);
  CHECK(few.diagnostics[0].file == "l/payments.csv");
  CHECK(few.diagnostics[2].file == "l/adjustments.csv");
  CHECK(few.diagnostics[4].file == "l/disputes.csv");
  CHECK(few.diagnostics[4].line == 2);
  CHECK(few.unreported == 5);
  CHECK(RenderLedgerDiagnostics(few).find("\nand 5 more problems\n") != std::string::npos);
}

TEST_CASE("ledger: skipped rows are counted per event file", "[runtime][ledger]") {
  LedgerOptions options;
  options.skip_bad_rows = true;
  LedgerLoadResult result = Load(BrokenEvents(4), options);
  INFO(RenderLedgerDiagnostics(result));
  REQUIRE(result.ok());
  CHECK(result.warning_count == 20);
  CHECK(result.error_count == 0);
  REQUIRE(result.skipped.size() == 5);
  const char* files[] = {"payments.csv", "adjustments.csv", "disputes.csv", "promises.csv", "actions.csv"};
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(result.skipped[k].file == files[k]);
    CHECK(result.skipped[k].count == 4);
  }
  CHECK(result.ledger->payments.date.empty());
  CHECK(result.ledger->payments.ranges.offsets.size() == 2);
}

TEST_CASE("ledger: a good ledger's event tables are the same on every load", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
               "A,C,2026-01-01,2026-02-01,100,USD\nB,D,2026-01-02,2026-02-02,50,USD\n"},
              {"l/payments.csv", "invoice_id,date,amount\nB,2026-02-10,20\nA,2026-02-03,100\nB,2026-02-05,30\n"},
              {"l/adjustments.csv", "invoice_id,date,amount,kind\nB,2026-02-06,4,fee\n"},
              {"l/actions.csv", "invoice_id,date,action\nB,2026-02-09,call\nA,2026-02-02,email\n"}};
  {
    LedgerLoadResult result = Load(files);
    REQUIRE(result.ok());
    const Ledger& ledger = *result.ledger;
    REQUIRE(ledger.payments.date.size() == 3);
    CHECK(ledger.payments.ranges.begin(1) == 1);
    CHECK(ledger.payments.date[1] == *Date::ParseIso("2026-02-05"));
    CHECK(ledger.payments.amount_minor[2] == 2000);
    CHECK(ledger.adjustments.ranges.begin(1) == 0);
    CHECK(ledger.texts.Get(ledger.actions.action[0]) == "email");
    CHECK(result.bytes_read == files["l/invoices.csv"].size() + files["l/payments.csv"].size() +
                                   files["l/adjustments.csv"].size() + files["l/actions.csv"].size());
  }
}

}  // namespace
}  // namespace recoup::runtime
