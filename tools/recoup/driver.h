// The `recoup` command as a library: main() only wires the real file system
// and streams in, so tests run every subcommand in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "language/file_system.h"
#include "tools/recoup/progress.h"

namespace recoup::driver {

// Everything the command touches from the outside world.
struct Environment {
  const language::FileSystem& files;
  std::ostream& out;   // results
  std::ostream& err;   // diagnostics, progress
  std::string stdlib_root;  // where `import "stdlib/..."` is looked up
  // Where the JIT caches compiled policies when --cache-dir is not given
  // ($XDG_CACHE_HOME/recoup or ~/.cache/recoup); empty: no cache.
  std::string cache_directory = "";
  bool err_is_terminal = false;  // progress as a bar (true) or plain lines
  ProgressSettings progress;     // intervals and clock; style is set per command
};

// The progress settings for a command: the environment's, with the style
// --quiet and the terminal choose.
ProgressSettings ProgressSettingsFor(const Environment& environment, bool quiet);

// Runs `recoup ARGS...` (arguments without the program name). Returns the
// exit status: 0 success, 1 policy/ledger/test at fault, 2 usage or I/O.
int Run(const std::vector<std::string>& arguments, Environment& environment);

}  // namespace recoup::driver
