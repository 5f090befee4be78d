// Running a policy over one subject and reading what happened: the
// executable form of docs/semantics.md. Given a checked policy and one
// subject's facts, Interpret() reports which steps fired and why, which did
// not and why, and what is owed over time. It is pure (no clock, no
// globals), uses exact money only, and returns errors as values. It runs an
// engine (compiler/engine.h; the interpreter engine unless the options name
// another) and renders its trace; the day-by-day reference interpreter
// (compiler/reference_interpreter.h) gives the same result and is kept as
// the oracle for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/date.h"
#include "runtime/money.h"

namespace recoup::compiler {

// What caused something: a step (index into PolicyIr::steps) or a stop rule
// (index into PolicyIr::stops).
struct Cause {
  enum class Kind : std::uint8_t { Step, Stop } kind = Kind::Step;
  std::uint32_t index = 0;
};

// One value a guard or condition read, printed for a person: `invoice.balance`
// = `12000.00 USD`.
struct GuardRead {
  std::string name;
  std::string value;
};

// One action that happened.
struct ActionRecord {
  ActionKind kind = ActionKind::Email;
  std::string text;                   // template, script, task text, agency, firm
  std::string detail;                 // e.g. "2% of balance 12000.00 USD, clamped to max 200.00 USD"
  std::optional<runtime::Money> amount;  // fee charged; interest: total posted by the horizon
  std::vector<std::string> invoices;  // the invoices it covers
  runtime::Money cost;                // from the policy's cost table
};

// A step (or stop rule) that fired on one day.
struct Firing {
  std::uint32_t sequence = 0;         // order of everything the run reports
  runtime::Date date;
  runtime::Date scheduled;            // the occurrence's own date (earlier when deferred)
  Cause cause;
  std::int64_t occurrence = 0;        // recurring: 0 for the first occurrence
  std::vector<GuardRead> guard_reads;
  std::vector<ActionRecord> actions;
};

enum class NotFiredReason : std::uint8_t {
  GuardFalse,          // skipped by its guard
  PauseSkipped,        // inside a `skip` pause
  PausedUntilHorizon,  // deferred by a pause that lasted to the horizon
  SubjectSettled,      // paid in full before its date
  SubjectWrittenOff,
  SubjectPlaced,       // with an agency under `after agency: stop`
  SubjectStopped,      // a stop rule ended the policy
  NoOpenInvoice,       // customer subject with nothing open
  AnchorNeverFired,
  NoPromise,
  BeforeIssue,
  AfterHorizon,
  DatePassed,          // its date had passed when its anchor became known
  UntilReached,        // recurring: reached its `until` date (not a failure)
  MaxReached,          // recurring: fired `max` times (not a failure)
};

// Why a step, or one occurrence of it, did not fire.
struct NotFired {
  std::uint32_t sequence = 0;
  std::optional<runtime::Date> date;  // the day it was decided / its date
  Cause cause;
  NotFiredReason reason = NotFiredReason::GuardFalse;
  std::string detail;                 // "dispute", an anchor label, a date...
  std::vector<GuardRead> guard_reads;
  StepId related_step = kNoId;        // AnchorNeverFired: the step it waited for
  bool decided_at_end = false;        // found when the run ended, not on a day of it
};

// A plain sentence for a reason ("skipped by its guard").
const char* NotFiredReasonText(NotFiredReason reason);

// Whether `kind` undoes a state (`resume service`, `release credit`), and
// so does nothing, and is not an action, while that state is off.
bool UndoesState(ActionKind kind);
// The timeline's note for such an action that had nothing to undo:
// "resume service: nothing to resume, service was not suspended".
const char* UnneededActionText(ActionKind kind);

// Something that happened to what is owed, or (Deferred, Unneeded) a note
// for the timeline. A fee is not a ledger event: the fee action's record
// (ActionRecord) already holds its amount and the one invoice it is posted
// to, and `recoup explain` shows it as that action.
struct LedgerEvent {
  enum class Kind : std::uint8_t {
    Payment, InterestPosted, WrittenOff, DisputeOpened, DisputeResolved, PromiseMade, Deferred,
    Unneeded,  // `resume service` or `release credit` with nothing to undo (docs/semantics.md section 11)
  };
  std::uint32_t sequence = 0;
  Kind kind = Kind::Payment;
  runtime::Date date;
  std::string invoice;
  runtime::Money amount;
  // Payment: how it was applied.
  runtime::Money to_fees, to_interest, to_principal, unapplied;
  std::string detail;          // Deferred: the pause ("dispute"); InterestPosted: why now
  StepId step = kNoId;         // Deferred: the step that waits
};

// What is owed after one day on which something happened.
struct BalancePoint {
  runtime::Date date;
  runtime::Money principal, fees, interest, open;
};

// Totals over the subject, or for one invoice; the conservation identities
// of docs/semantics.md section 14 hold over them.
struct MoneyTotals {
  runtime::Money amount, fees_charged, interest_charged;
  runtime::Money applied, written_off, unapplied, collected;
  runtime::Money principal, fees, interest, open;
};

struct InvoiceSummary {
  std::string id;
  MoneyTotals totals;
  std::optional<runtime::Date> settled_on;
  bool written_off = false;
  std::optional<runtime::Date> placed_on;
};

// An invoice the policy leaves alone, and why.
struct NotCovered {
  std::string invoice;
  std::string reason;
};

struct InterpretResult {
  runtime::Date start;
  runtime::Date horizon;
  std::vector<Firing> firings;
  std::vector<NotFired> not_fired;
  std::vector<LedgerEvent> ledger;
  std::vector<BalancePoint> balances;
  std::vector<BalancePoint> probes;     // one per InterpretOptions::balance_probes day evaluated
  std::vector<InvoiceSummary> invoices;
  std::vector<NotCovered> not_covered;
  MoneyTotals totals;
  bool conservation_ok = true;
  std::string conservation_detail;   // what failed, when it did
  std::optional<std::string> error;  // money overflow, an unreadable attribute...
};

// Runs `policy` over `facts` up to `options.horizon` on `options.engine`.
// Never throws for bad facts or overflow: those come back in `error`.
InterpretResult Interpret(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options);

}  // namespace recoup::compiler
