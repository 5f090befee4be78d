// One test case per rule of docs/semantics.md, each building its policy
// from source text through the real parser and checker, then running the
// reference interpreter. Every run also asserts money conservation.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "tests/unit/check_policy_text.h"
#include "tests/unit/memory_files.h"
#include "compiler/checker.h"
#include "compiler/interpreter.h"
#include "compiler/interpreter_test_facts.h"
#include "compiler/policy_test_runner.h"
#include "compiler/reference_interpreter.h"
#include "compiler/program.h"
#include "tools/recoup/driver.h"

namespace recoup::compiler {
namespace {

using runtime::Date;

using testing::MemoryFiles;

Date D(const char* iso) { return *Date::ParseIso(iso); }

runtime::CurrencyId Usd() { return *runtime::FindCurrency("USD"); }

runtime::Money Usd(std::int64_t cents) { return runtime::Money{cents, Usd()}; }

PolicyIr CheckPolicy(const std::string& body, const std::string& header = "policy \"Test\"\ncurrency USD\n") {
  return testing::CheckPolicyText(header + body);
}

// The standard invoice of docs/semantics.md: 12000 USD, issued Thursday
// 2026-01-01, due Saturday 2026-01-31.
SubjectFacts StandardInvoice() {
  SubjectFacts facts;
  facts.customer_id = "C-1";
  facts.invoices.push_back({"INV-1", D("2026-01-01"), D("2026-01-31"), Usd(1200000), {}});
  return facts;
}

InterpretResult RunPolicy(const PolicyIr& policy, const SubjectFacts& facts, std::int32_t horizon_days = 180) {
  InterpretResult result = Interpret(policy, facts, {DefaultHorizon(facts, horizon_days)});
  INFO("error: " << result.error.value_or("") << "; conservation: " << result.conservation_detail);
  REQUIRE(!result.error);
  REQUIRE(result.conservation_ok);
  return result;
}

// The dates on which the step with `index` fired.
std::vector<std::string> FiredOn(const InterpretResult& result, std::uint32_t index) {
  std::vector<std::string> dates;
  for (const Firing& firing : result.firings) {
    if (firing.cause.kind == Cause::Kind::Step && firing.cause.index == index) dates.push_back(firing.date.ToIso());
  }
  return dates;
}

std::optional<NotFiredReason> ReasonFor(const InterpretResult& result, std::uint32_t index) {
  for (const NotFired& entry : result.not_fired) {
    if (entry.cause.kind == Cause::Kind::Step && entry.cause.index == index) return entry.reason;
  }
  return std::nullopt;
}

using Dates = std::vector<std::string>;

TEST_CASE("1. nothing happens after the horizon", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 60d: letter \"late\"\nat due + 200d: write off\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(result.horizon == D("2026-07-30"));
  CHECK(FiredOn(result, 0) == Dates{"2026-04-01"});
  CHECK(ReasonFor(result, 1) == NotFiredReason::AfterHorizon);
}

TEST_CASE("2. payments come before the steps of the same day", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: letter \"late\"\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-03-02"), Usd(1200000)});
  InterpretResult result = RunPolicy(policy, facts);
  CHECK(result.firings.empty());
  CHECK(ReasonFor(result, 0) == NotFiredReason::SubjectSettled);
}

TEST_CASE("3. step dates: calendar days, weeks, business days, end of month", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "at due + 30d: email \"a\"\n"
      "at due + 2w: email \"b\"\n"
      "at due + 1bd: email \"c\"\n"
      "at due + 5bd: email \"d\"\n"
      "at due + 0bd: email \"e\"\n"
      "at due - 1bd: email \"f\"\n"
      "at end of month of due + 30d: email \"g\"\n"
      "at (end of month of due) + 5d: email \"h\"\n"
      "at due + 30d - 2bd: email \"i\"\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(FiredOn(result, 0) == Dates{"2026-03-02"});
  CHECK(FiredOn(result, 1) == Dates{"2026-02-14"});  // a Saturday: calendar offsets stay
  CHECK(FiredOn(result, 2) == Dates{"2026-02-02"});
  CHECK(FiredOn(result, 3) == Dates{"2026-02-06"});
  CHECK(FiredOn(result, 4) == Dates{"2026-02-02"});
  CHECK(FiredOn(result, 5) == Dates{"2026-01-30"});
  CHECK(FiredOn(result, 6) == Dates{"2026-03-31"});
  CHECK(FiredOn(result, 7) == Dates{"2026-02-05"});
  CHECK(FiredOn(result, 8) == Dates{"2026-02-26"});
}

