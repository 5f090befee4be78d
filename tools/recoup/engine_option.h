// `--engine jit|interp` and `--cache-dir DIR`, shared by explain, simulate
// and compare: which back end runs the policy, and where the JIT keeps its
// compiled objects.
#pragma once

#include <optional>
#include <string>

#include "compiler/policy_ir.h"
#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::driver {

enum class EngineChoice { Interpreter, Jit };

struct EngineSelection {
  EngineChoice engine = EngineChoice::Interpreter;
  std::string cache_directory;  // empty: Environment::cache_directory
};

// Registers both options on `command`.
void AddEngineOptions(CLI::App* command, EngineSelection& selection);

// The cache folder to use: --cache-dir, else the environment's default.
std::string CacheDirectoryFor(const EngineSelection& selection, const Environment& environment);

// With --engine jit: compiles `policy` to native code and says, in plain
// words, why the JIT cannot run it when it cannot (a construct it does not
// compile yet, or an LLVM failure). Nothing with --engine interp.
std::optional<std::string> PrepareEngine(const EngineSelection& selection, const compiler::PolicyIr& policy,
                                         const Environment& environment);

}  // namespace recoup::driver
