// Differential test: the JIT engine against the interpreter engine over
// every shipped and golden policy and seeded random subjects (several
// invoices for customer policies, partial and full payments, disputes
// resolved or not, promises, attributes). Both the explained result
// (Interpret(): every firing, not-fired record, guard read, ledger event,
// balance and total) and the explain-off trace the replay uses must be
// identical. At least 10,000 cases; RECOUP_JIT_DIFFERENTIAL_CASES=N runs N
// (long mode), RECOUP_JIT_DIFFERENTIAL_SEED=S another seed.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "compiler/checker.h"
#include "compiler/engine.h"
#include "compiler/interpreter.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/program.h"
#include "compiler/subject_view.h"
#include "language/file_system.h"

namespace recoup::compiler::jit {
namespace {

namespace fs = std::filesystem;

const std::string kSourceDir = RECOUP_SOURCE_DIR;

std::vector<std::string> PolicyFiles() {
  std::vector<std::string> paths;
  for (const char* folder : {"examples", "tests/explain", "stdlib/policies"}) {
    fs::path root = fs::path(kSourceDir) / folder;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".recoup") paths.push_back(fs::relative(entry.path(), kSourceDir).string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::optional<PolicyIr> Load(const std::string& path) {
  language::RealFileSystem files(kSourceDir);
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  Program program = LoadProgram(path, files, LoadOptions{kSourceDir + "/stdlib"}, sources, diagnostics);
  std::optional<PolicyIr> ir;
  if (!program.trees.empty()) ir = Check(program, sources, diagnostics);
  if (diagnostics.HasErrors() || !ir || ir->is_library) return std::nullopt;
  return ir;
}

std::string AttributeValue(std::mt19937_64& random, Type type) {
  switch (type) {
    case Type::Money: return std::to_string(random() % 5000);
    case Type::Percent:
    case Type::Rate: return std::to_string(random() % 20) + "%";
    case Type::Count: return std::to_string(random() % 6);
    case Type::Number: return random() % 2 ? "2.5" : "7";
    case Type::Duration: return std::to_string(random() % 30) + (random() % 2 ? "d" : "bd");
    case Type::Date: return random() % 2 ? "2026-03-01" : "2026-05-15";
    case Type::Bool: return random() % 2 ? "true" : "false";
    default: return random() % 3 == 0 ? "" : (random() % 2 ? "strategic" : "north");
  }
}

SubjectFacts RandomSubject(std::mt19937_64& random, const PolicyIr& policy) {
  SubjectFacts facts;
  facts.customer_id = "C" + std::to_string(random() % 100);
  const char* segments[] = {"smb", "enterprise", "strategic", "key", "internal", "public"};
  facts.customer_attributes["segment"] = segments[random() % 6];
  facts.customer_attributes["country"] = random() % 2 ? "US" : "DE";
  if (random() % 3 == 0) facts.customer_attributes["late_payments"] = std::to_string(random() % 5);
  std::size_t invoices = policy.header.subject == SubjectKind::Customer ? 1 + random() % 4 : 1;
  runtime::Date base = runtime::Date::FromDays(20454 + static_cast<std::int32_t>(random() % 200));  // 2026
  for (std::size_t i = 0; i < invoices; ++i) {
    InvoiceFacts invoice;
    invoice.id = "INV-" + std::to_string(i + 1);
    invoice.issue = base.AddDays(static_cast<std::int32_t>(random() % 90));
    invoice.due = invoice.issue.AddDays(static_cast<std::int32_t>(random() % 61));
    std::int64_t amounts[] = {1, 999, 50000, 120000, 250000, 1000000, 5000000};
    invoice.amount = runtime::Money{amounts[random() % 7] + static_cast<std::int64_t>(random() % 1000),
                                    policy.header.currency};
    if (random() % 20 == 0) invoice.amount.currency = policy.header.currency == 0 ? 1 : 0;  // not covered
    facts.invoices.push_back(invoice);
  }
  for (const Attribute& attribute : policy.attributes) {
    if (random() % 25 == 0) continue;  // missing: both engines must report the same error
    if (attribute.object == AttributeObject::Customer) {
      facts.customer_attributes[attribute.name] = AttributeValue(random, attribute.type.type);
    } else {
      for (InvoiceFacts& invoice : facts.invoices) invoice.attributes[attribute.name] = AttributeValue(random, attribute.type.type);
    }
  }
  for (const InvoiceFacts& invoice : facts.invoices) {
    std::size_t payments = random() % 4;
    for (std::size_t p = 0; p < payments; ++p) {
      PaymentFacts payment;
      payment.invoice = random() % 4 == 0 ? "" : invoice.id;
      payment.date = invoice.due.AddDays(static_cast<std::int32_t>(random() % 220) - 20);
      std::int64_t share = static_cast<std::int64_t>(random() % 4);
      payment.amount = runtime::Money{share == 0 ? invoice.amount.minor : invoice.amount.minor / (share + 1) + 1,
                                      invoice.amount.currency};
      facts.payments.push_back(payment);
    }
    if (random() % 4 == 0) {
      DisputeFacts dispute;
      dispute.invoice = invoice.id;
      dispute.opened = invoice.due.AddDays(static_cast<std::int32_t>(random() % 60));
      if (random() % 2) dispute.resolved = dispute.opened.AddDays(static_cast<std::int32_t>(random() % 40));
      facts.disputes.push_back(dispute);
    }
    if (random() % 4 == 0) {
      PromiseFacts promise;
      promise.invoice = invoice.id;
      if (random() % 2) promise.made = invoice.due.AddDays(static_cast<std::int32_t>(random() % 20));
      promise.promised = invoice.due.AddDays(static_cast<std::int32_t>(random() % 80));
      facts.promises.push_back(promise);
    }
  }
  std::sort(facts.payments.begin(), facts.payments.end(),
            [](const PaymentFacts& a, const PaymentFacts& b) { return a.date < b.date; });
  return facts;
}

std::string Money(const std::optional<runtime::Money>& money) { return money ? std::to_string(money->minor) : "-"; }

std::string Reads(const std::vector<GuardRead>& reads) {
  std::string text;
  for (const GuardRead& read : reads) text += read.name + "=" + read.value + ";";
  return text;
}

std::string Totals(const MoneyTotals& t) {
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {}", t.amount.minor, t.fees_charged.minor, t.interest_charged.minor,
                     t.applied.minor, t.written_off.minor, t.unapplied.minor, t.collected.minor, t.principal.minor,
                     t.fees.minor, t.interest.minor, t.open.minor);
}

// Everything an explained run reports, one line per record.
std::string Describe(const InterpretResult& result) {
  std::string text = fmt::format("run {} {} error {}\n", result.start.days(), result.horizon.days(), result.error.value_or("-"));
  for (const Firing& firing : result.firings) {
    text += fmt::format("fire #{} {} {} {}:{} occ {} reads {}\n", firing.sequence, firing.date.days(),
                        firing.scheduled.days(), static_cast<int>(firing.cause.kind), firing.cause.index, firing.occurrence,
                        Reads(firing.guard_reads));
    for (const ActionRecord& action : firing.actions) {
      std::string invoices;
      for (const std::string& invoice : action.invoices) invoices += invoice + ",";
      text += fmt::format("  action {} {} [{}] {} {} {}\n", ActionSpelling(action.kind), action.text, action.detail,
                          Money(action.amount), action.cost.minor, invoices);
    }
  }
  for (const NotFired& record : result.not_fired) {
    text += fmt::format("not #{} {} {}:{} {} [{}] {} {} reads {}\n", record.sequence,
                        record.date ? record.date->days() : -1, static_cast<int>(record.cause.kind), record.cause.index,
                        NotFiredReasonText(record.reason), record.detail, record.related_step, record.decided_at_end,
                        Reads(record.guard_reads));
  }
  for (const LedgerEvent& event : result.ledger) {
    text += fmt::format("ledger #{} {} {} {} {} {} {} {} {} [{}] {}\n", event.sequence, static_cast<int>(event.kind),
                        event.date.days(), event.invoice, event.amount.minor, event.to_fees.minor, event.to_interest.minor,
                        event.to_principal.minor, event.unapplied.minor, event.detail, event.step);
  }
  for (const BalancePoint& point : result.balances) {
    text += fmt::format("owed {} {} {} {} {}\n", point.date.days(), point.principal.minor, point.fees.minor,
                        point.interest.minor, point.open.minor);
  }
  for (const InvoiceSummary& invoice : result.invoices) {
    text += fmt::format("invoice {} {} {} {} {}\n", invoice.id, Totals(invoice.totals),
                        invoice.settled_on ? invoice.settled_on->days() : -1, invoice.written_off,
                        invoice.placed_on ? invoice.placed_on->days() : -1);
  }
  for (const NotCovered& invoice : result.not_covered) text += "not covered " + invoice.invoice + " " + invoice.reason + "\n";
  text += "totals " + Totals(result.totals) + fmt::format(" conserved {}\n", result.conservation_ok);
  return text;
}

// What the replay reads from an explain-off trace.
std::string Describe(const abi::Trace& trace) {
  std::string text = fmt::format("trace {} {} error {} {} conserved {}\n", trace.start, trace.horizon,
                                 static_cast<int>(trace.error.code), trace.error.id, trace.conservation_ok);
  for (const abi::FiringTrace& firing : trace.firings) {
    text += fmt::format("fire {} {}:{} {} {} {}\n", firing.sequence, static_cast<int>(firing.cause), firing.index,
                        firing.date, firing.scheduled, firing.occurrence);
    for (std::uint32_t k = firing.first_action; k < firing.first_action + firing.action_count; ++k) {
      const abi::ActionTrace& action = trace.actions[k];
      text += fmt::format("  action {} {} {} {} {}\n", action.kind, action.has_amount, action.amount, action.cost,
                          action.invoice_count);
    }
  }
  for (const abi::LedgerTrace& event : trace.ledger) {
    text += fmt::format("ledger {} {} {} {} {}\n", static_cast<int>(event.kind), event.date, event.name, event.amount,
                        event.to_principal);
  }
  for (const abi::InvoiceTrace& invoice : trace.invoices) {
    text += fmt::format("invoice {} {} {} {} {} {}\n", invoice.invoice, invoice.settled_on, invoice.placed_on,
                        invoice.written_off, invoice.totals.collected, invoice.totals.open);
  }
  text += fmt::format("not_fired {} not_covered {}\n", trace.not_fired.size(), trace.not_covered.size());
  return text;
}

std::uint64_t FromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value ? std::strtoull(value, nullptr, 10) : fallback;
}

TEST_CASE("jit: the JIT engine and the interpreter engine agree on every policy and generated subject") {
  std::uint64_t seed = FromEnvironment("RECOUP_JIT_DIFFERENTIAL_SEED", 6);
  std::uint64_t total = FromEnvironment("RECOUP_JIT_DIFFERENTIAL_CASES", 10000);
  std::vector<std::string> paths = PolicyFiles();
  std::vector<std::pair<std::string, PolicyIr>> policies;
  for (const std::string& path : paths) {
    if (std::optional<PolicyIr> ir = Load(path)) policies.emplace_back(path, std::move(*ir));
  }
  REQUIRE(policies.size() >= 40);
  std::uint64_t per_policy = (total + policies.size() - 1) / policies.size();
  // Printed so a failure can be replayed, and so the size of the run shows.
  WARN(fmt::format("jit differential: seed {}, {} policies x {} subjects (RECOUP_JIT_DIFFERENTIAL_SEED / _CASES)", seed,
                   policies.size(), per_policy));

  std::uint64_t cases = 0, firings = 0, errors = 0;
  for (const auto& [path, policy] : policies) {
    JitEngineResult jit = MakeJitEngine(policy, JitOptions{});
    INFO("policy " << path << ": " << jit.error.value_or(""));
    REQUIRE(jit.engine);
    // The quick tier (unoptimised module, -O0 code generation) runs the first
    // subjects of a cold compile: it must agree too.
    JitEngineResult quick = MakeJitEngine(policy, JitOptions{"", JitTiers::Quick});
    INFO("quick tier: " << quick.error.value_or(""));
    REQUIRE(quick.engine);
    REQUIRE(quick.report.quick);
    std::unique_ptr<PolicyEngine> interpreter = MakeInterpreterEngine(policy);
    std::mt19937_64 random(seed ^ std::hash<std::string>{}(path));
    EngineWorkspace workspace;
    SubjectViewStorage storage;
    abi::Trace expected_trace, actual_trace;
    for (std::uint64_t i = 0; i < per_policy; ++i) {
      SubjectFacts facts = RandomSubject(random, policy);
      InterpretOptions options;
      options.horizon = DefaultHorizon(facts, 30 + static_cast<std::int32_t>(random() % 300));
      options.engine = interpreter.get();
      InterpretResult expected = Interpret(policy, facts, options);
      options.engine = jit.engine.get();
      InterpretResult actual = Interpret(policy, facts, options);
      std::string expected_text = Describe(expected);
      INFO("seed " << seed << ", subject " << i << " of " << path);
      REQUIRE(Describe(actual) == expected_text);
      options.engine = quick.engine.get();
      REQUIRE(Describe(Interpret(policy, facts, options)) == expected_text);

      const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
      EngineOptions quiet;
      quiet.horizon = options.horizon;
      quiet.explain = false;
      interpreter->Run(view, quiet, workspace, expected_trace);
      jit.engine->Run(view, quiet, workspace, actual_trace);
      REQUIRE(Describe(actual_trace) == Describe(expected_trace));
      quick.engine->Run(view, quiet, workspace, actual_trace);
      REQUIRE(Describe(actual_trace) == Describe(expected_trace));
      ++cases;
      firings += expected.firings.size();
      errors += expected.error.has_value();
    }
  }
  CHECK(cases >= std::min<std::uint64_t>(total, 10000));
  CHECK(firings > cases);     // the subjects make policies act, not only wait
  CHECK(errors < cases / 4);  // and mostly run to the horizon
}

// A cold compile with the quick tier first: two threads keep running
// subjects while the optimised tier compiles and replaces the quick code
// under them; every run, on either tier or across the switch, gives the
// interpreter engine's trace.
TEST_CASE("jit: subjects running while the optimised tier replaces the quick one agree with the interpreter") {
  std::optional<PolicyIr> policy = Load("examples/customer-suspension-ladder.recoup");
  REQUIRE(policy);
  std::unique_ptr<PolicyEngine> interpreter = MakeInterpreterEngine(*policy);
  std::mt19937_64 random(11);
  std::vector<SubjectFacts> subjects;
  std::vector<EngineOptions> options;
  std::vector<std::string> expected;
  EngineWorkspace workspace;
  SubjectViewStorage storage;
  abi::Trace trace;
  for (int i = 0; i < 100; ++i) {
    subjects.push_back(RandomSubject(random, *policy));
    EngineOptions quiet;
    quiet.horizon = DefaultHorizon(subjects.back(), 30 + static_cast<std::int32_t>(random() % 300));
    quiet.explain = false;
    options.push_back(quiet);
    interpreter->Run(BuildSubjectView(*policy, subjects.back(), storage), quiet, workspace, trace);
    expected.push_back(Describe(trace));
  }

  JitEngineResult jit = MakeJitEngine(*policy, JitOptions{"", JitTiers::QuickThenOptimised});
  REQUIRE(jit.engine);
  CHECK(jit.report.quick);
  std::atomic<std::uint64_t> runs{0}, differences{0};
  std::atomic<bool> quick_seen{false};
  auto worker = [&] {
    EngineWorkspace own_workspace;
    SubjectViewStorage own_storage;
    abi::Trace own_trace;
    // Until the optimised tier is in, then one more pass over every subject.
    for (int after = 0; after < 2;) {
      if (jit.compiled->Optimised()) ++after;
      else quick_seen = true;
      for (std::size_t s = 0; s < subjects.size(); ++s) {
        jit.engine->Run(BuildSubjectView(*policy, subjects[s], own_storage), options[s], own_workspace, own_trace);
        differences += Describe(own_trace) != expected[s];
        ++runs;
      }
    }
  };
  std::thread first(worker), second(worker);
  first.join();
  second.join();
  CHECK(jit.compiled->WaitUntilOptimised().error.empty());
  CHECK(jit.compiled->Optimised());
  CHECK(runs >= 4 * subjects.size());
  CHECK(differences == 0);
  WARN("runs " << runs << ", quick tier seen running: " << (quick_seen ? "yes" : "no"));
}

// A customer with hundreds of fact days (the generated driver once kept at
// most 512 on its stack), many invoices settled one after another in
// order and out of order (the anchor invoice skips the leading settled
// ones under a policy without fees or interest), and several payments on
// one day (applied from the payment cursor): explained and not, the JIT
// must give exactly the interpreter engine's result.
TEST_CASE("jit: a customer with many fact days, settled invoices and same-day payments agrees with the interpreter") {
  for (const char* path : {"examples/customer-suspension-ladder.recoup", "tests/explain/customer_percent_fee.recoup"}) {
    std::optional<PolicyIr> policy = Load(path);
    REQUIRE(policy);
    JitEngineResult jit = MakeJitEngine(*policy, JitOptions{});
    REQUIRE(jit.engine);
    std::unique_ptr<PolicyEngine> interpreter = MakeInterpreterEngine(*policy);
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      std::mt19937_64 random(seed);
      SubjectFacts facts;
      facts.customer_id = "C1";
      facts.customer_attributes["segment"] = seed % 2 ? "smb" : "enterprise";
      facts.customer_attributes["country"] = "US";
      runtime::Date base = runtime::Date::FromDays(20454);
      for (int i = 0; i < 60; ++i) {
        InvoiceFacts invoice;
        invoice.id = "INV-" + std::to_string(i + 1);
        invoice.issue = base.AddDays(i * 7);
        invoice.due = invoice.issue.AddDays(30);
        invoice.amount = runtime::Money{100000 + static_cast<std::int64_t>(random() % 900000), policy->header.currency};
        facts.invoices.push_back(invoice);
      }
      for (int day = 0; day < 700; ++day) {
        int count = day % 5 == 0 ? 2 : 1;  // two payments on every fifth day
        for (int k = 0; k < count; ++k) {
          PaymentFacts payment;
          std::size_t target = std::min<std::size_t>(facts.invoices.size() - 1, day / 12 + random() % 3);
          payment.invoice = random() % 3 == 0 ? "" : facts.invoices[target].id;
          payment.date = base.AddDays(day + 20);
          payment.amount = runtime::Money{5000 + static_cast<std::int64_t>(random() % 40000), policy->header.currency};
          facts.payments.push_back(payment);
        }
      }
      InterpretOptions options;
      options.horizon = base.AddDays(800);
      options.engine = interpreter.get();
      InterpretResult expected = Interpret(*policy, facts, options);
      options.engine = jit.engine.get();
      InterpretResult actual = Interpret(*policy, facts, options);
      INFO(path << ", seed " << seed);
      REQUIRE(!expected.error);
      REQUIRE(expected.firings.size() > 1);
      REQUIRE(Describe(actual) == Describe(expected));

      EngineWorkspace workspace;
      SubjectViewStorage storage;
      abi::Trace expected_trace, actual_trace;
      const abi::SubjectView& view = BuildSubjectView(*policy, facts, storage);
      EngineOptions quiet;
      quiet.horizon = options.horizon;
      quiet.explain = false;
      interpreter->Run(view, quiet, workspace, expected_trace);
      jit.engine->Run(view, quiet, workspace, actual_trace);
      REQUIRE(Describe(actual_trace) == Describe(expected_trace));
    }
  }
}

}  // namespace
}  // namespace recoup::compiler::jit

