#include "compiler/jit/jit_session.h"

#include <llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>

#include "compiler/jit/runtime_helpers.h"

namespace recoup::compiler::jit {

llvm::Expected<std::shared_ptr<JitSession>> JitSession::Shared() {
  static std::mutex mutex;
  static std::shared_ptr<JitSession> session;
  std::lock_guard<std::mutex> lock(mutex);
  if (!session) {
    auto created = Create();
    if (!created) return created.takeError();
    session = std::move(*created);
  }
  return session;
}

// Position-independent code for the host CPU, so calls to the runtime
// services (anywhere in the address space) go through the linker's stubs.
llvm::Expected<std::shared_ptr<JitSession>> JitSession::Create() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return builder.takeError();
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(llvm::CodeModel::Small);
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
  // Fast instruction selection (falling back to SelectionDAG where it
  // cannot select), then the optimising register allocator and machine
  // passes: instruction selection in a third of the time, code 4% larger,
  // as fast (docs/architecture.md, "Compile latency").
  builder->getOptions().EnableFastISel = true;

  std::shared_ptr<JitSession> session(new JitSession());
  session->machine_builder_ = *builder;
  session->host_description_ = builder->getTargetTriple().str() + "\n" + builder->getCPU() + "\n" +
                               builder->getFeatures().getString();
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*builder))
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit) return jit.takeError();
  session->jit_ = std::move(*jit);

  auto runtime = session->jit_->getExecutionSession().createJITDylib("recoup_runtime");
  if (!runtime) return runtime.takeError();
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol& symbol : RuntimeSymbols()) {
    symbols[session->jit_->mangleAndIntern(llvm::StringRef(symbol.name.data(), symbol.name.size()))] = {
        llvm::orc::ExecutorAddr::fromPtr(symbol.address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  if (llvm::Error error = runtime->define(llvm::orc::absoluteSymbols(std::move(symbols)))) return std::move(error);
  session->runtime_ = &*runtime;
  return session;
}

llvm::Error JitSession::WithTargetMachine(llvm::function_ref<llvm::Error(llvm::TargetMachine&)> work,
                                          Machine which) {
  LazyMachine& lazy = machines_[static_cast<int>(which)];
  std::lock_guard<std::mutex> lock(lazy.mutex);
  if (!lazy.machine) {
    llvm::orc::JITTargetMachineBuilder builder = machine_builder_;
    if (which == Machine::Quick) builder.setCodeGenOptLevel(llvm::CodeGenOptLevel::None);
    auto machine = builder.createTargetMachine();
    if (!machine) return machine.takeError();
    lazy.machine = std::move(*machine);
  }
  return work(*lazy.machine);
}

llvm::Expected<JitSession::Linked> JitSession::Link(const std::string& object, const std::vector<std::string>& names) {
  llvm::orc::ExecutionSession& session = jit_->getExecutionSession();
  auto library = session.createJITDylib("recoup_policy_" + std::to_string(next_library_++));
  if (!library) return library.takeError();
  Linked linked;
  linked.library = &*library;
  auto fail = [&](llvm::Error error) -> llvm::Expected<Linked> {
    Unlink(*linked.library);
    return std::move(error);
  };
  library->addToLinkOrder(*runtime_);
  if (llvm::Error error = jit_->addObjectFile(*library, llvm::MemoryBuffer::getMemBufferCopy(object, "recoup_policy.o"))) {
    return fail(std::move(error));
  }
  // One lookup for every name: the object is linked once, on this call.
  llvm::orc::SymbolLookupSet wanted;
  std::vector<llvm::orc::SymbolStringPtr> interned;
  for (const std::string& name : names) {
    interned.push_back(name.empty() ? llvm::orc::SymbolStringPtr() : jit_->mangleAndIntern(name));
    if (!name.empty()) wanted.add(interned.back());
  }
  wanted.removeDuplicates();
  auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(&*library), std::move(wanted));
  if (!found) return fail(found.takeError());
  for (const llvm::orc::SymbolStringPtr& name : interned) {
    linked.addresses.push_back(name ? (*found)[name].getAddress().toPtr<void*>() : nullptr);
  }
  return linked;
}

void JitSession::Unlink(llvm::orc::JITDylib& library) {
  // Removing fails only when the session is already ending; the memory
  // then goes with the session.
  llvm::consumeError(jit_->getExecutionSession().removeJITDylib(library));
}

}  // namespace recoup::compiler::jit
