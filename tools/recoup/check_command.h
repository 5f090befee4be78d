// `recoup check FILE...`: parse and check policies, report every problem.
#pragma once

#include <string>
#include <vector>

#include "tools/recoup/driver.h"

namespace recoup::driver {

// Github and Sarif are for `check` only (CI annotations, code scanning).
enum class OutputFormat { Text, Json, Github, Sarif };
enum class EmitPhase { None, Ast, Ir, Llvm };

struct CheckOptions {
  std::vector<std::string> files;
  OutputFormat format = OutputFormat::Text;
  EmitPhase emit = EmitPhase::None;
  bool deny_warnings = false;
};

int RunCheck(const CheckOptions& options, Environment& environment);

}  // namespace recoup::driver
