// The engine ABI: plain C-layout types and `extern "C"` runtime services
// shared by the interpreter engine (compiler/engine_driver.cpp) and code the
// LLVM JIT generates (compiler/jit/). Both engines run the same driver
// (docs/semantics.md written as code) over the same inputs and call the
// same services for everything generic, so they agree by construction on
// money, interest, calendars and the trace.
//
// What generated code reads and writes is only plain integers, pointers and
// the structs below: no std:: containers, no strings, no exceptions.
//   - Dates are int32 day numbers (runtime::Date::days(); kNoDate = none).
//   - Money is int64 minor units of the policy currency.
//   - Decimals (percentages, counts, numbers) are (int64 digits, uint8 scale).
//   - Text is (pointer, length), not NUL-terminated, owned by the SubjectView.
//
// The input of one run is a SubjectView (built from SubjectFacts by
// Interpret(), or straight from the columnar ledger by the replay). The
// run's state is a RunState: the C-layout parts generated code touches
// directly (step states, the end of the subject, counters) and an opaque
// part (accounts, interest accruals) reached only through services. The
// output is a Trace of typed records; compiler/trace_renderer.cpp turns it
// into an InterpretResult with strings, the replay into a SubjectOutcome
// without any.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace recoup::compiler::abi {

// ---------------------------------------------------------------------------
// Plain values

inline constexpr std::int32_t kNoDate = INT32_MIN;  // an absent date
inline constexpr std::int32_t kNoIndex = -1;        // an absent invoice / name

// Text owned by the SubjectView (or the ledger's string pools).
struct TextRef {
  const char* data = nullptr;
  std::uint32_t size = 0;
};

// A typed value as an expression sees it (Value in policy_ir.h without the
// std::string). `type` is compiler::Type; money is minor units of the
// policy currency; dates are day numbers; durations are a count and a unit
// (compiler::DurationUnit); bools are 0/1; decimals are digits and scale.
struct TypedValue {
  std::uint8_t type = 0;   // compiler::Type
  std::uint8_t scale = 0;  // decimals (Percent, Rate, Count, Number)
  std::uint8_t unit = 0;   // Duration: compiler::DurationUnit
  std::uint8_t pad = 0;
  std::uint32_t currency = 0;  // Money: runtime::CurrencyId
  std::int64_t number = 0;     // money minor / date days / duration count / bool / decimal digits
  TextRef text;                // Text
};

// A declared attribute's value for one invoice or customer, parsed once to
// the declared type. Missing and Unparseable keep what is needed to render
// the reference interpreter's exact error message.
enum class SlotState : std::uint8_t { Missing, Ok, Unparseable };
struct AttributeSlot {
  SlotState state = SlotState::Missing;
  TypedValue value;  // Ok: the value; Unparseable: value.text is the raw text
};

// ---------------------------------------------------------------------------
// The subject (input)

struct InvoiceView {
  std::int32_t name = 0;        // index into SubjectView::names (its id)
  std::int32_t issue = 0;
  std::int32_t due = 0;
  std::int64_t amount = 0;      // minor units of `currency`
  std::uint32_t currency = 0;   // runtime::CurrencyId
  std::uint32_t pad = 0;
};

// A payment; `invoice` is an index into SubjectView::invoices, kNoIndex for
// "the oldest open one". `name` is the invoice name as written (kNoIndex
// when empty), which may name an invoice the subject does not hold.
struct PaymentView {
  std::int32_t invoice = kNoIndex;
  std::int32_t name = kNoIndex;
  std::int32_t date = 0;
  std::uint32_t currency = 0;
  std::int64_t amount = 0;
};

struct DisputeView {
  std::int32_t name = kNoIndex;   // the invoice as written, for the trace
  std::int32_t opened = 0;
  std::int32_t resolved = kNoDate;  // kNoDate: never resolved
};

struct PromiseView {
  std::int32_t invoice = kNoIndex;  // index into invoices (kNoIndex: none / unknown)
  std::int32_t name = kNoIndex;
  std::int32_t made = kNoDate;      // kNoDate: the due date of its invoice (section 6)
  std::int32_t promised = 0;
};

