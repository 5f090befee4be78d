// Actions that build expressions and anchors on the parse state's stacks.
// Internal to the parser; included by parse_actions.h only.
#pragma once

#include <fmt/format.h>

#include "language/grammar_statements.h"
#include "language/parse_state.h"
#include "language/parse_words.h"

namespace recoup::language::grammar {

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

template <typename Input>
SourceRange RangeOf(const Input& in, const ParseState& state) {
  return state.TokenRange(in.begin(), in.end());
}

// Comments are layout to the grammar; the formatter needs them back.
template <>
struct Action<comment> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.RecordComment(state.Offset(in.begin()), state.Offset(in.end()));
  }
};

// Literals.
template <>
struct Action<number_token> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::optional<Decimal> value = ParseDecimalLiteral(in.string_view());
    if (!value) {
      state.Fail(DiagnosticKind::NumberOutOfRange, range,
                 fmt::format("the number {} is too large or has too many decimals to be kept exactly "
                             "(at most 18 decimals, and no more than 9223372036854775807 in all its digits)",
                             in.string_view()));
    }
    StatementScratch& scratch = state.scratch;
    scratch.number = *value;
    scratch.number_begin = range.begin;
    scratch.number_kind = ExpressionKind::Number;
  }
};

template <ExpressionKind Kind, DurationUnit Unit = DurationUnit::Days>
struct UnitAction {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.number_kind = Kind;
    state.scratch.unit = Unit;
  }
};
template <>
struct Action<unit_business_days> : UnitAction<ExpressionKind::Duration, DurationUnit::BusinessDays> {};
template <>
struct Action<unit_days> : UnitAction<ExpressionKind::Duration, DurationUnit::Days> {};
template <>
struct Action<unit_weeks> : UnitAction<ExpressionKind::Duration, DurationUnit::Weeks> {};
template <>
struct Action<unit_percent> : UnitAction<ExpressionKind::Percent> {};

template <>
struct Action<currency_code> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.number_kind = ExpressionKind::Money;
    state.scratch.currency = in.string();
  }
};

template <>
struct Action<number_literal> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    const StatementScratch& scratch = state.scratch;
    Expression expression;
    expression.kind = scratch.number_kind;
    expression.range = state.Range(scratch.number_begin, state.Offset(in.end()));
    expression.decimal = scratch.number;
    if (expression.kind == ExpressionKind::Money) expression.currency = scratch.currency;
    if (expression.kind == ExpressionKind::Duration) {
      expression.duration_unit = scratch.unit;
      if (scratch.number.scale != 0) {
        state.Fail(DiagnosticKind::SyntaxError, expression.range,
                   "a duration must be a whole number of days, business days or weeks");
      }
    }
    state.AddExpression(std::move(expression));
  }
};

template <>
struct Action<date_value> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::string_view text(state.base + range.begin, range.end - range.begin);
    auto number = [&](std::size_t from, std::size_t count) {
      int value = 0;
      for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
      return value;
    };
    DateLiteral date{number(0, 4), static_cast<std::uint8_t>(number(5, 2)), static_cast<std::uint8_t>(number(8, 2))};
    if (!IsValidDate(date)) {
      state.ReportAndContinue(
          DiagnosticKind::InvalidDate, range,
          fmt::format("{} is not a day of the calendar; dates are written year-month-day, as in 2026-01-31", text));
      date = NearestValidDate(date);  // the error is reported; later phases still see a real day
    }
    state.scratch.date = date;
    state.scratch.date_range = range;
  }
};

template <>
struct Action<date_literal> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    Expression expression;
    expression.kind = ExpressionKind::Date;
    expression.range = state.scratch.date_range;
    expression.date = state.scratch.date;
    state.AddExpression(std::move(expression));
  }
};

template <>
struct Action<text_open> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.text_open = state.Offset(in.begin());
  }
};

template <>
struct Action<quoted_text> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::string_view body(state.base + range.begin + 1, range.end - range.begin - 2);
    state.scratch.text = DecodeText(body);
    state.scratch.text_range = range;
  }
};

template <>
struct Action<text_literal> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    Expression expression;
    expression.kind = ExpressionKind::Text;
    expression.range = state.scratch.text_range;
    expression.text = state.scratch.text;
    state.AddExpression(std::move(expression));
  }
};

template <ExpressionKind Kind, bool Value = false>
struct WordLiteralAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Expression expression;
    expression.kind = Kind;
    expression.range = RangeOf(in, state);
    expression.bool_value = Value;
    state.AddExpression(std::move(expression));
  }
};
template <>
struct Action<today_literal> : WordLiteralAction<ExpressionKind::Today> {};
template <>
struct Action<true_literal> : WordLiteralAction<ExpressionKind::Bool, true> {};
template <>
struct Action<false_literal> : WordLiteralAction<ExpressionKind::Bool, false> {};

// Names.

// `eu.rate` or `rate` as a Name; the range is the whole written name.
inline Name SplitQualifiedName(SourceRange range, const ParseState& state) {
  std::string_view text(state.base + range.begin, range.end - range.begin);
  Name name;
  name.range = range;
  std::size_t dot_at = text.find('.');
  if (dot_at == std::string_view::npos) {
    name.text = std::string(text);
  } else {
    name.qualifier = std::string(text.substr(0, dot_at));
    name.text = std::string(text.substr(dot_at + 1));
  }
  return name;
}

template <>
struct Action<name_reference> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Expression expression;
    expression.kind = ExpressionKind::NameRef;
    expression.range = RangeOf(in, state);
    expression.name = SplitQualifiedName(expression.range, state);
    state.AddExpression(std::move(expression));
  }
};

