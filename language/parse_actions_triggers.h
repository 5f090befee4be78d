// Actions for triggers, the actions of a step, guards and steps.
// Internal to the parser; included by parse_actions.h only.
#pragma once

#include "language/parse_actions_anchors.h"

namespace recoup::language::grammar {

// Triggers.
template <>
struct Action<at_trigger> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Trigger& trigger = state.scratch.trigger;
    trigger.kind = TriggerKind::At;
    trigger.range = RangeOf(in, state);
    trigger.anchor = state.PopAnchor();
  }
};

template <>
struct Action<before_word> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.relative_negative = true;
  }
};
template <>
struct Action<after_word> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.relative_negative = false;
  }
};

// `7 days before due` is kept as `at due - 7d`, remembering how it was written.
template <>
struct Action<relative_trigger> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Trigger& trigger = state.scratch.trigger;
    trigger.kind = TriggerKind::At;
    trigger.range = RangeOf(in, state);
    trigger.written_before_after = true;
    trigger.anchor = state.PopAnchor();
    AnchorOffset offset;
    offset.negative = state.scratch.relative_negative;
    offset.duration = state.PopValue();
    offset.range = state.tree->expressions[offset.duration].range;
    Anchor& anchor = state.tree->anchors[trigger.anchor];
    anchor.offsets.push_back(offset);
    anchor.range = trigger.range;
  }
};

template <>
struct Action<until_agency> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.trigger.until_agency = true;
  }
};

template <>
struct Action<until_clause> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    if (!state.scratch.trigger.until_agency) state.scratch.trigger.until = state.PopAnchor();
  }
};

template <>
struct Action<max_clause> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.trigger.max_times = state.PopValue();
  }
};

template <>
struct Action<every_trigger> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Trigger& trigger = state.scratch.trigger;
    trigger.kind = TriggerKind::Every;
    trigger.range = RangeOf(in, state);
    trigger.anchor = state.PopAnchor();
    trigger.period = state.PopValue();
  }
};

// Actions of a step or a stop.
template <ActionKind Kind, typename Words>
struct Action<action_word<Kind, Words>> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    StatementScratch& scratch = state.scratch;
    scratch.word_kind = Kind;
    scratch.action = ::recoup::language::Action{};
    scratch.action.kind = Kind;
    scratch.action_mark = scratch.values.size();
  }
};

template <>
struct Action<message_action> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.subject = state.PopValue();
  }
};

// `call` and `legal` take an optional script or firm.
struct OptionalSubjectAction {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    if (state.scratch.values.size() > state.scratch.action_mark) state.scratch.action.subject = state.PopValue();
  }
};
template <>
struct Action<call_action> : OptionalSubjectAction {};
template <>
struct Action<legal_action> : OptionalSubjectAction {};

template <>
struct Action<task_queue> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.task_target = TaskTarget::Queue;
  }
};
template <>
struct Action<task_owner> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.task_target = TaskTarget::Owner;
  }
};
template <>
struct Action<task_action> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.value = state.PopValue();
    state.scratch.action.subject = state.PopValue();
  }
};

template <>
struct Action<fee_on_balance> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.fee_basis = FeeBasis::Balance;
  }
};
template <>
struct Action<fee_on_amount> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.fee_basis = FeeBasis::Amount;
  }
};
template <>
struct Action<fee_minimum> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.fee_min = state.PopValue();
  }
};
template <>
struct Action<fee_maximum> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.fee_max = state.PopValue();
  }
};
template <>
struct Action<fee_action> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.value = state.PopValue();
  }
};

template <>
struct Action<interest_start> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.interest_from = state.PopAnchor();
  }
};
template <>
struct Action<interest_action> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.value = state.PopValue();
  }
};

template <>
struct Action<agency_action> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.action.value = state.PopValue();
    state.scratch.action.subject = state.PopValue();
  }
};

template <>
struct Action<action> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.action.range = RangeOf(in, state);
    state.scratch.actions.push_back(state.scratch.action);
  }
};

// Steps.
template <>
struct Action<label_definition> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.label = state.PopName();
  }
};

template <>
struct Action<guard_if> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.guard_kind = GuardKind::If;
  }
};
template <>
struct Action<guard_unless> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.guard_kind = GuardKind::Unless;
  }
};
template <>
struct Action<guard> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.guard = state.PopValue();
  }
};

template <>
struct Action<step> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    StatementScratch& scratch = state.scratch;
    Step step;
    step.range = RangeOf(in, state);
    step.label = std::move(scratch.label);
    step.trigger = scratch.trigger;
    step.actions = std::move(scratch.actions);
    step.guard_kind = scratch.guard_kind;
    step.guard = scratch.guard;
    Body& body = state.CurrentBody();
    body.order.push_back({BodyItemKind::Step, static_cast<std::uint32_t>(body.steps.size())});
    body.steps.push_back(std::move(step));
  }
};

}  // namespace recoup::language::grammar
