// Lowering Policy IR expressions (guards, stop conditions, `applies to`)
// to LLVM IR functions of the RecoupBoolExpression signature. Money is i64
// minor units with llvm.s*.with.overflow checks that return a status,
// dates and durations are i32 day counts, decimals go through the runtime
// helpers, text is (pointer, length). Internal to compiler/jit/.
#pragma once

#include <string>

#include "compiler/policy_ir.h"

namespace llvm {
class Function;
class Module;
}  // namespace llvm

namespace recoup::compiler::jit {

// The symbol names compiled expressions get; the session looks them up.
std::string GuardFunctionName(StepId step);
std::string StopFunctionName(std::uint32_t stop);
std::string AppliesToFunctionName();

// Adds `define i32 @name(ptr inputs, ptr result)` computing `expression`
// (of type Bool) to `module`. The module must carry the target's data layout.
llvm::Function* EmitBoolExpression(const PolicyIr& policy, ExpressionId expression, const std::string& name,
                                   llvm::Module& module);

// Adds every guard, stop condition and `applies to` of `policy`.
void EmitPolicyExpressions(const PolicyIr& policy, llvm::Module& module);

}  // namespace recoup::compiler::jit