template <>
struct Action<qualified_name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.names.push_back(SplitQualifiedName(RangeOf(in, state), state));
  }
};

template <>
struct Action<field_reference> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Expression expression;
    expression.kind = ExpressionKind::Field;
    expression.range = RangeOf(in, state);
    std::string_view text(state.base + expression.range.begin, expression.range.end - expression.range.begin);
    expression.object = text[0] == 'i' ? FieldObject::Invoice : FieldObject::Customer;
    std::size_t dot_at = text.find('.');
    expression.name.text = std::string(text.substr(dot_at + 1));
    expression.name.range = state.Range(expression.range.begin + static_cast<std::uint32_t>(dot_at) + 1,
                                        expression.range.end);
    state.AddExpression(std::move(expression));
  }
};

template <>
struct Action<label_reference> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Name name;
    name.range = RangeOf(in, state);
    name.text = std::string(state.base + name.range.begin, name.range.end - name.range.begin);
    state.scratch.names.push_back(std::move(name));
  }
};

template <>
struct Action<fired_call> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Expression expression;
    expression.kind = ExpressionKind::Fired;
    expression.range = RangeOf(in, state);
    expression.name = state.PopName();
    state.AddExpression(std::move(expression));
  }
};

// Brackets.
template <>
struct Action<open_paren> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.open_parens.push_back(RangeOf(in, state).begin);
  }
};
template <>
struct Action<close_paren> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    if (!state.scratch.open_parens.empty()) state.scratch.open_parens.pop_back();
  }
};

template <>
struct Action<paren_group> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    // The value keeps its parentheses in its range: `(a + b)` as written.
    state.tree->expressions[state.scratch.values.back()].range = RangeOf(in, state);
  }
};

template <>
struct Action<open_bracket> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.list_marks.emplace_back(state.scratch.values.size(), RangeOf(in, state).begin);
  }
};

template <>
struct Action<list_literal> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    std::size_t mark = state.scratch.list_marks.back().first;
    state.scratch.list_marks.pop_back();
    Expression expression;
    expression.kind = ExpressionKind::List;
    expression.range = RangeOf(in, state);
    int depth = 1;
    for (std::size_t i = mark; i < state.scratch.values.size(); ++i) {
      ExpressionId item = state.scratch.values[i];
      expression.operands.push_back(item);
      depth = std::max(depth, 1 + state.expression_depth[item]);
    }
    state.scratch.values.resize(mark);
    state.AddExpression(std::move(expression), depth);
  }
};

// Operators.
template <>
struct Action<per_year> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    std::uint32_t begin = state.tree->expressions[state.scratch.values.back()].range.begin;
    state.ReduceUnary(ExpressionKind::PerYear, UnaryOperator::Not, begin, state.Offset(in.end()));
  }
};

template <>
struct Action<negation> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    state.ReduceUnary(ExpressionKind::Unary, UnaryOperator::Negate, range.begin, range.end);
  }
};

template <>
struct Action<not_prefix> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    state.ReduceUnary(ExpressionKind::Unary, UnaryOperator::Not, range.begin, range.end);
  }
};

template <>
struct Action<of_tail> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.ReduceBinary(BinaryOperator::Of);
  }
};

// An operator's action records it; the tail's action (after the right
// operand) combines the two values with it.
template <>
struct Action<multiply_operator> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    char symbol = in.string_view().back();
    state.scratch.operators.push_back(symbol == '*' ? BinaryOperator::Multiply : BinaryOperator::Divide);
  }
};
template <>
struct Action<add_operator> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    char symbol = in.string_view().back();
    state.scratch.operators.push_back(symbol == '+' ? BinaryOperator::Add : BinaryOperator::Subtract);
  }
};
template <>
struct Action<compare_operator> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::string_view symbol(state.base + range.begin, range.end - range.begin);
    BinaryOperator op = symbol == "==" ? BinaryOperator::Equal
                        : symbol == "!=" ? BinaryOperator::NotEqual
                        : symbol == "<=" ? BinaryOperator::LessEqual
                        : symbol == ">=" ? BinaryOperator::GreaterEqual
                        : symbol == "<"  ? BinaryOperator::Less
                                         : BinaryOperator::Greater;
    state.scratch.operators.push_back(op);
  }
};

struct ReduceWithRecordedOperator {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    BinaryOperator op = state.scratch.operators.back();
    state.scratch.operators.pop_back();
    state.ReduceBinary(op);
  }
};
template <>
struct Action<multiply_tail> : ReduceWithRecordedOperator {};
template <>
struct Action<add_tail> : ReduceWithRecordedOperator {};
template <>
struct Action<compare_tail> : ReduceWithRecordedOperator {};

template <>
struct Action<in_tail> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    ExpressionId list = state.PopValue();
    ExpressionId value = state.PopValue();
    Expression expression;
    expression.kind = ExpressionKind::In;
    expression.range = state.Range(state.tree->expressions[value].range.begin,
                                   state.tree->expressions[list].range.end);
    expression.operands = {value, list};
    int depth = 1 + std::max(state.expression_depth[value], state.expression_depth[list]);
    state.AddExpression(std::move(expression), depth);
  }
};

template <BinaryOperator Op>
struct FixedBinaryAction {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.ReduceBinary(Op);
  }
};
template <>
struct Action<and_tail> : FixedBinaryAction<BinaryOperator::And> {};
template <>
struct Action<or_tail> : FixedBinaryAction<BinaryOperator::Or> {};

}  // namespace recoup::language::grammar
