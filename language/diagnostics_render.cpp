// Rendering diagnostics for people (text with source line and caret) and
// for machines (JSON).
#include <fmt/format.h>

#include <algorithm>

#include "language/diagnostics.h"

namespace recoup::language {
namespace {

constexpr std::uint32_t kTabWidth = 4;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// One decoded UTF-8 sequence: the code point and its length in bytes, or
// `valid == false` and length 1 for a byte that starts no valid sequence
// (overlong forms, surrogates and values above U+10FFFF are invalid).
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
  bool valid = false;
};

CodePoint DecodeUtf8(std::string_view text, std::size_t position) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(position);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  char32_t value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {};
  }
  if (position + length > text.size()) return {};
  for (std::size_t i = 1; i < length; ++i) {
    unsigned char next = byte(position + i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return {};
    value = (value << 6) | (next & 0x3F);
  }
  return {value, length, true};
}

// Characters most terminals draw two columns wide (CJK, Hangul, emoji).
bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// A source line as displayed: tabs expanded to the next multiple of four
// columns, invalid bytes and control characters shown as U+FFFD, and the
// display column where each byte of the original line starts.
struct DisplayLine {
  std::string text;
  std::vector<std::uint32_t> column_of_byte;  // size = line bytes + 1 (the end)
};

DisplayLine Expand(std::string_view line) {
  DisplayLine display;
  display.column_of_byte.assign(line.size() + 1, 0);
  std::uint32_t column = 0;
  for (std::size_t position = 0; position < line.size();) {
    CodePoint code_point = DecodeUtf8(line, position);
    for (std::size_t i = 0; i < code_point.length; ++i) display.column_of_byte[position + i] = column;
    if (code_point.valid && code_point.value == '\t') {
      std::uint32_t next_stop = (column / kTabWidth + 1) * kTabWidth;
      display.text.append(next_stop - column, ' ');
      column = next_stop;
    } else if (!code_point.valid || code_point.value < 0x20 || code_point.value == 0x7F) {
      display.text.append(kReplacement);
      column += 1;
    } else {
      display.text.append(line.substr(position, code_point.length));
      column += IsWide(code_point.value) ? 2 : 1;
    }
    position += code_point.length;
  }
  display.column_of_byte[line.size()] = column;
  return display;
}

std::string_view SeverityName(Severity severity) {
  return severity == Severity::Error ? "error" : "warning";
}

std::uint32_t DigitCount(std::uint32_t value) {
  std::uint32_t digits = 1;
  while (value >= 10) value /= 10, ++digits;
  return digits;
}

void TrimTrailingSpaces(std::string& text) {
  while (!text.empty() && text.back() == ' ') text.pop_back();
}

bool Known(const SourceSet& sources, SourceRange range) { return range.file < sources.size(); }

// `path:line:col: ` for a range, or `<unknown>: ` when its file is not in the set.
std::string LocationPrefix(const SourceSet& sources, SourceRange range) {
  if (!Known(sources, range)) return "<unknown>: ";
  const SourceFile& file = sources.Get(range.file);
  LineColumn where = file.Locate(range.begin);
  return fmt::format("{}:{}:{}: ", file.path(), where.line, where.column);
}

// The source line holding the start of the range, then carets under the
// range (to the end of that line when the range goes on past it).
void AppendSnippet(std::string& out, const SourceSet& sources, SourceRange range, std::uint32_t gutter) {
  if (!Known(sources, range)) return;
  const SourceFile& file = sources.Get(range.file);
  std::uint32_t line_number = file.Locate(range.begin).line;
  std::string_view line = file.Line(line_number);
  std::size_t line_begin = static_cast<std::size_t>(line.data() - file.text().data());
  std::size_t begin = std::clamp<std::size_t>(range.begin, line_begin, line_begin + line.size()) - line_begin;
  std::size_t end = std::clamp<std::size_t>(std::max(range.end, range.begin), line_begin, line_begin + line.size()) -
                    line_begin;
  DisplayLine display = Expand(line);
  std::uint32_t first = display.column_of_byte[begin];
  std::uint32_t last = display.column_of_byte[end];
  std::uint32_t width = last > first ? last - first : 1;

  std::string source_line = fmt::format("   {:>{}} | {}", line_number, gutter, display.text);
  std::string caret_line = fmt::format("   {:>{}} | {}{}", "", gutter, std::string(first, ' '), std::string(width, '^'));
  TrimTrailingSpaces(source_line);
  out += source_line;
  out += '\n';
  out += caret_line;
  out += '\n';
}

