// The JIT's compiled expressions against the reference interpreter's
// evaluator: every guard of a policy that uses every kind of operator,
// field and attribute type, over many seeded random days and subjects,
// must give the same answer or the same error.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "compiler/interpreter_expression.h"
#include "compiler/jit/compiled_policy.h"
#include "compiler/jit/expression_abi.h"
#include "runtime/currency.h"
#include "tests/unit/check_policy_text.h"

namespace recoup::compiler::jit {
namespace {

const char* kPolicy = R"(
policy "expressions"
currency USD
calendar weekends
subject invoice
attribute invoice.region: text
attribute customer.limit: money
attribute customer.score: number
attribute customer.share: percent
attribute invoice.signed: date
attribute invoice.grace: duration
attribute customer.vip: bool
attribute customer.visits: count

applies to invoice.amount > 0 USD and invoice.region != "void"

first: at due + 1d: email "a" if invoice.balance - invoice.amount * 10% > 100 USD
at due + 2d: email "b" if 2% of invoice.balance >= 12.34 USD or invoice.principal / 3 < 50 USD
at due + 3d: email "c" if invoice.days_past_due * 2 > 30 and invoice.balance / invoice.amount >= 0.5
at due + 4d: email "d" if today >= invoice.due + 10bd and today - invoice.issue > 40d
at due + 5d: email "e" if customer.segment in ["strategic", "key"] or customer.country == "DE"
at due + 6d: email "f" if invoice.id != "INV-5" and invoice.currency == "USD" and customer.id != ""
at due + 7d: email "g" if fired(first) >= 1 and customer.open_invoices + customer.late_payments > 2
at due + 8d: email "h" if customer.open_balance > customer.limit and customer.score * 1.5 < 7.25
at due + 9d: email "i" if customer.share of invoice.balance > 10 USD and customer.vip
at due + 10d: email "j" if invoice.signed + invoice.grace < today and customer.visits > 3
at due + 11d: email "k" if -invoice.balance < -(500 USD) and (customer.score / 4 + 0.25) * 2 != 3
at due + 12d: email "l" unless invoice.balance + customer.open_balance > 1000000 USD
at due + 13d: email "m" if customer.score / (customer.score - customer.score) > 1
at due + 14d: email "n" if invoice.balance / (invoice.balance - invoice.balance) > 1
at due + 15d: email "o" if (customer.share + 5%) of invoice.amount < invoice.amount / customer.score
stop when customer.open_balance > 5000000 USD and invoice.days_past_due > 10
)";

// One random subject and day, kept in both shapes.
struct Sample {
  InvoiceFacts invoice;
  SubjectFacts facts;
  runtime::Date today;
  std::int64_t balance = 0, principal = 0, open_balance = 0, open_invoices = 0, late_payments = 0;
  std::vector<std::int64_t> fired;
};

std::string Pick(std::mt19937_64& random, const std::vector<std::string>& choices) {
  return choices[random() % choices.size()];
}

std::int64_t Money(std::mt19937_64& random) {
  switch (random() % 8) {
    case 0: return 0;
    case 1: return INT64_MAX - static_cast<std::int64_t>(random() % 1000);  // overflow territory
    case 2: return -static_cast<std::int64_t>(random() % 100000);
    default: return static_cast<std::int64_t>(random() % 10000000);
  }
}

Sample RandomSample(std::mt19937_64& random, std::size_t steps) {
  Sample sample;
  runtime::Date base = runtime::Date::FromDays(20000 + static_cast<std::int32_t>(random() % 400));
  sample.invoice.id = Pick(random, {"INV-1", "INV-7", "A", ""});
  sample.invoice.issue = base;
  sample.invoice.due = base.AddDays(static_cast<std::int32_t>(random() % 60));
  sample.invoice.amount = runtime::Money{Money(random), 0};
  auto maybe = [&](const std::string& name, const std::string& value) {
    if (random() % 6 != 0) sample.invoice.attributes[name] = value;
  };
  maybe("region", Pick(random, {"north", "void", ""}));
  maybe("signed", Pick(random, {"2025-01-01", "2024-12-30", "2025-13-01"}));
  maybe("grace", Pick(random, {"10d", "5bd", "-3d", "x"}));
  auto customer = [&](const std::string& name, const std::string& value) {
    if (random() % 6 != 0) sample.facts.customer_attributes[name] = value;
  };
  customer("segment", Pick(random, {"strategic", "key", "smb", ""}));
  customer("country", Pick(random, {"DE", "US"}));
  customer("limit", Pick(random, {"1000", "25000.50", "12.345", "abc"}));
  customer("score", Pick(random, {"0", "3", "2.5", "-1.25", "99999999999999"}));
  customer("share", Pick(random, {"10%", "2.5", "0.0001", "150%"}));
  customer("vip", Pick(random, {"true", "false", "yes"}));
  customer("visits", Pick(random, {"0", "5", "2.5"}));
  sample.facts.customer_id = Pick(random, {"C1", ""});
  sample.facts.invoices = {sample.invoice};
  sample.today = sample.invoice.due.AddDays(static_cast<std::int32_t>(random() % 120) - 20);
  sample.balance = Money(random);
  sample.principal = Money(random);
  sample.open_balance = Money(random);
  sample.open_invoices = static_cast<std::int64_t>(random() % 5);
  sample.late_payments = static_cast<std::int64_t>(random() % 4);
  for (std::size_t i = 0; i < steps; ++i) sample.fired.push_back(static_cast<std::int64_t>(random() % 3));
  return sample;
}

// The inputs compiled code reads, built the way the JIT engine builds them.
struct NativeInputs {
  RecoupExpressionInputs inputs{};
  std::vector<RecoupAttributeValue> attributes;
  std::vector<std::string> texts;
};

RecoupText Text(const std::string& text) { return {text.data(), static_cast<std::int64_t>(text.size())}; }

void Fill(const PolicyIr& policy, const Sample& sample, const runtime::BusinessCalendar& calendar, NativeInputs& native) {
  const InvoiceFacts& invoice = sample.facts.invoices[0];
  RecoupExpressionInputs& in = native.inputs;
  in.today = sample.today.days();
  in.invoice_issue = invoice.issue.days();
  in.invoice_due = invoice.due.days();
  in.has_invoice = 1;
  in.invoice_amount = invoice.amount.minor;
  in.invoice_balance = sample.balance;
  in.invoice_principal = sample.principal;
  in.open_balance = sample.open_balance;
  in.open_invoices = sample.open_invoices;
  in.late_payments = sample.late_payments;
  native.texts = {invoice.id, std::string(runtime::InfoOf(invoice.amount.currency).code), sample.facts.customer_id,
                  sample.facts.customer_attributes.count("segment") ? sample.facts.customer_attributes.at("segment") : "",
                  sample.facts.customer_attributes.count("country") ? sample.facts.customer_attributes.at("country") : ""};
  in.invoice_id = Text(native.texts[0]);
  in.invoice_currency = Text(native.texts[1]);
  in.customer_id = Text(native.texts[2]);
  in.customer_segment = Text(native.texts[3]);
  in.customer_country = Text(native.texts[4]);
  in.fired_counts = sample.fired.data();
  in.fired_stride = sizeof(std::int64_t);
  in.calendar = &calendar;
  native.attributes.clear();
  for (const Attribute& attribute : policy.attributes) {
    const AttributeValues& values =
        attribute.object == AttributeObject::Invoice ? invoice.attributes : sample.facts.customer_attributes;
    RecoupAttributeValue slot{};
    auto found = values.find(attribute.name);
    if (found == values.end()) {
      slot.status = 1;
    } else {
      interpreter::EvaluationResult parsed =
          interpreter::ParseAttributeValue(found->second, attribute.type, policy.header.currency);
      slot.status = parsed.error ? 2 : 0;
      const Value& value = parsed.value;
      switch (value.type) {
        case Type::Money: slot.number = value.money.minor; break;
        case Type::Date: slot.number = value.date.days(); break;
        case Type::Duration:
          slot.number = value.duration.count;
          slot.scale = static_cast<std::int32_t>(value.duration.unit);
          break;
        case Type::Bool: slot.number = value.boolean; break;
        case Type::Text: slot.text = Text(found->second); break;
        default:
          slot.number = value.decimal.digits;
          slot.scale = value.decimal.scale;
      }
    }
    native.attributes.push_back(slot);
  }
  in.attributes = native.attributes.data();
}

// "true", "false" or "error: MESSAGE" from the interpreter.
std::string Reference(const PolicyIr& policy, ExpressionId expression, const Sample& sample,
                      const runtime::BusinessCalendar& calendar) {
  interpreter::EvaluationContext context;
  context.policy = &policy;
  context.calendar = &calendar;
  context.facts = &sample.facts;
  context.today = sample.today;
  context.invoice = &sample.facts.invoices[0];
  context.invoice_balance = sample.balance;
  context.invoice_principal = sample.principal;
  context.open_balance = sample.open_balance;
  context.open_invoices = sample.open_invoices;
  context.late_payments = sample.late_payments;
  context.fired_counts = &sample.fired;
  interpreter::EvaluationResult result = interpreter::Evaluate(expression, context, nullptr);
  if (result.error) return "error: " + *result.error;
  return result.value.boolean ? "true" : "false";
}

std::string AttributeName(const Attribute& attribute) {
  return (attribute.object == AttributeObject::Invoice ? "invoice." : "customer.") + attribute.name;
}

// An interpreter error about an attribute, reduced to the attribute's name
// (the engine renders the full message from the slot, not the JIT).
std::string Normalise(const PolicyIr& policy, const std::string& reference) {
  if (reference.rfind("error: ", 0) != 0) return reference;
  for (const Attribute& attribute : policy.attributes) {
    if (reference.find(AttributeName(attribute)) != std::string::npos) return "error: attribute " + AttributeName(attribute);
  }
  return reference;
}

// The same from native code.
std::string Native(RecoupBoolExpression function, const NativeInputs& native, const PolicyIr& policy) {
  std::uint8_t value = 2;
  std::int32_t status = function(&native.inputs, &value);
  if (status == kRecoupStatusOk) return value == 1 ? "true" : value == 0 ? "false" : "bad bool";
  if (status >= kRecoupStatusAttribute) {
    return "error: attribute " + AttributeName(policy.attributes.at(static_cast<std::size_t>(status - kRecoupStatusAttribute)));
  }
  return std::string("error: ") + ExpressionStatusMessage(status);
}

TEST_CASE("jit: compiled guards, stop conditions and applies-to agree with the interpreter") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  CompileResult compiled = CompilePolicy(policy, JitOptions{});
  INFO(compiled.error.value_or(""));
  REQUIRE(compiled.policy);
  runtime::BusinessCalendar calendar = policy.header.calendar.ToBusinessCalendar();

