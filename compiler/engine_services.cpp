// Runtime services, part one: errors, dates and anchors, the facts of a day
// (payments, disputes, promises), pauses, whether the subject is open, what
// guards read, and the wake days (docs/semantics.md sections 2 to 7, 10, 12).
// Each `extern "C"` service is a thin wrapper over the C++ helper of the
// same rule, which the interpreter driver calls directly.
#include <algorithm>
#include <limits>

#include "compiler/engine_internal.h"
#include "runtime/date.h"

namespace recoup::compiler::abi {
namespace {

runtime::Date AsDate(std::int32_t day) { return runtime::Date::FromDays(day); }

const SettlementOrder& Settlement(const RunState* run) { return run->policy->ir->header.settlement; }

// Payments dated before the start are applied on the start (section 1).
bool PaidOn(const RunState* run, const PaymentView& payment, std::int32_t day) {
  return payment.date == day || (day == run->start && payment.date < day);
}

void Consider(std::int32_t& next, std::int32_t candidate, std::int32_t after) {
  if (candidate > after && (next == kNoDate || candidate < next)) next = candidate;
}

}  // namespace

void Fail(RunState* run, ErrorCode code, std::uint32_t id, std::int32_t invoice, std::int64_t number,
          std::uint32_t currency) {
  if (run->trace->error.code != ErrorCode::None) return;
  run->trace->error = ErrorTrace{code, id, invoice, currency, number};
  run->failed = 1;
}

std::int32_t ShiftBusinessDays(const RunState* run, std::int32_t date, std::int64_t count) {
  return run->policy->calendar.AddBusinessDays(AsDate(date), static_cast<std::int32_t>(count)).days();
}

Account* OldestOpen(RunState* run, std::int32_t day) {
  for (Account& account : *run->accounts) {
    if (IsOpen(run, account, day)) return &account;
  }
  return nullptr;
}

Account* FindAccountByName(RunState* run, std::int32_t name) {
  for (Account& account : *run->accounts) {
    if (account.name == name) return &account;
  }
  return nullptr;
}

AnchorResult ComputeAnchor(const RunState* run, AnchorId id, std::int32_t day) {
  const AnchorPlan& anchor = run->policy->anchors[id];
  AnchorResult result;
  switch (anchor.base) {
    case AnchorBase::Due:
    case AnchorBase::Issue: {
      const Account* account = AnchorAccount(const_cast<RunState*>(run), day);
      if (account == nullptr) return {DateStatus::NoOpenInvoice, 0, kNoId};
      result.date = anchor.base == AnchorBase::Due ? account->due : account->issue;
      break;
    }
    case AnchorBase::Promise:
      if (run->promise_made == kNoDate) return {DateStatus::NoPromise, 0, kNoId};
      if (run->promise_made > day) return {DateStatus::WaitingForPromise, 0, kNoId};
      result.date = run->promise_date;
      break;
    case AnchorBase::Step: {
      std::int32_t fired = run->steps[anchor.step].first_fired;
      if (fired == kNoDate) return {DateStatus::WaitingForStep, 0, anchor.step};
      result.date = fired;
      break;
    }
    case AnchorBase::EndOfMonth: {
      AnchorResult inner = ComputeAnchor(run, anchor.inner, day);
      if (inner.status != DateStatus::Known) return inner;
      result.date = AsDate(inner.date).EndOfMonth().days();
      break;
    }
  }
  if (anchor.calendar_only) {
    result.date += anchor.calendar_days;
    return result;
  }
  for (const Offset& offset : run->policy->ir->anchors[id].offsets) result.date = Shift(run, result.date, offset.duration, 1);
  return result;
}

LedgerTrace& AddLedger(RunState* run, LedgerKind kind, std::int32_t day, std::int32_t name, std::int64_t amount) {
  LedgerTrace& event = run->trace->ledger.emplace_back();
  event.sequence = run->trace->sequence++;
  event.kind = kind;
  event.date = day;
  event.name = name;
  event.amount = amount;
  run->day_changed = 1;
  return event;
}

void AddNotFired(RunState* run, CauseKind cause, std::uint32_t index, std::int32_t date, Reason reason, Detail detail,
                 std::uint32_t first_read) {
  Trace& trace = *run->trace;
  NotFiredTrace& record = trace.not_fired.emplace_back();
  record.sequence = trace.sequence++;
  record.cause = cause;
  record.index = index;
  record.date = date;
  record.reason = static_cast<std::uint8_t>(reason);
  record.detail = detail;
  record.first_read = first_read;
  record.read_count = static_cast<std::uint32_t>(trace.reads.size()) - first_read;
}

GuardContext ContextOn(RunState* run, std::int32_t day, Account* invoice) {
  GuardContext context;
  context.day = day;
  if (invoice != nullptr) {
    context.invoice = invoice->invoice;
    context.invoice_balance = Balance(run, *invoice, day);
    context.invoice_principal = invoice->principal;
  }
  for (Account& account : *run->accounts) {
    if (IsOpen(run, account, day)) {
      context.open_balance = CheckedAdd(run, context.open_balance, Balance(run, account, day));
      ++context.open_invoices;
    }
    if (account.settled_on != kNoDate && account.settled_on > account.due && account.settled_on < day) {
      ++context.late_payments;
    }
  }
  context.late_payments += run->subject->prior_late_payments;
  return context;
}

}  // namespace recoup::compiler::abi

