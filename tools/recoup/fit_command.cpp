#include "tools/recoup/fit_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <ostream>

#include "runtime/json.h"
#include "runtime/payment_backtest.h"
#include "runtime/payment_fit.h"
#include "runtime/payment_truth.h"
#include "simulation/subjects.h"
#include "tools/recoup/choice_option.h"
#include "tools/recoup/exit_status.h"
#include "tools/recoup/output_file.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::driver {
namespace {

struct Row {
  std::string parameter;
  const runtime::Estimate* estimate;
};

std::vector<Row> Rows(const runtime::PaymentModel& model) {
  std::vector<Row> rows;
  for (const runtime::SegmentHazards& segment : model.segments) {
    for (std::size_t k = 0; k < segment.daily.size(); ++k) {
      rows.push_back({fmt::format("hazard {} days {}", segment.name.empty() ? "(no segment)" : "`" + segment.name + "`",
                                  runtime::IntervalLabel(model.interval_starts, k)),
                      &segment.daily[k]});
    }
  }
  for (const runtime::ActionEffect& effect : model.effects) {
    rows.push_back({fmt::format("effect `{}` ({}d window)", effect.action, effect.window_days), &effect.factor});
  }
  rows.push_back({"effect open dispute", &model.dispute_factor});
  rows.push_back({"effect promise to pay", &model.promise_factor});
  for (std::size_t j = 0; j < model.agency_hazard.size(); ++j) {
    rows.push_back({fmt::format("agency days {} after placement", runtime::IntervalLabel(model.agency_interval_starts, j)),
                    &model.agency_hazard[j]});
  }
  return rows;
}

std::string TextReport(const runtime::FitResult& fit, const std::string& out) {
  const runtime::PaymentModel& model = fit.model;
  std::string text = fmt::format(
      "Fitted {} invoices, {} first payments over {} invoice-days (as of {}) in {} cells; Newton converged in {} "
      "iterations.\nModel written to {}.\n\n",
      model.invoices, model.payments, model.exposure_days, model.as_of, fit.cells, fit.iterations, out);
  std::vector<Row> rows = Rows(model);
  std::size_t width = 9;
  for (const Row& row : rows) width = std::max(width, row.parameter.size());
  text += fmt::format("{:<{}}  {:>10}  {:>23}  {}\n", "parameter", width, "estimate", "95% interval", "source");
  for (const Row& row : rows) {
    const runtime::Estimate& estimate = *row.estimate;
    std::string interval = estimate.log_standard_error > 0
                               ? fmt::format("{:.4g} to {:.4g}", estimate.Lower(), estimate.Upper())
                               : estimate.source == runtime::ParameterSource::NoPayments
                                     ? "0 (no payments)"
                                     : "exact (assumed)";
    text += fmt::format("{:<{}}  {:>10.4g}  {:>23}  {}\n", row.parameter, width, estimate.value, interval,
                        runtime::ParameterSourceName(estimate.source));
  }
  text += fmt::format("\nPartial first payments: {:.1f}% of what was owed on average, the rest {} days later.\n",
                      model.partial_fraction * 100, model.partial_gap_days);
  text += fmt::format("Promises to pay: {:.1f}% of calls, running {} days.\n", model.promise_rate_after_call * 100,
                      model.promise_days);
  if (!fit.findings.empty()) {
    text += "\nWhat the ledger could not tell (these use the prior or say why):\n";
    for (const runtime::FitFinding& finding : fit.findings) {
      text += fmt::format("  - {}: {}\n", finding.parameter, finding.message);
    }
  }
  return text;
}

std::string JsonReport(const runtime::FitResult& fit, const std::string& out,
                       const std::optional<runtime::TruthComparisonResult>& comparison,
                       const std::optional<runtime::BacktestResult>& backtest) {
  std::string text = fmt::format("{{\n  \"model\": {},\n  \"iterations\": {},\n  \"cells\": {},\n  \"findings\": [",
                                 runtime::JsonQuote(out), fit.iterations, fit.cells);
  for (std::size_t i = 0; i < fit.findings.size(); ++i) {
    text += fmt::format("{}\n    {{\"parameter\": {}, \"message\": {}}}", i ? "," : "",
                        runtime::JsonQuote(fit.findings[i].parameter), runtime::JsonQuote(fit.findings[i].message));
  }
  text += fit.findings.empty() ? "]" : "\n  ]";
  if (comparison) {
    text += ",\n  \"truth\": [";
    for (std::size_t i = 0; i < comparison->rows.size(); ++i) {
      const runtime::TruthComparison& row = comparison->rows[i];
      text += fmt::format("{}\n    {{\"parameter\": {}, \"truth\": {}, \"estimate\": {}, \"low\": {}, \"high\": {}, "
                          "\"covered\": {}}}",
                          i ? "," : "", runtime::JsonQuote(row.parameter), row.truth, row.fitted.value, row.fitted.Lower(),
                          row.fitted.Upper(), row.covered ? "true" : "false");
    }
    text += comparison->rows.empty() ? "]" : "\n  ]";
  }
  if (backtest) {
    text += fmt::format(",\n  \"backtest\": {{\"open_invoices\": {}, \"points\": [", backtest->open_invoices);
    for (std::size_t i = 0; i < backtest->points.size(); ++i) {
      const runtime::BacktestPoint& point = backtest->points[i];
      text += fmt::format("{}\n    {{\"days_after_cutoff\": {}, \"predicted_invoices\": {}, \"observed_invoices\": {}, "
                          "\"predicted_amount_share\": {}, \"observed_amount_share\": {}}}",
                          i ? "," : "", point.days_after_cutoff, point.predicted_invoices, point.observed_invoices,
                          point.open_amount > 0 ? point.predicted_amount / point.open_amount : 0,
                          point.open_amount > 0 ? point.observed_amount / point.open_amount : 0);
    }
    text += "\n  ]}";
  }
  return text + "\n}\n";
}

std::string TruthReport(const runtime::TruthComparisonResult& comparison) {
  std::size_t width = 9, covered = 0;
  for (const runtime::TruthComparison& row : comparison.rows) width = std::max(width, row.parameter.size());
  std::string text = fmt::format("\nAgainst the ground truth:\n{:<{}}  {:>10}  {:>10}  {:>23}  {}\n", "parameter", width,
                                 "truth", "estimate", "95% interval", "covered");
  for (const runtime::TruthComparison& row : comparison.rows) {
    covered += row.covered ? 1 : 0;
    text += fmt::format("{:<{}}  {:>10.4g}  {:>10.4g}  {:>23}  {}\n", row.parameter, width, row.truth, row.fitted.value,
                        fmt::format("{:.4g} to {:.4g}", row.fitted.Lower(), row.fitted.Upper()), row.covered ? "yes" : "NO");
  }
  text += fmt::format("truth covered: {} of {} fitted parameters\n", covered, comparison.rows.size());
  return text;
}

std::string BacktestReport(const runtime::BacktestResult& backtest, runtime::Date cutoff) {
  std::string text = fmt::format(
      "\nBack-test: {} invoices were open on {}; the model, fitted on the history up to that day, predicts how many "
      "receive a first payment after it, given the actions, disputes and promises the ledger records:\n",
      backtest.open_invoices, cutoff.ToIso());
  text += fmt::format("{:>8}  {:>10}  {:>10}  {:>10}  {:>12}  {:>12}  {:>10}\n", "days", "predicted", "observed",
                      "error", "predicted %", "observed %", "error pt");
  for (const runtime::BacktestPoint& point : backtest.points) {
    const double predicted_share = point.open_amount > 0 ? 100 * point.predicted_amount / point.open_amount : 0;
    const double observed_share = point.open_amount > 0 ? 100 * point.observed_amount / point.open_amount : 0;
    const double error = point.observed_invoices > 0
                             ? 100 * (point.predicted_invoices - static_cast<double>(point.observed_invoices)) /
                                   static_cast<double>(point.observed_invoices)
                             : 0;
    text += fmt::format("{:>8}  {:>10.1f}  {:>10}  {:>9.1f}%  {:>11.1f}%  {:>11.1f}%  {:>+10.1f}\n",
                        point.days_after_cutoff, point.predicted_invoices, point.observed_invoices, error,
                        predicted_share, observed_share, predicted_share - observed_share);
  }
  return text + "(predicted and observed: invoices paid by then; % : share of the open amount; error pt: predicted "
                "minus observed share, in percentage points)\n";
}

}  // namespace