TEST_CASE("3. business days skip the calendar's holidays", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 1bd: email \"a\"\nat due + 2d: email \"b\"\n",
                                "calendar example {\n weekend sat, sun\n holiday 2026-02-02 \"Day\"\n}\n"
                                "policy \"Test\"\ncurrency USD\ncalendar example\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(FiredOn(result, 0) == Dates{"2026-02-03"});
  CHECK(FiredOn(result, 1) == Dates{"2026-02-02"});
}

TEST_CASE("3. a step dated before the issue date is skipped", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due - 40d: email \"early\"\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(result.firings.empty());
  CHECK(ReasonFor(result, 0) == NotFiredReason::BeforeIssue);
}

TEST_CASE("3. a date already past when its anchor fires never fires", "[interpreter]") {
  PolicyIr policy = CheckPolicy("final: at due + 30d: letter \"final\"\nat final - 3d: email \"pre\"\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(ReasonFor(result, 1) == NotFiredReason::DatePassed);
}

TEST_CASE("3. promise anchors: the promised date, or never without a promise", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at promise + 1d: call\n");
  SubjectFacts facts = StandardInvoice();
  CHECK(ReasonFor(RunPolicy(policy, facts), 0) == NotFiredReason::NoPromise);
  facts.promises.push_back({"", D("2026-02-15"), D("2026-03-01")});
  CHECK(FiredOn(RunPolicy(policy, facts), 0) == Dates{"2026-03-02"});
}

TEST_CASE("4. a step skipped by its guard takes its chain with it", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "first: at due + 10d: email \"r\" if invoice.amount > 50000 USD\n"
      "second: at first + 10d: letter \"s\"\n"
      "at second + 10d: call\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(result.firings.empty());
  CHECK(ReasonFor(result, 0) == NotFiredReason::GuardFalse);
  CHECK(ReasonFor(result, 1) == NotFiredReason::AnchorNeverFired);
  CHECK(ReasonFor(result, 2) == NotFiredReason::AnchorNeverFired);
  REQUIRE(result.not_fired.front().guard_reads.size() == 1);
  CHECK(result.not_fired.front().guard_reads[0].name == "invoice.amount");
  CHECK(result.not_fired.front().guard_reads[0].value == "12000.00 USD");
}

TEST_CASE("4. a label anchor counts from the first firing, same day after its anchor", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at notice_step + 0d: task \"check\" queue \"q\"\nnotice_step: at due + 30d: letter \"l\"\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(FiredOn(result, 0) == Dates{"2026-03-02"});
  REQUIRE(result.firings.size() == 2);
  CHECK(result.firings[0].cause.index == 1);  // the anchor first
}

TEST_CASE("5. recurring steps: until and max", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "every 14d from due + 30d until due + 80d max 3 times: email \"a\"\n"
      "every 14d from due + 30d until due + 72d: email \"b\"\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(FiredOn(result, 0) == Dates{"2026-03-02", "2026-03-16", "2026-03-30"});
  CHECK(FiredOn(result, 1) == Dates{"2026-03-02", "2026-03-16", "2026-03-30"});  // 04-13 is the until date
}

TEST_CASE("5. recurring steps: a false guard skips one occurrence, max counts firings", "[interpreter]") {
  PolicyIr policy = CheckPolicy("every 7d from due + 7d max 2 times: email \"a\" if invoice.balance > 11000 USD\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-02-10"), Usd(200000)});
  InterpretResult result = RunPolicy(policy, facts);
  CHECK(FiredOn(result, 0) == Dates{"2026-02-07"});
}