namespace recoup::compiler::jit {
namespace {

// A policy from its text (checked with the stdlib), or a failed REQUIRE
// showing the diagnostics.
std::optional<PolicyIr> PolicyFromText(const std::string& name, const char* source) {
  fs::path folder = fs::temp_directory_path() / fmt::format("recoup-jit-{}-{}", name, ::getpid());
  fs::create_directories(folder);
  { std::ofstream(folder / (name + ".recoup")) << source; }
  language::RealFileSystem files(folder.string());
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  Program program = LoadProgram(name + ".recoup", files, LoadOptions{kSourceDir + "/stdlib"}, sources, diagnostics);
  std::optional<PolicyIr> policy;
  if (!program.trees.empty()) policy = Check(program, sources, diagnostics);
  fs::remove_all(folder);
  std::string rendered;
  for (const language::Diagnostic& diagnostic : diagnostics.all()) rendered += language::RenderText(diagnostic, sources);
  INFO(rendered);
  REQUIRE(!diagnostics.HasErrors());
  REQUIRE(policy);
  return policy;
}

// Runs `subjects` seeded subjects (RandomSubject, then `adjust`) through
// the JIT and the interpreter engine, explained and not, and requires the
// same results; returns how many firings the interpreter engine made.
std::uint64_t RequireSameOnSubjects(const PolicyIr& policy, std::uint64_t seed, int subjects,
                                    const std::function<void(int, std::mt19937_64&, SubjectFacts&)>& adjust) {
  JitEngineResult jit = MakeJitEngine(policy, JitOptions{});
  INFO(jit.error.value_or(""));
  REQUIRE(jit.engine);
  std::unique_ptr<PolicyEngine> interpreter = MakeInterpreterEngine(policy);
  std::mt19937_64 random(seed);
  EngineWorkspace workspace;
  SubjectViewStorage storage;
  abi::Trace expected_trace, actual_trace;
  std::uint64_t firings = 0;
  for (int i = 0; i < subjects; ++i) {
    SubjectFacts facts = RandomSubject(random, policy);
    adjust(i, random, facts);
    InterpretOptions options;
    options.horizon = DefaultHorizon(facts, 30 + static_cast<std::int32_t>(random() % 300));
    options.engine = interpreter.get();
    InterpretResult expected = Interpret(policy, facts, options);
    options.engine = jit.engine.get();
    InterpretResult actual = Interpret(policy, facts, options);
    INFO("subject " << i);
    REQUIRE(Describe(actual) == Describe(expected));
    firings += expected.firings.size();

    const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
    EngineOptions quiet;
    quiet.horizon = options.horizon;
    quiet.explain = false;
    interpreter->Run(view, quiet, workspace, expected_trace);
    jit.engine->Run(view, quiet, workspace, actual_trace);
    REQUIRE(Describe(actual_trace) == Describe(expected_trace));
  }
  return firings;
}

// Steps whose date the generated driver computes inline and skips before
// (an invoice subject's steps at its due or issue date or another step's
// first firing, plus calendar days), beside steps it still tries every
// wake day: a date before the issue date, two steps on one day, a step on
// the day of the step it counts from and before it, recurring steps from
// the due date and from a step, business days over a holiday, a fee and
// a guard. Explained and not, the JIT must give exactly the interpreter
// engine's result on seeded subjects, among them invoices due on the
// holiday and on a weekend.
TEST_CASE("jit: steps with inline dates are tried from their date, as the interpreter engine") {
  const char* source = R"(calendar example {
    weekend sat, sun
    holiday 2026-03-02 "Company day"
}

policy "Dated steps"
currency USD
calendar example

at issue - 3d: email "before-issue"
at due - 70d: email "long-before-due"
at issue + 0d: email "on-issue"
at due + 0d: email "due-a"
at due + 0d: email "due-b"
at due + 1bd: email "business-over-holiday"
reminder: at due + 7d: letter "late"
at reminder + 0d: task "same-day-as-reminder" queue "collections"
at reminder - 2d: email "before-reminder"
second: at reminder + 5d: email "after-reminder" if invoice.balance > 1000 USD
at second + 0d: call "after-second"
at due + 10d + 2bd: email "mixed"
every 10d from due + 14d until due + 90d max 4 times: email "recurring"
every 7d from reminder + 1d max 3 times: email "recurring-after-reminder"
at due + 20d: fee 25 USD
stop when paid
)";
  std::optional<PolicyIr> policy = PolicyFromText("dated", source);
  std::uint64_t firings = RequireSameOnSubjects(*policy, 11, 400, [](int i, std::mt19937_64& random, SubjectFacts& facts) {
    if (i % 4 != 0) return;
    // Due on the holiday (a Monday) or on the Saturday before it.
    InvoiceFacts& invoice = facts.invoices[0];
    invoice.due = runtime::Date::FromDays(20514 - (i % 8 == 0 ? 2 : 0));
    invoice.issue = invoice.due.AddDays(-static_cast<std::int32_t>(random() % 40));
  });
  CHECK(firings > 400 * 4);
}

