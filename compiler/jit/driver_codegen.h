// Lowering the engine's per-subject driver (compiler/engine_driver.cpp:
// the wake-day loop, stop rules, every step's state machine, the report of
// what never fired) to LLVM IR specialised to one policy: the loops over
// steps, stop rules and actions are unrolled (the report of what never
// fired, explain only, loops over a table), each step's trigger (kind,
// period, `max`, `until`) and guard are constants, and everything generic
// (money, anchors, pauses, the trace) is a call to the runtime services of
// compiler/engine_abi.h. Internal to compiler/jit/.
#pragma once

#include <optional>
#include <string>

#include "compiler/policy_ir.h"

namespace llvm {
class Module;
}

namespace recoup::compiler::jit {

// The generated entry point: `void recoup_drive(RunState* run)`, run after
// EngineWorkspace::PrepareRun.
inline constexpr const char* kDriveFunctionName = "recoup_drive";

// Adds recoup_drive and its per-step functions to `module`; a plain
// sentence when something about the host's ABI layout is unexpected.
std::optional<std::string> EmitDriver(const PolicyIr& policy, llvm::Module& module);

}  // namespace recoup::compiler::jit
