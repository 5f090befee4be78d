// The JIT back end's public face: compile a checked policy to native code
// with LLVM ORC (LLJIT) and call what was compiled. No LLVM type appears
// here; everything LLVM stays inside compiler/jit/.
//
// Two tiers (docs/architecture.md, "Compile latency"): the quick tier is
// the generated module as it is (no optimiser) through LLVM's -O0 code
// generator, ready in a fraction of the time; the optimised tier is the
// pipeline below through the -O2 code generator. With
// JitTiers::QuickThenOptimised, CompilePolicy returns as soon as the quick
// code is linked and compiles the optimised code on a thread of its own;
// when that is linked, the policy's entry points switch to it. Both tiers
// run the same generated IR, so they produce the same trace (the
// differential tests run both); only the speed differs.
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
inline constexpr const char* kCodegenVersion = "recoup-codegen-14";

// The generated per-subject driver (driver_codegen.h).
using DriveFunction = void (*)(abi::RunState* run);

// Which code CompilePolicy produces (see the top of this file).
enum class JitTiers {
  Optimised,           // compile the optimised code and return when it is linked
  QuickThenOptimised,  // return with the quick code linked; the optimised code follows on a thread
  Quick,               // only the quick code (tests; never cached)
};

struct JitOptions {
  std::string cache_directory;  // empty: no cache
  JitTiers tiers = JitTiers::Optimised;
};

// What compiling did, for tests, `--emit=llvm` and the benchmark.
struct CompileReport {
  bool loaded_from_cache = false;  // the object came from the cache: no LLVM optimiser or code generator ran
  bool optimised = false;          // LLVM's optimiser ran
  bool cache_written = false;
  std::string cache_path;          // the entry used or written
  std::string cache_rejected;      // why an existing entry was refused and rebuilt
  std::string cache_warning;       // the cache could not be written (the compile still succeeded)
  bool quick = false;               // the code linked is the quick tier (the optimised one may follow)
  double generate_milliseconds = 0, optimise_milliseconds = 0, codegen_milliseconds = 0, link_milliseconds = 0;
  std::string error;               // the optimised tier compiled behind the quick one failed (the quick code stays)
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

  // Whether the entry points above are the optimised tier's.
  bool Optimised() const;
  // Waits for the optimised tier compiled behind the quick one (returns at
  // once when there is none) and returns what compiling it did; the entry
  // points are then the optimised ones unless its `error` is set.
  CompileReport WaitUntilOptimised() const;

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
