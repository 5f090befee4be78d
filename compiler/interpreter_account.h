// What one invoice owes, day by day, for the reference interpreter:
// principal, fees and posted interest in exact minor units, the interest
// accruals running on it, and the totals the conservation check needs.
// Rules: docs/semantics.md sections 7 (payments), 9 (interest), 11 (write-off).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/date.h"
#include "runtime/decimal.h"

namespace recoup::compiler::interpreter {

// The first arithmetic failure of a run; later operations become no-ops
// once it is set, so a run stops cleanly with the error as its result.
struct ErrorSink {
  std::optional<std::string> error;
  void Fail(std::string message) {
    if (!error) error = std::move(message);
  }
};

// Checked int64 arithmetic on minor units; overflow goes to the sink.
std::int64_t CheckedAdd(std::int64_t a, std::int64_t b, ErrorSink& sink);
std::int64_t CheckedSubtract(std::int64_t a, std::int64_t b, ErrorSink& sink);

// One interest action running on an invoice: the exact accrual of the span
// not yet posted starts at `cursor`.
struct InterestAccrual {
  StepId step = kNoId;
  runtime::Decimal annual_rate;  // percentage points
  runtime::Date cursor;
  std::int64_t posted = 0;       // minor units posted so far by this accrual
};

// How one payment was applied to an invoice.
struct PaymentSplit {
  std::int64_t to_fees = 0;
  std::int64_t to_interest = 0;
  std::int64_t to_principal = 0;
  std::int64_t left_over = 0;
};

class InvoiceAccount {
 public:
  InvoiceAccount(const InvoiceFacts& facts, std::size_t facts_index);

  const InvoiceFacts& facts() const { return *facts_; }
  std::size_t facts_index() const { return facts_index_; }
  std::int64_t principal() const { return principal_; }
  std::int64_t fees() const { return fees_; }
  std::int64_t posted_interest() const { return interest_; }
  // Posted interest plus the rounded accrual of days before `day`, unposted.
  std::int64_t InterestOwed(runtime::Date day, ErrorSink& sink) const;
  // principal + fees + InterestOwed(day): what a guard reads as the balance.
  std::int64_t Balance(runtime::Date day, ErrorSink& sink) const;
  // Issued on or before `day`, something owed, not written off.
  bool IsOpen(runtime::Date day, ErrorSink& sink) const;
  bool written_off() const { return written_off_; }
  std::optional<runtime::Date> settled_on() const { return settled_on_; }
  std::optional<runtime::Date> placed_on() const { return placed_on_; }
  void Place(runtime::Date day) {
    if (!placed_on_) placed_on_ = day;
  }

  // Posts every accrual's exact interest over [cursor, day), one rounded
  // amount per period of constant principal. Returns what was posted.
  std::int64_t PostInterest(runtime::Date day, ErrorSink& sink);
  // Starts an interest accrual from `from` (may be in the past: the complete
  // periods of constant principal before `today` are posted now). A step
  // that already accrues on this invoice changes nothing. Returns what was
  // posted retroactively.
  std::int64_t StartInterest(StepId step, runtime::Decimal annual_rate, runtime::Date from, runtime::Date today,
                     ErrorSink& sink);
  void ChargeFee(std::int64_t amount, ErrorSink& sink);
  // Posts interest up to `day`, then settles in `order`.
  PaymentSplit ApplyPayment(std::int64_t amount, runtime::Date day, const SettlementOrder& order, ErrorSink& sink);
  // Posts interest, then writes everything owed off. Returns the amount.
  std::int64_t WriteOff(runtime::Date day, ErrorSink& sink);
  // Interest posted by the accrual of `step` (for the interest action's amount).
  std::int64_t PostedBy(StepId step) const;

  // Totals for the conservation check, in minor units.
  std::int64_t fees_charged() const { return fees_charged_; }
  std::int64_t interest_charged() const { return interest_charged_; }
  std::int64_t applied() const { return applied_; }
  std::int64_t written_off_amount() const { return written_off_amount_; }

 private:
  struct PrincipalFrom {
    runtime::Date from;
    std::int64_t principal = 0;
  };
  // Exact interest over [begin, end) as one rounded amount per constant-principal period.
  std::int64_t RoundedAccrual(const InterestAccrual& accrual, runtime::Date begin, runtime::Date end,
                              ErrorSink& sink) const;
  void SetPrincipal(std::int64_t principal, runtime::Date day);
  void NoteSettled(runtime::Date day, ErrorSink& sink);

  const InvoiceFacts* facts_;
  std::size_t facts_index_;
  std::int64_t principal_ = 0;
  std::int64_t fees_ = 0;
  std::int64_t interest_ = 0;
  std::vector<PrincipalFrom> principal_history_;
  std::vector<InterestAccrual> accruals_;
  std::int64_t fees_charged_ = 0;
  std::int64_t interest_charged_ = 0;
  std::int64_t applied_ = 0;
  std::int64_t written_off_amount_ = 0;
  bool written_off_ = false;
  std::optional<runtime::Date> settled_on_;
  std::optional<runtime::Date> placed_on_;
};

}  // namespace recoup::compiler::interpreter