  std::vector<std::pair<ExpressionId, RecoupBoolExpression>> expressions;
  for (StepId step = 0; step < policy.steps.size(); ++step) {
    if (policy.steps[step].guard != kNoId) expressions.push_back({policy.steps[step].guard, compiled.policy->Guard(step)});
  }
  expressions.push_back({policy.stops.at(0).condition, compiled.policy->StopCondition(0)});
  expressions.push_back({policy.header.applies_to, compiled.policy->AppliesTo()});
  for (const auto& [expression, function] : expressions) REQUIRE(function != nullptr);

  std::uint64_t seed = 20261123;
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  std::size_t errors = 0, trues = 0, falses = 0;
  for (int round = 0; round < 3000; ++round) {
    Sample sample = RandomSample(random, policy.steps.size());
    NativeInputs native;
    Fill(policy, sample, calendar, native);
    for (std::size_t i = 0; i < expressions.size(); ++i) {
      const auto& [expression, function] = expressions[i];
      std::string expected = Normalise(policy, Reference(policy, expression, sample, calendar));
      std::string actual = Native(function, native, policy);
      INFO("round " << round << " expression " << i << " (guard of step " << i << ", then the stop, then applies to)");
      INFO("invoice " << sample.invoice.amount.minor << " balance " << sample.balance << " principal " << sample.principal
                      << " open " << sample.open_balance << " today " << sample.today.ToIso() << " due "
                      << sample.invoice.due.ToIso());
      REQUIRE(actual == expected);
      if (expected.rfind("error", 0) == 0) ++errors;
      else if (expected == "true") ++trues;
      else ++falses;
    }
  }
  // The samples reach every outcome, so the comparison means something.
  CHECK(errors > 100);
  CHECK(trues > 1000);
  CHECK(falses > 1000);
}

TEST_CASE("jit: checked money arithmetic reports overflow instead of wrapping") {
  PolicyIr policy = testing::CheckPolicyText(R"(
policy "overflow"
currency USD
at due + 1d: email "a" if invoice.balance + invoice.amount > 0 USD
)");
  CompileResult compiled = CompilePolicy(policy, JitOptions{});
  REQUIRE(compiled.policy);
  RecoupExpressionInputs inputs{};
  inputs.has_invoice = 1;
  inputs.invoice_balance = INT64_MAX;
  inputs.invoice_amount = 1;
  std::uint8_t result = 0;
  CHECK(compiled.policy->Guard(0)(&inputs, &result) == kRecoupStatusMoneyOverflow);
  inputs.invoice_amount = -1;
  CHECK(compiled.policy->Guard(0)(&inputs, &result) == kRecoupStatusOk);
  CHECK(result == 1);
}

}  // namespace
}  // namespace recoup::compiler::jit
