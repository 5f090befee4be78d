// The engine's private parts: what the opaque abi::RunPolicy and
// abi::RunAccounts hold, one invoice's account (the money rules of
// docs/semantics.md sections 7, 9 and 11 in minor units), and the C++
// helpers the services and the interpreter driver share. Generated code
// never sees this file; it calls the services in engine_abi.h.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "compiler/engine.h"
#include "compiler/engine_abi.h"
#include "compiler/policy_ir.h"
#include "runtime/calendar.h"
#include "runtime/decimal.h"

namespace recoup::compiler {

// The days on which the subject's facts can change something (the
// candidates of recoup_next_fact_day: payments, disputes opened or
// resolved, promises made, promise pauses ending, issue dates, probes, the
// horizon), listed once per run in order with what falls on each. The
// facts of a run never change, so the interpreter driver walks the list
// with a cursor instead of searching the facts on every wake day, and
// calls the payment and dispute services only on days that have some.
struct FactDays {
  // What falls on a day (bits).
  static constexpr std::uint8_t kPayment = 1;      // a payment is applied (PaidOn)
  static constexpr std::uint8_t kDispute = 2;      // a dispute opened or resolved
  static constexpr std::uint8_t kPromiseMade = 4;
  static constexpr std::uint8_t kProbe = 8;
  static constexpr std::uint8_t kOther = 16;       // an issue date, a pause end, the horizon
  struct Entry {
    std::int32_t day = 0;
    std::uint8_t facts = 0;
  };

  // Lists `run`'s fact days (after PrepareRun) and rewinds the cursor.
  void Build(const abi::RunState& run);
  // What falls on `day`; payments dated before the start count on the
  // start (docs/semantics.md section 1). Moves the cursor: the days asked
  // about (by On and After together) must not decrease.
  std::uint8_t On(std::int32_t day) {
    const Entry* list = storage.data();
    while (cursor < count && list[cursor].day < day) ++cursor;
    std::uint8_t facts = cursor < count && list[cursor].day == day ? list[cursor].facts : 0;
    if (day == start && paid_before_start) facts |= kPayment;
    return facts;
  }
  // The first fact day after `day` (recoup_next_fact_day), kNoDate when none.
  std::int32_t After(std::int32_t day) {
    const Entry* list = storage.data();
    while (cursor < count && list[cursor].day <= day) ++cursor;
    return cursor < count ? list[cursor].day : abi::kNoDate;
  }

  std::vector<Entry> storage;  // [0, count): by day, one per day; grows, never shrinks
  std::uint32_t count = 0;
  std::uint32_t cursor = 0;
  std::int32_t start = 0;
  bool paid_before_start = false;
  std::uint8_t horizon_facts = 0;  // what falls on the horizon
};

}  // namespace recoup::compiler

namespace recoup::compiler::abi {

// An anchor as ComputeAnchor walks it: offsets that are all calendar days
// are summed once (business days must be counted one offset at a time).
struct AnchorPlan {
  AnchorBase base = AnchorBase::Due;
  std::uint32_t step = kNoId;
  std::uint32_t inner = kNoId;
  bool calendar_only = true;
  std::int32_t calendar_days = 0;
};

// A condition compiled once per policy when it only compares fields with
// literals (joined by and, or, not; `in` lists): what it reads cannot fail,
// so it is decided without walking the IR (EvaluateCompiledTest). Nodes
// refer to each other by index; the root is the last.
struct TestNode {
  ExpressionKind kind = ExpressionKind::Literal;  // Literal, Not, And, Or, a comparison, In
  Field field = Field::InvoiceId;  // comparison, In: the field read
  bool field_left = true;          // comparison: the field is the left operand
  std::uint32_t left = 0, right = 0;      // Not, And, Or: operand nodes
  TypedValue literal;                     // Literal, comparison: the literal
  std::uint32_t list_begin = 0, list_count = 0;  // In: TestPlan::list
};
struct TestPlan {
  std::vector<TestNode> nodes;  // empty: not compiled (walk the IR)
  std::vector<TypedValue> list;
};

// The policy as the services need it, built once per policy.
struct RunPolicy {
  // `applies to` compiled (section 13), used when not explaining.
  TestPlan applies_to;
  std::vector<AnchorPlan> anchors;
  // Per step: its trigger anchor depends only on which steps fired (not on
  // the day): an invoice subject's, anchored without a promise.
  std::vector<std::uint8_t> step_anchor_fixed;
  // `stop when paid` has actions; some stop rule can act (a condition, or
  // those actions): without, the driver need not find event days.
  bool has_paid_stop_actions = false;
  bool stops_matter = false;
  // Per step: another step's trigger or `until` anchor counts from it.
  std::vector<std::uint8_t> step_has_dependents;
  // An invoice subject's steps anchored at its due or issue date plus
  // calendar days (fixed, known before the first day), in step order.
  struct PlainStep {
    std::uint32_t step = 0;
    bool due = true;  // else the issue date
    bool at = true;   // an `at` step, else recurring (the date is its base)
    std::int32_t calendar_days = 0;
  };
  std::vector<PlainStep> plain_steps;
  const PolicyIr* ir = nullptr;
  runtime::BusinessCalendar calendar = runtime::BusinessCalendar::Weekends();
  std::array<std::int64_t, kActionKindCount> costs{};
  runtime::CurrencyId currency = 0;
  bool customer = false;
};

// One interest action running on an invoice: the exact accrual of the span
// not yet posted starts at `cursor`.
struct Accrual {
  std::uint32_t step = 0;  // the accrual id (stops have the top bit set)
  runtime::Decimal annual_rate;
  std::int32_t cursor = 0;
  std::int64_t posted = 0;
};

struct PrincipalFrom {
  std::int32_t from = 0;
  std::int64_t principal = 0;
};

// How one payment was applied to an invoice.
struct Split {
  std::int64_t to_fees = 0, to_interest = 0, to_principal = 0, left_over = 0;
};

// What one covered invoice owes (the reference interpreter's
// InvoiceAccount over plain integers). Reused between subjects: Open()
// clears it without giving back its buffers.
struct Account {
  std::int32_t invoice = 0;  // index into SubjectView::invoices
  std::int32_t name = 0;     // its id, index into SubjectView::names
  std::int32_t issue = 0, due = 0;
  std::int64_t amount = 0;
  std::int64_t principal = 0, fees = 0, interest = 0;
  std::int64_t fees_charged = 0, interest_charged = 0, applied = 0, written_off_amount = 0;
  bool written_off = false;
  std::int32_t settled_on = kNoDate;
  std::int32_t placed_on = kNoDate;
  std::vector<PrincipalFrom> history;
  std::vector<Accrual> accruals;

