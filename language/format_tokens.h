// The formatter's view of a policy file: its tokens and comments in source
// order, each with the number of line breaks written before it. The layout
// is all the formatter changes, so it reads the text again as tokens whose
// spelling it copies unchanged; the grammar decides nothing here, the syntax
// tree (statement spans, comments, negations) does.
//
// Internal to the formatter: included by formatter.cpp and its tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "language/syntax_tree.h"

namespace recoup::language {

enum class LayoutTokenKind : std::uint8_t {
  Word,     // a keyword or name: `at`, `final`, `USD`, `days`
  Number,   // `30`, `12.50`, and a number with its glued unit: `7d`, `5bd`, `2w`
  Date,     // `2026-01-31`
  Text,     // `"final-notice"`, quotes and escapes as written
  Symbol,   // punctuation and operators: `:` `,` `(` `==` `-` ...
  Comment,  // `# ...` to the end of the line, trailing blanks removed
};

struct LayoutToken {
  LayoutTokenKind kind = LayoutTokenKind::Word;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string_view text;
  int breaks_before = 0;       // line breaks in the layout between the previous token and this one
  bool negation = false;       // Symbol `-` that negates (`-5`), not subtracts
};

// The tokens of `text` after its byte order mark. Comments must be the ones
// the parser recorded in `tree` and every `-` that negates must be marked
// there; nothing (and `problem` says why) when the text holds something the
// tokenizer does not know, which a file that parsed cannot.
std::optional<std::vector<LayoutToken>> ScanLayoutTokens(std::string_view text, const SyntaxTree& tree,
                                                         std::string& problem);

}  // namespace recoup::language
