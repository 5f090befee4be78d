// The replay runs engines with explain off, which skips the steps of a
// subject that is closed for good. An invoice settled by a payment is not
// closed for good when its `stop when paid` actions charge a fee: it owes
// again, and a later step can still fire (here a write-off). Both engines
// must then do what explain on does (a bug found by the generated
// explain-off test in engine_test.cpp, seed 5 case 367).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "compiler/engine.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/subject_view.h"
#include "tests/unit/check_policy_text.h"

namespace recoup::compiler {
namespace {

constexpr const char* kPolicy = R"(policy "Fee when paid"
version "1"
currency EUR
subject invoice

at due - 7d: write off if invoice.balance > 30 EUR
stop when paid: fee 100 EUR, letter "paid"
)";

SubjectFacts PaidEarly() {
  SubjectFacts facts;
  facts.customer_id = "C1";
  InvoiceFacts invoice;
  invoice.id = "I1";
  invoice.issue = *runtime::Date::ParseIso("2026-01-16");
  invoice.due = *runtime::Date::ParseIso("2026-02-15");
  invoice.amount = runtime::Money{100000, runtime::CurrencyId{}};
  facts.invoices.push_back(invoice);
  facts.payments.push_back({"I1", *runtime::Date::ParseIso("2026-02-06"), runtime::Money{100000, runtime::CurrencyId{}}});
  return facts;
}

// The firings' step and date, and what was written off, as one text.
std::string Summary(const abi::Trace& trace) {
  std::string text;
  for (const abi::FiringTrace& firing : trace.firings) {
    text += std::to_string(static_cast<int>(firing.cause)) + ":" + std::to_string(firing.index) + "@" +
            std::to_string(firing.date) + " ";
  }
  text += "written off " + std::to_string(trace.totals.written_off) + ", open " + std::to_string(trace.totals.open);
  return text;
}

TEST_CASE("explain off: a settled invoice that a `stop when paid` fee makes owe again still runs its steps",
          "[engine][jit]") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  SubjectFacts facts = PaidEarly();
  for (InvoiceFacts& invoice : facts.invoices) invoice.amount.currency = policy.header.currency;
  for (PaymentFacts& payment : facts.payments) payment.amount.currency = policy.header.currency;
  SubjectViewStorage storage;
  const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
  EngineOptions options;
  options.horizon = *runtime::Date::ParseIso("2026-06-30");
  EngineWorkspace workspace;
  abi::Trace on, off, jit_off;

  std::unique_ptr<PolicyEngine> interpreter = MakeInterpreterEngine(policy);
  interpreter->Run(view, options, workspace, on);
  REQUIRE(on.error.code == abi::ErrorCode::None);
  // The stop rule's fee on the payment day, then the write-off two days later.
  REQUIRE(on.firings.size() == 2);
  CHECK(on.totals.written_off == 10000);
  options.explain = false;
  interpreter->Run(view, options, workspace, off);
  CHECK(Summary(off) == Summary(on));

  jit::JitEngineResult jit = jit::MakeJitEngine(policy, jit::JitOptions{});
  INFO(jit.error.value_or(""));
  REQUIRE(jit.engine);
  jit.engine->Run(view, options, workspace, jit_off);
  CHECK(Summary(jit_off) == Summary(on));
}

}  // namespace
}  // namespace recoup::compiler