// One subject, read-only for the run. Attribute slots are indexed by the
// policy's AttributeId: invoice i's slots are
// invoice_attributes[i * attribute_count .. (i + 1) * attribute_count).
struct SubjectView {
  const TextRef* names = nullptr;  // invoice ids and other invoice names written in the facts
  std::uint32_t name_count = 0;
  TextRef customer_id;
  TextRef segment;                 // "" when absent
  TextRef country;                 // "" when absent
  std::int64_t prior_late_payments = 0;  // customers' `late_payments` attribute when a whole number
  const InvoiceView* invoices = nullptr;
  std::uint32_t invoice_count = 0;
  const PaymentView* payments = nullptr;  // in the order given (applied in that order on a day)
  std::uint32_t payment_count = 0;
  const DisputeView* disputes = nullptr;
  std::uint32_t dispute_count = 0;
  const PromiseView* promises = nullptr;
  std::uint32_t promise_count = 0;
  std::uint32_t attribute_count = 0;  // PolicyIr::attributes.size()
  const AttributeSlot* invoice_attributes = nullptr;   // invoice_count x attribute_count
  const AttributeSlot* customer_attributes = nullptr;  // attribute_count
};

// ---------------------------------------------------------------------------
// The trace (output). Records mirror InterpretResult's, with typed data in
// place of strings; `sequence` orders everything the run reports.

enum class CauseKind : std::uint8_t { Step, Stop };

// A detail attached to a not-fired record or a ledger event, as typed data.
enum class DetailKind : std::uint8_t {
  None,
  Date,                      // date
  Integer,                   // number (e.g. `max N`)
  PauseDispute,              // "dispute"
  PausePromise,              // "promise to pay"
  StepName,                  // number = the step id (rendered "`label`" or "step N")
  PromiseAfterHorizon,       // "the promise is made after the horizon"
  InterestAtHorizon,         // "at the horizon"
  InterestBeforePayment,     // "before a payment"
  InterestBeforeWriteOff,    // "before the write-off"
  InterestRetroactive,       // "from DATE to the last payment, posted now" (date)
  UnneededAction,            // compiler::UnneededActionText(number = the ActionKind)
};

struct Detail {
  DetailKind kind = DetailKind::None;
  std::int32_t date = kNoDate;
  std::int64_t number = 0;
};

// One value a guard read (recorded only when explaining).
enum class ReadKind : std::uint8_t { Field, Attribute, Today, Fired };
struct GuardReadRecord {
  ReadKind kind = ReadKind::Field;
  std::uint32_t id = 0;   // Field: compiler::Field; Attribute: AttributeId; Fired: StepId
  TypedValue value;
};

struct ActionTrace {
  std::uint32_t action = 0;     // index into the step's (or stop's) actions
  std::uint8_t kind = 0;        // compiler::ActionKind
  std::uint8_t has_amount = 0;
  std::uint8_t fee_clamp = 0;   // percentage fee: 0 none, 1 raised to min, 2 capped at max
  std::uint8_t pad = 0;
  std::int64_t amount = 0;      // fee charged, write-off total, interest posted by the horizon
  std::int64_t cost = 0;
  std::int64_t fee_base = 0;    // percentage fee: the balance or amount it was taken of
  std::int64_t fee_raw = 0;     // percentage fee before min/max
  std::int32_t interest_from = kNoDate;
  std::uint32_t first_invoice = 0;  // covered invoices: Trace::covered[first .. first + count)
  std::uint32_t invoice_count = 0;
};

struct FiringTrace {
  std::uint32_t sequence = 0;
  CauseKind cause = CauseKind::Step;
  std::uint32_t index = 0;          // StepId or stop index
  std::int32_t date = 0;
  std::int32_t scheduled = 0;
  std::int64_t occurrence = 0;
  std::uint32_t first_action = 0;   // Trace::actions[first .. first + count)
  std::uint32_t action_count = 0;
  std::uint32_t first_read = 0;     // Trace::reads[first .. first + count)
  std::uint32_t read_count = 0;
};

struct NotFiredTrace {
  std::uint32_t sequence = 0;
  CauseKind cause = CauseKind::Step;
  std::uint8_t reason = 0;          // compiler::NotFiredReason
  std::uint8_t decided_at_end = 0;
  std::uint32_t index = 0;
  std::int32_t date = kNoDate;      // kNoDate: none
  std::uint32_t related_step = 0xFFFFFFFFu;
  Detail detail;
  std::uint32_t first_read = 0;
  std::uint32_t read_count = 0;
};

