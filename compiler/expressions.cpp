// Typing expressions: each syntax expression becomes an Operand (the
// leaves, literals and names, are in leaves.cpp). Constant
// parts fold to values (constant_folding.cpp) under the unit rules
// (types.cpp); parts that depend on the invoice, the customer, the day or
// the policy's history become IR nodes. An operand that is already an error
// makes its parents errors without a further message, so one mistake gives
// one diagnostic.
#include <fmt/format.h>

#include <array>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

using language::ExpressionKind;
using language::FieldObject;

Operand ConstantOperand(Value value, ValueType type) {
  Operand operand;
  operand.type = type;
  operand.value = std::move(value);
  return operand;
}

compiler::ExpressionKind NodeKind(language::BinaryOperator op) {
  using language::BinaryOperator;
  switch (op) {
    case BinaryOperator::Or: return compiler::ExpressionKind::Or;
    case BinaryOperator::And: return compiler::ExpressionKind::And;
    case BinaryOperator::Equal: return compiler::ExpressionKind::Equal;
    case BinaryOperator::NotEqual: return compiler::ExpressionKind::NotEqual;
    case BinaryOperator::Less: return compiler::ExpressionKind::Less;
    case BinaryOperator::LessEqual: return compiler::ExpressionKind::LessEqual;
    case BinaryOperator::Greater: return compiler::ExpressionKind::Greater;
    case BinaryOperator::GreaterEqual: return compiler::ExpressionKind::GreaterEqual;
    case BinaryOperator::Add: return compiler::ExpressionKind::Add;
    case BinaryOperator::Subtract: return compiler::ExpressionKind::Subtract;
    case BinaryOperator::Multiply: return compiler::ExpressionKind::Multiply;
    case BinaryOperator::Divide: return compiler::ExpressionKind::Divide;
    case BinaryOperator::Of: return compiler::ExpressionKind::PercentOf;
  }
  return compiler::ExpressionKind::Add;
}

bool IsBusinessDuration(const Operand& operand) {
  return operand.value && operand.value->type == Type::Duration &&
         operand.value->duration.unit == DurationUnit::BusinessDays;
}

}  // namespace

ExpressionId Checker::Materialize(const Operand& operand, SourceRange range, PolicyIr& out) {
  if (operand.node != kNoId) return operand.node;
  Value value = operand.value.value_or(Value{});
  auto value_id = static_cast<ValueId>(out.values.size());
  out.values.push_back(std::move(value));
  Expression node;
  node.kind = compiler::ExpressionKind::Literal;
  node.type = operand.type;
  node.range = range;
  node.value = value_id;
  out.expressions.push_back(node);
  return static_cast<ExpressionId>(out.expressions.size() - 1);
}

Operand Checker::EvaluateConstant(std::uint32_t definition) {
  ConstantState& state = constants_[definition];
  const Definition& constant = definitions_[definition];
  if (state.stage == ConstantState::Stage::Done) return state.result;
  if (state.stage == ConstantState::Stage::InProgress) {
    Report(DiagnosticKind::NotConstant, constant.range,
           fmt::format("the constant `{}` is defined in terms of itself", constant.name));
    return Operand::Error();
  }
  if (constant_depth_ >= kMaxConstantDepth) {
    Report(DiagnosticKind::NestingTooDeep, constant.range,
           fmt::format("the constant `{}` is defined through more than {} other constants", constant.name,
                       kMaxConstantDepth));
    return Operand::Error();
  }
  state.stage = ConstantState::Stage::InProgress;
  ++constant_depth_;
  Context context;
  context.tree = constant.tree;
  const language::Constant& syntax = program_.trees[constant.tree].constants[constant.index];
  Operand result = CheckExpression(context, syntax.value, scratch_);
  --constant_depth_;
  if (result.runtime) {
    language::Diagnostic& diagnostic = Report(
        DiagnosticKind::NotConstant, result.runtime_leaf,
        fmt::format("the constant `{}` cannot depend on `{}`", constant.name, result.runtime_what));
    diagnostic.help = "constants are computed once, when the policy is checked; put conditions on the invoice or "
                      "customer in a step's `if`";
    result = Operand::Error();
  }
  ConstantState& done = constants_[definition];
  done.stage = ConstantState::Stage::Done;
  done.result = result;
  return result;
}

