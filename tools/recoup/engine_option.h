// `--engine jit|interp` and `--cache-dir DIR`, shared by explain, simulate
// and compare: which back end runs the policy, and where the JIT keeps its
// compiled objects.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/engine.h"
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

// The engine to run, or why there is none. `engine` is null for the
// interpreter (the default engine of Interpret() and Replay()).
struct PreparedEngine {
  std::unique_ptr<compiler::PolicyEngine> engine;
  std::optional<std::string> error;  // a plain sentence
};

// With --engine jit: compiles `policy` (which must outlive the engine) to
// native code, or says in plain words why the JIT cannot run it (a
// construct it does not compile yet, an LLVM failure). Never falls back to
// the interpreter.
PreparedEngine PrepareEngine(const EngineSelection& selection, const compiler::PolicyIr& policy,
                             const std::string& cache_directory);

}  // namespace recoup::driver
