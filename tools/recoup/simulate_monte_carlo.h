// Internal to the simulate and compare commands: `--model` runs the Monte
// Carlo simulation (simulation/monte_carlo.h) instead of the replay and
// reports every figure as a mean with a 95% interval over the draws, and
// every difference to the first policy with its interval and whether it is
// distinguishable from zero.
#pragma once

#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"
#include "simulation/metrics.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::driver {

// One figure over the draws: the mean, the 2.5% and 97.5% points of the
// draws, the Monte Carlo standard error of the mean, and how many draws
// had it defined (a ratio over nothing is left out).
struct DrawSummary {
  double mean = 0, low = 0, high = 0, standard_error = 0;
  std::size_t defined = 0;
  // For differences: the interval excludes zero.
  bool distinguishable() const { return defined > 0 && (low > 0 || high < 0); }
};

// `values` need not be sorted; NaN means undefined in that draw.
DrawSummary Summarise(std::vector<double> values);

// One policy's draws, for the report.
struct MonteCarloColumn {
  std::string file;
  std::string name;
  std::vector<simulation::Metrics> draws;
};

struct MonteCarloHeader {
  std::string ledger;
  std::string model;
  runtime::Date as_of;
  std::int32_t horizon_days = 180;
  std::uint32_t draws = 0;
  std::uint64_t seed = 0;
  bool parameter_uncertainty = false;
};

// The report as a table or JSON (other formats are refused earlier).
std::string RenderMonteCarloReport(const MonteCarloHeader& header, const std::vector<MonteCarloColumn>& columns,
                                   ReportFormat format);

}  // namespace recoup::driver
