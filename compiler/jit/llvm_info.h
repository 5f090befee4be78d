// Facts about the LLVM the JIT is built against. Kept behind a plain
// interface so that only compiler/jit/ includes LLVM headers.
#pragma once

#include <string>

namespace recoup::compiler::jit {

// "19.1.7": printed by `recoup --version` and keyed into the object cache.
std::string LlvmVersion();
// The host target triple code is generated for.
std::string HostTargetTriple();
// Initialises the native target once and reports whether an ORC LLJIT can
// be created on this machine; `error` receives LLVM's reason when not.
bool NativeJitAvailable(std::string* error);

}  // namespace recoup::compiler::jit
