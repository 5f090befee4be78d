// How the parser words its errors: where the caret goes and what it says
// was found there.
#include <cctype>

#include <fmt/format.h>

#include "language/parse_control.h"
#include "language/parse_words.h"

namespace recoup::language {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Skips spaces and tabs, never a line break: an error about a missing part
// points at the next word only when it is on the same line.
const char* SkipBlanks(const char* position, const char* end) {
  while (position < end && IsBlank(*position)) ++position;
  return position;
}

// The length of the token starting at `position` as a person would see it.
std::size_t TokenLength(const char* position, const char* end) {
  if (std::size_t length = IdentifierLength(position, end)) return length;
  const char* cursor = position;
  if (*cursor >= '0' && *cursor <= '9') {
    while (cursor < end && ((*cursor >= '0' && *cursor <= '9') || *cursor == '.' || *cursor == '-')) ++cursor;
    return static_cast<std::size_t>(cursor - position);
  }
  if (*cursor == '"') {
    ++cursor;
    while (cursor < end && *cursor != '"' && *cursor != '\n' && *cursor != '\r') ++cursor;
    if (cursor < end && *cursor == '"') ++cursor;
    return static_cast<std::size_t>(cursor - position);
  }
  // One UTF-8 character.
  ++cursor;
  while (cursor < end && (static_cast<unsigned char>(*cursor) & 0xC0) == 0x80) ++cursor;
  return static_cast<std::size_t>(cursor - position);
}

// Where the last token before `position` ends. A required rule that fails
// may already have consumed the layout in front of it; an error about it
// belongs right after what was written, not on the next line.
const char* PreviousTokenEnd(const char* file_begin, const char* position) {
  if (position < file_begin) return position;
  for (;;) {
    while (position > file_begin && (IsBlank(position[-1]) || position[-1] == '\n' || position[-1] == '\r')) {
      --position;
    }
    const char* line_begin = position;
    while (line_begin > file_begin && line_begin[-1] != '\n') --line_begin;
    const char* comment = nullptr;
    bool in_text = false;
    for (const char* cursor = line_begin; cursor < position; ++cursor) {
      if (in_text && *cursor == '\\') {
        ++cursor;
      } else if (*cursor == '"') {
        in_text = !in_text;
      } else if (!in_text && *cursor == '#') {
        comment = cursor;
        break;
      }
    }
    if (comment == nullptr) return position;
    position = comment;
  }
}

}  // namespace

void RaiseMissing(const ParseState& state, const char* position, const char* end, std::string message) {
  position = PreviousTokenEnd(state.statement_begin, position);
  const char* next = SkipBlanks(position, end);
  if (next == end) {
    std::uint32_t offset = state.Offset(position);
    message += ", but the file ends there";
    state.Fail(DiagnosticKind::SyntaxError, state.Range(offset, offset), std::move(message));
  }
  if (*next == '\n' || *next == '\r' || *next == '#') {
    std::uint32_t offset = state.Offset(position);
    state.Fail(DiagnosticKind::SyntaxError, state.Range(offset, offset), std::move(message));
  }
  std::size_t length = TokenLength(next, end);
  std::string_view found(next, length);
  constexpr std::size_t kShown = 40;
  if (found.size() > kShown) {
    message += fmt::format(", but found `{}...`", found.substr(0, kShown));
  } else {
    message += fmt::format(", but found `{}`", found);
  }
  std::uint32_t begin = state.Offset(next);
  state.Fail(DiagnosticKind::SyntaxError, state.Range(begin, begin + static_cast<std::uint32_t>(length)),
             std::move(message));
}

void RaiseTooDeep(const ParseState& state, const char* position, const char* end) {
  // A level starts just after its opening bracket or word: point at that.
  const char* opener = position;
  while (opener > state.base && (std::isalnum(static_cast<unsigned char>(opener[-1])) || opener[-1] == '_')) --opener;
  if (opener == position && opener > state.base) --opener;
  state.Fail(DiagnosticKind::NestingTooDeep, state.Range(state.Offset(opener), state.Offset(position)),
             fmt::format("this is nested more than {} levels deep (parentheses, lists, `not`, `-` or "
                         "`end of month of` inside each other); write it more simply or split it into constants",
                         kMaxNestingDepth));
}

void RaiseUnterminatedText(const ParseState& state, const char* end) {
  std::uint32_t begin = state.scratch.text_open;
  const char* cursor = state.base + begin;
  while (cursor < end && *cursor != '\n' && *cursor != '\r') ++cursor;
  state.Fail(DiagnosticKind::UnterminatedText, state.Range(begin, state.Offset(cursor)),
             "this text has no closing `\"`; a quoted text must end on the line where it starts");
}

void RaiseUnknownEscape(const ParseState& state, const char* position, const char* end) {
  std::uint32_t begin = state.Offset(position) - 1;  // the backslash
  if (position == end || *position == '\n' || *position == '\r') {
    state.Fail(DiagnosticKind::SyntaxError, state.Range(begin, begin + 1),
               "a `\\` at the end of a text must be written `\\\\`");
  }
  std::size_t length = TokenLength(position, end) > 0 ? 1 : 0;
  while (position + length < end && (static_cast<unsigned char>(position[length]) & 0xC0) == 0x80) ++length;
  state.Fail(DiagnosticKind::SyntaxError,
             state.Range(begin, begin + 1 + static_cast<std::uint32_t>(length)),
             fmt::format("unknown escape `\\{}` in a text; the escapes are \\\" \\\\ \\n and \\t",
                         std::string_view(position, length)));
}

namespace grammar {

std::string CloseMessage(const ParseState& state, const char* what) {
  const char* open = what[0] == ']' ? "[" : "(";
  std::uint32_t offset = 0;
  if (what[0] == ']') {
    if (state.scratch.list_marks.empty()) return fmt::format("expected `{}`", what);
    offset = state.scratch.list_marks.back().second;
  } else {
    if (state.scratch.open_parens.empty()) return fmt::format("expected `{}`", what);
    offset = state.scratch.open_parens.back();
  }
  return fmt::format("expected `{}` to close the `{}` opened at line {}", what, open, state.Line(offset));
}

std::string OperandMessage(const ParseState& state) {
  if (state.scratch.operators.empty()) return "expected a value";
  return fmt::format("expected a value after `{}`", BinaryOperatorSpelling(state.scratch.operators.back()));
}

}  // namespace grammar
}  // namespace recoup::language
