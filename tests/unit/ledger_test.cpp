// Ledger loading: values, column order, attributes, date formats, every
// validation rule, skip_bad_rows, the memory budget, and the corpus of
// broken ledgers under tests/ledgers/ (expected.txt per case; rewrite them
// with RECOUP_UPDATE_GOLDEN=1).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "runtime/ledger_loader.h"
#include "tests/unit/memory_ledger.h"

#ifndef RECOUP_SOURCE_DIR
#define RECOUP_SOURCE_DIR "."
#endif

namespace recoup::runtime {
namespace {

using Files = std::map<std::string, std::string>;

LedgerLoadResult Load(const Files& files, LedgerOptions options = {}) {
  return LoadLedger("l", options, testing::MemoryFileReader(files));
}

const std::string kInvoices =
    "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
    "INV-1,ACME,2026-01-05,2026-02-04,1250.50,USD\n"
    "INV-2,ACME,2026-01-10,2026-02-09,-100,USD\n"
    "INV-3,Globex,2026-01-12,2026-02-11,30000,JPY\n";
const std::string kPayments =
    "invoice_id,date,amount\n"
    "INV-1,2026-02-20,250.50\n"
    "INV-3,2026-02-01,30000\n"
    "INV-1,2026-02-10,1000\n";

std::string Text(const LedgerLoadResult& result) { return RenderLedgerDiagnostics(result); }

TEST_CASE("a good ledger loads with the right values", "[runtime][ledger]") {
  Files files{{"l/invoices.csv", kInvoices}, {"l/payments.csv", kPayments}};
  LedgerLoadResult result = Load(files);
  INFO(Text(result));
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  REQUIRE(ledger.invoices.size() == 3);
  CHECK(ledger.invoice_ids.Get(0) == "INV-1");
  CHECK(ledger.invoices.amount_minor[0] == 125050);
  CHECK(InfoOf(ledger.invoices.currency[0]).code == "USD");
  CHECK(ledger.invoices.issue_date[0] == *Date::ParseIso("2026-01-05"));
  CHECK(ledger.invoices.due_date[0] == *Date::ParseIso("2026-02-04"));
  // A negative amount is a credit note: kept and marked.
  CHECK(ledger.invoices.amount_minor[1] == -10000);
  CHECK(ledger.invoices.IsCreditNote(1));
  CHECK_FALSE(ledger.invoices.IsCreditNote(0));
  // Mixed currencies: each invoice in its own, JPY with no decimals.
  CHECK(InfoOf(ledger.invoices.currency[2]).code == "JPY");
  CHECK(ledger.invoices.amount_minor[2] == 30000);
  // Customers come from invoices.csv when customers.csv is absent.
  CHECK(ledger.customer_ids.size() == 2);
  CHECK(ledger.invoices.customer[0] == ledger.invoices.customer[1]);
  CHECK(ledger.texts.Get(ledger.customers.segment[0]) == "");
  // Payments sorted by (invoice, date) with per-invoice ranges.
  CHECK(ledger.payments.ranges.begin(0) == 0);
  CHECK(ledger.payments.ranges.end(0) == 2);
  CHECK(ledger.payments.date[0] == *Date::ParseIso("2026-02-10"));
  CHECK(ledger.payments.amount_minor[0] == 100000);
  CHECK(ledger.payments.amount_minor[1] == 25050);
  CHECK(ledger.payments.ranges.begin(1) == ledger.payments.ranges.end(1));
  CHECK(ledger.payments.amount_minor[2] == 30000);
  // Absent optional files give empty ranges over every invoice.
  CHECK(ledger.disputes.ranges.offsets.size() == 4);
  CHECK(ledger.actions.ranges.end(2) == 0);
  CHECK(result.diagnostics.empty());
}

TEST_CASE("columns come in any order, names case-insensitive and trimmed", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "\xEF\xBB\xBF Currency ,AMOUNT,due_date,Issue_Date,customer_id,invoice_id\r\n"
               "EUR,99.9,2026-03-31,2026-03-01,C1,A\r\n"},
              {"l/payments.csv", "amount,Date,INVOICE_ID\r\n\"99.90\",2026-03-15,A\r\n"}};
  LedgerLoadResult result = Load(files);
  INFO(Text(result));
  REQUIRE(result.ok());
  CHECK(result.ledger->invoices.amount_minor[0] == 9990);
  CHECK(result.ledger->payments.amount_minor[0] == 9990);
}