CLI::App* AddFit(CLI::App& app, FitCommandOptions& options) {
  CLI::App* fit = app.add_subcommand("fit", "Fit the payment-response model to a ledger's history (docs/model.md)");
  fit->add_option("--ledger", options.ledger, "The ledger folder (invoices.csv, payments.csv, actions.csv...)")->required();
  fit->add_option("-o,--out", options.out, "Where to write the model (JSON)")->required();
  fit->add_option("--priors", options.priors, "Priors for what the ledger cannot identify (default stdlib/models/priors.json)");
  fit->add_option("--as-of", options.as_of, "The ledger's last day, YYYY-MM-DD (default: its latest date)");
  fit->add_option("--truth", options.truth,
                  "A generated ledger's ground_truth.json: print which fitted parameters cover the truth");
  fit->add_flag("--backtest", options.backtest,
                "With --as-of: predict the recovery of invoices open on that day from the model and compare with "
                "the rest of the ledger");
  fit->add_option("--threads", options.threads, "Worker threads (default: one per hardware thread)");
  AddChoiceOption(fit, "--format", options.format, {{"text", FitReportFormat::Text}, {"json", FitReportFormat::Json}},
                  "Summary format (default text)");
  fit->add_flag("--skip-bad-rows", options.skip_bad_rows, "Leave out bad ledger rows (reported) instead of failing");
  AddChoiceOption(fit, "--date-format", options.date_format,
                  {{"iso", runtime::DateFormat::Iso}, {"us", runtime::DateFormat::Us}, {"eu", runtime::DateFormat::Eu}},
                  "How the ledger writes dates (default iso)");
  return fit;
}

