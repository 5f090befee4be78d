// The unit rules of docs/language.md ("Values, types and units"): which
// operators accept which types, and what they give. Every combination not
// listed is E0102, with a message in the reader's words ("cannot add money
// to a duration"); money of two currencies is E0103.
#include <fmt/format.h>

#include "compiler/checker_internal.h"

namespace recoup::compiler {

const char* TypeSpelling(Type type) {
  switch (type) {
    case Type::Money: return "money";
    case Type::Percent: return "percent";
    case Type::Rate: return "rate";
    case Type::Duration: return "duration";
    case Type::Date: return "date";
    case Type::Count: return "count";
    case Type::Number: return "number";
    case Type::Bool: return "bool";
    case Type::Text: return "text";
    case Type::Error: return "error";
  }
  return "?";
}

namespace internal {
namespace {

using language::BinaryOperator;
using language::UnaryOperator;

bool IsNumeric(Type type) { return type == Type::Count || type == Type::Number; }

// The noun phrase for a type in a message: "money", "a duration".
std::string Noun(const ValueType& type) {
  std::string noun;
  switch (type.type) {
    case Type::Money: noun = "money"; break;
    case Type::Percent: noun = "a percentage"; break;
    case Type::Rate: noun = "a rate"; break;
    case Type::Duration: noun = "a duration"; break;
    case Type::Date: noun = "a date"; break;
    case Type::Count: noun = "a count"; break;
    case Type::Number: noun = "a number"; break;
    case Type::Bool: noun = "a true/false value"; break;
    case Type::Text: noun = "text"; break;
    case Type::Error: noun = "an invalid value"; break;
  }
  if (type.is_list) {
    if (type.type == Type::Money || type.type == Type::Text) return "a list of " + noun;
    return "a list of " + noun.substr(noun.find(' ') + 1) + "s";
  }
  return noun;
}

std::string CurrencyCode(const ValueType& type) {
  return std::string(runtime::InfoOf(type.currency).code);
}

RuleResult Fail(DiagnosticKind kind, std::string message, std::string help = "") {
  RuleResult result;
  result.ok = false;
  result.error = kind;
  result.message = std::move(message);
  result.help = std::move(help);
  return result;
}

RuleResult Give(Type type) {
  RuleResult result;
  result.type.type = type;
  return result;
}

RuleResult GiveMoney(const ValueType& a, const ValueType& b) {
  RuleResult result;
  result.type.type = Type::Money;
  const ValueType& concrete = a.any_currency ? b : a;
  result.type.currency = concrete.currency;
  result.type.any_currency = concrete.any_currency;
  return result;
}

bool SameCurrency(const ValueType& a, const ValueType& b) {
  return a.any_currency || b.any_currency || a.currency == b.currency;
}

std::string MismatchMessage(BinaryOperator op, const ValueType& left, const ValueType& right) {
  switch (op) {
    case BinaryOperator::Add: return fmt::format("cannot add {} to {}", Noun(right), Noun(left));
    case BinaryOperator::Subtract: return fmt::format("cannot subtract {} from {}", Noun(right), Noun(left));
    case BinaryOperator::Multiply: return fmt::format("cannot multiply {} by {}", Noun(left), Noun(right));
    case BinaryOperator::Divide: return fmt::format("cannot divide {} by {}", Noun(left), Noun(right));
    case BinaryOperator::Of: return fmt::format("cannot take {} of {}", Noun(left), Noun(right));
    default: return fmt::format("cannot compare {} with {}", Noun(left), Noun(right));
  }
}

std::string CurrencyMessage(BinaryOperator op, const ValueType& left, const ValueType& right) {
  switch (op) {
    case BinaryOperator::Add: return fmt::format("cannot add {} to {}", CurrencyCode(right), CurrencyCode(left));
    case BinaryOperator::Subtract:
      return fmt::format("cannot subtract {} from {}", CurrencyCode(right), CurrencyCode(left));
    case BinaryOperator::Divide:
      return fmt::format("cannot divide {} by {}", CurrencyCode(left), CurrencyCode(right));
    default: return fmt::format("cannot compare {} with {}", CurrencyCode(left), CurrencyCode(right));
  }
}

RuleResult AddSubtract(BinaryOperator op, const ValueType& l, const ValueType& r) {
  if (l.type == Type::Money && r.type == Type::Money) {
    if (!SameCurrency(l, r)) return Fail(DiagnosticKind::CurrencyMismatch, CurrencyMessage(op, l, r));
    return GiveMoney(l, r);
  }
  if (l.type == r.type && (l.type == Type::Percent || l.type == Type::Rate || l.type == Type::Duration ||
                           l.type == Type::Count)) {
    return Give(l.type);
  }
  if (IsNumeric(l.type) && IsNumeric(r.type)) return Give(Type::Number);
  if (l.type == Type::Date && r.type == Type::Duration) return Give(Type::Date);
  if (op == BinaryOperator::Add && l.type == Type::Duration && r.type == Type::Date) return Give(Type::Date);
  if (op == BinaryOperator::Subtract && l.type == Type::Date && r.type == Type::Date) return Give(Type::Duration);
  return Fail(DiagnosticKind::UnitMismatch, MismatchMessage(op, l, r));
}

RuleResult MultiplyRule(const ValueType& l, const ValueType& r) {
  bool right_factor = IsNumeric(r.type) || r.type == Type::Percent;
  if (l.type == Type::Money && right_factor) return GiveMoney(l, l);
  if (IsNumeric(l.type) && r.type == Type::Money) return GiveMoney(r, r);
  if (l.type == Type::Count && r.type == Type::Count) return Give(Type::Count);
  if (IsNumeric(l.type) && IsNumeric(r.type)) return Give(Type::Number);
  std::string help;
  if (l.type == Type::Percent && r.type == Type::Money) help = "to take a share of money, write `P% of AMOUNT`";
  return Fail(DiagnosticKind::UnitMismatch, MismatchMessage(BinaryOperator::Multiply, l, r), help);
}

RuleResult DivideRule(const ValueType& l, const ValueType& r) {
  if (l.type == Type::Money && IsNumeric(r.type)) return GiveMoney(l, l);
  if (l.type == Type::Money && r.type == Type::Money) {
    if (!SameCurrency(l, r)) return Fail(DiagnosticKind::CurrencyMismatch, CurrencyMessage(BinaryOperator::Divide, l, r));
    return Give(Type::Number);
  }
  // Counts divide into numbers (a quotient of whole numbers is rarely whole).
  if (IsNumeric(l.type) && IsNumeric(r.type)) return Give(Type::Number);
  return Fail(DiagnosticKind::UnitMismatch, MismatchMessage(BinaryOperator::Divide, l, r));
}

bool Ordered(Type type) {
  return type == Type::Money || type == Type::Percent || type == Type::Rate || type == Type::Duration ||
         type == Type::Date || IsNumeric(type);
}

RuleResult CompareRule(BinaryOperator op, const ValueType& l, const ValueType& r) {
  bool equality = op == BinaryOperator::Equal || op == BinaryOperator::NotEqual;
  bool same = l.type == r.type || (IsNumeric(l.type) && IsNumeric(r.type));
  if (!same) return Fail(DiagnosticKind::UnitMismatch, MismatchMessage(op, l, r));
  if (l.type == Type::Money && !SameCurrency(l, r)) {
    return Fail(DiagnosticKind::CurrencyMismatch, CurrencyMessage(op, l, r));
  }
  if (!equality && !Ordered(l.type)) {
    return Fail(DiagnosticKind::UnitMismatch, fmt::format("{} has no order: compare it with `==` or `!=`",
                                                          l.type == Type::Text ? "text" : "a true/false value"));
  }
  return Give(Type::Bool);
}

}  // namespace

std::string DescribeType(const ValueType& type) {
  if (type.type == Type::Money && !type.any_currency && !type.is_list) {
    return fmt::format("money ({})", CurrencyCode(type));
  }
  return Noun(type);
}

std::string DescribeType(Type type) {
  ValueType full;
  full.type = type;
  full.any_currency = true;
  return Noun(full);
}

bool SameValueType(const ValueType& a, const ValueType& b) {
  if (a.is_list != b.is_list) return false;
  if (a.type != b.type) return false;
  return a.type != Type::Money || SameCurrency(a, b);
}

ValueType TypeFromName(language::TypeName name, std::optional<runtime::CurrencyId> currency) {
  ValueType type;
  switch (name) {
    case language::TypeName::Money:
      type.type = Type::Money;
      if (currency) type.currency = *currency;
      type.any_currency = !currency.has_value();
      break;
    case language::TypeName::Percent: type.type = Type::Percent; break;
    case language::TypeName::Rate: type.type = Type::Rate; break;
    case language::TypeName::Duration: type.type = Type::Duration; break;
    case language::TypeName::Date: type.type = Type::Date; break;
    case language::TypeName::Count: type.type = Type::Count; break;
    case language::TypeName::Number: type.type = Type::Number; break;
    case language::TypeName::Bool: type.type = Type::Bool; break;
    case language::TypeName::Text: type.type = Type::Text; break;
  }
  return type;
}

RuleResult BinaryRule(BinaryOperator op, const ValueType& left, const ValueType& right) {
  if (left.is_list || right.is_list) {
    return Fail(DiagnosticKind::TypeMismatch, "a list can only be used on the right of `in`");
  }
  switch (op) {
    case BinaryOperator::Or:
    case BinaryOperator::And: {
      const char* word = op == BinaryOperator::And ? "and" : "or";
      if (left.type != Type::Bool) {
        return Fail(DiagnosticKind::TypeMismatch,
                    fmt::format("`{}` needs true/false values, but its left side is {}", word, Noun(left)));
      }
      if (right.type != Type::Bool) {
        return Fail(DiagnosticKind::TypeMismatch,
                    fmt::format("`{}` needs true/false values, but its right side is {}", word, Noun(right)));
      }
      return Give(Type::Bool);
    }
    case BinaryOperator::Equal:
    case BinaryOperator::NotEqual:
    case BinaryOperator::Less:
    case BinaryOperator::LessEqual:
    case BinaryOperator::Greater:
    case BinaryOperator::GreaterEqual: return CompareRule(op, left, right);
    case BinaryOperator::Add:
    case BinaryOperator::Subtract: return AddSubtract(op, left, right);
    case BinaryOperator::Multiply: return MultiplyRule(left, right);
    case BinaryOperator::Divide: return DivideRule(left, right);
    case BinaryOperator::Of:
      if (left.type == Type::Percent && right.type == Type::Money) return GiveMoney(right, right);
      return Fail(DiagnosticKind::UnitMismatch, MismatchMessage(op, left, right),
                  "`of` takes a percentage of money: `2% of invoice.balance`");
  }
  return Fail(DiagnosticKind::UnitMismatch, "unsupported operator");
}

RuleResult UnaryRule(UnaryOperator op, const ValueType& operand) {
  if (operand.is_list) return Fail(DiagnosticKind::TypeMismatch, "a list can only be used on the right of `in`");
  if (op == UnaryOperator::Not) {
    if (operand.type != Type::Bool) {
      return Fail(DiagnosticKind::TypeMismatch, fmt::format("`not` needs a true/false value, not {}", Noun(operand)));
    }
    return Give(Type::Bool);
  }
  switch (operand.type) {
    case Type::Money: return GiveMoney(operand, operand);
    case Type::Percent:
    case Type::Rate:
    case Type::Duration:
    case Type::Count:
    case Type::Number: return Give(operand.type);
    default: return Fail(DiagnosticKind::UnitMismatch, fmt::format("cannot negate {}", Noun(operand)));
  }
}

}  // namespace internal
}  // namespace recoup::compiler
