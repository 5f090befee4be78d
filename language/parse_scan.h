// Scans of the raw text that happen outside the grammar: the encoding check
// before parsing, and finding where to resume after a syntax error.
// Internal to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "language/parse_state.h"

namespace recoup::language {

// The first byte that makes the text unreadable as a policy file (invalid
// UTF-8, a NUL or another control character), and why.
struct EncodingProblem {
  std::uint32_t offset = 0;
  std::string reason;
};
std::optional<EncodingProblem> FindEncodingProblem(std::string_view text);

// Offset just past spaces, tabs, line breaks and comments from `offset`.
std::uint32_t SkipLayout(std::string_view text, std::uint32_t offset);

// Where to resume after a syntax error at `error_offset`: the start of the
// next line that begins a statement which may appear in `block` (or `}` to
// close it), or the end of the text.
std::uint32_t FindResumePoint(std::string_view text, std::uint32_t error_offset, BlockKind block);

// After an error in the head of a block (`template x(...) {`): the offset
// just past the line that closes the block, so its contents are skipped
// rather than misread as top-level statements. Nothing when the head had
// no `{` up to the end of the error's line.
std::optional<std::uint32_t> SkipBrokenBlock(std::string_view text, std::uint32_t statement_begin,
                                             std::uint32_t error_offset);

// The name a statement starting at `offset` defines, read from its first
// words whether or not the rest parses: `const NAME`, `template NAME`,
// `calendar NAME {`, `costs NAME {`, a step's `NAME:` label, or
// `attribute invoice.NAME` (as "invoice.NAME"). Empty for any other
// statement, or a reserved word.
std::string NameDefinedAt(std::string_view text, std::uint32_t offset);

// True when a statement of the top level starts at `offset` (a keyword such
// as `policy` or `at`, a `label:`, or `7 days before ...`).
bool StartsTopLevelStatement(std::string_view text, std::uint32_t offset);

}  // namespace recoup::language
