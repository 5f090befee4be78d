// Replay simulation on small in-memory ledgers: every metric of
// docs/metrics.md on a hand-computed example, the same bytes for any
// thread count, and conservation of money on every run.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <atomic>
#include <map>
#include <new>
#include <stdexcept>
#include <thread>
#include <string>

#include "tests/unit/check_policy_text.h"
#include "tests/unit/failing_engine.h"
#include "tests/unit/memory_files.h"
#include "tests/unit/memory_ledger.h"
#include "compiler/checker.h"
#include "compiler/engine.h"
#include "compiler/program.h"
#include "runtime/ledger_loader.h"
#include "simulation/replay.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::simulation {
namespace {

using runtime::Date;

using testing::MemoryFiles;

compiler::PolicyIr CheckPolicy(const std::string& text) {
  return testing::CheckPolicyText(text);
}

const char* const kPolicy = R"(policy "Replay test"
version "1"
currency USD
costs {
    email 0.50 USD
    letter 1 USD
}
subject invoice

at due + 10d: email "reminder"
final: at due + 20d: letter "final", fee 10 USD
at final + 10d: agency "Alacrity" contingency 20%

stop when paid
)";

// docs/metrics.md, "A worked example": three USD invoices and one in EUR.
std::map<std::string, std::string> ExampleLedger() {
  return {
      {"customers.csv", "customer_id,segment\nC1,smb\nC2,strategic\n"},
      {"invoices.csv",
       "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
       "I1,C1,2026-01-01,2026-01-31,100.00,USD\n"
       "I2,C1,2026-01-01,2026-01-31,200.00,USD\n"
       "I3,C2,2026-01-10,2026-02-09,300.00,USD\n"
       "I4,C2,2026-01-10,2026-02-09,50.00,EUR\n"},
      {"payments.csv",
       "invoice_id,date,amount\nI1,2026-02-05,100.00\nI2,2026-03-15,210.00\nI3,2026-02-09,100.00\n"},
      {"adjustments.csv", "invoice_id,date,amount,kind\nI2,2026-02-20,5.00,fee\n"},
      {"actions.csv", "invoice_id,date,action\nI2,2026-02-10,email\n"},
  };
}

ReplayOptions ExampleOptions() {
  ReplayOptions options;
  options.as_of = Date::ParseIso("2026-12-31");
  options.threads = 1;
  return options;
}

std::string Display(Ratio ratio, int scale, int decimals) { return FormatRatio(ratio, scale, decimals); }