TEST_CASE("5. until agency and until a label", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "every 10d from due + 10d until agency: email \"a\"\n"
      "every 7d from due + 7d until final: email \"b\"\n"
      "final: at due + 30d: letter \"f\"\n"
      "at due + 35d: agency \"X\" contingency 25%\n",
      "policy \"Test\"\ncurrency USD\nafter agency: continue\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(FiredOn(result, 0) == Dates{"2026-02-10", "2026-02-20", "2026-03-02"});
  CHECK(FiredOn(result, 1) == Dates{"2026-02-07", "2026-02-14", "2026-02-21", "2026-02-28"});
}

TEST_CASE("6. a dispute pause defers or skips", "[interpreter]") {
  SubjectFacts facts = StandardInvoice();
  facts.disputes.push_back({"", D("2026-02-10"), D("2026-02-20")});
  PolicyIr defer = CheckPolicy("pause on dispute: defer\nat due + 15d: letter \"l\"\n");
  CHECK(FiredOn(RunPolicy(defer, facts), 0) == Dates{"2026-02-20"});
  PolicyIr skip = CheckPolicy("pause on dispute: skip\nat due + 15d: letter \"l\"\n");
  InterpretResult skipped = RunPolicy(skip, facts);
  CHECK(skipped.firings.empty());
  CHECK(ReasonFor(skipped, 0) == NotFiredReason::PauseSkipped);
  facts.disputes[0].resolved.reset();
  CHECK(ReasonFor(RunPolicy(defer, facts), 0) == NotFiredReason::PausedUntilHorizon);
}

TEST_CASE("6. a promise pause covers made to promised + grace", "[interpreter]") {
  SubjectFacts facts = StandardInvoice();
  facts.promises.push_back({"", D("2026-02-01"), D("2026-02-25")});
  PolicyIr policy = CheckPolicy("pause on promise + 5d\nat due + 30d: letter \"l\"\n");
  CHECK(FiredOn(RunPolicy(policy, facts), 0) == Dates{"2026-03-03"});
  facts.promises[0].made.reset();  // made defaults to the due date
  CHECK(FiredOn(RunPolicy(policy, facts), 0) == Dates{"2026-03-03"});
}

TEST_CASE("7. payments settle fees, interest, principal by default, or in the chosen order", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: letter \"l\", fee 25 USD, interest 8% per year from due + 1d\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-03-15"), Usd(500000)});
  InterpretResult result = RunPolicy(policy, facts);
  const LedgerEvent* payment = nullptr;
  for (const LedgerEvent& event : result.ledger) {
    if (event.kind == LedgerEvent::Kind::Payment) payment = &event;
  }
  REQUIRE(payment != nullptr);
  CHECK(payment->to_fees == Usd(2500));
  CHECK(payment->to_interest == Usd(11047));
  CHECK(payment->to_principal == Usd(486453));
  CHECK(result.totals.principal == Usd(713547));

  PolicyIr principal_first =
      CheckPolicy("at due + 30d: letter \"l\", fee 25 USD, interest 8% per year from due + 1d\n",
                  "policy \"Test\"\ncurrency USD\npayments settle principal, interest, fees\n");
  InterpretResult other = RunPolicy(principal_first, facts);
  CHECK(other.totals.fees == Usd(2500));
  CHECK(other.totals.principal == Usd(700000));
}

TEST_CASE("7. overpayment is kept as unapplied", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 5d: fee 50 USD\nat due + 30d: letter \"l\"\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-02-10"), Usd(1250000)});
  InterpretResult result = RunPolicy(policy, facts);
  CHECK(result.totals.unapplied == Usd(45000));
  CHECK(result.totals.open == Usd(0));
  CHECK(ReasonFor(result, 1) == NotFiredReason::SubjectSettled);
}

TEST_CASE("8. fees: percentage of balance clamped, half-even rounding", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "at due + 10d: fee 2% of balance min 25 USD max 200 USD\n"
      "at due + 20d: fee 0.1% of balance min 25 USD\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(result.firings[0].actions[0].amount == Usd(20000));
  CHECK(result.firings[1].actions[0].amount == Usd(2500));

  PolicyIr rounding = CheckPolicy("at due + 10d: fee 0.125% of amount\nat due + 20d: fee 0.15% of amount\n");
  SubjectFacts small = StandardInvoice();
  small.invoices[0].amount = Usd(1000);
  InterpretResult rounded = RunPolicy(rounding, small);
  CHECK(rounded.firings[0].actions[0].amount == Usd(1));  // 0.0125 -> 0.01
  CHECK(rounded.firings[1].actions[0].amount == Usd(2));  // 0.015 -> 0.02
}

