#include "tools/testgen/differential.h"

#include <fmt/format.h>

#include <exception>
#include <optional>

#include "compiler/interpreter_test_facts.h"
#include "tools/testgen/policy_generator.h"
#include "tools/testgen/result_difference.h"

namespace recoup::testgen {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string Attributes(const compiler::AttributeValues& values) {
  std::string text;
  for (const auto& [name, value] : values) text += fmt::format("{}{}=\"{}\"", text.empty() ? "" : ", ", name, value);
  return text.empty() ? "(none)" : text;
}

// Runs one engine, turning an exception into a message instead of ending the run.
std::optional<compiler::InterpretResult> RunEngine(const Engine& engine, const compiler::PolicyIr& policy,
                                                   const GeneratedSubject& subject, std::string& failure) {
  try {
    return engine(policy, subject.facts, subject.options);
  } catch (const std::exception& error) {
    failure = fmt::format("the engine threw: {}", error.what());
  } catch (...) {
    failure = "the engine threw something that is not a std::exception";
  }
  return std::nullopt;
}

}  // namespace

std::string DescribeSubject(const GeneratedSubject& subject) {
  const compiler::SubjectFacts& facts = subject.facts;
  std::string text = fmt::format("customer {} with {}\n", facts.customer_id, Attributes(facts.customer_attributes));
  for (const compiler::InvoiceFacts& invoice : facts.invoices) {
    text += fmt::format("invoice {} {} issued {} due {} with {}\n", invoice.id, runtime::ToString(invoice.amount),
                        invoice.issue.ToIso(), invoice.due.ToIso(), Attributes(invoice.attributes));
  }
  for (const compiler::PaymentFacts& payment : facts.payments) {
    text += fmt::format("payment {} on {} for {}\n", runtime::ToString(payment.amount), payment.date.ToIso(),
                        payment.invoice.empty() ? "(the oldest open invoice)" : payment.invoice);
  }
  for (const compiler::DisputeFacts& dispute : facts.disputes) {
    text += fmt::format("dispute from {} to {} for {}\n", dispute.opened.ToIso(),
                        dispute.resolved ? dispute.resolved->ToIso() : "(never resolved)",
                        dispute.invoice.empty() ? "(the subject)" : dispute.invoice);
  }
  for (const compiler::PromiseFacts& promise : facts.promises) {
    text += fmt::format("promise to pay on {} made {} for {}\n", promise.promised.ToIso(),
                        promise.made ? promise.made->ToIso() : "(the due date)",
                        promise.invoice.empty() ? "(the subject)" : promise.invoice);
  }
  text += fmt::format("horizon {}\n", subject.options.horizon.ToIso());
  for (runtime::Date probe : subject.options.balance_probes) text += fmt::format("balance probe {}\n", probe.ToIso());
  return text;
}