int RunFit(const FitCommandOptions& options, Environment& environment) {
  std::optional<runtime::Date> as_of;
  if (!options.as_of.empty()) {
    as_of = runtime::Date::ParseIso(options.as_of);
    if (!as_of) {
      environment.err << fmt::format("recoup: --as-of `{}` is not a date like 2026-06-30\n", options.as_of);
      return kExitUsage;
    }
  }
  if (options.backtest && !as_of) {
    environment.err << "recoup: --backtest needs --as-of, the cut-off day the fit stops at\n";
    return kExitUsage;
  }
  const std::string priors_path =
      options.priors.empty() ? environment.stdlib_root + "/models/priors.json" : options.priors;
  std::string read_error;
  std::optional<std::string> priors_text = environment.files.Read(priors_path, &read_error);
  if (!priors_text) {
    environment.err << fmt::format("recoup: cannot read the priors {}: {}\n", priors_path, read_error);
    return kExitUsage;
  }
  runtime::PaymentModelReadResult priors = runtime::PaymentModelFromJson(*priors_text);
  if (!priors.model) {
    environment.err << fmt::format("{}:{}\n", priors_path, priors.error);
    return kExitFindings;
  }

  int ledger_status = kExitSuccess;
  runtime::LedgerLoadResult loaded = LoadLedgerReporting(options.ledger, options.date_format, options.skip_bad_rows,
                                                        environment, ledger_status);
  if (ledger_status != kExitSuccess) return ledger_status;

  runtime::FitOptions fit_options;
  fit_options.as_of = as_of ? *as_of : simulation::LedgerEnd(*loaded.ledger);
  fit_options.threads = options.threads;
  fit_options.description = fmt::format("fitted by `recoup fit` from the ledger {} as of {}", options.ledger,
                                        fit_options.as_of.ToIso());
  runtime::FitResult fit = runtime::FitPaymentModel(*loaded.ledger, *priors.model, fit_options);
  if (!fit.error.empty()) {
    environment.err << fmt::format("recoup: cannot fit {}: {}\n", options.ledger, fit.error);
    return kExitFindings;
  }
  if (loaded.ledger->actions.date.empty()) {
    fit.findings.insert(fit.findings.begin(),
                        {"actions", "the ledger has no actions.csv (or it is empty): no action effect can be "
                                    "estimated; every effect is the prior"});
  }
  std::string error;
  if (!WriteFileAtomically(options.out, runtime::PaymentModelToJson(fit.model), error)) {
    environment.err << "recoup: " << error << "\n";
    return kExitUsage;
  }
  std::optional<runtime::TruthComparisonResult> comparison;
  if (!options.truth.empty()) {
    std::optional<std::string> truth_text = environment.files.Read(options.truth, &read_error);
    if (!truth_text) {
      environment.err << fmt::format("recoup: cannot read the ground truth {}: {}\n", options.truth, read_error);
      return kExitUsage;
    }
    comparison = runtime::CompareWithGroundTruth(fit.model, *truth_text);
    if (!comparison->error.empty()) {
      environment.err << fmt::format("{}: {}\n", options.truth, comparison->error);
      return kExitFindings;
    }
  }
  std::optional<runtime::BacktestResult> backtest;
  if (options.backtest) {
    backtest = runtime::Backtest(*loaded.ledger, fit.model, *as_of, simulation::LedgerEnd(*loaded.ledger),
                                 {30, 60, 90, 180});
    if (!backtest->error.empty()) {
      environment.err << fmt::format("recoup: cannot back-test: {}\n", backtest->error);
      return kExitFindings;
    }
  }
  if (options.format == FitReportFormat::Json) {
    environment.out << JsonReport(fit, options.out, comparison, backtest);
    return kExitSuccess;
  }
  environment.out << TextReport(fit, options.out);
  if (comparison) environment.out << TruthReport(*comparison);
  if (backtest) environment.out << BacktestReport(*backtest, *as_of);
  return kExitSuccess;
}

}  // namespace recoup::driver
