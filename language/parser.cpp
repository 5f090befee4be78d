// The parser's boundary: checks the file can be read as text, then parses it
// one statement at a time with the PEGTL grammar, turning every problem
// into a diagnostic and resuming at the next statement.
#include "language/parser.h"

#include <fmt/format.h>

#include <tao/pegtl.hpp>

#include "language/file_system.h"
#include "language/parse_actions.h"
#include "language/parse_control.h"
#include "language/parse_scan.h"

namespace recoup::language {
namespace {

namespace pegtl = tao::pegtl;
using Input = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*>;

// Sizes of the tree's shared vectors before a statement, so that what a
// failed statement added can be taken back.
struct Checkpoint {
  std::size_t expressions = 0;
  std::size_t anchors = 0;
};

class StatementLoop {
 public:
  StatementLoop(const SourceFile& file, FileId id, SyntaxTree& tree, DiagnosticList& diagnostics)
      : text_(file.text()),
        input_(text_.data(), text_.data() + text_.size(), file.path().c_str()),
        state_(file, id, tree),
        diagnostics_(diagnostics) {}

  void Run(std::uint32_t start) {
    std::uint32_t offset = start;
    for (;;) {
      offset = SkipLayoutKeepingComments(offset);
      if (offset >= text_.size()) break;
      if (text_[offset] == '}') {
        if (state_.block != BlockKind::None) RecordStatement(offset, offset + 1, StatementShape::ClosesBlock);
        CloseBlock(offset);
        offset += 1;
        continue;
      }
      offset = ParseStatement(offset);
    }
    if (state_.block != BlockKind::None) {
      Report(DiagnosticKind::SyntaxError, state_.block_open, state_.block_open + 1,
             fmt::format("the `{{` of {} is never closed: expected `}}` before the end of the file",
                         state_.block_description));
    }
  }

 private:
  // Parses the statement at `offset`; returns where the next one may start.
  std::uint32_t ParseStatement(std::uint32_t offset) {
    Checkpoint checkpoint{state_.tree->expressions.size(), state_.tree->anchors.size()};
    state_.scratch = StatementScratch{};
    state_.statement_begin = text_.data() + offset;
    input_.restart();
    input_.bump(offset);
    state_.soft_problems.clear();
    try {
      bool was_in_block = state_.block != BlockKind::None;
      ParseItem();
      FlushSoftProblems();
      std::uint32_t end = state_.Offset(input_.current());
      bool opened_block = !was_in_block && state_.block != BlockKind::None;
      RecordStatement(offset, end, opened_block ? StatementShape::OpensBlock : StatementShape::Line);
      return end;
    } catch (const ParseProblem& problem) {
      FlushSoftProblems();
      Rollback(checkpoint);
      return Recover(offset, problem);
    } catch (const pegtl::parse_error& error) {
      // The grammar raises ParseProblem itself; this is a safety net.
      Rollback(checkpoint);
      auto at = static_cast<std::uint32_t>(error.positions().empty() ? offset : error.positions().front().byte);
      return Recover(offset, ParseProblem{DiagnosticKind::SyntaxError, at, at, "this is not valid here"});
    }
  }

  void ParseItem() {
    switch (state_.block) {
      case BlockKind::None: pegtl::parse<grammar::top_item, grammar::Action, grammar::Control>(input_, state_); break;
      case BlockKind::Template: pegtl::parse<grammar::template_item, grammar::Action, grammar::Control>(input_, state_); break;
      case BlockKind::Test: pegtl::parse<grammar::test_item, grammar::Action, grammar::Control>(input_, state_); break;
      case BlockKind::Calendar: pegtl::parse<grammar::calendar_item, grammar::Action, grammar::Control>(input_, state_); break;
      case BlockKind::CostTable:
      case BlockKind::HeaderCosts: pegtl::parse<grammar::costs_item, grammar::Action, grammar::Control>(input_, state_); break;
    }
  }

  // SkipLayout, keeping the comments passed over for the formatter.
  std::uint32_t SkipLayoutKeepingComments(std::uint32_t offset) {
    for (;;) {
      std::uint32_t next = SkipLayout(text_, offset);
      std::size_t hash = text_.substr(0, next).find('#', offset);
      if (hash == std::string_view::npos) return next;
      std::size_t newline = text_.find('\n', hash);
      auto end = static_cast<std::uint32_t>(newline == std::string_view::npos ? text_.size() : newline);
      state_.RecordComment(static_cast<std::uint32_t>(hash), end);
      offset = end;
    }
  }

