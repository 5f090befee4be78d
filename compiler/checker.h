// Check: the loaded program (syntax trees) to the typed Policy IR. Resolves
// names across imports, checks types and units, folds constants, expands
// templates, resolves labels and analyses the steps. Every problem goes to
// `diagnostics`; the checker never stops at the first one.
#pragma once

#include <optional>

#include "compiler/policy_ir.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/source.h"

namespace recoup::compiler {

// The IR, or nothing when the program has errors. A main file without a
// `policy` line is a library: its definitions are checked and the result
// is a PolicyIr with `is_library` set.
using CheckResult = std::optional<PolicyIr>;

CheckResult Check(const Program& program, const language::SourceSet& sources,
                  language::DiagnosticList& diagnostics);

}  // namespace recoup::compiler
