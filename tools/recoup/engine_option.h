// `--engine jit|interp` and `--cache-dir DIR`, shared by explain, simulate
// and compare: which back end runs the policy, and where the JIT keeps its
// compiled objects.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/engine.h"
#include "compiler/policy_ir.h"
#include "tools/recoup/driver.h"

namespace CLI {
class App;
}

namespace recoup::compiler::jit {
class CompiledPolicy;
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
  const compiler::jit::CompiledPolicy* compiled = nullptr;  // the JIT's code (lives as long as `engine`)
};

// With --engine jit: compiles `policy` (which must outlive the engine) to
// native code, or says in plain words why the JIT cannot run it (a
// construct it does not compile yet, an LLVM failure). Never falls back to
// the interpreter.
PreparedEngine PrepareEngine(const EngineSelection& selection, const compiler::PolicyIr& policy,
                             const std::string& cache_directory);

// What a person should know about how the JIT's compile went, once the
// run is over: the optimised code could not be built (the run used the
// quick code, with the same results), or the cache could not be written
// (every run compiles again). Waits for the optimised tier if it is still
// compiling. Nothing for the interpreter.
std::vector<std::string> EngineWarnings(const PreparedEngine& prepared);

}  // namespace recoup::driver
