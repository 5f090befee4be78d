// What happens to the money: payments, stop rules and the actions of a step
// (docs/semantics.md sections 7 to 12).
#include <fmt/format.h>

#include "compiler/interpreter_run.h"

namespace recoup::compiler::interpreter {
namespace {

// Stop rules start interest too; keep their accrual ids apart from steps'.
constexpr StepId kStopAccrualBit = 0x80000000u;

StepId AccrualId(Cause cause) { return cause.kind == Cause::Kind::Stop ? (cause.index | kStopAccrualBit) : cause.index; }

}  // namespace

void Run::ApplyPayments(runtime::Date day) {
  for (const PaymentFacts& payment : facts_.payments) {
    bool today = payment.date == day || (day == result_.start && payment.date < day);
    if (!today) continue;
    InvoiceAccount* named = payment.invoice.empty() ? nullptr : FindAccount(payment.invoice);
    if (!payment.invoice.empty() && named == nullptr) {
      bool known = false;
      for (const InvoiceFacts& invoice : facts_.invoices) known |= invoice.id == payment.invoice;
      if (!known) sink_.Fail(fmt::format("a payment names invoice `{}`, which is not among the invoices", payment.invoice));
      continue;  // a payment for an invoice the policy does not cover is not its money
    }
    if (payment.amount.currency != policy_.header.currency) {
      sink_.Fail(fmt::format("a payment of {} is not in the policy currency {}", runtime::ToString(payment.amount),
                             runtime::InfoOf(policy_.header.currency).code));
      return;
    }
    collected_ = CheckedAdd(collected_, payment.amount.minor, sink_);
    for (InvoiceAccount& account : accounts_) {
      std::int64_t posted = account.PostInterest(day, sink_);
      if (posted != 0) AddLedger(LedgerEvent::Kind::InterestPosted, day, account.facts().id, posted).detail = "before a payment";
    }
    std::vector<InvoiceAccount*> targets;
    if (named != nullptr) targets.push_back(named);
    else if (IsCustomer()) targets = OpenAccounts(day);
    else targets.push_back(&accounts_.front());
    std::int64_t remaining = payment.amount.minor;
    for (std::size_t i = 0; i < targets.size() && remaining > 0; ++i) {
      PaymentSplit split = targets[i]->ApplyPayment(remaining, day, policy_.header.settlement, sink_);
      std::int64_t taken = remaining - split.left_over;
      bool last = i + 1 == targets.size() || split.left_over == 0;
      LedgerEvent& event = AddLedger(LedgerEvent::Kind::Payment, day, targets[i]->facts().id, last ? remaining : taken);
      event.to_fees = Money(split.to_fees);
      event.to_interest = Money(split.to_interest);
      event.to_principal = Money(split.to_principal);
      remaining = split.left_over;
      if (last) {
        event.unapplied = Money(remaining);
        unapplied_ = CheckedAdd(unapplied_, remaining, sink_);
        remaining = 0;
      }
    }
    if (remaining > 0 || targets.empty()) {
      std::int64_t left = targets.empty() ? payment.amount.minor : remaining;
      LedgerEvent& event = AddLedger(LedgerEvent::Kind::Payment, day, payment.invoice, left);
      event.unapplied = Money(left);
      unapplied_ = CheckedAdd(unapplied_, left, sink_);
    }
  }
}

void Run::NoteDisputesAndPromises(runtime::Date day) {
  for (const DisputeFacts& dispute : facts_.disputes) {
    if (dispute.opened == day) AddLedger(LedgerEvent::Kind::DisputeOpened, day, dispute.invoice, 0);
    if (dispute.resolved && *dispute.resolved == day) AddLedger(LedgerEvent::Kind::DisputeResolved, day, dispute.invoice, 0);
  }
  for (const PromiseFacts& promise : promises_) {
    if (*promise.made == day) {
      AddLedger(LedgerEvent::Kind::PromiseMade, day, promise.invoice, 0).detail = promise.promised.ToIso();
    }
  }
}

bool Run::IsEventDay(runtime::Date day) {
  if (day == options_.horizon) return true;
  for (const PaymentFacts& payment : facts_.payments) {
    if (payment.date == day || (day == result_.start && payment.date < day)) return true;
  }
  for (const DisputeFacts& dispute : facts_.disputes) {
    if (dispute.opened == day || (dispute.resolved && *dispute.resolved == day)) return true;
  }
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    const StepState& state = steps_[id];
    if (state.done) continue;
    if (state.waiting_since) {
      if (PauseOn(day).effect == PauseEffect::None) return true;
      continue;
    }
    Occurrence occurrence = Locate(id, day);
    if (occurrence.status == DateStatus::Known && occurrence.date == day) return true;
  }
  return false;
}

