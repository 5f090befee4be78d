// Exact arithmetic on constants, with runtime::Decimal and runtime::Money:
// every operation is checked, so a constant that overflows is E0111 and a
// division by zero is E0110, never a wrong number. The unit rules have
// already decided the result type (types.cpp); this computes the value.
#include <fmt/format.h>

#include <cstdlib>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

using language::BinaryOperator;
using language::UnaryOperator;

FoldResult Ok(Value value) {
  FoldResult result;
  result.value = std::move(value);
  return result;
}

FoldResult Fail(DiagnosticKind kind, std::string message) {
  FoldResult result;
  result.error = kind;
  result.message = std::move(message);
  return result;
}

FoldResult FromDecimalError(runtime::DecimalError error) {
  if (error == runtime::DecimalError::DivisionByZero) return Fail(DiagnosticKind::DivisionByZero, "division by zero");
  return Fail(DiagnosticKind::ArithmeticOverflow, "the result is too large to compute exactly");
}

FoldResult FromMoneyError(runtime::MoneyError error) {
  if (error == runtime::MoneyError::CurrencyMismatch) {
    return Fail(DiagnosticKind::CurrencyMismatch, "money in two different currencies");
  }
  return Fail(DiagnosticKind::ArithmeticOverflow, "the amount is too large to compute exactly");
}

Value MakeDecimal(Type type, runtime::Decimal decimal) {
  Value value;
  value.type = type;
  value.decimal = runtime::Normalize(decimal);
  return value;
}

Value MakeBool(bool flag) {
  Value value;
  value.type = Type::Bool;
  value.boolean = flag;
  return value;
}

// A count or number as a Decimal.
runtime::Decimal Numeric(const Value& value) { return value.decimal; }

// The factor that `x%` stands for: x / 100.
runtime::DecimalResult PercentFactor(runtime::Decimal points) {
  return runtime::Divide(points, runtime::Decimal{100, 0});
}

bool IsCalendar(DurationUnit unit) { return unit != DurationUnit::BusinessDays; }

FoldResult MakeDuration(std::int64_t count, DurationUnit unit) {
  if (std::llabs(count) > kMaxDurationDays) {
    return Fail(DiagnosticKind::ArithmeticOverflow, "the duration is longer than ten thousand years");
  }
  Value value;
  value.type = Type::Duration;
  value.duration = {static_cast<std::int32_t>(count), unit};
  return Ok(value);
}

FoldResult AddDurations(Duration a, Duration b, bool subtract) {
  if (IsCalendar(a.unit) != IsCalendar(b.unit)) {
    return Fail(DiagnosticKind::UnitMismatch,
                "cannot combine business days and calendar days in one duration; write them as two offsets, "
                "like `due + 10d + 5bd`");
  }
  std::int64_t count = std::int64_t{a.count} + (subtract ? -std::int64_t{b.count} : std::int64_t{b.count});
  DurationUnit unit = a.unit == b.unit ? a.unit : DurationUnit::Days;
  return MakeDuration(count, unit);
}

FoldResult DateOffset(runtime::Date date, Duration duration, bool subtract) {
  if (!IsCalendar(duration.unit)) {
    return Fail(DiagnosticKind::UnitMismatch,
                "business days can only be added to an anchor (`due + 5bd`), not to a fixed date");
  }
  Value value;
  value.type = Type::Date;
  value.date = date.AddDays(subtract ? -duration.count : duration.count);
  return Ok(value);
}

FoldResult MoneyTimes(const runtime::Money& money, runtime::Decimal factor) {
  runtime::MoneyResult product = runtime::MultiplyRounded(money, factor);
  if (!product.ok()) return FromMoneyError(product.error);
  Value value;
  value.type = Type::Money;
  value.money = product.value;
  return Ok(value);
}

FoldResult MoneyDividedBy(const runtime::Money& money, runtime::Decimal divisor) {
  runtime::DecimalResult quotient = runtime::Divide(runtime::ToDecimal(money), divisor);
  if (!quotient.ok()) return FromDecimalError(quotient.error);
  runtime::DecimalResult rounded = runtime::RoundHalfEven(quotient.value, runtime::InfoOf(money.currency).exponent);
  if (!rounded.ok()) return FromDecimalError(rounded.error);
  runtime::MoneyResult result = runtime::MoneyFromDecimal(rounded.value, money.currency);
  if (!result.ok()) return FromMoneyError(result.error);
  Value value;
  value.type = Type::Money;
  value.money = result.value;
  return Ok(value);
}

