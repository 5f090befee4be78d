// Replay simulation: every subject of a ledger run through a policy engine
// (the interpreter engine unless the options name another) with its real
// payments, disputes and promises, the policy deciding its own actions. Subjects run on several threads; each result
// goes to the subject's own slot and slots are aggregated in subject order,
// so the metrics (and every byte printed from them) are the same for any
// thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/engine.h"
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
  // Subject outcomes held in memory at once (rounded down to whole blocks
  // of 64, at least two blocks a thread): a ring small enough to stay in
  // cache while the metrics read it back, large enough that threads rarely
  // wait on it.
  std::size_t chunk_subjects = 256;
  // The engine to run (compiler/engine.h); none: the interpreter engine.
  const compiler::PolicyEngine* engine = nullptr;
  // Told how many of `total` subjects are finished, a few times a second
  // and once at the end. Always called on the thread that called Replay,
  // never concurrently: workers only add to an atomic counter once per
  // block of subjects, so a slow callback never slows them.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
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

// Replays every subject of `ledger` under `policy`. An exception on any
// worker thread (std::bad_alloc, a failing engine, the progress callback's
// own) stops the other workers at their next block and is rethrown here,
// on the calling thread, once all have joined: the first one thrown.
ReplayResult Replay(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const ReplayOptions& options);

// What one thread reuses from subject to subject: the view's arrays, the
// engine's workspace and the trace, so a steady-state subject allocates
// nothing but its outcome.
struct ReplayWorkspace {
  compiler::SubjectViewStorage view;
  compiler::EngineWorkspace engine;
  compiler::abi::Trace trace;
  std::vector<std::int32_t> slot_of_invoice;  // view invoice index -> outcome slot
  std::vector<std::int64_t> principal_paid;   // per outcome slot
  std::vector<bool> contingency_set;          // per outcome slot
};

// Replays one subject of a plan into `outcome` on `engine`: its view built
// straight from the columns, the engine run with explain off, the trace
// turned into numbers (strings only for an error).
void ReplaySubject(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const compiler::PolicyEngine& engine,
                   const SubjectPlan& plan, std::size_t subject, std::int32_t horizon_days, ReplayWorkspace& workspace,
                   SubjectOutcome& outcome);

// Turns one engine run of subject `subject` (its `view`, run up to
// `horizon`) into its outcome: the one conversion from a trace to numbers,
// shared by the replay and the Monte Carlo simulation. `workspace` lends
// its scratch vectors (the view and trace may be its own).
void OutcomeFromTrace(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const SubjectPlan& plan,
                      std::size_t subject, const compiler::abi::SubjectView& view, const compiler::abi::Trace& trace,
                      runtime::Date horizon, ReplayWorkspace& workspace, SubjectOutcome& outcome);

}  // namespace recoup::simulation
