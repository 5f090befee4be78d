#include "compiler/interpreter_test_facts.h"

#include <fmt/format.h>

#include "compiler/interpreter_dates.h"

namespace recoup::compiler {
namespace {

const char* CustomerFieldName(Field field) {
  switch (field) {
    case Field::CustomerId: return "id";
    case Field::CustomerSegment: return "segment";
    case Field::CustomerCountry: return "country";
    case Field::CustomerLatePayments: return "late_payments";
    default: return nullptr;
  }
}

}  // namespace

std::string AttributeValueText(const Value& value) {
  switch (value.type) {
    case Type::Money: return runtime::ToPlainString(value.money);
    case Type::Percent:
    case Type::Rate:
    case Type::Count:
    case Type::Number: return runtime::ToString(value.decimal);
    case Type::Duration:
      return fmt::format("{}{}", value.duration.count, value.duration.unit == DurationUnit::BusinessDays ? "bd" : "d");
    case Type::Date: return value.date.ToIso();
    case Type::Bool: return value.boolean ? "true" : "false";
    case Type::Text: return value.text;
    case Type::Error: break;
  }
  return "";
}

SubjectFacts FactsFromTest(const PolicyIr& policy, const PolicyTest& test) {
  SubjectFacts facts;
  facts.customer_id = "customer";
  for (const FieldSetting& setting : test.customer) {
    std::string name;
    if (setting.field) {
      const char* field = CustomerFieldName(*setting.field);
      if (field == nullptr) continue;
      name = field;
    } else if (setting.attribute != kNoId) {
      name = policy.attributes.at(setting.attribute).name;
    }
    facts.customer_attributes[name] = AttributeValueText(setting.value);
    if (name == "id") facts.customer_id = AttributeValueText(setting.value);
  }
  for (std::size_t i = 0; i < test.invoices.size(); ++i) {
    const TestInvoice& given = test.invoices[i];
    InvoiceFacts invoice{given.id.empty() ? fmt::format("INV-{}", i + 1) : given.id, given.issued, given.due,
                         given.amount, {}};
    for (const FieldSetting& setting : given.fields) {
      if (setting.attribute != kNoId) {
        invoice.attributes[policy.attributes.at(setting.attribute).name] = AttributeValueText(setting.value);
      }
    }
    facts.invoices.push_back(std::move(invoice));
  }
  for (const TestEvent& event : test.events) {
    std::string invoice = event.invoice < facts.invoices.size() ? facts.invoices[event.invoice].id : "";
    switch (event.kind) {
      case TestEventKind::Payment: facts.payments.push_back({invoice, event.date, event.amount}); break;
      case TestEventKind::Dispute: facts.disputes.push_back({invoice, event.date, event.end}); break;
      case TestEventKind::Promise: facts.promises.push_back({invoice, std::nullopt, event.date}); break;
    }
  }
  return facts;
}

InterpretOptions OptionsFromTest(const PolicyIr& policy, const PolicyTest& test, const SubjectFacts& facts) {
  InterpretOptions options;
  options.horizon = DefaultHorizon(facts, 180);
  if (test.horizon) {
    runtime::Date latest_due = DefaultHorizon(facts, 0);
    options.horizon = interpreter::Shift(latest_due, *test.horizon, 1, policy.header.calendar.ToBusinessCalendar());
  }
  for (const Expectation& expectation : test.expectations) {
    if (expectation.kind == ExpectationKind::BalanceAt) options.balance_probes.push_back(expectation.date);
  }
  return options;
}

}  // namespace recoup::compiler