  void Open(const SubjectView& subject, std::int32_t index);
};

// The accounts of one run and the scratch lists the services reuse.
struct RunAccounts {
  std::vector<Account> storage;  // grows, never shrinks
  std::uint32_t count = 0;
  std::vector<std::int32_t> scratch;  // account indices
  std::vector<std::int32_t> promise_made;  // per promise: the day it was made (section 6 default filled in)
  FactDays fact_days;  // the run's fact days, listed by either driver
  // The firing being built (recoup_fire_begin .. recoup_fire_end).
  FiringTrace pending;
  // Section 11: `suspend service` / `hold credit` ran, and no `resume
  // service` / `release credit` since.
  bool service_suspended = false;
  bool credit_held = false;

  Account* begin() { return storage.data(); }
  Account* end() { return storage.data() + count; }
  Account& operator[](std::uint32_t i) { return storage[i]; }
  const Account& operator[](std::uint32_t i) const { return storage[i]; }
};

// Records the run's first error; later ones are ignored (the reference
// interpreter's ErrorSink).
void Fail(RunState* run, ErrorCode code, std::uint32_t id = 0, std::int32_t invoice = kNoIndex,
          std::int64_t number = 0, std::uint32_t currency = 0);
// a + b, or `a` and a MoneyOverflow failure (inline: on every money path).
inline std::int64_t CheckedAdd(RunState* run, std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) [[unlikely]] {
    Fail(run, ErrorCode::MoneyOverflow);
    return a;
  }
  return sum;
}

// Account rules (engine_accounts.cpp; the common cases inline here).
std::int64_t InterestOwed(RunState* run, const Account& account, std::int32_t day);
std::int64_t BalanceWithAccruals(RunState* run, const Account& account, std::int32_t day);
// principal + fees + interest owed on `day` (posted, and accrued unposted).
inline std::int64_t Balance(RunState* run, const Account& account, std::int32_t day) {
  if (!account.accruals.empty()) return BalanceWithAccruals(run, account, day);
  std::int64_t owed = 0;
  if (__builtin_add_overflow(account.principal, account.fees, &owed) ||
      __builtin_add_overflow(owed, account.interest, &owed)) {
    return BalanceWithAccruals(run, account, day);  // reports the overflow
  }
  return owed;
}
// Issued on or before `day`, something owed, not written off.
inline bool IsOpen(RunState* run, const Account& account, std::int32_t day) {
  return account.issue <= day && !account.written_off && Balance(run, account, day) > 0;
}
std::int64_t PostInterest(RunState* run, Account& account, std::int32_t day);
std::int64_t StartInterest(RunState* run, Account& account, std::uint32_t step, runtime::Decimal rate, std::int32_t from,
                           std::int32_t today);
void ChargeFee(RunState* run, Account& account, std::int64_t amount);
Split ApplyPayment(RunState* run, Account& account, std::int64_t amount, std::int32_t day, const SettlementOrder& order);
std::int64_t WriteOff(RunState* run, Account& account, std::int32_t day);
std::int64_t PostedBy(const Account& account, std::uint32_t step);