TEST_CASE("replay: every metric of the worked example", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(ExampleLedger());
  compiler::PolicyIr policy = CheckPolicy(kPolicy);
  ReplayOptions options = ExampleOptions();
  options.keep_outcomes = true;
  ReplayResult result = Replay(ledger, policy, options);
  REQUIRE(result.error.empty());
  REQUIRE(result.subject_error_count == 0);
  REQUIRE(result.metrics);
  const Metrics& metrics = *result.metrics;
  CHECK(metrics.conservation_ok);
  CHECK(metrics.subjects == 3);
  REQUIRE(metrics.other_currencies.size() == 1);
  CHECK(metrics.other_currencies[0].invoices == 1);
  CHECK(metrics.other_currencies[0].amount == 5000);

  const Figures& f = metrics.overall;
  CHECK(f.invoices == 3);
  CHECK(f.customers == 2);
  CHECK(f.invoiced == 60000);
  CHECK(f.fees == 2000);
  CHECK(f.interest == 0);
  CHECK(f.collected == 41000);
  CHECK(f.applied == 41000);
  CHECK(f.open == 21000);
  CHECK(f.written_off == 0);
  CHECK(f.collected_by[0] == 20000);  // 30 days: I1 and I3's part payment
  CHECK(f.collected_by[1] == 41000);  // 60 days: and I2
  CHECK(f.collected_by[3] == 41000);
  CHECK(Display(RecoveryRate(f), 100, 1) == "66.1");
  CHECK(f.principal_days == 6310000);
  CHECK(Display(DaysSalesOutstanding(f), 1, 4) == "105.1667");
  CHECK(f.delinquent_days == 4510000);
  CHECK(Display(AverageDaysDelinquent(f), 1, 4) == "75.1667");
  CHECK(Display(CollectionEffectivenessIndex(f), 100, 2) == "66.13");
  CHECK(f.aging_invoices[4] == 1);  // I3, 180 days past due at its horizon
  CHECK(f.aging_amount[4] == 21000);
  CHECK(f.actions[static_cast<std::size_t>(compiler::ActionKind::Email)] == 2);
  CHECK(f.actions[static_cast<std::size_t>(compiler::ActionKind::Letter)] == 2);
  CHECK(f.actions[static_cast<std::size_t>(compiler::ActionKind::Fee)] == 2);
  CHECK(f.actions[static_cast<std::size_t>(compiler::ActionKind::Agency)] == 2);
  CHECK(f.contact_cost == 300);
  CHECK(f.action_costs[static_cast<std::size_t>(compiler::ActionKind::Email)] == 100);
  CHECK(f.action_costs[static_cast<std::size_t>(compiler::ActionKind::Letter)] == 200);
  CHECK(f.action_costs[static_cast<std::size_t>(compiler::ActionKind::Agency)] == 0);
  CHECK(f.touches == 4);
  CHECK(Display(TouchesPerCustomer(f), 1, 2) == "2.00");
  CHECK(f.placements == 2);
  CHECK(f.premature_placements == 1);  // I2: placed 2026-03-02, paid in full 2026-03-15
  CHECK(f.recovered_after_placement == 21000);
  CHECK(f.contingency_fees == 4200);
  CHECK(f.settled == 2);
  CHECK(f.history_actions == 1);
  CHECK(f.history_fees == 500);

  REQUIRE(metrics.segments.size() == 2);
  CHECK(metrics.segments[0].segment == "smb");
  CHECK(metrics.segments[0].figures.invoices == 2);
  CHECK(metrics.segments[0].figures.open == 0);
  CHECK(metrics.segments[1].segment == "strategic");
  CHECK(metrics.segments[1].figures.open == 21000);

  // The recovery curve (docs/reports.md): I3's 100.00 on its due date, I1's
  // 100.00 five days late, I2's 210.00 43 days late.
  REQUIRE(metrics.collected_on_day.size() == 44);
  CHECK(metrics.collected_on_day[0] == 10000);
  CHECK(metrics.collected_on_day[5] == 10000);
  CHECK(metrics.collected_on_day[43] == 21000);
  std::vector<std::int64_t> cumulative = CumulativeCollected(metrics, 60);
  REQUIRE(cumulative.size() == 61);
  CHECK(cumulative[0] == 10000);
  CHECK(cumulative[4] == 10000);
  CHECK(cumulative[5] == 20000);
  CHECK(cumulative[30] == f.collected_by[0]);
  CHECK(cumulative[42] == 20000);
  CHECK(cumulative[43] == 41000);
  CHECK(cumulative[60] == f.collected);

  REQUIRE(result.outcomes.size() == 3);
  const InvoiceOutcome& i2 = result.outcomes[1].invoices.at(0);
  CHECK(i2.placed_on == Date::ParseIso("2026-03-02"));
  CHECK(i2.settled_on == Date::ParseIso("2026-03-15"));
  CHECK(i2.contingency_fee == 4200);
}

TEST_CASE("replay: a shorter premature window and the ledger's end cut the runs", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(ExampleLedger());
  compiler::PolicyIr policy = CheckPolicy(kPolicy);
  ReplayOptions options = ExampleOptions();
  options.premature_days = 10;
  CHECK(Replay(ledger, policy, options).metrics->overall.premature_placements == 0);

  options.as_of.reset();  // the ledger ends 2026-03-15, its last payment
  Metrics metrics = *Replay(ledger, policy, options).metrics;
  CHECK(metrics.as_of == *Date::ParseIso("2026-03-15"));
  CHECK(metrics.overall.cut_short == 3);
  CHECK(metrics.overall.aging_invoices[2] == 1);  // I3 is 34 days past due on 2026-03-15
  CHECK(metrics.conservation_ok);
}