namespace {

void CountOutcomes(const compiler::InterpretResult& result, DifferentialReport& report) {
  static const char* const kLedgerKinds[] = {"payment",         "interest posted", "written off", "dispute opened",
                                             "dispute resolved", "promise made",    "deferred",    "unneeded"};
  report.runs_with_error += result.error.has_value();
  report.firings += result.firings.size();
  report.not_fired += result.not_fired.size();
  if (result.error) ++report.outcomes["error"];
  if (!result.not_covered.empty()) ++report.outcomes["not covered"];
  for (const compiler::Firing& firing : result.firings) {
    for (const compiler::ActionRecord& action : firing.actions) {
      ++report.outcomes[std::string("fired: ") + compiler::ActionSpelling(action.kind)];
    }
  }
  for (const compiler::NotFired& not_fired : result.not_fired) {
    report.guard_false += not_fired.reason == compiler::NotFiredReason::GuardFalse;
    ++report.outcomes[std::string("not fired: ") + compiler::NotFiredReasonText(not_fired.reason)];
  }
  for (const compiler::LedgerEvent& event : result.ledger) {
    ++report.outcomes[std::string("ledger: ") + kLedgerKinds[static_cast<int>(event.kind)]];
    if (event.kind == compiler::LedgerEvent::Kind::Payment && event.unapplied.minor > 0) ++report.outcomes["unapplied cash"];
  }
  for (const compiler::InvoiceSummary& invoice : result.invoices) {
    if (invoice.settled_on) ++report.outcomes["invoice settled"];
    if (invoice.written_off) ++report.outcomes["invoice written off"];
    if (invoice.placed_on) ++report.outcomes["invoice placed"];
  }
  if (!result.probes.empty()) ++report.outcomes["balance probed"];
}

// Runs both engines on one subject and adds what they did to `report`;
// returns why the case fails, or nothing.
std::string CompareEngines(const compiler::PolicyIr& policy, const GeneratedSubject& subject, const Engine& first,
                           const Engine& second, DifferentialReport& report) {
  std::string first_failure;
  std::string second_failure;
  std::optional<compiler::InterpretResult> a = RunEngine(first, policy, subject, first_failure);
  std::optional<compiler::InterpretResult> b = RunEngine(second, policy, subject, second_failure);
  std::string failure;
  if (!a || !b) {
    ++report.differences;
    failure = !a ? "first engine: " + first_failure : "second engine: " + second_failure;
  } else if (std::optional<std::string> difference = FirstDifference(*a, *b)) {
    ++report.differences;
    failure = "the engines differ (first engine vs second engine) at " + *difference;
  } else if (!a->conservation_ok) {
    ++report.conservation_failures;
    failure = "money is not conserved: " + a->conservation_detail;
  }
  if (a) CountOutcomes(*a, report);
  return failure;
}

}  // namespace

DifferentialReport RunDifferential(const DifferentialOptions& options, const PolicyChecker& checker,
                                   const Engine& first, const Engine& second) {
  DifferentialReport report;
  for (std::uint64_t index = options.first_case; index < options.first_case + options.case_count; ++index) {
    ++report.cases;
    std::string text = GeneratePolicy(options.seed, index);
    CheckedPolicy checked = checker.Check(text);
    report.warnings += checked.warnings;
    std::string failure;
    std::optional<GeneratedSubject> subject;
    if (!checked.ir) {
      ++report.check_failures;
      failure = "the generated policy does not check clean (a generator bug):\n" + checked.diagnostics;
    } else {
      for (std::uint64_t k = 0; k < options.subjects_per_policy && failure.empty(); ++k) {
        subject = GenerateSubject(*checked.ir, options.seed, index + (k << 32));
        ++report.subject_cases;
        failure = CompareEngines(*checked.ir, *subject, first, second, report);
        if (!failure.empty() && k > 0) failure = fmt::format("on generated subject {}: {}", k, failure);
      }
      // The policy's own `test` blocks are subjects too (`recoup test`).
      for (std::size_t t = 0; t < checked.ir->tests.size() && failure.empty(); ++t) {
        GeneratedSubject test;
        test.facts = compiler::FactsFromTest(*checked.ir, checked.ir->tests[t]);
        test.options = compiler::OptionsFromTest(*checked.ir, checked.ir->tests[t], test.facts);
        ++report.test_block_runs;
        failure = CompareEngines(*checked.ir, test, first, second, report);
        if (!failure.empty()) {
          failure = fmt::format("in the policy's test \"{}\": {}", checked.ir->tests[t].name, failure);
          subject = std::move(test);
        }
      }
    }
    if (failure.empty() || report.reports.size() >= options.max_reports) continue;
    std::string reproduce = Replace(Replace(options.reproduce, "{seed}", fmt::format("{}", options.seed)), "{case}",
                                    fmt::format("{}", index));
    report.reports.push_back(fmt::format(
        "differential case failed: seed {}, case {}\nreproduce: {}\n{}\n--- policy ---\n{}--- subject ---\n{}",
        options.seed, index, reproduce, failure, text, subject ? DescribeSubject(*subject) : "(not generated)\n"));
  }
  return report;
}

}  // namespace recoup::testgen