TEST_CASE("extra columns become attributes, stored per column", "[runtime][ledger]") {
  Files files{{"l/customers.csv", "customer_id,segment,country\nC1,strategic,DE\nC2,smb,\"US, east\"\n"},
              {"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency,region,po_number\n"
               "A,C2,2026-01-01,2026-01-31,10,USD,west,PO-1\n"
               "B,C1,2026-01-01,2026-01-31,10,USD,west,\n"},
              {"l/payments.csv", "invoice_id,date,amount\n"}};
  LedgerLoadResult result = Load(files);
  INFO(Text(result));
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  REQUIRE(ledger.invoices.attributes.names == std::vector<std::string>{"region", "po_number"});
  std::size_t po = *ledger.invoices.attributes.Find("po_number");
  CHECK(ledger.texts.Get(ledger.invoices.attributes.values[po][0]) == "PO-1");
  CHECK(ledger.texts.Get(ledger.invoices.attributes.values[po][1]) == "");
  std::size_t region = *ledger.invoices.attributes.Find("region");
  CHECK(ledger.invoices.attributes.values[region][0] == ledger.invoices.attributes.values[region][1]);
  CHECK(ledger.customers.attributes.names == std::vector<std::string>{"country"});
  std::uint32_t customer_a = ledger.invoices.customer[0];
  CHECK(ledger.customer_ids.Get(customer_a) == "C2");
  CHECK(ledger.texts.Get(ledger.customers.segment[customer_a]) == "smb");
  CHECK(ledger.texts.Get(ledger.customers.attributes.values[0][customer_a]) == "US, east");
}

TEST_CASE("fields with doubled quotes stay intact while rows are read ahead", "[runtime][ledger]") {
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency,note\n";
  std::string payments = "invoice_id,date,amount\n";
  for (int i = 0; i < 40; ++i) {
    std::string n = std::to_string(i);
    invoices += "\"I \"\"" + n + "\"\"\",C,2026-01-01,2026-02-01," + n + ",USD,\"say \"\"" + n + "\"\"\"\n";
    payments += "\"I \"\"" + n + "\"\"\",2026-01-15,1\n";
  }
  LedgerLoadResult result = Load(Files{{"l/invoices.csv", invoices}, {"l/payments.csv", payments}});
  INFO(Text(result));
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  REQUIRE(ledger.invoices.size() == 40);
  CHECK(ledger.invoice_ids.Get(17) == "I \"17\"");
  CHECK(ledger.texts.Get(ledger.invoices.attributes.values[0][17]) == "say \"17\"");
  CHECK(ledger.invoices.amount_minor[39] == 3900);
  CHECK(ledger.payments.ranges.end(39) - ledger.payments.ranges.begin(39) == 1);
}

TEST_CASE("US and EU date formats", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\nA,C,1/5/2026,02/04/2026,10,USD\n"},
              {"l/payments.csv", "invoice_id,date,amount\nA,2/20/2026,10\n"}};
  LedgerOptions us;
  us.date_format = DateFormat::Us;
  LedgerLoadResult result = Load(files, us);
  INFO(Text(result));
  REQUIRE(result.ok());
  CHECK(result.ledger->invoices.issue_date[0] == *Date::ParseIso("2026-01-05"));
  CHECK(result.ledger->invoices.due_date[0] == *Date::ParseIso("2026-02-04"));
  CHECK(ParseLedgerDate("31/01/2026", DateFormat::Eu) == Date::ParseIso("2026-01-31"));
  CHECK_FALSE(ParseLedgerDate("01/31/2026", DateFormat::Eu));
  CHECK_FALSE(ParseLedgerDate("2026-01-31", DateFormat::Us));
  CHECK(ParseDateFormat("us") == DateFormat::Us);
  CHECK_FALSE(ParseDateFormat("US"));
  // The same files read as ISO: a plain error with a hint.
  LedgerLoadResult iso = Load(files);
  CHECK_FALSE(iso.ok());
  CHECK(Text(iso).find("l/invoices.csv:2:5: error[L0010]: `1/5/2026` is not a date; expected YYYY-MM-DD") !=
        std::string::npos);
}

