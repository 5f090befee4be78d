// Reading, loading (with imports) and checking one policy file: the first
// step of every subcommand that takes a policy.
#pragma once

#include <optional>
#include <string>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/source.h"
#include "tools/recoup/driver.h"

namespace recoup::driver {

struct CheckedPolicy {
  // False when the file could not be read; `recoup: cannot read ...` has
  // then been printed and nothing else is filled in.
  bool readable = false;
  language::SourceSet sources;
  language::DiagnosticList diagnostics;  // sorted and deduplicated
  compiler::Program program;
  std::optional<compiler::PolicyIr> ir;  // nothing when there are errors
};

CheckedPolicy LoadAndCheckPolicy(const std::string& path, Environment& environment);

}  // namespace recoup::driver