// A ledger of `count` invoices with varied payments, disputes and promises.
std::map<std::string, std::string> SyntheticLedger(int count) {
  std::string customers = "customer_id,segment\n";
  for (int c = 0; c < 40; ++c) customers += fmt::format("C{},{}\n", c, c % 3 == 0 ? "smb" : c % 3 == 1 ? "enterprise" : "");
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  std::string payments = "invoice_id,date,amount\n";
  std::string disputes = "invoice_id,opened,resolved\n";
  std::string promises = "invoice_id,made,promised\n";
  std::uint64_t state = 12345;
  auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  Date start = *Date::ParseIso("2025-01-01");
  for (int i = 0; i < count; ++i) {
    Date issue = start.AddDays(static_cast<std::int32_t>(next(300)));
    Date due = issue.AddDays(30);
    std::int64_t cents = 1000 + static_cast<std::int64_t>(next(500000));
    invoices += fmt::format("N{},C{},{},{},{}.{:02},USD\n", i, next(40), issue.ToIso(), due.ToIso(), cents / 100, cents % 100);
    std::uint64_t kind = next(5);
    if (kind < 3) {
      payments += fmt::format("N{},{},{}.{:02}\n", i, due.AddDays(static_cast<std::int32_t>(next(120)) - 10).ToIso(), cents / 100,
                              cents % 100);
    } else if (kind == 3) {
      payments += fmt::format("N{},{},{}.00\n", i, due.AddDays(static_cast<std::int32_t>(next(60))).ToIso(), cents / 200 + 1);
    }
    if (next(10) == 0) disputes += fmt::format("N{},{},{}\n", i, due.AddDays(5).ToIso(), next(2) ? due.AddDays(25).ToIso() : "");
    if (next(12) == 0) promises += fmt::format("N{},{},{}\n", i, due.AddDays(3).ToIso(), due.AddDays(20).ToIso());
  }
  return {{"customers.csv", customers}, {"invoices.csv", invoices}, {"payments.csv", payments},
          {"disputes.csv", disputes},   {"promises.csv", promises}};
}

const char* const kBusyPolicy = R"(policy "Busy"
currency USD
subject SUBJECT

at due + 5d: email "one"
every 10d from due + 15d until agency max 4 times: letter "again"
at due + 40d: fee 2% of balance min 5 USD, interest 8% per year from due + 1d
placed: at due + 70d: agency "Alacrity" contingency 25% unless customer.segment == "enterprise"
at due + 120d: write off
pause on dispute
pause on promise + 2d
stop when paid
)";

std::string Render(const Metrics& metrics) {
  driver::PolicyColumn column{"busy.recoup", "Busy", "", false, metrics};
  driver::ReportHeader header{"ledger", metrics.as_of, metrics.horizon_days, metrics.premature_days};
  return driver::RenderReport(header, {column, column}, driver::ReportFormat::Json) +
         driver::RenderReport(header, {column}, driver::ReportFormat::Table);
}

TEST_CASE("replay: the same bytes for any thread count, invoice and customer subjects", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(SyntheticLedger(1500));
  for (const char* subject : {"invoice", "customer"}) {
    std::string text = kBusyPolicy;
    text.replace(text.find("SUBJECT"), 7, subject);
    compiler::PolicyIr policy = CheckPolicy(text);
    ReplayOptions options;
    options.threads = 1;
    options.chunk_subjects = 100;
    ReplayResult one = Replay(ledger, policy, options);
    INFO(subject << ": " << (one.subject_errors.empty() ? "" : one.subject_errors.front()));
    REQUIRE(one.subject_error_count == 0);
    REQUIRE(one.metrics->conservation_ok);
    CHECK(one.metrics->overall.placements > 0);
    CHECK(one.metrics->overall.write_offs > 0);
    std::string expected = Render(*one.metrics);
    for (unsigned threads : {2u, 3u, 8u}) {
      options.threads = threads;
      ReplayResult many = Replay(ledger, policy, options);
      CHECK(many.threads_used == threads);
      CHECK(*many.metrics == *one.metrics);
      CHECK(Render(*many.metrics) == expected);
    }
  }
}