// compiler::LedgerEvent::Kind, in the same order.
enum class LedgerKind : std::uint8_t {
  Payment, InterestPosted, WrittenOff, DisputeOpened, DisputeResolved, PromiseMade, Deferred, Unneeded,
};

struct LedgerTrace {
  std::uint32_t sequence = 0;
  LedgerKind kind = LedgerKind::Payment;
  std::int32_t name = kNoIndex;      // the invoice (index into SubjectView::names), kNoIndex = ""
  std::int32_t date = 0;
  std::int64_t amount = 0;
  std::int64_t to_fees = 0, to_interest = 0, to_principal = 0, unapplied = 0;
  Detail detail;
  std::uint32_t step = 0xFFFFFFFFu;  // Deferred: the step that waits
};

struct BalanceTrace {
  std::int32_t date = 0;
  std::int64_t principal = 0, fees = 0, interest = 0, open = 0;
};

// Totals (compiler::MoneyTotals in minor units).
struct TotalsTrace {
  std::int64_t amount = 0, fees_charged = 0, interest_charged = 0;
  std::int64_t applied = 0, written_off = 0, unapplied = 0, collected = 0;
  std::int64_t principal = 0, fees = 0, interest = 0, open = 0;
};

struct InvoiceTrace {
  std::int32_t invoice = 0;        // index into SubjectView::invoices
  std::int32_t settled_on = kNoDate;
  std::int32_t placed_on = kNoDate;
  std::uint8_t written_off = 0;
  TotalsTrace totals;
};

enum class NotCoveredKind : std::uint8_t { Currency, AppliesToFalse };
struct NotCoveredTrace {
  std::int32_t invoice = 0;        // index into SubjectView::invoices
  NotCoveredKind kind = NotCoveredKind::Currency;
  std::uint32_t first_read = 0;    // AppliesToFalse: what `applies to` read
  std::uint32_t read_count = 0;
};

// Why a run stopped with an error; the renderer turns it into the reference
// interpreter's exact message.
enum class ErrorCode : std::uint8_t {
  None,
  MoneyOverflow,            // "a money amount is too large to represent (overflow)"
  InterestOverflow,         // "interest on this amount is too large to represent (overflow)"
  PercentFeeOverflow,       // "a percentage fee is too large to represent (overflow)"
  SeveralInvoices,          // invoice subject given several covered invoices
  PaymentUnknownInvoice,    // name: the invoice named
  PaymentCurrency,          // number: amount, currency: its currency
  AttributeMissing,         // id: AttributeId
  AttributeUnparseable,     // id: AttributeId, name/invoice: whose slot (kNoIndex: customer)
  NumberInexact,            // "a number is too large or too precise to compute exactly"
  DivisionByZeroAmount,     // "division by a zero amount"
  DivisionByZero,           // "division by zero"
  PercentTooPrecise,        // "a percentage is too precise to compute exactly"
  Internal,                 // "unexpected operator" (a malformed IR)
};

struct ErrorTrace {
  ErrorCode code = ErrorCode::None;
  std::uint32_t id = 0;
  std::int32_t invoice = kNoIndex;
  std::uint32_t currency = 0;
  std::int64_t number = 0;
};

// Everything one run reports. Generated code never touches the vectors: it
// appends through the services below. A Trace is reused across subjects
// (Clear keeps the capacity), so a steady-state run allocates nothing.
struct Trace {
  std::int32_t start = 0;
  std::int32_t horizon = 0;
  std::uint32_t sequence = 0;
  std::vector<FiringTrace> firings;
  std::vector<ActionTrace> actions;
  std::vector<std::int32_t> covered;          // invoice indices covered by actions
  std::vector<NotFiredTrace> not_fired;
  std::vector<LedgerTrace> ledger;
  std::vector<BalanceTrace> balances;
  std::vector<BalanceTrace> probes;
  std::vector<InvoiceTrace> invoices;         // covered invoices, by due, issue, id
  std::vector<NotCoveredTrace> not_covered;
  std::vector<GuardReadRecord> reads;
  TotalsTrace totals;
  std::uint8_t conservation_ok = 1;
  ErrorTrace error;

  void Clear();
};

