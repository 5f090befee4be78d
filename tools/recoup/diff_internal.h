// Internal to `recoup diff`: the rule-by-rule comparison of two checked
// policies (diff_rules.cpp), action timelines and the kinds of change
// between two of them (diff_timeline.cpp), the exploration of example
// subjects (diff_explore.cpp, diff_scenarios.cpp), the ledger comparison
// (diff_ledger.cpp) and the report (diff_report.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "language/source.h"
#include "runtime/ledger.h"
#include "simulation/replay.h"
#include "tools/recoup/diff_command.h"
#include "tools/recoup/simulate_command.h"

namespace recoup::driver::diff {

// A checked policy with where it came from, for line numbers.
struct PolicyView {
  const compiler::PolicyIr& ir;
  const language::SourceSet& sources;
  std::string path;
};

// One change of a rule. `matters` is false for changes that cannot change
// what the policy does by themselves (the name, the version, a step that
// only moved, a calendar no step counts business days with).
struct RuleChange {
  std::string area;                  // "step", "pause", "stop", "header"
  std::string kind;                  // "added", "removed", "changed", "moved"
  std::string where;                 // "`final` (line 9 -> line 10)", "line 12"
  std::vector<std::string> details;  // "trigger: at due + 30d -> at due + 45d"
  bool matters = true;
};

struct RuleDiff {
  std::vector<RuleChange> changes;
  // Unreachable steps left out of the comparison, as "line 12 (old)".
  std::vector<std::string> ignored_unreachable;
  bool matters() const;
};

// Compares header, steps (matched by label, then by what they do), pauses
// and stops.
RuleDiff CompareRules(const PolicyView& old_policy, const PolicyView& new_policy);

// One action a run took.
struct TimelineEntry {
  runtime::Date date;
  compiler::ActionKind kind = compiler::ActionKind::Email;
  std::string text;                    // template, script, agency, firm, task text
  std::string terms;                   // agency contingency, task queue, interest rate
  std::optional<std::int64_t> amount;  // fee; interest posted by the horizon (minor units)
  std::string invoices;                // customer subjects: the invoices covered, "INV-1, INV-2"
  friend bool operator==(const TimelineEntry&, const TimelineEntry&) = default;
};

// What one run did: its actions in order, and what is owed at the horizon.
// (Cash collected is left out: payments are the same under both versions;
// an invoice a version leaves alone just does not count them.)
struct Timeline {
  runtime::CurrencyId currency = 0;
  std::vector<TimelineEntry> entries;
  std::optional<std::string> error;
  std::int64_t open_principal = 0, open_fees = 0, open_interest = 0, written_off = 0;
  bool operator==(const Timeline& other) const;
};

Timeline TimelineOf(const compiler::InterpretResult& result, runtime::CurrencyId currency);

// `letter "final-notice"`, `agency "Alacrity" (contingency 30%)`, with the amount when there is one.
std::string EntryText(const TimelineEntry& entry, runtime::CurrencyId currency);
// The action without amount or terms: `letter "final-notice"`, `fee`.
std::string ActionName(const TimelineEntry& entry);

// How `after` departs from `before`, one short phrase per kind of change:
// `letter "final-notice": later`, `fee: different amount`, `call: added`.
std::vector<std::string> ChangesBetween(const Timeline& before, const Timeline& after);

// One subject the exploration ran, described for a person.
struct Scenario {
  compiler::SubjectFacts facts;
  compiler::InterpretOptions options;
  std::string description;
};

// The subjects to try, simplest first, at most `budget`.
std::vector<Scenario> BuildScenarios(const compiler::PolicyIr& old_policy, const compiler::PolicyIr& new_policy,
                                     std::size_t budget, std::uint64_t seed);

struct Example {
  Scenario scenario;
  Timeline before, after;
  std::vector<std::string> changes;
};

struct Exploration {
  std::size_t explored = 0;
  std::size_t differing = 0;
  std::vector<Example> examples;  // distinct kinds of change first, simplest first
};

Exploration Explore(const compiler::PolicyIr& old_policy, const compiler::PolicyIr& new_policy,
                    const DiffOptions& options);

// Subjects whose timelines change the same way.
struct ChangeGroup {
  std::string change;
  std::size_t subjects = 0;
  std::vector<std::string> examples;  // subject ids, the first few in ledger order
};

// One subject of the ledger shown side by side.
struct LedgerExample {
  std::string subject;
  std::string change;  // the group it stands for
  runtime::Date due;   // its earliest due date, for "due+30"
  Timeline before, after;
};

struct LedgerDiff {
  std::string subject_word;  // "invoices" or "customers"
  std::size_t subjects = 0;
  std::size_t changed = 0;
  std::vector<ChangeGroup> groups;   // most subjects first
  std::vector<LedgerExample> shown;  // the first subject of the largest groups
  ReportHeader header;
  std::vector<PolicyColumn> columns;  // old, new
};

// Every subject of the ledger under both versions; nothing (after printing
// why to standard error) when a replay cannot be trusted.
std::optional<LedgerDiff> CompareOnLedger(const runtime::Ledger& ledger, const compiler::PolicyIr& old_policy,
                                          const compiler::PolicyIr& new_policy, const DiffOptions& options,
                                          const simulation::ReplayOptions& replay, Environment& environment);

struct DiffReport {
  std::string old_file, new_file;
  RuleDiff rules;
  Exploration exploration;
  std::size_t budget = 0;
  std::uint64_t seed = 0;
  std::optional<LedgerDiff> ledger;
  bool differs = false;
};

std::string RenderDiff(const DiffReport& report, DiffFormat format);

}  // namespace recoup::driver::diff