std::optional<Value> Checker::ConstantOfType(const Context& context, language::ExpressionId id, Type expected,
                                             const char* what, PolicyIr& out, bool* symbolic) {
  Operand operand = CheckExpression(context, id, out);
  if (id == language::kNone) return std::nullopt;
  return ConstantFrom(operand, TreeOf(context).expression(id).range, expected, what, symbolic);
}

std::optional<Value> Checker::ConstantFrom(const Operand& operand, SourceRange range, Type expected, const char* what,
                                           bool* symbolic) {
  if (operand.IsError()) return std::nullopt;
  if (operand.type.is_list || operand.type.type != expected) {
    Report(DiagnosticKind::TypeMismatch, range,
           fmt::format("{} must be {}, not {}", what, DescribeType(expected), DescribeType(operand.type)));
    return std::nullopt;
  }
  if (operand.runtime) {
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::NotConstant, range,
               fmt::format("{} must be known when the policy is checked, but it depends on `{}`", what,
                           operand.runtime_what));
    diagnostic.notes.push_back({operand.runtime_leaf, "it depends on this"});
    return std::nullopt;
  }
  if (operand.symbolic) {
    if (symbolic) *symbolic = true;
    return std::nullopt;
  }
  return operand.value;
}

Operand Checker::CheckExpression(const Context& context, language::ExpressionId id, PolicyIr& out, int depth) {
  const language::SyntaxTree& tree = TreeOf(context);
  if (id == language::kNone || id >= tree.expressions.size()) return Operand::Error();
  const language::Expression& expression = tree.expression(id);
  if (depth > 4 * 256) {
    Report(DiagnosticKind::NestingTooDeep, expression.range, "this expression nests too deeply");
    return Operand::Error();
  }
  switch (expression.kind) {
    case ExpressionKind::Number:
    case ExpressionKind::Percent:
    case ExpressionKind::Money:
    case ExpressionKind::Duration:
    case ExpressionKind::Date:
    case ExpressionKind::Text:
    case ExpressionKind::Bool:
    case ExpressionKind::NameRef:
    case ExpressionKind::Field:
    case ExpressionKind::Today:
    case ExpressionKind::Fired: return CheckLeaf(context, expression, out);
    case ExpressionKind::List: {
      Operand list;
      list.type.is_list = true;
      bool first = true;
      bool failed = false;
      for (language::ExpressionId element_id : expression.operands) {
        Operand element = CheckExpression(context, element_id, out, depth + 1);
        if (element.IsError()) {
          failed = true;
          continue;
        }
        SourceRange range = tree.expression(element_id).range;
        if (element.type.is_list) {
          Report(DiagnosticKind::TypeMismatch, range, "a list cannot hold another list");
          failed = true;
          continue;
        }
        if (element.runtime) {
          Report(DiagnosticKind::NotConstant, range,
                 fmt::format("the items of a list must be known when the policy is checked, but this depends on `{}`",
                             element.runtime_what));
          failed = true;
          continue;
        }
        if (first) {
          list.type = element.type;
          list.type.is_list = true;
          first = false;
        } else if (!SameValueType(element.type, ValueType{list.type.type, list.type.currency, list.type.any_currency,
                                                          false})) {
          Report(DiagnosticKind::TypeMismatch, range,
                 fmt::format("the items of a list must all have one type: this is {}, the first is {}",
                             DescribeType(element.type), DescribeType(list.type.type)));
          failed = true;
          continue;
        }
        if (element.symbolic) list.symbolic = true;
        if (element.value) list.list.push_back(*element.value);
      }
      if (failed) return Operand::Error();
      if (first) list.type.type = Type::Text;  // an empty list: nothing is in it, whatever its type
      return list;
    }
    case ExpressionKind::Unary: {
      if (expression.operands.empty()) return Operand::Error();
      Operand operand = CheckExpression(context, expression.operands[0], out, depth + 1);
      if (operand.IsError()) return Operand::Error();
      RuleResult rule = UnaryRule(expression.unary_op, operand.type);
      if (!rule.ok) {
        language::Diagnostic& diagnostic = Report(rule.error, expression.range, rule.message);
        diagnostic.help = rule.help;
        return Operand::Error();
      }
      if (operand.IsConstant()) {
        FoldResult folded = FoldUnary(expression.unary_op, *operand.value);
        if (!folded.value) {
          Report(folded.error, expression.range, folded.message);
          return Operand::Error();
        }
        return ConstantOperand(std::move(*folded.value), rule.type);
      }
      if (!operand.runtime) {
        operand.type = rule.type;
        return operand;
      }
      Expression node;
      node.kind = expression.unary_op == language::UnaryOperator::Not ? compiler::ExpressionKind::Not
                                                                       : compiler::ExpressionKind::Negate;
      node.type = rule.type;
      node.range = expression.range;
      node.left = operand.node;
      out.expressions.push_back(node);
      operand.node = static_cast<ExpressionId>(out.expressions.size() - 1);
      operand.type = rule.type;
      return operand;
    }
    case ExpressionKind::PerYear: {
      if (expression.operands.empty()) return Operand::Error();
      Operand operand = CheckExpression(context, expression.operands[0], out, depth + 1);
      if (operand.IsError()) return Operand::Error();
      if (operand.type.is_list || operand.type.type != Type::Percent) {
        Report(DiagnosticKind::UnitMismatch, expression.range,
               fmt::format("`per year` turns a percentage into an annual rate; it cannot apply to {}",
                           DescribeType(operand.type)));
        return Operand::Error();
      }
      ValueType rate;
      rate.type = Type::Rate;
      if (operand.IsConstant()) return ConstantOperand(*FoldPerYear(*operand.value).value, rate);
      if (!operand.runtime) {
        operand.type = rate;
        return operand;
      }
      Expression node;
      node.kind = compiler::ExpressionKind::PerYear;
      node.type = rate;
      node.range = expression.range;
      node.left = operand.node;
      out.expressions.push_back(node);
      operand.node = static_cast<ExpressionId>(out.expressions.size() - 1);
      operand.type = rate;
      return operand;
    }
    case ExpressionKind::In: {
      if (expression.operands.size() < 2) return Operand::Error();
      Operand value = CheckExpression(context, expression.operands[0], out, depth + 1);
      Operand list = CheckExpression(context, expression.operands[1], out, depth + 1);
      if (value.IsError() || list.IsError()) return Operand::Error();
      if (!list.type.is_list) {
        Report(DiagnosticKind::TypeMismatch, tree.expression(expression.operands[1]).range,
               fmt::format("`in` needs a list on its right, like `[\"a\", \"b\"]` or a list constant, not {}",
                           DescribeType(list.type)));
        return Operand::Error();
      }
      if (value.type.is_list) {
        Report(DiagnosticKind::TypeMismatch, tree.expression(expression.operands[0]).range,
               "`in` looks for one value in a list, not a list");
        return Operand::Error();
      }
      ValueType element = list.type;
      element.is_list = false;
      if (!list.list.empty() && !SameValueType(value.type, element)) {
        Report(element.type == Type::Money && value.type.type == Type::Money ? DiagnosticKind::CurrencyMismatch
                                                                             : DiagnosticKind::TypeMismatch,
               expression.range,
               fmt::format("cannot look for {} in {}", DescribeType(value.type), DescribeType(list.type)));
        return Operand::Error();
      }
      ValueType result;
      result.type = Type::Bool;
      if (value.IsConstant() && !list.symbolic) {
        Value found;
        found.type = Type::Bool;
        for (const Value& item : list.list) found.boolean = found.boolean || ValuesEqual(*value.value, item);
        return ConstantOperand(std::move(found), result);
      }
      if (!value.runtime) {
        value.type = result;
        value.symbolic = true;
        return value;
      }
      Expression node;
      node.kind = compiler::ExpressionKind::In;
      node.type = result;
      node.range = expression.range;
      node.left = value.node;
      node.list_begin = static_cast<ValueId>(out.values.size());
      node.list_count = static_cast<std::uint32_t>(list.list.size());
      for (const Value& item : list.list) out.values.push_back(item);
      out.expressions.push_back(node);
      value.node = static_cast<ExpressionId>(out.expressions.size() - 1);
      value.type = result;
      return value;
    }
    case ExpressionKind::Binary: {
      if (expression.operands.size() < 2) return Operand::Error();
      Operand left = CheckExpression(context, expression.operands[0], out, depth + 1);
      Operand right = CheckExpression(context, expression.operands[1], out, depth + 1);
      if (left.IsError() || right.IsError()) return Operand::Error();
      RuleResult rule = BinaryRule(expression.binary_op, left.type, right.type);
      if (!rule.ok) {
        language::Diagnostic& diagnostic = Report(rule.error, expression.range, rule.message);
        diagnostic.help = rule.help;
        return Operand::Error();
      }
      using language::BinaryOperator;
      BinaryOperator op = expression.binary_op;
      // `false and x`, `true or x`...: one constant side may decide the result.
      if (op == BinaryOperator::And || op == BinaryOperator::Or) {
        bool absorbing = op == BinaryOperator::Or;  // true absorbs `or`, false absorbs `and`
        for (const Operand* side : {&left, &right}) {
          const Operand* other = side == &left ? &right : &left;
          if (!side->IsConstant()) continue;
          if (side->value->boolean == absorbing) return ConstantOperand(*side->value, rule.type);
          return *other;
        }
      }
      bool mixes_days = (left.runtime && left.type.type == Type::Duration && IsBusinessDuration(right)) ||
                        (right.runtime && right.type.type == Type::Duration && IsBusinessDuration(left));
      if (mixes_days && op != BinaryOperator::Multiply && op != BinaryOperator::Divide) {
        Report(DiagnosticKind::UnitMismatch, expression.range,
               "cannot combine business days with calendar days (a difference of dates is in calendar days)");
        return Operand::Error();
      }
      if (left.IsConstant() && right.IsConstant()) {
        FoldResult folded = FoldBinary(op, *left.value, *right.value, rule.type);
        if (!folded.value) {
          Report(folded.error, expression.range, folded.message);
          return Operand::Error();
        }
        return ConstantOperand(std::move(*folded.value), rule.type);
      }
      if (!left.runtime && !right.runtime) {
        Operand symbolic;
        symbolic.type = rule.type;
        symbolic.symbolic = true;
        return symbolic;
      }
      const Operand& runtime_side = left.runtime ? left : right;
      Expression node;
      node.kind = NodeKind(op);
      node.type = rule.type;
      node.range = expression.range;
      node.left = Materialize(left, tree.expression(expression.operands[0]).range, out);
      node.right = Materialize(right, tree.expression(expression.operands[1]).range, out);
      out.expressions.push_back(node);
      Operand result;
      result.type = rule.type;
      result.node = static_cast<ExpressionId>(out.expressions.size() - 1);
      result.runtime = true;
      result.runtime_leaf = runtime_side.runtime_leaf;
      result.runtime_what = runtime_side.runtime_what;
      return result;
    }
  }
  return Operand::Error();
}

}  // namespace recoup::compiler::internal
