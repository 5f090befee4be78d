// Names: what each file defines, what it sees through its imports, and the
// attributes (ledger columns) the program declares.
//
// Scoping is lexical per file: a definition's value or body is checked with
// the names of the file that wrote it. `import "x"` brings x's own
// definitions in directly, `import "x" as eu` as `eu.name`; imports are not
// transitive. Constants, templates, calendars and cost tables share one
// namespace per file. Attributes are program-wide, since they name ledger
// columns: the same attribute declared in two files with one type is one
// attribute.
//
// W0004 (unused definition) is reported only for the main file of a policy:
// library files exist to be imported, so their definitions are not expected
// to be used by themselves, and `recoup check` on a library reports none.
// An attribute counts as used when an expression reads it; giving it a
// value in a test does not.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {

const char* Checker::KindSpelling(DefinitionKind kind) const {
  switch (kind) {
    case DefinitionKind::Constant: return "constant";
    case DefinitionKind::Calendar: return "calendar";
    case DefinitionKind::CostTable: return "cost table";
    case DefinitionKind::Template: return "template";
  }
  return "definition";
}

void Checker::BuildScopes() {
  std::size_t tree_count = program_.trees.size();
  scopes_.assign(tree_count, FileScope{});
  definitions_of_tree_.assign(tree_count, {});
  incomplete_scope_.assign(tree_count, false);
  for (std::uint32_t t = 0; t < tree_count; ++t) {
    const language::SyntaxTree& tree = program_.trees[t];
    std::vector<Definition> found;
    auto add = [&](DefinitionKind kind, std::size_t index, const language::Name& name) {
      if (name.text.empty()) return;  // the parser already reported a broken definition
      found.push_back({kind, t, static_cast<std::uint32_t>(index), name.text, name.range, false});
    };
    for (std::size_t i = 0; i < tree.constants.size(); ++i) add(DefinitionKind::Constant, i, tree.constants[i].name);
    for (std::size_t i = 0; i < tree.calendars.size(); ++i) add(DefinitionKind::Calendar, i, tree.calendars[i].name);
    for (std::size_t i = 0; i < tree.cost_tables.size(); ++i) {
      add(DefinitionKind::CostTable, i, tree.cost_tables[i].name);
    }
    for (std::size_t i = 0; i < tree.templates.size(); ++i) add(DefinitionKind::Template, i, tree.templates[i].name);
    std::stable_sort(found.begin(), found.end(),
                     [](const Definition& a, const Definition& b) { return a.range.begin < b.range.begin; });
    for (Definition& definition : found) {
      auto existing = scopes_[t].own.find(definition.name);
      if (existing != scopes_[t].own.end()) {
        const Definition& first = definitions_[existing->second];
        language::Diagnostic& diagnostic =
            Report(DiagnosticKind::DuplicateDefinition, definition.range,
                   fmt::format("`{}` is already defined in this file", definition.name));
        diagnostic.notes.push_back({first.range, fmt::format("the {} `{}` is defined here", KindSpelling(first.kind),
                                                             first.name)});
        diagnostic.help = "give one of them another name";
        continue;
      }
      auto id = static_cast<std::uint32_t>(definitions_.size());
      scopes_[t].own.emplace(definition.name, id);
      definitions_of_tree_[t].push_back(id);
      definitions_.push_back(std::move(definition));
    }
  }
  for (const ResolvedImport& edge : program_.imports) {
    const language::Import& import = program_.trees[edge.importer].imports[edge.import_index];
    FileScope& scope = scopes_[edge.importer];
    if (edge.target == language::kNone) incomplete_scope_[edge.importer] = true;
    if (import.alias) {
      if (!scope.aliases.emplace(import.alias->text, edge.target).second) {
        Report(DiagnosticKind::DuplicateDefinition, import.alias->range,
               fmt::format("the import name `{}` is already used by another import", import.alias->text));
      }
    } else if (edge.target != language::kNone) {
      if (std::find(scope.plain_imports.begin(), scope.plain_imports.end(), edge.target) == scope.plain_imports.end()) {
        scope.plain_imports.push_back(edge.target);
      }
    }
  }
  constants_.assign(definitions_.size(), ConstantState{});
  templates_.assign(definitions_.size(), TemplateState{});
  calendars_.assign(definitions_.size(), CalendarState{});
}

void Checker::CollectAttributes() {
  for (std::uint32_t t = 0; t < program_.trees.size(); ++t) {
    std::map<std::pair<int, std::string>, SourceRange> declared_here;
    for (const language::Attribute& attribute : program_.trees[t].attributes) {
      if (attribute.name.text.empty()) continue;
      const char* object = attribute.object == language::FieldObject::Invoice ? "invoice" : "customer";
      std::pair<int, std::string> key{static_cast<int>(attribute.object), attribute.name.text};
      if (IsBuiltinField(attribute.object, attribute.name.text)) {
        Report(DiagnosticKind::DuplicateDefinition, attribute.name.range,
               fmt::format("`{}.{}` is a built-in field and cannot be declared again", object, attribute.name.text));
        continue;
      }
      ValueType type = TypeFromName(attribute.type, policy_currency_);
      auto here = declared_here.find(key);
      auto existing = attribute_index_.find(key);
      if (here != declared_here.end() ||
          (existing != attribute_index_.end() && !SameValueType(ir_.attributes[existing->second].type, type))) {
        SourceRange first = here != declared_here.end() ? here->second : ir_.attributes[existing->second].range;
        language::Diagnostic& diagnostic =
            Report(DiagnosticKind::DuplicateDefinition, attribute.name.range,
                   fmt::format("the attribute `{}.{}` is already declared", object, attribute.name.text));
        diagnostic.notes.push_back({first, "it is declared here"});
        continue;
      }
      declared_here.emplace(key, attribute.range);
      if (existing != attribute_index_.end()) continue;  // the same declaration in another file
      auto id = static_cast<AttributeId>(ir_.attributes.size());
      Attribute declared;
      declared.object = attribute.object == language::FieldObject::Invoice ? AttributeObject::Invoice
                                                                           : AttributeObject::Customer;
      declared.name = attribute.name.text;
      declared.type = type;
      declared.range = attribute.range;
      ir_.attributes.push_back(std::move(declared));
      attribute_index_.emplace(key, id);
      attribute_used_.push_back(false);
      attribute_tree_.push_back(t);
      attribute_name_ranges_.push_back(attribute.name.range);
    }
  }
}