TEST_CASE("2026-02-30 is an error at its column", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\nA,C,2026-02-01,2026-02-30,10,USD\n"},
              {"l/payments.csv", "invoice_id,date,amount\n"}};
  LedgerLoadResult result = Load(files);
  CHECK_FALSE(result.ok());
  CHECK(Text(result) ==
        "l/invoices.csv:2:16: error[L0010]: `2026-02-30` is not a day of the calendar\n"
        "   2 | A,C,2026-02-01,2026-02-30,10,USD\n"
        "     |                ^^^^^^^^^^\n");
}

TEST_CASE("validation errors name file, line and column", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
               "A,C,2026-02-01,2026-01-01,10,USD\n"      // due before issue
               "B,C,2026-02-01,2026-03-01,10.001,USD\n"  // too many decimals
               "C,C,2026-02-01,2026-03-01,10,USX\n"      // unknown currency
               "D,C,2026-02-01,2026-03-01,1O,USD\n"      // not a number
               "E,,2026-02-01,2026-03-01,10,USD\n"       // empty field
               "F,C,2026-02-01,2026-03-01,10,USD\n"
               "F,C,2026-02-01,2026-03-01,10,USD\n"},  // duplicate
              {"l/payments.csv",
               "invoice_id,date,amount,currency\n"
               "F,2026-01-15,5,USD\n"  // before issue
               "Z,2026-02-15,5,\n"     // unknown invoice
               "F,2026-02-15,0,\n"     // not positive
               "F,2026-02-15,5,EUR\n"  // currency mismatch
               "A,2026-02-15,5,\n"},   // invoice rejected: not reported again
              {"l/disputes.csv", "invoice_id,opened,resolved\nF,2026-02-10,2026-02-05\nF,2026-02-10,\n"}};
  LedgerLoadResult result = Load(files);
  CHECK_FALSE(result.ok());
  std::vector<std::string> heads;
  for (const LedgerDiagnostic& d : result.diagnostics) {
    heads.push_back(d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + " " +
                    std::string(CodeOf(d.problem)) + " " + d.message);
  }
  CHECK(heads ==
        std::vector<std::string>{
            "l/invoices.csv:2:16 L0016 the due date 2026-01-01 is before the issue date 2026-02-01",
            "l/invoices.csv:3:27 L0009 `10.001` has 3 decimals but USD has 2; amounts are never rounded",
            "l/invoices.csv:4:30 L0011 `USX` is not an ISO 4217 currency code",
            "l/invoices.csv:5:27 L0008 `1O` is not a number",
            "l/invoices.csv:6:3 L0007 `customer_id` is empty; every row needs one",
            "l/invoices.csv:8:1 L0012 invoice `F` is already defined on line 7",
            "l/payments.csv:2:3 L0015 payment dated 2026-01-15, before invoice `F` was issued on 2026-02-01",
            "l/payments.csv:3:1 L0013 payment for invoice `Z`, which invoices.csv does not have",
            "l/payments.csv:4:14 L0017 a payment must be more than zero, not 0",
            "l/payments.csv:5:16 L0018 payment in EUR for invoice `F`, which is in USD",
            "l/disputes.csv:2:14 L0019 the dispute is resolved on 2026-02-05, before it was opened on 2026-02-10",
        });
  CHECK(result.error_count == 11);
}

