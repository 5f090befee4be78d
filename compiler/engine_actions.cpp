// Runtime services, part two: firing a step or stop rule and running its
// actions (docs/semantics.md sections 7 to 12), and the end of a run:
// interest actions' amounts, per-invoice summaries, totals and the
// conservation check (sections 9, 14 and 15).
#include "compiler/engine_internal.h"
#include "compiler/interpreter.h"
#include "runtime/money.h"

namespace recoup::compiler::abi {
namespace {

// Stop rules start interest too; keep their accrual ids apart from steps'.
constexpr std::uint32_t kStopAccrualBit = 0x80000000u;

const Action& ActionOf(const RunState* run, CauseKind cause, std::uint32_t index, std::uint32_t action) {
  const PolicyIr& ir = *run->policy->ir;
  return cause == CauseKind::Stop ? ir.stops[index].actions[action] : ir.steps[index].actions[action];
}

// Where a fee is posted (section 12): the anchor invoice, or for a customer
// with nothing open (`stop when paid` actions) its oldest invoice.
Account* FeeAccount(RunState* run, std::int32_t day) {
  Account* account = AnchorAccount(run, day);
  return account != nullptr ? account : &(*run->accounts)[0];
}

// Section 8: a fee's amount, with what the renderer needs to explain it.
std::int64_t FeeAmount(RunState* run, const Action& action, std::int32_t day, ActionTrace& record) {
  if (action.fee_basis == FeeBasis::Flat) return action.fee_amount.minor;
  Account* anchor = FeeAccount(run, day);
  std::int64_t base = 0;
  if (action.fee_basis == FeeBasis::Amount) {
    base = anchor->amount;
  } else if (run->customer) {
    for (Account& account : *run->accounts) {
      if (IsOpen(run, account, day)) base = CheckedAdd(run, base, Balance(run, account, day));
    }
  } else {
    base = Balance(run, *anchor, day);
  }
  runtime::DecimalResult factor = runtime::Divide(action.percent, runtime::Decimal{100, 0});
  runtime::MoneyResult fee = runtime::MultiplyRounded(runtime::Money{base, run->policy->currency}, factor.value);
  if (!factor.ok() || !fee.ok()) {
    Fail(run, ErrorCode::PercentFeeOverflow);
    return 0;
  }
  std::int64_t amount = fee.value.minor;
  record.fee_base = base;
  record.fee_raw = amount;
  if (action.fee_min && amount < action.fee_min->minor) {
    amount = action.fee_min->minor;
    record.fee_clamp |= 1;
  }
  if (action.fee_max && amount > action.fee_max->minor) {
    amount = action.fee_max->minor;
    record.fee_clamp |= 2;
  }
  return amount;
}

// The accounts an action covers: every open invoice of a customer, the
// invoice itself otherwise. Appended to trace.covered.
void CoverAccounts(RunState* run, std::int32_t day, ActionTrace& record) {
  Trace& trace = *run->trace;
  record.first_invoice = static_cast<std::uint32_t>(trace.covered.size());
  if (run->customer) {
    for (Account& account : *run->accounts) {
      if (IsOpen(run, account, day)) trace.covered.push_back(static_cast<std::int32_t>(&account - run->accounts->begin()));
    }
  } else {
    trace.covered.push_back(0);
  }
  record.invoice_count = static_cast<std::uint32_t>(trace.covered.size()) - record.first_invoice;
}

}  // namespace
}  // namespace recoup::compiler::abi

using namespace recoup::compiler;
using namespace recoup::compiler::abi;

