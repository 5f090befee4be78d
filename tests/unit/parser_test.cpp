// The parser builds the expected tree for every construct of
// docs/language.md, and the AST printer shows it.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "language/ast_printer.h"

#include "tests/unit/parser_test_support.h"

namespace recoup::language {
using testing::ConstantValue;
using testing::ParseClean;
using testing::ParseText;

TEST_CASE("an empty file is a valid, empty tree", "[parser]") {
  for (const char* text : {"", "   \n\n", "# only a comment\n", "\xEF\xBB\xBF"}) {
    auto parsed = ParseClean(text);
    CHECK(parsed->tree.header.empty());
    CHECK(parsed->tree.body.steps.empty());
    CHECK(parsed->tree.constants.empty());
  }
}

TEST_CASE("the example at the top of the spec parses", "[parser][docs]") {
  auto parsed = ParseClean(R"(policy "Final notice, then agency"
version "1.0"
currency USD
subject invoice

at due - 7d: email "upcoming"
at due - 3d: call
final: at due + 30d: letter "final-notice"
at final + 30d: agency "Alacrity" contingency 30% unless customer.segment == "strategic"
)");
  const SyntaxTree& tree = parsed->tree;
  REQUIRE(tree.header.size() == 4);
  CHECK(tree.header[0].kind == HeaderKind::Policy);
  CHECK(tree.header[0].text == "Final notice, then agency");
  CHECK(parsed->Text(tree.header[0].value_range) == "\"Final notice, then agency\"");
  CHECK(tree.header[1].kind == HeaderKind::Version);
  CHECK(tree.header[1].text == "1.0");
  CHECK(tree.header[2].kind == HeaderKind::Currency);
  CHECK(tree.header[2].text == "USD");
  CHECK(tree.header[3].kind == HeaderKind::Subject);
  CHECK(tree.header[3].subject == SubjectKind::Invoice);

  REQUIRE(tree.body.steps.size() == 4);
  const Step& first = tree.body.steps[0];
  CHECK(parsed->Text(first.range) == "at due - 7d: email \"upcoming\"");
  CHECK(first.trigger.kind == TriggerKind::At);
  const Anchor& due = parsed->anchor(first.trigger.anchor);
  CHECK(due.kind == AnchorKind::Due);
  REQUIRE(due.offsets.size() == 1);
  CHECK(due.offsets[0].negative);
  const Expression& seven = parsed->expr(due.offsets[0].duration);
  CHECK(seven.kind == ExpressionKind::Duration);
  CHECK(seven.decimal.digits == 7);
  CHECK(seven.duration_unit == DurationUnit::Days);
  REQUIRE(first.actions.size() == 1);
  CHECK(first.actions[0].kind == ActionKind::Email);
  CHECK(parsed->expr(first.actions[0].subject).text == "upcoming");

  const Step& call = tree.body.steps[1];
  CHECK(call.actions[0].kind == ActionKind::Call);
  CHECK(call.actions[0].subject == kNone);

  const Step& final_step = tree.body.steps[2];
  REQUIRE(final_step.label);
  CHECK(final_step.label->text == "final");
  CHECK(parsed->At(final_step.label->range).line == 8);
  CHECK(parsed->At(final_step.label->range).column == 1);

  const Step& agency = tree.body.steps[3];
  const Anchor& label = parsed->anchor(agency.trigger.anchor);
  CHECK(label.kind == AnchorKind::Label);
  CHECK(label.label.text == "final");
  CHECK(agency.actions[0].kind == ActionKind::Agency);
  CHECK(parsed->expr(agency.actions[0].subject).text == "Alacrity");
  const Expression& share = parsed->expr(agency.actions[0].value);
  CHECK(share.kind == ExpressionKind::Percent);
  CHECK(share.decimal.digits == 30);
  CHECK(agency.guard_kind == GuardKind::Unless);
  const Expression& guard = parsed->expr(agency.guard);
  CHECK(guard.kind == ExpressionKind::Binary);
  CHECK(guard.binary_op == BinaryOperator::Equal);
  CHECK(parsed->Text(guard.range) == "customer.segment == \"strategic\"");
  const Expression& field = parsed->expr(guard.operands[0]);
  CHECK(field.kind == ExpressionKind::Field);
  CHECK(field.object == FieldObject::Customer);
  CHECK(field.name.text == "segment");

  REQUIRE(tree.body.order.size() == 4);
  CHECK(tree.body.order[3].kind == BodyItemKind::Step);
  CHECK(tree.body.order[3].index == 3);
}

TEST_CASE("the header section of the spec parses", "[parser][docs]") {
  auto parsed = ParseClean(R"(policy "Email, letter, call"
version "2.1"
currency USD
calendar us_federal
applies to invoice.amount >= 100 USD
subject customer
after agency: stop
after agency: continue
costs lean
costs { email 0.05 USD  letter 1.10 USD }
)");
  const std::vector<HeaderLine>& header = parsed->tree.header;
  REQUIRE(header.size() == 10);
  CHECK(header[3].kind == HeaderKind::Calendar);
  CHECK(header[3].name.text == "us_federal");
  CHECK(header[4].kind == HeaderKind::AppliesTo);
  const Expression& condition = parsed->expr(header[4].condition);
  CHECK(condition.binary_op == BinaryOperator::GreaterEqual);
  const Expression& threshold = parsed->expr(condition.operands[1]);
  CHECK(threshold.kind == ExpressionKind::Money);
  CHECK(threshold.currency == "USD");
  CHECK(threshold.decimal.digits == 100);
  CHECK(header[5].subject == SubjectKind::Customer);
  CHECK(header[6].kind == HeaderKind::AfterAgency);
  CHECK_FALSE(header[6].continue_after_agency);
  CHECK(header[7].continue_after_agency);
  CHECK(header[8].kind == HeaderKind::Costs);
  CHECK(header[8].name.text == "lean");
  CHECK_FALSE(header[8].inline_costs);
  REQUIRE(header[9].inline_costs);
  REQUIRE(header[9].inline_costs->entries.size() == 2);
  CHECK(header[9].inline_costs->entries[1].action == ActionKind::Letter);
  const Expression& letter_cost = parsed->expr(header[9].inline_costs->entries[1].cost);
  CHECK(letter_cost.decimal.digits == 110);
  CHECK(letter_cost.decimal.scale == 2);
  CHECK(parsed->Text(header[9].range) == "costs { email 0.05 USD  letter 1.10 USD }");
}

TEST_CASE("the steps section of the spec parses", "[parser][docs]") {
  auto parsed = ParseClean(R"(
at due + 15d: email "overdue-15"
second: at due + 30d: letter "overdue-30", fee 25 USD
at due + 45d: call if invoice.balance >= 1000 USD
at second + 30d: agency "Alacrity" contingency 25% unless customer.segment == "strategic"
)");
  const std::vector<Step>& steps = parsed->tree.body.steps;
  REQUIRE(steps.size() == 4);
  REQUIRE(steps[1].actions.size() == 2);
  CHECK(steps[1].actions[1].kind == ActionKind::Fee);
  CHECK(steps[1].actions[1].fee_basis == FeeBasis::Flat);
  CHECK(parsed->Text(steps[1].actions[1].range) == "fee 25 USD");
  CHECK(steps[2].actions[0].subject == kNone);
  CHECK(steps[2].guard_kind == GuardKind::If);
}

TEST_CASE("every trigger form of the spec parses", "[parser][docs]") {
  auto parsed = ParseClean(R"(
at due + 30d: email "a"            # 30 calendar days after the due date
at due - 7d: email "b"
7 days before due: email "c"
30 days after due: email "d"
at issue + 45d: email "e"
at due + 10bd: email "f"
at due + 2w: email "g"
at final + 30d: email "h"
at promise + 1d: email "i"
at end of month of due + 30d: email "j"
every 14d from due + 30d until agency max 4 times: email "k"
every 1w from due + 7d until due + 60d: email "l"
at (end of month of due) + 5d: email "m"
1 day before due: email "n"
5 business days after due: email "o"
2 weeks after issue: email "p"
at due + 30d - 2d: email "q"
every reminder_gap from final until final max limit times: email "r"
)");
  const std::vector<Step>& steps = parsed->tree.body.steps;
  REQUIRE(steps.size() == 18);
  auto anchor_of = [&](int index) -> const Anchor& { return parsed->anchor(steps[index].trigger.anchor); };

  SECTION("before and after become an anchor with one offset") {
    const Step& before = steps[2];
    CHECK(before.trigger.kind == TriggerKind::At);
    CHECK(before.trigger.written_before_after);
    const Anchor& anchor = anchor_of(2);
    CHECK(anchor.kind == AnchorKind::Due);
    REQUIRE(anchor.offsets.size() == 1);
    CHECK(anchor.offsets[0].negative);
    CHECK(parsed->expr(anchor.offsets[0].duration).decimal.digits == 7);
    CHECK(parsed->Text(parsed->expr(anchor.offsets[0].duration).range) == "7 days");
    CHECK_FALSE(anchor_of(3).offsets[0].negative);
    CHECK_FALSE(steps[0].trigger.written_before_after);
    CHECK(parsed->expr(anchor_of(13).offsets[0].duration).decimal.digits == 1);
    const Expression& business = parsed->expr(anchor_of(14).offsets[0].duration);
    CHECK(business.duration_unit == DurationUnit::BusinessDays);
    CHECK(business.decimal.digits == 5);
    CHECK(anchor_of(15).kind == AnchorKind::Issue);
    CHECK(parsed->expr(anchor_of(15).offsets[0].duration).duration_unit == DurationUnit::Weeks);
  }
  SECTION("anchors and units") {
    CHECK(anchor_of(4).kind == AnchorKind::Issue);
    CHECK(parsed->expr(anchor_of(5).offsets[0].duration).duration_unit == DurationUnit::BusinessDays);
    CHECK(parsed->expr(anchor_of(6).offsets[0].duration).duration_unit == DurationUnit::Weeks);
    CHECK(anchor_of(7).kind == AnchorKind::Label);
    CHECK(anchor_of(7).label.text == "final");
    CHECK(anchor_of(8).kind == AnchorKind::Promise);
    const Anchor& offsets = anchor_of(16);
    REQUIRE(offsets.offsets.size() == 2);
    CHECK_FALSE(offsets.offsets[0].negative);
    CHECK(offsets.offsets[1].negative);
  }
  SECTION("end of month takes the offsets inside it unless grouped") {
    const Anchor& inside = anchor_of(9);
    CHECK(inside.kind == AnchorKind::EndOfMonth);
    CHECK(inside.offsets.empty());
    const Anchor& inner = parsed->anchor(inside.inner);
    CHECK(inner.kind == AnchorKind::Due);
    REQUIRE(inner.offsets.size() == 1);
    CHECK(parsed->Text(inside.range) == "end of month of due + 30d");

    const Anchor& grouped = anchor_of(12);
    CHECK(grouped.kind == AnchorKind::EndOfMonth);
    REQUIRE(grouped.offsets.size() == 1);
    CHECK(parsed->anchor(grouped.inner).offsets.empty());
    CHECK(parsed->Text(grouped.range) == "(end of month of due) + 5d");
  }
  SECTION("recurring triggers") {
    const Trigger& every = steps[10].trigger;
    CHECK(every.kind == TriggerKind::Every);
    CHECK(parsed->expr(every.period).decimal.digits == 14);
    CHECK(every.until_agency);
    CHECK(every.until == kNone);
    CHECK(parsed->expr(every.max_times).decimal.digits == 4);
    CHECK(parsed->Text(every.range) == "every 14d from due + 30d until agency max 4 times");

    const Trigger& until = steps[11].trigger;
    CHECK_FALSE(until.until_agency);
    REQUIRE(until.until != kNone);
    CHECK(parsed->anchor(until.until).kind == AnchorKind::Due);
    CHECK(until.max_times == kNone);

    const Trigger& named = steps[17].trigger;
    CHECK(parsed->expr(named.period).kind == ExpressionKind::NameRef);
    CHECK(parsed->anchor(named.until).label.text == "final");
    CHECK(parsed->expr(named.max_times).name.text == "limit");
  }
}

TEST_CASE("every action kind of the spec parses", "[parser][docs]") {
  auto parsed = ParseClean(R"(
at due: email "overdue-15", sms "reminder", letter "final-notice", call, call "script-b", notice "statement"
at due: task "review credit limit" queue "credit-desk", task "call back" owner "maria"
at due: fee 40 EUR, fee 2% of balance min 25 USD max 500 USD, fee 1.5% of amount
at due: interest 8% per year from due + 1d, interest statutory_rate
at due: suspend service, resume service, hold credit, release credit
at due: agency "Alacrity" contingency 30%, legal "Baker & Co", legal, write off
)");
  const std::vector<Step>& steps = parsed->tree.body.steps;
  REQUIRE(steps.size() == 6);
  std::vector<ActionKind> kinds;
  for (const Step& step : steps) {
    for (const Action& action : step.actions) kinds.push_back(action.kind);
  }
  using K = ActionKind;
  CHECK(kinds == std::vector<ActionKind>{K::Email, K::Sms, K::Letter, K::Call, K::Call, K::Notice, K::Task,
                                         K::Task, K::Fee, K::Fee, K::Fee, K::Interest, K::Interest,
                                         K::SuspendService, K::ResumeService, K::HoldCredit, K::ReleaseCredit,
                                         K::Agency, K::Legal, K::Legal, K::WriteOff});
  CHECK(parsed->expr(steps[0].actions[4].subject).text == "script-b");
  const Action& queue = steps[1].actions[0];
  CHECK(queue.task_target == TaskTarget::Queue);
  CHECK(parsed->expr(queue.subject).text == "review credit limit");
  CHECK(parsed->expr(queue.value).text == "credit-desk");
  CHECK(steps[1].actions[1].task_target == TaskTarget::Owner);

  const Action& flat = steps[2].actions[0];
  CHECK(flat.fee_basis == FeeBasis::Flat);
  CHECK(parsed->expr(flat.value).currency == "EUR");
  const Action& clamped = steps[2].actions[1];
  CHECK(clamped.fee_basis == FeeBasis::Balance);
  CHECK(parsed->expr(clamped.value).kind == ExpressionKind::Percent);
  CHECK(parsed->expr(clamped.fee_min).decimal.digits == 25);
  CHECK(parsed->expr(clamped.fee_max).decimal.digits == 500);
  CHECK(parsed->Text(clamped.range) == "fee 2% of balance min 25 USD max 500 USD");
  const Action& of_amount = steps[2].actions[2];
  CHECK(of_amount.fee_basis == FeeBasis::Amount);
  CHECK(parsed->expr(of_amount.value).decimal.digits == 15);
  CHECK(parsed->expr(of_amount.value).decimal.scale == 1);

  const Action& interest = steps[3].actions[0];
  CHECK(parsed->expr(interest.value).kind == ExpressionKind::PerYear);
  REQUIRE(interest.interest_from != kNone);
  CHECK(parsed->anchor(interest.interest_from).offsets.size() == 1);
  CHECK(steps[3].actions[1].interest_from == kNone);

  const Action& agency = steps[5].actions[0];
  CHECK(parsed->expr(agency.value).decimal.digits == 30);
  CHECK(parsed->expr(steps[5].actions[1].subject).text == "Baker & Co");
  CHECK(steps[5].actions[2].subject == kNone);
}

TEST_CASE("pauses and stops parse", "[parser][docs]") {
  auto parsed = ParseClean(R"(
pause on dispute: defer          # a step due inside an open dispute waits
pause on promise + 5d: skip
pause on dispute
stop when paid                   # the default
stop when invoice.balance < 5 USD: write off
stop when fired(final) >= 1: letter "closing", hold credit
)");
  const Body& body = parsed->tree.body;
  REQUIRE(body.pauses.size() == 3);
  CHECK(body.pauses[0].reason == PauseReason::Dispute);
  CHECK(body.pauses[0].rule == PauseRule::Defer);
  CHECK(body.pauses[0].rule_written);
  CHECK(body.pauses[1].reason == PauseReason::Promise);
  CHECK(body.pauses[1].rule == PauseRule::Skip);
  CHECK(parsed->expr(body.pauses[1].grace).decimal.digits == 5);
  CHECK_FALSE(body.pauses[2].rule_written);
  CHECK(body.pauses[2].rule == PauseRule::Defer);
  REQUIRE(body.stops.size() == 3);
  CHECK(body.stops[0].when_paid);
  CHECK(body.stops[0].condition == kNone);
  CHECK_FALSE(body.stops[1].when_paid);
  CHECK(parsed->expr(body.stops[1].condition).binary_op == BinaryOperator::Less);
  REQUIRE(body.stops[1].actions.size() == 1);
  CHECK(body.stops[1].actions[0].kind == ActionKind::WriteOff);
  CHECK(body.stops[2].actions.size() == 2);
  REQUIRE(body.order.size() == 6);
  CHECK(body.order[0].kind == BodyItemKind::Pause);
  CHECK(body.order[3].kind == BodyItemKind::Stop);
  CHECK(body.order[5].index == 2);
}

TEST_CASE("constants, attributes, calendars and cost tables parse", "[parser][docs]") {
  auto parsed = ParseClean(R"(
const small_balance = 5 USD
const reminder_gap = 14d
const statutory_rate = 4.5% + 8%

attribute customer.credit_limit: money
attribute invoice.region: text

calendar eu_example {
    weekend sat, sun
    holiday 2026-01-01 "New Year"
    holiday 2026-12-25 "Christmas Day"
}

costs lean {
    email 0.02 USD
    letter 0.95 USD
    call 3.50 USD
    write off 0 USD
}
)");
  const SyntaxTree& tree = parsed->tree;
  REQUIRE(tree.constants.size() == 3);
  CHECK(tree.constants[0].name.text == "small_balance");
  CHECK(parsed->expr(tree.constants[1].value).kind == ExpressionKind::Duration);
  CHECK(parsed->expr(tree.constants[2].value).binary_op == BinaryOperator::Add);
  REQUIRE(tree.attributes.size() == 2);
  CHECK(tree.attributes[0].object == FieldObject::Customer);
  CHECK(tree.attributes[0].name.text == "credit_limit");
  CHECK(tree.attributes[0].type == TypeName::Money);
  CHECK(tree.attributes[1].type == TypeName::Text);
  CHECK(parsed->Text(tree.attributes[1].type_range) == "text");
  REQUIRE(tree.calendars.size() == 1);
  const Calendar& calendar = tree.calendars[0];
  CHECK(calendar.name.text == "eu_example");
  CHECK(calendar.weekend == std::vector<Weekday>{Weekday::Saturday, Weekday::Sunday});
  CHECK(parsed->Text(calendar.weekend_ranges[1]) == "sun");
  REQUIRE(calendar.holidays.size() == 2);
  CHECK(calendar.holidays[1].date.month == 12);
  CHECK(calendar.holidays[1].date.day == 25);
  CHECK(calendar.holidays[1].description == "Christmas Day");
  CHECK(parsed->At(calendar.range).line == 9);
  CHECK(parsed->file().Locate(calendar.range.end).line == 13);
  REQUIRE(tree.cost_tables.size() == 1);
  CHECK(tree.cost_tables[0].name.text == "lean");
  REQUIRE(tree.cost_tables[0].entries.size() == 4);
  CHECK(tree.cost_tables[0].entries[3].action == ActionKind::WriteOff);
  CHECK(parsed->expr(tree.cost_tables[0].entries[2].cost).decimal.digits == 350);
}

TEST_CASE("imports, templates and uses parse", "[parser][docs]") {
  auto parsed = ParseClean(R"(
import "../stdlib/calendars/us-federal.recoup"
import "stdlib/templates/eu-late-payment.recoup" as eu

template reminder_ladder(first: duration, late_fee: money) {
    at due + first: email "reminder"
    at due + first + 15d: letter "reminder-2", fee late_fee
    pause on dispute
    use other()
}

use reminder_ladder(first: 10d, late_fee: 25 USD)
use eu.statutory_compensation(reference_rate: 4.5%)
)");
  const SyntaxTree& tree = parsed->tree;
  REQUIRE(tree.imports.size() == 2);
  CHECK(tree.imports[0].path == "../stdlib/calendars/us-federal.recoup");
  CHECK_FALSE(tree.imports[0].alias);
  REQUIRE(tree.imports[1].alias);
  CHECK(tree.imports[1].alias->text == "eu");
  REQUIRE(tree.templates.size() == 1);
  const Template& ladder = tree.templates[0];
  CHECK(ladder.name.text == "reminder_ladder");
  REQUIRE(ladder.parameters.size() == 2);
  CHECK(ladder.parameters[0].type == TypeName::Duration);
  CHECK(ladder.parameters[1].name.text == "late_fee");
  CHECK(ladder.body.steps.size() == 2);
  CHECK(ladder.body.pauses.size() == 1);
  CHECK(ladder.body.uses.size() == 1);
  CHECK(ladder.body.order.size() == 4);
  CHECK(parsed->file().Locate(ladder.range.end).line == 10);
  CHECK(tree.body.steps.empty());
  REQUIRE(tree.body.uses.size() == 2);
  const Use& use = tree.body.uses[0];
  CHECK(use.template_name.text == "reminder_ladder");
  REQUIRE(use.arguments.size() == 2);
  CHECK(use.arguments[1].parameter.text == "late_fee");
  CHECK(parsed->expr(use.arguments[1].value).kind == ExpressionKind::Money);
  CHECK(tree.body.uses[1].template_name.qualifier == "eu");
  CHECK(tree.body.uses[1].template_name.text == "statutory_compensation");
}

TEST_CASE("tests inside a policy parse", "[parser][docs]") {
  auto parsed = ParseClean(R"(
test "strategic accounts never reach the agency" {
    invoice 12000 USD issued 2026-01-01 due 2026-01-31
    invoice "INV-1" 1000 USD issued 2026-01-01 due 2026-01-31 with region = "EU", priority = 2
    customer segment = "strategic", country = "DE"
    payment 5000 USD on 2026-03-15
    payment 500 USD on 2026-02-15 for "INV-1"
    dispute from 2026-02-10 to 2026-02-20
    dispute from 2026-02-10 for "INV-1"
    promise 2026-03-01
    horizon 180d
    expect email "upcoming" at due - 7d
    expect letter at 2026-03-02
    expect never agency
    expect never write off
    expect fee 25 USD at due + 30d
    expect balance 7025 USD at 2026-04-01
}
)");
  REQUIRE(parsed->tree.tests.size() == 1);
  const PolicyTest& test = parsed->tree.tests[0];
  CHECK(test.name == "strategic accounts never reach the agency");
  REQUIRE(test.invoices.size() == 2);
  CHECK(test.invoices[0].id.empty());
  CHECK(parsed->expr(test.invoices[0].amount).decimal.digits == 12000);
  CHECK(test.invoices[0].issued.day == 1);
  CHECK(test.invoices[0].due.day == 31);
  CHECK(test.invoices[1].id == "INV-1");
  REQUIRE(test.invoices[1].fields.size() == 2);
  CHECK(test.invoices[1].fields[0].field.text == "region");
  REQUIRE(test.customer.size() == 2);
  CHECK(test.customer[1].field.text == "country");
  CHECK(parsed->expr(test.customer[1].value).text == "DE");
  REQUIRE(test.events.size() == 5);
  CHECK(test.events[0].kind == TestEventKind::Payment);
  CHECK(test.events[0].invoice_id.empty());
  CHECK(test.events[1].invoice_id == "INV-1");
  CHECK(test.events[2].kind == TestEventKind::Dispute);
  REQUIRE(test.events[2].end);
  CHECK(test.events[2].end->day == 20);
  CHECK_FALSE(test.events[3].end);
  CHECK(test.events[3].invoice_id == "INV-1");
  CHECK(test.events[4].kind == TestEventKind::Promise);
  CHECK(test.events[4].date.month == 3);
  CHECK(parsed->expr(test.horizon).decimal.digits == 180);
  REQUIRE(test.expectations.size() == 6);
  const Expectation& email = test.expectations[0];
  CHECK(email.kind == ExpectationKind::ActionAt);
  CHECK(email.action == ActionKind::Email);
  CHECK(parsed->expr(email.argument).text == "upcoming");
  CHECK(email.when.base == TestDate::Base::Due);
  REQUIRE(email.when.offsets.size() == 1);
  CHECK(email.when.offsets[0].negative);
  CHECK(parsed->Text(email.range) == "expect email \"upcoming\" at due - 7d");
  CHECK(test.expectations[1].argument == kNone);
  CHECK(test.expectations[1].when.base == TestDate::Base::Date);
  CHECK(test.expectations[1].when.date.day == 2);
  CHECK(test.expectations[2].kind == ExpectationKind::Never);
  CHECK(test.expectations[2].action == ActionKind::Agency);
  CHECK(test.expectations[3].action == ActionKind::WriteOff);
  CHECK(parsed->expr(test.expectations[4].argument).decimal.digits == 25);
  CHECK(test.expectations[5].kind == ExpectationKind::BalanceAt);
  CHECK(parsed->expr(test.expectations[5].argument).decimal.digits == 7025);
}

TEST_CASE("the AST printer is readable and deterministic", "[parser][ast]") {
  auto parsed = ParseClean(R"(policy "x"
final: at due + 30d: letter "final-notice", fee 2% of balance min 25 USD
7 days before due: email "upcoming" if invoice.amount >= 100 USD
)");
  std::string printed = PrintSyntaxTree(parsed->tree, parsed->file());
  CHECK(printed == PrintSyntaxTree(parsed->tree, parsed->file()));
  CHECK(printed ==
        R"(file test.recoup
  header policy 1:1 "x"
  step 2:1 label=final
    trigger 2:8 at
      from: anchor 2:11 due
        offset 2:15 +
          duration 2:17 30 days
    action 2:22 letter
      subject: text 2:29 "final-notice"
    action 2:45 fee (of balance)
      value: percent 2:49 2%
      min: money 2:67 25 USD
  step 3:1
    trigger 3:1 at (written before/after)
      from: anchor 3:1 due
        offset 3:1 -
          duration 3:1 7 days
    action 3:20 email
      subject: text 3:26 "upcoming"
    if: binary 3:40 >=
      field 3:40 invoice.amount
      money 3:58 100 USD
)");
}

// Every ```recoup block of the language reference parses without errors. The
// expression and trigger blocks hold fragments, which are completed into
// statements (`const e = ...`, `...: call`) first.
TEST_CASE("every example in docs/language.md parses", "[parser][docs]") {
  std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/docs/language.md");
  REQUIRE(stream.good());
  std::stringstream buffer;
  buffer << stream.rdbuf();
  std::string document = buffer.str();
  int blocks = 0;
  for (std::size_t at = document.find("```recoup\n"); at != std::string::npos;
       at = document.find("```recoup\n", at + 1)) {
    std::size_t begin = at + 10;
    std::string block = document.substr(begin, document.find("```", begin) - begin);
    std::istringstream lines(block);
    std::string line;
    std::string completed;
    while (std::getline(lines, line)) {
      std::string code = line.substr(0, line.find('#'));
      while (!code.empty() && code.back() == ' ') code.pop_back();
      bool fragment_block = block.rfind("invoice.amount", 0) == 0 || block.rfind("at due + 30d  ", 0) == 0;
      if (code.empty() || !fragment_block) {
        completed += line + "\n";
      } else if (block.rfind("invoice.amount", 0) == 0) {
        completed += "const e = " + code + "\n";
      } else {
        completed += code + ": call\n";
      }
    }
    ++blocks;
    auto parsed = ParseText(completed);
    INFO("block " << blocks << ":\n" << completed);
    CHECK(parsed->diagnostics.all().empty());
    for (const Diagnostic& diagnostic : parsed->diagnostics.all()) {
      INFO(diagnostic.message);
      CHECK(false);
    }
  }
  CHECK(blocks >= 9);
}

TEST_CASE("ActionKindName and TypeNameSpelling spell words as written", "[parser]") {
  CHECK(std::string(ActionKindName(ActionKind::SuspendService)) == "suspend service");
  CHECK(std::string(ActionKindName(ActionKind::WriteOff)) == "write off");
  CHECK(std::string(ActionKindName(ActionKind::Email)) == "email");
  CHECK(std::string(TypeNameSpelling(TypeName::Rate)) == "rate");
  CHECK(std::string(TypeNameSpelling(TypeName::Money)) == "money");
}

}  // namespace recoup::language
