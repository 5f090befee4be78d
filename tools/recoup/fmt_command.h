// `recoup fmt FILE...`: rewrites policy and library files in the canonical
// layout (docs/language.md, "Canonical layout"), like gofmt: the formatted
// text on standard output, `--check` to list the files that would change,
// `--write` to rewrite them in place. A file is formatted only when it
// checks without errors, and only after the formatted text has been checked
// again and found to mean the same (compiler/verified_format.h).
#pragma once

#include <string>
#include <vector>

#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;  // list the files that would change, exit 1 when any would
  bool write = false;  // rewrite the files that change, atomically
};

// Registers the `fmt` subcommand, filling `options` when it is parsed.
CLI::App* AddFmt(CLI::App& app, FmtOptions& options);

int RunFmt(const FmtOptions& options, Environment& environment);

}  // namespace recoup::driver