std::vector<std::string> Checker::NamesInScope(std::uint32_t tree, const Bindings* bindings) const {
  std::vector<std::string> names;
  for (const auto& [name, id] : scopes_[tree].own) names.push_back(name);
  for (std::uint32_t imported : scopes_[tree].plain_imports) {
    for (const auto& [name, id] : scopes_[imported].own) names.push_back(name);
  }
  if (bindings) {
    for (const auto& [name, value] : bindings->values) names.push_back(name);
  }
  return names;
}

bool Checker::DefinedByUnparsedStatement(std::uint32_t tree, const std::string& name) const {
  auto defines = [&](std::uint32_t t) {
    const std::vector<std::string>& names = program_.trees[t].unparsed_definitions;
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (defines(tree)) return true;
  for (std::uint32_t imported : scopes_[tree].plain_imports) {
    if (defines(imported)) return true;
  }
  return false;
}

std::optional<std::uint32_t> Checker::Lookup(std::uint32_t tree, const language::Name& name, const Bindings* bindings,
                                             const char* what) {
  const FileScope& scope = scopes_[tree];
  if (!name.qualifier.empty()) {
    auto alias = scope.aliases.find(name.qualifier);
    if (alias == scope.aliases.end()) {
      std::vector<std::string> aliases;
      for (const auto& [alias_name, target] : scope.aliases) aliases.push_back(alias_name);
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::UnknownName, name.range,
                 fmt::format("`{}` is not the name of an import in this file", name.qualifier));
      std::string closest = language::ClosestName(name.qualifier, aliases);
      diagnostic.help = closest.empty()
                            ? fmt::format("name an import with `import \"file.recoup\" as {}`", name.qualifier)
                            : fmt::format("did you mean `{}.{}`?", closest, name.text);
      return std::nullopt;
    }
    if (alias->second == language::kNone) return std::nullopt;  // the import failed, already reported
    const FileScope& imported = scopes_[alias->second];
    auto found = imported.own.find(name.text);
    if (found != imported.own.end()) return found->second;
    if (DefinedByUnparsedStatement(alias->second, name.text)) return std::nullopt;  // the parser reported it
    std::vector<std::string> names;
    for (const auto& [defined, id] : imported.own) names.push_back(defined);
    language::Diagnostic& diagnostic = Report(
        DiagnosticKind::UnknownName, name.range,
        fmt::format("`{}` has no {} named `{}`", name.qualifier, what, name.text));
    std::string closest = language::ClosestName(name.text, names);
    if (!closest.empty()) diagnostic.help = fmt::format("did you mean `{}.{}`?", name.qualifier, closest);
    return std::nullopt;
  }
  auto own = scope.own.find(name.text);
  if (own != scope.own.end()) return own->second;
  for (std::uint32_t imported : scope.plain_imports) {
    auto found = scopes_[imported].own.find(name.text);
    if (found != scopes_[imported].own.end()) return found->second;
  }
  // An import that failed to load may have defined it: stay quiet rather than cascade.
  if (incomplete_scope_[tree]) return std::nullopt;
  if (DefinedByUnparsedStatement(tree, name.text)) return std::nullopt;  // the parser reported its statement
  language::Diagnostic& diagnostic =
      Report(DiagnosticKind::UnknownName, name.range, fmt::format("unknown name `{}`", name.text));
  std::string closest = language::ClosestName(name.text, NamesInScope(tree, bindings));
  if (!closest.empty()) diagnostic.help = fmt::format("did you mean `{}`?", closest);
  return std::nullopt;
}

void Checker::ReportUnused() {
  if (!is_policy_) return;
  std::uint32_t main = program_.main;
  for (std::uint32_t id : definitions_of_tree_[main]) {
    const Definition& definition = definitions_[id];
    if (definition.used) continue;
    if (definition.kind != DefinitionKind::Constant && definition.kind != DefinitionKind::Template) continue;
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::UnusedDefinition, definition.range,
               fmt::format("the {} `{}` is never used", KindSpelling(definition.kind), definition.name));
    diagnostic.help = "remove it, or use it in a step";
  }
  for (AttributeId id = 0; id < ir_.attributes.size(); ++id) {
    if (attribute_used_[id] || attribute_tree_[id] != main) continue;
    const Attribute& attribute = ir_.attributes[id];
    Report(DiagnosticKind::UnusedDefinition, attribute_name_ranges_[id],
           fmt::format("the attribute `{}.{}` is never read",
                       attribute.object == AttributeObject::Invoice ? "invoice" : "customer", attribute.name));
  }
}

}  // namespace recoup::compiler::internal
