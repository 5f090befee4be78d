// Evaluating guards, stop conditions and `applies to` for the engines:
// the IR walked over typed values, with no strings and no allocation
// (docs/semantics.md section 4, "Expressions read what is true that day").
// Reads are recorded as raw typed values, only when explaining; the
// renderer formats them.
#include "compiler/engine_internal.h"
#include "runtime/currency.h"
#include "runtime/money.h"

namespace recoup::compiler::abi {
namespace {

using runtime::Decimal;

constexpr std::uint8_t kMoney = static_cast<std::uint8_t>(Type::Money);
constexpr std::uint8_t kDate = static_cast<std::uint8_t>(Type::Date);
constexpr std::uint8_t kDuration = static_cast<std::uint8_t>(Type::Duration);
constexpr std::uint8_t kText = static_cast<std::uint8_t>(Type::Text);
constexpr std::uint8_t kBool = static_cast<std::uint8_t>(Type::Bool);
constexpr std::uint8_t kPercent = static_cast<std::uint8_t>(Type::Percent);

struct Evaluator {
  RunState* run;
  const GuardContext& context;
  std::uint32_t first_read;
};

EvaluationOutcome Failed(RunState* run, ErrorCode code, std::uint32_t id = 0, std::int32_t invoice = kNoIndex) {
  Fail(run, code, id, invoice);
  return {TypedValue{}, false};
}

EvaluationOutcome Ok(TypedValue value) { return {value, true}; }

TypedValue MoneyValue(std::int64_t minor, std::uint32_t currency) {
  TypedValue value;
  value.type = kMoney;
  value.currency = currency;
  value.number = minor;
  return value;
}

TypedValue DecimalValue(std::uint8_t type, Decimal decimal) {
  TypedValue value;
  value.type = type;
  value.number = decimal.digits;
  value.scale = decimal.scale;
  return value;
}

TypedValue CountValue(std::int64_t count) { return DecimalValue(static_cast<std::uint8_t>(Type::Count), Decimal{count, 0}); }

TypedValue TextValue(TextRef text) {
  TypedValue value;
  value.type = kText;
  value.text = text;
  return value;
}

TypedValue TextValue(std::string_view text) {
  return TextValue(TextRef{text.data(), static_cast<std::uint32_t>(text.size())});
}

TypedValue DateValue(std::int32_t date) {
  TypedValue value;
  value.type = kDate;
  value.number = date;
  return value;
}

TypedValue BoolValue(bool boolean) {
  TypedValue value;
  value.type = kBool;
  value.number = boolean ? 1 : 0;
  return value;
}

Decimal AsDecimal(const TypedValue& value) { return Decimal{value.number, value.scale}; }

std::string_view AsText(const TypedValue& value) { return std::string_view(value.text.data, value.text.size); }

// The first read of a name only (the reference's Record).
void Record(const Evaluator& evaluator, ReadKind kind, std::uint32_t id, const TypedValue& value) {
  if (!evaluator.run->explain) return;
  std::vector<GuardReadRecord>& reads = evaluator.run->trace->reads;
  for (std::size_t i = evaluator.first_read; i < reads.size(); ++i) {
    if (reads[i].kind == kind && reads[i].id == id) return;
  }
  reads.push_back({kind, id, value});
}

TypedValue ReadField(const Evaluator& evaluator, Field field) {
  const GuardContext& context = evaluator.context;
  const SubjectView& subject = *evaluator.run->subject;
  const InvoiceView* invoice = context.invoice == kNoIndex ? nullptr : &subject.invoices[context.invoice];
  std::uint32_t currency = evaluator.run->policy->currency;
  switch (field) {
    case Field::InvoiceId: return invoice ? TextValue(subject.names[invoice->name]) : TextValue(TextRef{});
    case Field::InvoiceAmount: return MoneyValue(invoice ? invoice->amount : 0, currency);
    case Field::InvoiceBalance: return MoneyValue(context.invoice_balance, currency);
    case Field::InvoicePrincipal: return MoneyValue(context.invoice_principal, currency);
    case Field::InvoiceDaysPastDue: return CountValue(invoice ? context.day - invoice->due : 0);
    case Field::InvoiceCurrency:
      return invoice ? TextValue(runtime::InfoOf(invoice->currency).code) : TextValue(TextRef{});
    case Field::InvoiceIssue: return DateValue(invoice ? invoice->issue : 0);
    case Field::InvoiceDue: return DateValue(invoice ? invoice->due : 0);
    case Field::CustomerId: return TextValue(subject.customer_id);
    case Field::CustomerSegment: return TextValue(subject.segment);
    case Field::CustomerCountry: return TextValue(subject.country);
    case Field::CustomerOpenBalance: return MoneyValue(context.open_balance, currency);
    case Field::CustomerOpenInvoices: return CountValue(context.open_invoices);
    case Field::CustomerLatePayments: return CountValue(context.late_payments);
  }
  return TypedValue{};
}

EvaluationOutcome ReadAttribute(const Evaluator& evaluator, AttributeId id) {
  const PolicyIr& ir = *evaluator.run->policy->ir;
  const SubjectView& subject = *evaluator.run->subject;
  bool on_invoice = ir.attributes[id].object == AttributeObject::Invoice;
  std::int32_t invoice = evaluator.context.invoice;
  const AttributeSlot* slot = nullptr;
  if (!on_invoice) {
    slot = &subject.customer_attributes[id];
  } else if (invoice != kNoIndex) {
    slot = &subject.invoice_attributes[static_cast<std::size_t>(invoice) * subject.attribute_count + id];
  }
  if (slot == nullptr || slot->state == SlotState::Missing) return Failed(evaluator.run, ErrorCode::AttributeMissing, id);
  if (slot->state == SlotState::Unparseable) {
    return Failed(evaluator.run, ErrorCode::AttributeUnparseable, id, on_invoice ? invoice : kNoIndex);
  }
  return Ok(slot->value);
}

int Sign(std::int64_t a, std::int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

int CompareValues(const TypedValue& left, const TypedValue& right) {
  switch (static_cast<Type>(left.type)) {
    case Type::Money:
    case Type::Date:
    case Type::Duration: return Sign(left.number, right.number);
    case Type::Text: {
      int order = AsText(left).compare(AsText(right));
      return order < 0 ? -1 : order > 0 ? 1 : 0;
    }
    case Type::Bool: return static_cast<int>(left.number) - static_cast<int>(right.number);
    default: return runtime::Compare(AsDecimal(left), AsDecimal(right));
  }
}

EvaluationOutcome FromDecimal(RunState* run, Type type, runtime::DecimalResult result) {
  if (!result.ok()) return Failed(run, ErrorCode::NumberInexact);
  return Ok(DecimalValue(static_cast<std::uint8_t>(type), result.value));
}

EvaluationOutcome FromMoney(RunState* run, runtime::MoneyResult result) {
  if (!result.ok()) return Failed(run, ErrorCode::MoneyOverflow);
  return Ok(MoneyValue(result.value.minor, result.value.currency));
}

runtime::Money AsMoney(const TypedValue& value) { return runtime::Money{value.number, static_cast<runtime::CurrencyId>(value.currency)}; }

// Money times a factor, rounded half-even; percent factors are in points.
EvaluationOutcome ScaleMoney(RunState* run, const TypedValue& money, const TypedValue& factor) {
  Decimal multiplier = AsDecimal(factor);
  if (factor.type == kPercent) {
    runtime::DecimalResult divided = runtime::Divide(multiplier, Decimal{100, 0});
    if (!divided.ok()) return Failed(run, ErrorCode::PercentTooPrecise);
    multiplier = divided.value;
  }
  return FromMoney(run, runtime::MultiplyRounded(AsMoney(money), multiplier));
}

EvaluationOutcome Arithmetic(const Evaluator& evaluator, const Expression& node, const TypedValue& left,
                             const TypedValue& right) {
  RunState* run = evaluator.run;
  bool add = node.kind == ExpressionKind::Add;
  switch (node.kind) {
    case ExpressionKind::Add:
    case ExpressionKind::Subtract:
      if (left.type == kMoney) {
        return FromMoney(run, add ? runtime::Add(AsMoney(left), AsMoney(right))
                                  : runtime::Subtract(AsMoney(left), AsMoney(right)));
      }
      if (left.type == kDate && right.type == kDuration) {
        std::int32_t count = static_cast<std::int32_t>(add ? right.number : -right.number);
        runtime::Date from = runtime::Date::FromDays(static_cast<std::int32_t>(left.number));
        runtime::Date date = right.unit == static_cast<std::uint8_t>(DurationUnit::BusinessDays)
                                 ? run->policy->calendar.AddBusinessDays(from, count)
                                 : from.AddDays(count);
        return Ok(DateValue(date.days()));
      }
      if (left.type == kDate && right.type == kDate) {
        TypedValue value;
        value.type = kDuration;
        value.unit = static_cast<std::uint8_t>(DurationUnit::Days);
        value.number = static_cast<std::int32_t>(left.number - right.number);
        return Ok(value);
      }
      if (left.type == kDuration) {
        TypedValue value = left;
        std::int32_t a = static_cast<std::int32_t>(left.number);
        std::int32_t b = static_cast<std::int32_t>(right.number);
        value.number = static_cast<std::int32_t>(add ? static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b)
                                                     : static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
        return Ok(value);
      }
      return FromDecimal(run, node.type.type, add ? runtime::Add(AsDecimal(left), AsDecimal(right))
                                                  : runtime::Subtract(AsDecimal(left), AsDecimal(right)));
    case ExpressionKind::Multiply:
      if (left.type == kMoney) return ScaleMoney(run, left, right);
      if (right.type == kMoney) return ScaleMoney(run, right, left);
      return FromDecimal(run, node.type.type, runtime::Multiply(AsDecimal(left), AsDecimal(right)));
    case ExpressionKind::Divide: {
      if (left.type == kMoney && right.type == kMoney) {
        if (right.number == 0) return Failed(run, ErrorCode::DivisionByZeroAmount);
        return FromDecimal(run, Type::Number,
                           runtime::Divide(runtime::ToDecimal(AsMoney(left)), runtime::ToDecimal(AsMoney(right))));
      }
      if (left.type == kMoney) {
        runtime::DecimalResult inverse = runtime::Divide(Decimal{1, 0}, AsDecimal(right));
        if (!inverse.ok()) return Failed(run, ErrorCode::DivisionByZero);
        return ScaleMoney(run, left, DecimalValue(static_cast<std::uint8_t>(Type::Number), inverse.value));
      }
      runtime::DecimalResult quotient = runtime::Divide(AsDecimal(left), AsDecimal(right));
      if (quotient.error == runtime::DecimalError::DivisionByZero) return Failed(run, ErrorCode::DivisionByZero);
      return FromDecimal(run, node.type.type, quotient);
    }
    case ExpressionKind::PercentOf: return ScaleMoney(run, right, left);
    default: return Failed(run, ErrorCode::Internal);
  }
}

EvaluationOutcome EvaluateNode(const Evaluator& evaluator, ExpressionId id) {
  const PolicyIr& ir = *evaluator.run->policy->ir;
  const Expression& node = ir.expressions[id];
  switch (node.kind) {
    case ExpressionKind::Literal: return Ok(FromIrValue(ir.values[node.value]));
    case ExpressionKind::Field: {
      TypedValue value = ReadField(evaluator, node.field);
      Record(evaluator, ReadKind::Field, static_cast<std::uint32_t>(node.field), value);
      return Ok(value);
    }
    case ExpressionKind::Attribute: {
      EvaluationOutcome result = ReadAttribute(evaluator, node.attribute);
      if (result.ok) Record(evaluator, ReadKind::Attribute, node.attribute, result.value);
      return result;
    }
    case ExpressionKind::Today: {
      TypedValue value = DateValue(evaluator.context.day);
      Record(evaluator, ReadKind::Today, 0, value);
      return Ok(value);
    }
    case ExpressionKind::Fired: {
      TypedValue value = CountValue(evaluator.run->steps[node.step].fired);
      Record(evaluator, ReadKind::Fired, node.step, value);
      return Ok(value);
    }
    case ExpressionKind::Not: {
      EvaluationOutcome operand = EvaluateNode(evaluator, node.left);
      if (!operand.ok) return operand;
      return Ok(BoolValue(operand.value.number == 0));
    }
    case ExpressionKind::Negate: {
      EvaluationOutcome operand = EvaluateNode(evaluator, node.left);
      if (!operand.ok) return operand;
      TypedValue value = operand.value;
      if (value.type == kDuration) {
        value.number = static_cast<std::int32_t>(0u - static_cast<std::uint32_t>(static_cast<std::int32_t>(value.number)));
      } else {
        value.number = static_cast<std::int64_t>(0ull - static_cast<std::uint64_t>(value.number));
      }
      return Ok(value);
    }
    case ExpressionKind::And:
    case ExpressionKind::Or: {
      EvaluationOutcome left = EvaluateNode(evaluator, node.left);
      if (!left.ok) return left;
      bool is_and = node.kind == ExpressionKind::And;
      bool left_true = left.value.number != 0;
      if (left_true != is_and) return Ok(BoolValue(left_true));
      return EvaluateNode(evaluator, node.right);
    }
    case ExpressionKind::PerYear: {
      EvaluationOutcome operand = EvaluateNode(evaluator, node.left);
      if (!operand.ok) return operand;
      return Ok(DecimalValue(static_cast<std::uint8_t>(Type::Rate), AsDecimal(operand.value)));
    }
    case ExpressionKind::In: {
      EvaluationOutcome operand = EvaluateNode(evaluator, node.left);
      if (!operand.ok) return operand;
      for (std::uint32_t i = 0; i < node.list_count; ++i) {
        if (CompareValues(operand.value, FromIrValue(ir.values[node.list_begin + i])) == 0) return Ok(BoolValue(true));
      }
      return Ok(BoolValue(false));
    }
    default: break;
  }
  EvaluationOutcome left = EvaluateNode(evaluator, node.left);
  if (!left.ok) return left;
  EvaluationOutcome right = EvaluateNode(evaluator, node.right);
  if (!right.ok) return right;
  switch (node.kind) {
    case ExpressionKind::Equal: return Ok(BoolValue(CompareValues(left.value, right.value) == 0));
    case ExpressionKind::NotEqual: return Ok(BoolValue(CompareValues(left.value, right.value) != 0));
    case ExpressionKind::Less: return Ok(BoolValue(CompareValues(left.value, right.value) < 0));
    case ExpressionKind::LessEqual: return Ok(BoolValue(CompareValues(left.value, right.value) <= 0));
    case ExpressionKind::Greater: return Ok(BoolValue(CompareValues(left.value, right.value) > 0));
    case ExpressionKind::GreaterEqual: return Ok(BoolValue(CompareValues(left.value, right.value) >= 0));
    default: return Arithmetic(evaluator, node, left.value, right.value);
  }
}

}  // namespace

TypedValue FromIrValue(const Value& value) {
  TypedValue typed;
  typed.type = static_cast<std::uint8_t>(value.type);
  switch (value.type) {
    case Type::Money: typed.number = value.money.minor; typed.currency = value.money.currency; break;
    case Type::Date: typed.number = value.date.days(); break;
    case Type::Duration:
      typed.number = value.duration.count;
      typed.unit = static_cast<std::uint8_t>(value.duration.unit);
      break;
    case Type::Bool: typed.number = value.boolean ? 1 : 0; break;
    case Type::Text: typed.text = TextRef{value.text.data(), static_cast<std::uint32_t>(value.text.size())}; break;
    default: typed.number = value.decimal.digits; typed.scale = value.decimal.scale; break;
  }
  return typed;
}

Value ToIrValue(const TypedValue& typed) {
  Value value;
  value.type = static_cast<Type>(typed.type);
  switch (value.type) {
    case Type::Money: value.money = runtime::Money{typed.number, static_cast<runtime::CurrencyId>(typed.currency)}; break;
    case Type::Date: value.date = runtime::Date::FromDays(static_cast<std::int32_t>(typed.number)); break;
    case Type::Duration:
      value.duration = Duration{static_cast<std::int32_t>(typed.number), static_cast<DurationUnit>(typed.unit)};
      break;
    case Type::Bool: value.boolean = typed.number != 0; break;
    case Type::Text: value.text.assign(typed.text.data == nullptr ? "" : typed.text.data, typed.text.size); break;
    default: value.decimal = Decimal{typed.number, typed.scale}; break;
  }
  return value;
}

namespace {

// Appends the nodes of `id` to `plan`; false when it cannot be compiled.
bool CompileNode(const PolicyIr& ir, ExpressionId id, TestPlan& plan) {
  const Expression& node = ir.expressions[id];
  TestNode compiled;
  compiled.kind = node.kind;
  switch (node.kind) {
    case ExpressionKind::Literal: compiled.literal = FromIrValue(ir.values[node.value]); break;
    case ExpressionKind::Not:
      if (!CompileNode(ir, node.left, plan)) return false;
      compiled.left = static_cast<std::uint32_t>(plan.nodes.size() - 1);
      break;
    case ExpressionKind::And:
    case ExpressionKind::Or:
      if (!CompileNode(ir, node.left, plan)) return false;
      compiled.left = static_cast<std::uint32_t>(plan.nodes.size() - 1);
      if (!CompileNode(ir, node.right, plan)) return false;
      compiled.right = static_cast<std::uint32_t>(plan.nodes.size() - 1);
      break;
    case ExpressionKind::Equal:
    case ExpressionKind::NotEqual:
    case ExpressionKind::Less:
    case ExpressionKind::LessEqual:
    case ExpressionKind::Greater:
    case ExpressionKind::GreaterEqual: {
      const Expression& left = ir.expressions[node.left];
      const Expression& right = ir.expressions[node.right];
      if (left.kind == ExpressionKind::Field && right.kind == ExpressionKind::Literal) {
        compiled.field = left.field;
        compiled.literal = FromIrValue(ir.values[right.value]);
      } else if (left.kind == ExpressionKind::Literal && right.kind == ExpressionKind::Field) {
        compiled.field = right.field;
        compiled.field_left = false;
        compiled.literal = FromIrValue(ir.values[left.value]);
      } else {
        return false;
      }
      break;
    }
    case ExpressionKind::In: {
      const Expression& operand = ir.expressions[node.left];
      if (operand.kind != ExpressionKind::Field) return false;
      compiled.field = operand.field;
      compiled.list_begin = static_cast<std::uint32_t>(plan.list.size());
      compiled.list_count = node.list_count;
      for (std::uint32_t i = 0; i < node.list_count; ++i) plan.list.push_back(FromIrValue(ir.values[node.list_begin + i]));
      break;
    }
    default: return false;
  }
  plan.nodes.push_back(compiled);
  return true;
}

bool TestHolds(const Evaluator& evaluator, const TestPlan& plan, std::uint32_t index) {
  const TestNode& node = plan.nodes[index];
  switch (node.kind) {
    case ExpressionKind::Literal: return node.literal.number != 0;
    case ExpressionKind::Not: return !TestHolds(evaluator, plan, node.left);
    case ExpressionKind::And: return TestHolds(evaluator, plan, node.left) && TestHolds(evaluator, plan, node.right);
    case ExpressionKind::Or: return TestHolds(evaluator, plan, node.left) || TestHolds(evaluator, plan, node.right);
    case ExpressionKind::In: {
      TypedValue value = ReadField(evaluator, node.field);
      for (std::uint32_t i = 0; i < node.list_count; ++i) {
        if (CompareValues(value, plan.list[node.list_begin + i]) == 0) return true;
      }
      return false;
    }
    default: break;
  }
  TypedValue value = ReadField(evaluator, node.field);
  int order = node.field_left ? CompareValues(value, node.literal) : CompareValues(node.literal, value);
  switch (node.kind) {
    case ExpressionKind::Equal: return order == 0;
    case ExpressionKind::NotEqual: return order != 0;
    case ExpressionKind::Less: return order < 0;
    case ExpressionKind::LessEqual: return order <= 0;
    case ExpressionKind::Greater: return order > 0;
    default: return order >= 0;  // GreaterEqual
  }
}

}  // namespace

TestPlan CompileTest(const PolicyIr& ir, ExpressionId expression) {
  TestPlan plan;
  if (expression == kNoId || !CompileNode(ir, expression, plan)) return TestPlan{};
  return plan;
}

bool EvaluateCompiledTest(RunState* run, const TestPlan& plan, const GuardContext& context) {
  Evaluator evaluator{run, context, 0};
  return TestHolds(evaluator, plan, static_cast<std::uint32_t>(plan.nodes.size() - 1));
}

EvaluationOutcome EvaluateExpression(RunState* run, ExpressionId expression, const GuardContext& context) {
  Evaluator evaluator{run, context, static_cast<std::uint32_t>(run->trace->reads.size())};
  return EvaluateNode(evaluator, expression);
}

}  // namespace recoup::compiler::abi
