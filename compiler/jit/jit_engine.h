// The JIT engine: a PolicyEngine (compiler/engine.h) whose per-subject
// driver is native code generated for one policy (driver_codegen.h),
// calling the same runtime services as the interpreter engine, so both
// produce the same Trace and Interpret() renders either.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/engine.h"
#include "compiler/jit/compiled_policy.h"
#include "compiler/policy_ir.h"

namespace recoup::compiler::jit {

struct JitEngineResult {
  std::unique_ptr<PolicyEngine> engine;  // null on failure
  std::optional<std::string> error;      // a plain sentence
  CompileReport report;
  const CompiledPolicy* compiled = nullptr;  // the engine's code (lives as long as `engine`)
};

// Compiles `policy` (which must outlive the engine) to a native engine.
JitEngineResult MakeJitEngine(const PolicyIr& policy, const JitOptions& options);

}  // namespace recoup::compiler::jit