extern "C" {

void recoup_fire_begin(RunState* run, std::uint8_t cause, std::uint32_t index, std::int32_t day, std::int32_t scheduled,
                       std::int64_t occurrence, std::uint32_t first_read) {
  FiringTrace& firing = run->accounts->pending;
  firing = FiringTrace{};
  firing.cause = static_cast<CauseKind>(cause);
  firing.index = index;
  firing.date = day;
  firing.scheduled = scheduled;
  firing.occurrence = occurrence;
  firing.first_action = static_cast<std::uint32_t>(run->trace->actions.size());
  firing.first_read = first_read;
  firing.read_count = static_cast<std::uint32_t>(run->trace->reads.size()) - first_read;
}

void recoup_run_action(RunState* run, std::uint8_t cause_kind, std::uint32_t index, std::uint32_t action_index,
                       std::int32_t day) {
  CauseKind cause = static_cast<CauseKind>(cause_kind);
  const Action& action = ActionOf(run, cause, index, action_index);
  Trace& trace = *run->trace;
  RunAccounts& accounts = *run->accounts;
  // Section 11: undoing a state that is off does nothing and is no action.
  bool& state = action.kind == ActionKind::ResumeService ? accounts.service_suspended : accounts.credit_held;
  if (UndoesState(action.kind) && !state) {
    AddLedger(run, LedgerKind::Unneeded, day, kNoIndex, 0).detail = {DetailKind::UnneededAction, kNoDate,
                                                                     static_cast<std::int64_t>(action.kind)};
    return;
  }
  // Covered accounts are recorded by account index and turned into invoice
  // indices when the firing ends.
  ActionTrace record;
  record.action = action_index;
  record.kind = static_cast<std::uint8_t>(action.kind);
  record.cost = run->policy->costs[static_cast<std::size_t>(action.kind)];
  CoverAccounts(run, day, record);
  switch (action.kind) {
    case ActionKind::SuspendService: accounts.service_suspended = true; break;
    case ActionKind::ResumeService: accounts.service_suspended = false; break;
    case ActionKind::HoldCredit: accounts.credit_held = true; break;
    case ActionKind::ReleaseCredit: accounts.credit_held = false; break;
    case ActionKind::Fee: {
      Account* target = FeeAccount(run, day);
      std::int64_t amount = FeeAmount(run, action, day, record);
      ChargeFee(run, *target, amount);
      record.has_amount = 1;
      record.amount = amount;
      trace.covered.resize(record.first_invoice);
      trace.covered.push_back(static_cast<std::int32_t>(target - accounts.begin()));
      record.invoice_count = 1;
      break;
    }
    case ActionKind::Interest: {
      std::int32_t from = day;
      if (action.interest_from != kNoId) {
        AnchorResult anchor = ComputeAnchor(run, action.interest_from, day);
        if (anchor.status == DateStatus::Known) from = anchor.date;
      }
      std::uint32_t accrual_id = cause == CauseKind::Stop ? (index | kStopAccrualBit) : index;
      for (std::uint32_t k = 0; k < record.invoice_count; ++k) {
        Account& account = accounts[static_cast<std::uint32_t>(trace.covered[record.first_invoice + k])];
        std::int64_t posted = StartInterest(run, account, accrual_id, action.annual_rate, from, day);
        if (posted != 0) {
          AddLedger(run, LedgerKind::InterestPosted, day, account.name, posted).detail = {DetailKind::InterestRetroactive, from};
        }
      }
      record.interest_from = from;
      break;
    }
    case ActionKind::Agency:
      for (std::uint32_t k = 0; k < record.invoice_count; ++k) {
        Account& account = accounts[static_cast<std::uint32_t>(trace.covered[record.first_invoice + k])];
        if (account.placed_on == kNoDate) account.placed_on = day;
      }
      if (run->placed_on == kNoDate) run->placed_on = day;
      if (!run->policy->ir->header.continue_after_agency && run->end_kind == EndKind::None) {
        run->end_kind = EndKind::Placed;
        run->ended_on = day;
      }
      break;
    case ActionKind::WriteOff: {
      std::int64_t total = 0;
      for (std::uint32_t k = 0; k < record.invoice_count; ++k) {
        Account& account = accounts[static_cast<std::uint32_t>(trace.covered[record.first_invoice + k])];
        std::int64_t posted = PostInterest(run, account, day);
        if (posted != 0) {
          AddLedger(run, LedgerKind::InterestPosted, day, account.name, posted).detail = {DetailKind::InterestBeforeWriteOff};
        }
        std::int64_t amount = WriteOff(run, account, day);
        total = CheckedAdd(run, total, amount);
        AddLedger(run, LedgerKind::WrittenOff, day, account.name, amount);
      }
      record.has_amount = 1;
      record.amount = total;
      if (run->end_kind == EndKind::None || run->end_kind == EndKind::Placed) {
        run->end_kind = EndKind::WrittenOff;
        run->ended_on = day;
      }
      break;
    }
    default: break;
  }
  for (std::uint32_t k = 0; k < record.invoice_count; ++k) {
    std::int32_t& covered = trace.covered[record.first_invoice + k];
    covered = accounts[static_cast<std::uint32_t>(covered)].invoice;
  }
  trace.actions.push_back(record);
}

void recoup_fire_end(RunState* run) {
  Trace& trace = *run->trace;
  FiringTrace& firing = run->accounts->pending;
  firing.action_count = static_cast<std::uint32_t>(trace.actions.size()) - firing.first_action;
  // After its actions, so that interest they posted first reads before them.
  firing.sequence = trace.sequence++;
  trace.firings.push_back(firing);
  run->day_changed = 1;
}

void recoup_finish(RunState* run) {
  Trace& trace = *run->trace;
  RunAccounts& accounts = *run->accounts;
  const PolicyIr& ir = *run->policy->ir;
  // The interest action's amount: what its accrual posted by the horizon.
  for (const FiringTrace& firing : trace.firings) {
    if (firing.cause != CauseKind::Step) continue;
    StepState& state = run->steps[firing.index];
    for (std::uint32_t k = 0; k < firing.action_count; ++k) {
      ActionTrace& action = trace.actions[firing.first_action + k];
      if (action.kind != static_cast<std::uint8_t>(ActionKind::Interest) || state.interest_reported) continue;
      std::int64_t total = 0;
      for (const Account& account : accounts) total = CheckedAdd(run, total, PostedBy(account, firing.index));
      action.has_amount = 1;
      action.amount = total;
      state.interest_reported = 1;
    }
  }
  (void)ir;
  TotalsTrace& totals = trace.totals;
  std::int64_t unapplied = totals.unapplied;
  std::int64_t collected = totals.collected;
  totals = TotalsTrace{};
  for (const Account& account : accounts) {
    InvoiceTrace& summary = trace.invoices.emplace_back();
    summary.invoice = account.invoice;
    TotalsTrace& own = summary.totals;
    own.amount = account.amount;
    own.fees_charged = account.fees_charged;
    own.interest_charged = account.interest_charged;
    own.applied = account.applied;
    own.written_off = account.written_off_amount;
    own.collected = account.applied;
    own.principal = account.principal;
    own.fees = account.fees;
    own.interest = account.interest;
    own.open = CheckedAdd(run, CheckedAdd(run, account.principal, account.fees), account.interest);
    summary.settled_on = account.settled_on;
    summary.written_off = account.written_off ? 1 : 0;
    summary.placed_on = account.placed_on;
    totals.amount = CheckedAdd(run, totals.amount, own.amount);
    totals.fees_charged = CheckedAdd(run, totals.fees_charged, own.fees_charged);
    totals.interest_charged = CheckedAdd(run, totals.interest_charged, own.interest_charged);
    totals.applied = CheckedAdd(run, totals.applied, own.applied);
    totals.written_off = CheckedAdd(run, totals.written_off, own.written_off);
    totals.principal = CheckedAdd(run, totals.principal, own.principal);
    totals.fees = CheckedAdd(run, totals.fees, own.fees);
    totals.interest = CheckedAdd(run, totals.interest, own.interest);
    totals.open = CheckedAdd(run, totals.open, own.open);
  }
  totals.unapplied = unapplied;
  totals.collected = collected;
  trace.conservation_ok = recoup_conservation_ok(&trace);
}

std::uint8_t recoup_conservation_ok(const Trace* trace) {
  auto balanced = [](const TotalsTrace& totals) {
    __int128 owed = static_cast<__int128>(totals.amount) + totals.fees_charged + totals.interest_charged;
    __int128 accounted = static_cast<__int128>(totals.applied) + totals.written_off + totals.open;
    return owed == accounted && totals.principal >= 0 && totals.fees >= 0 && totals.interest >= 0;
  };
  for (const InvoiceTrace& invoice : trace->invoices) {
    if (!balanced(invoice.totals)) return 0;
  }
  const TotalsTrace& totals = trace->totals;
  if (!balanced(totals)) return 0;
  return static_cast<__int128>(totals.collected) == static_cast<__int128>(totals.applied) + totals.unapplied ? 1 : 0;
}

}  // extern "C"
