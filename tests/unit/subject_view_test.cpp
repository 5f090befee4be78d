// SubjectViews built straight from the columnar ledger (simulation/subjects.h):
// payments written out of order in payments.csv, customer subjects whose
// invoices' payments interleave, extra attribute columns the policy reads
// or ignores, and one storage reused from a big subject to a small one.
// Each view also runs through the engine and must give what the reference
// interpreter gives on the same subject's facts.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/engine.h"
#include "compiler/reference_interpreter.h"
#include "compiler/subject_view.h"
#include "compiler/trace_renderer.h"
#include "runtime/ledger_loader.h"
#include "simulation/subjects.h"
#include "tests/unit/check_policy_text.h"
#include "tests/unit/memory_ledger.h"
#include "tools/testgen/result_difference.h"

namespace recoup::simulation {
namespace {

namespace abi = compiler::abi;
using runtime::Date;

// Payments in no order at all; A1 and A3 (customer C1) pay on the same day
// 2026-02-10; extra columns the policy reads (region, credit_limit) and
// ignores (po_number, note).
std::map<std::string, std::string> Files() {
  return {
      {"customers.csv", "customer_id,note,segment,credit_limit\nC1,\"hello, world\",smb,500.00\nC2,x,enterprise,50.00\n"},
      {"invoices.csv",
       "invoice_id,customer_id,issue_date,due_date,amount,currency,region,po_number\n"
       "A1,C1,2026-01-01,2026-01-31,100.00,USD,north,PO-1\n"
       "A2,C2,2026-01-02,2026-02-01,70.00,USD,south,PO-2\n"
       "A3,C1,2026-01-05,2026-02-04,300.00,USD,south,PO-3\n"},
      {"payments.csv",
       "invoice_id,date,amount\n"
       "A3,2026-02-20,50.00\n"
       "A1,2026-03-01,40.00\n"
       "A3,2026-02-10,25.00\n"
       "A1,2026-02-15,60.00\n"
       "A2,2026-02-10,10.00\n"
       "A1,2026-02-10,5.00\n"},
      {"disputes.csv", "invoice_id,opened,resolved\nA3,2026-02-12,2026-02-18\n"},
  };
}

std::string Policy(const char* subject) {
  return std::string(R"(policy "View test"
version "1"
currency USD
subject )") + subject + R"(
attribute customer.credit_limit: money
attribute invoice.region: text
pause on dispute

at due + 5d: email "north" if invoice.region == "north"
at due + 12d: sms "over" if customer.open_balance > customer.credit_limit
at due + 40d: letter "late"

stop when paid
)";
}

struct Payment {
  std::int32_t invoice;
  std::string date;
  std::int64_t amount;
  friend bool operator==(const Payment&, const Payment&) = default;
};

std::ostream& operator<<(std::ostream& out, const Payment& payment) {
  return out << "{" << payment.invoice << ", " << payment.date << ", " << payment.amount << "}";
}

std::vector<Payment> Payments(const abi::SubjectView& view) {
  std::vector<Payment> payments;
  for (std::uint32_t p = 0; p < view.payment_count; ++p) {
    const abi::PaymentView& payment = view.payments[p];
    CHECK(payment.name == payment.invoice);
    payments.push_back({payment.invoice, Date::FromDays(payment.date).ToIso(), payment.amount});
  }
  return payments;
}

std::string Name(const abi::SubjectView& view, std::int32_t name) {
  return std::string(view.names[name].data, view.names[name].size);
}

std::string Text(abi::TextRef text) { return std::string(text.data, text.size); }

// The engine on the columnar view gives what the reference interpreter
// gives on the subject's facts.
void RequireSameAsReference(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const SubjectPlan& plan,
                            std::size_t subject, const abi::SubjectView& view) {
  compiler::SubjectFacts facts;
  BuildSubjectFacts(ledger, plan, subject, facts);
  compiler::InterpretOptions options;
  options.horizon = SubjectHorizon(ledger, plan, subject, 180);
  compiler::InterpretResult expected = compiler::ReferenceInterpret(policy, facts, options);
  std::unique_ptr<compiler::PolicyEngine> engine = compiler::MakeInterpreterEngine(policy);
  compiler::EngineWorkspace workspace;
  abi::Trace trace;
  compiler::EngineOptions engine_options;
  engine_options.horizon = options.horizon;
  engine->Run(view, engine_options, workspace, trace);
  INFO("subject " << subject);
  REQUIRE(testgen::FirstDifference(expected, compiler::RenderTrace(policy, view, trace)).value_or("") == "");
}

TEST_CASE("subject view: payments written out of order come in date order, per invoice", "[simulation][view]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(Files());
  compiler::PolicyIr policy = testing::CheckPolicyText(Policy("invoice"));
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  const SubjectPlan& plan = *planned.plan;
  REQUIRE(plan.subject_count() == 3);
  compiler::SubjectViewStorage storage;
  const abi::SubjectView& a1 = BuildSubjectView(ledger, plan, 0, storage);
  REQUIRE(a1.invoice_count == 1);
  CHECK(Name(a1, 0) == "A1");
  CHECK(Text(a1.customer_id) == "C1");
  CHECK(Text(a1.segment) == "smb");
  CHECK(Payments(a1) == std::vector<Payment>{{0, "2026-02-10", 500}, {0, "2026-02-15", 6000}, {0, "2026-03-01", 4000}});
  CHECK(a1.dispute_count == 0);
  RequireSameAsReference(ledger, policy, plan, 0, a1);
  const abi::SubjectView& a3 = BuildSubjectView(ledger, plan, 2, storage);
  CHECK(Name(a3, 0) == "A3");
  CHECK(Payments(a3) == std::vector<Payment>{{0, "2026-02-10", 2500}, {0, "2026-02-20", 5000}});
  REQUIRE(a3.dispute_count == 1);
  CHECK(Date::FromDays(a3.disputes[0].opened).ToIso() == "2026-02-12");
  CHECK(Date::FromDays(a3.disputes[0].resolved).ToIso() == "2026-02-18");
  RequireSameAsReference(ledger, policy, plan, 2, a3);
}

TEST_CASE("subject view: a customer subject holds its invoices, payments merged by date", "[simulation][view]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(Files());
  compiler::PolicyIr policy = testing::CheckPolicyText(Policy("customer"));
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  const SubjectPlan& plan = *planned.plan;
  REQUIRE(plan.subject_count() == 2);
  compiler::SubjectViewStorage storage;
  const abi::SubjectView& c1 = BuildSubjectView(ledger, plan, 0, storage);
  CHECK(Text(c1.customer_id) == "C1");
  REQUIRE(c1.invoice_count == 2);
  REQUIRE(c1.name_count == 2);
  CHECK(Name(c1, 0) == "A1");
  CHECK(Name(c1, 1) == "A3");
  CHECK(Date::FromDays(c1.invoices[1].due).ToIso() == "2026-02-04");
  CHECK(c1.invoices[1].amount == 30000);
  // Date order; on 2026-02-10 the subject's invoice order (A1 before A3).
  CHECK(Payments(c1) == std::vector<Payment>{{0, "2026-02-10", 500},
                                             {1, "2026-02-10", 2500},
                                             {0, "2026-02-15", 6000},
                                             {1, "2026-02-20", 5000},
                                             {0, "2026-03-01", 4000}});
  // The same order as the facts the reference interpreter reads.
  compiler::SubjectFacts facts;
  BuildSubjectFacts(ledger, plan, 0, facts);
  REQUIRE(facts.payments.size() == c1.payment_count);
  for (std::uint32_t p = 0; p < c1.payment_count; ++p) {
    CHECK(facts.payments[p].invoice == Name(c1, c1.payments[p].invoice));
    CHECK(facts.payments[p].date.days() == c1.payments[p].date);
  }
  REQUIRE(c1.dispute_count == 1);
  CHECK(c1.disputes[0].name == 1);
  RequireSameAsReference(ledger, policy, plan, 0, c1);
  const abi::SubjectView& c2 = BuildSubjectView(ledger, plan, 1, storage);
  CHECK(Text(c2.customer_id) == "C2");
  REQUIRE(c2.invoice_count == 1);
  CHECK(Name(c2, 0) == "A2");
  CHECK(Payments(c2) == std::vector<Payment>{{0, "2026-02-10", 1000}});
  CHECK(c2.dispute_count == 0);
  RequireSameAsReference(ledger, policy, plan, 1, c2);
}

TEST_CASE("subject view: declared attribute columns are read among extra columns", "[simulation][view]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(Files());
  compiler::PolicyIr policy = testing::CheckPolicyText(Policy("customer"));
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  compiler::SubjectViewStorage storage;
  const abi::SubjectView& c1 = BuildSubjectView(ledger, *planned.plan, 0, storage);
  REQUIRE(c1.attribute_count == 2);
  compiler::AttributeId limit = 0, region = 1;
  REQUIRE(policy.attributes[limit].name == "credit_limit");
  REQUIRE(policy.attributes[region].name == "region");
  const abi::AttributeSlot& customer_limit = c1.customer_attributes[limit];
  CHECK(customer_limit.state == abi::SlotState::Ok);
  CHECK(customer_limit.value.number == 50000);
  CHECK(c1.customer_attributes[region].state == abi::SlotState::Missing);  // an invoice attribute
  for (std::uint32_t k = 0; k < 2; ++k) {
    const abi::AttributeSlot* slots = c1.invoice_attributes + k * c1.attribute_count;
    CHECK(slots[limit].state == abi::SlotState::Missing);  // a customer attribute
    REQUIRE(slots[region].state == abi::SlotState::Ok);
    CHECK(Text(slots[region].value.text) == (k == 0 ? "north" : "south"));
  }
}

TEST_CASE("subject view: storage reused from a bigger subject gives a fresh storage's view", "[simulation][view]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(Files());
  compiler::PolicyIr policy = testing::CheckPolicyText(Policy("customer"));
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  const SubjectPlan& plan = *planned.plan;
  compiler::SubjectViewStorage reused, fresh;
  BuildSubjectView(ledger, plan, 0, reused);  // two invoices, five payments, a dispute
  const abi::SubjectView& small = BuildSubjectView(ledger, plan, 1, reused);
  const abi::SubjectView& expected = BuildSubjectView(ledger, plan, 1, fresh);
  CHECK(small.invoice_count == expected.invoice_count);
  CHECK(small.name_count == expected.name_count);
  CHECK(small.dispute_count == 0);
  CHECK(small.promise_count == 0);
  CHECK(Payments(small) == Payments(expected));
  CHECK(Text(small.customer_id) == Text(expected.customer_id));
  CHECK(small.customer_attributes[0].value.number == expected.customer_attributes[0].value.number);
  RequireSameAsReference(ledger, policy, plan, 1, small);
}

}  // namespace
}  // namespace recoup::simulation
