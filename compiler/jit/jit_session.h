// The process's one LLVM ORC session, shared by every compiled policy.
// Creating an LLJIT, detecting the host and building a TargetMachine cost
// more than compiling a small policy, so they are done once per process
// (docs/architecture.md, "JIT"): each policy's object is linked into a
// JITDylib of its own, which sees only the runtime services
// (runtime_helpers.h, no process-wide symbol search) and is removed, code
// and all, when the policy is destroyed. The two TargetMachines (the
// optimising one and the quick tier's, compiled_policy.h) are built only
// when something is compiled with them: a policy loaded from the object
// cache creates neither.
#pragma once

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace recoup::compiler::jit {

class JitSession {
 public:
  // The process's session, created on first use (thread-safe); an error
  // when the host has no native JIT. Holders keep it alive past exit.
  static llvm::Expected<std::shared_ptr<JitSession>> Shared();

  // The host the code is for, as text: triple, CPU and features (part of
  // the object cache key).
  const std::string& HostDescription() const { return host_description_; }

  // Runs `work` with the host TargetMachine (created on the first call),
  // one caller at a time: a TargetMachine is not safe to share between
  // threads that use it at once. The optimising one (-O2 code generation)
  // or the quick tier's (-O0: fast instruction selection and register
  // allocation, no machine optimisations); each has its own lock, so a
  // quick compile does not wait for an optimised one behind it.
  enum class Machine { Optimising, Quick };
  llvm::Error WithTargetMachine(llvm::function_ref<llvm::Error(llvm::TargetMachine&)> work,
                                Machine which = Machine::Optimising);

  // Links `object` into a new JITDylib that sees only the runtime services
  // and returns the addresses of `names` in it (null for an empty name).
  struct Linked {
    llvm::orc::JITDylib* library = nullptr;
    std::vector<void*> addresses;
  };
  llvm::Expected<Linked> Link(const std::string& object, const std::vector<std::string>& names);

  // Frees a library's code; its addresses must no longer be called.
  void Unlink(llvm::orc::JITDylib& library);

 private:
  JitSession() = default;
  static llvm::Expected<std::shared_ptr<JitSession>> Create();

  llvm::orc::JITTargetMachineBuilder machine_builder_{llvm::Triple()};
  std::string host_description_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  llvm::orc::JITDylib* runtime_ = nullptr;  // the runtime services as absolute symbols
  std::atomic<std::uint64_t> next_library_{0};
  struct LazyMachine {
    std::mutex mutex;
    std::unique_ptr<llvm::TargetMachine> machine;  // under mutex
  };
  LazyMachine machines_[2];  // indexed by Machine
};

}  // namespace recoup::compiler::jit
