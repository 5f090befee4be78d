// Actions for the items inside blocks: calendar days, cost entries, and the
// facts and expectations of a test. Internal to the parser; included by
// parse_actions.h only.
#pragma once

#include "language/parse_actions_statements.h"

namespace recoup::language::grammar {

// Calendars.
template <>
struct Action<weekday> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    SourceRange range = RangeOf(in, state);
    std::string_view word(state.base + range.begin, range.end - range.begin);
    std::optional<Weekday> day = WeekdayFromWord(word);
    if (!day) {
      state.Fail(DiagnosticKind::SyntaxError, range,
                 fmt::format("`{}` is not a day of the week; write mon, tue, wed, thu, fri, sat or sun", word));
    }
    state.scratch.weekdays.push_back(*day);
    state.scratch.weekday_ranges.push_back(range);
  }
};
template <>
struct Action<weekend_line> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    Calendar& calendar = state.tree->calendars.back();
    calendar.weekend.insert(calendar.weekend.end(), state.scratch.weekdays.begin(), state.scratch.weekdays.end());
    calendar.weekend_ranges.insert(calendar.weekend_ranges.end(), state.scratch.weekday_ranges.begin(),
                                   state.scratch.weekday_ranges.end());
  }
};
template <>
struct Action<holiday_date> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.first_date = state.scratch.date;
  }
};
template <>
struct Action<holiday_description> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.holiday_description = state.scratch.text;
  }
};
template <>
struct Action<holiday_line> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Holiday holiday;
    holiday.range = RangeOf(in, state);
    holiday.date = state.scratch.first_date;
    holiday.description = state.scratch.holiday_description;
    state.tree->calendars.back().holidays.push_back(std::move(holiday));
  }
};

// Cost tables, named or inline in the header.
template <>
struct Action<cost_entry> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    CostEntry entry;
    entry.range = RangeOf(in, state);
    entry.action = state.scratch.word_kind;
    entry.cost = state.PopValue();
    CostTable& table = state.block == BlockKind::HeaderCosts ? *state.tree->header.back().inline_costs
                                                             : state.tree->cost_tables.back();
    table.entries.push_back(entry);
  }
};

// Tests: given facts.
template <>
struct Action<invoice_id> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.invoice_id = state.scratch.text;
  }
};
template <>
struct Action<event_invoice_id> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.event_invoice = state.scratch.text;
  }
};
template <>
struct Action<issued_date> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.first_date = state.scratch.date;
  }
};
template <>
struct Action<event_date> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.first_date = state.scratch.date;
  }
};
template <>
struct Action<due_date> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.second_date = state.scratch.date;
    state.scratch.has_second_date = true;
  }
};
template <>
struct Action<event_end_date> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.second_date = state.scratch.date;
    state.scratch.has_second_date = true;
  }
};

template <>
struct Action<field_key> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Name name;
    name.range = RangeOf(in, state);
    name.text = std::string(state.base + name.range.begin, name.range.end - name.range.begin);
    state.scratch.names.push_back(std::move(name));
  }
};
template <>
struct Action<field_value> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    FieldValue value;
    value.value = state.PopValue();
    value.field = state.PopName();
    state.scratch.fields.push_back(std::move(value));
  }
};

template <>
struct Action<test_invoice> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    TestInvoice invoice;
    invoice.range = RangeOf(in, state);
    invoice.id = state.scratch.invoice_id;
    invoice.amount = state.PopValue();
    invoice.issued = state.scratch.first_date;
    invoice.due = state.scratch.second_date;
    invoice.fields = std::move(state.scratch.fields);
    state.tree->tests.back().invoices.push_back(std::move(invoice));
  }
};
template <>
struct Action<test_customer> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    std::vector<FieldValue>& customer = state.tree->tests.back().customer;
    for (FieldValue& value : state.scratch.fields) customer.push_back(std::move(value));
  }
};

template <TestEventKind Kind>
struct TestEventAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    TestEvent event;
    event.kind = Kind;
    event.range = RangeOf(in, state);
    if constexpr (Kind == TestEventKind::Payment) event.amount = state.PopValue();
    event.date = state.scratch.first_date;
    if (state.scratch.has_second_date) event.end = state.scratch.second_date;
    event.invoice_id = state.scratch.event_invoice;
    state.tree->tests.back().events.push_back(std::move(event));
  }
};
template <>
struct Action<test_payment> : TestEventAction<TestEventKind::Payment> {};
template <>
struct Action<test_dispute> : TestEventAction<TestEventKind::Dispute> {};
template <>
struct Action<test_promise> : TestEventAction<TestEventKind::Promise> {};

template <>
struct Action<test_horizon> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.tree->tests.back().horizon = state.PopValue();
  }
};

// Tests: expectations.
template <>
struct Action<test_date_value> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.test_date.base = TestDate::Base::Date;
    state.scratch.test_date.date = state.scratch.date;
  }
};
template <>
struct Action<test_date_due> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.test_date.base = TestDate::Base::Due;
  }
};
template <>
struct Action<test_date_issue> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.test_date.base = TestDate::Base::Issue;
  }
};
template <>
struct Action<test_offset> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    AnchorOffset offset;
    offset.negative = state.scratch.offset_negative;
    offset.duration = state.PopValue();
    offset.range = RangeOf(in, state);
    state.scratch.test_date.offsets.push_back(offset);
  }
};
template <>
struct Action<test_date> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.scratch.test_date.range = RangeOf(in, state);
  }
};

template <>
struct Action<expect_argument> {
  template <typename Input>
  static void apply(const Input&, ParseState& state) {
    state.scratch.expect_argument = state.PopValue();
  }
};

template <ExpectationKind Kind>
struct ExpectationAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    Expectation expectation;
    expectation.kind = Kind;
    expectation.range = RangeOf(in, state);
    expectation.action = state.scratch.word_kind;
    if constexpr (Kind == ExpectationKind::BalanceAt) {
      expectation.argument = state.PopValue();
    } else {
      expectation.argument = state.scratch.expect_argument;
    }
    if constexpr (Kind != ExpectationKind::Never) expectation.when = std::move(state.scratch.test_date);
    state.tree->tests.back().expectations.push_back(std::move(expectation));
  }
};
template <>
struct Action<expect_never> : ExpectationAction<ExpectationKind::Never> {};
template <>
struct Action<expect_balance> : ExpectationAction<ExpectationKind::BalanceAt> {};
template <>
struct Action<expect_action> : ExpectationAction<ExpectationKind::ActionAt> {};

// The expectation's range starts at `expect`.
template <>
struct Action<test_expect> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.tree->tests.back().expectations.back().range = RangeOf(in, state);
  }
};

}  // namespace recoup::language::grammar
