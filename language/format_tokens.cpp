#include "language/format_tokens.h"

#include <algorithm>

#include <fmt/format.h>

namespace recoup::language {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierFirst(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentifierOther(char c) { return IsIdentifierFirst(c) || IsDigit(c); }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

class Scanner {
 public:
  Scanner(std::string_view text, const SyntaxTree& tree, std::string& problem)
      : text_(text), tree_(tree), problem_(problem) {
    for (const Expression& expression : tree.expressions) {
      if (expression.kind == ExpressionKind::Unary && expression.unary_op == UnaryOperator::Negate) {
        negations_.push_back(expression.range.begin);
      }
    }
    std::sort(negations_.begin(), negations_.end());
  }

  std::optional<std::vector<LayoutToken>> Run() {
    std::size_t at = text_.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    int breaks = 0;
    while (at < text_.size()) {
      char c = text_[at];
      if (c == '\n') {
        ++breaks;
        ++at;
        continue;
      }
      if (IsBlank(c)) {
        ++at;
        continue;
      }
      std::optional<std::size_t> end = TokenEnd(at);
      if (!end) return std::nullopt;
      Push(at, *end, breaks);
      breaks = 0;
      at = *end;
    }
    if (next_comment_ != tree_.comments.size()) {
      return Fail(tree_.comments[next_comment_].range.begin, "the parser recorded a comment the formatter did not find");
    }
    return std::move(tokens_);
  }

 private:
  // Where the token starting at `at` ends, setting kind_.
  std::optional<std::size_t> TokenEnd(std::size_t at) {
    char c = text_[at];
    if (c == '#') return CommentEnd(at);
    if (c == '"') return TextEnd(at);
    if (IsDigit(c)) return NumberEnd(at);
    if (IsIdentifierFirst(c)) {
      kind_ = LayoutTokenKind::Word;
      return IdentifierEnd(at);
    }
    kind_ = LayoutTokenKind::Symbol;
    std::string_view two = text_.substr(at, 2);
    if (two == "==" || two == "!=" || two == "<=" || two == ">=") return at + 2;
    if (std::string_view(":,.()[]{}+-*/%=<>").find(c) != std::string_view::npos) return at + 1;
    Fail(at, fmt::format("the byte 0x{:02x} does not belong to any token", static_cast<unsigned char>(c)));
    return std::nullopt;
  }

  std::optional<std::size_t> CommentEnd(std::size_t at) {
    kind_ = LayoutTokenKind::Comment;
    const std::vector<Comment>& comments = tree_.comments;
    if (next_comment_ >= comments.size() || comments[next_comment_].range.begin != at) {
      Fail(at, "this comment was not recorded by the parser");
      return std::nullopt;
    }
    return comments[next_comment_++].range.end;
  }

  std::optional<std::size_t> TextEnd(std::size_t at) {
    kind_ = LayoutTokenKind::Text;
    for (std::size_t i = at + 1; i < text_.size(); ++i) {
      if (text_[i] == '\\') {
        ++i;
      } else if (text_[i] == '"') {
        return i + 1;
      } else if (text_[i] == '\n') {
        break;
      }
    }
    Fail(at, "a text is not closed on its line");
    return std::nullopt;
  }

  // `2026-01-31`; a number with its decimals; `7d`, `5bd`, `2w` glued. Any
  // other word right after a number (`12USD`, `7days`) is a token of its own.
  std::size_t NumberEnd(std::size_t at) {
    std::size_t end = at;
    while (end < text_.size() && IsDigit(text_[end])) ++end;
    if (end - at == 4 && IsDateAt(at)) {
      kind_ = LayoutTokenKind::Date;
      return at + 10;
    }
    kind_ = LayoutTokenKind::Number;
    if (end + 1 < text_.size() && text_[end] == '.' && IsDigit(text_[end + 1])) {
      ++end;
      while (end < text_.size() && IsDigit(text_[end])) ++end;
    }
    if (end < text_.size() && IsIdentifierFirst(text_[end])) {
      std::size_t word_end = IdentifierEnd(end);
      std::string_view unit = text_.substr(end, word_end - end);
      if (unit == "d" || unit == "bd" || unit == "w") return word_end;
    }
    return end;
  }

  bool IsDateAt(std::size_t at) const {
    if (at + 10 > text_.size()) return false;
    std::string_view date = text_.substr(at, 10);
    for (std::size_t i = 0; i < date.size(); ++i) {
      bool dash = i == 4 || i == 7;
      if (dash ? date[i] != '-' : !IsDigit(date[i])) return false;
    }
    return at + 10 == text_.size() || !IsIdentifierOther(text_[at + 10]);
  }

  std::size_t IdentifierEnd(std::size_t at) const {
    while (at < text_.size() && IsIdentifierOther(text_[at])) ++at;
    return at;
  }

  void Push(std::size_t begin, std::size_t end, int breaks) {
    LayoutToken token;
    token.kind = kind_;
    token.begin = static_cast<std::uint32_t>(begin);
    token.end = static_cast<std::uint32_t>(end);
    token.text = text_.substr(begin, end - begin);
    if (kind_ == LayoutTokenKind::Comment) {
      while (!token.text.empty() && IsBlank(token.text.back())) token.text.remove_suffix(1);
    }
    token.breaks_before = breaks;
    token.negation = token.text == "-" && std::binary_search(negations_.begin(), negations_.end(), token.begin);
    tokens_.push_back(token);
  }

  std::nullopt_t Fail(std::size_t at, std::string what) {
    if (problem_.empty()) problem_ = fmt::format("at byte {}: {}", at, what);
    return std::nullopt;
  }

  std::string_view text_;
  const SyntaxTree& tree_;
  std::string& problem_;
  std::vector<std::uint32_t> negations_;
  std::vector<LayoutToken> tokens_;
  std::size_t next_comment_ = 0;
  LayoutTokenKind kind_ = LayoutTokenKind::Word;
};

}  // namespace

std::optional<std::vector<LayoutToken>> ScanLayoutTokens(std::string_view text, const SyntaxTree& tree,
                                                         std::string& problem) {
  return Scanner(text, tree, problem).Run();
}

}  // namespace recoup::language
