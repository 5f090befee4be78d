// Templates. Each template body is checked once on its own ("generically"),
// with its parameters typed but without values, so a template's mistakes
// are reported once at the template even when it is never used. Each `use`
// then checks its arguments and expands the body with the folded values
// substituted; problems that only the values cause (a percentage over 100%,
// money in another currency, a duplicate label) are reported at the template
// with a note at the `use`, and those the generic check already reported
// are not repeated.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

using DiagnosticKey = std::tuple<int, language::FileId, std::uint32_t, std::uint32_t, std::string>;

DiagnosticKey KeyOf(const language::Diagnostic& diagnostic) {
  return {static_cast<int>(diagnostic.kind), diagnostic.range.file, diagnostic.range.begin, diagnostic.range.end,
          diagnostic.message};
}

// Deepest chain of templates using templates that is expanded.
constexpr std::size_t kMaxTemplateDepth = 64;

}  // namespace

void Checker::FindTemplateRecursion() {
  // Edges: template -> the templates its body uses, resolved quietly (the
  // generic check reports unknown names).
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, const language::Use*>>> edges;
  language::DiagnosticList quiet;
  language::DiagnosticList* saved = sink_;
  sink_ = &quiet;
  for (std::uint32_t id = 0; id < definitions_.size(); ++id) {
    const Definition& definition = definitions_[id];
    if (definition.kind != DefinitionKind::Template) continue;
    const language::Template& syntax = program_.trees[definition.tree].templates[definition.index];
    for (const language::Use& use : syntax.body.uses) {
      std::optional<std::uint32_t> target = Lookup(definition.tree, use.template_name, nullptr, "template");
      if (target && definitions_[*target].kind == DefinitionKind::Template) edges[id].push_back({*target, &use});
    }
  }
  sink_ = saved;

  enum class Color : std::uint8_t { White, Gray, Black };
  std::vector<Color> color(definitions_.size(), Color::White);
  std::vector<std::pair<std::uint32_t, const language::Use*>> path;  // (template, the use leaving it)
  std::function<void(std::uint32_t)> visit = [&](std::uint32_t id) {
    color[id] = Color::Gray;
    for (const auto& [target, use] : edges[id]) {
      path.push_back({id, use});
      if (color[target] == Color::Gray) {
        std::uint32_t first = target;  // a copy: clang 14 cannot capture a structured binding
        auto start = std::find_if(path.begin(), path.end(), [&](const auto& entry) { return entry.first == first; });
        const std::string& name = definitions_[target].name;
        language::Diagnostic& diagnostic = Report(
            DiagnosticKind::TemplateRecursion, use->template_name.range,
            id == target ? fmt::format("the template `{}` uses itself", name)
                         : fmt::format("the template `{}` uses itself through `{}`", name, definitions_[id].name));
        diagnostic.help = "a template cannot expand into itself; move the shared steps into a third template";
        for (auto entry = start; entry != path.end(); ++entry) {
          templates_[entry->first].recursive = true;
          if (entry + 1 == path.end()) continue;
          diagnostic.notes.push_back(
              {entry->second->template_name.range,
               fmt::format("`{}` uses `{}` here", definitions_[entry->first].name, entry->second->template_name.text)});
        }
      } else if (color[target] == Color::White) {
        visit(target);
      }
      path.pop_back();
    }
    color[id] = Color::Black;
  };
  for (std::uint32_t id = 0; id < definitions_.size(); ++id) {
    if (definitions_[id].kind == DefinitionKind::Template && color[id] == Color::White) visit(id);
  }
}

void Checker::CheckTemplatesGenerically() {
  for (std::uint32_t id = 0; id < definitions_.size(); ++id) {
    const Definition& definition = definitions_[id];
    if (definition.kind != DefinitionKind::Template) continue;
    const language::Template& syntax = program_.trees[definition.tree].templates[definition.index];
    Bindings bindings;
    std::map<std::string, SourceRange> seen;
    for (const language::Parameter& parameter : syntax.parameters) {
      auto [first, inserted] = seen.emplace(parameter.name.text, parameter.name.range);
      if (!inserted) {
        language::Diagnostic& diagnostic =
            Report(DiagnosticKind::DuplicateDefinition, parameter.name.range,
                   fmt::format("the parameter `{}` is declared twice", parameter.name.text));
        diagnostic.notes.push_back({first->second, "it is first declared here"});
        continue;
      }
      Operand symbolic;
      symbolic.type = TypeFromName(parameter.type, std::nullopt);
      symbolic.symbolic = true;
      bindings.values.emplace(parameter.name.text, symbolic);
    }
    Context context;
    context.tree = definition.tree;
    context.generic = true;
    context.bindings = &bindings;
    language::DiagnosticList local;
    language::DiagnosticList* saved = sink_;
    sink_ = &local;
    PolicyIr scratch;
    LowerBody(context, syntax.body, scratch);
    sink_ = saved;
    for (const language::Diagnostic& diagnostic : local.all()) templates_[id].generic_keys.insert(KeyOf(diagnostic));
    sink_->Append(local);
  }
}

