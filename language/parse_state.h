// What the grammar's actions build with while one file is parsed: the tree,
// the stacks of half-built expressions and anchors, and the scratch values
// of the statement being read. Internal to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "language/diagnostics.h"
#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::language {

// Expression trees deeper than this (long chains such as `1 + 1 + ... + 1`)
// are refused with E0003, so that later phases may walk them recursively.
inline constexpr int kMaxExpressionDepth = 1024;

// A problem found while parsing one statement. Thrown by the grammar's
// control and actions, caught by the parser loop, never seen outside it.
struct ParseProblem {
  DiagnosticKind kind = DiagnosticKind::SyntaxError;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string message;
};

// The `{ ... }` block the parser is inside, if any.
enum class BlockKind : std::uint8_t { None, Template, Test, Calendar, CostTable, HeaderCosts };

// Values collected while one statement is read; cleared before the next.
struct StatementScratch {
  std::vector<ExpressionId> values;
  std::vector<BinaryOperator> operators;
  std::vector<std::pair<std::size_t, std::uint32_t>> list_marks;  // values size, `[` offset
  std::vector<std::uint32_t> open_parens;                          // offsets of unclosed `(`
  std::vector<AnchorId> anchors;
  std::vector<Name> names;
  int depth = 0;
  std::uint32_t text_open = 0;

  // The number literal being read.
  Decimal number;
  std::uint32_t number_begin = 0;
  std::uint32_t number_end = 0;
  ExpressionKind number_kind = ExpressionKind::Number;
  DurationUnit unit = DurationUnit::Days;
  std::string currency;

  std::string text;            // the last quoted text, decoded
  SourceRange text_range;
  DateLiteral date;            // the last date
  SourceRange date_range;
  bool offset_negative = false;
  bool relative_negative = false;

  std::optional<Name> label;
  Trigger trigger;
  std::vector<Action> actions;
  Action action;
  std::size_t action_mark = 0;
  ActionKind word_kind = ActionKind::Email;
  GuardKind guard_kind = GuardKind::None;
  ExpressionId guard = kNone;

  TypeName type = TypeName::Number;
  SourceRange type_range;
  std::vector<Parameter> parameters;
  std::vector<TemplateArgument> arguments;
  FieldObject object = FieldObject::Invoice;
  SubjectKind subject = SubjectKind::Invoice;
  bool continue_after_agency = false;
  std::vector<OwedPartName> settlement;
  std::vector<SourceRange> settlement_ranges;
  bool opened_block = false;
  std::uint32_t block_open = 0;
  PauseReason pause_reason = PauseReason::Dispute;
  ExpressionId pause_grace = kNone;
  std::optional<PauseRule> pause_rule;
  bool when_paid = false;
  std::optional<Name> alias;
  std::string holiday_description;
  std::vector<Weekday> weekdays;
  std::vector<SourceRange> weekday_ranges;

  // Test lines.
  std::string invoice_id;
  std::string event_invoice;
  DateLiteral first_date;
  DateLiteral second_date;
  bool has_second_date = false;
  std::vector<FieldValue> fields;
  TestDate test_date;
  ExpressionId expect_argument = kNone;
};

// Everything the actions see: the file, the tree being built, the block
// being filled, and the current statement's scratch.
struct ParseState {
  ParseState(const SourceFile& source, FileId id, SyntaxTree& syntax_tree)
      : file(&source), file_id(id), base(source.text().data()), tree(&syntax_tree) {}

  const SourceFile* file;
  FileId file_id;
  const char* base;
  SyntaxTree* tree;
  std::vector<std::uint16_t> expression_depth;  // parallel to tree->expressions

  BlockKind block = BlockKind::None;
  std::uint32_t block_open = 0;  // offset of the block's `{`
  std::string block_description;  // "the template `ladder`", for messages

  const char* statement_begin = nullptr;  // errors never point before it
  StatementScratch scratch;

  std::uint32_t Offset(const char* position) const { return static_cast<std::uint32_t>(position - base); }
  SourceRange Range(std::uint32_t begin, std::uint32_t end) const { return {file_id, begin, end}; }
  // The range of a match, without the layout the match began with.
  SourceRange TokenRange(const char* begin, const char* end) const;
  std::uint32_t Line(std::uint32_t offset) const { return file->Locate(offset).line; }

  // The body that steps, pauses, stops and uses go to: the open template's
  // or the policy's own.
  Body& CurrentBody();

  ExpressionId AddExpression(Expression expression, int depth = 1);
  ExpressionId PopValue();
  AnchorId AddAnchor(Anchor anchor);
  AnchorId PopAnchor();
  Name PopName();
  // Combines the two values on top of the stack.
  void ReduceBinary(BinaryOperator op);
  // Wraps the value on top of the stack.
  void ReduceUnary(ExpressionKind kind, UnaryOperator op, std::uint32_t begin, std::uint32_t end);

  // Keeps the comment `#...` that starts at `begin` and runs to `end`, once
  // however often the grammar's backtracking matches it.
  void RecordComment(std::uint32_t begin, std::uint32_t end);

  [[noreturn]] void Fail(DiagnosticKind kind, SourceRange range, std::string message) const;
  // Reports a problem that does not stop the statement (a date that does
  // not exist): the statement is kept, so no second error follows from it
  // missing. Flushed to the diagnostics after each statement.
  void ReportAndContinue(DiagnosticKind kind, SourceRange range, std::string message) {
    soft_problems.push_back(ParseProblem{kind, range.begin, range.end, std::move(message)});
  }
  std::vector<ParseProblem> soft_problems;
};

}  // namespace recoup::language