  void RecordStatement(std::uint32_t begin, std::uint32_t end, StatementShape shape) {
    state_.tree->statements.push_back(StatementSpan{state_.Range(begin, end), shape});
  }

  std::uint32_t Recover(std::uint32_t statement_begin, const ParseProblem& problem) {
    // Inside a block, a top-level statement where an item was expected
    // means the block's `}` is missing: say so once and go on outside it.
    if (state_.block != BlockKind::None && problem.kind == DiagnosticKind::SyntaxError &&
        problem.begin == statement_begin && StartsTopLevelStatement(text_, statement_begin)) {
      ReportUnclosed(statement_begin);
      return statement_begin;
    }
    Report(problem.kind, problem.begin, problem.end, problem.message);
    std::string defined = NameDefinedAt(text_, statement_begin);
    if (!defined.empty()) state_.tree->unparsed_definitions.push_back(std::move(defined));
    if (state_.block == BlockKind::None) {
      if (auto after = SkipBrokenBlock(text_, statement_begin, problem.begin)) return *after;
    }
    return FindResumePoint(text_, problem.begin, state_.block);
  }

  void FlushSoftProblems() {
    for (const ParseProblem& problem : state_.soft_problems) Report(problem.kind, problem.begin, problem.end, problem.message);
    state_.soft_problems.clear();
  }

  void ReportUnclosed(std::uint32_t at) {
    std::uint32_t length = static_cast<std::uint32_t>(
        std::max<std::size_t>(1, IdentifierLength(text_.data() + at, text_.data() + text_.size())));
    Report(DiagnosticKind::SyntaxError, at, at + length,
           fmt::format("expected `}}` to close {} opened at line {}", state_.block_description,
                       state_.Line(state_.block_open)));
    state_.block = BlockKind::None;
  }

  void CloseBlock(std::uint32_t offset) {
    SyntaxTree& tree = *state_.tree;
    std::uint32_t end = offset + 1;
    switch (state_.block) {
      case BlockKind::None:
        Report(DiagnosticKind::SyntaxError, offset, end,
               "this `}` closes nothing: there is no open template, test, calendar or cost table");
        return;
      case BlockKind::Template: tree.templates.back().range.end = end; break;
      case BlockKind::Test: tree.tests.back().range.end = end; break;
      case BlockKind::Calendar: tree.calendars.back().range.end = end; break;
      case BlockKind::CostTable: tree.cost_tables.back().range.end = end; break;
      case BlockKind::HeaderCosts:
        tree.header.back().range.end = end;
        tree.header.back().inline_costs->range.end = end;
        break;
    }
    state_.block = BlockKind::None;
  }

  void Rollback(const Checkpoint& checkpoint) {
    state_.tree->expressions.resize(checkpoint.expressions);
    state_.expression_depth.resize(checkpoint.expressions);
    state_.tree->anchors.resize(checkpoint.anchors);
  }

  void Report(DiagnosticKind kind, std::uint32_t begin, std::uint32_t end, std::string message) {
    diagnostics_.Report(kind, state_.Range(begin, std::max(begin, end)), std::move(message));
  }

  std::string_view text_;
  Input input_;
  ParseState state_;
  DiagnosticList& diagnostics_;
};

}  // namespace

SyntaxTree Parse(const SourceFile& file, FileId id, DiagnosticList& diagnostics) {
  SyntaxTree tree;
  tree.file = id;
  const std::string& text = file.text();
  if (text.size() > kMaxPolicyFileBytes) {
    diagnostics.Report(DiagnosticKind::FileTooLarge, {id, 0, 0},
                       fmt::format("this file is {} bytes; a policy file may be at most {} bytes ({} MiB)",
                                   text.size(), kMaxPolicyFileBytes, kMaxPolicyFileBytes / (1024 * 1024)));
    return tree;
  }
  if (std::optional<EncodingProblem> problem = FindEncodingProblem(text)) {
    diagnostics.Report(DiagnosticKind::InvalidEncoding, {id, problem->offset, problem->offset + 1},
                       std::move(problem->reason));
    return tree;
  }
  std::uint32_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // a UTF-8 byte order mark
  StatementLoop(file, id, tree, diagnostics).Run(start);
  return tree;
}

}  // namespace recoup::language
