// The order of the checker's passes. Each pass reports every problem it
// finds and goes on, so one run shows all of them; the IR is returned only
// when no error was reported (by the parser or here).
#include "compiler/checker.h"

#include <fmt/format.h>

#include "compiler/checker_internal.h"

namespace recoup::compiler {
namespace internal {

Checker::Checker(const Program& program, const language::SourceSet& sources, language::DiagnosticList& diagnostics)
    : program_(program), sources_(sources), diagnostics_(diagnostics), sink_(&diagnostics) {}

language::Diagnostic& Checker::Report(DiagnosticKind kind, SourceRange range, std::string message) {
  return sink_->Report(kind, range, std::move(message));
}

std::uint32_t Checker::LineOf(SourceRange range) const {
  if (range.file >= sources_.size()) return 0;
  return sources_.Get(range.file).Locate(range.begin).line;
}

void Checker::CheckAppliesTo() {
  const language::SyntaxTree& tree = program_.trees[program_.main];
  for (const language::HeaderLine& line : tree.header) {
    if (line.kind != language::HeaderKind::AppliesTo) continue;
    Context context;
    context.tree = program_.main;
    context.policy = true;
    applies_range_ = line.range;
    ExpressionId id = LowerCondition(context, line.condition, false, "`applies to`", ir_);
    if (id != kNoId && ir_.expressions[id].kind == ExpressionKind::Literal) {
      applies_constant_ = ir_.values[ir_.expressions[id].value].boolean;
      if (*applies_constant_) id = kNoId;
    }
    ir_.header.applies_to = id;
    return;  // a repeated line is E0108; the first counts
  }
}

namespace {

bool IsEmpty(const language::SyntaxTree& tree) {
  return tree.imports.empty() && tree.constants.empty() && tree.attributes.empty() && tree.calendars.empty() &&
         tree.cost_tables.empty() && tree.templates.empty() && tree.header.empty() && tree.body.order.empty() &&
         tree.tests.empty();
}

SourceRange FirstItemRange(const language::Body& body) {
  const language::BodyItem& item = body.order.front();
  switch (item.kind) {
    case language::BodyItemKind::Step: return body.steps.at(item.index).range;
    case language::BodyItemKind::Pause: return body.pauses.at(item.index).range;
    case language::BodyItemKind::Stop: return body.stops.at(item.index).range;
    case language::BodyItemKind::Use: return body.uses.at(item.index).range;
  }
  return {};
}

}  // namespace

CheckResult Checker::Run() {
  if (program_.trees.empty()) return std::nullopt;
  const language::SyntaxTree& main = program_.trees[program_.main];
  BuildScopes();
  CheckHeader();
  CollectAttributes();

  // Every definition of every file, so a library's mistakes are reported
  // even when nothing uses them. The quietly loaded default cost table is
  // skipped unless the program imports it.
  std::uint32_t quiet_tree = program_.default_costs;
  for (const ResolvedImport& edge : program_.imports) {
    if (edge.target == quiet_tree) quiet_tree = language::kNone;
  }
  for (std::uint32_t id = 0; id < definitions_.size(); ++id) {
    const Definition& definition = definitions_[id];
    if (definition.tree == quiet_tree) continue;
    switch (definition.kind) {
      case DefinitionKind::Constant: EvaluateConstant(id); break;
      case DefinitionKind::Calendar: ResolveCalendar(id); break;
      case DefinitionKind::CostTable:
        EvaluateCostEntries(definition.tree, program_.trees[definition.tree].cost_tables[definition.index].entries);
        break;
      case DefinitionKind::Template: break;
    }
  }
  FindTemplateRecursion();
  CheckTemplatesGenerically();

  if (is_policy_) {
    CheckAppliesTo();
    Context context;
    context.tree = program_.main;
    context.policy = true;
    LowerBody(context, main.body, ir_);
  } else if (!main.body.order.empty()) {
    language::Diagnostic& diagnostic = Report(DiagnosticKind::StepsWithoutPolicy, FirstItemRange(main.body),
                                              "this file has steps but no `policy` line");
    diagnostic.help = "start the file with `policy \"name\"` and `currency CODE`, or move the steps into a template";
  }
  CheckTests();
  if (is_policy_) AnalyseSteps();
  ReportUnused();
  if (IsEmpty(main) && !diagnostics_.HasErrors()) {
    Report(DiagnosticKind::EmptyFile, SourceRange{main.file, 0, 0}, "this file has no policy and no definitions");
  }
  if (diagnostics_.HasErrors()) return std::nullopt;
  ir_.is_library = !is_policy_;
  scratch_ = PolicyIr{};
  return std::move(ir_);
}

}  // namespace internal

CheckResult Check(const Program& program, const language::SourceSet& sources, language::DiagnosticList& diagnostics) {
  internal::Checker checker(program, sources, diagnostics);
  return checker.Run();
}

}  // namespace recoup::compiler
