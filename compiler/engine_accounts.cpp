// What one invoice owes, day by day: principal, fees and posted interest in
// exact minor units and the interest accruals running on it
// (docs/semantics.md sections 7, 9 and 11). The same rules as the reference
// interpreter's InvoiceAccount, over plain integers and reused buffers.
#include <algorithm>

#include "compiler/engine_internal.h"

namespace recoup::compiler::abi {
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

// Exact interest of `accrual` over [begin, end), one rounded amount per
// period of constant principal.
std::int64_t RoundedAccrual(RunState* run, const Account& account, const Accrual& accrual, std::int32_t begin,
                            std::int32_t end) {
  Int128 denominator = 100 * kDaysPerYear;
  for (int i = 0; i < accrual.annual_rate.scale; ++i) denominator *= 10;
  std::int64_t total = 0;
  const std::vector<PrincipalFrom>& history = account.history;
  for (std::size_t i = 0; i < history.size(); ++i) {
    std::int32_t period_begin = std::max(begin, history[i].from);
    std::int32_t period_end = i + 1 < history.size() ? std::min(end, history[i + 1].from) : end;
    if (period_end <= period_begin || history[i].principal <= 0) continue;
    Int128 days = period_end - period_begin;
    Int128 numerator = 0;
    if (__builtin_mul_overflow(static_cast<Int128>(history[i].principal), days, &numerator) ||
        __builtin_mul_overflow(numerator, static_cast<Int128>(accrual.annual_rate.digits), &numerator)) {
      Fail(run, ErrorCode::InterestOverflow);
      return 0;
    }
    Int128 rounded = DivideHalfEven(numerator, denominator);
    if (rounded > INT64_MAX) {
      Fail(run, ErrorCode::InterestOverflow);
      return 0;
    }
    total = CheckedAdd(run, total, static_cast<std::int64_t>(rounded));
  }
  return total;
}

void SetPrincipal(Account& account, std::int64_t principal, std::int32_t day) {
  account.principal = principal;
  if (account.history.back().from == day) {
    account.history.back().principal = principal;
  } else {
    account.history.push_back({day, principal});
  }
}

void NoteSettled(RunState* run, Account& account, std::int32_t day) {
  if (account.settled_on == kNoDate && !account.written_off && Balance(run, account, day) == 0) account.settled_on = day;
}

}  // namespace

void Account::Open(const SubjectView& subject, std::int32_t index) {
  const InvoiceView& view = subject.invoices[index];
  invoice = index;
  name = view.name;
  issue = view.issue;
  due = view.due;
  amount = view.amount;
  principal = view.amount;
  fees = interest = 0;
  fees_charged = interest_charged = applied = written_off_amount = 0;
  written_off = false;
  settled_on = kNoDate;
  placed_on = kNoDate;
  history.clear();
  history.push_back({issue, principal});
  accruals.clear();
}

std::int64_t InterestOwed(RunState* run, const Account& account, std::int32_t day) {
  std::int64_t owed = account.interest;
  for (const Accrual& accrual : account.accruals) {
    owed = CheckedAdd(run, owed, RoundedAccrual(run, account, accrual, accrual.cursor, day));
  }
  return owed;
}

std::int64_t BalanceWithAccruals(RunState* run, const Account& account, std::int32_t day) {
  std::int64_t owed = CheckedAdd(run, account.principal, account.fees);
  return CheckedAdd(run, owed, InterestOwed(run, account, day));
}

std::int64_t PostInterest(RunState* run, Account& account, std::int32_t day) {
  std::int64_t posted_now = 0;
  for (Accrual& accrual : account.accruals) {
    if (accrual.cursor >= day) continue;
    std::int64_t amount = RoundedAccrual(run, account, accrual, accrual.cursor, day);
    accrual.cursor = day;
    accrual.posted = CheckedAdd(run, accrual.posted, amount);
    posted_now = CheckedAdd(run, posted_now, amount);
  }
  account.interest = CheckedAdd(run, account.interest, posted_now);
  account.interest_charged = CheckedAdd(run, account.interest_charged, posted_now);
  return posted_now;
}

std::int64_t StartInterest(RunState* run, Account& account, std::uint32_t step, runtime::Decimal rate, std::int32_t from,
                           std::int32_t today) {
  for (const Accrual& accrual : account.accruals) {
    if (accrual.step == step) return 0;
  }
  if (account.written_off) return 0;
  account.accruals.push_back({step, rate, from, 0});
  // A retroactive start posts the complete periods of constant principal
  // that ended on or before today, each rounded on its own.
  std::int32_t last_change = account.history.back().from;
  if (from < last_change && last_change <= today) {
    Accrual& accrual = account.accruals.back();
    std::int64_t amount = RoundedAccrual(run, account, accrual, from, last_change);
    accrual.cursor = last_change;
    accrual.posted = amount;
    account.interest = CheckedAdd(run, account.interest, amount);
    account.interest_charged = CheckedAdd(run, account.interest_charged, amount);
    return amount;
  }
  return 0;
}

void ChargeFee(RunState* run, Account& account, std::int64_t amount) {
  account.fees = CheckedAdd(run, account.fees, amount);
  account.fees_charged = CheckedAdd(run, account.fees_charged, amount);
}

Split ApplyPayment(RunState* run, Account& account, std::int64_t amount, std::int32_t day, const SettlementOrder& order) {
  PostInterest(run, account, day);
  Split split;
  std::int64_t remaining = amount;
  if (account.written_off) {
    split.left_over = remaining;
    return split;
  }
  for (OwedPart part : order) {
    std::int64_t* owed = part == OwedPart::Fees ? &account.fees : part == OwedPart::Interest ? &account.interest
                                                                                             : &account.principal;
    std::int64_t take = std::min(remaining, *owed);
    if (take <= 0) continue;
    remaining -= take;
    if (part == OwedPart::Principal) {
      SetPrincipal(account, account.principal - take, day);
      split.to_principal = take;
    } else {
      *owed -= take;
      (part == OwedPart::Fees ? split.to_fees : split.to_interest) = take;
    }
  }
  split.left_over = remaining;
  account.applied = CheckedAdd(run, account.applied, amount - remaining);
  NoteSettled(run, account, day);
  return split;
}

std::int64_t WriteOff(RunState* run, Account& account, std::int32_t day) {
  if (account.written_off) return 0;
  PostInterest(run, account, day);
  std::int64_t amount = CheckedAdd(run, CheckedAdd(run, account.principal, account.fees), account.interest);
  account.written_off_amount = CheckedAdd(run, account.written_off_amount, amount);
  account.fees = 0;
  account.interest = 0;
  SetPrincipal(account, 0, day);  // accruals stay (for PostedBy) but earn nothing on zero principal
  account.written_off = true;
  return amount;
}

std::int64_t PostedBy(const Account& account, std::uint32_t step) {
  for (const Accrual& accrual : account.accruals) {
    if (accrual.step == step) return accrual.posted;
  }
  return 0;
}

}  // namespace recoup::compiler::abi
