#include "compiler/jit/compiled_policy.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "compiler/ir_printer.h"
#include "compiler/jit/driver_codegen.h"
#include "compiler/jit/expression_codegen.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/runtime_helpers.h"

namespace recoup::compiler::jit {

class CompiledPolicyImpl {
 public:
  std::unique_ptr<llvm::orc::LLJIT> jit;  // owns the code the pointers below point into
  std::vector<RecoupBoolExpression> guards;
  std::vector<RecoupBoolExpression> stops;
  RecoupBoolExpression applies_to = nullptr;
  DriveFunction drive = nullptr;
};

CompiledPolicy::CompiledPolicy(std::unique_ptr<CompiledPolicyImpl> impl) : impl_(std::move(impl)) {}
CompiledPolicy::~CompiledPolicy() = default;

RecoupBoolExpression CompiledPolicy::Guard(StepId step) const { return impl_->guards.at(step); }
RecoupBoolExpression CompiledPolicy::StopCondition(std::uint32_t stop) const { return impl_->stops.at(stop); }
RecoupBoolExpression CompiledPolicy::AppliesTo() const { return impl_->applies_to; }
DriveFunction CompiledPolicy::Drive() const { return impl_->drive; }

namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void InitialiseNativeTargetOnce() {
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

// The host machine generated code is for: position independent, so calls to
// the runtime services (anywhere in the address space) go through the
// linker's stubs.
llvm::Expected<llvm::orc::JITTargetMachineBuilder> HostMachine() {
  InitialiseNativeTargetOnce();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return builder.takeError();
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(llvm::CodeModel::Small);
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
  return builder;
}

std::string KeyText(const PolicyIr& policy, const llvm::orc::JITTargetMachineBuilder& machine) {
  return std::string(kCodegenVersion) + "\nLLVM " + LLVM_VERSION_STRING + "\n" + machine.getTargetTriple().str() +
         "\n" + machine.getCPU() + "\n" + machine.getFeatures().getString() + "\n" + PrintPolicyIr(policy);
}

// Generates the policy's module for `machine`, verified.
llvm::Expected<std::unique_ptr<llvm::Module>> Generate(const PolicyIr& policy, llvm::LLVMContext& context,
                                                       llvm::TargetMachine& machine) {
  auto module = std::make_unique<llvm::Module>("recoup_policy", context);
  module->setDataLayout(machine.createDataLayout());
  module->setTargetTriple(machine.getTargetTriple().str());
  EmitPolicyExpressions(policy, *module);
  if (std::optional<std::string> problem = EmitDriver(policy, *module)) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), *problem);
  }
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*module, &stream)) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "internal error: the generated code is invalid: " + problems);
  }
  return module;
}

// The standard O2 pipeline of the new pass manager.
void Optimise(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager call_graph;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(call_graph);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, call_graph, modules);
  llvm::ModulePassManager pipeline = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  pipeline.run(module, modules);
}

