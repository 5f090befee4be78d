// The reference interpreter's entry point, its finishing touches and the
// money conservation check (docs/semantics.md sections 14 and 15).
#include "compiler/interpreter.h"
#include "compiler/reference_interpreter.h"

#include <fmt/format.h>

#include "compiler/interpreter_run.h"

namespace recoup::compiler {

const char* NotFiredReasonText(NotFiredReason reason) {
  switch (reason) {
    case NotFiredReason::GuardFalse: return "skipped by its guard";
    case NotFiredReason::PauseSkipped: return "skipped by a pause";
    case NotFiredReason::PausedUntilHorizon: return "paused until the horizon";
    case NotFiredReason::SubjectSettled: return "the invoice was already paid";
    case NotFiredReason::SubjectWrittenOff: return "the balance was already written off";
    case NotFiredReason::SubjectPlaced: return "the debt was already with an agency";
    case NotFiredReason::SubjectStopped: return "a stop rule had ended the policy";
    case NotFiredReason::NoOpenInvoice: return "the customer had no open invoice";
    case NotFiredReason::AnchorNeverFired: return "its anchor never fired";
    case NotFiredReason::NoPromise: return "there is no promise to pay";
    case NotFiredReason::BeforeIssue: return "its date is before the issue date";
    case NotFiredReason::AfterHorizon: return "its date is after the horizon";
    case NotFiredReason::DatePassed: return "its date had passed when its anchor became known";
    case NotFiredReason::UntilReached: return "reached its until date";
    case NotFiredReason::MaxReached: return "fired its maximum number of times";
  }
  return "?";
}

bool UndoesState(ActionKind kind) { return kind == ActionKind::ResumeService || kind == ActionKind::ReleaseCredit; }

const char* UnneededActionText(ActionKind kind) {
  return kind == ActionKind::ResumeService ? "resume service: nothing to resume, service was not suspended"
                                           : "release credit: nothing to release, credit was not on hold";
}

InterpretResult ReferenceInterpret(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options) {
  interpreter::Run run(policy, facts, options);
  return run.Execute();
}

namespace interpreter {

void Run::Finish() {
  ReportUnfinished();
  // The interest action's amount: what its accrual posted by the horizon.
  for (Firing& firing : result_.firings) {
    if (firing.cause.kind != Cause::Kind::Step) continue;
    StepState& state = steps_[firing.cause.index];
    for (ActionRecord& action : firing.actions) {
      if (action.kind != ActionKind::Interest || state.interest_reported) continue;
      std::int64_t total = 0;
      for (const InvoiceAccount& account : accounts_) total = CheckedAdd(total, account.PostedBy(firing.cause.index), sink_);
      action.amount = Money(total);
      state.interest_reported = true;
    }
  }
  MoneyTotals& totals = result_.totals;
  totals = MoneyTotals{Money(0), Money(0), Money(0), Money(0), Money(0), Money(0), Money(0), Money(0), Money(0), Money(0), Money(0)};
  auto add = [&](runtime::Money& into, std::int64_t amount) { into.minor = CheckedAdd(into.minor, amount, sink_); };
  for (const InvoiceAccount& account : accounts_) {
    InvoiceSummary summary;
    summary.id = account.facts().id;
    MoneyTotals& own = summary.totals;
    own = MoneyTotals{Money(account.facts().amount.minor), Money(account.fees_charged()),
                      Money(account.interest_charged()), Money(account.applied()),
                      Money(account.written_off_amount()), Money(0), Money(account.applied()),
                      Money(account.principal()), Money(account.fees()), Money(account.posted_interest()), Money(0)};
    own.open = Money(CheckedAdd(CheckedAdd(account.principal(), account.fees(), sink_), account.posted_interest(), sink_));
    summary.settled_on = account.settled_on();
    summary.written_off = account.written_off();
    summary.placed_on = account.placed_on();
    add(totals.amount, own.amount.minor);
    add(totals.fees_charged, own.fees_charged.minor);
    add(totals.interest_charged, own.interest_charged.minor);
    add(totals.applied, own.applied.minor);
    add(totals.written_off, own.written_off.minor);
    add(totals.principal, own.principal.minor);
    add(totals.fees, own.fees.minor);
    add(totals.interest, own.interest.minor);
    add(totals.open, own.open.minor);
    result_.invoices.push_back(std::move(summary));
  }
  totals.unapplied = Money(unapplied_);
  totals.collected = Money(collected_);
  CheckConservation();
}

void Run::CheckConservation() {
  auto check = [&](const std::string& who, const MoneyTotals& totals) {
    __int128 owed = static_cast<__int128>(totals.amount.minor) + totals.fees_charged.minor + totals.interest_charged.minor;
    __int128 accounted = static_cast<__int128>(totals.applied.minor) + totals.written_off.minor + totals.open.minor;
    if (owed != accounted) {
      result_.conservation_ok = false;
      result_.conservation_detail += fmt::format(
          "{}: amount {} + fees {} + interest {} != applied {} + written off {} + open {}; ", who,
          runtime::ToString(totals.amount), runtime::ToString(totals.fees_charged),
          runtime::ToString(totals.interest_charged), runtime::ToString(totals.applied),
          runtime::ToString(totals.written_off), runtime::ToString(totals.open));
    }
    if (totals.principal.minor < 0 || totals.fees.minor < 0 || totals.interest.minor < 0) {
      result_.conservation_ok = false;
      result_.conservation_detail += fmt::format("{}: a negative amount is owed; ", who);
    }
  };
  for (const InvoiceSummary& invoice : result_.invoices) check("invoice " + invoice.id, invoice.totals);
  check("subject", result_.totals);
  const MoneyTotals& totals = result_.totals;
  if (static_cast<__int128>(totals.collected.minor) != static_cast<__int128>(totals.applied.minor) + totals.unapplied.minor) {
    result_.conservation_ok = false;
    result_.conservation_detail += fmt::format("collected {} != applied {} + unapplied {}; ",
                                               runtime::ToString(totals.collected), runtime::ToString(totals.applied),
                                               runtime::ToString(totals.unapplied));
  }
}

}  // namespace interpreter
}  // namespace recoup::compiler
