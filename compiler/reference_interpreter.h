// The reference interpreter: docs/semantics.md as a day-by-day walk from
// the first issue date to the horizon, kept as the executable specification
// and the oracle the engines are tested against (tests/unit,
// tools/testgen). Nothing outside tests and benchmarks calls it: Interpret()
// (compiler/interpreter.h) runs an engine and gives the same result.
#pragma once

#include "compiler/interpreter.h"

namespace recoup::compiler {

// Same contract as Interpret(); slow (every day, strings built eagerly).
InterpretResult ReferenceInterpret(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options);

}  // namespace recoup::compiler
