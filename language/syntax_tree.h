// The syntax tree of one policy file: what was written, with a source range
// on every node, and nothing resolved. Names are still text; units are
// still spelled as written. The checker (compiler/) turns it into typed IR.
//
// Expressions and anchors live in flat vectors inside SyntaxTree and refer
// to each other by index (ExpressionId, AnchorId), which keeps the tree
// cheap to copy and easy to walk without recursion through pointers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "language/source.h"

namespace recoup::language {

using ExpressionId = std::uint32_t;
using AnchorId = std::uint32_t;
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// A name as written, possibly qualified by an import alias: `eu.statutory`.
struct Name {
  std::string qualifier;  // empty when unqualified
  std::string text;
  SourceRange range;
};

// Decimal literal kept exact: value = digits / 10^scale, e.g. "12.50" is
// {1250, 2}. The parser reports E0005 when it does not fit.
struct Decimal {
  std::int64_t digits = 0;
  std::uint8_t scale = 0;
};

enum class DurationUnit : std::uint8_t { Days, BusinessDays, Weeks };

// A calendar date as written; the parser checks it exists (E0006).
struct DateLiteral {
  std::int32_t year = 0;
  std::uint8_t month = 0;
  std::uint8_t day = 0;
};

enum class ExpressionKind : std::uint8_t {
  Number,       // 3, 1.5: decimal
  Money,        // 12.50 USD: decimal + currency
  Percent,      // 2%: decimal
  Duration,     // 7d, 5 business days: decimal (whole) + duration_unit
  Date,         // 2026-01-31: date
  Text,         // "strategic": text (escapes already decoded)
  Bool,         // true / false: bool_value
  NameRef,      // small_balance, eu.rate: name
  Field,        // invoice.amount, customer.segment: object + name.text
  Today,        // today
  Fired,        // fired(label): name
  List,         // ["a", "b"]: operands
  Unary,        // not x, -x: unary_op + operands[0]
  Binary,       // a + b, a and b, a of b: binary_op + operands[0..1]
  In,           // x in [..]: operands[0] value, operands[1] list
  PerYear,      // x per year: operands[0]
};

enum class UnaryOperator : std::uint8_t { Not, Negate };

enum class BinaryOperator : std::uint8_t {
  Or, And,
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
  Add, Subtract, Multiply, Divide,
  Of,  // 2% of invoice.balance
};

enum class FieldObject : std::uint8_t { Invoice, Customer };

struct Expression {
  ExpressionKind kind = ExpressionKind::Number;
  SourceRange range;
  Decimal decimal;             // Number, Money, Percent, Duration
  std::string currency;        // Money: the code as written, e.g. "USD"
  DurationUnit duration_unit = DurationUnit::Days;
  DateLiteral date;
  std::string text;            // Text
  bool bool_value = false;     // Bool
  Name name;                   // NameRef, Field (name.text is the field), Fired
  FieldObject object = FieldObject::Invoice;  // Field
  UnaryOperator unary_op = UnaryOperator::Not;
  BinaryOperator binary_op = BinaryOperator::Add;
  std::vector<ExpressionId> operands;
};

// Where a trigger counts from.
enum class AnchorKind : std::uint8_t {
  Due, Issue, Promise,
  Label,       // another step's label: label
  EndOfMonth,  // end of month of inner
};

// One `+ 30d` or `- 2bd` applied to an anchor, left to right.
struct AnchorOffset {
  bool negative = false;
  ExpressionId duration = kNone;  // an expression of duration type
  SourceRange range;
};

struct Anchor {
  AnchorKind kind = AnchorKind::Due;
  SourceRange range;          // the whole anchor with its offsets
  Name label;                 // Label
  AnchorId inner = kNone;     // EndOfMonth
  std::vector<AnchorOffset> offsets;
};

enum class TriggerKind : std::uint8_t {
  At,        // at ANCHOR, or `DURATION before/after ANCHOR` (normalised to an offset)
  Every,     // every PERIOD from ANCHOR [until ...] [max N times]
};

struct Trigger {
  TriggerKind kind = TriggerKind::At;
  SourceRange range;
  AnchorId anchor = kNone;               // At: the date; Every: the first occurrence
  ExpressionId period = kNone;           // Every
  AnchorId until = kNone;                // Every, optional
  bool until_agency = false;             // Every: `until agency`
  ExpressionId max_times = kNone;        // Every, optional
  bool written_before_after = false;     // `7d before due` form, for the formatter
};

enum class ActionKind : std::uint8_t {
  Email, Sms, Letter, Call, Notice, Task,
  Fee, Interest,
  SuspendService, ResumeService, HoldCredit, ReleaseCredit,
  Agency, Legal, WriteOff,
};

// The spelling of each action kind in source ("email", "suspend service"...).
const char* ActionKindName(ActionKind kind);

enum class FeeBasis : std::uint8_t { Flat, Balance, Amount };
enum class TaskTarget : std::uint8_t { Queue, Owner };

struct Action {
  ActionKind kind = ActionKind::Email;
  SourceRange range;
  // Email/Sms/Letter/Notice: template; Call: optional script; Task: text;
  // Agency: agency name; Legal: optional firm.
  ExpressionId subject = kNone;
  // Task: the queue or owner; Agency: contingency percent;
  // Fee: the amount (Flat) or percentage; Interest: the rate.
  ExpressionId value = kNone;
  TaskTarget task_target = TaskTarget::Queue;
  FeeBasis fee_basis = FeeBasis::Flat;
  ExpressionId fee_min = kNone;
  ExpressionId fee_max = kNone;
  AnchorId interest_from = kNone;
};

enum class GuardKind : std::uint8_t { None, If, Unless };

struct Step {
  SourceRange range;
  std::optional<Name> label;
  Trigger trigger;
  std::vector<Action> actions;
  GuardKind guard_kind = GuardKind::None;
  ExpressionId guard = kNone;
};

enum class PauseReason : std::uint8_t { Dispute, Promise };
enum class PauseRule : std::uint8_t { Defer, Skip };

struct Pause {
  SourceRange range;
  PauseReason reason = PauseReason::Dispute;
  ExpressionId grace = kNone;     // Promise: `+ 5d`, optional
  PauseRule rule = PauseRule::Defer;
  bool rule_written = false;
};

struct Stop {
  SourceRange range;
  bool when_paid = false;            // `stop when paid`
  ExpressionId condition = kNone;    // otherwise
  std::vector<Action> actions;
};

struct TemplateArgument {
  Name parameter;
  ExpressionId value = kNone;
};

struct Use {
  SourceRange range;
  Name template_name;
  std::vector<TemplateArgument> arguments;
};

// What a template body or the policy body holds, in source order.
enum class BodyItemKind : std::uint8_t { Step, Pause, Stop, Use };
struct BodyItem {
  BodyItemKind kind = BodyItemKind::Step;
  std::uint32_t index = 0;  // into the Body's vector of that kind
};

struct Body {
  std::vector<Step> steps;
  std::vector<Pause> pauses;
  std::vector<Stop> stops;
  std::vector<Use> uses;
  std::vector<BodyItem> order;
};

enum class TypeName : std::uint8_t {
  Money, Percent, Rate, Duration, Date, Count, Number, Bool, Text,
};
const char* TypeNameSpelling(TypeName type);

struct Parameter {
  Name name;
  TypeName type = TypeName::Number;
  SourceRange type_range;
};

struct Template {
  SourceRange range;
  Name name;
  std::vector<Parameter> parameters;
  Body body;
};

struct Import {
  SourceRange range;
  std::string path;         // as written
  SourceRange path_range;
  std::optional<Name> alias;
};

struct Constant {
  SourceRange range;
  Name name;
  ExpressionId value = kNone;
};

struct Attribute {
  SourceRange range;
  FieldObject object = FieldObject::Invoice;
  Name name;
  TypeName type = TypeName::Text;
  SourceRange type_range;
};

enum class Weekday : std::uint8_t { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

struct Holiday {
  SourceRange range;
  DateLiteral date;
  std::string description;
};

struct Calendar {
  SourceRange range;
  Name name;
  std::vector<Weekday> weekend;
  std::vector<SourceRange> weekend_ranges;
  std::vector<Holiday> holidays;
};

struct CostEntry {
  SourceRange range;
  ActionKind action = ActionKind::Email;
  ExpressionId cost = kNone;  // money
};

struct CostTable {
  SourceRange range;
  Name name;                     // empty text for an inline header table
  std::vector<CostEntry> entries;
};

enum class SubjectKind : std::uint8_t { Invoice, Customer };

// A header line as written; the checker reports missing and repeated ones.
enum class HeaderKind : std::uint8_t {
  Policy, Version, Currency, Calendar, AppliesTo, Subject, AfterAgency, Costs,
  Settlement,  // payments settle fees, interest, principal
};

// The parts of what is owed, as named in `payments settle ...`.
enum class OwedPartName : std::uint8_t { Fees, Interest, Principal };

struct HeaderLine {
  HeaderKind kind = HeaderKind::Policy;
  SourceRange range;
  std::string text;             // Policy, Version: the quoted text; Currency: the code
  SourceRange value_range;
  Name name;                    // Calendar, Costs by name
  ExpressionId condition = kNone;  // AppliesTo
  SubjectKind subject = SubjectKind::Invoice;
  bool continue_after_agency = false;
  std::optional<CostTable> inline_costs;  // `costs { ... }`
  std::vector<OwedPartName> settlement;   // Settlement, in written order
  std::vector<SourceRange> settlement_ranges;
};

// A test's given facts and expectations.
struct FieldValue {
  Name field;
  ExpressionId value = kNone;
};

struct TestInvoice {
  SourceRange range;
  std::string id;                 // empty when not given
  ExpressionId amount = kNone;    // money
  DateLiteral issued;
  DateLiteral due;
  std::vector<FieldValue> fields;
};

enum class TestEventKind : std::uint8_t { Payment, Dispute, Promise };

struct TestEvent {
  TestEventKind kind = TestEventKind::Payment;
  SourceRange range;
  ExpressionId amount = kNone;    // Payment
  DateLiteral date;               // Payment: paid on; Dispute: opened; Promise: promised date
  std::optional<DateLiteral> end; // Dispute: resolved, when given
  std::string invoice_id;         // `for "INV-1"`, empty when not given
};

// `due + 30d`, `issue - 1d` or a plain date.
struct TestDate {
  SourceRange range;
  enum class Base : std::uint8_t { Date, Due, Issue } base = Base::Date;
  DateLiteral date;
  std::vector<AnchorOffset> offsets;
};

enum class ExpectationKind : std::uint8_t { ActionAt, Never, BalanceAt };

struct Expectation {
  ExpectationKind kind = ExpectationKind::ActionAt;
  SourceRange range;
  ActionKind action = ActionKind::Email;   // ActionAt, Never
  ExpressionId argument = kNone;           // ActionAt: template / amount, optional; BalanceAt: money
  TestDate when;                           // ActionAt, BalanceAt
};

struct PolicyTest {
  SourceRange range;
  std::string name;
  std::vector<TestInvoice> invoices;
  std::vector<FieldValue> customer;
  std::vector<TestEvent> events;
  ExpressionId horizon = kNone;
  std::vector<Expectation> expectations;
};

// How the file was laid out, for the formatter (language/formatter.h): no
// later phase reads it. A comment runs from its `#` to the end of its line
// (the line break not included).
struct Comment {
  SourceRange range;
  std::string text;  // as written, from the `#`
};

// One statement as the parser's loop read it: a whole top-level statement or
// block item, a block's head up to its `{`, or a block's closing `}`.
enum class StatementShape : std::uint8_t { Line, OpensBlock, ClosesBlock };
struct StatementSpan {
  SourceRange range;  // from its first token to the end of its last
  StatementShape shape = StatementShape::Line;
};

// One parsed file.
struct SyntaxTree {
  FileId file = 0;
  std::vector<Expression> expressions;
  std::vector<Anchor> anchors;

  std::vector<Import> imports;
  std::vector<Constant> constants;
  std::vector<Attribute> attributes;
  std::vector<Calendar> calendars;
  std::vector<CostTable> cost_tables;
  std::vector<Template> templates;
  std::vector<HeaderLine> header;
  Body body;                       // the policy's own steps, pauses, stops, uses
  std::vector<PolicyTest> tests;

  // Layout, in source order: every comment, and every statement parsed
  // without an error.
  std::vector<Comment> comments;
  std::vector<StatementSpan> statements;
  // Names that statements with a syntax error would have defined (a
  // constant, template, calendar, cost table, a step's label, or an
  // attribute as "invoice.region"), so that the checker does not report
  // their uses as unknown after the parser reported the error.
  std::vector<std::string> unparsed_definitions;

  const Expression& expression(ExpressionId id) const { return expressions.at(id); }
  const Anchor& anchor(AnchorId id) const { return anchors.at(id); }
};

}  // namespace recoup::language