void Run::RunStops(runtime::Date day) {
  if (end_kind_ != EndKind::None) return;
  NotFiredReason why = NotFiredReason::SubjectSettled;
  std::string detail;
  if (!Active(day, &why, &detail)) {
    // `stop when paid: ACTIONS` runs once, the day the subject is settled.
    if (why != NotFiredReason::SubjectSettled || paid_stop_ran_) return;
    paid_stop_ran_ = true;
    for (std::uint32_t index = 0; index < policy_.stops.size(); ++index) {
      const Stop& stop = policy_.stops[index];
      if (stop.when_paid && !stop.actions.empty()) Fire({Cause::Kind::Stop, index}, day, day, 0, {}, stop.actions);
    }
    return;
  }
  for (std::uint32_t index = 0; index < policy_.stops.size(); ++index) {
    const Stop& stop = policy_.stops[index];
    if (stop.when_paid || stop.condition == kNoId) continue;
    std::vector<GuardRead> reads;
    if (!Evaluates(stop.condition, day, reads)) continue;
    Fire({Cause::Kind::Stop, index}, day, day, 0, std::move(reads), stop.actions);
    end_kind_ = EndKind::Stopped;
    ended_on_ = day;
    end_detail_ = day.ToIso();
    return;
  }
}

void Run::Fire(Cause cause, runtime::Date day, runtime::Date scheduled, std::int64_t occurrence,
               std::vector<GuardRead> reads, const std::vector<Action>& actions) {
  Firing firing;
  firing.date = day;
  firing.scheduled = scheduled;
  firing.cause = cause;
  firing.occurrence = occurrence;
  firing.guard_reads = std::move(reads);
  for (const Action& action : actions) {
    if (sink_.error) break;
    bool& state = action.kind == ActionKind::ResumeService ? service_suspended_ : credit_held_;
    if (UndoesState(action.kind) && !state) {  // section 11: nothing to undo, no action
      AddLedger(LedgerEvent::Kind::Unneeded, day, "", 0).detail = UnneededActionText(action.kind);
      continue;
    }
    firing.actions.push_back(RunAction(action, cause, day));
  }
  // After its actions, so that interest they posted first reads before them.
  firing.sequence = sequence_++;
  result_.firings.push_back(std::move(firing));
  day_changed_ = true;
}

std::int64_t Run::FeeAmount(const Action& action, runtime::Date day, std::string& detail) {
  if (action.fee_basis == FeeBasis::Flat) return action.fee_amount.minor;
  InvoiceAccount* anchor = FeeAccount(day);
  std::int64_t base = 0;
  if (action.fee_basis == FeeBasis::Amount) {
    base = anchor->facts().amount.minor;
  } else if (IsCustomer()) {
    for (InvoiceAccount* account : OpenAccounts(day)) base = CheckedAdd(base, account->Balance(day, sink_), sink_);
  } else {
    base = anchor->Balance(day, sink_);
  }
  runtime::DecimalResult factor = runtime::Divide(action.percent, runtime::Decimal{100, 0});
  runtime::MoneyResult fee = runtime::MultiplyRounded(Money(base), factor.value);
  if (!factor.ok() || !fee.ok()) {
    sink_.Fail("a percentage fee is too large to represent (overflow)");
    return 0;
  }
  std::int64_t amount = fee.value.minor;
  detail = fmt::format("{}% of {} {} = {}", runtime::ToString(action.percent),
                       action.fee_basis == FeeBasis::Amount ? "amount" : "balance", runtime::ToString(Money(base)),
                       runtime::ToString(Money(amount)));
  if (action.fee_min && amount < action.fee_min->minor) {
    amount = action.fee_min->minor;
    detail += fmt::format(", raised to the minimum {}", runtime::ToString(*action.fee_min));
  }
  if (action.fee_max && amount > action.fee_max->minor) {
    amount = action.fee_max->minor;
    detail += fmt::format(", capped at the maximum {}", runtime::ToString(*action.fee_max));
  }
  return amount;
}

