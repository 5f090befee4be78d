// Turning an engine's Trace into the InterpretResult people and tests read:
// the one place where a run's strings are formatted (dates, amounts, the
// reasons and details of docs/semantics.md section 15, error messages).
#pragma once

#include <string>

#include "compiler/engine_abi.h"
#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"

namespace recoup::compiler {

InterpretResult RenderTrace(const PolicyIr& policy, const abi::SubjectView& subject, const abi::Trace& trace);

// The run's error as the reference interpreter words it.
std::string RenderError(const PolicyIr& policy, const abi::SubjectView& subject, const abi::ErrorTrace& error);

// What failed in the conservation check (empty when nothing did).
std::string RenderConservation(const PolicyIr& policy, const abi::SubjectView& subject, const abi::Trace& trace);

}  // namespace recoup::compiler