// ---------------------------------------------------------------------------
// The run state

// compiler::NotFiredReason values, for generated code.
enum class Reason : std::uint8_t {
  GuardFalse, PauseSkipped, PausedUntilHorizon, SubjectSettled, SubjectWrittenOff, SubjectPlaced,
  SubjectStopped, NoOpenInvoice, AnchorNeverFired, NoPromise, BeforeIssue, AfterHorizon, DatePassed,
  UntilReached, MaxReached,
};

// Where one step stands (the reference interpreter's StepState).
struct StepState {
  std::int32_t waiting_since = kNoDate;   // an occurrence deferred by a pause: its own date
  std::int32_t last_decided = kNoDate;    // at most one decision per step per day
  std::int32_t first_fired = kNoDate;
  std::uint8_t done = 0;                  // fired, or decided never to fire
  std::uint8_t date_known = 0;            // its date has been computed once
  std::uint8_t interest_reported = 0;
  std::uint8_t pad = 0;
  std::int64_t waiting_occurrence = 0;
  std::int64_t fired = 0;
};

// Why the subject is no longer open for steps (EndKind).
enum class EndKind : std::uint8_t { None, WrittenOff, Placed, Stopped };

// The status of a computed date (interpreter DateStatus).
enum class DateStatus : std::uint8_t { Known, WaitingForStep, WaitingForPromise, NoPromise, NoOpenInvoice };

enum class PauseEffect : std::uint8_t { None, Defer, Skip };

// What a guard can read on one day besides the subject's facts.
struct GuardContext {
  std::int32_t day = 0;
  std::int32_t invoice = kNoIndex;     // the invoice `invoice.*` reads (index into SubjectView::invoices)
  std::int64_t invoice_balance = 0;
  std::int64_t invoice_principal = 0;
  std::int64_t open_balance = 0;
  std::int64_t open_invoices = 0;
  std::int64_t late_payments = 0;
};

struct RunAccounts;  // opaque: the covered invoices' accounts and accruals
struct RunPolicy;    // opaque: the policy, its calendar and precomputed tables

// One run. The driver owns the control flow; services own the money.
struct RunState {
  const RunPolicy* policy = nullptr;
  const SubjectView* subject = nullptr;
  Trace* trace = nullptr;
  RunAccounts* accounts = nullptr;
  StepState* steps = nullptr;             // one per step
  std::uint32_t step_count = 0;
  std::int32_t start = 0;                 // the first issue date of the covered invoices
  std::int32_t horizon = 0;
  std::int32_t ended_on = kNoDate;        // written off, placed or stopped on (the Subject* details)
  std::int32_t placed_on = kNoDate;
  EndKind end_kind = EndKind::None;
  std::uint8_t explain = 0;               // record guard reads
  std::uint8_t paid_stop_ran = 0;         // `stop when paid` actions ran
  std::uint8_t day_changed = 0;           // something happened today (balance series)
  std::uint8_t customer = 0;              // subject customer
  std::uint8_t failed = 0;                // trace->error is set; the run unwinds
  std::uint16_t pad = 0;
  std::int32_t promise_made = kNoDate;    // the first promise (section 3), kNoDate = none
  std::int32_t promise_date = kNoDate;
  const std::int32_t* probes = nullptr;   // balance probe days
  std::uint32_t probe_count = 0;
};

}  // namespace recoup::compiler::abi