TEST_CASE("replay: outcomes in subject order for any thread count and any ring of slots", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(SyntheticLedger(900));
  std::string text = kBusyPolicy;
  text.replace(text.find("SUBJECT"), 7, "invoice");
  compiler::PolicyIr policy = CheckPolicy(text);
  ReplayOptions options;
  options.threads = 1;
  options.keep_outcomes = true;
  ReplayResult one = Replay(ledger, policy, options);
  REQUIRE(one.subject_error_count == 0);
  REQUIRE(one.outcomes.size() == one.metrics->subjects);
  REQUIRE(one.outcomes.size() > 64);  // more than one block
  PlanResult planned = PlanSubjects(ledger, policy, std::nullopt);
  REQUIRE(planned.plan);
  for (std::size_t s = 0; s < one.outcomes.size(); ++s) {
    REQUIRE(one.outcomes[s].customer == planned.plan->subject_customer[s]);
  }
  // The smallest ring (two blocks a thread: workers often wait for a
  // slot), a few blocks, and more slots than subjects.
  for (std::size_t chunk : {1u, 64u, 200u, 100000u}) {
    for (unsigned threads : {1u, 2u, 5u}) {
      options.threads = threads;
      options.chunk_subjects = chunk;
      ReplayResult many = Replay(ledger, policy, options);
      INFO("chunk " << chunk << ", threads " << threads);
      CHECK(*many.metrics == *one.metrics);
      REQUIRE(many.outcomes.size() == one.outcomes.size());
      for (std::size_t s = 0; s < one.outcomes.size(); ++s) {
        REQUIRE(many.outcomes[s].customer == one.outcomes[s].customer);
        REQUIRE(many.outcomes[s].invoices.size() == one.outcomes[s].invoices.size());
        for (std::size_t i = 0; i < one.outcomes[s].invoices.size(); ++i) {
          CHECK(many.outcomes[s].invoices[i].invoice == one.outcomes[s].invoices[i].invoice);
          CHECK(many.outcomes[s].invoices[i].collected == one.outcomes[s].invoices[i].collected);
          CHECK(many.outcomes[s].invoices[i].open == one.outcomes[s].invoices[i].open);
        }
        CHECK(many.outcomes[s].actions == one.outcomes[s].actions);
        CHECK(many.outcomes[s].collections.size() == one.outcomes[s].collections.size());
      }
    }
  }
}

TEST_CASE("replay: progress is reported on the calling thread, never decreasing, ending at the total",
          "[simulation][replay][progress]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(SyntheticLedger(700));
  std::string text = kBusyPolicy;
  text.replace(text.find("SUBJECT"), 7, "invoice");
  compiler::PolicyIr policy = CheckPolicy(text);
  for (unsigned threads : {1u, 2u, 4u}) {
    ReplayOptions options;
    options.threads = threads;
    options.chunk_subjects = 128;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    std::thread::id caller = std::this_thread::get_id();
    bool same_thread = true;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
      same_thread = same_thread && std::this_thread::get_id() == caller;
      calls.emplace_back(done, total);
    };
    ReplayResult with = Replay(ledger, policy, options);
    options.progress = nullptr;
    ReplayResult without = Replay(ledger, policy, options);
    INFO("threads " << threads);
    CHECK(same_thread);
    REQUIRE(!calls.empty());
    CHECK(calls.back().first == calls.back().second);
    CHECK(calls.back().second == with.metrics->subjects);
    for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first >= calls[i - 1].first);
    CHECK(*with.metrics == *without.metrics);
  }
}

TEST_CASE("replay: conservation holds on every run, per segment too", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(SyntheticLedger(400));
  std::string text = kBusyPolicy;
  text.replace(text.find("SUBJECT"), 7, "invoice");
  ReplayResult result = Replay(ledger, CheckPolicy(text), ReplayOptions{});
  REQUIRE(result.metrics);
  CHECK(result.metrics->conservation_ok);
  for (const SegmentFigures& segment : result.metrics->segments) {
    const Figures& f = segment.figures;
    CHECK(f.invoiced + f.fees + f.interest == f.applied + f.written_off + f.open);
    CHECK(f.collected >= f.applied);
  }
  CHECK(result.metrics->overall.interest > 0);
}

using testing::FailingEngine;

