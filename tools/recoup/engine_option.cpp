#include "tools/recoup/engine_option.h"

#include <CLI/CLI.hpp>

#include "compiler/jit/compiled_policy.h"
#include "compiler/jit/jit_engine.h"
#include "tools/recoup/choice_option.h"

namespace recoup::driver {

void AddEngineOptions(CLI::App* command, EngineSelection& selection) {
  AddChoiceOption(command, "--engine", selection.engine,
                  {{"interp", EngineChoice::Interpreter}, {"jit", EngineChoice::Jit}},
                  "Which back end runs the policy: interp (the reference interpreter, default) or jit (native code)");
  command->add_option("--cache-dir", selection.cache_directory,
                      "Where the JIT caches compiled policies (default $XDG_CACHE_HOME/recoup or ~/.cache/recoup)");
}

std::string CacheDirectoryFor(const EngineSelection& selection, const Environment& environment) {
  return selection.cache_directory.empty() ? environment.cache_directory : selection.cache_directory;
}

PreparedEngine PrepareEngine(const EngineSelection& selection, const compiler::PolicyIr& policy,
                             const std::string& cache_directory) {
  PreparedEngine prepared;
  if (selection.engine == EngineChoice::Interpreter) return prepared;
  if (std::optional<std::string> missing = compiler::jit::UncompiledConstruct(policy)) {
    prepared.error = "--engine jit cannot run this policy yet: " + *missing +
                     " is not compiled to native code; use --engine interp";
    return prepared;
  }
  // The quick tier first, the optimised code behind it on a thread
  // (compiled_policy.h): the first result does not wait for LLVM's -O2.
  compiler::jit::JitEngineResult made = compiler::jit::MakeJitEngine(
      policy, compiler::jit::JitOptions{cache_directory, compiler::jit::JitTiers::QuickThenOptimised});
  prepared.engine = std::move(made.engine);
  prepared.error = std::move(made.error);
  prepared.compiled = made.compiled;
  return prepared;
}

std::vector<std::string> EngineWarnings(const PreparedEngine& prepared) {
  std::vector<std::string> warnings;
  if (prepared.compiled == nullptr) return warnings;
  compiler::jit::CompileReport report = prepared.compiled->WaitUntilOptimised();
  if (!report.error.empty()) {
    warnings.push_back("the optimised native code could not be built, so this run used the quick native code "
                       "(the same results, more slowly): " + report.error);
  }
  if (!report.cache_warning.empty()) {
    warnings.push_back("the compiled policy could not be saved in the cache (" + report.cache_warning +
                       "), so the next run compiles it again; --cache-dir chooses another folder");
  }
  return warnings;
}

}  // namespace recoup::driver
