// Fitting the payment model (payment_model.h) to a ledger by maximum
// likelihood: invoice-days are never materialised; one pass over the
// columnar ledger adds each invoice's exposure, piece by constant piece,
// into cells (interval or agency interval x segment x which action windows,
// dispute and promise are active), counting first payments per cell. The
// cells are a Poisson regression with a log link and the exposure as
// offset, solved by Newton's method; standard errors come from the observed
// information. An effect the ledger cannot identify (no data, collinear
// with the others, or sent at the same age to everyone) takes its value
// from the priors, and the result says so (docs/model.md, "Fitting").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/date.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"

namespace recoup::runtime {

struct FitOptions {
  Date as_of;            // the last day the ledger knows about; exposure ends there
  unsigned threads = 0;  // 0: one per hardware thread
  // An effect whose within-age overlap (docs/model.md) is below this share
  // cannot be told apart from time and takes its prior.
  double min_age_overlap = 0.05;
  std::string description;  // copied into the model
};

// Why an effect or hazard was not fitted, or fitted only weakly: one plain
// sentence a person reads (also kept in the estimate's note).
struct FitFinding {
  std::string parameter;  // "action email", "segment smb, days 180 and later"...
  std::string message;
};

struct FitResult {
  PaymentModel model;
  std::vector<FitFinding> findings;  // in parameter order
  int iterations = 0;
  bool converged = false;
  std::string error;  // the ledger cannot be fitted at all (no invoices...)
  std::uint64_t cells = 0;  // cells with exposure
};

// The maximum-likelihood model of `ledger`; `priors` (a model file from
// stdlib/models/) gives the intervals, the action windows and every value
// the ledger cannot identify.
FitResult FitPaymentModel(const Ledger& ledger, const PaymentModel& priors, const FitOptions& options);

// A label for interval `k` of `starts`: "before -30", "0 to 14", "180 and later".
std::string IntervalLabel(const std::vector<std::int32_t>& starts, std::size_t k);

}  // namespace recoup::runtime
