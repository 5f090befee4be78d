// Fuzz target: a policy from the fuzz input that checks clean is run by the
// reference interpreter over a fixed subject (an invoice, or a customer with
// two invoices, with a partial payment, a dispute and a promise to pay),
// and over each of the policy's own `test` blocks. Must never crash, hang
// or leak, and money must be conserved: the run aborts when the
// interpreter reports a conservation failure or when its totals do not add
// up (docs/semantics.md section 14).
#include <cstdio>
#include <cstdlib>

#include "compiler/interpreter.h"
#include "compiler/interpreter_test_facts.h"
#include "tools/fuzz/fuzz_support.h"

namespace {

using recoup::compiler::InterpretOptions;
using recoup::compiler::InterpretResult;
using recoup::compiler::PolicyIr;
using recoup::compiler::SubjectFacts;
using recoup::runtime::Date;
using recoup::runtime::Money;

Date D(const char* iso) { return *Date::ParseIso(iso); }

SubjectFacts FixedSubject(const PolicyIr& policy) {
  recoup::runtime::CurrencyId currency = policy.header.currency;
  SubjectFacts facts;
  facts.customer_id = "C-1";
  facts.customer_attributes = {{"segment", "standard"}, {"country", "US"}};
  facts.invoices.push_back({"INV-1", D("2026-01-01"), D("2026-01-31"), Money{1200000, currency}, {}});
  facts.payments.push_back({"INV-1", D("2026-03-15"), Money{300000, currency}});
  facts.disputes.push_back({"INV-1", D("2026-02-10"), D("2026-02-25")});
  facts.promises.push_back({"INV-1", D("2026-04-01"), D("2026-04-20")});
  if (policy.header.subject == recoup::compiler::SubjectKind::Customer) {
    facts.invoices.push_back({"INV-2", D("2026-02-01"), D("2026-03-03"), Money{50000, currency}, {}});
    facts.payments.push_back({"INV-2", D("2026-05-01"), Money{50000, currency}});
  }
  return facts;
}

void Fail(const char* what, const InterpretResult& result) {
  std::fprintf(stderr, "fuzz_interpret: %s: %s\n", what, result.conservation_detail.c_str());
  std::abort();
}

std::int64_t Sum(std::initializer_list<Money> parts) {
  std::int64_t total = 0;
  for (Money part : parts) {
    if (__builtin_add_overflow(total, part.minor, &total)) return INT64_MIN;
  }
  return total;
}

// The interpreter's own verdict, and the identities recomputed from its
// totals: charged = collected + written off + open, per invoice and overall.
void CheckConserved(const InterpretResult& result) {
  if (result.error) return;  // overflow or an unreadable attribute: reported, nothing to conserve
  if (!result.conservation_ok) Fail("conservation failed", result);
  auto conserved = [](const recoup::compiler::MoneyTotals& totals) {
    std::int64_t charged = Sum({totals.amount, totals.fees_charged, totals.interest_charged});
    std::int64_t accounted = Sum({totals.applied, totals.written_off, totals.open});
    return charged != INT64_MIN && charged == accounted;
  };
  if (!conserved(result.totals)) Fail("totals do not add up", result);
  for (const auto& invoice : result.invoices) {
    if (!conserved(invoice.totals)) Fail("an invoice's totals do not add up", result);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  recoup::fuzz::MemoryFileSystem files =
      recoup::fuzz::FilesFromInput(std::string_view(reinterpret_cast<const char*>(data), size));
  recoup::fuzz::Checked checked;
  recoup::fuzz::LoadAndCheck(files, checked);
  if (!checked.ir || checked.ir->is_library) return -1;  // not a runnable policy: keep it out of the corpus
  const PolicyIr& policy = *checked.ir;
  SubjectFacts facts = FixedSubject(policy);
  InterpretOptions options;
  options.horizon = recoup::compiler::DefaultHorizon(facts, 365);
  CheckConserved(recoup::compiler::Interpret(policy, facts, options));
  for (const recoup::compiler::PolicyTest& test : policy.tests) {
    SubjectFacts test_facts = recoup::compiler::FactsFromTest(policy, test);
    CheckConserved(recoup::compiler::Interpret(policy, test_facts, recoup::compiler::OptionsFromTest(policy, test, test_facts)));
  }
  return 0;
}
