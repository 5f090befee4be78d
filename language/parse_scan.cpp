#include "language/parse_scan.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "language/grammar_expressions.h"
#include "language/parse_words.h"

namespace recoup::language {
namespace {

constexpr std::array<std::string_view, 18> kTopLevelWords = {
    "after",  "applies", "at",   "attribute", "calendar", "const",  "costs",    "currency", "every",
    "import", "pause",   "policy", "stop",    "subject",  "template", "test",   "use",      "version",
};
constexpr std::array<std::string_view, 7> kTestWords = {"customer", "dispute", "expect", "horizon",
                                                        "invoice",  "payment", "promise"};
constexpr std::array<std::string_view, 2> kCalendarWords = {"holiday", "weekend"};
constexpr std::array<std::string_view, 13> kCostWords = {"agency", "call",   "email",   "fee",     "hold",
                                                         "interest", "legal", "letter", "notice", "release",
                                                         "resume", "sms",    "suspend"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::uint32_t NextLineStart(std::string_view text, std::uint32_t offset) {
  std::size_t newline = text.find('\n', offset);
  return newline == std::string_view::npos ? static_cast<std::uint32_t>(text.size())
                                           : static_cast<std::uint32_t>(newline + 1);
}

// `word` followed by layout and `:`, as a label starts a step.
bool StartsLabel(std::string_view text, std::uint32_t offset, std::size_t word_length) {
  std::size_t cursor = offset + word_length;
  while (cursor < text.size() && IsBlank(text[cursor])) ++cursor;
  return cursor < text.size() && text[cursor] == ':';
}

bool StartsRelativeTrigger(std::string_view text, std::uint32_t offset) {
  namespace pegtl = tao::pegtl;
  std::uint32_t line_end = NextLineStart(text, offset);
  pegtl::memory_input<pegtl::tracking_mode::lazy> line(text.data() + offset, text.data() + line_end, "");
  try {
    return pegtl::parse<grammar::relative_start>(line);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

// Whether a line starting at `offset` (after its blanks) begins something
// that can follow inside `block`.
bool StartsStatement(std::string_view text, std::uint32_t offset, BlockKind block) {
  if (offset >= text.size()) return false;
  if (block != BlockKind::None && text[offset] == '}') return true;
  if (StartsTopLevelStatement(text, offset)) return true;
  std::size_t length = IdentifierLength(text.data() + offset, text.data() + text.size());
  std::string_view word = text.substr(offset, length);
  switch (block) {
    case BlockKind::Test: return Contains(kTestWords, word);
    case BlockKind::Calendar: return Contains(kCalendarWords, word);
    case BlockKind::CostTable:
    case BlockKind::HeaderCosts: return Contains(kCostWords, word) || word == "task" || word == "write";
    case BlockKind::None:
    case BlockKind::Template: return false;
  }
  return false;
}

// Length of the valid UTF-8 sequence at `i`, 0 when it is not one.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::optional<EncodingProblem> FindEncodingProblem(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      bool control = (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
      if (control) {
        return EncodingProblem{static_cast<std::uint32_t>(i),
                               byte == 0 ? std::string("the file contains a NUL byte, so it is not a text file")
                                         : fmt::format("the file contains the control character 0x{:02X}, so it "
                                                       "is not a policy text file",
                                                       byte)};
      }
      ++i;
      continue;
    }
    std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      return EncodingProblem{static_cast<std::uint32_t>(i),
                             fmt::format("the byte 0x{:02X} here is not valid UTF-8; save the file as UTF-8 text",
                                         byte)};
    }
    i += length;
  }
  return std::nullopt;
}

std::uint32_t SkipLayout(std::string_view text, std::uint32_t offset) {
  while (offset < text.size()) {
    char c = text[offset];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++offset;
    } else if (c == '#') {
      std::size_t newline = text.find('\n', offset);
      offset = newline == std::string_view::npos ? static_cast<std::uint32_t>(text.size())
                                                 : static_cast<std::uint32_t>(newline);
    } else {
      break;
    }
  }
  return offset;
}

bool StartsTopLevelStatement(std::string_view text, std::uint32_t offset) {
  if (offset >= text.size()) return false;
  std::size_t length = IdentifierLength(text.data() + offset, text.data() + text.size());
  if (length > 0) {
    std::string_view word = text.substr(offset, length);
    return Contains(kTopLevelWords, word) || StartsLabel(text, offset, length);
  }
  return text[offset] >= '0' && text[offset] <= '9' && StartsRelativeTrigger(text, offset);
}

std::string NameDefinedAt(std::string_view text, std::uint32_t offset) {
  auto word_at = [&](std::uint32_t at) {
    return text.substr(at, IdentifierLength(text.data() + at, text.data() + text.size()));
  };
  std::string_view first = word_at(offset);
  if (first.empty()) return "";
  // The word after `first` and one or more blanks.
  auto next_word = [&](std::uint32_t after) -> std::pair<std::string_view, std::uint32_t> {
    std::uint32_t at = after;
    while (at < text.size() && IsBlank(text[at])) ++at;
    if (at == after) return {{}, at};
    return {word_at(at), at};
  };
  auto end_of_first = offset + static_cast<std::uint32_t>(first.size());
  std::string_view name;
  std::string object;  // `attribute invoice.region`: "invoice."
  if (first == "const" || first == "template") {
    name = next_word(end_of_first).first;
  } else if (first == "calendar" || first == "costs") {
    // A definition has a `{` on its first line; without one it is the header line choosing one.
    std::string_view line = text.substr(offset, NextLineStart(text, offset) - offset);
    if (line.find('{') != std::string_view::npos) name = next_word(end_of_first).first;
  } else if (first == "attribute") {
    auto [word, at] = next_word(end_of_first);
    std::uint32_t dot = at + static_cast<std::uint32_t>(word.size());
    if ((word == "invoice" || word == "customer") && dot < text.size() && text[dot] == '.') {
      object = std::string(word) + ".";
      name = word_at(dot + 1);
    }
  } else if (StartsLabel(text, offset, first.size())) {
    name = first;
  }
  if (name.empty() || (object.empty() && IsReservedWord(name))) return "";
  return object + std::string(name);
}

std::uint32_t FindResumePoint(std::string_view text, std::uint32_t error_offset, BlockKind block) {
  std::uint32_t line = NextLineStart(text, error_offset);
  while (line < text.size()) {
    std::uint32_t first = line;
    while (first < text.size() && IsBlank(text[first])) ++first;
    if (StartsStatement(text, first, block)) return line;
    line = NextLineStart(text, line);
  }
  return static_cast<std::uint32_t>(text.size());
}

std::optional<std::uint32_t> SkipBrokenBlock(std::string_view text, std::uint32_t statement_begin,
                                             std::uint32_t error_offset) {
  std::size_t length = IdentifierLength(text.data() + statement_begin, text.data() + text.size());
  std::string_view word = text.substr(statement_begin, length);
  if (word != "template" && word != "test" && word != "calendar" && word != "costs") return std::nullopt;
  std::uint32_t line_end = NextLineStart(text, error_offset);
  if (text.substr(statement_begin, line_end - statement_begin).find('{') == std::string_view::npos) {
    return std::nullopt;
  }
  // Blocks do not nest: the block ends at the first line starting with `}`.
  std::uint32_t line = line_end;
  while (line < text.size()) {
    std::uint32_t first = line;
    while (first < text.size() && IsBlank(text[first])) ++first;
    if (first < text.size() && text[first] == '}') return first + 1;
    line = NextLineStart(text, line);
  }
  return static_cast<std::uint32_t>(text.size());
}

}  // namespace recoup::language
