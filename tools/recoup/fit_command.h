// `recoup fit --ledger DIR -o model.json`: fits the payment-response model
// (runtime/payment_fit.h) to a ledger's history, writes it as JSON and
// prints each parameter with its 95% interval and where it came from.
#pragma once

#include <string>

#include "runtime/ledger_loader.h"
#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

enum class FitReportFormat { Text, Json };

// The flags as written; RunFit validates them.
struct FitCommandOptions {
  std::string ledger;
  std::string out;      // the model file
  std::string priors;   // empty: stdlib/models/priors.json
  std::string as_of;    // YYYY-MM-DD; empty: the ledger's last day
  std::string truth;    // ground_truth.json of a generated ledger, to compare with
  bool backtest = false;  // predict the history after --as-of and compare
  unsigned threads = 0;
  FitReportFormat format = FitReportFormat::Text;
  bool skip_bad_rows = false;
  runtime::DateFormat date_format = runtime::DateFormat::Iso;
};

CLI::App* AddFit(CLI::App& app, FitCommandOptions& options);
int RunFit(const FitCommandOptions& options, Environment& environment);

}  // namespace recoup::driver
