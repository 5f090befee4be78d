#include "compiler/jit/driver_codegen.h"

#include "compiler/jit/driver_emitter.h"

namespace recoup::compiler::jit {
namespace driver {

void DriverEmitter::Emit() {
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    locate_.push_back(EmitLocate(id));
    // Only a step waiting behind a pause reads its `until` here
    // (ForEachOpenStep); a function nothing calls would still be compiled.
    until_.push_back(policy_.pauses.empty() ? nullptr : EmitUntil(id));
  }
  for (StepId id = 0; id < policy_.steps.size(); ++id) try_step_.push_back(EmitTryStep(id));
  llvm::Function* next_wake = EmitNextWakeDay();
  // Without a stop rule that can act, the driver never looks for event days.
  llvm::Function* event_day = StopsMatter() ? EmitIsEventDay() : nullptr;
  llvm::Function* stops = StopsMatter() ? EmitRunStops() : nullptr;
  llvm::Function* steps = EmitRunSteps();
  EmitDrive(next_wake, event_day, stops, steps);
}

}  // namespace driver

std::optional<std::string> EmitDriver(const PolicyIr& policy, llvm::Module& module) {
  driver::DriverEmitter(policy, module).Emit();
  return std::nullopt;
}

}  // namespace recoup::compiler::jit
