// The parser reads expressions with the spec's precedence, literals with
// their exact values and units, and free layout.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/unit/parser_test_support.h"

namespace recoup::language {
using testing::ConstantValue;
using testing::ParseClean;

TEST_CASE("expressions follow the spec's precedence", "[parser][expressions]") {
  SECTION("or is loosest, then and, then not, then comparisons") {
    auto parsed = ParseClean("const c = not a == 1 and b or c\n");
    const Expression& top = ConstantValue(*parsed);
    CHECK(top.binary_op == BinaryOperator::Or);
    const Expression& conjunction = parsed->expr(top.operands[0]);
    CHECK(conjunction.binary_op == BinaryOperator::And);
    const Expression& negation = parsed->expr(conjunction.operands[0]);
    CHECK(negation.kind == ExpressionKind::Unary);
    CHECK(negation.unary_op == UnaryOperator::Not);
    CHECK(parsed->expr(negation.operands[0]).binary_op == BinaryOperator::Equal);
  }
  SECTION("+ - are left-associative and looser than * /") {
    auto parsed = ParseClean("const c = 1 - 2 + 3 * 4 / 5\n");
    const Expression& top = ConstantValue(*parsed);
    CHECK(top.binary_op == BinaryOperator::Add);
    CHECK(parsed->expr(top.operands[0]).binary_op == BinaryOperator::Subtract);
    const Expression& divide = parsed->expr(top.operands[1]);
    CHECK(divide.binary_op == BinaryOperator::Divide);
    CHECK(parsed->expr(divide.operands[0]).binary_op == BinaryOperator::Multiply);
  }
  SECTION("of binds tighter than *, unary minus tighter than of, per year tightest") {
    auto parsed = ParseClean("const c = 2 * 3% of -x per year\n");
    const Expression& top = ConstantValue(*parsed);
    CHECK(top.binary_op == BinaryOperator::Multiply);
    const Expression& of = parsed->expr(top.operands[1]);
    CHECK(of.binary_op == BinaryOperator::Of);
    const Expression& negate = parsed->expr(of.operands[1]);
    CHECK(negate.unary_op == UnaryOperator::Negate);
    CHECK(parsed->expr(negate.operands[0]).kind == ExpressionKind::PerYear);
  }
  SECTION("the spec's examples") {
    auto parsed = ParseClean(R"(
const a = invoice.amount >= 10000 USD and customer.segment in ["enterprise", "strategic"]
const b = not (invoice.days_past_due > 90 or customer.late_payments >= 3)
const c = 2% of invoice.balance
const d = fired(reminder) < 3
const e = (base + 8%) per year
const f = today - invoice.due
const g = eu.rate + 1
const h = x != true and y <= false
const i = []
)");
    const std::vector<Constant>& constants = parsed->tree.constants;
    const Expression& in = parsed->expr(parsed->expr(constants[0].value).operands[1]);
    CHECK(in.kind == ExpressionKind::In);
    const Expression& list = parsed->expr(in.operands[1]);
    CHECK(list.kind == ExpressionKind::List);
    CHECK(list.operands.size() == 2);
    const Expression& grouped = parsed->expr(parsed->expr(constants[1].value).operands[0]);
    CHECK(grouped.binary_op == BinaryOperator::Or);
    CHECK(parsed->Text(grouped.range) == "(invoice.days_past_due > 90 or customer.late_payments >= 3)");
    CHECK(parsed->expr(constants[2].value).binary_op == BinaryOperator::Of);
    const Expression& fired = parsed->expr(parsed->expr(constants[3].value).operands[0]);
    CHECK(fired.kind == ExpressionKind::Fired);
    CHECK(fired.name.text == "reminder");
    CHECK(parsed->expr(constants[4].value).kind == ExpressionKind::PerYear);
    CHECK(parsed->expr(parsed->expr(constants[5].value).operands[0]).kind == ExpressionKind::Today);
    const Expression& qualified = parsed->expr(parsed->expr(constants[6].value).operands[0]);
    CHECK(qualified.kind == ExpressionKind::NameRef);
    CHECK(qualified.name.qualifier == "eu");
    CHECK(qualified.name.text == "rate");
    const Expression& comparison = parsed->expr(parsed->expr(constants[7].value).operands[1]);
    CHECK(comparison.binary_op == BinaryOperator::LessEqual);
    CHECK(parsed->expr(comparison.operands[1]).kind == ExpressionKind::Bool);
    CHECK_FALSE(parsed->expr(comparison.operands[1]).bool_value);
    CHECK(parsed->expr(constants[8].value).operands.empty());
  }
  SECTION("any identifier may follow invoice. and customer.") {
    auto parsed = ParseClean("const c = invoice.balance + invoice.amount + customer.anything_at_all\n");
    const Expression& top = ConstantValue(*parsed);
    CHECK(parsed->expr(top.operands[1]).name.text == "anything_at_all");
  }
}

TEST_CASE("literals keep their exact value and unit", "[parser][literals]") {
  SECTION("numbers, money and percentages are exact decimals") {
    auto parsed = ParseClean("const a = 12.50 USD\nconst b = 0.5%\nconst c = 1000 JPY\nconst d = 1.5\nconst e = 3\n");
    const std::vector<Constant>& constants = parsed->tree.constants;
    const Expression& money = parsed->expr(constants[0].value);
    CHECK(money.kind == ExpressionKind::Money);
    CHECK(money.decimal.digits == 1250);
    CHECK(money.decimal.scale == 2);
    CHECK(money.currency == "USD");
    CHECK(parsed->Text(money.range) == "12.50 USD");
    const Expression& percent = parsed->expr(constants[1].value);
    CHECK(percent.kind == ExpressionKind::Percent);
    CHECK(percent.decimal.digits == 5);
    CHECK(percent.decimal.scale == 1);
    CHECK(parsed->expr(constants[2].value).currency == "JPY");
    CHECK(parsed->expr(constants[3].value).kind == ExpressionKind::Number);
    CHECK(parsed->expr(constants[4].value).decimal.digits == 3);
  }
  SECTION("the largest exact numbers fit") {
    auto parsed = ParseClean("const a = 9223372036854775807\nconst b = 0.123456789012345678\n");
    CHECK(parsed->expr(parsed->tree.constants[0].value).decimal.digits == INT64_MAX);
    CHECK(parsed->expr(parsed->tree.constants[1].value).decimal.scale == 18);
  }
  SECTION("every spelling of a duration") {
    auto parsed = ParseClean(
        "const a = 7d\nconst b = 7 days\nconst c = 1 day\nconst d = 5bd\nconst e = 5 business days\n"
        "const f = 1 business day\nconst g = 2w\nconst h = 2 weeks\nconst i = 1 week\n");
    std::vector<DurationUnit> units;
    for (const Constant& constant : parsed->tree.constants) {
      const Expression& value = parsed->expr(constant.value);
      CHECK(value.kind == ExpressionKind::Duration);
      units.push_back(value.duration_unit);
    }
    using U = DurationUnit;
    CHECK(units == std::vector<DurationUnit>{U::Days, U::Days, U::Days, U::BusinessDays, U::BusinessDays,
                                             U::BusinessDays, U::Weeks, U::Weeks, U::Weeks});
  }
  SECTION("dates, including 29 February of a leap year") {
    auto parsed = ParseClean("const a = 2026-01-31\nconst b = 2024-02-29\n");
    const Expression& date = parsed->expr(parsed->tree.constants[0].value);
    CHECK(date.kind == ExpressionKind::Date);
    CHECK(date.date.year == 2026);
    CHECK(date.date.month == 1);
    CHECK(date.date.day == 31);
  }
  SECTION("text escapes are decoded; any UTF-8 is kept") {
    auto parsed = ParseClean("const a = \"say \\\"hi\\\"\\n\\ttab \\\\ end\"\nconst b = \"Café 🎉\"  # ünïcödé comment\n");
    CHECK(parsed->expr(parsed->tree.constants[0].value).text == "say \"hi\"\n\ttab \\ end");
    CHECK(parsed->expr(parsed->tree.constants[1].value).text == "Café 🎉");
  }
}

TEST_CASE("layout is free: line breaks, tabs, CRLF, comments", "[parser][layout]") {
  auto parsed = ParseClean(
      "\xEF\xBB\xBFpolicy \"x\"\r\ncurrency\tUSD\r\n"
      "final:\r\n  at due\r\n    + 30d:   # a comment inside a step\r\n  letter \"a\",\r\n  fee 5 USD\r\n"
      "  if invoice.amount\r\n     > 10 USD\r\n");
  REQUIRE(parsed->tree.body.steps.size() == 1);
  const Step& step = parsed->tree.body.steps[0];
  CHECK(step.label->text == "final");
  CHECK(step.actions.size() == 2);
  CHECK(step.guard_kind == GuardKind::If);
  CHECK(parsed->At(step.range).line == 3);
  CHECK(parsed->file().Locate(step.range.end).line == 9);
  CHECK(parsed->Text(parsed->tree.header[0].range) == "policy \"x\"");
  // A step ending in `call` is not confused by a label or a `7 days before` step after it.
  auto next = ParseClean("at due: call\nfinal: at due + 1d: call\n7 days before due: legal\n3 days after due: call\n");
  CHECK(next->tree.body.steps.size() == 4);
  CHECK(next->tree.body.steps[0].actions[0].subject == kNone);
  CHECK(next->tree.body.steps[2].actions[0].subject == kNone);
}

}  // namespace recoup::language