TEST_CASE("replay: a worker's exception reaches the caller, whatever the thread count", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(SyntheticLedger(900));
  std::string text = kBusyPolicy;
  text.replace(text.find("SUBJECT"), 7, "invoice");
  compiler::PolicyIr policy = CheckPolicy(text);
  ReplayResult clean = Replay(ledger, policy, ReplayOptions{});
  REQUIRE(clean.metrics->subjects > 3 * 64);
  for (unsigned threads : {1u, 2u, 5u}) {
    for (std::uint64_t fail_at : {std::uint64_t{1}, std::uint64_t{130}, clean.metrics->subjects}) {
      INFO("threads " << threads << ", failing on subject run " << fail_at);
      ReplayOptions options;
      options.threads = threads;
      options.chunk_subjects = 64;  // the smallest ring: workers wait for slots
      options.keep_outcomes = true;
      FailingEngine failing(policy, fail_at, [] { throw std::runtime_error("injected failure"); });
      options.engine = &failing;
      CHECK_THROWS_WITH(Replay(ledger, policy, options), "injected failure");
      FailingEngine out_of_memory(policy, fail_at, [] { throw std::bad_alloc(); });
      options.engine = &out_of_memory;
      CHECK_THROWS_AS(Replay(ledger, policy, options), std::bad_alloc);
      // The others stopped: at most the blocks already claimed were finished.
      CHECK(out_of_memory.runs() <= fail_at + threads * 64);
    }
  }
  // A failing progress callback on the calling thread stops the workers too.
  ReplayOptions options;
  options.threads = 2;
  options.progress = [](std::uint64_t, std::uint64_t) { throw std::runtime_error("progress failed"); };
  CHECK_THROWS_WITH(Replay(ledger, policy, options), "progress failed");
  // And nothing is left behind: the next replay gives the clean result.
  CHECK(*Replay(ledger, policy, ReplayOptions{}).metrics == *clean.metrics);
}

TEST_CASE("replay: a policy reading a column the ledger lacks is refused", "[simulation][replay]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(ExampleLedger());
  std::string text = kPolicy;
  text.replace(text.find("subject invoice"), 15, "subject invoice\nattribute customer.account_manager: text");
  ReplayResult result = Replay(ledger, CheckPolicy(text), ExampleOptions());
  CHECK(!result.metrics);
  CHECK(result.error == "the policy reads customer.account_manager, but the ledger's customers.csv has no `account_manager` column");
}

TEST_CASE("metrics: money that does not add up is a loud failure", "[simulation][metrics]") {
  runtime::Ledger ledger = testing::LoadLedgerFiles(ExampleLedger());
  PlanResult planned = PlanSubjects(ledger, CheckPolicy(kPolicy), std::nullopt);
  REQUIRE(planned.plan);
  MetricsBuilder builder(ledger, *planned.plan, 180, 30);
  SubjectOutcome outcome;
  InvoiceOutcome invoice;
  invoice.amount = 10000;
  invoice.applied = invoice.collected = 6000;
  invoice.open = 3000;  // 1000 went missing
  outcome.invoices.push_back(invoice);
  builder.Add(outcome);
  Metrics metrics = builder.Finish();
  CHECK(!metrics.conservation_ok);
  CHECK(metrics.conservation_detail.find("invoiced 100.00 USD + fees 0.00 USD + interest 0.00 USD != collected and applied "
                                         "60.00 USD + written off 0.00 USD + open 30.00 USD") != std::string::npos);
}

TEST_CASE("ratios round half-even for display only", "[simulation][metrics]") {
  CHECK(FormatRatio({1, 8}, 100, 1) == "12.5");
  CHECK(FormatRatio({1, 16}, 100, 1) == "6.2");   // 6.25 -> 6.2
  CHECK(FormatRatio({3, 16}, 100, 1) == "18.8");  // 18.75 -> 18.8
  CHECK(FormatRatio({-1, 3}, 1, 2) == "-0.33");
  CHECK(FormatRatio({0, 0}, 1, 2) == "n/a");
  CHECK(FormatRatio(Difference({1, 2}, {1, 3}), 1, 4) == "0.1667");
}

}  // namespace
}  // namespace recoup::simulation