// -1, 0, 1 for two values of one ordered type; nullopt when incomparable.
std::optional<int> Order(const Value& a, const Value& b, FoldResult* error) {
  switch (a.type) {
    case Type::Money:
      return a.money.minor < b.money.minor ? -1 : (a.money.minor > b.money.minor ? 1 : 0);
    case Type::Duration:
      if (IsCalendar(a.duration.unit) != IsCalendar(b.duration.unit)) {
        *error = Fail(DiagnosticKind::UnitMismatch, "cannot compare business days with calendar days");
        return std::nullopt;
      }
      return a.duration.count < b.duration.count ? -1 : (a.duration.count > b.duration.count ? 1 : 0);
    case Type::Date: return a.date < b.date ? -1 : (a.date > b.date ? 1 : 0);
    case Type::Text: return a.text < b.text ? -1 : (a.text > b.text ? 1 : 0);
    case Type::Bool: return int(a.boolean) - int(b.boolean);
    default: return runtime::Compare(a.decimal, b.decimal);
  }
}

FoldResult Arithmetic(BinaryOperator op, const Value& l, const Value& r, const ValueType& result) {
  bool subtract = op == BinaryOperator::Subtract;
  switch (op) {
    case BinaryOperator::Add:
    case BinaryOperator::Subtract: {
      if (l.type == Type::Money) {
        runtime::MoneyResult sum = subtract ? runtime::Subtract(l.money, r.money) : runtime::Add(l.money, r.money);
        if (!sum.ok()) return FromMoneyError(sum.error);
        Value value;
        value.type = Type::Money;
        value.money = sum.value;
        return Ok(value);
      }
      if (l.type == Type::Duration && r.type == Type::Duration) return AddDurations(l.duration, r.duration, subtract);
      if (l.type == Type::Date && r.type == Type::Duration) return DateOffset(l.date, r.duration, subtract);
      if (l.type == Type::Duration && r.type == Type::Date) return DateOffset(r.date, l.duration, false);
      if (l.type == Type::Date && r.type == Type::Date) return MakeDuration(l.date - r.date, DurationUnit::Days);
      runtime::DecimalResult sum = subtract ? runtime::Subtract(l.decimal, r.decimal) : runtime::Add(l.decimal, r.decimal);
      if (!sum.ok()) return FromDecimalError(sum.error);
      return Ok(MakeDecimal(result.type, sum.value));
    }
    case BinaryOperator::Multiply: {
      if (l.type == Type::Money || r.type == Type::Money) {
        const Value& money = l.type == Type::Money ? l : r;
        const Value& factor = l.type == Type::Money ? r : l;
        if (factor.type == Type::Percent) {
          runtime::DecimalResult share = PercentFactor(factor.decimal);
          if (!share.ok()) return FromDecimalError(share.error);
          return MoneyTimes(money.money, share.value);
        }
        return MoneyTimes(money.money, Numeric(factor));
      }
      runtime::DecimalResult product = runtime::Multiply(l.decimal, r.decimal);
      if (!product.ok()) return FromDecimalError(product.error);
      return Ok(MakeDecimal(result.type, product.value));
    }
    case BinaryOperator::Divide: {
      if (l.type == Type::Money && r.type == Type::Money) {
        runtime::DecimalResult quotient = runtime::Divide(runtime::ToDecimal(l.money), runtime::ToDecimal(r.money));
        if (!quotient.ok()) return FromDecimalError(quotient.error);
        return Ok(MakeDecimal(Type::Number, quotient.value));
      }
      if (l.type == Type::Money) return MoneyDividedBy(l.money, Numeric(r));
      runtime::DecimalResult quotient = runtime::Divide(l.decimal, r.decimal);
      if (!quotient.ok()) return FromDecimalError(quotient.error);
      return Ok(MakeDecimal(result.type, quotient.value));
    }
    case BinaryOperator::Of: {
      runtime::DecimalResult share = PercentFactor(l.decimal);
      if (!share.ok()) return FromDecimalError(share.error);
      return MoneyTimes(r.money, share.value);
    }
    default: break;
  }
  return Fail(DiagnosticKind::UnitMismatch, "unsupported operator");
}

}  // namespace