// Shared helpers (engine_services.cpp).
Account* OldestOpen(RunState* run, std::int32_t day);
// The invoice due/issue anchors read (section 12): the oldest open one for
// a customer, the invoice itself otherwise.
inline Account* AnchorAccount(RunState* run, std::int32_t day) {
  if (!run->customer) return &(*run->accounts)[0];
  return OldestOpen(run, day);
}
Account* FindAccountByName(RunState* run, std::int32_t name);
LedgerTrace& AddLedger(RunState* run, LedgerKind kind, std::int32_t day, std::int32_t name, std::int64_t amount);
void AddNotFired(RunState* run, CauseKind cause, std::uint32_t index, std::int32_t date, Reason reason, Detail detail,
                 std::uint32_t first_read);
GuardContext ContextOn(RunState* run, std::int32_t day, Account* invoice);
// Section 3: a date anchor on `day`.
struct AnchorResult {
  DateStatus status = DateStatus::Known;
  std::int32_t date = 0;
  std::uint32_t waiting_for = kNoId;
};
AnchorResult ComputeAnchor(const RunState* run, AnchorId anchor, std::int32_t day);
std::int32_t ShiftBusinessDays(const RunState* run, std::int32_t date, std::int64_t count);
// `date` moved by times x duration: calendar days, or business days of the
// policy calendar; clamped far past any horizon.
inline std::int32_t Shift(const RunState* run, std::int32_t date, Duration duration, std::int64_t times) {
  constexpr std::int64_t kFarDays = 10'000'000;
  std::int64_t wide = static_cast<std::int64_t>(duration.count) * times;
  wide = wide < -kFarDays ? -kFarDays : wide > kFarDays ? kFarDays : wide;
  if (duration.unit == DurationUnit::BusinessDays) return ShiftBusinessDays(run, date, wide);
  return date + static_cast<std::int32_t>(wide);
}

// Expressions (engine_expression.cpp): evaluates with an explicit context;
// records reads into the trace when run->explain.
struct EvaluationOutcome {
  TypedValue value;
  bool ok = true;
};
EvaluationOutcome EvaluateExpression(RunState* run, ExpressionId expression, const GuardContext& context);
// `expression` compiled to a TestPlan, or an empty plan when it reads
// anything but fields and literals (or computes).
TestPlan CompileTest(const PolicyIr& ir, ExpressionId expression);
// The compiled condition's value with `context`; reads are not recorded.
bool EvaluateCompiledTest(RunState* run, const TestPlan& plan, const GuardContext& context);
// A folded IR value as a TypedValue (text points into the IR).
TypedValue FromIrValue(const Value& value);
// Back: a TypedValue as an IR Value (for rendering).
Value ToIrValue(const TypedValue& value);

}  // namespace recoup::compiler::abi

namespace recoup::compiler {

// Calls visit(day, facts) for every candidate of recoup_next_fact_day with
// what falls on it (FactDays' bits), unsorted and with repeats: the covered
// invoices' issue dates, payments, disputes opened and resolved, promises
// made and promise pauses ending, probes, the horizon. The one list of
// them: recoup_next_fact_day searches it, FactDays::Build sorts it.
template <typename Visit>
void VisitFactDays(const abi::RunState& run, Visit&& visit) {
  using namespace abi;
  const SubjectView& subject = *run.subject;
  for (const Account& account : *run.accounts) visit(account.issue, FactDays::kOther);
  for (std::uint32_t p = 0; p < subject.payment_count; ++p) visit(subject.payments[p].date, FactDays::kPayment);
  for (std::uint32_t d = 0; d < subject.dispute_count; ++d) {
    visit(subject.disputes[d].opened, FactDays::kDispute);
    if (subject.disputes[d].resolved != kNoDate) visit(subject.disputes[d].resolved, FactDays::kDispute);
  }
  const std::int32_t* made = run.accounts->promise_made.data();
  for (std::uint32_t p = 0; p < subject.promise_count; ++p) {
    visit(made[p], FactDays::kPromiseMade);
    for (const Pause& pause : run.policy->ir->pauses) {
      if (pause.reason != PauseReason::Promise) continue;
      std::int32_t end = subject.promises[p].promised;
      if (pause.grace) end = Shift(&run, end, *pause.grace, 1);
      if (end < std::numeric_limits<std::int32_t>::max()) visit(end + 1, FactDays::kOther);
    }
  }
  for (std::uint32_t p = 0; p < run.probe_count; ++p) visit(run.probes[p], FactDays::kProbe);
  visit(run.horizon, FactDays::kOther);
}

// The driver's memo of one step's located occurrence (engine_driver.cpp).
struct LocateMemo {
  std::int32_t day = abi::kNoDate;
  std::uint64_t epoch = 0;
  std::uint8_t status = 0;
  std::int32_t date = 0;
  std::int64_t index = 0;
  std::uint32_t waiting_for = 0;
};

struct EngineWorkspace::Impl {
  abi::RunState run;
  std::vector<LocateMemo> locate_memo;
  std::vector<std::int32_t> fixed_date;  // per step: its final date once known
  std::vector<std::int32_t> chance;      // per step: the driver's next chance
  abi::RunAccounts accounts;
  std::vector<abi::StepState> steps;
};

}  // namespace recoup::compiler