std::uint32_t LineOf(const SourceSet& sources, SourceRange range) {
  return Known(sources, range) ? sources.Get(range.file).Locate(range.begin).line : 0;
}

// One location as JSON members: "file", "line", "column", "end_line", "end_column".
std::string JsonLocation(const SourceSet& sources, SourceRange range) {
  if (!Known(sources, range)) {
    return R"("file": "", "line": 0, "column": 0, "end_line": 0, "end_column": 0)";
  }
  const SourceFile& file = sources.Get(range.file);
  LineColumn begin = file.Locate(range.begin);
  LineColumn end = file.Locate(std::max(range.end, range.begin));
  return fmt::format(R"("file": {}, "line": {}, "column": {}, "end_line": {}, "end_column": {})",
                     JsonQuote(file.path()), begin.line, begin.column, end.line, end.column);
}

}  // namespace

std::string RenderText(const Diagnostic& diagnostic, const SourceSet& sources) {
  const DiagnosticKindInfo& info = InfoOf(diagnostic.kind);
  std::uint32_t largest_line = LineOf(sources, diagnostic.range);
  for (const DiagnosticNote& note : diagnostic.notes) largest_line = std::max(largest_line, LineOf(sources, note.range));
  std::uint32_t gutter = DigitCount(largest_line);

  std::string out = fmt::format("{}{}[{}]: {}\n", LocationPrefix(sources, diagnostic.range),
                                SeverityName(info.severity), info.code, diagnostic.message);
  AppendSnippet(out, sources, diagnostic.range, gutter);
  for (const DiagnosticNote& note : diagnostic.notes) {
    out += fmt::format("{}note: {}\n", LocationPrefix(sources, note.range), note.message);
    AppendSnippet(out, sources, note.range, gutter);
  }
  if (!diagnostic.help.empty()) out += fmt::format("   = help: {}\n", diagnostic.help);
  return out;
}

std::string RenderJson(const std::vector<Diagnostic>& diagnostics, const SourceSet& sources) {
  if (diagnostics.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& diagnostic = diagnostics[i];
    const DiagnosticKindInfo& info = InfoOf(diagnostic.kind);
    std::string notes;
    for (std::size_t n = 0; n < diagnostic.notes.size(); ++n) {
      const DiagnosticNote& note = diagnostic.notes[n];
      notes += fmt::format("{}{{{}, \"message\": {}}}", n == 0 ? "" : ", ", JsonLocation(sources, note.range),
                           JsonQuote(note.message));
    }
    out += fmt::format(
        "  {{\"code\": {}, \"name\": {}, \"severity\": {}, {}, \"message\": {}, \"notes\": [{}], \"help\": {}}}{}\n",
        JsonQuote(info.code), JsonQuote(info.name), JsonQuote(SeverityName(info.severity)),
        JsonLocation(sources, diagnostic.range), JsonQuote(diagnostic.message), notes, JsonQuote(diagnostic.help),
        i + 1 < diagnostics.size() ? "," : "");
  }
  out += "]";
  return out;
}

std::string JsonQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t position = 0; position < text.size();) {
    CodePoint code_point = DecodeUtf8(text, position);
    if (!code_point.valid) {
      out += "\\ufffd";
    } else if (code_point.length > 1) {
      out.append(text.substr(position, code_point.length));
    } else {
      char c = text[position];
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += fmt::format("\\u{:04x}", static_cast<int>(c));
          else out += c;
      }
    }
    position += code_point.length;
  }
  out += '"';
  return out;
}

}  // namespace recoup::language
