// `recoup check --emit=ast`: a readable, deterministic dump of the syntax
// tree for debugging and golden tests.
#pragma once

#include <string>

#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::language {

// Whether each node shows its line:column. Hidden, two files that differ
// only in layout print the same (what `recoup fmt` verifies).
enum class TreePositions : bool { Hidden, Shown };

// An indented tree, one node a line, with each node's line:column.
std::string PrintSyntaxTree(const SyntaxTree& tree, const SourceFile& file,
                            TreePositions positions = TreePositions::Shown);

}  // namespace recoup::language