// An LLJIT that can see only the runtime services, with `object` linked in.
llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> Link(llvm::orc::JITTargetMachineBuilder machine,
                                                      const std::string& object) {
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(machine))
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit) return jit.takeError();
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol& symbol : RuntimeSymbols()) {
    symbols[(*jit)->mangleAndIntern(llvm::StringRef(symbol.name.data(), symbol.name.size()))] = {
        llvm::orc::ExecutorAddr::fromPtr(symbol.address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  if (llvm::Error error = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    return std::move(error);
  }
  if (llvm::Error error = (*jit)->addObjectFile(llvm::MemoryBuffer::getMemBufferCopy(object, "recoup_policy.o"))) {
    return std::move(error);
  }
  return jit;
}

llvm::Expected<RecoupBoolExpression> Find(llvm::orc::LLJIT& jit, const std::string& name) {
  auto address = jit.lookup(name);
  if (!address) return address.takeError();
  return address->toPtr<RecoupBoolExpression>();
}

llvm::Error Resolve(const PolicyIr& policy, CompiledPolicyImpl& compiled) {
  compiled.guards.assign(policy.steps.size(), nullptr);
  compiled.stops.assign(policy.stops.size(), nullptr);
  for (StepId step = 0; step < policy.steps.size(); ++step) {
    if (policy.steps[step].guard == kNoId) continue;
    auto function = Find(*compiled.jit, GuardFunctionName(step));
    if (!function) return function.takeError();
    compiled.guards[step] = *function;
  }
  for (std::uint32_t stop = 0; stop < policy.stops.size(); ++stop) {
    if (policy.stops[stop].when_paid || policy.stops[stop].condition == kNoId) continue;
    auto function = Find(*compiled.jit, StopFunctionName(stop));
    if (!function) return function.takeError();
    compiled.stops[stop] = *function;
  }
  if (policy.header.applies_to != kNoId) {
    auto function = Find(*compiled.jit, AppliesToFunctionName());
    if (!function) return function.takeError();
    compiled.applies_to = *function;
  }
  auto drive = compiled.jit->lookup(kDriveFunctionName);
  if (!drive) return drive.takeError();
  compiled.drive = drive->toPtr<DriveFunction>();
  return llvm::Error::success();
}

// Generate, optimise and emit the object file for `policy`.
llvm::Expected<std::string> BuildObject(const PolicyIr& policy, llvm::orc::JITTargetMachineBuilder& machine,
                                        CompileReport& report) {
  auto target = machine.createTargetMachine();
  if (!target) return target.takeError();
  llvm::LLVMContext context;
  Clock::time_point start = Clock::now();
  auto module = Generate(policy, context, **target);
  if (!module) return module.takeError();
  report.generate_milliseconds = MillisecondsSince(start);
  start = Clock::now();
  Optimise(**module, **target);
  report.optimised = true;
  report.optimise_milliseconds = MillisecondsSince(start);
  start = Clock::now();
  llvm::orc::SimpleCompiler compiler(**target);
  auto buffer = compiler(**module);
  if (!buffer) return buffer.takeError();
  report.codegen_milliseconds = MillisecondsSince(start);
  return std::string((*buffer)->getBuffer());
}

}  // namespace

std::string CacheKeyText(const PolicyIr& policy) {
  auto machine = HostMachine();
  if (!machine) {
    llvm::consumeError(machine.takeError());
    return "";
  }
  return HexKey(Sha256(KeyText(policy, *machine)));
}

CompileResult CompilePolicy(const PolicyIr& policy, const JitOptions& options) {
  CompileResult result;
  auto fail = [&](llvm::Error error) {
    result.error = "the JIT could not compile the policy: " + llvm::toString(std::move(error));
    return std::move(result);
  };
  auto machine = HostMachine();
  if (!machine) return fail(machine.takeError());

  std::optional<ObjectCache> cache;
  CacheKey key{};
  std::optional<std::string> object;
  if (!options.cache_directory.empty()) {
    cache.emplace(options.cache_directory);
    key = Sha256(KeyText(policy, *machine));
    result.report.cache_path = cache->EntryPath(key);
    CacheLookup lookup = cache->Load(key);
    result.report.cache_rejected = lookup.rejected;
    object = std::move(lookup.object);
  }
  result.report.loaded_from_cache = object.has_value();
  if (!object) {
    auto built = BuildObject(policy, *machine, result.report);
    if (!built) return fail(built.takeError());
    object = std::move(*built);
    if (cache) {
      std::optional<std::string> problem = cache->Store(key, *object);
      if (problem) result.report.cache_warning = *problem;
      result.report.cache_written = !problem;
    }
  }

  Clock::time_point start = Clock::now();
  auto compiled = std::make_unique<CompiledPolicyImpl>();
  auto jit = Link(std::move(*machine), *object);
  if (!jit) return fail(jit.takeError());
  compiled->jit = std::move(*jit);
  if (llvm::Error error = Resolve(policy, *compiled)) return fail(std::move(error));
  result.report.link_milliseconds = MillisecondsSince(start);
  result.policy = std::make_unique<CompiledPolicy>(std::move(compiled));
  return result;
}

std::optional<std::string> UncompiledConstruct(const PolicyIr& policy) {
  // The driver is generated for every policy the checker accepts.
  return std::nullopt;
}

EmitResult EmitOptimisedLlvm(const PolicyIr& policy) {
  EmitResult result;
  auto machine = HostMachine();
  if (!machine) {
    result.error = llvm::toString(machine.takeError());
    return result;
  }
  auto target = machine->createTargetMachine();
  if (!target) {
    result.error = llvm::toString(target.takeError());
    return result;
  }
  llvm::LLVMContext context;
  auto module = Generate(policy, context, **target);
  if (!module) {
    result.error = llvm::toString(module.takeError());
    return result;
  }
  Optimise(**module, **target);
  llvm::raw_string_ostream stream(result.text);
  (*module)->print(stream, nullptr);
  return result;
}

}  // namespace recoup::compiler::jit
