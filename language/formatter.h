// `recoup fmt`: the canonical layout of a policy or library file, as
// docs/language.md ("Canonical layout") describes it. Only the layout
// changes: every token is copied as written, in the same order, and every
// comment is kept; one statement a line, blocks indented four spaces, one
// space between words, none inside brackets or before `,` `:` `%`; a line
// break written inside a statement is kept (the continuation indented four
// more), blank lines collapse to one.
#pragma once

#include <optional>
#include <string>

#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::language {

// The formatted text of `file`, whose syntax tree `tree` was parsed without
// errors. Nothing, with `problem` saying why, when the tree does not match
// the text (an internal error: a file that parsed always formats).
std::optional<std::string> FormatPolicyText(const SourceFile& file, const SyntaxTree& tree, std::string& problem);

}  // namespace recoup::language
