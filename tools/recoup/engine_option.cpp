#include "tools/recoup/engine_option.h"

#include <CLI/CLI.hpp>

#include "compiler/jit/compiled_policy.h"
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

std::optional<std::string> PrepareEngine(const EngineSelection& selection, const compiler::PolicyIr& policy,
                                         const Environment& environment) {
  if (selection.engine == EngineChoice::Interpreter) return std::nullopt;
  compiler::jit::CompileResult compiled =
      compiler::jit::CompilePolicy(policy, compiler::jit::JitOptions{CacheDirectoryFor(selection, environment)});
  if (compiled.error) return *compiled.error;
  if (std::optional<std::string> missing = compiler::jit::UncompiledConstruct(policy)) {
    return "--engine jit cannot run this policy yet: " + *missing + " is not compiled to native code; use --engine interp";
  }
  return std::nullopt;
}

}  // namespace recoup::driver