TEST_CASE("9. interest: Actual/365 on principal, posted per period and at the horizon", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 1d: interest 8% per year\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  CHECK(result.totals.interest_charged == Usd(47079));  // 12000 x 8% x 179 / 365

  SubjectFacts leap;
  leap.invoices.push_back({"L", D("2028-01-01"), D("2028-01-31"), Usd(3650000), {}});
  PolicyIr ten = CheckPolicy("at due + 1d: interest 10% per year\n");
  CHECK(RunPolicy(ten, leap, 60).totals.interest_charged == Usd(59000));  // 59 days x 10.00
}

TEST_CASE("9. retroactive interest splits at earlier payments", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: interest 8% per year from due + 1d\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-02-15"), Usd(200000)});
  InterpretResult result = RunPolicy(policy, facts, 44);  // horizon 2026-03-16
  // 12000 x 8% x 14 / 365 = 36.82, then 10000 x 8% x 29 / 365 = 63.56
  CHECK(result.totals.interest_charged == Usd(3682 + 6356));
}

TEST_CASE("9. a guard sees accrued interest without posting it", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 1d: interest 8% per year\nat due + 31d: call if invoice.balance > 12078 USD\n");
  InterpretResult result = RunPolicy(policy, StandardInvoice());
  // 30 days: 12000 x 8% x 30 / 365 = 78.90, so the balance is 12078.90
  CHECK(FiredOn(result, 1) == Dates{"2026-03-03"});
  CHECK(result.totals.interest_charged == Usd(47079));  // unchanged by the look
}

TEST_CASE("10. stop rules run on event days, then end the subject", "[interpreter]") {
  PolicyIr policy = CheckPolicy("stop when invoice.balance < 50 USD: write off\nat due + 30d: letter \"l\"\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-02-20"), Usd(1197000)});
  InterpretResult result = RunPolicy(policy, facts);
  REQUIRE(result.firings.size() == 1);
  CHECK(result.firings[0].cause.kind == Cause::Kind::Stop);
  CHECK(result.totals.written_off == Usd(3000));
  CHECK(ReasonFor(result, 0) == NotFiredReason::SubjectStopped);
}

TEST_CASE("10. stop when paid runs its actions the day the invoice is settled", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: hold credit\nstop when paid: release credit\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-03-10"), Usd(1200000)});
  InterpretResult result = RunPolicy(policy, facts);
  REQUIRE(result.firings.size() == 2);
  CHECK(result.firings[1].date == D("2026-03-10"));
  CHECK(result.firings[1].actions[0].kind == ActionKind::ReleaseCredit);
}

TEST_CASE("11. agency stops the policy's steps unless it says continue, write-off closes", "[interpreter]") {
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-05-01"), Usd(300000)});
  PolicyIr stop = CheckPolicy("at due + 60d: agency \"A\" contingency 30%\nat due + 90d: letter \"f\"\n");
  InterpretResult stopped = RunPolicy(stop, facts);
  CHECK(ReasonFor(stopped, 1) == NotFiredReason::SubjectPlaced);
  CHECK(stopped.totals.applied == Usd(300000));
  PolicyIr go_on = CheckPolicy("at due + 60d: agency \"A\" contingency 30%\nat due + 90d: letter \"f\"\n",
                               "policy \"Test\"\ncurrency USD\nafter agency: continue\n");
  CHECK(FiredOn(RunPolicy(go_on, facts), 1) == Dates{"2026-05-01"});

  PolicyIr write_off = CheckPolicy("at due + 10d: fee 25 USD\nat due + 90d: write off\n");
  facts.payments[0].date = D("2026-06-01");
  InterpretResult written = RunPolicy(write_off, facts);
  CHECK(written.totals.written_off == Usd(1200000 + 2500));
  CHECK(written.totals.open == Usd(0));
  CHECK(written.totals.unapplied == Usd(300000));  // paid after the write-off
}

