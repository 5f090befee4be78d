// The typed Policy IR: what the checker hands to both back ends (the
// reference interpreter and the LLVM JIT). It is finished and
// self-contained: names are resolved to ids, units are in the types,
// constants are folded to values, templates are expanded, labels point at
// steps. Nothing refers back into the syntax tree except SourceRanges, which
// `explain` and diagnostics use to show where a step was written.
//
// Like Carbon's SemIR, everything lives in flat vectors owned by PolicyIr
// and refers to everything else by a small integer id (an index into the
// vector of that kind). `kNoId` marks an absent reference.
//
// Conventions the back ends rely on:
// - Percentages and rates are kept in percentage points: 2.5% is the
//   Decimal 2.5, and `8% per year` is the rate 8. `P% of m` is
//   m x P / 100 rounded half-even to the minor unit.
// - Money is runtime::Money in minor units. Every money value reachable from
//   a finished policy's steps, stops and tests is in the policy currency.
// - A Duration is a signed count: calendar days for Days and Weeks (weeks
//   are already multiplied by 7, the unit only remembers the spelling), and
//   business days (counted with the policy calendar) for BusinessDays.
// - The default cost table: the checker takes the table `costs standard` from
//   stdlib/costs/standard.recoup when the loader could read it (its amounts
//   are read as amounts in the policy currency, rounded half-even to the
//   currency's decimals), otherwise every action costs zero. `costs NAME` in
//   the header replaces the default table; `costs { ... }` overrides single
//   entries of it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "language/source.h"
#include "runtime/calendar.h"
#include "runtime/currency.h"
#include "runtime/date.h"
#include "runtime/decimal.h"
#include "runtime/money.h"

namespace recoup::compiler {

using ExpressionId = std::uint32_t;
using ValueId = std::uint32_t;
using AnchorId = std::uint32_t;
using StepId = std::uint32_t;
using AttributeId = std::uint32_t;
inline constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

// The type of a value; money also carries its currency (ValueType).
// `Error` exists only while checking (it silences cascades) and never
// appears in a finished PolicyIr.
enum class Type : std::uint8_t { Money, Percent, Rate, Duration, Date, Count, Number, Bool, Text, Error };

const char* TypeSpelling(Type type);

// A full type: the unit, the currency of money, and whether it is a list
// (only constants and the right side of `in` are lists).
struct ValueType {
  Type type = Type::Error;
  runtime::CurrencyId currency = 0;  // Money only
  bool any_currency = false;         // Money in a library file with no policy currency
  bool is_list = false;

  friend bool operator==(const ValueType&, const ValueType&) = default;
};

enum class DurationUnit : std::uint8_t { Days, BusinessDays, Weeks };

struct Duration {
  std::int32_t count = 0;  // calendar days (Days, Weeks x 7) or business days
  DurationUnit unit = DurationUnit::Days;

