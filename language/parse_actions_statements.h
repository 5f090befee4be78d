// Actions for pauses, stops, uses and definitions, including
// the heads of `{ ... }` blocks. Internal to the parser; included by
// parse_actions.h only.
#pragma once

#include "language/parse_actions_header.h"

namespace recoup::language::grammar {

// A defined name; a reserved word there is E0008, said in plain words.
inline const char* NameUseDescription(NameUse use) {
  switch (use) {
    case NameUse::Label: return "a step's label";
    case NameUse::Constant: return "the name of a constant";
    case NameUse::Template: return "the name of a template";
    case NameUse::Parameter: return "the name of a template parameter";
    case NameUse::Alias: return "the short name of an import";
    case NameUse::Calendar: return "the name of a calendar";
    case NameUse::CostTable: return "the name of a cost table";
    case NameUse::Argument: return "the name of a template parameter";
  }
  return "a name";
}

template <NameUse Use>
struct Action<defined_name<Use>> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Name name;
    name.range = RangeOf(in, state);
    name.text = std::string(state.base + name.range.begin, name.range.end - name.range.begin);
    if (IsReservedWord(name.text)) {
      state.Fail(DiagnosticKind::ReservedWord, name.range,
                 fmt::format("`{}` is a word of the language and cannot be used as {}; choose another name",
                             name.text, NameUseDescription(Use)));
    }
    state.scratch.names.push_back(std::move(name));
  }
};

template <>
struct Action<type_name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::string_view word(state.base + range.begin, range.end - range.begin);
    std::optional<TypeName> type = TypeNameFromWord(word);
    if (!type) {
      state.Fail(DiagnosticKind::SyntaxError, range,
                 fmt::format("`{}` is not a type; the types are money, percent, rate, duration, date, count, "
                             "number, bool and text",
                             word));
    }
    state.scratch.type = *type;
    state.scratch.type_range = range;
  }
};

// Pauses and stops.
template <>
struct Action<pause_dispute> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.pause_reason = PauseReason::Dispute;
  }
};
template <>
struct Action<pause_promise> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.pause_reason = PauseReason::Promise;
  }
};
template <>
struct Action<pause_grace> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.pause_grace = state.PopValue();
  }
};
template <>
struct Action<pause_defer> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.pause_rule = PauseRule::Defer;
  }
};
template <>
struct Action<pause_skip> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.pause_rule = PauseRule::Skip;
  }
};
template <>
struct Action<pause_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Pause pause;
    pause.range = RangeOf(in, state);
    pause.reason = state.scratch.pause_reason;
    pause.grace = state.scratch.pause_grace;
    pause.rule = state.scratch.pause_rule.value_or(PauseRule::Defer);
    pause.rule_written = state.scratch.pause_rule.has_value();
    Body& body = state.CurrentBody();
    body.order.push_back({BodyItemKind::Pause, static_cast<std::uint32_t>(body.pauses.size())});
    body.pauses.push_back(std::move(pause));
  }
};

template <>
struct Action<stop_paid> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.when_paid = true;
  }
};
template <>
struct Action<stop_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Stop stop;
    stop.range = RangeOf(in, state);
    stop.when_paid = state.scratch.when_paid;
    if (!stop.when_paid) stop.condition = state.PopValue();
    stop.actions = std::move(state.scratch.actions);
    Body& body = state.CurrentBody();
    body.order.push_back({BodyItemKind::Stop, static_cast<std::uint32_t>(body.stops.size())});
    body.stops.push_back(std::move(stop));
  }
};

// `use NAME(PARAM: VALUE, ...)`.
template <>
struct Action<use_argument> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    TemplateArgument argument;
    argument.value = state.PopValue();
    argument.parameter = state.PopName();
    state.scratch.arguments.push_back(std::move(argument));
  }
};
template <>
struct Action<use_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Use use;
    use.range = RangeOf(in, state);
    use.template_name = state.PopName();
    use.arguments = std::move(state.scratch.arguments);
    Body& body = state.CurrentBody();
    body.order.push_back({BodyItemKind::Use, static_cast<std::uint32_t>(body.uses.size())});
    body.uses.push_back(std::move(use));
  }
};

// Definitions.
template <>
struct Action<import_alias> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.alias = state.PopName();
  }
};
template <>
struct Action<import_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Import import;
    import.range = RangeOf(in, state);
    import.path = state.scratch.text;  // the only quoted text of the statement
    import.path_range = state.scratch.text_range;
    import.alias = std::move(state.scratch.alias);
    state.tree->imports.push_back(std::move(import));
  }
};

