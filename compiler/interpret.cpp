// Interpret(): facts to a SubjectView, an engine run, the trace rendered.
#include <memory>
#include <vector>

#include "compiler/engine.h"
#include "compiler/interpreter.h"
#include "compiler/subject_view.h"
#include "compiler/trace_renderer.h"

namespace recoup::compiler {

InterpretResult Interpret(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options) {
  SubjectViewStorage storage;
  const abi::SubjectView& view = BuildSubjectView(policy, facts, storage);
  std::unique_ptr<PolicyEngine> owned;
  const PolicyEngine* engine = options.engine;
  if (engine == nullptr) {
    owned = MakeInterpreterEngine(policy);
    engine = owned.get();
  }
  std::vector<std::int32_t> probes;
  probes.reserve(options.balance_probes.size());
  for (runtime::Date day : options.balance_probes) probes.push_back(day.days());
  EngineOptions engine_options;
  engine_options.horizon = options.horizon;
  engine_options.probes = probes.data();
  engine_options.probe_count = static_cast<std::uint32_t>(probes.size());
  engine_options.explain = true;
  EngineWorkspace workspace;
  abi::Trace trace;
  engine->Run(view, engine_options, workspace, trace);
  return RenderTrace(policy, view, trace);
}

}  // namespace recoup::compiler
