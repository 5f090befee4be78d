// The runtime services compiled expressions call: exact decimal arithmetic,
// money scaled by a decimal, text comparison and business days. They are
// plain C functions registered with the JIT as absolute symbols (the
// generated code can call nothing else), and each mirrors exactly what the
// reference interpreter does for the same operator, so both back ends agree.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"
#include "compiler/jit/drive_frame.h"
#include "compiler/jit/expression_abi.h"

extern "C" {

// a (op) b for decimals given as digits and scale; op 0 add, 1 subtract,
// 2 multiply, 3 divide. Returns a kRecoupStatus* code.
std::int32_t recoup_decimal_arithmetic(std::int32_t op, std::int64_t a_digits, std::int32_t a_scale,
                                       std::int64_t b_digits, std::int32_t b_scale, std::int64_t* out_digits,
                                       std::int32_t* out_scale);
// -1, 0 or 1 comparing two decimal values.
std::int32_t recoup_decimal_compare(std::int64_t a_digits, std::int32_t a_scale, std::int64_t b_digits,
                                    std::int32_t b_scale);
// Money times a factor, rounded half-even; a percent factor is in points.
std::int32_t recoup_money_scale(std::int64_t minor, std::int64_t factor_digits, std::int32_t factor_scale,
                                std::int32_t factor_is_percent, std::int64_t* out_minor);
// Money divided by a decimal (the inverse, then scaled).
std::int32_t recoup_money_divide(std::int64_t minor, std::int64_t divisor_digits, std::int32_t divisor_scale,
                                 std::int64_t* out_minor);
// Money over money as an exact number; `exponent` is the currency's decimals.
std::int32_t recoup_money_ratio(std::int64_t a_minor, std::int64_t b_minor, std::int32_t exponent,
                                std::int64_t* out_digits, std::int32_t* out_scale);
// -1, 0 or 1 comparing two texts byte by byte (std::string's order).
std::int32_t recoup_text_compare(const char* a, std::int64_t a_size, const char* b, std::int64_t b_size);
// runtime::BusinessCalendar::AddBusinessDays on the calendar given in the inputs.
std::int32_t recoup_add_business_days(const void* calendar, std::int32_t day, std::int32_t count);

// Trace bookkeeping the generated driver needs besides the engine's
// services (engine_services_jit.cpp); `run` is an abi::RunState.
void recoup_jit_drop_reads(recoup::compiler::abi::RunState* run, std::uint32_t mark);
std::uint32_t recoup_jit_not_fired_mark(const recoup::compiler::abi::RunState* run);
void recoup_jit_mark_decided_at_end(recoup::compiler::abi::RunState* run, std::uint32_t first);
void recoup_jit_set_related_step(recoup::compiler::abi::RunState* run, std::uint32_t step);
std::int32_t recoup_jit_first_settled_on(const recoup::compiler::abi::RunState* run);
std::uint8_t recoup_jit_payments_by_date(const recoup::compiler::abi::RunState* run);
const recoup::compiler::FactDays::Entry* recoup_jit_fact_days(recoup::compiler::abi::RunState* run, std::int32_t* count);
std::uint8_t recoup_jit_first_owes(const recoup::compiler::abi::RunState* run, std::int32_t day);
std::int32_t recoup_jit_expression_inputs_of(recoup::compiler::abi::RunState* run, std::int32_t day, std::int32_t account,
                                             RecoupExpressionInputs* inputs, RecoupAttributeValue* attributes);
std::int32_t recoup_jit_anchor_account(recoup::compiler::abi::RunState* run, std::int32_t day, std::uint32_t* skip,
                                       std::int32_t* invoice);

// The generated driver's rare paths (engine_steps_jit.cpp): the frame's
// anchor invoice and account on `day`; a step's not-fired record; what a
// step whose date has come decides; the report of what never fired.
void recoup_jit_refresh_anchor(recoup::compiler::abi::RunState* run, recoup::compiler::jit::driver::DriveFrame* frame,
                               std::int32_t day);
void recoup_jit_step_not_fired(recoup::compiler::abi::RunState* run, std::uint32_t id, std::int32_t date,
                               std::uint8_t reason, std::uint8_t kind, std::int32_t detail_date, std::int64_t number);
std::uint8_t recoup_jit_decide_step(recoup::compiler::abi::RunState* run, recoup::compiler::jit::driver::DriveFrame* frame,
                                    std::uint32_t id, std::int32_t day, std::int32_t scheduled, std::int64_t index,
                                    std::uint8_t checks, RecoupBoolExpression guard);
void recoup_jit_report_unfinished(recoup::compiler::abi::RunState* run, recoup::compiler::jit::driver::DriveFrame* frame,
                                  const recoup::compiler::jit::driver::LocateStepFunction* locate);

}  // extern "C"

namespace recoup::compiler::jit {

// One runtime service: the name generated code calls it by and its address.
struct RuntimeSymbol {
  std::string_view name;
  void* address;
};

// Every service generated code may call; the JIT defines exactly these.
std::vector<RuntimeSymbol> RuntimeSymbols();

}  // namespace recoup::compiler::jit