using namespace recoup::compiler;
using namespace recoup::compiler::abi;

extern "C" {

std::int32_t recoup_shift(const RunState* run, std::int32_t date, std::int32_t count, std::uint8_t unit,
                          std::int64_t times) {
  return Shift(run, date, Duration{count, static_cast<DurationUnit>(unit)}, times);
}

std::int32_t recoup_end_of_month(std::int32_t date) { return recoup::runtime::Date::FromDays(date).EndOfMonth().days(); }

std::uint8_t recoup_anchor_date(const RunState* run, std::uint32_t anchor, std::int32_t day, std::int32_t* date,
                                std::uint32_t* waiting_for) {
  AnchorResult result = ComputeAnchor(run, anchor, day);
  *date = result.date;
  *waiting_for = result.waiting_for;
  return static_cast<std::uint8_t>(result.status);
}

std::int32_t recoup_anchor_invoice(const RunState* run, std::int32_t day) {
  const Account* account = AnchorAccount(const_cast<RunState*>(run), day);
  return account == nullptr ? kNoIndex : account->invoice;
}

void recoup_apply_payments(RunState* run, std::int32_t day) {
  recoup_apply_payments_between(run, day, 0, run->subject->payment_count, 1);
}

void recoup_apply_payments_between(RunState* run, std::int32_t day, std::uint32_t first, std::uint32_t end,
                                   std::uint8_t may_accrue) {
  const SubjectView& subject = *run->subject;
  RunAccounts& accounts = *run->accounts;
  for (std::uint32_t p = first; p < end; ++p) {
    const PaymentView& payment = subject.payments[p];
    if (!PaidOn(run, payment, day)) continue;
    Account* named = payment.name == kNoIndex ? nullptr : FindAccountByName(run, payment.name);
    if (payment.name != kNoIndex && named == nullptr) {
      if (payment.invoice == kNoIndex) Fail(run, ErrorCode::PaymentUnknownInvoice, 0, payment.name);
      continue;  // a payment for an invoice the policy does not cover is not its money
    }
    if (payment.currency != run->policy->currency) {
      Fail(run, ErrorCode::PaymentCurrency, 0, kNoIndex, payment.amount, payment.currency);
      return;
    }
    Trace& trace = *run->trace;
    trace.totals.collected = CheckedAdd(run, trace.totals.collected, payment.amount);
    for (Account& account : accounts) {
      if (!may_accrue) break;
      if (account.accruals.empty()) continue;  // nothing to post
      std::int64_t posted = PostInterest(run, account, day);
      if (posted != 0) {
        AddLedger(run, LedgerKind::InterestPosted, day, account.name, posted).detail = {DetailKind::InterestBeforePayment};
      }
    }
    std::vector<std::int32_t>& targets = accounts.scratch;
    targets.clear();
    if (named != nullptr) {
      targets.push_back(static_cast<std::int32_t>(named - accounts.begin()));
    } else if (run->customer) {
      for (std::uint32_t a = 0; a < accounts.count; ++a) {
        if (IsOpen(run, accounts[a], day)) targets.push_back(static_cast<std::int32_t>(a));
      }
    } else {
      targets.push_back(0);
    }
    std::int64_t remaining = payment.amount;
    for (std::size_t i = 0; i < targets.size() && remaining > 0; ++i) {
      Account& target = accounts[static_cast<std::uint32_t>(targets[i])];
      Split split = ApplyPayment(run, target, remaining, day, Settlement(run));
      std::int64_t taken = remaining - split.left_over;
      bool last = i + 1 == targets.size() || split.left_over == 0;
      LedgerTrace& event = AddLedger(run, LedgerKind::Payment, day, target.name, last ? remaining : taken);
      event.to_fees = split.to_fees;
      event.to_interest = split.to_interest;
      event.to_principal = split.to_principal;
      remaining = split.left_over;
      if (last) {
        event.unapplied = remaining;
        trace.totals.unapplied = CheckedAdd(run, trace.totals.unapplied, remaining);
        remaining = 0;
      }
    }
    if (remaining > 0 || targets.empty()) {
      std::int64_t left = targets.empty() ? payment.amount : remaining;
      LedgerTrace& event = AddLedger(run, LedgerKind::Payment, day, payment.name, left);
      event.unapplied = left;
      trace.totals.unapplied = CheckedAdd(run, trace.totals.unapplied, left);
    }
  }
}

void recoup_note_disputes_and_promises(RunState* run, std::int32_t day) {
  const SubjectView& subject = *run->subject;
  for (std::uint32_t d = 0; d < subject.dispute_count; ++d) {
    const DisputeView& dispute = subject.disputes[d];
    if (dispute.opened == day) AddLedger(run, LedgerKind::DisputeOpened, day, dispute.name, 0);
    if (dispute.resolved != kNoDate && dispute.resolved == day) {
      AddLedger(run, LedgerKind::DisputeResolved, day, dispute.name, 0);
    }
  }
  const std::int32_t* made = run->accounts->promise_made.data();
  for (std::uint32_t p = 0; p < subject.promise_count; ++p) {
    if (made[p] == day) {
      AddLedger(run, LedgerKind::PromiseMade, day, subject.promises[p].name, 0).detail = {DetailKind::Date,
                                                                                         subject.promises[p].promised};
    }
  }
}

std::uint8_t recoup_is_fact_event_day(const RunState* run, std::int32_t day) {
  if (day == run->horizon) return 1;
  const SubjectView& subject = *run->subject;
  for (std::uint32_t p = 0; p < subject.payment_count; ++p) {
    if (PaidOn(run, subject.payments[p], day)) return 1;
  }
  for (std::uint32_t d = 0; d < subject.dispute_count; ++d) {
    const DisputeView& dispute = subject.disputes[d];
    if (dispute.opened == day || (dispute.resolved != kNoDate && dispute.resolved == day)) return 1;
  }
  return 0;
}

std::uint8_t recoup_pause_on(const RunState* run, std::int32_t day, std::uint8_t* reason) {
  const SubjectView& subject = *run->subject;
  PauseEffect effect = PauseEffect::None;
  *reason = static_cast<std::uint8_t>(DetailKind::None);
  for (const Pause& pause : run->policy->ir->pauses) {
    bool inside = false;
    DetailKind why = DetailKind::PauseDispute;
    if (pause.reason == PauseReason::Dispute) {
      for (std::uint32_t d = 0; d < subject.dispute_count && !inside; ++d) {
        const DisputeView& dispute = subject.disputes[d];
        if (dispute.opened <= day && (dispute.resolved == kNoDate || day < dispute.resolved)) inside = true;
      }
    } else {
      why = DetailKind::PausePromise;
      const std::int32_t* made = run->accounts->promise_made.data();
      for (std::uint32_t p = 0; p < subject.promise_count && !inside; ++p) {
        std::int32_t end = subject.promises[p].promised;
        if (pause.grace) end = Shift(run, end, *pause.grace, 1);
        if (made[p] <= day && day <= end) inside = true;
      }
    }
    if (!inside) continue;
    if (pause.rule == PauseRule::Skip) {
      *reason = static_cast<std::uint8_t>(why);
      return static_cast<std::uint8_t>(PauseEffect::Skip);
    }
    if (effect == PauseEffect::None) {
      effect = PauseEffect::Defer;
      *reason = static_cast<std::uint8_t>(why);
    }
  }
  return static_cast<std::uint8_t>(effect);
}

std::uint8_t recoup_active(const RunState* run, std::int32_t day, std::uint8_t* why, std::int32_t* detail_date) {
  switch (run->end_kind) {
    case EndKind::WrittenOff: *why = static_cast<std::uint8_t>(Reason::SubjectWrittenOff); *detail_date = run->ended_on; return 0;
    case EndKind::Placed: *why = static_cast<std::uint8_t>(Reason::SubjectPlaced); *detail_date = run->ended_on; return 0;
    case EndKind::Stopped: *why = static_cast<std::uint8_t>(Reason::SubjectStopped); *detail_date = run->ended_on; return 0;
    case EndKind::None: break;
  }
  RunState* mutable_run = const_cast<RunState*>(run);
  if (OldestOpen(mutable_run, day) != nullptr) return 1;
  bool all_settled = true;
  std::int32_t last_settled = 0;  // the reference starts from 1970-01-01
  for (const Account& account : *run->accounts) {
    if (account.settled_on == kNoDate || account.settled_on > day) {
      all_settled = false;
    } else if (account.settled_on > last_settled) {
      last_settled = account.settled_on;
    }
  }
  *why = static_cast<std::uint8_t>(all_settled ? Reason::SubjectSettled : Reason::NoOpenInvoice);
  *detail_date = all_settled ? last_settled : kNoDate;
  return 0;
}

void recoup_guard_context(RunState* run, std::int32_t day, GuardContext* context) {
  *context = ContextOn(run, day, AnchorAccount(run, day));
}

std::int32_t recoup_evaluate(RunState* run, std::uint32_t expression, std::int32_t day) {
  GuardContext context = ContextOn(run, day, AnchorAccount(run, day));
  EvaluationOutcome outcome = EvaluateExpression(run, expression, context);
  if (!outcome.ok) return -1;
  return outcome.value.number != 0 ? 1 : 0;
}

void recoup_end_day(RunState* run, std::int32_t day) {
  Trace& trace = *run->trace;
  if (day == run->horizon) {
    for (Account& account : *run->accounts) {
      std::int64_t posted = PostInterest(run, account, day);
      if (posted != 0) AddLedger(run, LedgerKind::InterestPosted, day, account.name, posted).detail = {DetailKind::InterestAtHorizon};
    }
  }
  auto snapshot = [&] {
    BalanceTrace point{day, 0, 0, 0, 0};
    for (const Account& account : *run->accounts) {
      std::int64_t interest = InterestOwed(run, account, day);
      point.principal = CheckedAdd(run, point.principal, account.principal);
      point.fees = CheckedAdd(run, point.fees, account.fees);
      point.interest = CheckedAdd(run, point.interest, interest);
    }
    point.open = CheckedAdd(run, CheckedAdd(run, point.principal, point.fees), point.interest);
    trace.balances.push_back(point);
  };
  if (run->day_changed && run->explain) snapshot();
  if (std::find(run->probes, run->probes + run->probe_count, day) != run->probes + run->probe_count) {
    snapshot();
    trace.probes.push_back(trace.balances.back());
    if (!run->day_changed || !run->explain) trace.balances.pop_back();
  }
}

std::int32_t recoup_next_fact_day(const RunState* run, std::int32_t day) {
  std::int32_t next = kNoDate;
  VisitFactDays(*run, [&](std::int32_t candidate, std::uint8_t) { Consider(next, candidate, day); });
  return next;
}

std::uint32_t recoup_read_mark(const RunState* run) { return static_cast<std::uint32_t>(run->trace->reads.size()); }

void recoup_not_fired(RunState* run, std::uint8_t cause, std::uint32_t index, std::int32_t date, std::uint8_t reason,
                      std::uint8_t detail_kind, std::int32_t detail_date, std::int64_t detail_number,
                      std::uint32_t first_read) {
  AddNotFired(run, static_cast<CauseKind>(cause), index, date, static_cast<Reason>(reason),
              Detail{static_cast<DetailKind>(detail_kind), detail_date, detail_number}, first_read);
}

void recoup_deferred(RunState* run, std::int32_t day, std::uint32_t step, std::uint8_t reason) {
  LedgerTrace& event = AddLedger(run, LedgerKind::Deferred, day, kNoIndex, 0);
  event.detail = {static_cast<DetailKind>(reason)};
  event.step = step;
}

}  // extern "C"
