// The words of the policy language as PEGTL rules: layout, comments,
// keywords, names and literals. Every token rule skips the layout *before*
// itself (`ws` first), so a rule's match ends exactly where its last token
// ends and node ranges need no trimming at the end.
//
// Internal to the parser: included by parser.cpp and the grammar headers.
#pragma once

#include <tao/pegtl.hpp>

#include "language/parse_words.h"

namespace recoup::language::grammar {

namespace pegtl = tao::pegtl;
using pegtl::alpha;
using pegtl::at;
using pegtl::digit;
using pegtl::eof;
using pegtl::identifier_first;
using pegtl::identifier_other;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::rep;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::success;

// Layout: spaces, tabs, line breaks (LF or CRLF) and `#` comments. A comment
// means nothing to the grammar, but its action keeps it in the syntax tree
// for the formatter.
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct ws : star<sor<one<' ', '\t', '\r', '\n', '\f', '\v'>, comment>> {};
struct blanks : star<one<' ', '\t'>> {};

// A whole word: the keyword and no identifier character right after it.
#define RECOUP_KEYWORD(word) \
  struct kw_##word : seq<ws, TAO_PEGTL_KEYWORD(#word)> {};

RECOUP_KEYWORD(after) RECOUP_KEYWORD(agency) RECOUP_KEYWORD(amount) RECOUP_KEYWORD(and)
RECOUP_KEYWORD(applies) RECOUP_KEYWORD(as) RECOUP_KEYWORD(at) RECOUP_KEYWORD(attribute)
RECOUP_KEYWORD(balance) RECOUP_KEYWORD(before) RECOUP_KEYWORD(calendar) RECOUP_KEYWORD(call)
RECOUP_KEYWORD(const) RECOUP_KEYWORD(contingency) RECOUP_KEYWORD(continue) RECOUP_KEYWORD(costs) RECOUP_KEYWORD(credit)
RECOUP_KEYWORD(currency) RECOUP_KEYWORD(customer) RECOUP_KEYWORD(defer) RECOUP_KEYWORD(dispute)
RECOUP_KEYWORD(due) RECOUP_KEYWORD(email) RECOUP_KEYWORD(end) RECOUP_KEYWORD(every)
RECOUP_KEYWORD(expect) RECOUP_KEYWORD(false) RECOUP_KEYWORD(fee) RECOUP_KEYWORD(fees) RECOUP_KEYWORD(fired)
RECOUP_KEYWORD(for) RECOUP_KEYWORD(from) RECOUP_KEYWORD(hold) RECOUP_KEYWORD(holiday)
RECOUP_KEYWORD(horizon) RECOUP_KEYWORD(if) RECOUP_KEYWORD(import) RECOUP_KEYWORD(in)
RECOUP_KEYWORD(interest) RECOUP_KEYWORD(invoice) RECOUP_KEYWORD(issue) RECOUP_KEYWORD(issued)
RECOUP_KEYWORD(legal) RECOUP_KEYWORD(letter) RECOUP_KEYWORD(max) RECOUP_KEYWORD(min)
RECOUP_KEYWORD(month) RECOUP_KEYWORD(never) RECOUP_KEYWORD(not) RECOUP_KEYWORD(notice)
RECOUP_KEYWORD(of) RECOUP_KEYWORD(off) RECOUP_KEYWORD(on) RECOUP_KEYWORD(or)
RECOUP_KEYWORD(owner) RECOUP_KEYWORD(paid) RECOUP_KEYWORD(pause) RECOUP_KEYWORD(payment)
RECOUP_KEYWORD(per) RECOUP_KEYWORD(payments) RECOUP_KEYWORD(policy) RECOUP_KEYWORD(principal) RECOUP_KEYWORD(promise) RECOUP_KEYWORD(queue)
RECOUP_KEYWORD(release) RECOUP_KEYWORD(resume) RECOUP_KEYWORD(service) RECOUP_KEYWORD(settle) RECOUP_KEYWORD(skip)
RECOUP_KEYWORD(sms) RECOUP_KEYWORD(stop) RECOUP_KEYWORD(subject) RECOUP_KEYWORD(suspend)
RECOUP_KEYWORD(task) RECOUP_KEYWORD(template) RECOUP_KEYWORD(test) RECOUP_KEYWORD(times)
RECOUP_KEYWORD(to) RECOUP_KEYWORD(today) RECOUP_KEYWORD(true) RECOUP_KEYWORD(unless)
RECOUP_KEYWORD(until) RECOUP_KEYWORD(use) RECOUP_KEYWORD(version) RECOUP_KEYWORD(weekend)
RECOUP_KEYWORD(when) RECOUP_KEYWORD(with) RECOUP_KEYWORD(write) RECOUP_KEYWORD(year)

#undef RECOUP_KEYWORD

// Punctuation, each preceded by layout.
struct colon : seq<ws, one<':'>> {};
struct comma : seq<ws, one<','>> {};
struct equals : seq<ws, one<'='>, not_at<one<'='>>> {};
struct dot : one<'.'> {};
struct open_paren : seq<ws, one<'('>> {};
struct close_paren : seq<ws, one<')'>> {};
struct open_bracket : seq<ws, one<'['>> {};
struct close_bracket : seq<ws, one<']'>> {};
struct open_brace : seq<ws, one<'{'>> {};
struct close_brace : seq<ws, one<'}'>> {};
struct plus_sign : seq<ws, one<'+'>> {};
struct minus_sign : seq<ws, one<'-'>> {};

// Names. `identifier` is any word; `free_identifier` is a word that is not
// reserved, so an expression stops at `if`, `and`, `at`...
struct identifier : seq<identifier_first, star<identifier_other>> {};

struct free_identifier {
  using rule_t = free_identifier;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    std::size_t length = IdentifierLength(in.current(), in.end());
    if (length == 0 || IsReservedWord(std::string_view(in.current(), length))) return false;
    in.bump(length);
    return true;
  }
};