// The driver's next chance per step (an invoice subject's step is tried
// only from the first day it can decide something, and a wake day on
// which no step has a chance runs no step at all) for the steps the
// interpreter engine gives chances to beyond the inline-dated ones:
// recurring steps (calendar and business days, from the due date and from
// a step, until an anchor, until agency, max times), business-day and
// end-of-month dates, and, tried every wake day, promise-anchored steps;
// chances forgotten when a step others count from first fires. With a
// stop rule that acts (event days), `stop when paid` actions that make a
// settled invoice owe again (closed for good only once they ran and
// nothing is owed), and each with and without interest (what is owed then
// grows by the day, so closed for good is asked every day). Explained and
// not, the JIT must give exactly the interpreter engine's result.
TEST_CASE("jit: next chances of recurring, business-day, end-of-month and promise steps, as the interpreter engine") {
  const char* common = R"(
calendar example {
    weekend sat, sun
    holiday 2026-03-02 "Company day"
    holiday 2026-05-25 "Another day"
}

policy "Chances"
currency USD
calendar example

pause on dispute: defer
pause on promise + 2d: skip
first: at due + 3bd: email "business-days"
every 5bd from due + 2bd until agency max 6 times: email "business-recurring"
every 9d from first + 1d until due + 80d: sms "after-first"
at end of month of due + 10d: letter "month-end"
every 1d from end of month of due max 2 times: email "daily-at-month-end"
at promise + 1d: call "broken-promise"
every 4d from promise + 3d max 3 times: email "after-promise"
late: at due + 40d: letter "late"
at late + 20d: agency "Alacrity" contingency 20% if invoice.balance > 100 USD
stop when invoice.balance > 0 USD and invoice.balance < 2 USD: write off
)";
  for (const char* ending : {"stop when paid: fee 5 USD, email \"thanks\"\n",
                             "at due + 12d: interest 9% per year from due\nstop when paid: email \"thanks\"\n",
                             "stop when paid\n"}) {
    std::string source = std::string(common) + ending;
    INFO(ending);
    std::optional<PolicyIr> policy = PolicyFromText("chances", source.c_str());
    std::uint64_t firings = RequireSameOnSubjects(*policy, 23, 600, [](int i, std::mt19937_64& random, SubjectFacts& facts) {
      if (i % 3 != 0) return;
      // Due near a holiday, the end of a month or a weekend.
      InvoiceFacts& invoice = facts.invoices[0];
      invoice.due = runtime::Date::FromDays(20510 + static_cast<std::int32_t>(random() % 8) + (i % 2 ? 84 : 0));
      invoice.issue = invoice.due.AddDays(-static_cast<std::int32_t>(random() % 40));
    });
    CHECK(firings > 600 * 3);
  }
}

}  // namespace
}  // namespace recoup::compiler::jit