TEST_CASE("skip_bad_rows loads the rest and counts skipped rows by reason", "[runtime][ledger]") {
  Files files{{"l/invoices.csv",
               "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
               "A,C,2026-02-01,2026-01-01,10,USD\n"
               "B,C,2026-02-01,2026-03-01,10,USD\n"
               "C,C,2026-02-30,2026-03-01,10,USD\n"
               "D,C,2026-02-01,2026-03-01,10,USD,extra\n"},
              {"l/payments.csv", "invoice_id,date,amount\nA,2026-02-15,5\nB,2026-02-15,5\nB,2026-02-16,-5\n"}};
  LedgerOptions options;
  options.skip_bad_rows = true;
  LedgerLoadResult result = Load(files, options);
  INFO(Text(result));
  REQUIRE(result.ok());
  CHECK(result.ledger->invoices.size() == 1);
  CHECK(result.ledger->payments.date.size() == 1);
  CHECK(result.error_count == 0);
  CHECK(result.warning_count == 5);
  REQUIRE(result.skipped.size() == 5);
  CHECK(result.skipped[0].file == "invoices.csv");
  CHECK(result.skipped[0].problem == LedgerProblem::WrongFieldCount);
  CHECK(result.skipped[1].problem == LedgerProblem::InvalidDate);
  CHECK(result.skipped[2].problem == LedgerProblem::DueBeforeIssue);
  CHECK(result.skipped[3].file == "payments.csv");
  CHECK(result.skipped[3].problem == LedgerProblem::UnknownInvoice);
  CHECK(result.skipped[4].problem == LedgerProblem::NonPositiveAmount);
  std::string text = Text(result);
  CHECK(text.find("l/payments.csv:2:1: warning[L0013]: payment for invoice `A`, whose row in invoices.csv was "
                  "skipped") != std::string::npos);
  CHECK(text.find("skipped 5 bad rows:\n  invoices.csv: 1 row [L0004 WrongFieldCount]\n") != std::string::npos);
}

TEST_CASE("file-level problems fail the load even with skip_bad_rows", "[runtime][ledger]") {
  LedgerOptions options;
  options.skip_bad_rows = true;
  LedgerLoadResult missing = Load(Files{{"l/invoices.csv", kInvoices}}, options);
  CHECK_FALSE(missing.ok());
  CHECK(Text(missing) == "l/payments.csv: error[L0001]: the ledger has no payments.csv; it is required\n");
  LedgerLoadResult semicolons =
      Load(Files{{"l/invoices.csv", "invoice_id;customer_id;issue_date;due_date;amount;currency\n"},
                 {"l/payments.csv", "invoice_id,date,amount\n"}},
           options);
  CHECK_FALSE(semicolons.ok());
  CHECK(Text(semicolons).find("= help: the file seems to use `;` as separator; Recoup reads comma-separated files") !=
        std::string::npos);
}

TEST_CASE("past the limit, problems are only counted", "[runtime][ledger]") {
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  for (int i = 0; i < 150; ++i) invoices += "I" + std::to_string(i) + ",C,2026-01-01,2026-02-01,1.001,USD\n";
  LedgerLoadResult result = Load(Files{{"l/invoices.csv", invoices}, {"l/payments.csv", "invoice_id,date,amount\n"}});
  CHECK(result.diagnostics.size() == 100);
  CHECK(result.unreported == 50);
  CHECK(result.error_count == 150);
  CHECK(Text(result).find("\nand 50 more problems\n") != std::string::npos);
}

TEST_CASE("adjustments, promises and actions load sorted per invoice", "[runtime][ledger]") {
  Files files{
      {"l/invoices.csv", kInvoices},
      {"l/payments.csv", "invoice_id,date,amount\n"},
      {"l/adjustments.csv",
       "invoice_id,date,amount,kind\nINV-1,2026-03-10,40,fee\nINV-1,2026-03-01,5.5,interest\n"
       "INV-3,2026-03-01,100,write_off\nINV-3,2026-03-02,1,refund\n"},
      {"l/promises.csv", "invoice_id,made,promised\nINV-1,2026-02-10,2026-02-28\nINV-1,2026-02-10,2026-02-01\n"},
      {"l/actions.csv", "invoice_id,date,action\nINV-3,2026-02-20,call\nINV-3,2026-02-12,email\n"}};
  LedgerLoadResult result = Load(files);
  std::string text = Text(result);
  CHECK(text.find("l/adjustments.csv:5:20: error[L0021]: `refund` is not a kind of adjustment") != std::string::npos);
  CHECK(text.find("l/promises.csv:3:18: error[L0020]: the promise made on 2026-02-10 is to pay by 2026-02-01") !=
        std::string::npos);
  files["l/adjustments.csv"].erase(files["l/adjustments.csv"].find("INV-3,2026-03-02"));
  files["l/promises.csv"].erase(files["l/promises.csv"].rfind("INV-1"));
  result = Load(files);
  INFO(Text(result));
  REQUIRE(result.ok());
  const Ledger& ledger = *result.ledger;
  CHECK(ledger.adjustments.kind[0] == AdjustmentKind::Interest);
  CHECK(ledger.adjustments.amount_minor[0] == 550);
  CHECK(ledger.adjustments.kind[1] == AdjustmentKind::Fee);
  CHECK(ledger.adjustments.ranges.begin(2) == 2);
  CHECK(ledger.adjustments.kind[2] == AdjustmentKind::WriteOff);
  CHECK(ledger.promises.promised[0] == *Date::ParseIso("2026-02-28"));
  CHECK(ledger.texts.Get(ledger.actions.action[ledger.actions.ranges.begin(2)]) == "email");
}