// A number as written: digits with an optional fraction.
struct number_token : seq<plus<digit>, opt<one<'.'>, plus<digit>>> {};

// Units right after a number. `7d`, `5bd`, `2w` are glued to the number;
// the spelled-out words may follow after layout.
struct unit_business_days
    : sor<seq<TAO_PEGTL_STRING("bd"), not_at<identifier_other>>,
          seq<ws, TAO_PEGTL_KEYWORD("business"), ws,
              sor<TAO_PEGTL_KEYWORD("days"), TAO_PEGTL_KEYWORD("day")>>> {};
struct unit_days
    : sor<seq<one<'d'>, not_at<identifier_other>>,
          seq<ws, sor<TAO_PEGTL_KEYWORD("days"), TAO_PEGTL_KEYWORD("day")>>> {};
struct unit_weeks
    : sor<seq<one<'w'>, not_at<identifier_other>>,
          seq<ws, sor<TAO_PEGTL_KEYWORD("weeks"), TAO_PEGTL_KEYWORD("week")>>> {};
struct unit_percent : seq<ws, one<'%'>> {};
// Three capital letters: an ISO 4217 code, which the checker validates.
struct currency_code : seq<rep<3, pegtl::upper>, not_at<identifier_other>> {};
struct unit_currency : seq<ws, currency_code> {};
struct number_unit : sor<unit_business_days, unit_days, unit_weeks, unit_percent, unit_currency> {};

// `12.50 USD`, `7 days`, `2%`, `3`: one value with its unit.
struct number_literal : seq<ws, number_token, opt<number_unit>> {};

// 2026-01-31.
struct date_token
    : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<identifier_other>> {};
struct date_value : seq<ws, date_token> {};

// "text" with \" \\ \n \t escapes, closed on the same line.
struct text_open : one<'"'> {};
struct escape_code : one<'"', '\\', 'n', 't'> {};
struct escape_sequence : seq<one<'\\'>, must<escape_code>> {};
struct text_char : not_one<'"', '\\', '\n', '\r'> {};
struct text_close : one<'"'> {};
struct quoted_text : seq<ws, text_open, star<sor<escape_sequence, text_char>>, must<text_close>> {};

}  // namespace recoup::language::grammar
