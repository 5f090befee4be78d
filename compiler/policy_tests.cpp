// Tests written inside a policy: the given invoices, customer, payments,
// disputes and promises, folded to dates and money; the expectations with
// their dates resolved against the test's first invoice (`due + 30d`,
// business days counted with the policy calendar).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

struct SettableField {
  const char* name;
  Field field;
  Type type;
};

// Built-in customer fields a test may give (the rest are computed).
constexpr SettableField kSettableCustomerFields[] = {
    {"id", Field::CustomerId, Type::Text},
    {"segment", Field::CustomerSegment, Type::Text},
    {"country", Field::CustomerCountry, Type::Text},
    {"late_payments", Field::CustomerLatePayments, Type::Count},
};

std::optional<runtime::Date> DateOf(const language::DateLiteral& literal) {
  return runtime::Date::FromCivil(literal.year, literal.month, literal.day);
}

// What an `expect ACTION ARGUMENT at ...` argument must be, if anything.
std::optional<Type> ArgumentType(language::ActionKind kind) {
  switch (kind) {
    case language::ActionKind::Fee: return Type::Money;
    case language::ActionKind::Email:
    case language::ActionKind::Sms:
    case language::ActionKind::Letter:
    case language::ActionKind::Call:
    case language::ActionKind::Notice:
    case language::ActionKind::Task:
    case language::ActionKind::Agency:
    case language::ActionKind::Legal: return Type::Text;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<FieldSetting> Checker::ResolveTestField(const Context& context, language::FieldObject object,
                                                      const language::FieldValue& given) {
  const char* object_name = object == language::FieldObject::Invoice ? "invoice" : "customer";
  FieldSetting setting;
  setting.range = given.field.range;
  ValueType type;
  std::vector<std::string> candidates;
  bool found = false;
  if (object == language::FieldObject::Customer) {
    for (const SettableField& field : kSettableCustomerFields) {
      candidates.emplace_back(field.name);
      if (given.field.text == field.name) {
        setting.field = field.field;
        type.type = field.type;
        found = true;
      }
    }
  }
  for (const auto& [key, id] : attribute_index_) {
    if (key.first != static_cast<int>(object)) continue;
    candidates.push_back(key.second);
    if (!found && key.second == given.field.text) {
      setting.attribute = id;
      type = ir_.attributes[id].type;
      found = true;
    }
  }
  Operand value = CheckExpression(context, given.value, scratch_);
  if (!found) {
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::UnknownName, given.field.range,
               fmt::format("`{}` is not a field a test can give for the {}", given.field.text, object_name));
    std::string closest = language::ClosestName(given.field.text, candidates);
    diagnostic.help = closest.empty() ? fmt::format("to give a ledger column, declare it: `attribute {}.{}: text`",
                                                    object_name, given.field.text)
                                      : fmt::format("did you mean `{}`?", closest);
    return std::nullopt;
  }
  if (given.value >= TreeOf(context).expressions.size()) return std::nullopt;
  SourceRange range = TreeOf(context).expression(given.value).range;
  if (!value.IsError() && !SameValueType(value.type, type)) {
    Report(DiagnosticKind::TypeMismatch, range,
           fmt::format("`{}.{}` is {}, not {}", object_name, given.field.text, DescribeType(type), DescribeType(value.type)));
    return std::nullopt;
  }
  std::optional<Value> folded = ConstantFrom(value, range, type.type, "a field's value in a test");
  if (!folded) return std::nullopt;
  setting.value = std::move(*folded);
  return setting;
}

std::optional<runtime::Date> Checker::ResolveTestDate(const Context& context, const language::TestDate& when,
                                                      const PolicyTest& test,
                                                      const runtime::BusinessCalendar& calendar) {
  std::optional<runtime::Date> date;
  switch (when.base) {
    case language::TestDate::Base::Date: date = DateOf(when.date); break;
    case language::TestDate::Base::Due:
    case language::TestDate::Base::Issue:
      if (test.invoices.empty()) return std::nullopt;  // reported: the test has no invoice
      date = when.base == language::TestDate::Base::Due ? test.invoices.front().due : test.invoices.front().issued;
      break;
  }
  if (!date) return std::nullopt;
  for (const language::AnchorOffset& offset : when.offsets) {
    std::optional<Duration> duration = ConstantDuration(context, offset.duration, "an offset", scratch_);
    if (!duration) return std::nullopt;
    std::int32_t count = offset.negative ? -duration->count : duration->count;
    date = duration->unit == DurationUnit::BusinessDays ? calendar.AddBusinessDays(*date, count) : date->AddDays(count);
  }
  return date;
}

void Checker::CheckTests() {
  const language::SyntaxTree& tree = program_.trees[program_.main];
  if (!is_policy_) {
    for (const language::PolicyTest& test : tree.tests) {
      Report(DiagnosticKind::InvalidTest, test.range,
             fmt::format("the test \"{}\" has no policy to run: this file has no `policy` line", test.name));
    }
    return;
  }
  Context context;
  context.tree = program_.main;
  context.policy = true;
  runtime::BusinessCalendar calendar = ir_.header.calendar.ToBusinessCalendar();
  for (const language::PolicyTest& test : tree.tests) {
    PolicyTest checked;
    checked.name = test.name;
    checked.range = test.range;
    if (test.invoices.empty()) {
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::InvalidTest, test.range, fmt::format("the test \"{}\" has no invoice", test.name));
      diagnostic.help = "add a line like `invoice 1000 USD issued 2026-01-01 due 2026-01-31`";
    }
    std::map<std::string, SourceRange> ids;
    for (const language::TestInvoice& invoice : test.invoices) {
      TestInvoice given;
      given.id = invoice.id;
      given.range = invoice.range;
      if (test.invoices.size() > 1 && invoice.id.empty()) {
        language::Diagnostic& diagnostic = Report(DiagnosticKind::InvalidTest, invoice.range,
                                                  "this test has several invoices, so each needs an id");
        diagnostic.help = "write `invoice \"INV-1\" 1000 USD issued ...`";
      } else if (!invoice.id.empty()) {
        auto [first, inserted] = ids.emplace(invoice.id, invoice.range);
        if (!inserted) {
          language::Diagnostic& diagnostic = Report(
              DiagnosticKind::InvalidTest, invoice.range, fmt::format("two invoices have the id \"{}\"", invoice.id));
          diagnostic.notes.push_back({first->second, "the other one is here"});
        }
      }
      if (std::optional<Value> amount = ConstantOfType(context, invoice.amount, Type::Money, "an invoice amount", scratch_)) {
        given.amount = amount->money;
      }
      given.issued = DateOf(invoice.issued).value_or(runtime::Date{});
      given.due = DateOf(invoice.due).value_or(runtime::Date{});
      if (given.due < given.issued) {
        Report(DiagnosticKind::InvalidTest, invoice.range, "this invoice is due before it is issued");
      }
      for (const language::FieldValue& field : invoice.fields) {
        if (auto setting = ResolveTestField(context, language::FieldObject::Invoice, field)) {
          given.fields.push_back(std::move(*setting));
        }
      }
      checked.invoices.push_back(std::move(given));
    }
    for (const language::FieldValue& field : test.customer) {
      if (auto setting = ResolveTestField(context, language::FieldObject::Customer, field)) {
        checked.customer.push_back(std::move(*setting));
      }
    }
    for (const language::TestEvent& event : test.events) {
      TestEvent given;
      given.kind = static_cast<TestEventKind>(event.kind);
      given.range = event.range;
      given.date = DateOf(event.date).value_or(runtime::Date{});
      if (event.end) given.end = DateOf(*event.end);
      if (event.invoice_id.empty()) {
        if (test.invoices.size() > 1) {
          language::Diagnostic& diagnostic = Report(DiagnosticKind::InvalidTest, event.range,
                                                    "this test has several invoices: say which one this is for");
          diagnostic.help = "add `for \"INV-1\"` with the invoice's id";
        }
      } else {
        auto found = std::find_if(test.invoices.begin(), test.invoices.end(),
                                  [&](const language::TestInvoice& invoice) { return invoice.id == event.invoice_id; });
        if (found == test.invoices.end()) {
          std::vector<std::string> known;
          for (const language::TestInvoice& invoice : test.invoices) known.push_back(invoice.id);
          language::Diagnostic& diagnostic =
              Report(DiagnosticKind::InvalidTest, event.range,
                     fmt::format("no invoice in this test has the id \"{}\"", event.invoice_id));
          std::string closest = language::ClosestName(event.invoice_id, known);
          if (!closest.empty()) diagnostic.help = fmt::format("did you mean \"{}\"?", closest);
        } else {
          given.invoice = static_cast<std::uint32_t>(found - test.invoices.begin());
        }
      }
      if (event.kind == language::TestEventKind::Payment) {
        if (std::optional<Value> amount = ConstantOfType(context, event.amount, Type::Money, "a payment", scratch_)) {
          given.amount = amount->money;
        }
      }
      checked.events.push_back(std::move(given));
    }
    if (test.horizon != language::kNone) checked.horizon = ConstantDuration(context, test.horizon, "the horizon", scratch_);
    for (const language::Expectation& expectation : test.expectations) {
      Expectation expected;
      expected.kind = static_cast<ExpectationKind>(expectation.kind);
      expected.action = static_cast<ActionKind>(expectation.action);
      expected.range = expectation.range;
      if (expectation.kind != language::ExpectationKind::Never) {
        if (auto date = ResolveTestDate(context, expectation.when, checked, calendar)) expected.date = *date;
      }
      if (expectation.argument != language::kNone) {
        std::optional<Type> type = expectation.kind == language::ExpectationKind::BalanceAt
                                       ? std::optional<Type>(Type::Money)
                                       : ArgumentType(expectation.action);
        if (!type) {
          Report(DiagnosticKind::TypeMismatch, tree.expression(expectation.argument).range,
                 fmt::format("`{}` takes no argument here", language::ActionKindName(expectation.action)));
        } else {
          expected.argument = ConstantOfType(context, expectation.argument, *type, "what is expected", scratch_);
        }
      }
      checked.expectations.push_back(std::move(expected));
    }
    ir_.tests.push_back(std::move(checked));
  }
}

}  // namespace recoup::compiler::internal
