// The C layout generated expression code reads, and the status codes it
// returns. Shared by the code generator (which emits loads at these
// offsets), the runtime helpers and the C++ side that fills the inputs; it
// includes no LLVM header so the rest of Recoup can fill it.
//
// Generated code touches nothing but one RecoupExpressionInputs (and the
// memory it points at) and the result slot it is given.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// Text as a pointer and a length; not terminated.
struct RecoupText {
  const char* data;
  std::int64_t size;
};

// A policy attribute's value, parsed to its declared type before the call
// (the interpreter's ParseAttributeValue): `status` is 0 when present and
// readable, otherwise the attribute cannot be read and the expression that
// reads it fails with kRecoupStatusAttribute + its id.
struct RecoupAttributeValue {
  std::int32_t status;
  std::int32_t scale;   // Percent, Rate, Count, Number: the decimal's scale; Duration: its unit
  std::int64_t number;  // Money minor units, decimal digits, date day number, duration count, bool 0/1
  RecoupText text;      // Text
};

// Everything a guard, stop condition or `applies to` can read on one day,
// as interpreter::EvaluationContext holds it. Dates are day numbers
// (runtime::Date::days()); money is minor units of the policy currency.
struct RecoupExpressionInputs {
  std::int32_t today;
  std::int32_t invoice_issue;
  std::int32_t invoice_due;
  std::int32_t has_invoice;  // 0: no invoice (fields read as zero / empty)
  std::int64_t invoice_amount;
  std::int64_t invoice_balance;
  std::int64_t invoice_principal;
  std::int64_t open_balance;
  std::int64_t open_invoices;
  std::int64_t late_payments;
  RecoupText invoice_id;
  RecoupText invoice_currency;
  RecoupText customer_id;
  RecoupText customer_segment;
  RecoupText customer_country;
  const void* fired_counts;                    // step i's count: the int64 at fired_counts + i x fired_stride bytes
  const RecoupAttributeValue* attributes;      // one per PolicyIr attribute
  const void* calendar;                        // a runtime::BusinessCalendar, opaque to generated code
  std::int64_t fired_stride;                   // bytes between two steps' counts (8 for an int64 array)
};

// The signature of every compiled expression: returns a status, writes the
// boolean result (0 or 1) to `result` when the status is kRecoupStatusOk.
typedef std::int32_t (*RecoupBoolExpression)(const RecoupExpressionInputs* inputs, std::uint8_t* result);

}  // extern "C"

namespace recoup::compiler::jit {

// Statuses a compiled expression returns; each maps to the interpreter's
// message for the same failure (ExpressionStatusMessage).
inline constexpr std::int32_t kRecoupStatusOk = 0;
inline constexpr std::int32_t kRecoupStatusMoneyOverflow = 1;      // checked money arithmetic overflowed
inline constexpr std::int32_t kRecoupStatusDecimalInexact = 2;     // a decimal result does not fit exactly
inline constexpr std::int32_t kRecoupStatusZeroAmount = 3;         // money / zero money
inline constexpr std::int32_t kRecoupStatusDivisionByZero = 4;     // anything else / zero
inline constexpr std::int32_t kRecoupStatusPercentInexact = 5;     // a percentage / 100 does not fit
inline constexpr std::int32_t kRecoupStatusAttribute = 1000;       // + attribute id: unreadable attribute

// The message the interpreter gives for the same failure; `attribute_name`
// is "invoice.x" / "customer.x" for kRecoupStatusAttribute codes.
const char* ExpressionStatusMessage(std::int32_t status);

}  // namespace recoup::compiler::jit