TEST_CASE("11. resume service and release credit undo only what was done, on both interpreters", "[interpreter]") {
  // Credit is held at due + 30d; service is suspended only above 20000 USD, so never.
  PolicyIr policy = CheckPolicy(
      "at due + 30d: hold credit\n"
      "at due + 35d: suspend service if invoice.balance > 20000 USD\n"
      "at due + 40d: release credit, email \"credit-released\"\n"
      "stop when paid: release credit, resume service\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-03-20"), Usd(1200000)});
  for (bool reference : {false, true}) {
    INFO((reference ? "reference interpreter" : "interpreter engine"));
    InterpretResult result = reference ? ReferenceInterpret(policy, facts, {DefaultHorizon(facts, 180)})
                                       : RunPolicy(policy, facts);
    REQUIRE(!result.error);
    std::vector<std::pair<std::string, ActionKind>> actions;
    for (const Firing& firing : result.firings) {
      for (const ActionRecord& action : firing.actions) actions.emplace_back(firing.date.ToIso(), action.kind);
    }
    // The release at due + 40d undoes the hold; the stop rule then has
    // nothing to release and nothing to resume: it fires with no action.
    CHECK(actions == std::vector<std::pair<std::string, ActionKind>>{{"2026-03-02", ActionKind::HoldCredit},
                                                                     {"2026-03-12", ActionKind::ReleaseCredit},
                                                                     {"2026-03-12", ActionKind::Email}});
    REQUIRE(result.firings.size() == 3);
    CHECK(result.firings.back().cause.kind == Cause::Kind::Stop);
    CHECK(result.firings.back().actions.empty());
    std::vector<std::string> notes;
    for (const LedgerEvent& event : result.ledger) {
      if (event.kind == LedgerEvent::Kind::Unneeded) notes.push_back(event.date.ToIso() + " " + event.detail);
    }
    CHECK(notes == std::vector<std::string>{
                       "2026-03-20 release credit: nothing to release, credit was not on hold",
                       "2026-03-20 resume service: nothing to resume, service was not suspended"});
  }
}

TEST_CASE("12. a customer subject follows its oldest open invoice", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "at due + 30d: letter \"statement\"\n"
      "at due + 45d: fee 40 USD\n"
      "at due + 60d: call if customer.open_invoices >= 2\n",
      "policy \"Test\"\ncurrency USD\nsubject customer\n");
  SubjectFacts facts;
  facts.invoices.push_back({"A", D("2026-01-01"), D("2026-01-31"), Usd(100000), {}});
  facts.invoices.push_back({"B", D("2026-01-29"), D("2026-02-28"), Usd(200000), {}});
  facts.invoices.push_back({"C", D("2026-03-01"), D("2026-03-31"), Usd(300000), {}});
  facts.payments.push_back({"A", D("2026-03-10"), Usd(100000)});
  facts.payments.push_back({"", D("2026-04-20"), Usd(250000)});
  InterpretResult result = RunPolicy(policy, facts);
  REQUIRE(FiredOn(result, 0) == Dates{"2026-03-02"});
  CHECK(result.firings[0].actions[0].invoices == std::vector<std::string>{"A", "B", "C"});
  CHECK(FiredOn(result, 1) == Dates{"2026-04-14"});  // B's due + 45d once A is paid
  CHECK(result.firings[1].actions[0].invoices == std::vector<std::string>{"B"});
  CHECK(ReasonFor(result, 2) == NotFiredReason::GuardFalse);
  CHECK(result.totals.open == Usd(254000));
}

