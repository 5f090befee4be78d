// Actions that build anchors (`due + 30d`, `end of month of ...`) on the
// parse state's anchor stack. Internal to the parser; included by
// parse_actions.h only.
#pragma once

#include "language/parse_actions_expressions.h"

namespace recoup::language::grammar {

// Anchors.
template <AnchorKind Kind>
struct AnchorWordAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Anchor anchor;
    anchor.kind = Kind;
    anchor.range = RangeOf(in, state);
    if constexpr (Kind == AnchorKind::Label) {
      anchor.label.range = anchor.range;
      anchor.label.text = std::string(state.base + anchor.range.begin, anchor.range.end - anchor.range.begin);
    }
    state.AddAnchor(std::move(anchor));
  }
};
template <>
struct Action<anchor_due> : AnchorWordAction<AnchorKind::Due> {};
template <>
struct Action<anchor_issue> : AnchorWordAction<AnchorKind::Issue> {};
template <>
struct Action<anchor_promise> : AnchorWordAction<AnchorKind::Promise> {};
template <>
struct Action<anchor_label> : AnchorWordAction<AnchorKind::Label> {};

template <>
struct Action<end_of_month> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Anchor anchor;
    anchor.kind = AnchorKind::EndOfMonth;
    anchor.range = RangeOf(in, state);
    anchor.inner = state.PopAnchor();
    state.AddAnchor(std::move(anchor));
  }
};

template <>
struct Action<offset_sign> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.offset_negative = in.string_view().back() == '-';
  }
};

template <>
struct Action<anchor_offset> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    AnchorOffset offset;
    offset.negative = state.scratch.offset_negative;
    offset.duration = state.PopValue();
    offset.range = RangeOf(in, state);
    Anchor& anchor = state.tree->anchors[state.scratch.anchors.back()];
    anchor.offsets.push_back(offset);
  }
};

template <>
struct Action<anchor> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    // The whole anchor as written, with its parentheses and offsets.
    state.tree->anchors[state.scratch.anchors.back()].range = RangeOf(in, state);
  }
};

}  // namespace recoup::language::grammar
