// Policy engines: what runs a checked policy over one subject. An engine
// reads a SubjectView (compiler/engine_abi.h) and appends a Trace; it never
// formats a string. Two engines exist: the interpreter engine
// (MakeInterpreterEngine, compiler/engine_driver.cpp), which walks the IR,
// and the JIT engine (compiler/jit/), which runs native code generated from
// the same driver. Both call the same runtime services (engine_abi.h) and
// must produce identical traces.
//
// A run, for any engine:
//   1. PrepareRun: the covered invoices (section 13), their accounts, the
//      start day, the first promise; false when there is nothing to run.
//   2. The driver: a wake-day loop from the start to the horizon; on each
//      day on which something can happen, that day's payments, disputes,
//      stop rules and steps (section 2), calling the services.
//   3. recoup_finish: summaries, totals, conservation.
// Interpret() (compiler/interpreter.h) renders the trace for people;
// the replay (simulation/) turns it into numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/policy_ir.h"
#include "runtime/date.h"

namespace recoup::compiler {

// How one run is bounded, and whether to keep what explains it.
struct EngineOptions {
  runtime::Date horizon;                // the last day evaluated, included
  const std::int32_t* probes = nullptr; // balance probe days (day numbers)
  std::uint32_t probe_count = 0;
  // On (explain, tests): the whole trace. Off (replay): firings, actions,
  // ledger events, probes, summaries, totals and errors only; no guard
  // reads, not-fired records or balance points, and once no step can fire
  // any more the remaining days are only the subject's facts.
  bool explain = true;
};

// A policy prepared for the services: the IR, its calendar, tables built
// once. Shared read-only by every thread running the policy.
// (abi::RunPolicy is opaque to generated code; see engine_internal.h.)
std::shared_ptr<const abi::RunPolicy> MakeRunPolicy(const PolicyIr& policy);
const PolicyIr& PolicyOf(const abi::RunPolicy& policy);

// Buffers one thread reuses from subject to subject (accounts, accruals,
// step states, scratch lists), so a steady-state run allocates nothing.
// Not shared between threads.
class EngineWorkspace {
 public:
  EngineWorkspace();
  ~EngineWorkspace();
  EngineWorkspace(const EngineWorkspace&) = delete;
  EngineWorkspace& operator=(const EngineWorkspace&) = delete;

  // Step 1 of a run: clears `trace`, sets up the run state for `subject`,
  // selects the covered invoices (section 13) and opens their accounts.
  // Returns the state, or nullptr when nothing is to be run (nothing
  // covered, or an error already in the trace).
  abi::RunState* PrepareRun(const abi::RunPolicy& policy, const abi::SubjectView& subject,
                            const EngineOptions& options, abi::Trace& trace);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class PolicyEngine {
 public:
  virtual ~PolicyEngine() = default;
  // Runs the policy over `subject` into `trace` (cleared first).
  virtual void Run(const abi::SubjectView& subject, const EngineOptions& options, EngineWorkspace& workspace,
                   abi::Trace& trace) const = 0;
  // "interpreter", "jit".
  virtual std::string_view name() const = 0;
};

// The interpreter engine: the driver in compiler/engine_driver.cpp walking
// the IR. `policy` must outlive the engine.
std::unique_ptr<PolicyEngine> MakeInterpreterEngine(const PolicyIr& policy);

}  // namespace recoup::compiler