  friend bool operator==(const Duration&, const Duration&) = default;
};

// A folded constant.
struct Value {
  Type type = Type::Error;
  runtime::Money money;        // Money
  runtime::Decimal decimal;    // Percent and Rate (points), Count (scale 0), Number
  Duration duration;           // Duration
  runtime::Date date;          // Date
  bool boolean = false;        // Bool
  std::string text;            // Text
};

// Built-in fields a policy can read (docs/language.md, "What a policy can read").
enum class Field : std::uint8_t {
  InvoiceId, InvoiceAmount, InvoiceBalance, InvoicePrincipal, InvoiceDaysPastDue,
  InvoiceCurrency, InvoiceIssue, InvoiceDue,
  CustomerId, CustomerSegment, CustomerCountry, CustomerOpenBalance,
  CustomerOpenInvoices, CustomerLatePayments,
};

// "invoice.amount", "customer.segment".
const char* FieldSpelling(Field field);

enum class ExpressionKind : std::uint8_t {
  Literal,      // value
  Field,        // field
  Attribute,    // attribute
  Today,
  Fired,        // step: how many times it fired for this subject (count)
  Not, Negate,  // left
  And, Or,      // left, right (short-circuit)
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,  // left, right
  Add, Subtract, Multiply, Divide,                          // left, right
  PercentOf,    // left (percent) of right (money)
  PerYear,      // left (percent) as an annual rate
  In,           // left, values [list_begin, list_begin + list_count)
};

// A runtime-dependent expression node. Constant sub-expressions are folded
// into Literal nodes; the operands' types say which arithmetic applies
// (money + money, date + duration...).
struct Expression {
  ExpressionKind kind = ExpressionKind::Literal;
  ValueType type;
  language::SourceRange range;
  ExpressionId left = kNoId;
  ExpressionId right = kNoId;
  ValueId value = kNoId;                  // Literal
  Field field = Field::InvoiceId;         // Field
  AttributeId attribute = kNoId;          // Attribute
  StepId step = kNoId;                    // Fired
  ValueId list_begin = 0;                 // In
  std::uint32_t list_count = 0;           // In
};

enum class AnchorBase : std::uint8_t { Due, Issue, Promise, Step, EndOfMonth };

struct Offset {
  Duration duration;
  language::SourceRange range;
};

// A date a trigger counts from: a base, then offsets applied left to right.
struct Anchor {
  AnchorBase base = AnchorBase::Due;
  StepId step = kNoId;        // Step: the day that step fired
  std::string label;          // Step: the label as written, for printing
  AnchorId inner = kNoId;     // EndOfMonth: the last day of the month of inner
  std::vector<Offset> offsets;
  language::SourceRange range;
};

enum class TriggerKind : std::uint8_t { At, Every };
enum class UntilKind : std::uint8_t { None, Anchor, Agency };

struct Trigger {
  TriggerKind kind = TriggerKind::At;
  AnchorId anchor = kNoId;        // At: the date; Every: the first occurrence
  Duration period;                // Every
  UntilKind until = UntilKind::None;
  AnchorId until_anchor = kNoId;  // until == Anchor
  std::optional<std::int64_t> max_times;  // Every: at most this many firings
  language::SourceRange range;
};

// Same kinds and order as language::ActionKind, so costs index by it.
enum class ActionKind : std::uint8_t {
  Email, Sms, Letter, Call, Notice, Task,
  Fee, Interest,
  SuspendService, ResumeService, HoldCredit, ReleaseCredit,
  Agency, Legal, WriteOff,
};
inline constexpr std::size_t kActionKindCount = 15;
const char* ActionSpelling(ActionKind kind);

enum class FeeBasis : std::uint8_t { Flat, Balance, Amount };
enum class TaskTarget : std::uint8_t { Queue, Owner };

// One action with its parameters folded.
struct Action {
  ActionKind kind = ActionKind::Email;
  language::SourceRange range;
  // Email/Sms/Letter/Notice: template; Call: script (may be empty); Task:
  // the task text; Agency: agency name; Legal: firm (may be empty).
  std::string text;
  std::string task_assignee;                  // Task: the queue or owner
  TaskTarget task_target = TaskTarget::Queue;
  FeeBasis fee_basis = FeeBasis::Flat;
  runtime::Money fee_amount;                  // Fee, Flat
  runtime::Decimal percent;                   // Fee (Balance/Amount), Agency contingency: points
  std::optional<runtime::Money> fee_min;      // percentage fee clamps
  std::optional<runtime::Money> fee_max;
  runtime::Decimal annual_rate;               // Interest: percentage points per year
  AnchorId interest_from = kNoId;             // Interest: kNoId = from the day the step fires
};

// A step after template expansion, in source order.
struct Step {
  std::optional<std::string> label;
  language::SourceRange label_range;
  language::SourceRange range;
  Trigger trigger;
  std::vector<Action> actions;
  // Evaluated on the day the step is due; kNoId = always. `unless X` is
  // stored as Not(X); a guard that folds to a constant becomes a Literal.
  ExpressionId guard = kNoId;
  bool guard_written_unless = false;          // for explain
  language::SourceRange guard_range;
  // Found by step analysis: the step can never fire (guard always false,
  // `max 0 times`, anchored to a step that never fires, or `applies to`
  // always false). Back ends may skip it.
  bool unreachable = false;
  // The `use` lines this step was expanded from, innermost first.
  std::vector<language::SourceRange> expanded_from;
};

enum class PauseReason : std::uint8_t { Dispute, Promise };
enum class PauseRule : std::uint8_t { Defer, Skip };

struct Pause {
  PauseReason reason = PauseReason::Dispute;
  std::optional<Duration> grace;   // Promise: the promised date + grace
  PauseRule rule = PauseRule::Defer;
  language::SourceRange range;
  std::vector<language::SourceRange> expanded_from;
};

struct Stop {
  bool when_paid = false;
  ExpressionId condition = kNoId;  // when not when_paid
  std::vector<Action> actions;
  language::SourceRange range;
  std::vector<language::SourceRange> expanded_from;
};

enum class SubjectKind : std::uint8_t { Invoice, Customer };

// A business-day calendar, resolved: `ToBusinessCalendar` builds the runtime object.
struct CalendarData {
  std::string name = "weekends";
  std::uint8_t weekend_mask = 0b1100000;  // bit i = weekday i (0 Monday) is off
  std::vector<runtime::Date> holidays;    // sorted, unique

