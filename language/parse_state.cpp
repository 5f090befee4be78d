#include "language/parse_state.h"

#include <algorithm>

#include <fmt/format.h>

namespace recoup::language {

SourceRange ParseState::TokenRange(const char* begin, const char* end) const {
  while (begin < end) {
    char c = *begin;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++begin;
    } else if (c == '#') {
      while (begin < end && *begin != '\n') ++begin;
    } else {
      break;
    }
  }
  return Range(Offset(begin), Offset(end));
}

void ParseState::RecordComment(std::uint32_t begin, std::uint32_t end) {
  if (end > begin && base[end - 1] == '\r') --end;  // a CRLF line's comment ends before its CR
  std::vector<Comment>& comments = tree->comments;
  auto at = std::lower_bound(comments.begin(), comments.end(), begin,
                             [](const Comment& comment, std::uint32_t offset) { return comment.range.begin < offset; });
  if (at != comments.end() && at->range.begin == begin) return;
  comments.insert(at, Comment{Range(begin, end), std::string(base + begin, end - begin)});
}

Body& ParseState::CurrentBody() {
  if (block == BlockKind::Template) return tree->templates.back().body;
  return tree->body;
}

ExpressionId ParseState::AddExpression(Expression expression, int depth) {
  if (depth > kMaxExpressionDepth) {
    Fail(DiagnosticKind::NestingTooDeep, expression.range,
         fmt::format("this expression is too long: it has more than {} operations inside each other; "
                     "split it into constants",
                     kMaxExpressionDepth));
  }
  auto id = static_cast<ExpressionId>(tree->expressions.size());
  tree->expressions.push_back(std::move(expression));
  expression_depth.push_back(static_cast<std::uint16_t>(depth));
  scratch.values.push_back(id);
  return id;
}

ExpressionId ParseState::PopValue() {
  ExpressionId id = scratch.values.back();
  scratch.values.pop_back();
  return id;
}

AnchorId ParseState::AddAnchor(Anchor anchor) {
  auto id = static_cast<AnchorId>(tree->anchors.size());
  tree->anchors.push_back(std::move(anchor));
  scratch.anchors.push_back(id);
  return id;
}

AnchorId ParseState::PopAnchor() {
  AnchorId id = scratch.anchors.back();
  scratch.anchors.pop_back();
  return id;
}

Name ParseState::PopName() {
  Name name = std::move(scratch.names.back());
  scratch.names.pop_back();
  return name;
}

void ParseState::ReduceBinary(BinaryOperator op) {
  ExpressionId right = PopValue();
  ExpressionId left = PopValue();
  Expression node;
  node.kind = ExpressionKind::Binary;
  node.binary_op = op;
  node.range = Range(tree->expressions[left].range.begin, tree->expressions[right].range.end);
  node.operands = {left, right};
  int depth = 1 + std::max(expression_depth[left], expression_depth[right]);
  AddExpression(std::move(node), depth);
}

void ParseState::ReduceUnary(ExpressionKind kind, UnaryOperator op, std::uint32_t begin, std::uint32_t end) {
  ExpressionId operand = PopValue();
  Expression node;
  node.kind = kind;
  node.unary_op = op;
  node.range = Range(begin, end);
  node.operands = {operand};
  AddExpression(std::move(node), 1 + expression_depth[operand]);
}

void ParseState::Fail(DiagnosticKind kind, SourceRange range, std::string message) const {
  throw ParseProblem{kind, range.begin, range.end, std::move(message)};
}

}  // namespace recoup::language
