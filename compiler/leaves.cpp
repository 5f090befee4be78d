// The leaves of expressions: literals (money checked against its currency's
// decimals), constants and template parameters by name, fields of the
// invoice and the customer (built-in or declared attributes), `today` and
// `fired(label)`.
#include <fmt/format.h>

#include <array>
#include <cstdlib>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

using language::ExpressionKind;
using language::FieldObject;

struct BuiltinField {
  FieldObject object;
  const char* name;
  Field field;
  Type type;
};

constexpr std::array<BuiltinField, 14> kBuiltinFields = {{
    {FieldObject::Invoice, "id", Field::InvoiceId, Type::Text},
    {FieldObject::Invoice, "amount", Field::InvoiceAmount, Type::Money},
    {FieldObject::Invoice, "balance", Field::InvoiceBalance, Type::Money},
    {FieldObject::Invoice, "principal", Field::InvoicePrincipal, Type::Money},
    {FieldObject::Invoice, "days_past_due", Field::InvoiceDaysPastDue, Type::Count},
    {FieldObject::Invoice, "currency", Field::InvoiceCurrency, Type::Text},
    {FieldObject::Invoice, "issue", Field::InvoiceIssue, Type::Date},
    {FieldObject::Invoice, "due", Field::InvoiceDue, Type::Date},
    {FieldObject::Customer, "id", Field::CustomerId, Type::Text},
    {FieldObject::Customer, "segment", Field::CustomerSegment, Type::Text},
    {FieldObject::Customer, "country", Field::CustomerCountry, Type::Text},
    {FieldObject::Customer, "open_balance", Field::CustomerOpenBalance, Type::Money},
    {FieldObject::Customer, "open_invoices", Field::CustomerOpenInvoices, Type::Count},
    {FieldObject::Customer, "late_payments", Field::CustomerLatePayments, Type::Count},
}};

const char* ObjectSpelling(FieldObject object) { return object == FieldObject::Invoice ? "invoice" : "customer"; }

Operand ConstantOperand(Value value, ValueType type) {
  Operand operand;
  operand.type = type;
  operand.value = std::move(value);
  return operand;
}

}  // namespace

bool IsBuiltinField(language::FieldObject object, const std::string& name) {
  for (const BuiltinField& field : kBuiltinFields) {
    if (field.object == object && name == field.name) return true;
  }
  return false;
}

std::string Checker::TextOf(SourceRange range) const {
  const std::string& text = sources_.Get(range.file).text();
  if (range.begin >= text.size() || range.end < range.begin) return "";
  return text.substr(range.begin, std::min<std::size_t>(range.end, text.size()) - range.begin);
}

Operand Checker::CheckPolicyCurrency(const Context& context, Operand operand, SourceRange range) {
  if (!context.policy || !policy_currency_ || operand.IsError()) return operand;
  if (operand.type.type != Type::Money || operand.type.any_currency) return operand;
  if (operand.type.currency == *policy_currency_) return operand;
  std::string_view policy_code = runtime::InfoOf(*policy_currency_).code;
  language::Diagnostic& diagnostic = Report(
      DiagnosticKind::PolicyCurrencyMismatch, range,
      fmt::format("this amount is in {}, but the policy's currency is {}", runtime::InfoOf(operand.type.currency).code,
                  policy_code));
  diagnostic.help = fmt::format("money in a policy's steps, stops, fees and tests must be in {}", policy_code);
  return Operand::Error();
}