  runtime::BusinessCalendar ToBusinessCalendar() const {
    return runtime::BusinessCalendar(name, weekend_mask, holidays);
  }
};

// The three things an invoice owes, in the order a payment settles them.
enum class OwedPart : std::uint8_t { Fees, Interest, Principal };
using SettlementOrder = std::array<OwedPart, 3>;
// Costs, then interest, then principal (EU Late Payment Directive).
inline constexpr SettlementOrder kDefaultSettlementOrder = {OwedPart::Fees, OwedPart::Interest,
                                                            OwedPart::Principal};

struct Header {
  std::string name;
  std::string version;
  runtime::CurrencyId currency = 0;
  CalendarData calendar;
  ExpressionId applies_to = kNoId;   // kNoId = every invoice
  SubjectKind subject = SubjectKind::Invoice;
  bool continue_after_agency = false;
  SettlementOrder settlement = kDefaultSettlementOrder;  // `payments settle ...`
  std::string costs_name = "standard";  // or "zero" when no table could be loaded
  std::array<runtime::Money, kActionKindCount> costs{};  // per ActionKind, policy currency
  language::SourceRange range;          // the `policy` line
};

enum class AttributeObject : std::uint8_t { Invoice, Customer };

// `attribute customer.credit_limit: money`: a ledger column a policy reads.
struct Attribute {
  AttributeObject object = AttributeObject::Invoice;
  std::string name;
  ValueType type;
  language::SourceRange range;
};

// A field given in a test: a built-in one (customer.segment) or an attribute.
struct FieldSetting {
  std::optional<Field> field;
  AttributeId attribute = kNoId;
  Value value;
  language::SourceRange range;
};

struct TestInvoice {
  std::string id;   // empty when the test has a single invoice without one
  runtime::Money amount;
  runtime::Date issued;
  runtime::Date due;
  std::vector<FieldSetting> fields;
  language::SourceRange range;
};

enum class TestEventKind : std::uint8_t { Payment, Dispute, Promise };

struct TestEvent {
  TestEventKind kind = TestEventKind::Payment;
  std::uint32_t invoice = 0;      // index into the test's invoices
  runtime::Money amount;          // Payment
  runtime::Date date;             // paid on / dispute opened / promised date
  std::optional<runtime::Date> end;  // Dispute resolved
  language::SourceRange range;
};

enum class ExpectationKind : std::uint8_t { ActionAt, Never, BalanceAt };

struct Expectation {
  ExpectationKind kind = ExpectationKind::ActionAt;
  ActionKind action = ActionKind::Email;
  std::optional<Value> argument;  // ActionAt: template text or fee money; BalanceAt: money
  // ActionAt, BalanceAt: resolved against the test's first invoice
  // (`due + 30d`), business days with the policy calendar.
  runtime::Date date;
  language::SourceRange range;
};

struct PolicyTest {
  std::string name;
  std::vector<TestInvoice> invoices;
  std::vector<FieldSetting> customer;
  std::vector<TestEvent> events;
  std::optional<Duration> horizon;
  std::vector<Expectation> expectations;
  language::SourceRange range;
};

// The checked policy. A library file (definitions only, no `policy` line)
// checks to a PolicyIr with `is_library` set and no header, steps or tests.
struct PolicyIr {
  bool is_library = false;
  Header header;
  std::vector<Attribute> attributes;
  std::vector<Step> steps;
  std::vector<Pause> pauses;
  std::vector<Stop> stops;
  std::vector<PolicyTest> tests;

  std::vector<Expression> expressions;
  std::vector<Value> values;
  std::vector<Anchor> anchors;

  const Expression& expression(ExpressionId id) const { return expressions.at(id); }
  const Value& value(ValueId id) const { return values.at(id); }
  const Anchor& anchor(AnchorId id) const { return anchors.at(id); }
};

}  // namespace recoup::compiler
