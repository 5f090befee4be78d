// Expressions, anchors and triggers as PEGTL rules.
//
// The grammar is written so that it never backtracks over a rule whose
// action has already run: every alternative is told apart by its first
// token, and once an operator or keyword has matched the rest is `must<>`.
// That lets the actions build the tree directly on a value stack.
//
// Precedence, loosest first: or; and; not; comparisons and `in`; + -;
// * /; of; unary -; `per year`; primaries.
#pragma once

#include "language/grammar_lexical.h"

namespace recoup::language::grammar {

// The inside of a bracket, `not`, `-` or `end of month of`, entered once
// its opening token has matched: the control counts these levels and
// reports E0003 past kMaxNestingDepth, before the stack can run out.
struct nesting_tag {};

struct expression;
struct anchor;

// Primaries.
struct paren_inside : seq<must<expression>, must<close_paren>>, nesting_tag {};
struct paren_group : seq<open_paren, paren_inside> {};
struct list_item : seq<expression> {};
struct list_inside : seq<opt<list_item, star<comma, must<list_item>>>, must<close_bracket>>, nesting_tag {};
struct list_literal : seq<open_bracket, list_inside> {};
struct label_reference : seq<ws, free_identifier> {};
struct fired_open : seq<open_paren> {};
struct fired_call : seq<kw_fired, must<fired_open>, must<label_reference>, must<close_paren>> {};
struct today_literal : seq<kw_today> {};
struct true_literal : seq<kw_true> {};
struct false_literal : seq<kw_false> {};
struct field_object : sor<TAO_PEGTL_STRING("invoice"), TAO_PEGTL_STRING("customer")> {};
struct field_name : identifier {};
struct field_reference : seq<ws, field_object, dot, must<field_name>> {};
struct date_literal : seq<date_value> {};
struct text_literal : seq<quoted_text> {};
struct qualified_part : identifier {};
struct name_reference : seq<ws, free_identifier, opt<dot, must<qualified_part>>> {};

struct primary
    : sor<paren_group, list_literal, fired_call, today_literal, true_literal, false_literal,
          field_reference, date_literal, number_literal, text_literal, name_reference> {};

// Postfix `per year`, prefix minus, then the binary levels.
struct per_year : seq<kw_per, must<kw_year>> {};
struct postfix : seq<primary, opt<per_year>> {};
struct unary;
struct negation_inside : seq<must<unary>>, nesting_tag {};
struct negation : seq<minus_sign, negation_inside> {};
struct unary : sor<negation, postfix> {};

struct of_operand : seq<unary> {};
struct of_tail : seq<kw_of, not_at<sor<kw_balance, kw_amount>>, must<of_operand>> {};
struct of_level : seq<unary, star<of_tail>> {};

struct multiply_operator : seq<ws, one<'*', '/'>> {};
struct multiply_operand : seq<of_level> {};
struct multiply_tail : seq<multiply_operator, must<multiply_operand>> {};
struct multiply_level : seq<of_level, star<multiply_tail>> {};

struct add_operator : seq<ws, one<'+', '-'>> {};
struct add_operand : seq<multiply_level> {};
struct add_tail : seq<add_operator, must<add_operand>> {};
struct add_level : seq<multiply_level, star<add_tail>> {};

struct compare_operator
    : seq<ws, sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="),
                  TAO_PEGTL_STRING(">="), one<'<'>, one<'>'>>> {};
struct compare_operand : seq<add_level> {};
struct compare_tail : seq<compare_operator, must<compare_operand>> {};
// `in` takes a list written out or a list constant's name (`in vip_segments`).
struct in_list : sor<list_literal, name_reference> {};
struct in_tail : seq<kw_in, must<in_list>> {};
// Comparisons do not chain: `a < b < c` is an error that says so.
struct no_chained_comparison : not_at<compare_operator> {};
struct compare_level : seq<add_level, opt<sor<compare_tail, in_tail>, must<no_chained_comparison>>> {};

struct not_level;
struct not_operand : seq<not_level> {};
struct not_inside : seq<must<not_operand>>, nesting_tag {};
struct not_prefix : seq<kw_not, not_inside> {};
struct not_level : sor<not_prefix, compare_level> {};

struct and_operand : seq<not_level> {};
struct and_tail : seq<kw_and, must<and_operand>> {};
struct and_level : seq<not_level, star<and_tail>> {};

struct or_operand : seq<and_level> {};
struct or_tail : seq<kw_or, must<or_operand>> {};
struct expression : seq<and_level, star<or_tail>> {};

// A duration inside an anchor or after `every`: tighter than + and -, so
// `due + 30d - 2d` is two offsets applied left to right.
struct duration_expression : seq<multiply_level> {};

// Anchors: due, issue, promise, a label, end of month of ANCHOR, (ANCHOR),
// then offsets.
struct anchor_due : seq<kw_due> {};
struct anchor_issue : seq<kw_issue> {};
struct anchor_promise : seq<kw_promise> {};
struct anchor_label : seq<ws, free_identifier> {};
struct anchor_group_inside : seq<must<anchor>, must<close_paren>>, nesting_tag {};
struct anchor_group : seq<open_paren, anchor_group_inside> {};
struct month_of : seq<kw_of> {};
struct end_of_month_inside : seq<must<month_of>, must<kw_month>, must<month_of>, must<anchor>>, nesting_tag {};
struct end_of_month : seq<kw_end, end_of_month_inside> {};
struct anchor_base
    : sor<anchor_group, end_of_month, anchor_due, anchor_issue, anchor_promise, anchor_label> {};
struct offset_sign : seq<ws, one<'+', '-'>> {};
struct anchor_offset : seq<offset_sign, must<duration_expression>> {};
struct anchor : seq<anchor_base, star<anchor_offset>> {};

// Triggers.
struct at_trigger : seq<kw_at, must<anchor>> {};
struct before_word : seq<kw_before> {};
struct after_word : seq<kw_after> {};
struct relative_duration : seq<number_literal> {};
struct relative_direction : sor<before_word, after_word> {};
struct relative_trigger
    : seq<relative_duration, must<relative_direction>, must<anchor>> {};
struct until_agency : seq<kw_agency> {};
struct until_target : sor<until_agency, anchor> {};
struct until_clause : seq<kw_until, must<until_target>> {};
struct max_count : seq<expression> {};
struct max_clause : seq<kw_max, must<max_count>, must<kw_times>> {};
struct every_period : seq<duration_expression> {};
struct every_from : seq<kw_from> {};
struct every_trigger
    : seq<kw_every, must<every_period>, must<every_from>, must<anchor>, opt<until_clause>, opt<max_clause>> {};
struct trigger : sor<at_trigger, every_trigger, relative_trigger> {};

// The start of a step written as `7 days before due`, or of a labelled
// step: an optional expression must not swallow the next statement.
struct label_start : seq<ws, identifier, ws, one<':'>> {};
struct relative_start : seq<number_literal, sor<kw_before, kw_after>> {};
struct statement_start : sor<label_start, relative_start> {};

}  // namespace recoup::language::grammar