Operand Checker::CheckLeaf(const Context& context, const language::Expression& expression, PolicyIr& out) {
  auto runtime_node = [&](Expression node, const std::string& what) {
    node.range = expression.range;
    out.expressions.push_back(node);
    Operand operand;
    operand.type = node.type;
    operand.node = static_cast<ExpressionId>(out.expressions.size() - 1);
    operand.runtime = true;
    operand.runtime_leaf = expression.range;
    operand.runtime_what = what;
    return operand;
  };

  switch (expression.kind) {
    case ExpressionKind::Number:
    case ExpressionKind::Percent: {
      Value value;
      value.decimal = runtime::Decimal{expression.decimal.digits, expression.decimal.scale};
      if (expression.kind == ExpressionKind::Percent) {
        value.type = Type::Percent;
      } else {
        value.decimal = runtime::Normalize(value.decimal);
        value.type = value.decimal.scale == 0 ? Type::Count : Type::Number;
      }
      ValueType type;
      type.type = value.type;
      return ConstantOperand(std::move(value), type);
    }
    case ExpressionKind::Money: {
      std::optional<runtime::CurrencyId> currency = runtime::FindCurrency(expression.currency);
      if (!currency) {
        language::Diagnostic& diagnostic = Report(DiagnosticKind::UnknownCurrency, expression.range,
                                                  fmt::format("`{}` is not a known currency code", expression.currency));
        diagnostic.help = "use an ISO 4217 code in capitals, like USD, EUR or JPY";
        return Operand::Error();
      }
      runtime::Decimal amount{expression.decimal.digits, expression.decimal.scale};
      runtime::MoneyResult money = runtime::MoneyFromDecimal(amount, *currency);
      if (money.error == runtime::MoneyError::TooManyDecimals) {
        unsigned exponent = runtime::InfoOf(*currency).exponent;
        language::Diagnostic& diagnostic = Report(
            DiagnosticKind::TooManyDecimals, expression.range,
            exponent == 0 ? fmt::format("`{}` has decimals, but {} amounts are whole", TextOf(expression.range),
                                        expression.currency)
                          : fmt::format("`{}` has more decimals than {} allows ({})", TextOf(expression.range),
                                        expression.currency, exponent));
        diagnostic.help = fmt::format("{} amounts have {} decimal{}", expression.currency, exponent,
                                      exponent == 1 ? "" : "s");
        return Operand::Error();
      }
      if (!money.ok()) {
        Report(DiagnosticKind::ArithmeticOverflow, expression.range, "this amount is too large to be exact");
        return Operand::Error();
      }
      Value value;
      value.type = Type::Money;
      value.money = money.value;
      ValueType type;
      type.type = Type::Money;
      type.currency = *currency;
      return CheckPolicyCurrency(context, ConstantOperand(std::move(value), type), expression.range);
    }
    case ExpressionKind::Duration: {
      runtime::Decimal count = runtime::Normalize({expression.decimal.digits, expression.decimal.scale});
      if (count.scale != 0) {
        Report(DiagnosticKind::TypeMismatch, expression.range, "a duration must be a whole number of days or weeks");
        return Operand::Error();
      }
      std::int64_t days = count.digits;
      DurationUnit unit = DurationUnit::Days;
      if (expression.duration_unit == language::DurationUnit::BusinessDays) unit = DurationUnit::BusinessDays;
      if (expression.duration_unit == language::DurationUnit::Weeks) {
        unit = DurationUnit::Weeks;
        if (std::llabs(days) <= kMaxDurationDays) days *= 7;
      }
      if (std::llabs(days) > kMaxDurationDays) {
        Report(DiagnosticKind::ArithmeticOverflow, expression.range, "this duration is longer than ten thousand years");
        return Operand::Error();
      }
      Value value;
      value.type = Type::Duration;
      value.duration = {static_cast<std::int32_t>(days), unit};
      ValueType type;
      type.type = Type::Duration;
      return ConstantOperand(std::move(value), type);
    }
    case ExpressionKind::Date: {
      std::optional<runtime::Date> date =
          runtime::Date::FromCivil(expression.date.year, expression.date.month, expression.date.day);
      if (!date) return Operand::Error();  // the parser reported E0006
      Value value;
      value.type = Type::Date;
      value.date = *date;
      ValueType type;
      type.type = Type::Date;
      return ConstantOperand(std::move(value), type);
    }
    case ExpressionKind::Text: {
      Value value;
      value.type = Type::Text;
      value.text = expression.text;
      ValueType type;
      type.type = Type::Text;
      return ConstantOperand(std::move(value), type);
    }
    case ExpressionKind::Bool: {
      Value value;
      value.type = Type::Bool;
      value.boolean = expression.bool_value;
      ValueType type;
      type.type = Type::Bool;
      return ConstantOperand(std::move(value), type);
    }
    case ExpressionKind::NameRef: {
      if (expression.name.qualifier.empty() && context.bindings) {
        auto bound = context.bindings->values.find(expression.name.text);
        if (bound != context.bindings->values.end()) return bound->second;
      }
      std::optional<std::uint32_t> found = Lookup(context.tree, expression.name, context.bindings, "value");
      if (!found) return Operand::Error();
      Definition& definition = definitions_[*found];
      definition.used = true;
      if (definition.kind != DefinitionKind::Constant) {
        Report(DiagnosticKind::WrongKindOfName, expression.name.range,
               fmt::format("`{}` is a {}, not a value", definition.name, KindSpelling(definition.kind)));
        return Operand::Error();
      }
      Operand constant = EvaluateConstant(*found);
      if (constant.IsError() || constant.runtime) return Operand::Error();
      return CheckPolicyCurrency(context, std::move(constant), expression.range);
    }
    case ExpressionKind::Field: {
      for (const BuiltinField& field : kBuiltinFields) {
        if (field.object != expression.object || expression.name.text != field.name) continue;
        Expression node;
        node.kind = compiler::ExpressionKind::Field;
        node.field = field.field;
        node.type.type = field.type;
        if (field.type == Type::Money) {
          // Money fields are in the policy currency; outside a policy's own
          // body (a template checked on its own, a library) they match any.
          bool known = policy_currency_ && context.policy;
          node.type.currency = known ? *policy_currency_ : 0;
          node.type.any_currency = !known;
        }
        return runtime_node(node, fmt::format("{}.{}", ObjectSpelling(field.object), field.name));
      }
      auto attribute = attribute_index_.find({static_cast<int>(expression.object), expression.name.text});
      if (attribute != attribute_index_.end()) {
        attribute_used_[attribute->second] = true;
        Expression node;
        node.kind = compiler::ExpressionKind::Attribute;
        node.attribute = attribute->second;
        node.type = ir_.attributes[attribute->second].type;
        if (node.type.type == Type::Money && !context.policy) node.type.any_currency = true;
        return runtime_node(node, fmt::format("{}.{}", ObjectSpelling(expression.object), expression.name.text));
      }
      // An `attribute` line the parser could not read declared it: its error says enough.
      if (DefinedByUnparsedStatement(context.tree, fmt::format("{}.{}", ObjectSpelling(expression.object),
                                                               expression.name.text))) {
        return Operand::Error();
      }
      std::vector<std::string> candidates;
      for (const BuiltinField& field : kBuiltinFields) {
        if (field.object == expression.object) candidates.emplace_back(field.name);
      }
      for (const auto& [key, attribute_id] : attribute_index_) {
        if (key.first == static_cast<int>(expression.object)) candidates.push_back(key.second);
      }
      const char* object = ObjectSpelling(expression.object);
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::UnknownName, expression.range,
                 fmt::format("`{}.{}` is not a field of the {}", object, expression.name.text, object));
      std::string closest = language::ClosestName(expression.name.text, candidates);
      if (!closest.empty()) {
        diagnostic.help = fmt::format("did you mean `{}.{}`?", object, closest);
      } else {
        diagnostic.help = fmt::format("to read a ledger column, declare it: `attribute {}.{}: text`", object,
                                      expression.name.text);
      }
      return Operand::Error();
    }
    case ExpressionKind::Today: {
      Expression node;
      node.kind = compiler::ExpressionKind::Today;
      node.type.type = Type::Date;
      return runtime_node(node, "today");
    }
    case ExpressionKind::Fired: {
      Expression node;
      node.kind = compiler::ExpressionKind::Fired;
      node.type.type = Type::Count;
      Operand operand = runtime_node(node, fmt::format("fired({})", expression.name.text));
      if (!context.generic && &out == &ir_) {
        pending_labels_.push_back({PendingLabel::Use::Fired, operand.node, expression.name.text, expression.name.range,
                                   context.expanded_from});
      }
      return operand;
    }
    default: break;
  }
  return Operand::Error();
}

}  // namespace recoup::compiler::internal