// Found by the differential test's generator: with nothing open, the fee of
// a `stop when paid` rule had no invoice to go to and the interpreter
// dereferenced a null account.
TEST_CASE("12. a fee in `stop when paid` of a customer goes to its oldest invoice", "[interpreter]") {
  PolicyIr policy = CheckPolicy("stop when paid: fee 10 USD, fee 1% of amount, letter \"thanks\"\n",
                                "policy \"Test\"\ncurrency USD\nsubject customer\n");
  SubjectFacts facts;
  facts.invoices.push_back({"A", D("2026-01-01"), D("2026-01-31"), Usd(100000), {}});
  facts.invoices.push_back({"B", D("2026-01-10"), D("2026-02-28"), Usd(200000), {}});
  facts.payments.push_back({"", D("2026-02-10"), Usd(300000)});
  InterpretResult result = RunPolicy(policy, facts);
  REQUIRE(result.firings.size() == 1);
  CHECK(result.firings[0].date == D("2026-02-10"));
  REQUIRE(result.firings[0].actions.size() == 3);
  CHECK(result.firings[0].actions[0].invoices == std::vector<std::string>{"A"});
  CHECK(result.firings[0].actions[1].amount == Usd(1000));  // 1% of A's amount
  CHECK(result.totals.fees_charged == Usd(2000));
}

TEST_CASE("13. invoices in another currency are not covered", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: letter \"l\"\n");
  SubjectFacts facts = StandardInvoice();
  facts.invoices[0].amount.currency = *runtime::FindCurrency("EUR");
  InterpretResult result = Interpret(policy, facts, {DefaultHorizon(facts)});
  CHECK(result.firings.empty());
  REQUIRE(result.not_covered.size() == 1);
  CHECK(result.not_covered[0].invoice == "INV-1");
  CHECK(result.totals.amount == Usd(0));
}

TEST_CASE("14. the same input gives the same output", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: letter \"l\", fee 2% of balance, interest 8% per year\n");
  SubjectFacts facts = StandardInvoice();
  facts.payments.push_back({"", D("2026-04-01"), Usd(700000)});
  InterpretResult first = RunPolicy(policy, facts);
  InterpretResult second = RunPolicy(policy, facts);
  CHECK(first.totals.open == second.totals.open);
  CHECK(first.balances.size() == second.balances.size());
}

TEST_CASE("errors are values: a missing attribute is reported, not thrown", "[interpreter]") {
  PolicyIr policy = CheckPolicy("attribute customer.credit_limit: money\nat due + 30d: call if invoice.balance > customer.credit_limit\n");
  SubjectFacts facts = StandardInvoice();
  InterpretResult result = Interpret(policy, facts, {DefaultHorizon(facts)});
  REQUIRE(result.error);
  CHECK(result.error->find("customer.credit_limit") != std::string::npos);
}

TEST_CASE("a policy's own test block runs through the interpreter", "[interpreter]") {
  PolicyIr policy = CheckPolicy(
      "at due + 15d: notice \"statement\"\n"
      "at due + 30d: hold credit if customer.open_balance >= 1000 USD\n"
      "at due + 45d: call if customer.segment == \"strategic\"\n"
      "test \"several invoices\" {\n"
      "  invoice \"INV-1\" 1000 USD issued 2026-01-01 due 2026-01-31\n"
      "  invoice \"INV-2\" 2000 USD issued 2026-01-15 due 2026-02-14\n"
      "  customer segment = \"strategic\"\n"
      "  payment 500 USD on 2026-02-15 for \"INV-1\"\n"
      "  dispute from 2026-02-20 to 2026-03-01 for \"INV-2\"\n"
      "  horizon 90d\n"
      "  expect notice \"statement\" at 2026-02-15\n"
      "}\n",
      "policy \"Test\"\ncurrency USD\nsubject customer\n");
  REQUIRE(policy.tests.size() == 1);
  SubjectFacts facts = FactsFromTest(policy, policy.tests[0]);
  REQUIRE(facts.invoices.size() == 2);
  CHECK(facts.customer_attributes["segment"] == "strategic");
  CHECK(facts.payments.at(0).invoice == "INV-1");
  CHECK(facts.disputes.at(0).invoice == "INV-2");
  InterpretOptions options = OptionsFromTest(policy, policy.tests[0], facts);
  CHECK(options.horizon == D("2026-05-15"));  // INV-2 due + 90d
  InterpretResult result = Interpret(policy, facts, options);
  REQUIRE(!result.error);
  REQUIRE(result.conservation_ok);
  CHECK(FiredOn(result, 0) == Dates{"2026-02-15"});
  CHECK(FiredOn(result, 1) == Dates{"2026-03-02"});
  CHECK(FiredOn(result, 2) == Dates{"2026-03-17"});
}

