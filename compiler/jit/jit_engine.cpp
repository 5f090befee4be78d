#include "compiler/jit/jit_engine.h"

#include <utility>

namespace recoup::compiler::jit {
namespace {

class JitEngine final : public PolicyEngine {
 public:
  JitEngine(const PolicyIr& policy, std::unique_ptr<CompiledPolicy> compiled)
      : policy_(MakeRunPolicy(policy)), compiled_(std::move(compiled)) {}

  void Run(const abi::SubjectView& subject, const EngineOptions& options, EngineWorkspace& workspace,
           abi::Trace& trace) const override {
    abi::RunState* run = workspace.PrepareRun(*policy_, subject, options, trace);
    if (run == nullptr) return;
    // Read on every run: the optimised tier replaces the quick one while
    // subjects run (compiled_policy.h).
    compiled_->Drive()(run);
  }

  std::string_view name() const override { return "jit"; }

 private:
  std::shared_ptr<const abi::RunPolicy> policy_;
  std::unique_ptr<CompiledPolicy> compiled_;  // owns the code
};

}  // namespace

JitEngineResult MakeJitEngine(const PolicyIr& policy, const JitOptions& options) {
  JitEngineResult result;
  CompileResult compiled = CompilePolicy(policy, options);
  result.report = compiled.report;
  if (compiled.error) {
    result.error = std::move(compiled.error);
    return result;
  }
  result.compiled = compiled.policy.get();
  result.engine = std::make_unique<JitEngine>(policy, std::move(compiled.policy));
  return result;
}

}  // namespace recoup::compiler::jit