// ---------------------------------------------------------------------------
// Runtime services. Plain-typed, callable by address from generated code
// (registered as absolute symbols by the JIT). Each implements one rule of
// docs/semantics.md; `run` is the RunState of the subject being run. After
// a service sets run->failed, the others do nothing useful and the driver
// should return.
extern "C" {

using recoup::compiler::abi::RunState;

// Section 3: dates. `unit` is compiler::DurationUnit; `date` moved by
// count x times calendar or business days of the policy calendar.
std::int32_t recoup_shift(const RunState* run, std::int32_t date, std::int32_t count, std::uint8_t unit,
                          std::int64_t times);
std::int32_t recoup_end_of_month(std::int32_t date);
// The date anchor `anchor` names on `day`; returns a DateStatus and writes
// the date (Known) or the step waited for (WaitingForStep).
std::uint8_t recoup_anchor_date(const RunState* run, std::uint32_t anchor, std::int32_t day, std::int32_t* date,
                                std::uint32_t* waiting_for);
// The invoice due/issue anchors read on `day`: the oldest open covered
// invoice for a customer subject, the invoice itself otherwise; kNoIndex
// when none is open.
std::int32_t recoup_anchor_invoice(const RunState* run, std::int32_t day);

// Section 2: the facts of one day.
void recoup_apply_payments(RunState* run, std::int32_t day);           // section 7
// The same for payments first .. end-1 only: with the payments in date
// order, a driver that knows which of them fall on `day` (its cursor) skips
// scanning the others; it gives the same trace when no payment outside the
// range is paid on `day`. `may_accrue` 0 says no interest runs on any
// invoice (the policy starts none), so none is posted before a payment.
void recoup_apply_payments_between(RunState* run, std::int32_t day, std::uint32_t first, std::uint32_t end,
                                   std::uint8_t may_accrue);
void recoup_note_disputes_and_promises(RunState* run, std::int32_t day);
// The horizon, a payment or a dispute opening or resolved (the facts part
// of an event day, section 10; the driver adds the steps' dates).
std::uint8_t recoup_is_fact_event_day(const RunState* run, std::int32_t day);
// After the day's steps: interest posted on the horizon, the balance point
// when something happened, the balance probe.
void recoup_end_day(RunState* run, std::int32_t day);
// The first day after `day` on which a fact can change anything: a payment,
// a dispute opening or resolved, a promise made, a pause ending, an invoice
// issued, a balance probe, the horizon (kNoDate when none is left).
std::int32_t recoup_next_fact_day(const RunState* run, std::int32_t day);

// Section 6: the pause on `day`; writes the reason (DetailKind PauseDispute
// or PausePromise) when there is one. Returns a PauseEffect.
std::uint8_t recoup_pause_on(const RunState* run, std::int32_t day, std::uint8_t* reason);
// Section 4: whether the subject is open for steps; when not, writes why
// (a Reason) and the detail (a date, or kNoDate).
std::uint8_t recoup_active(const RunState* run, std::int32_t day, std::uint8_t* why, std::int32_t* detail_date);

// What guards read on `day` (section 4, 12).
void recoup_guard_context(RunState* run, std::int32_t day, recoup::compiler::abi::GuardContext* context);
// Evaluates expression `expression` (an ExpressionId) by walking the IR;
// 1 true, 0 false, -1 an error (run->failed is set). Records reads when
// run->explain.
std::int32_t recoup_evaluate(RunState* run, std::uint32_t expression, std::int32_t day);

// Sections 7 to 12: firing a step or stop rule. Begin, run each action,
// end (which gives the firing its sequence number, after its actions').
// `first_read`: the firing's guard reads are Trace::reads[first_read ..
// end) (what recoup_evaluate recorded since; pass reads.size() for none).
void recoup_fire_begin(RunState* run, std::uint8_t cause, std::uint32_t index, std::int32_t day,
                       std::int32_t scheduled, std::int64_t occurrence, std::uint32_t first_read);
void recoup_run_action(RunState* run, std::uint8_t cause, std::uint32_t index, std::uint32_t action, std::int32_t day);
void recoup_fire_end(RunState* run);

// Section 15: a step (or occurrence) that did not fire; its reads are
// Trace::reads[first_read .. end) (a guard that was false).
void recoup_not_fired(RunState* run, std::uint8_t cause, std::uint32_t index, std::int32_t date, std::uint8_t reason,
                      std::uint8_t detail_kind, std::int32_t detail_date, std::int64_t detail_number,
                      std::uint32_t first_read);
// How many guard reads the trace holds (the `first_read` of what follows).
std::uint32_t recoup_read_mark(const RunState* run);
// Section 6: an occurrence deferred by a pause (`reason` a DetailKind).
void recoup_deferred(RunState* run, std::int32_t day, std::uint32_t step, std::uint8_t reason);

// Sections 9, 14, 15: after the last day: the interest actions' amounts,
// per-invoice summaries, totals and the conservation check.
void recoup_finish(RunState* run);
// Section 14 over a finished trace: 1 when money was conserved.
std::uint8_t recoup_conservation_ok(const recoup::compiler::abi::Trace* trace);

}  // extern "C"
