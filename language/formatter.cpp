// The canonical layout, one token at a time: the statement spans of the
// syntax tree say where a line starts and which lines are inside a block;
// the line breaks written in the source say where a statement is wrapped and
// where blank lines group statements; comments stay where they were, full
// line or trailing, and runs of trailing comments are aligned.
#include "language/formatter.h"

#include <algorithm>

#include <fmt/format.h>

#include "language/format_tokens.h"
#include "language/parse_words.h"

namespace recoup::language {
namespace {

constexpr std::size_t kIndent = 4;

// One output line: code and its trailing comment, or a full-line comment
// (no code), or a blank line (neither).
struct OutputLine {
  std::size_t indent = 0;
  std::string code;
  std::string comment;
};

bool Is(const LayoutToken& token, std::string_view text) {
  return token.kind == LayoutTokenKind::Symbol && token.text == text;
}

// Whether a space separates `previous` and `next` on one line. A line break
// may stand wherever a space does.
bool SpaceBetween(const LayoutToken& previous, const LayoutToken& next) {
  for (std::string_view closing : {",", ":", ")", "]", "%", "."}) {
    if (Is(next, closing)) return false;
  }
  if (Is(previous, ".") || Is(previous, "(") || Is(previous, "[") || previous.negation) return false;
  if (Is(next, "(")) {
    // `fired(first)`, `use ladder(...)`, `template ladder(...)`: a call's
    // parenthesis touches its name; `at (end of month of due)` does not.
    bool called = previous.kind == LayoutTokenKind::Word &&
                  (previous.text == "fired" || !IsReservedWord(previous.text));
    return !called;
  }
  return true;
}

// Columns a line's text takes: UTF-8 code points.
std::size_t Width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

class Layout {
 public:
  Layout(const std::vector<LayoutToken>& tokens, const SyntaxTree& tree) : tokens_(tokens), tree_(tree) {}

  std::optional<std::string> Run(std::string& problem) {
    for (const LayoutToken& token : tokens_) {
      if (token.kind == LayoutTokenKind::Comment) {
        PlaceComment(token);
      } else if (!PlaceToken(token, problem)) {
        return std::nullopt;
      }
    }
    if (next_statement_ != tree_.statements.size() || in_statement_) {
      problem = "the file ends inside a statement the parser recorded";
      return std::nullopt;
    }
    AlignTrailingComments();
    return Joined();
  }

 private:
  void PlaceComment(const LayoutToken& comment) {
    bool trailing = comment.breaks_before == 0 && !lines_.empty() && !lines_.back().code.empty() &&
                    lines_.back().comment.empty();
    if (trailing) {
      lines_.back().comment = std::string(comment.text);
    } else {
      if (!in_statement_ && comment.breaks_before >= 2) BlankLine();
      std::size_t indent = in_statement_ ? statement_indent_ + kIndent : depth_ * kIndent;
      lines_.push_back(OutputLine{indent, "", std::string(comment.text)});
      after_block_open_ = false;
    }
    if (in_statement_) must_break_ = true;
  }

  bool PlaceToken(const LayoutToken& token, std::string& problem) {
    if (!in_statement_) {
      if (!StartStatement(token, problem)) return false;
    } else if (token.end > statement_.range.end) {
      problem = fmt::format("at byte {}: a token runs past the end of its statement", token.begin);
      return false;
    } else {
      Continue(token);
    }
    previous_ = token;
    if (token.end == statement_.range.end) EndStatement();
    return true;
  }

  bool StartStatement(const LayoutToken& token, std::string& problem) {
    if (next_statement_ >= tree_.statements.size() ||
        tree_.statements[next_statement_].range.begin != token.begin) {
      problem = fmt::format("at byte {}: a token outside every statement the parser recorded", token.begin);
      return false;
    }
    statement_ = tree_.statements[next_statement_++];
    in_statement_ = true;
    if (statement_.shape == StatementShape::ClosesBlock) {
      depth_ = 0;
    } else if (token.breaks_before >= 2) {
      BlankLine();
    }
    statement_indent_ = depth_ * kIndent;
    lines_.push_back(OutputLine{statement_indent_, std::string(token.text), ""});
    return true;
  }

  void Continue(const LayoutToken& token) {
    bool may_break = SpaceBetween(previous_, token);
    bool wants_break = must_break_ || pending_break_ || token.breaks_before > 0;
    if (must_break_ || (wants_break && may_break)) {
      lines_.push_back(OutputLine{statement_indent_ + kIndent, std::string(token.text), ""});
      must_break_ = false;
      pending_break_ = false;
      return;
    }
    // A break written where the tokens must touch (`total\n, fee`) moves to
    // the next place that allows one.
    pending_break_ = wants_break;
    OutputLine& line = lines_.back();
    if (may_break) line.code += ' ';
    line.code += token.text;
  }

  void EndStatement() {
    in_statement_ = false;
    must_break_ = false;
    pending_break_ = false;
    after_block_open_ = statement_.shape == StatementShape::OpensBlock;
    if (after_block_open_) depth_ = 1;
  }

  // One blank line, never at the start of the file, after a line opening a
  // block or twice in a row. (A blank before a block's `}` is never asked.)
  void BlankLine() {
    if (lines_.empty() || after_block_open_) return;
    const OutputLine& last = lines_.back();
    if (last.code.empty() && last.comment.empty()) return;
    lines_.push_back(OutputLine{});
  }

  // Consecutive lines with code and a trailing comment line their comments
  // up, two spaces after the longest code.
  void AlignTrailingComments() {
    auto has_trailing = [](const OutputLine& line) { return !line.code.empty() && !line.comment.empty(); };
    for (std::size_t first = 0; first < lines_.size();) {
      if (!has_trailing(lines_[first])) {
        ++first;
        continue;
      }
      std::size_t last = first;
      std::size_t column = 0;
      while (last < lines_.size() && has_trailing(lines_[last])) {
        column = std::max(column, lines_[last].indent + Width(lines_[last].code));
        ++last;
      }
      for (std::size_t i = first; i < last; ++i) {
        OutputLine& line = lines_[i];
        line.code.append(column - line.indent - Width(line.code) + 2, ' ');
      }
      first = last;
    }
  }

  std::string Joined() const {
    std::string out;
    for (const OutputLine& line : lines_) {
      if (!line.code.empty() || !line.comment.empty()) out.append(line.indent, ' ');
      out += line.code;
      out += line.comment;
      out += '\n';
    }
    return out;
  }

  const std::vector<LayoutToken>& tokens_;
  const SyntaxTree& tree_;
  std::vector<OutputLine> lines_;
  std::size_t next_statement_ = 0;
  StatementSpan statement_;
  bool in_statement_ = false;
  std::size_t depth_ = 0;            // 1 inside a block's braces
  std::size_t statement_indent_ = 0;
  LayoutToken previous_;
  bool must_break_ = false;          // a comment ended the line inside a statement
  bool pending_break_ = false;       // a written break not yet placed
  bool after_block_open_ = false;    // the last line opened a block
};

}  // namespace

std::optional<std::string> FormatPolicyText(const SourceFile& file, const SyntaxTree& tree, std::string& problem) {
  std::optional<std::vector<LayoutToken>> tokens = ScanLayoutTokens(file.text(), tree, problem);
  if (!tokens) return std::nullopt;
  return Layout(*tokens, tree).Run(problem);
}

}  // namespace recoup::language