void Checker::ExpandUse(const Context& context, const language::Use& use, PolicyIr& out) {
  std::optional<std::uint32_t> found = Lookup(context.tree, use.template_name, context.bindings, "template");
  if (!found) return;
  Definition& definition = definitions_[*found];
  definition.used = true;
  if (definition.kind != DefinitionKind::Template) {
    Report(DiagnosticKind::WrongKindOfName, use.template_name.range,
           fmt::format("`{}` is a {}, not a template", definition.name, KindSpelling(definition.kind)));
    return;
  }
  const language::SyntaxTree& template_tree = program_.trees[definition.tree];
  const language::Template& syntax = template_tree.templates[definition.index];
  const language::SyntaxTree& tree = TreeOf(context);

  bool ok = true;
  Bindings bindings;
  std::map<std::string, SourceRange> given;
  std::vector<std::string> parameter_names;
  for (const language::Parameter& parameter : syntax.parameters) parameter_names.push_back(parameter.name.text);
  for (const language::TemplateArgument& argument : use.arguments) {
    const std::string& name = argument.parameter.text;
    auto parameter = std::find_if(syntax.parameters.begin(), syntax.parameters.end(),
                                  [&](const language::Parameter& p) { return p.name.text == name; });
    Operand value = CheckExpression(context, argument.value, out);
    if (parameter == syntax.parameters.end()) {
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::WrongTemplateArguments, argument.parameter.range,
                 fmt::format("the template `{}` has no parameter `{}`", definition.name, name));
      std::string closest = language::ClosestName(name, parameter_names);
      if (!closest.empty()) diagnostic.help = fmt::format("did you mean `{}`?", closest);
      diagnostic.notes.push_back({syntax.name.range, "the template is defined here"});
      ok = false;
      continue;
    }
    auto [first, inserted] = given.emplace(name, argument.parameter.range);
    if (!inserted) {
      language::Diagnostic& diagnostic = Report(DiagnosticKind::WrongTemplateArguments, argument.parameter.range,
                                                fmt::format("the argument `{}` is given twice", name));
      diagnostic.notes.push_back({first->second, "it is first given here"});
      ok = false;
      continue;
    }
    if (value.IsError()) {
      ok = false;
      continue;
    }
    SourceRange value_range = tree.expression(argument.value).range;
    ValueType expected = TypeFromName(parameter->type, std::nullopt);
    if (!SameValueType(value.type, expected)) {
      language::Diagnostic& diagnostic = Report(
          DiagnosticKind::WrongTemplateArguments, value_range,
          fmt::format("the argument `{}` must be {}, not {}", name, DescribeType(expected.type), DescribeType(value.type)));
      diagnostic.notes.push_back({parameter->type_range, fmt::format("`{}` is declared here", name)});
      ok = false;
      continue;
    }
    if (value.runtime) {
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::NotConstant, value_range,
                 fmt::format("the argument `{}` must be known when the policy is checked, but it depends on `{}`", name,
                             value.runtime_what));
      diagnostic.notes.push_back({value.runtime_leaf, "it depends on this"});
      ok = false;
      continue;
    }
    bindings.values.emplace(name, std::move(value));
  }
  for (const language::Parameter& parameter : syntax.parameters) {
    if (given.count(parameter.name.text)) continue;
    language::Diagnostic& diagnostic = Report(
        DiagnosticKind::WrongTemplateArguments, use.range,
        fmt::format("the argument `{}` ({}) is missing", parameter.name.text, language::TypeNameSpelling(parameter.type)));
    diagnostic.notes.push_back({parameter.name.range, fmt::format("`{}` is declared here", parameter.name.text)});
    diagnostic.help = fmt::format("every parameter of `{}` must be given once, by name", definition.name);
    ok = false;
  }
  if (!ok || context.generic || templates_[*found].recursive) return;
  if (std::find(context.template_stack.begin(), context.template_stack.end(), *found) != context.template_stack.end() ||
      context.template_stack.size() >= kMaxTemplateDepth) {
    Report(DiagnosticKind::TemplateRecursion, use.template_name.range,
           fmt::format("the template `{}` expands into itself, or templates nest too deeply", definition.name));
    return;
  }

  Context inner;
  inner.tree = definition.tree;
  inner.policy = context.policy;
  inner.bindings = &bindings;
  inner.expanded_from.push_back(use.range);
  inner.expanded_from.insert(inner.expanded_from.end(), context.expanded_from.begin(), context.expanded_from.end());
  inner.template_stack = context.template_stack;
  inner.template_stack.push_back(*found);
  language::DiagnosticList local;
  language::DiagnosticList* saved = sink_;
  sink_ = &local;
  LowerBody(inner, syntax.body, out);
  sink_ = saved;
  const TemplateState& state = templates_[*found];
  for (const language::Diagnostic& diagnostic : local.all()) {
    if (state.generic_keys.count(KeyOf(diagnostic))) continue;
    language::Diagnostic& forwarded = Report(diagnostic.kind, diagnostic.range, diagnostic.message);
    forwarded.notes = diagnostic.notes;
    forwarded.help = diagnostic.help;
    forwarded.notes.push_back({use.range, fmt::format("in the template `{}`, used here", definition.name)});
  }
}

}  // namespace recoup::compiler::internal
