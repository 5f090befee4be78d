#include "compiler/jit/llvm_info.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>

#include <mutex>

namespace recoup::compiler::jit {

std::string LlvmVersion() { return LLVM_VERSION_STRING; }

std::string HostTargetTriple() { return llvm::sys::getProcessTriple(); }

bool NativeJitAvailable(std::string* error) {
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) {
    if (error) *error = llvm::toString(jit.takeError());
    return false;
  }
  return true;
}

}  // namespace recoup::compiler::jit
