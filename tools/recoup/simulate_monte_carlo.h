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

// `values` need not be sorted; NaN means undefined in that draw.
DrawSummary Summarise(std::vector<double> values);

// One policy's draws, for the report.
struct MonteCarloColumn {
  std::string file;
  std::string name;
  std::vector<simulation::Metrics> draws;
  std::string version;
  bool customer_subject = false;
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

// The draws as columns of the HTML report (RenderHtmlReport): each column's
// metrics are its first draw's, for what every draw shares (currency,
// subjects, segment names, what was left out), and its intervals hold the
// mean and interval of every figure, difference to the first policy,
// segment figure, day of the recovery curve and action kind's cost, the
// same numbers as the JSON report of the same draws.
std::vector<PolicyColumn> MonteCarloPolicyColumns(const MonteCarloHeader& header,
                                                  const std::vector<MonteCarloColumn>& columns);

}  // namespace recoup::driver
