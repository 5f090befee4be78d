// `recoup diff --ledger`: every subject of a ledger run under both versions
// (the same subjects and facts the replay builds), timelines compared one by
// one and grouped by kind of change; then the replay metrics of both
// versions for the report simulate and compare print.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <thread>

#include "simulation/subjects.h"
#include "tools/recoup/diff_internal.h"
#include "runtime/worker_threads.h"

namespace recoup::driver::diff {
namespace {

constexpr std::size_t kExamplesPerGroup = 3;

constexpr std::size_t kGroupsShown = 3;

struct KeyedTimelines {
  std::vector<std::string> order;
  std::map<std::string, Timeline> by_key;
  std::map<std::string, runtime::Date> earliest_due;
};

void Append(Timeline& into, const Timeline& more) {
  into.entries.insert(into.entries.end(), more.entries.begin(), more.entries.end());
  std::stable_sort(into.entries.begin(), into.entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.date < b.date; });
  if (!into.error) into.error = more.error;
  into.open_principal += more.open_principal;
  into.open_fees += more.open_fees;
  into.open_interest += more.open_interest;
  into.written_off += more.written_off;
}

// Every subject's timeline, keyed by invoice id, or by customer id when
// `by_customer` (a customer policy, or versions with different subjects).
std::optional<KeyedTimelines> RunAll(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                     const simulation::ReplayOptions& replay, bool by_customer, const std::string& file,
                                     Environment& environment) {
  simulation::PlanResult planned = simulation::PlanSubjects(ledger, policy, replay.as_of);
  if (!planned.plan) {
    environment.err << fmt::format("{}: error: {}\n", file, planned.error);
    return std::nullopt;
  }
  const simulation::SubjectPlan& plan = *planned.plan;
  // Each subject runs on its own (any thread, its own slot); the slots are
  // then gathered in subject order, so the result does not depend on threads.
  std::size_t count = plan.subject_count();
  std::vector<Timeline> runs(count);
  std::vector<std::string> keys(count);
  std::vector<runtime::Date> dues(count);
  auto run_range = [&](std::size_t first, std::size_t step) {
    compiler::SubjectFacts facts;
    for (std::size_t subject = first; subject < count; subject += step) {
      simulation::BuildSubjectFacts(ledger, plan, subject, facts);
      compiler::InterpretOptions options;
      options.horizon = simulation::SubjectHorizon(ledger, plan, subject, replay.horizon_days);
      runs[subject] = TimelineOf(compiler::Interpret(policy, facts, options), policy.header.currency);
      keys[subject] = by_customer || facts.invoices.empty() ? facts.customer_id : facts.invoices.front().id;
      for (std::size_t i = 0; i < facts.invoices.size(); ++i) {
        if (i == 0 || facts.invoices[i].due < dues[subject]) dues[subject] = facts.invoices[i].due;
      }
    }
  };
  unsigned threads = replay.threads != 0 ? replay.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(count / 256, 1)));
  runtime::RunOnThreads(threads, [&](unsigned t) { run_range(t, std::max(threads, 1u)); });

  KeyedTimelines timelines;
  for (std::size_t subject = 0; subject < count; ++subject) {
    const std::string& key = keys[subject];
    auto [due, first] = timelines.earliest_due.try_emplace(key, dues[subject]);
    if (!first && dues[subject] < due->second) due->second = dues[subject];
    auto [at, inserted] = timelines.by_key.try_emplace(key, std::move(runs[subject]));
    if (inserted) {
      timelines.order.push_back(key);
    } else {
      Append(at->second, runs[subject]);
    }
  }
  return timelines;
}

}  // namespace

std::optional<LedgerDiff> CompareOnLedger(const runtime::Ledger& ledger, const compiler::PolicyIr& old_policy,
                                          const compiler::PolicyIr& new_policy, const DiffOptions& options,
                                          const simulation::ReplayOptions& replay, Environment& environment) {
  bool by_customer = old_policy.header.subject == compiler::SubjectKind::Customer ||
                     new_policy.header.subject == compiler::SubjectKind::Customer;
  std::optional<KeyedTimelines> before = RunAll(ledger, old_policy, replay, by_customer, options.old_file, environment);
  if (!before) return std::nullopt;
  std::optional<KeyedTimelines> after = RunAll(ledger, new_policy, replay, by_customer, options.new_file, environment);
  if (!after) return std::nullopt;

  LedgerDiff diff;
  diff.subject_word = by_customer ? "customers" : "invoices";
  std::vector<std::string> keys = before->order;
  for (const std::string& key : after->order) {
    if (!before->by_key.count(key)) keys.push_back(key);
  }
  diff.subjects = keys.size();
  std::map<std::string, ChangeGroup> groups;
  const Timeline empty;
  for (const std::string& key : keys) {
    auto was = before->by_key.find(key);
    auto now = after->by_key.find(key);
    const Timeline& old_timeline = was == before->by_key.end() ? empty : was->second;
    const Timeline& new_timeline = now == after->by_key.end() ? empty : now->second;
    if (old_timeline == new_timeline) continue;
    ++diff.changed;
    for (const std::string& change : ChangesBetween(old_timeline, new_timeline)) {
      ChangeGroup& group = groups[change];
      group.change = change;
      ++group.subjects;
      if (group.examples.size() < kExamplesPerGroup) group.examples.push_back(key);
    }
  }
  for (auto& [change, group] : groups) diff.groups.push_back(std::move(group));
  std::stable_sort(diff.groups.begin(), diff.groups.end(),
                   [](const ChangeGroup& a, const ChangeGroup& b) { return a.subjects > b.subjects; });

  for (std::size_t g = 0; g < diff.groups.size() && g < kGroupsShown; ++g) {
    const std::string& subject = diff.groups[g].examples.front();
    bool already = std::any_of(diff.shown.begin(), diff.shown.end(),
                               [&](const LedgerExample& example) { return example.subject == subject; });
    if (already) continue;
    auto was = before->by_key.find(subject);
    auto now = after->by_key.find(subject);
    auto due = before->earliest_due.count(subject) ? before->earliest_due.at(subject) : after->earliest_due.at(subject);
    diff.shown.push_back({subject, diff.groups[g].change, due, was == before->by_key.end() ? empty : was->second,
                          now == after->by_key.end() ? empty : now->second});
  }

  std::optional<PolicyColumn> old_column = ReplayColumn(ledger, options.old_file, old_policy, replay, environment);
  if (!old_column) return std::nullopt;
  std::optional<PolicyColumn> new_column = ReplayColumn(ledger, options.new_file, new_policy, replay, environment);
  if (!new_column) return std::nullopt;
  diff.header = ReportHeader{options.ledger, old_column->metrics.as_of, replay.horizon_days, replay.premature_days};
  diff.columns.push_back(std::move(*old_column));
  diff.columns.push_back(std::move(*new_column));
  return diff;
}

}  // namespace recoup::driver::diff
