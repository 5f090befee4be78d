// FirstDifference (tools/testgen/result_difference.h) notices a change in
// every field of InterpretResult and names the field: a differential test
// is only as strong as this comparison.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tools/testgen/result_difference.h"

namespace recoup::testgen {
namespace {

using namespace compiler;
using runtime::Date;
using runtime::Money;

Money Usd(std::int64_t minor) { return Money{minor, *runtime::FindCurrency("USD")}; }
Date D(const char* iso) { return *Date::ParseIso(iso); }

// A result with one entry in every list and a value in every optional.
InterpretResult FullResult() {
  InterpretResult result;
  result.start = D("2026-01-01");
  result.horizon = D("2026-07-30");
  Firing firing;
  firing.sequence = 1;
  firing.date = D("2026-03-02");
  firing.scheduled = D("2026-03-01");
  firing.cause = {Cause::Kind::Step, 2};
  firing.occurrence = 1;
  firing.guard_reads = {{"invoice.balance", "12000.00 USD"}};
  firing.actions = {{ActionKind::Fee, "", "2% of balance", Usd(2500), {"INV-1"}, Usd(0)}};
  result.firings = {firing};
  NotFired not_fired;
  not_fired.sequence = 2;
  not_fired.date = D("2026-03-03");
  not_fired.cause = {Cause::Kind::Step, 1};
  not_fired.reason = NotFiredReason::GuardFalse;
  not_fired.detail = "guard";
  not_fired.guard_reads = {{"customer.segment", "strategic"}};
  not_fired.related_step = 0;
  result.not_fired = {not_fired};
  LedgerEvent event;
  event.sequence = 3;
  event.kind = LedgerEvent::Kind::Payment;
  event.date = D("2026-03-04");
  event.invoice = "INV-1";
  event.amount = Usd(100);
  event.to_fees = Usd(10);
  event.to_interest = Usd(20);
  event.to_principal = Usd(70);
  event.unapplied = Usd(0);
  event.detail = "x";
  event.step = 1;
  result.ledger = {event};
  result.balances = {{D("2026-03-04"), Usd(1), Usd(2), Usd(3), Usd(6)}};
  result.probes = {{D("2026-03-05"), Usd(1), Usd(2), Usd(3), Usd(6)}};
  MoneyTotals totals{Usd(1), Usd(2), Usd(3), Usd(4), Usd(5), Usd(6), Usd(7), Usd(8), Usd(9), Usd(10), Usd(11)};
  result.invoices = {{"INV-1", totals, D("2026-04-01"), false, D("2026-05-01")}};
  result.not_covered = {{"INV-2", "other currency"}};
  result.totals = totals;
  result.conservation_ok = true;
  result.conservation_detail = "";
  return result;
}

struct Mutation {
  std::string path;  // what the difference must name
  std::function<void(InterpretResult&)> change;
};

TEST_CASE("FirstDifference: identical results have no difference", "[differential]") {
  CHECK(!FirstDifference(FullResult(), FullResult()));
  CHECK(!FirstDifference(InterpretResult{}, InterpretResult{}));
}

TEST_CASE("FirstDifference: a change in any field is found and named", "[differential]") {
  std::vector<Mutation> mutations = {
      {"error", [](InterpretResult& r) { r.error = "overflow"; }},
      {"start", [](InterpretResult& r) { r.start = r.start.AddDays(1); }},
      {"horizon", [](InterpretResult& r) { r.horizon = r.horizon.AddDays(1); }},
      {"firings: 1 entries vs 0", [](InterpretResult& r) { r.firings.clear(); }},
      {"firings[0].sequence", [](InterpretResult& r) { r.firings[0].sequence = 9; }},
      {"firings[0].date", [](InterpretResult& r) { r.firings[0].date = D("2026-03-03"); }},
      {"firings[0].scheduled", [](InterpretResult& r) { r.firings[0].scheduled = D("2026-03-03"); }},
      {"firings[0].cause.kind", [](InterpretResult& r) { r.firings[0].cause.kind = Cause::Kind::Stop; }},
      {"firings[0].cause.index", [](InterpretResult& r) { r.firings[0].cause.index = 0; }},
      {"firings[0].occurrence", [](InterpretResult& r) { r.firings[0].occurrence = 2; }},
      {"firings[0].guard_reads[0].name", [](InterpretResult& r) { r.firings[0].guard_reads[0].name = "x"; }},
      {"firings[0].guard_reads[0].value", [](InterpretResult& r) { r.firings[0].guard_reads[0].value = "x"; }},
      {"firings[0].guard_reads: 1 entries vs 2", [](InterpretResult& r) { r.firings[0].guard_reads.push_back({}); }},
      {"firings[0].actions[0].kind", [](InterpretResult& r) { r.firings[0].actions[0].kind = ActionKind::Email; }},
      {"firings[0].actions[0].text", [](InterpretResult& r) { r.firings[0].actions[0].text = "t"; }},
      {"firings[0].actions[0].detail", [](InterpretResult& r) { r.firings[0].actions[0].detail = "d"; }},
      {"firings[0].actions[0].amount: 25.00 USD vs 25.01 USD", [](InterpretResult& r) { r.firings[0].actions[0].amount = Usd(2501); }},
      {"firings[0].actions[0].amount: 25.00 USD vs (none)", [](InterpretResult& r) { r.firings[0].actions[0].amount.reset(); }},
      {"firings[0].actions[0].invoices[0]", [](InterpretResult& r) { r.firings[0].actions[0].invoices[0] = "INV-9"; }},
      {"firings[0].actions[0].cost", [](InterpretResult& r) { r.firings[0].actions[0].cost = Usd(1); }},
      {"not_fired[0].sequence", [](InterpretResult& r) { r.not_fired[0].sequence = 7; }},
      {"not_fired[0].date", [](InterpretResult& r) { r.not_fired[0].date.reset(); }},
      {"not_fired[0].cause.index", [](InterpretResult& r) { r.not_fired[0].cause.index = 5; }},
      {"not_fired[0].reason", [](InterpretResult& r) { r.not_fired[0].reason = NotFiredReason::AfterHorizon; }},
      {"not_fired[0].detail", [](InterpretResult& r) { r.not_fired[0].detail = "other"; }},
      {"not_fired[0].guard_reads[0].value", [](InterpretResult& r) { r.not_fired[0].guard_reads[0].value = "smb"; }},
      {"not_fired[0].related_step", [](InterpretResult& r) { r.not_fired[0].related_step = 3; }},
      {"not_fired[0].decided_at_end", [](InterpretResult& r) { r.not_fired[0].decided_at_end = true; }},
      {"ledger[0].sequence", [](InterpretResult& r) { r.ledger[0].sequence = 0; }},
      {"ledger[0].kind: payment vs written off", [](InterpretResult& r) { r.ledger[0].kind = LedgerEvent::Kind::WrittenOff; }},
      {"ledger[0].kind: payment vs unneeded", [](InterpretResult& r) { r.ledger[0].kind = LedgerEvent::Kind::Unneeded; }},
      {"ledger[0].date", [](InterpretResult& r) { r.ledger[0].date = D("2026-01-01"); }},
      {"ledger[0].invoice", [](InterpretResult& r) { r.ledger[0].invoice = ""; }},
      {"ledger[0].amount", [](InterpretResult& r) { r.ledger[0].amount = Usd(101); }},
      {"ledger[0].to_fees", [](InterpretResult& r) { r.ledger[0].to_fees = Usd(11); }},
      {"ledger[0].to_interest", [](InterpretResult& r) { r.ledger[0].to_interest = Usd(21); }},
      {"ledger[0].to_principal", [](InterpretResult& r) { r.ledger[0].to_principal = Usd(71); }},
      {"ledger[0].unapplied", [](InterpretResult& r) { r.ledger[0].unapplied = Usd(1); }},
      {"ledger[0].detail", [](InterpretResult& r) { r.ledger[0].detail = "y"; }},
      {"ledger[0].step", [](InterpretResult& r) { r.ledger[0].step = kNoId; }},
      {"balances[0].date", [](InterpretResult& r) { r.balances[0].date = D("2026-03-05"); }},
      {"balances[0].principal", [](InterpretResult& r) { r.balances[0].principal = Usd(0); }},
      {"balances[0].fees", [](InterpretResult& r) { r.balances[0].fees = Usd(0); }},
      {"balances[0].interest", [](InterpretResult& r) { r.balances[0].interest = Usd(0); }},
      {"balances[0].open", [](InterpretResult& r) { r.balances[0].open = Usd(0); }},
      {"probes[0].open", [](InterpretResult& r) { r.probes[0].open = Usd(0); }},
      {"probes: 1 entries vs 2", [](InterpretResult& r) { r.probes.push_back(r.probes[0]); }},
      {"invoices[0].id", [](InterpretResult& r) { r.invoices[0].id = "INV-3"; }},
      {"invoices[0].totals.amount", [](InterpretResult& r) { r.invoices[0].totals.amount = Usd(0); }},
      {"invoices[0].totals.fees_charged", [](InterpretResult& r) { r.invoices[0].totals.fees_charged = Usd(0); }},
      {"invoices[0].totals.interest_charged", [](InterpretResult& r) { r.invoices[0].totals.interest_charged = Usd(0); }},
      {"invoices[0].totals.applied", [](InterpretResult& r) { r.invoices[0].totals.applied = Usd(0); }},
      {"invoices[0].totals.written_off", [](InterpretResult& r) { r.invoices[0].totals.written_off = Usd(0); }},
      {"invoices[0].totals.unapplied", [](InterpretResult& r) { r.invoices[0].totals.unapplied = Usd(0); }},
      {"invoices[0].totals.collected", [](InterpretResult& r) { r.invoices[0].totals.collected = Usd(0); }},
      {"invoices[0].totals.principal", [](InterpretResult& r) { r.invoices[0].totals.principal = Usd(0); }},
      {"invoices[0].totals.fees", [](InterpretResult& r) { r.invoices[0].totals.fees = Usd(0); }},
      {"invoices[0].totals.interest", [](InterpretResult& r) { r.invoices[0].totals.interest = Usd(0); }},
      {"invoices[0].totals.open", [](InterpretResult& r) { r.invoices[0].totals.open = Usd(0); }},
      {"invoices[0].settled_on", [](InterpretResult& r) { r.invoices[0].settled_on.reset(); }},
      {"invoices[0].written_off", [](InterpretResult& r) { r.invoices[0].written_off = true; }},
      {"invoices[0].placed_on", [](InterpretResult& r) { r.invoices[0].placed_on = D("2026-05-02"); }},
      {"not_covered[0].invoice", [](InterpretResult& r) { r.not_covered[0].invoice = "INV-4"; }},
      {"not_covered[0].reason", [](InterpretResult& r) { r.not_covered[0].reason = "applies to"; }},
      {"totals.open", [](InterpretResult& r) { r.totals.open = Usd(12); }},
      {"totals.collected", [](InterpretResult& r) { r.totals.collected = Usd(12); }},
      {"conservation_ok", [](InterpretResult& r) { r.conservation_ok = false; }},
      {"conservation_detail", [](InterpretResult& r) { r.conservation_detail = "broken"; }},
  };
  for (const Mutation& mutation : mutations) {
    INFO("mutation: " << mutation.path);
    InterpretResult changed = FullResult();
    mutation.change(changed);
    std::optional<std::string> difference = FirstDifference(FullResult(), changed);
    REQUIRE(difference);
    CHECK(difference->rfind(mutation.path, 0) == 0);
  }
}

TEST_CASE("FirstDifference: the first difference is reported, in result order", "[differential]") {
  InterpretResult changed = FullResult();
  changed.totals.open = Usd(0);
  changed.firings[0].date = D("2026-03-09");
  std::optional<std::string> difference = FirstDifference(FullResult(), changed);
  REQUIRE(difference);
  CHECK(*difference == "firings[0].date: 2026-03-02 vs 2026-03-09");
}

}  // namespace
}  // namespace recoup::testgen
