#include "compiler/interpreter_expression.h"

#include <fmt/format.h>

#include <algorithm>

namespace recoup::compiler::interpreter {
namespace {

using runtime::Decimal;
using runtime::Money;

EvaluationResult Fail(std::string message) { return {Value{}, std::move(message)}; }

EvaluationResult Ok(Value value) { return {std::move(value), std::nullopt}; }

Value MoneyValue(std::int64_t minor, runtime::CurrencyId currency) {
  Value value;
  value.type = Type::Money;
  value.money = Money{minor, currency};
  return value;
}

Value DecimalValue(Type type, Decimal decimal) {
  Value value;
  value.type = type;
  value.decimal = decimal;
  return value;
}

Value CountValue(std::int64_t count) { return DecimalValue(Type::Count, Decimal{count, 0}); }

Value TextValue(std::string text) {
  Value value;
  value.type = Type::Text;
  value.text = std::move(text);
  return value;
}

Value DateValue(runtime::Date date) {
  Value value;
  value.type = Type::Date;
  value.date = date;
  return value;
}

Value BoolValue(bool boolean) {
  Value value;
  value.type = Type::Bool;
  value.boolean = boolean;
  return value;
}

void Record(std::vector<GuardRead>* reads, std::string name, const Value& value) {
  if (reads == nullptr) return;
  for (const GuardRead& read : *reads) {
    if (read.name == name) return;
  }
  reads->push_back({std::move(name), FormatValue(value)});
}

std::string AttributeText(const AttributeValues& values, const std::string& name) {
  auto found = values.find(name);
  return found == values.end() ? std::string() : found->second;
}

EvaluationResult ReadField(Field field, const EvaluationContext& context) {
  const InvoiceFacts* invoice = context.invoice;
  runtime::CurrencyId currency = context.policy->header.currency;
  switch (field) {
    case Field::InvoiceId: return Ok(TextValue(invoice ? invoice->id : ""));
    case Field::InvoiceAmount: return Ok(MoneyValue(invoice ? invoice->amount.minor : 0, currency));
    case Field::InvoiceBalance: return Ok(MoneyValue(context.invoice_balance, currency));
    case Field::InvoicePrincipal: return Ok(MoneyValue(context.invoice_principal, currency));
    case Field::InvoiceDaysPastDue: return Ok(CountValue(invoice ? context.today - invoice->due : 0));
    case Field::InvoiceCurrency:
      return Ok(TextValue(invoice ? std::string(runtime::InfoOf(invoice->amount.currency).code) : ""));
    case Field::InvoiceIssue: return Ok(DateValue(invoice ? invoice->issue : runtime::Date()));
    case Field::InvoiceDue: return Ok(DateValue(invoice ? invoice->due : runtime::Date()));
    case Field::CustomerId: return Ok(TextValue(context.facts->customer_id));
    case Field::CustomerSegment: return Ok(TextValue(AttributeText(context.facts->customer_attributes, "segment")));
    case Field::CustomerCountry: return Ok(TextValue(AttributeText(context.facts->customer_attributes, "country")));
    case Field::CustomerOpenBalance: return Ok(MoneyValue(context.open_balance, currency));
    case Field::CustomerOpenInvoices: return Ok(CountValue(context.open_invoices));
    case Field::CustomerLatePayments: return Ok(CountValue(context.late_payments));
  }
  return Fail("unknown field");
}

EvaluationResult ReadAttribute(AttributeId id, const EvaluationContext& context) {
  const Attribute& attribute = context.policy->attributes.at(id);
  bool on_invoice = attribute.object == AttributeObject::Invoice;
  const AttributeValues* values = on_invoice ? (context.invoice ? &context.invoice->attributes : nullptr)
                                             : &context.facts->customer_attributes;
  std::string name = fmt::format("{}.{}", on_invoice ? "invoice" : "customer", attribute.name);
  if (values == nullptr || values->find(attribute.name) == values->end()) {
    return Fail(fmt::format("the policy reads {} but no value was given for it", name));
  }
  EvaluationResult parsed = ParseAttributeValue(values->at(attribute.name), attribute.type, context.policy->header.currency);
  if (parsed.error) return Fail(fmt::format("{}: {}", name, *parsed.error));
  return parsed;
}

int CompareValues(const Value& left, const Value& right) {
  switch (left.type) {
    case Type::Money: return left.money.minor < right.money.minor ? -1 : left.money.minor > right.money.minor ? 1 : 0;
    case Type::Date: return left.date < right.date ? -1 : left.date > right.date ? 1 : 0;
    case Type::Duration:
      return left.duration.count < right.duration.count ? -1 : left.duration.count > right.duration.count ? 1 : 0;
    case Type::Text: return left.text < right.text ? -1 : left.text > right.text ? 1 : 0;
    case Type::Bool: return static_cast<int>(left.boolean) - static_cast<int>(right.boolean);
    default: return runtime::Compare(left.decimal, right.decimal);
  }
}

EvaluationResult FromDecimal(Type type, runtime::DecimalResult result) {
  if (!result.ok()) return Fail("a number is too large or too precise to compute exactly");
  return Ok(DecimalValue(type, result.value));
}

EvaluationResult FromMoney(runtime::MoneyResult result) {
  if (!result.ok()) return Fail("a money amount is too large to represent (overflow)");
  Value value;
  value.type = Type::Money;
  value.money = result.value;
  return Ok(value);
}

// Money times a factor, rounded half-even; percent factors are in points.
EvaluationResult ScaleMoney(Money money, const Value& factor) {
  Decimal multiplier = factor.decimal;
  if (factor.type == Type::Percent) {
    runtime::DecimalResult divided = runtime::Divide(multiplier, Decimal{100, 0});
    if (!divided.ok()) return Fail("a percentage is too precise to compute exactly");
    multiplier = divided.value;
  }
  return FromMoney(runtime::MultiplyRounded(money, multiplier));
}

EvaluationResult Arithmetic(const Expression& node, const Value& left, const Value& right,
                            const EvaluationContext& context) {
  bool add = node.kind == ExpressionKind::Add;
  switch (node.kind) {
    case ExpressionKind::Add:
    case ExpressionKind::Subtract:
      if (left.type == Type::Money) {
        return FromMoney(add ? runtime::Add(left.money, right.money) : runtime::Subtract(left.money, right.money));
      }
      if (left.type == Type::Date && right.type == Type::Duration) {
        std::int32_t count = add ? right.duration.count : -right.duration.count;
        runtime::Date date = right.duration.unit == DurationUnit::BusinessDays
                                 ? context.calendar->AddBusinessDays(left.date, count)
                                 : left.date.AddDays(count);
        return Ok(DateValue(date));
      }
      if (left.type == Type::Date && right.type == Type::Date) {
        Value value;
        value.type = Type::Duration;
        value.duration = Duration{left.date - right.date, DurationUnit::Days};
        return Ok(value);
      }
      if (left.type == Type::Duration) {
        Value value = left;
        value.duration.count = add ? left.duration.count + right.duration.count : left.duration.count - right.duration.count;
        return Ok(value);
      }
      return FromDecimal(node.type.type, add ? runtime::Add(left.decimal, right.decimal)
                                             : runtime::Subtract(left.decimal, right.decimal));
    case ExpressionKind::Multiply:
      if (left.type == Type::Money) return ScaleMoney(left.money, right);
      if (right.type == Type::Money) return ScaleMoney(right.money, left);
      return FromDecimal(node.type.type, runtime::Multiply(left.decimal, right.decimal));
    case ExpressionKind::Divide: {
      if (left.type == Type::Money && right.type == Type::Money) {
        if (right.money.minor == 0) return Fail("division by a zero amount");
        return FromDecimal(Type::Number, runtime::Divide(runtime::ToDecimal(left.money), runtime::ToDecimal(right.money)));
      }
      if (left.type == Type::Money) {
        runtime::DecimalResult inverse = runtime::Divide(Decimal{1, 0}, right.decimal);
        if (!inverse.ok()) return Fail("division by zero");
        Value factor = DecimalValue(Type::Number, inverse.value);
        return ScaleMoney(left.money, factor);
      }
      runtime::DecimalResult quotient = runtime::Divide(left.decimal, right.decimal);
      if (quotient.error == runtime::DecimalError::DivisionByZero) return Fail("division by zero");
      return FromDecimal(node.type.type, quotient);
    }
    case ExpressionKind::PercentOf: return ScaleMoney(right.money, left);
    default: return Fail("unexpected operator");
  }
}

EvaluationResult EvaluateNode(ExpressionId id, const EvaluationContext& context, std::vector<GuardRead>* reads) {
  const PolicyIr& policy = *context.policy;
  const Expression& node = policy.expression(id);
  switch (node.kind) {
    case ExpressionKind::Literal: return Ok(policy.value(node.value));
    case ExpressionKind::Field: {
      EvaluationResult result = ReadField(node.field, context);
      if (!result.error) Record(reads, FieldSpelling(node.field), result.value);
      return result;
    }
    case ExpressionKind::Attribute: {
      EvaluationResult result = ReadAttribute(node.attribute, context);
      const Attribute& attribute = policy.attributes.at(node.attribute);
      if (!result.error) {
        Record(reads, fmt::format("{}.{}", attribute.object == AttributeObject::Invoice ? "invoice" : "customer",
                                  attribute.name),
               result.value);
      }
      return result;
    }
    case ExpressionKind::Today: {
      Value value = DateValue(context.today);
      Record(reads, "today", value);
      return Ok(value);
    }
    case ExpressionKind::Fired: {
      Value value = CountValue(context.fired_counts->at(node.step));
      const Step& step = policy.steps.at(node.step);
      Record(reads, fmt::format("fired({})", step.label.value_or("?")), value);
      return Ok(value);
    }
    case ExpressionKind::Not: {
      EvaluationResult operand = EvaluateNode(node.left, context, reads);
      if (operand.error) return operand;
      return Ok(BoolValue(!operand.value.boolean));
    }
    case ExpressionKind::Negate: {
      EvaluationResult operand = EvaluateNode(node.left, context, reads);
      if (operand.error) return operand;
      Value value = operand.value;
      if (value.type == Type::Money) value.money.minor = -value.money.minor;
      else if (value.type == Type::Duration) value.duration.count = -value.duration.count;
      else value.decimal.digits = -value.decimal.digits;
      return Ok(value);
    }
    case ExpressionKind::And:
    case ExpressionKind::Or: {
      EvaluationResult left = EvaluateNode(node.left, context, reads);
      if (left.error) return left;
      bool is_and = node.kind == ExpressionKind::And;
      if (left.value.boolean != is_and) return Ok(BoolValue(left.value.boolean));
      return EvaluateNode(node.right, context, reads);
    }
    case ExpressionKind::PerYear: {
      EvaluationResult operand = EvaluateNode(node.left, context, reads);
      if (operand.error) return operand;
      return Ok(DecimalValue(Type::Rate, operand.value.decimal));
    }
    case ExpressionKind::In: {
      EvaluationResult operand = EvaluateNode(node.left, context, reads);
      if (operand.error) return operand;
      for (std::uint32_t i = 0; i < node.list_count; ++i) {
        const Value& candidate = policy.value(node.list_begin + i);
        if (CompareValues(operand.value, candidate) == 0) return Ok(BoolValue(true));
      }
      return Ok(BoolValue(false));
    }
    default: break;
  }
  EvaluationResult left = EvaluateNode(node.left, context, reads);
  if (left.error) return left;
  EvaluationResult right = EvaluateNode(node.right, context, reads);
  if (right.error) return right;
  switch (node.kind) {
    case ExpressionKind::Equal: return Ok(BoolValue(CompareValues(left.value, right.value) == 0));
    case ExpressionKind::NotEqual: return Ok(BoolValue(CompareValues(left.value, right.value) != 0));
    case ExpressionKind::Less: return Ok(BoolValue(CompareValues(left.value, right.value) < 0));
    case ExpressionKind::LessEqual: return Ok(BoolValue(CompareValues(left.value, right.value) <= 0));
    case ExpressionKind::Greater: return Ok(BoolValue(CompareValues(left.value, right.value) > 0));
    case ExpressionKind::GreaterEqual: return Ok(BoolValue(CompareValues(left.value, right.value) >= 0));
    default: return Arithmetic(node, left.value, right.value, context);
  }
}

}  // namespace

EvaluationResult Evaluate(ExpressionId expression, const EvaluationContext& context, std::vector<GuardRead>* reads) {
  return EvaluateNode(expression, context, reads);
}

std::string FormatValue(const Value& value) {
  switch (value.type) {
    case Type::Money: return runtime::ToString(value.money);
    case Type::Percent: return runtime::ToString(value.decimal) + "%";
    case Type::Rate: return runtime::ToString(value.decimal) + "% per year";
    case Type::Duration:
      return fmt::format("{}{}", value.duration.count, value.duration.unit == DurationUnit::BusinessDays ? "bd" : "d");
    case Type::Date: return value.date.ToIso();
    case Type::Count:
    case Type::Number: return runtime::ToString(value.decimal);
    case Type::Bool: return value.boolean ? "true" : "false";
    case Type::Text: return fmt::format("\"{}\"", value.text);
    case Type::Error: break;
  }
  return "?";
}

EvaluationResult ParseAttributeValue(const std::string& text, const ValueType& type,
                                     runtime::CurrencyId policy_currency) {
  switch (type.type) {
    case Type::Text: return Ok(TextValue(text));
    case Type::Bool:
      if (text == "true" || text == "false") return Ok(BoolValue(text == "true"));
      return Fail(fmt::format("`{}` is not true or false", text));
    case Type::Date: {
      std::optional<runtime::Date> date = runtime::Date::ParseIso(text);
      if (!date) return Fail(fmt::format("`{}` is not a date (YYYY-MM-DD)", text));
      return Ok(DateValue(*date));
    }
    case Type::Money: {
      runtime::CurrencyId currency = type.any_currency ? policy_currency : type.currency;
      std::string digits = text;
      std::string code = std::string(runtime::InfoOf(currency).code);
      if (digits.size() > code.size() + 1 && digits.substr(digits.size() - code.size() - 1) == " " + code) {
        digits.resize(digits.size() - code.size() - 1);
      }
      runtime::DecimalResult amount = runtime::ParseDecimal(digits);
      if (!amount.ok()) return Fail(fmt::format("`{}` is not an amount of {}", text, code));
      runtime::MoneyResult money = runtime::MoneyFromDecimal(amount.value, currency);
      if (!money.ok()) return Fail(fmt::format("`{}` has more decimals than {} allows", text, code));
      return Ok(MoneyValue(money.value.minor, currency));
    }
    case Type::Percent:
    case Type::Rate:
    case Type::Count:
    case Type::Number: {
      std::string digits = text;
      if (type.type == Type::Percent || type.type == Type::Rate) {
        if (!digits.empty() && digits.back() == '%') digits.pop_back();
      }
      runtime::DecimalResult number = runtime::ParseDecimal(digits);
      if (!number.ok() || (type.type == Type::Count && number.value.scale != 0)) {
        return Fail(fmt::format("`{}` is not a {}", text, TypeSpelling(type.type)));
      }
      return Ok(DecimalValue(type.type, number.value));
    }
    case Type::Duration: {
      std::string digits = text;
      DurationUnit unit = DurationUnit::Days;
      if (digits.size() > 2 && digits.substr(digits.size() - 2) == "bd") {
        unit = DurationUnit::BusinessDays;
        digits.resize(digits.size() - 2);
      } else if (!digits.empty() && digits.back() == 'd') {
        digits.pop_back();
      }
      runtime::DecimalResult number = runtime::ParseDecimal(digits);
      if (!number.ok() || number.value.scale != 0 || number.value.digits > 1000000 || number.value.digits < -1000000) {
        return Fail(fmt::format("`{}` is not a duration such as 30d or 5bd", text));
      }
      Value value;
      value.type = Type::Duration;
      value.duration = Duration{static_cast<std::int32_t>(number.value.digits), unit};
      return Ok(value);
    }
    case Type::Error: break;
  }
  return Fail("cannot read a value of this type");
}

}  // namespace recoup::compiler::interpreter