TEST_CASE("the shipped examples pass their own tests under the interpreter", "[interpreter]") {
  const std::string root = RECOUP_SOURCE_DIR;
  language::RealFileSystem files(root);
  for (const char* path : {"examples/customer-suspension-ladder.recoup", "examples/email-letter-call.recoup",
                           "examples/fees-and-interest.recoup", "examples/final-notice-agency.recoup",
                           "examples/strategic-accounts.recoup"}) {
    if (!files.Read(path)) continue;
    language::SourceSet sources;
    language::DiagnosticList diagnostics;
    Program program = LoadProgram(path, files, LoadOptions{root + "/stdlib"}, sources, diagnostics);
    std::optional<PolicyIr> policy = Check(program, sources, diagnostics);
    INFO(path);
    REQUIRE(policy.has_value());
    for (const PolicyTestResult& result : RunPolicyTests(*policy)) {
      INFO("test: " << policy->tests[result.test].name << "; " << result.failure.value_or(""));
      REQUIRE(!result.run.error);
      CHECK(result.run.conservation_ok);
      for (const ExpectationResult& expectation : result.expectations) {
        INFO("expectation " << expectation.index);
        CHECK(expectation.passed());
      }
    }
  }
}

TEST_CASE("an invoice-subject policy takes one invoice at a time", "[interpreter]") {
  PolicyIr policy = CheckPolicy("at due + 30d: letter \"l\"\n");
  SubjectFacts facts = StandardInvoice();
  facts.invoices.push_back({"INV-2", D("2026-01-01"), D("2026-02-28"), Usd(100), {}});
  InterpretResult result = Interpret(policy, facts, {DefaultHorizon(facts)});
  REQUIRE(result.error);
  CHECK(result.error->find("each invoice on its own") != std::string::npos);
}

int Explain(const std::vector<std::string>& arguments, std::string& output) {
  MemoryFiles files(std::map<std::string, std::string>{{"p.recoup", "policy \"Test\"\ncurrency USD\nat due + 30d: letter \"l\", fee 25 USD\n"}});
  std::ostringstream out;
  std::ostringstream err;
  driver::Environment environment{files, out, err, ""};
  int status = driver::Run(arguments, environment);
  output = out.str() + err.str();
  return status;
}

TEST_CASE("explain: bad flag values are a plain message and exit 2", "[interpreter][explain]") {
  std::string output;
  CHECK(Explain({"explain", "p.recoup", "--amount", "12x", "--issue", "2026-01-01", "--due", "2026-01-31"}, output) == 2);
  CHECK(output.find("--amount: `12x` is not an amount") != std::string::npos);
  CHECK(Explain({"explain", "p.recoup", "--amount", "100", "--issue", "2026-02-30", "--due", "2026-03-31"}, output) == 2);
  CHECK(Explain({"explain", "p.recoup", "--amount", "100", "--issue", "2026-01-01", "--due", "2026-01-31",
                 "--payment", "2026-03-01"}, output) == 2);
  CHECK(Explain({"explain", "p.recoup", "--amount", "100", "--issue", "2026-01-01", "--due", "2026-01-31",
                 "--payment", "2026-03-01:10:NOPE"}, output) == 2);
  CHECK(Explain({"explain", "p.recoup", "--amount", "100.001", "--issue", "2026-01-01", "--due", "2026-01-31"}, output) == 2);
}

TEST_CASE("explain: a good run prints the timeline and exits 0", "[interpreter][explain]") {
  std::string output;
  REQUIRE(Explain({"explain", "p.recoup", "--amount", "100", "--issue", "2026-01-01", "--due", "2026-01-31"}, output) == 0);
  CHECK(output.find("2026-03-02  due+30   letter \"l\"") != std::string::npos);
  CHECK(output.find("money conserved") != std::string::npos);
  REQUIRE(Explain({"explain", "p.recoup", "--amount", "100", "--issue", "2026-01-01", "--due", "2026-01-31",
                   "--format", "json"}, output) == 0);
  CHECK(output.find("\"amount\":\"25.00\"") != std::string::npos);
}

}  // namespace
}  // namespace recoup::compiler
