// A ledger with ten million invoice rows, one of them bad near the end
// (issue #9): the loader must name that row's file, line and column, load
// nothing by default, and with skip_bad_rows load every other row and count
// the one it left out. Generated in memory so the test needs no disk space.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "runtime/ledger_loader.h"

namespace recoup::runtime {
namespace {

constexpr std::size_t kRows = 10'000'000;
constexpr std::size_t kBadRow = kRows - 7;  // 0-based; its line is kBadRow + 2 (after the header)

// invoices.csv with kRows rows; row kBadRow has the day 2026-02-30.
std::string TenMillionInvoices() {
  std::string text;
  text.reserve(kRows * 48);
  text += "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  for (std::size_t row = 0; row < kRows; ++row) {
    const char* due = row == kBadRow ? "2026-02-30" : "2026-02-14";
    fmt::format_to(std::back_inserter(text), "I{},C{},2026-01-15,{},{}.{:02},EUR\n", row, row % 50'000, due,
                   100 + row % 9'000, row % 100);
  }
  return text;
}

FileReader Reader() {
  return [](const std::string& path) {
    FileContents contents;
    if (path == "big/invoices.csv") {
      contents.status = FileContents::Status::Read;
      contents.bytes = TenMillionInvoices();
    } else if (path == "big/payments.csv") {
      contents.status = FileContents::Status::Read;
      contents.bytes = "invoice_id,date,amount\nI0,2026-02-01,100.00\nI9999999,2026-02-20,50.00\n";
    }
    return contents;
  };
}

TEST_CASE("ten million rows with one bad row near the end", "[hostile][ledger][large]") {
  const std::string expected_place = fmt::format("big/invoices.csv:{}:", kBadRow + 2);

  SECTION("by default the bad row is reported with its place and nothing is loaded") {
    LedgerLoadResult result = LoadLedger("big", LedgerOptions{}, Reader());
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.error_count == 1);
    REQUIRE(result.diagnostics.size() == 1);
    const LedgerDiagnostic& problem = result.diagnostics.front();
    CHECK(problem.problem == LedgerProblem::InvalidDate);
    CHECK(problem.line == kBadRow + 2);
    CHECK(problem.column == fmt::format("I{},C{},2026-01-15,", kBadRow, kBadRow % 50'000).size() + 1);
    std::string text = RenderLedgerDiagnostics(result);
    INFO(text);
    CHECK(text.find(expected_place) != std::string::npos);
    CHECK(text.find("2026-02-30") != std::string::npos);
  }

  SECTION("with skip_bad_rows every other row loads and the skipped one is counted") {
    LedgerOptions options;
    options.skip_bad_rows = true;
    LedgerLoadResult result = LoadLedger("big", options, Reader());
    INFO(RenderLedgerDiagnostics(result));
    REQUIRE(result.ok());
    CHECK(result.ledger->invoices.size() == kRows - 1);
    CHECK(result.ledger->payments.date.size() == 2);
    REQUIRE(result.skipped.size() == 1);
    CHECK(result.skipped.front().problem == LedgerProblem::InvalidDate);
    CHECK(result.skipped.front().count == 1);
    CHECK(result.warning_count == 1);
    CHECK_FALSE(result.ledger->invoice_ids.Find(fmt::format("I{}", kBadRow)).has_value());
    CHECK(result.ledger->invoice_ids.Find(fmt::format("I{}", kRows - 1)).has_value());
  }
}

}  // namespace
}  // namespace recoup::runtime
