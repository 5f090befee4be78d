// The PEGTL control of the policy grammar: what to say when a required part
// is missing (in words a finance team uses, never a rule name), and the
// nesting counter that stops runaway parentheses before the stack does.
// Internal to the parser.
#pragma once

#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "language/grammar_statements.h"
#include "language/parse_state.h"
#include "language/parser.h"

namespace recoup::language {

// Throws the E0001 for a required part missing at `position`, pointing at
// the next word on the same line and saying what was found there.
[[noreturn]] void RaiseMissing(const ParseState& state, const char* position, const char* end,
                               std::string message);
// Throws the E0003 for one nesting level too many, opened at `position`.
[[noreturn]] void RaiseTooDeep(const ParseState& state, const char* position, const char* end);
// Throws the E0002 for a text whose closing quote is missing.
[[noreturn]] void RaiseUnterminatedText(const ParseState& state, const char* end);
// Throws the E0001 for `\x` with an unknown x inside a text.
[[noreturn]] void RaiseUnknownEscape(const ParseState& state, const char* position, const char* end);

namespace grammar {

// The message for a required rule; nullptr means the rule is never required.
template <typename Rule>
inline constexpr const char* kMissing = nullptr;

#define RECOUP_MISSING(rule, text) \
  template <>                      \
  inline constexpr const char* kMissing<rule> = text;

RECOUP_MISSING(expression, "expected a value after `(`")
RECOUP_MISSING(list_item, "expected a value after `,` in the list")
RECOUP_MISSING(fired_open, "expected `(` after `fired`, as in `fired(reminder)`")
RECOUP_MISSING(label_reference, "expected a step's label inside `fired( )`, as in `fired(reminder)`")
RECOUP_MISSING(field_name, "expected a field name after the `.`, as in `invoice.amount`")
RECOUP_MISSING(qualified_part, "expected a name after the `.`, as in `eu.statutory_rate`")
RECOUP_MISSING(kw_year, "expected `year` after `per`, as in `8% per year`")
RECOUP_MISSING(unary, "expected a value after `-`")
RECOUP_MISSING(of_operand, "expected a value after `of`, as in `2% of invoice.balance`")
RECOUP_MISSING(in_list, "expected a list after `in`: in square brackets, as in `in [\"enterprise\", \"strategic\"]`, or a list constant's name")
RECOUP_MISSING(no_chained_comparison,
               "comparisons do not chain: write `a < b and b < c` rather than `a < b < c`")
RECOUP_MISSING(not_operand, "expected a condition after `not`")
RECOUP_MISSING(and_operand, "expected a condition after `and`")
RECOUP_MISSING(or_operand, "expected a condition after `or`")
RECOUP_MISSING(anchor,
               "expected the date to count from: `due`, `issue`, `promise`, `end of month of ...` or a step's label")
RECOUP_MISSING(month_of, "expected `of`, as in `end of month of due`")
RECOUP_MISSING(kw_month, "expected `month`, as in `end of month of due`")
RECOUP_MISSING(duration_expression, "expected a duration such as `30d` or `5 business days`")
RECOUP_MISSING(relative_direction, "expected `before` or `after` after the duration, as in `7 days before due`")
RECOUP_MISSING(until_target, "expected `agency` or a date to stop at after `until`, as in `until due + 60d`")
RECOUP_MISSING(max_count, "expected how many times after `max`, as in `max 4 times`")
RECOUP_MISSING(kw_times, "expected `times` after the count, as in `max 4 times`")
RECOUP_MISSING(every_period, "expected how often to repeat after `every`, as in `every 14d from due + 30d`")
RECOUP_MISSING(every_from, "expected `from` and the first date, as in `every 14d from due + 30d`")
RECOUP_MISSING(kw_service, "expected `service`, as in `suspend service` or `resume service`")
RECOUP_MISSING(kw_credit, "expected `credit`, as in `hold credit` or `release credit`")
RECOUP_MISSING(kw_off, "expected `off` after `write`, as in `write off`")
RECOUP_MISSING(message_template, "expected the template's name in quotes, as in `email \"overdue-15\"`")
RECOUP_MISSING(task_text, "expected what the task is, in quotes, as in `task \"review credit limit\" queue \"credit-desk\"`")
RECOUP_MISSING(task_target, "expected `queue` or `owner` after the task's text, as in `queue \"credit-desk\"`")
RECOUP_MISSING(task_assignee, "expected the queue or owner in quotes, as in `queue \"credit-desk\"`")
RECOUP_MISSING(fee_value, "expected the fee after `fee`, as in `fee 25 USD` or `fee 2% of balance`")
RECOUP_MISSING(fee_basis_word, "expected `balance` or `amount` after `of`, as in `fee 2% of balance`")
RECOUP_MISSING(fee_minimum_value, "expected the smallest fee after `min`, as in `min 25 USD`")
RECOUP_MISSING(fee_maximum_value, "expected the largest fee after `max`, as in `max 500 USD`")
RECOUP_MISSING(interest_rate, "expected an annual rate after `interest`, as in `interest 8% per year`")
RECOUP_MISSING(agency_name, "expected the agency's name in quotes after `agency`, as in `agency \"Alacrity\"`")
RECOUP_MISSING(kw_contingency, "expected `contingency` and the agency's share, as in `agency \"Alacrity\" contingency 30%`")
RECOUP_MISSING(agency_share, "expected the agency's share after `contingency`, as in `contingency 30%`")
RECOUP_MISSING(first_action, "expected an action (email, letter, call, fee, agency...) after `:`")
RECOUP_MISSING(next_action, "expected another action (email, letter, call, fee, agency...) after `,`")
RECOUP_MISSING(step_colon, "expected `:` between the trigger and its actions, as in `at due + 30d: email \"reminder\"`")
RECOUP_MISSING(pause_on, "expected `on` after `pause`, as in `pause on dispute`")
RECOUP_MISSING(pause_reason, "expected `dispute` or `promise` after `pause on`")
RECOUP_MISSING(pause_rule_word, "expected `defer` or `skip` after `:`")
RECOUP_MISSING(kw_when, "expected `when` after `stop`, as in `stop when paid`")
RECOUP_MISSING(stop_condition, "expected `paid` or a condition after `stop when`, as in `stop when invoice.balance < 5 USD`")
RECOUP_MISSING(use_name, "expected the template's name after `use`, as in `use reminder_ladder(first: 10d)`")
RECOUP_MISSING(use_open, "expected `(` and the template's values after its name, as in `use reminder_ladder(first: 10d)`")
RECOUP_MISSING(use_argument, "expected a parameter's name after `,`, as in `late_fee: 25 USD`")
RECOUP_MISSING(argument_colon, "expected `:` and a value after the parameter's name, as in `first: 10d`")
RECOUP_MISSING(use_argument_value, "expected the parameter's value after `:`")
RECOUP_MISSING(policy_name, "expected the policy's name in quotes after `policy`, as in `policy \"Net 30\"`")
RECOUP_MISSING(version_text, "expected the version in quotes after `version`, as in `version \"2.1\"`")
RECOUP_MISSING(currency_name, "expected a currency code after `currency`, as in `currency USD`")
RECOUP_MISSING(kw_to, "expected `to` after `applies`, as in `applies to invoice.amount >= 100 USD`")
RECOUP_MISSING(applies_condition, "expected a condition after `applies to`, as in `applies to invoice.amount >= 100 USD`")
RECOUP_MISSING(subject_word, "expected `invoice` or `customer` after `subject`")
RECOUP_MISSING(kw_agency, "expected `agency` after `after`, as in `after agency: stop`")
RECOUP_MISSING(after_agency_colon, "expected `:` after `after agency`, as in `after agency: stop`")
RECOUP_MISSING(after_agency_choice, "expected `stop` or `continue` after `after agency:`")
RECOUP_MISSING(kw_settle, "expected `settle` after `payments`, as in `payments settle fees, interest, principal`")
RECOUP_MISSING(settle_part, "expected `fees`, `interest` or `principal`, as in `payments settle fees, interest, principal`")
RECOUP_MISSING(settle_comma, "expected `,` and the next part, as in `payments settle fees, interest, principal`")
RECOUP_MISSING(import_path, "expected the file to import in quotes, as in `import \"stdlib/calendars/us-federal.recoup\"`")
RECOUP_MISSING(defined_name<NameUse::Alias>, "expected a short name after `as`, as in `import \"...\" as eu`")
RECOUP_MISSING(defined_name<NameUse::Constant>, "expected the constant's name after `const`, as in `const reminder_gap = 14d`")
RECOUP_MISSING(defined_name<NameUse::Template>, "expected the template's name after `template`")
RECOUP_MISSING(defined_name<NameUse::Label>, "expected a label")
RECOUP_MISSING(constant_equals, "expected `=` and a value after the constant's name, as in `const reminder_gap = 14d`")
RECOUP_MISSING(constant_value, "expected the constant's value after `=`")
RECOUP_MISSING(attribute_object, "expected `invoice` or `customer` after `attribute`, as in `attribute invoice.region: text`")
RECOUP_MISSING(dot, "expected `.` and a field name, as in `attribute invoice.region: text`")
RECOUP_MISSING(attribute_field, "expected the field's name after the `.`, as in `invoice.region`")
RECOUP_MISSING(attribute_colon, "expected `:` and a type after the field, as in `attribute invoice.region: text`")
RECOUP_MISSING(parameter_colon, "expected `:` and a type after the parameter's name, as in `first: duration`")
RECOUP_MISSING(type_name, "expected a type: money, percent, rate, duration, date, count, number, bool or text")
RECOUP_MISSING(calendar_name, "expected the calendar's name after `calendar`, as in `calendar us_federal`")
RECOUP_MISSING(costs_name, "expected a cost table's name or `{` after `costs`, as in `costs lean`")
RECOUP_MISSING(parameters_open, "expected `(` and the parameters after the template's name, as in `template ladder(first: duration) {`")
RECOUP_MISSING(template_parameter, "expected a parameter after `,`, as in `late_fee: money`")
RECOUP_MISSING(block_open, "expected `{` to begin the block")
RECOUP_MISSING(test_name, "expected the test's name in quotes after `test`, as in `test \"pays late\" {`")
RECOUP_MISSING(weekday, "expected a day of the week: mon, tue, wed, thu, fri, sat or sun")
RECOUP_MISSING(holiday_date, "expected the holiday's date after `holiday`, as in `holiday 2026-12-25 \"Christmas Day\"`")
RECOUP_MISSING(cost_value, "expected the cost after the action, as in `email 0.02 USD`")
RECOUP_MISSING(test_amount, "expected the invoice's amount, as in `invoice 1200 USD issued 2026-01-01 due 2026-01-31`")
RECOUP_MISSING(kw_issued, "expected `issued` and the issue date after the amount, as in `issued 2026-01-01`")
RECOUP_MISSING(issued_date, "expected the issue date after `issued`, as in `issued 2026-01-01`")
RECOUP_MISSING(kw_due, "expected `due` and the due date after the issue date, as in `due 2026-01-31`")
RECOUP_MISSING(due_date, "expected the due date after `due`, as in `due 2026-01-31`")
RECOUP_MISSING(field_values, "expected a field and its value, as in `segment = \"strategic\"`")
RECOUP_MISSING(field_value, "expected another field after `,`, as in `country = \"DE\"`")
RECOUP_MISSING(field_equals, "expected `=` and a value after the field's name, as in `segment = \"strategic\"`")
RECOUP_MISSING(field_value_expression, "expected the field's value after `=`")
RECOUP_MISSING(event_invoice_id, "expected the invoice's id in quotes after `for`, as in `for \"INV-1\"`")
RECOUP_MISSING(payment_amount, "expected the amount paid after `payment`, as in `payment 500 USD on 2026-02-15`")
RECOUP_MISSING(payment_on, "expected `on` and the payment's date, as in `on 2026-02-15`")
RECOUP_MISSING(dispute_from, "expected `from` and the day the dispute opened, as in `dispute from 2026-02-10`")
RECOUP_MISSING(event_date, "expected a date written as year-month-day, as in 2026-03-01")
RECOUP_MISSING(event_end_date, "expected the day the dispute was resolved after `to`, as in `to 2026-02-20`")
RECOUP_MISSING(horizon_length, "expected how long to simulate after `horizon`, as in `horizon 180d`")
RECOUP_MISSING(test_date, "expected a day after `at`: a date such as 2026-03-01, or `due` or `issue` with offsets such as `due + 30d`")
RECOUP_MISSING(expect_at, "expected `at` and the day, as in `expect letter at due + 30d`")
RECOUP_MISSING(expectation,
               "expected what to expect: an action and its day (`expect email \"upcoming\" at due - 7d`), "
               "`never` and an action, or `balance`")
RECOUP_MISSING(never_kind, "expected an action after `never`, as in `expect never agency`")
RECOUP_MISSING(balance_amount, "expected the balance after `balance`, as in `expect balance 7025 USD at 2026-04-01`")
RECOUP_MISSING(top_statement,
               "expected a statement: a step such as `at due + 30d: email \"reminder\"`, a header line "
               "(policy, version, currency, applies to...) or a definition (const, template, test...)")
RECOUP_MISSING(template_statement, "expected a step, `pause`, `stop`, `use` or `}` inside the template")
RECOUP_MISSING(calendar_statement_inner, "expected `weekend`, `holiday` or `}` inside the calendar")
RECOUP_MISSING(cost_entry, "expected an action and its cost, as in `email 0.02 USD`, or `}` to end the cost table")
RECOUP_MISSING(test_statement,
               "expected a fact (invoice, customer, payment, dispute, promise, horizon), an `expect` line, "
               "or `}` inside the test")

#undef RECOUP_MISSING

// The text of "expected ..." for Rule; some depend on what was read.
template <typename Rule>
std::string MissingMessage(const ParseState& state) {
  static_assert(kMissing<Rule> != nullptr, "every required rule needs a plain-words message");
  return kMissing<Rule>;
}

std::string CloseMessage(const ParseState& state, const char* what);
std::string OperandMessage(const ParseState& state);

template <>
inline std::string MissingMessage<close_paren>(const ParseState& state) {
  return CloseMessage(state, ")");
}
template <>
inline std::string MissingMessage<parameters_close>(const ParseState& state) {
  return CloseMessage(state, ")");
}
template <>
inline std::string MissingMessage<use_arguments_close>(const ParseState& state) {
  return CloseMessage(state, ")");
}
template <>
inline std::string MissingMessage<close_bracket>(const ParseState& state) {
  return CloseMessage(state, "]");
}
template <>
inline std::string MissingMessage<multiply_operand>(const ParseState& state) {
  return OperandMessage(state);
}
template <>
inline std::string MissingMessage<add_operand>(const ParseState& state) {
  return OperandMessage(state);
}
template <>
inline std::string MissingMessage<compare_operand>(const ParseState& state) {
  return OperandMessage(state);
}
template <>
inline std::string MissingMessage<labelled_trigger>(const ParseState& state) {
  std::string label = state.scratch.label ? state.scratch.label->text : "";
  return fmt::format("expected a trigger such as `at due + 30d` after the label `{}:`", label);
}
template <>
inline std::string MissingMessage<guard_condition>(const ParseState& state) {
  return fmt::format("expected a condition after `{}`",
                     state.scratch.guard_kind == GuardKind::Unless ? "unless" : "if");
}

template <typename Rule>
struct Control : tao::pegtl::normal<Rule> {
  static constexpr bool kNests = std::is_base_of_v<nesting_tag, Rule>;

  template <typename ParseInput>
  static void start(const ParseInput& in, ParseState& state) {
    if constexpr (kNests) {
      if (++state.scratch.depth > kMaxNestingDepth) RaiseTooDeep(state, in.current(), in.end());
    }
  }
  template <typename ParseInput>
  static void success(const ParseInput&, ParseState& state) {
    if constexpr (kNests) --state.scratch.depth;
  }
  template <typename ParseInput>
  static void failure(const ParseInput&, ParseState& state) {
    if constexpr (kNests) --state.scratch.depth;
  }

  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParseState& state) {
    if constexpr (std::is_same_v<Rule, text_close>) {
      RaiseUnterminatedText(state, in.end());
    } else if constexpr (std::is_same_v<Rule, escape_code>) {
      RaiseUnknownEscape(state, in.current(), in.end());
    } else {
      RaiseMissing(state, in.current(), in.end(), MissingMessage<Rule>(state));
    }
  }
};

}  // namespace grammar
}  // namespace recoup::language
