// `recoup diff OLD NEW [--ledger DIR]`: what changed in behaviour between
// two versions of a policy, not in text. The rules that changed, concrete
// example invoices whose action timelines differ (found by a bounded,
// seeded exploration), and with a ledger, how many of its subjects change
// and the replay metrics of both versions. Exit 0 when the behaviour is the
// same, 1 when it differs (or a policy has errors), 2 for usage and I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/ledger_loader.h"
#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

enum class DiffFormat { Text, Json, Markdown };

// The flags as written; RunDiff validates them.
struct DiffOptions {
  std::string old_file;
  std::string new_file;
  DiffFormat format = DiffFormat::Text;
  std::size_t examples = 3;      // example invoices shown at most
  std::size_t budget = 1000;     // scenarios explored at most
  std::uint64_t seed = 1;        // for the random part of the exploration
  std::string ledger;            // empty: no replay
  std::string horizon = "180d";  // --ledger: days after each due date
  unsigned threads = 0;
  std::string as_of;
  bool skip_bad_rows = false;
  runtime::DateFormat date_format = runtime::DateFormat::Iso;
};

// Registers the `diff` subcommand, filling `options` when it is parsed.
CLI::App* AddDiff(CLI::App& app, DiffOptions& options);

int RunDiff(const DiffOptions& options, Environment& environment);

}  // namespace recoup::driver
