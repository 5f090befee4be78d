// The few trace operations the generated driver needs beyond the engine's
// services (the interpreter engine's driver does them on the Trace's
// vectors directly, which generated code never touches).
#include <cstdint>

#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"

using recoup::compiler::abi::RunState;

extern "C" {

// Forgets the guard reads recorded since `mark` (a stop condition that did not hold).
void recoup_jit_drop_reads(RunState* run, std::uint32_t mark) {
  if (run->trace->reads.size() > mark) run->trace->reads.resize(mark);
}

// How many not-fired records the trace holds.
std::uint32_t recoup_jit_not_fired_mark(const RunState* run) {
  return static_cast<std::uint32_t>(run->trace->not_fired.size());
}

// Marks the not-fired records from `first` on as decided when the run ended.
void recoup_jit_mark_decided_at_end(RunState* run, std::uint32_t first) {
  for (std::size_t i = first; i < run->trace->not_fired.size(); ++i) run->trace->not_fired[i].decided_at_end = 1;
}

// The last not-fired record waited for step `step`.
void recoup_jit_set_related_step(RunState* run, std::uint32_t step) {
  if (!run->trace->not_fired.empty()) run->trace->not_fired.back().related_step = step;
}

// The day an invoice subject's only account was settled (kNoDate: open).
std::int32_t recoup_jit_first_settled_on(const RunState* run) {
  return run->accounts->count == 0 ? recoup::compiler::abi::kNoDate : (*run->accounts)[0].settled_on;
}

}  // extern "C"
