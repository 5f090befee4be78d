#include "tools/recoup/checked_policy.h"

#include <fmt/format.h>

#include <ostream>

namespace recoup::driver {

CheckedPolicy LoadAndCheckPolicy(const std::string& path, Environment& environment) {
  CheckedPolicy policy;
  std::string reason;
  if (!environment.files.Read(path, &reason)) {
    environment.err << fmt::format("recoup: cannot read {}: {}\n", path, reason);
    return policy;
  }
  policy.readable = true;
  compiler::LoadOptions load_options{environment.stdlib_root};
  policy.program = compiler::LoadProgram(path, environment.files, load_options, policy.sources, policy.diagnostics);
  if (!policy.program.trees.empty()) policy.ir = compiler::Check(policy.program, policy.sources, policy.diagnostics);
  policy.diagnostics.SortAndDeduplicate();
  return policy;
}

}  // namespace recoup::driver
