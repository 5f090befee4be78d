// Actions for the header lines: policy, version, currency, applies to,
// subject, after agency. Internal to the parser; included by
// parse_actions.h only.
#pragma once

#include "language/parse_actions_triggers.h"

namespace recoup::language::grammar {

// Header lines.
inline HeaderLine& AddHeader(ParseState& state, HeaderKind kind, SourceRange range) {
  HeaderLine line;
  line.kind = kind;
  line.range = range;
  state.tree->header.push_back(std::move(line));
  return state.tree->header.back();
}

template <HeaderKind Kind>
struct TextHeaderAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    HeaderLine& line = AddHeader(state, Kind, RangeOf(in, state));
    line.text = state.scratch.text;
    line.value_range = state.scratch.text_range;
  }
};
template <>
struct Action<policy_line> : TextHeaderAction<HeaderKind::Policy> {};
template <>
struct Action<version_line> : TextHeaderAction<HeaderKind::Version> {};

template <>
struct Action<currency_name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.text_range = RangeOf(in, state);
    state.scratch.text = std::string(state.base + state.scratch.text_range.begin,
                                     state.scratch.text_range.end - state.scratch.text_range.begin);
  }
};
template <>
struct Action<currency_line> : TextHeaderAction<HeaderKind::Currency> {};

template <>
struct Action<applies_line> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    ExpressionId condition = state.PopValue();
    HeaderLine& line = AddHeader(state, HeaderKind::AppliesTo, RangeOf(in, state));
    line.condition = condition;
    line.value_range = state.tree->expressions[condition].range;
  }
};

template <>
struct Action<subject_invoice> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.subject = SubjectKind::Invoice;
    state.scratch.object = FieldObject::Invoice;
  }
};
template <>
struct Action<subject_customer> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.subject = SubjectKind::Customer;
    state.scratch.object = FieldObject::Customer;
  }
};
template <>
struct Action<subject_line> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    HeaderLine& line = AddHeader(state, HeaderKind::Subject, RangeOf(in, state));
    line.subject = state.scratch.subject;
  }
};

template <>
struct Action<after_agency_continue> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.continue_after_agency = true;
  }
};
template <>
struct Action<after_agency_line> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    HeaderLine& line = AddHeader(state, HeaderKind::AfterAgency, RangeOf(in, state));
    line.continue_after_agency = state.scratch.continue_after_agency;
  }
};

template <OwedPartName Part>
struct SettlePartAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.settlement.push_back(Part);
    state.scratch.settlement_ranges.push_back(RangeOf(in, state));
  }
};
template <>
struct Action<settle_fees> : SettlePartAction<OwedPartName::Fees> {};
template <>
struct Action<settle_interest> : SettlePartAction<OwedPartName::Interest> {};
template <>
struct Action<settle_principal> : SettlePartAction<OwedPartName::Principal> {};
template <>
struct Action<settlement_line> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    HeaderLine& line = AddHeader(state, HeaderKind::Settlement, RangeOf(in, state));
    line.settlement = state.scratch.settlement;
    line.settlement_ranges = state.scratch.settlement_ranges;
  }
};

}  // namespace recoup::language::grammar
