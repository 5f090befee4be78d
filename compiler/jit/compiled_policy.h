// The JIT back end's public face: compile a checked policy to native code
// with LLVM ORC (LLJIT) and call what was compiled. No LLVM type appears
// here; everything LLVM stays inside compiler/jit/.
//
// Compiling goes: generate LLVM IR from the Policy IR (the policy's
// constants folded in), optimise with a short new-pass-manager pipeline
// (inlining, then per-function simplification), emit an object file for
// the host CPU, link it into a JITDylib of its own in the process's shared
// ORC session (jit_session.h) whose only visible symbols are the runtime
// services of runtime_helpers.h (no process-wide symbol search). The object
// is cached on disk when a cache folder is given (object_cache.h). Errors
// come back as values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "compiler/engine_abi.h"
#include "compiler/jit/expression_abi.h"
#include "compiler/policy_ir.h"

namespace recoup::compiler::jit {

// Bumped whenever generated code changes, so old cache entries are stale.
inline constexpr const char* kCodegenVersion = "recoup-codegen-11";

// The generated per-subject driver (driver_codegen.h).
using DriveFunction = void (*)(abi::RunState* run);

struct JitOptions {
  std::string cache_directory;  // empty: no cache
};

// What compiling did, for tests, `--emit=llvm` and the benchmark.
struct CompileReport {
  bool loaded_from_cache = false;  // the object came from the cache: no LLVM optimiser or code generator ran
  bool optimised = false;          // LLVM's optimiser ran
  bool cache_written = false;
  std::string cache_path;          // the entry used or written
  std::string cache_rejected;      // why an existing entry was refused and rebuilt
  std::string cache_warning;       // the cache could not be written (the compile still succeeded)
  double generate_milliseconds = 0, optimise_milliseconds = 0, codegen_milliseconds = 0, link_milliseconds = 0;
};

class CompiledPolicyImpl;

// A policy compiled to native code. Its functions are pure and may be
// called from any number of threads at once.
class CompiledPolicy {
 public:
  explicit CompiledPolicy(std::unique_ptr<CompiledPolicyImpl> impl);
  ~CompiledPolicy();
  CompiledPolicy(const CompiledPolicy&) = delete;
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;

  // The compiled guard of a step, the condition of a stop rule, the
  // policy's `applies to`; null when the policy has none there.
  RecoupBoolExpression Guard(StepId step) const;
  RecoupBoolExpression StopCondition(std::uint32_t stop) const;
  RecoupBoolExpression AppliesTo() const;
  // The policy's whole per-subject run, after EngineWorkspace::PrepareRun.
  DriveFunction Drive() const;

 private:
  std::unique_ptr<CompiledPolicyImpl> impl_;
};

struct CompileResult {
  std::unique_ptr<CompiledPolicy> policy;  // null on failure
  std::optional<std::string> error;        // a plain sentence
  CompileReport report;
};

// Compiles `policy` (a finished, non-library PolicyIr).
CompileResult CompilePolicy(const PolicyIr& policy, const JitOptions& options);

// The optimised LLVM module as text (`recoup check --emit=llvm`), or an error.
struct EmitResult {
  std::string text;
  std::optional<std::string> error;
};
EmitResult EmitOptimisedLlvm(const PolicyIr& policy);

// The first part of running `policy` that the JIT does not compile to
// native code yet, named in plain words; nothing when it compiles all of it.
std::optional<std::string> UncompiledConstruct(const PolicyIr& policy);

// The cache key of `policy` on this host: what a cache entry is named by.
std::string CacheKeyText(const PolicyIr& policy);

}  // namespace recoup::compiler::jit
