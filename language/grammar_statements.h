// Statements as PEGTL rules: actions, steps, pauses, stops, header lines,
// definitions, and the items inside `{ ... }` blocks.
//
// A block (template, test, calendar, cost table) is parsed one item at a
// time by the parser's loop, not as one rule, so that an error inside a
// block is reported and recovered from like any other statement.
#pragma once

#include "language/grammar_expressions.h"
#include "language/syntax_tree.h"

namespace recoup::language::grammar {

// A name being defined. Reserved words are caught by the rule's action
// (E0008), so the message can say what the name was for.
enum class NameUse : std::uint8_t { Label, Constant, Template, Parameter, Alias, Calendar, CostTable, Argument };
template <NameUse Use>
struct defined_name : seq<ws, identifier> {};
struct qualified_name : seq<ws, identifier, opt<dot, must<qualified_part>>> {};
struct type_name : seq<ws, identifier> {};

// The words naming an action kind; the action records the kind.
template <ActionKind Kind, typename Words>
struct action_word : Words {};
using word_email = action_word<ActionKind::Email, kw_email>;
using word_sms = action_word<ActionKind::Sms, kw_sms>;
using word_letter = action_word<ActionKind::Letter, kw_letter>;
using word_notice = action_word<ActionKind::Notice, kw_notice>;
using word_call = action_word<ActionKind::Call, kw_call>;
using word_task = action_word<ActionKind::Task, kw_task>;
using word_fee = action_word<ActionKind::Fee, kw_fee>;
using word_interest = action_word<ActionKind::Interest, kw_interest>;
using word_suspend = action_word<ActionKind::SuspendService, seq<kw_suspend, must<kw_service>>>;
using word_resume = action_word<ActionKind::ResumeService, seq<kw_resume, must<kw_service>>>;
using word_hold = action_word<ActionKind::HoldCredit, seq<kw_hold, must<kw_credit>>>;
using word_release = action_word<ActionKind::ReleaseCredit, seq<kw_release, must<kw_credit>>>;
using word_agency = action_word<ActionKind::Agency, kw_agency>;
using word_legal = action_word<ActionKind::Legal, kw_legal>;
using word_write_off = action_word<ActionKind::WriteOff, seq<kw_write, must<kw_off>>>;
struct action_kind
    : sor<word_email, word_sms, word_letter, word_notice, word_call, word_task, word_fee, word_interest,
          word_suspend, word_resume, word_hold, word_release, word_agency, word_legal, word_write_off> {};

// Actions.
struct optional_argument : seq<not_at<statement_start>, expression> {};
struct message_template : seq<expression> {};
struct message_action : seq<sor<word_email, word_sms, word_letter, word_notice>, must<message_template>> {};
struct call_action : seq<word_call, opt<optional_argument>> {};
struct task_text : seq<expression> {};
struct task_queue : seq<kw_queue> {};
struct task_owner : seq<kw_owner> {};
struct task_target : sor<task_queue, task_owner> {};
struct task_assignee : seq<expression> {};
struct task_action : seq<word_task, must<task_text>, must<task_target>, must<task_assignee>> {};
struct fee_value : seq<expression> {};
struct fee_on_balance : seq<kw_balance> {};
struct fee_on_amount : seq<kw_amount> {};
struct fee_basis_word : sor<fee_on_balance, fee_on_amount> {};
struct fee_basis : seq<kw_of, must<fee_basis_word>> {};
struct fee_minimum_value : seq<expression> {};
struct fee_minimum : seq<kw_min, must<fee_minimum_value>> {};
struct fee_maximum_value : seq<expression> {};
struct fee_maximum : seq<kw_max, must<fee_maximum_value>> {};
struct fee_action : seq<word_fee, must<fee_value>, opt<fee_basis>, opt<fee_minimum>, opt<fee_maximum>> {};
struct interest_rate : seq<expression> {};
struct interest_start : seq<kw_from, must<anchor>> {};
struct interest_action : seq<word_interest, must<interest_rate>, opt<interest_start>> {};
struct service_action : sor<word_suspend, word_resume, word_hold, word_release, word_write_off> {};
struct agency_name : seq<expression> {};
struct agency_share : seq<expression> {};
struct agency_action : seq<word_agency, must<agency_name>, must<kw_contingency>, must<agency_share>> {};
struct legal_action : seq<word_legal, opt<optional_argument>> {};
struct action
    : sor<message_action, call_action, task_action, fee_action, interest_action, service_action,
          agency_action, legal_action> {};
struct first_action : seq<action> {};
struct next_action : seq<action> {};
struct action_list : seq<must<first_action>, star<comma, must<next_action>>> {};

// Steps.
struct label_definition : seq<at<label_start>, defined_name<NameUse::Label>, colon> {};
struct labelled_trigger : seq<trigger> {};
struct step_colon : seq<colon> {};
struct guard_if : seq<kw_if> {};
struct guard_unless : seq<kw_unless> {};
struct guard_condition : seq<expression> {};
struct guard : seq<sor<guard_if, guard_unless>, must<guard_condition>> {};
struct step_rest : seq<must<step_colon>, action_list, opt<guard>> {};
struct step : sor<seq<label_definition, must<labelled_trigger>, step_rest>, seq<trigger, step_rest>> {};

// Pauses and stops.
struct pause_dispute : seq<kw_dispute> {};
struct pause_grace : seq<plus_sign, must<duration_expression>> {};
struct pause_promise : seq<kw_promise, opt<pause_grace>> {};
struct pause_reason : sor<pause_dispute, pause_promise> {};
struct pause_defer : seq<kw_defer> {};
struct pause_skip : seq<kw_skip> {};
struct pause_rule_word : sor<pause_defer, pause_skip> {};
struct pause_rule : seq<colon, must<pause_rule_word>> {};
struct pause_on : seq<kw_on> {};
struct pause_statement : seq<kw_pause, must<pause_on>, must<pause_reason>, opt<pause_rule>> {};
struct stop_paid : seq<kw_paid> {};
struct stop_condition : sor<stop_paid, expression> {};
struct stop_actions : seq<colon, action_list> {};
struct stop_statement : seq<kw_stop, must<kw_when>, must<stop_condition>, opt<stop_actions>> {};

// `use NAME(PARAM: VALUE, ...)`.
struct use_name : seq<qualified_name> {};
struct use_open : seq<open_paren> {};
struct use_argument_value : seq<expression> {};
struct argument_colon : seq<colon> {};
struct use_argument : seq<defined_name<NameUse::Argument>, must<argument_colon>, must<use_argument_value>> {};
struct use_arguments_close : seq<close_paren> {};
struct use_statement
    : seq<kw_use, must<use_name>, must<use_open>, opt<use_argument, star<comma, must<use_argument>>>,
          must<use_arguments_close>> {};

// Header lines.
struct policy_name : seq<quoted_text> {};
struct policy_line : seq<kw_policy, must<policy_name>> {};
struct version_text : seq<quoted_text> {};
struct version_line : seq<kw_version, must<version_text>> {};
struct currency_name : seq<ws, identifier> {};
struct currency_line : seq<kw_currency, must<currency_name>> {};
struct applies_condition : seq<expression> {};
struct applies_line : seq<kw_applies, must<kw_to>, must<applies_condition>> {};
struct subject_invoice : seq<kw_invoice> {};
struct subject_customer : seq<kw_customer> {};
struct subject_word : sor<subject_invoice, subject_customer> {};
struct subject_line : seq<kw_subject, must<subject_word>> {};
struct after_agency_stop : seq<kw_stop> {};
struct after_agency_continue : seq<kw_continue> {};
struct after_agency_choice : sor<after_agency_stop, after_agency_continue> {};
struct after_agency_colon : seq<colon> {};
struct after_agency_line : seq<kw_after, must<kw_agency>, must<after_agency_colon>, must<after_agency_choice>> {};
struct settle_fees : seq<kw_fees> {};
struct settle_interest : seq<kw_interest> {};
struct settle_principal : seq<kw_principal> {};
struct settle_part : sor<settle_fees, settle_interest, settle_principal> {};
struct settle_comma : seq<comma> {};
struct settlement_line
    : seq<kw_payments, must<kw_settle>, must<settle_part>, must<settle_comma>, must<settle_part>, must<settle_comma>,
          must<settle_part>> {};

// Definitions.
struct import_path : seq<quoted_text> {};
struct import_alias : seq<kw_as, must<defined_name<NameUse::Alias>>> {};
struct import_statement : seq<kw_import, must<import_path>, opt<import_alias>> {};
struct constant_equals : seq<equals> {};
struct constant_value : seq<expression> {};
struct constant_statement
    : seq<kw_const, must<defined_name<NameUse::Constant>>, must<constant_equals>, must<constant_value>> {};
struct attribute_object : sor<subject_invoice, subject_customer> {};
struct attribute_field : seq<ws, identifier> {};
struct attribute_colon : seq<colon> {};
struct attribute_statement
    : seq<kw_attribute, must<attribute_object>, must<dot>, must<attribute_field>, must<attribute_colon>, must<type_name>> {};

// `calendar NAME` (header) or `calendar NAME {` (definition).
struct block_open : seq<open_brace> {};
struct calendar_name : seq<qualified_name> {};
struct calendar_statement : seq<kw_calendar, must<calendar_name>, opt<block_open>> {};
// `costs NAME` (header), `costs NAME {` (definition) or `costs {` (header override).
struct costs_name : seq<qualified_name> {};
struct costs_statement : seq<kw_costs, sor<block_open, seq<must<costs_name>, opt<block_open>>>> {};
struct parameter_colon : seq<colon> {};
struct template_parameter : seq<defined_name<NameUse::Parameter>, must<parameter_colon>, must<type_name>> {};
struct parameters_open : seq<open_paren> {};
struct parameters_close : seq<close_paren> {};
struct template_head
    : seq<kw_template, must<defined_name<NameUse::Template>>, must<parameters_open>,
          opt<template_parameter, star<comma, must<template_parameter>>>, must<parameters_close>,
          must<block_open>> {};
struct test_name : seq<quoted_text> {};
struct test_head : seq<kw_test, must<test_name>, must<block_open>> {};

// Everything that may start at the top level of a file.
struct top_statement
    : sor<import_statement, constant_statement, attribute_statement, calendar_statement, costs_statement,
          template_head, test_head, policy_line, version_line, currency_line, applies_line, subject_line,
          after_agency_line, settlement_line, pause_statement, stop_statement, use_statement, step> {};
struct top_item : must<top_statement> {};

// Inside `template NAME(...) { ... }`.
struct template_statement : sor<pause_statement, stop_statement, use_statement, step> {};
struct template_item : must<template_statement> {};

// Inside `calendar NAME { ... }`.
struct weekday : seq<ws, identifier> {};
struct weekend_line : seq<kw_weekend, must<weekday>, star<comma, must<weekday>>> {};
struct holiday_date : seq<date_value> {};
struct holiday_description : seq<quoted_text> {};
struct holiday_line : seq<kw_holiday, must<holiday_date>, opt<holiday_description>> {};
struct calendar_statement_inner : sor<weekend_line, holiday_line> {};
struct calendar_item : must<calendar_statement_inner> {};

// Inside `costs NAME { ... }` and `costs { ... }`.
struct cost_value : seq<expression> {};
struct cost_entry : seq<action_kind, must<cost_value>> {};
struct costs_item : must<cost_entry> {};

// Inside `test "name" { ... }`.
struct invoice_id : seq<quoted_text> {};
struct test_amount : seq<expression> {};
struct issued_date : seq<date_value> {};
struct due_date : seq<date_value> {};
struct field_key : seq<ws, identifier> {};
struct field_value_expression : seq<expression> {};
struct field_equals : seq<equals> {};
struct field_value : seq<field_key, must<field_equals>, must<field_value_expression>> {};
struct field_values : seq<field_value, star<comma, must<field_value>>> {};
struct invoice_fields : seq<kw_with, must<field_values>> {};
struct test_invoice
    : seq<kw_invoice, opt<invoice_id>, must<test_amount>, must<kw_issued>, must<issued_date>, must<kw_due>,
          must<due_date>, opt<invoice_fields>> {};
struct test_customer : seq<kw_customer, must<field_values>> {};
struct event_invoice_id : seq<quoted_text> {};
struct event_invoice : seq<kw_for, must<event_invoice_id>> {};
struct event_date : seq<date_value> {};
struct event_end_date : seq<date_value> {};
struct payment_amount : seq<expression> {};
struct payment_on : seq<kw_on> {};
struct test_payment : seq<kw_payment, must<payment_amount>, must<payment_on>, must<event_date>, opt<event_invoice>> {};
struct dispute_from : seq<kw_from> {};
struct dispute_end : seq<kw_to, must<event_end_date>> {};
struct test_dispute
    : seq<kw_dispute, must<dispute_from>, must<event_date>, opt<dispute_end>, opt<event_invoice>> {};
struct test_promise : seq<kw_promise, must<event_date>, opt<event_invoice>> {};
struct horizon_length : seq<duration_expression> {};
struct test_horizon : seq<kw_horizon, must<horizon_length>> {};
struct test_date_value : seq<date_value> {};
struct test_date_due : seq<kw_due> {};
struct test_date_issue : seq<kw_issue> {};
struct test_date_base : sor<test_date_value, test_date_due, test_date_issue> {};
struct test_offset : seq<offset_sign, must<duration_expression>> {};
struct test_date : seq<test_date_base, star<test_offset>> {};
struct never_kind : seq<action_kind> {};
struct expect_never : seq<kw_never, must<never_kind>> {};
struct balance_amount : seq<expression> {};
struct expect_at : seq<kw_at> {};
struct expect_balance : seq<kw_balance, must<balance_amount>, must<expect_at>, must<test_date>> {};
struct expect_argument : seq<not_at<kw_at>, expression> {};
struct expect_action : seq<action_kind, opt<expect_argument>, must<expect_at>, must<test_date>> {};
struct expectation : sor<expect_never, expect_balance, expect_action> {};
struct test_expect : seq<kw_expect, must<expectation>> {};
struct test_statement
    : sor<test_invoice, test_customer, test_payment, test_dispute, test_promise, test_horizon, test_expect> {};
struct test_item : must<test_statement> {};

}  // namespace recoup::language::grammar
