#include "compiler/jit/runtime_helpers.h"

#include <string_view>

#include "compiler/engine_abi.h"
#include "compiler/jit/expression_abi.h"
#include "runtime/calendar.h"
#include "runtime/currency.h"
#include "runtime/decimal.h"
#include "runtime/money.h"

namespace {

using recoup::runtime::Decimal;

Decimal MakeDecimal(std::int64_t digits, std::int32_t scale) {
  return Decimal{digits, static_cast<std::uint8_t>(scale)};
}

std::int32_t Store(recoup::runtime::DecimalResult result, std::int64_t* out_digits, std::int32_t* out_scale) {
  if (!result.ok()) return recoup::compiler::jit::kRecoupStatusDecimalInexact;
  *out_digits = result.value.digits;
  *out_scale = result.value.scale;
  return recoup::compiler::jit::kRecoupStatusOk;
}

std::int32_t StoreMoney(recoup::runtime::MoneyResult result, std::int64_t* out_minor) {
  if (!result.ok()) return recoup::compiler::jit::kRecoupStatusMoneyOverflow;
  *out_minor = result.value.minor;
  return recoup::compiler::jit::kRecoupStatusOk;
}

}  // namespace

extern "C" {

std::int32_t recoup_decimal_arithmetic(std::int32_t op, std::int64_t a_digits, std::int32_t a_scale,
                                       std::int64_t b_digits, std::int32_t b_scale, std::int64_t* out_digits,
                                       std::int32_t* out_scale) {
  Decimal a = MakeDecimal(a_digits, a_scale);
  Decimal b = MakeDecimal(b_digits, b_scale);
  switch (op) {
    case 0: return Store(recoup::runtime::Add(a, b), out_digits, out_scale);
    case 1: return Store(recoup::runtime::Subtract(a, b), out_digits, out_scale);
    case 2: return Store(recoup::runtime::Multiply(a, b), out_digits, out_scale);
    default: {
      recoup::runtime::DecimalResult quotient = recoup::runtime::Divide(a, b);
      if (quotient.error == recoup::runtime::DecimalError::DivisionByZero) {
        return recoup::compiler::jit::kRecoupStatusDivisionByZero;
      }
      return Store(quotient, out_digits, out_scale);
    }
  }
}

std::int32_t recoup_decimal_compare(std::int64_t a_digits, std::int32_t a_scale, std::int64_t b_digits,
                                    std::int32_t b_scale) {
  return recoup::runtime::Compare(MakeDecimal(a_digits, a_scale), MakeDecimal(b_digits, b_scale));
}

std::int32_t recoup_money_scale(std::int64_t minor, std::int64_t factor_digits, std::int32_t factor_scale,
                                std::int32_t factor_is_percent, std::int64_t* out_minor) {
  Decimal multiplier = MakeDecimal(factor_digits, factor_scale);
  if (factor_is_percent) {
    recoup::runtime::DecimalResult divided = recoup::runtime::Divide(multiplier, Decimal{100, 0});
    if (!divided.ok()) return recoup::compiler::jit::kRecoupStatusPercentInexact;
    multiplier = divided.value;
  }
  return StoreMoney(recoup::runtime::MultiplyRounded(recoup::runtime::Money{minor, 0}, multiplier), out_minor);
}

std::int32_t recoup_money_divide(std::int64_t minor, std::int64_t divisor_digits, std::int32_t divisor_scale,
                                 std::int64_t* out_minor) {
  recoup::runtime::DecimalResult inverse = recoup::runtime::Divide(Decimal{1, 0}, MakeDecimal(divisor_digits, divisor_scale));
  if (!inverse.ok()) return recoup::compiler::jit::kRecoupStatusDivisionByZero;
  return StoreMoney(recoup::runtime::MultiplyRounded(recoup::runtime::Money{minor, 0}, inverse.value), out_minor);
}

std::int32_t recoup_money_ratio(std::int64_t a_minor, std::int64_t b_minor, std::int32_t exponent,
                                std::int64_t* out_digits, std::int32_t* out_scale) {
  if (b_minor == 0) return recoup::compiler::jit::kRecoupStatusZeroAmount;
  return Store(recoup::runtime::Divide(MakeDecimal(a_minor, exponent), MakeDecimal(b_minor, exponent)), out_digits,
               out_scale);
}

std::int32_t recoup_text_compare(const char* a, std::int64_t a_size, const char* b, std::int64_t b_size) {
  int order = std::string_view(a, static_cast<std::size_t>(a_size)).compare(std::string_view(b, static_cast<std::size_t>(b_size)));
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

std::int32_t recoup_add_business_days(const void* calendar, std::int32_t day, std::int32_t count) {
  const auto* business = static_cast<const recoup::runtime::BusinessCalendar*>(calendar);
  return business->AddBusinessDays(recoup::runtime::Date::FromDays(day), count).days();
}

}  // extern "C"

namespace recoup::compiler::jit {

const char* ExpressionStatusMessage(std::int32_t status) {
  switch (status) {
    case kRecoupStatusMoneyOverflow: return "a money amount is too large to represent (overflow)";
    case kRecoupStatusDecimalInexact: return "a number is too large or too precise to compute exactly";
    case kRecoupStatusZeroAmount: return "division by a zero amount";
    case kRecoupStatusDivisionByZero: return "division by zero";
    case kRecoupStatusPercentInexact: return "a percentage is too precise to compute exactly";
    default: return "an attribute could not be read";
  }
}

std::vector<RuntimeSymbol> RuntimeSymbols() {
  return {
      {"recoup_decimal_arithmetic", reinterpret_cast<void*>(&recoup_decimal_arithmetic)},
      {"recoup_decimal_compare", reinterpret_cast<void*>(&recoup_decimal_compare)},
      {"recoup_money_scale", reinterpret_cast<void*>(&recoup_money_scale)},
      {"recoup_money_divide", reinterpret_cast<void*>(&recoup_money_divide)},
      {"recoup_money_ratio", reinterpret_cast<void*>(&recoup_money_ratio)},
      {"recoup_text_compare", reinterpret_cast<void*>(&recoup_text_compare)},
      {"recoup_add_business_days", reinterpret_cast<void*>(&recoup_add_business_days)},
      // The engine's runtime services (compiler/engine_abi.h).
      {"recoup_shift", reinterpret_cast<void*>(&recoup_shift)},
      {"recoup_end_of_month", reinterpret_cast<void*>(&recoup_end_of_month)},
      {"recoup_anchor_date", reinterpret_cast<void*>(&recoup_anchor_date)},
      {"recoup_anchor_invoice", reinterpret_cast<void*>(&recoup_anchor_invoice)},
      {"recoup_apply_payments", reinterpret_cast<void*>(&recoup_apply_payments)},
      {"recoup_apply_payments_between", reinterpret_cast<void*>(&recoup_apply_payments_between)},
      {"recoup_note_disputes_and_promises", reinterpret_cast<void*>(&recoup_note_disputes_and_promises)},
      {"recoup_is_fact_event_day", reinterpret_cast<void*>(&recoup_is_fact_event_day)},
      {"recoup_end_day", reinterpret_cast<void*>(&recoup_end_day)},
      {"recoup_next_fact_day", reinterpret_cast<void*>(&recoup_next_fact_day)},
      {"recoup_pause_on", reinterpret_cast<void*>(&recoup_pause_on)},
      {"recoup_active", reinterpret_cast<void*>(&recoup_active)},
      {"recoup_guard_context", reinterpret_cast<void*>(&recoup_guard_context)},
      {"recoup_evaluate", reinterpret_cast<void*>(&recoup_evaluate)},
      {"recoup_fire_begin", reinterpret_cast<void*>(&recoup_fire_begin)},
      {"recoup_run_action", reinterpret_cast<void*>(&recoup_run_action)},
      {"recoup_fire_end", reinterpret_cast<void*>(&recoup_fire_end)},
      {"recoup_not_fired", reinterpret_cast<void*>(&recoup_not_fired)},
      {"recoup_read_mark", reinterpret_cast<void*>(&recoup_read_mark)},
      {"recoup_deferred", reinterpret_cast<void*>(&recoup_deferred)},
      {"recoup_finish", reinterpret_cast<void*>(&recoup_finish)},
      // Trace bookkeeping only the generated driver needs (engine_services_jit.cpp).
      {"recoup_jit_drop_reads", reinterpret_cast<void*>(&recoup_jit_drop_reads)},
      {"recoup_jit_not_fired_mark", reinterpret_cast<void*>(&recoup_jit_not_fired_mark)},
      {"recoup_jit_mark_decided_at_end", reinterpret_cast<void*>(&recoup_jit_mark_decided_at_end)},
      {"recoup_jit_set_related_step", reinterpret_cast<void*>(&recoup_jit_set_related_step)},
      {"recoup_jit_first_settled_on", reinterpret_cast<void*>(&recoup_jit_first_settled_on)},
      {"recoup_jit_payments_by_date", reinterpret_cast<void*>(&recoup_jit_payments_by_date)},
      {"recoup_jit_fact_days", reinterpret_cast<void*>(&recoup_jit_fact_days)},
      {"recoup_jit_first_owes", reinterpret_cast<void*>(&recoup_jit_first_owes)},
      {"recoup_jit_expression_inputs_of", reinterpret_cast<void*>(&recoup_jit_expression_inputs_of)},
      {"recoup_jit_anchor_account", reinterpret_cast<void*>(&recoup_jit_anchor_account)},
      {"recoup_jit_refresh_anchor", reinterpret_cast<void*>(&recoup_jit_refresh_anchor)},
      {"recoup_jit_step_not_fired", reinterpret_cast<void*>(&recoup_jit_step_not_fired)},
      {"recoup_jit_decide_step", reinterpret_cast<void*>(&recoup_jit_decide_step)},
      {"recoup_jit_report_unfinished", reinterpret_cast<void*>(&recoup_jit_report_unfinished)},
  };
}

}  // namespace recoup::compiler::jit
