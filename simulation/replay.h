// Replay simulation: every subject of a ledger run through the reference
// interpreter with its real payments, disputes and promises, the policy
// deciding its own actions. Subjects run on several threads; each result
// goes to the subject's own slot and slots are aggregated in subject order,
// so the metrics (and every byte printed from them) are the same for any
// thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/ledger.h"
#include "simulation/metrics.h"
#include "simulation/outcome.h"
#include "simulation/subjects.h"

namespace recoup::simulation {

struct ReplayOptions {
  std::int32_t horizon_days = 180;  // after the (latest) due date, capped by as_of
  unsigned threads = 0;             // 0: one per hardware thread
  std::int32_t premature_days = 30; // placed, then paid in full within this many days
  std::optional<runtime::Date> as_of;  // default: the ledger's last day (LedgerEnd)
  bool keep_outcomes = false;       // keep every SubjectOutcome (tests, tools)
  std::size_t chunk_subjects = 16384;  // subjects held in memory at once
};

struct ReplayResult {
  // Why nothing was replayed (the ledger lacks a column the policy reads);
  // empty when the replay ran.
  std::string error;
  std::optional<Metrics> metrics;
  // Subjects the interpreter could not run (an attribute it cannot read,
  // money overflow), the first few in subject order, and how many in all.
  std::vector<std::string> subject_errors;
  std::uint64_t subject_error_count = 0;
  std::vector<SubjectOutcome> outcomes;  // in subject order, with keep_outcomes
  unsigned threads_used = 1;
};

// Replays every subject of `ledger` under `policy`.
ReplayResult Replay(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const ReplayOptions& options);

// Replays one subject of a plan into `outcome`, building its facts in
// `facts` (reused between calls to save allocations).
void ReplaySubject(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const SubjectPlan& plan,
                   std::size_t subject, std::int32_t horizon_days, compiler::SubjectFacts& facts,
                   SubjectOutcome& outcome);

// Turns one interpreter run of subject `subject` (over `facts`, up to
// `horizon`) into its outcome; the Monte Carlo simulation uses it for runs
// over sampled payments.
void OutcomeFromRun(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const SubjectPlan& plan,
                    std::size_t subject, const compiler::SubjectFacts& facts, const compiler::InterpretResult& result,
                    runtime::Date horizon, SubjectOutcome& outcome);

}  // namespace recoup::simulation