ActionRecord Run::RunAction(const Action& action, Cause cause, runtime::Date day) {
  ActionRecord record;
  record.kind = action.kind;
  record.text = action.text;
  record.cost = policy_.header.costs.at(static_cast<std::size_t>(action.kind));
  std::vector<InvoiceAccount*> covered;
  if (IsCustomer()) covered = OpenAccounts(day);
  else covered.push_back(&accounts_.front());
  for (InvoiceAccount* account : covered) record.invoices.push_back(account->facts().id);
  switch (action.kind) {
    case ActionKind::SuspendService: service_suspended_ = true; break;
    case ActionKind::ResumeService: service_suspended_ = false; break;
    case ActionKind::HoldCredit: credit_held_ = true; break;
    case ActionKind::ReleaseCredit: credit_held_ = false; break;
    case ActionKind::Task:
      record.detail = fmt::format("{} {}", action.task_target == TaskTarget::Queue ? "queue" : "owner", action.task_assignee);
      break;
    case ActionKind::Fee: {
      InvoiceAccount* target = FeeAccount(day);
      std::int64_t amount = FeeAmount(action, day, record.detail);
      target->ChargeFee(amount, sink_);
      record.amount = Money(amount);
      record.invoices = {target->facts().id};
      break;
    }
    case ActionKind::Interest: {
      runtime::Date from = day;
      if (action.interest_from != kNoId) {
        AnchorDate anchor = ComputeAnchor(policy_, action.interest_from, AnchorFactsOn(day), calendar_);
        if (anchor.status == DateStatus::Known) from = anchor.date;
      }
      for (InvoiceAccount* account : covered) {
        std::int64_t posted = account->StartInterest(AccrualId(cause), action.annual_rate, from, day, sink_);
        if (posted != 0) {
          AddLedger(LedgerEvent::Kind::InterestPosted, day, account->facts().id, posted).detail =
              "from " + from.ToIso() + " to the last payment, posted now";
        }
      }
      record.detail = fmt::format("{}% per year from {}", runtime::ToString(action.annual_rate), from.ToIso());
      break;
    }
    case ActionKind::Agency:
      for (InvoiceAccount* account : covered) account->Place(day);
      if (!placed_on_) placed_on_ = day;
      record.detail = fmt::format("contingency {}%", runtime::ToString(action.percent));
      if (!policy_.header.continue_after_agency && end_kind_ == EndKind::None) {
        end_kind_ = EndKind::Placed;
        ended_on_ = day;
      }
      break;
    case ActionKind::WriteOff: {
      std::int64_t total = 0;
      for (InvoiceAccount* account : covered) {
        std::int64_t posted = account->PostInterest(day, sink_);
        if (posted != 0) AddLedger(LedgerEvent::Kind::InterestPosted, day, account->facts().id, posted).detail = "before the write-off";
        std::int64_t amount = account->WriteOff(day, sink_);
        total = CheckedAdd(total, amount, sink_);
        AddLedger(LedgerEvent::Kind::WrittenOff, day, account->facts().id, amount);
      }
      record.amount = Money(total);
      if (end_kind_ == EndKind::None || end_kind_ == EndKind::Placed) {
        end_kind_ = EndKind::WrittenOff;
        ended_on_ = day;
      }
      break;
    }
    default: break;
  }
  return record;
}

}  // namespace recoup::compiler::interpreter
