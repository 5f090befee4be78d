// The back-test of a payment model (docs/model.md, "Validation"): fit on a
// ledger's history up to a cut-off day, then predict, for the invoices
// still open at the cut-off, how much of their amount receives its first
// payment by each horizon after it, given the actions, disputes and
// promises the ledger records; compare with what happened.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/date.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"

namespace recoup::runtime {

// One point of the recovery curve.
struct BacktestPoint {
  std::int32_t days_after_cutoff = 0;
  double predicted_invoices = 0;   // expected first payments
  std::uint64_t observed_invoices = 0;
  double predicted_amount = 0;     // minor units: amount x probability of a first payment
  double observed_amount = 0;      // minor units: amount of the invoices paid
  double open_amount = 0;          // minor units, open at the cut-off
};

struct BacktestResult {
  std::uint64_t open_invoices = 0;  // open at the cut-off
  std::vector<BacktestPoint> points;  // only horizons the ledger observes in full
  std::string error;
};

// Predicts with `model` over (cutoff, cutoff + d] for each d in
// `horizons` with cutoff + d <= `end` (the ledger's last day).
BacktestResult Backtest(const Ledger& ledger, const PaymentModel& model, Date cutoff, Date end,
                        const std::vector<std::int32_t>& horizons);

}  // namespace recoup::runtime
