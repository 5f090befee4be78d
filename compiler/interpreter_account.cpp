#include "compiler/interpreter_account.h"

#include <algorithm>

namespace recoup::compiler::interpreter {
namespace {

using Int128 = __int128;

constexpr std::int32_t kDaysPerYear = 365;  // Actual/365, also in leap years

// n / d rounded half-even; n >= 0, d > 0.
Int128 DivideHalfEven(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  Int128 twice_remainder = (numerator % denominator) * 2;
  if (twice_remainder > denominator || (twice_remainder == denominator && quotient % 2 != 0)) ++quotient;
  return quotient;
}

}  // namespace

std::int64_t CheckedAdd(std::int64_t a, std::int64_t b, ErrorSink& sink) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    sink.Fail("a money amount is too large to represent (overflow)");
    return a;
  }
  return sum;
}

std::int64_t CheckedSubtract(std::int64_t a, std::int64_t b, ErrorSink& sink) {
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(a, b, &difference)) {
    sink.Fail("a money amount is too large to represent (overflow)");
    return a;
  }
  return difference;
}

InvoiceAccount::InvoiceAccount(const InvoiceFacts& facts, std::size_t facts_index)
    : facts_(&facts), facts_index_(facts_index), principal_(facts.amount.minor) {
  principal_history_.push_back({facts.issue, principal_});
}

std::int64_t InvoiceAccount::RoundedAccrual(const InterestAccrual& accrual, runtime::Date begin, runtime::Date end,
                                            ErrorSink& sink) const {
  Int128 denominator = 100 * kDaysPerYear;
  for (int i = 0; i < accrual.annual_rate.scale; ++i) denominator *= 10;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < principal_history_.size(); ++i) {
    runtime::Date period_begin = std::max(begin, principal_history_[i].from);
    runtime::Date period_end = i + 1 < principal_history_.size() ? std::min(end, principal_history_[i + 1].from) : end;
    if (period_end <= period_begin || principal_history_[i].principal <= 0) continue;
    Int128 days = period_end - period_begin;
    Int128 numerator = 0;
    if (__builtin_mul_overflow(static_cast<Int128>(principal_history_[i].principal), days, &numerator) ||
        __builtin_mul_overflow(numerator, static_cast<Int128>(accrual.annual_rate.digits), &numerator)) {
      sink.Fail("interest on this amount is too large to represent (overflow)");
      return 0;
    }
    Int128 rounded = DivideHalfEven(numerator, denominator);
    if (rounded > INT64_MAX) {
      sink.Fail("interest on this amount is too large to represent (overflow)");
      return 0;
    }
    total = CheckedAdd(total, static_cast<std::int64_t>(rounded), sink);
  }
  return total;
}

std::int64_t InvoiceAccount::InterestOwed(runtime::Date day, ErrorSink& sink) const {
  std::int64_t owed = interest_;
  for (const InterestAccrual& accrual : accruals_) {
    owed = CheckedAdd(owed, RoundedAccrual(accrual, accrual.cursor, day, sink), sink);
  }
  return owed;
}

std::int64_t InvoiceAccount::Balance(runtime::Date day, ErrorSink& sink) const {
  return CheckedAdd(CheckedAdd(principal_, fees_, sink), InterestOwed(day, sink), sink);
}

bool InvoiceAccount::IsOpen(runtime::Date day, ErrorSink& sink) const {
  return facts_->issue <= day && !written_off_ && Balance(day, sink) > 0;
}

std::int64_t InvoiceAccount::PostInterest(runtime::Date day, ErrorSink& sink) {
  std::int64_t posted_now = 0;
  for (InterestAccrual& accrual : accruals_) {
    if (accrual.cursor >= day) continue;
    std::int64_t amount = RoundedAccrual(accrual, accrual.cursor, day, sink);
    accrual.cursor = day;
    accrual.posted = CheckedAdd(accrual.posted, amount, sink);
    posted_now = CheckedAdd(posted_now, amount, sink);
  }
  interest_ = CheckedAdd(interest_, posted_now, sink);
  interest_charged_ = CheckedAdd(interest_charged_, posted_now, sink);
  return posted_now;
}

std::int64_t InvoiceAccount::StartInterest(StepId step, runtime::Decimal annual_rate, runtime::Date from,
                                   runtime::Date today, ErrorSink& sink) {
  for (const InterestAccrual& accrual : accruals_) {
    if (accrual.step == step) return 0;
  }
  if (written_off_) return 0;
  accruals_.push_back({step, annual_rate, from, 0});
  // A retroactive start posts the complete periods of constant principal
  // that ended on or before today, each rounded on its own.
  runtime::Date last_change = principal_history_.back().from;
  if (from < last_change && last_change <= today) {
    InterestAccrual& accrual = accruals_.back();
    std::int64_t amount = RoundedAccrual(accrual, from, last_change, sink);
    accrual.cursor = last_change;
    accrual.posted = amount;
    interest_ = CheckedAdd(interest_, amount, sink);
    interest_charged_ = CheckedAdd(interest_charged_, amount, sink);
    return amount;
  }
  return 0;
}

void InvoiceAccount::ChargeFee(std::int64_t amount, ErrorSink& sink) {
  fees_ = CheckedAdd(fees_, amount, sink);
  fees_charged_ = CheckedAdd(fees_charged_, amount, sink);
}

void InvoiceAccount::SetPrincipal(std::int64_t principal, runtime::Date day) {
  principal_ = principal;
  if (principal_history_.back().from == day) {
    principal_history_.back().principal = principal;
  } else {
    principal_history_.push_back({day, principal});
  }
}

void InvoiceAccount::NoteSettled(runtime::Date day, ErrorSink& sink) {
  if (!settled_on_ && !written_off_ && Balance(day, sink) == 0) settled_on_ = day;
}

PaymentSplit InvoiceAccount::ApplyPayment(std::int64_t amount, runtime::Date day, const SettlementOrder& order,
                                          ErrorSink& sink) {
  PostInterest(day, sink);
  PaymentSplit split;
  std::int64_t remaining = amount;
  if (written_off_) {
    split.left_over = remaining;
    return split;
  }
  for (OwedPart part : order) {
    std::int64_t* owed = part == OwedPart::Fees ? &fees_ : part == OwedPart::Interest ? &interest_ : &principal_;
    std::int64_t take = std::min(remaining, *owed);
    if (take <= 0) continue;
    remaining -= take;
    if (part == OwedPart::Principal) {
      SetPrincipal(principal_ - take, day);
      split.to_principal = take;
    } else {
      *owed -= take;
      (part == OwedPart::Fees ? split.to_fees : split.to_interest) = take;
    }
  }
  split.left_over = remaining;
  applied_ = CheckedAdd(applied_, amount - remaining, sink);
  NoteSettled(day, sink);
  return split;
}

std::int64_t InvoiceAccount::WriteOff(runtime::Date day, ErrorSink& sink) {
  if (written_off_) return 0;
  PostInterest(day, sink);
  std::int64_t amount = CheckedAdd(CheckedAdd(principal_, fees_, sink), interest_, sink);
  written_off_amount_ = CheckedAdd(written_off_amount_, amount, sink);
  fees_ = 0;
  interest_ = 0;
  SetPrincipal(0, day);  // accruals stay (for PostedBy) but earn nothing on zero principal
  written_off_ = true;
  return amount;
}

std::int64_t InvoiceAccount::PostedBy(StepId step) const {
  for (const InterestAccrual& accrual : accruals_) {
    if (accrual.step == step) return accrual.posted;
  }
  return 0;
}

}  // namespace recoup::compiler::interpreter