TEST_CASE("a 100,000-invoice ledger stays well under 200 bytes an invoice", "[runtime][ledger]") {
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency,region\n";
  std::string payments = "invoice_id,date,amount\n";
  for (int i = 0; i < 100000; ++i) {
    std::string id = "INV-" + std::to_string(1000000 + i);
    invoices += id + ",CUST-" + std::to_string(i % 5000) + ",2025-01-15,2025-02-14," + std::to_string(100 + i % 900) +
                ".25,EUR,r" + std::to_string(i % 7) + "\n";
    payments += id + ",2025-03-01," + std::to_string(100 + i % 900) + ".25\n";
  }
  LedgerLoadResult result = Load(Files{{"l/invoices.csv", invoices}, {"l/payments.csv", payments}});
  REQUIRE(result.ok());
  double per_invoice = static_cast<double>(result.ledger->MemoryBytes()) / 100000.0;
  INFO("bytes per invoice: " << per_invoice);
  CHECK(per_invoice < 100.0);
}

// The corpus: each folder under tests/ledgers/ is a ledger; `options.txt`
// (optional) holds `skip_bad_rows` and/or `date_format=us|eu` lines;
// `expected.txt` holds the rendered diagnostics and a last `result:` line.
std::string RunCase(const std::filesystem::path& folder, const std::string& relative) {
  LedgerOptions options;
  std::ifstream options_file(folder / "options.txt");
  for (std::string line; std::getline(options_file, line);) {
    if (line == "skip_bad_rows") options.skip_bad_rows = true;
    if (line.rfind("date_format=", 0) == 0) options.date_format = *ParseDateFormat(line.substr(12));
  }
  FileReader reader = [&](const std::string& path) {
    return ReadFileFromDisk(std::string(RECOUP_SOURCE_DIR) + "/" + path);
  };
  LedgerLoadResult result = LoadLedger(relative, options, reader);
  std::string out = RenderLedgerDiagnostics(result);
  if (!out.empty()) out += '\n';
  if (result.ok()) {
    out += "result: loaded " + std::to_string(result.ledger->invoices.size()) + " invoices, " +
           std::to_string(result.ledger->payments.date.size()) + " payments\n";
  } else {
    out += "result: failed with " + std::to_string(result.error_count) +
           (result.error_count == 1 ? " error\n" : " errors\n");
  }
  return out;
}

TEST_CASE("the corpus of broken ledgers gives the expected messages", "[runtime][ledger][golden]") {
  const std::filesystem::path root = std::filesystem::path(RECOUP_SOURCE_DIR) / "tests" / "ledgers";
  std::vector<std::filesystem::path> cases;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  CHECK(cases.size() >= 20);
  const char* update = std::getenv("RECOUP_UPDATE_GOLDEN");
  std::string all_output;
  for (const auto& folder : cases) {
    std::string relative = "tests/ledgers/" + folder.filename().string();
    std::string actual = RunCase(folder, relative);
    all_output += actual;
    if (update && std::string(update) == "1") {
      std::ofstream(folder / "expected.txt", std::ios::binary) << actual;
      continue;
    }
    std::ifstream expected_file(folder / "expected.txt", std::ios::binary);
    std::stringstream expected;
    expected << expected_file.rdbuf();
    INFO("case " << relative << " (RECOUP_UPDATE_GOLDEN=1 rewrites expected.txt)");
    CHECK(actual == expected.str());
  }
  // Every problem code is shown by at least one case.
  for (std::size_t i = 0; i < static_cast<std::size_t>(LedgerProblem::kCount); ++i) {
    std::string code = "[" + std::string(CodeOf(static_cast<LedgerProblem>(i))) + "]";
    INFO("no case in tests/ledgers/ produces " << code);
    CHECK(all_output.find(code) != std::string::npos);
  }
}

}  // namespace
}  // namespace recoup::runtime