template <>
struct Action<constant_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Constant constant;
    constant.range = RangeOf(in, state);
    constant.value = state.PopValue();
    constant.name = state.PopName();
    state.tree->constants.push_back(std::move(constant));
  }
};

template <>
struct Action<attribute_field> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Name name;
    name.range = RangeOf(in, state);
    name.text = std::string(state.base + name.range.begin, name.range.end - name.range.begin);
    state.scratch.names.push_back(std::move(name));
  }
};
template <>
struct Action<attribute_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Attribute attribute;
    attribute.range = RangeOf(in, state);
    attribute.object = state.scratch.object;
    attribute.name = state.PopName();
    attribute.type = state.scratch.type;
    attribute.type_range = state.scratch.type_range;
    state.tree->attributes.push_back(std::move(attribute));
  }
};

template <>
struct Action<block_open> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.opened_block = true;
    state.scratch.block_open = RangeOf(in, state).begin;
  }
};

inline void OpenBlock(ParseState& state, BlockKind kind, std::string description) {
  state.block = kind;
  state.block_open = state.scratch.block_open;
  state.block_description = std::move(description);
}

// A name being defined must not be qualified: `calendar eu.x { ... }`.
inline void RequireUnqualified(const ParseState& state, const Name& name, const char* what) {
  if (!name.qualifier.empty()) {
    state.Fail(DiagnosticKind::SyntaxError, name.range,
               fmt::format("a {} defined here cannot have a `.` in its name; write `{}`", what, name.text));
  }
}

template <>
struct Action<calendar_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Name name = state.PopName();
    if (state.scratch.opened_block) {
      RequireUnqualified(state, name, "calendar");
      if (IsReservedWord(name.text)) {
        state.Fail(DiagnosticKind::ReservedWord, name.range,
                   fmt::format("`{}` is a word of the language and cannot be used as the name of a calendar",
                               name.text));
      }
      Calendar calendar;
      calendar.range = RangeOf(in, state);
      calendar.name = name;
      state.tree->calendars.push_back(std::move(calendar));
      OpenBlock(state, BlockKind::Calendar, fmt::format("the calendar `{}`", name.text));
      return;
    }
    HeaderLine& line = AddHeader(state, HeaderKind::Calendar, RangeOf(in, state));
    line.value_range = name.range;
    line.name = std::move(name);
  }
};

template <>
struct Action<costs_statement> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    if (state.scratch.names.empty()) {  // `costs { ... }` overrides the default table
      HeaderLine& line = AddHeader(state, HeaderKind::Costs, range);
      line.inline_costs = CostTable{};
      line.inline_costs->range = range;
      line.inline_costs->name.range = state.Range(range.begin, range.begin);
      OpenBlock(state, BlockKind::HeaderCosts, "the cost table");
      return;
    }
    Name name = state.PopName();
    if (state.scratch.opened_block) {
      RequireUnqualified(state, name, "cost table");
      if (IsReservedWord(name.text)) {
        state.Fail(DiagnosticKind::ReservedWord, name.range,
                   fmt::format("`{}` is a word of the language and cannot be used as the name of a cost table",
                               name.text));
      }
      CostTable table;
      table.range = range;
      table.name = name;
      state.tree->cost_tables.push_back(std::move(table));
      OpenBlock(state, BlockKind::CostTable, fmt::format("the cost table `{}`", name.text));
      return;
    }
    HeaderLine& line = AddHeader(state, HeaderKind::Costs, range);
    line.value_range = name.range;
    line.name = std::move(name);
  }
};

template <>
struct Action<template_parameter> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    Parameter parameter;
    parameter.name = state.PopName();
    parameter.type = state.scratch.type;
    parameter.type_range = state.scratch.type_range;
    state.scratch.parameters.push_back(std::move(parameter));
  }
};
template <>
struct Action<template_head> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Template definition;
    definition.range = RangeOf(in, state);
    definition.name = state.PopName();
    definition.parameters = std::move(state.scratch.parameters);
    std::string description = fmt::format("the template `{}`", definition.name.text);
    state.tree->templates.push_back(std::move(definition));
    OpenBlock(state, BlockKind::Template, std::move(description));
  }
};

template <>
struct Action<test_head> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    PolicyTest test;
    test.range = RangeOf(in, state);
    test.name = state.scratch.text;
    std::string description = fmt::format("the test \"{}\"", test.name);
    state.tree->tests.push_back(std::move(test));
    OpenBlock(state, BlockKind::Test, std::move(description));
  }
};

}  // namespace recoup::language::grammar
