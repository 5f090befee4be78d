// Checking a fitted payment model against the ground truth a synthetic
// ledger was generated from (ground_truth.json of `recoup gen-ledger`):
// the mapping between the two parameterisations (docs/model.md,
// "Validation") and, per parameter, whether the truth lies in the fit's
// 95% interval. Used by `recoup fit --truth` and the validation tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/payment_model.h"

namespace recoup::runtime {

struct TruthComparison {
  std::string parameter;  // "hazard smb 0 to 14", "effect email"...
  double truth = 0;
  Estimate fitted;
  bool covered = false;   // truth within the 95% interval (fitted parameters only)
};

struct TruthComparisonResult {
  std::vector<TruthComparison> rows;  // fitted parameters only, model order
  std::string error;                  // the truth file cannot be read or does not match
};

// Compares every fitted parameter of `model` that the truth names: segment
// hazards by interval (the intervals must be the same), action effects
// (an action the truth does not list has factor 1), the dispute and
// promise factors and the agency hazards.
TruthComparisonResult CompareWithGroundTruth(const PaymentModel& model, std::string_view ground_truth_json);

}  // namespace recoup::runtime
