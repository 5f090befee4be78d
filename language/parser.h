// Parse: policy text to syntax tree. Never throws and never crashes on any
// input: PEGTL errors are caught here and turned into diagnostics.
#pragma once

#include "language/diagnostics.h"
#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::language {

// Deepest nesting of parentheses, lists and anchors the parser accepts
// before reporting E0003 (protects the stack).
inline constexpr int kMaxNestingDepth = 256;

// Parses one file. On a syntax error the tree holds what was parsed before
// it (possibly nothing) and the error is in `diagnostics`; the parser then
// resynchronises at the next statement keyword so later errors are reported
// too.
SyntaxTree Parse(const SourceFile& file, FileId id, DiagnosticList& diagnostics);

}  // namespace recoup::language