bool ValuesEqual(const Value& a, const Value& b) {
  if (a.type != b.type) {
    bool numeric = (a.type == Type::Count || a.type == Type::Number) && (b.type == Type::Count || b.type == Type::Number);
    return numeric && runtime::Compare(a.decimal, b.decimal) == 0;
  }
  switch (a.type) {
    case Type::Money: return a.money == b.money;
    case Type::Duration: return a.duration.count == b.duration.count && IsCalendar(a.duration.unit) == IsCalendar(b.duration.unit);
    case Type::Date: return a.date == b.date;
    case Type::Bool: return a.boolean == b.boolean;
    case Type::Text: return a.text == b.text;
    case Type::Error: return false;
    default: return runtime::Compare(a.decimal, b.decimal) == 0;
  }
}

FoldResult FoldBinary(BinaryOperator op, const Value& left, const Value& right, const ValueType& result) {
  switch (op) {
    case BinaryOperator::And: return Ok(MakeBool(left.boolean && right.boolean));
    case BinaryOperator::Or: return Ok(MakeBool(left.boolean || right.boolean));
    case BinaryOperator::Equal: return Ok(MakeBool(ValuesEqual(left, right)));
    case BinaryOperator::NotEqual: return Ok(MakeBool(!ValuesEqual(left, right)));
    case BinaryOperator::Less:
    case BinaryOperator::LessEqual:
    case BinaryOperator::Greater:
    case BinaryOperator::GreaterEqual: {
      FoldResult error;
      std::optional<int> order = Order(left, right, &error);
      if (!order) return error;
      bool holds = op == BinaryOperator::Less        ? *order < 0
                   : op == BinaryOperator::LessEqual ? *order <= 0
                   : op == BinaryOperator::Greater   ? *order > 0
                                                     : *order >= 0;
      return Ok(MakeBool(holds));
    }
    default: return Arithmetic(op, left, right, result);
  }
}

FoldResult FoldUnary(UnaryOperator op, const Value& operand) {
  if (op == UnaryOperator::Not) return Ok(MakeBool(!operand.boolean));
  Value value = operand;
  switch (operand.type) {
    case Type::Money:
      if (operand.money.minor == INT64_MIN) return Fail(DiagnosticKind::ArithmeticOverflow, "the amount is too large");
      value.money.minor = -operand.money.minor;
      return Ok(value);
    case Type::Duration: value.duration.count = -operand.duration.count; return Ok(value);
    default: {
      runtime::DecimalResult negated = runtime::Subtract(runtime::Decimal{0, 0}, operand.decimal);
      if (!negated.ok()) return FromDecimalError(negated.error);
      value.decimal = negated.value;
      return Ok(value);
    }
  }
}

FoldResult FoldPerYear(const Value& percent) {
  Value value = percent;
  value.type = Type::Rate;
  return Ok(value);
}

std::string DurationToString(Duration duration) {
  switch (duration.unit) {
    case DurationUnit::Days: return fmt::format("{}d", duration.count);
    case DurationUnit::BusinessDays: return fmt::format("{}bd", duration.count);
    case DurationUnit::Weeks:
      if (duration.count % 7 == 0) return fmt::format("{}w", duration.count / 7);
      return fmt::format("{}d", duration.count);
  }
  return "?";
}

std::string ValueToString(const Value& value) {
  switch (value.type) {
    case Type::Money: return runtime::ToString(value.money);
    case Type::Percent: return runtime::ToString(value.decimal) + "%";
    case Type::Rate: return runtime::ToString(value.decimal) + "% per year";
    case Type::Duration: return DurationToString(value.duration);
    case Type::Date: return value.date.ToIso();
    case Type::Count:
    case Type::Number: return runtime::ToString(value.decimal);
    case Type::Bool: return value.boolean ? "true" : "false";
    case Type::Text: {
      std::string quoted = "\"";
      for (char c : value.text) {
        if (c == '"' || c == '\\') quoted += '\\';
        if (c == '\n') { quoted += "\\n"; continue; }
        if (c == '\t') { quoted += "\\t"; continue; }
        quoted += c;
      }
      return quoted + "\"";
    }
    case Type::Error: return "<error>";
  }
  return "?";
}

}  // namespace recoup::compiler::internal
