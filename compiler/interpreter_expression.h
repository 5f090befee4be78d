// Evaluating guards, stop conditions and `applies to` for the reference
// interpreter, recording every value read so `explain` can say why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/calendar.h"

namespace recoup::compiler::interpreter {

// Everything an expression can read on one day. Money amounts are in the
// policy currency, in minor units.
struct EvaluationContext {
  const PolicyIr* policy = nullptr;
  const runtime::BusinessCalendar* calendar = nullptr;
  const SubjectFacts* facts = nullptr;
  runtime::Date today;
  const InvoiceFacts* invoice = nullptr;  // the invoice `invoice.*` reads (oldest open for a customer)
  std::int64_t invoice_balance = 0;
  std::int64_t invoice_principal = 0;
  std::int64_t open_balance = 0;
  std::int64_t open_invoices = 0;
  std::int64_t late_payments = 0;
  const std::vector<std::int64_t>* fired_counts = nullptr;  // per step
};

struct EvaluationResult {
  Value value;
  std::optional<std::string> error;
};

// Evaluates `expression`; appends what it read to `reads` (first read of a
// name only) when given.
EvaluationResult Evaluate(ExpressionId expression, const EvaluationContext& context, std::vector<GuardRead>* reads);

// "12000.00 USD", "2.5%", "2026-01-31", "\"strategic\"", "30d".
std::string FormatValue(const Value& value);

// A textual attribute value converted to the declared type; an error
// message when it does not parse.
EvaluationResult ParseAttributeValue(const std::string& text, const ValueType& type, runtime::CurrencyId policy_currency);

}  // namespace recoup::compiler::interpreter
