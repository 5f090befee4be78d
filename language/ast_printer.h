// `recoup check --emit=ast`: a readable, deterministic dump of the syntax
// tree for debugging and golden tests.
#pragma once

#include <string>

#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::language {

// An indented tree, one node a line, with each node's line:column.
std::string PrintSyntaxTree(const SyntaxTree& tree, const SourceFile& file);

}  // namespace recoup::language
