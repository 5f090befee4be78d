#include "compiler/jit/compiled_policy.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "compiler/ir_printer.h"
#include "compiler/jit/drive_frame.h"
#include "compiler/jit/driver_codegen.h"
#include "compiler/jit/expression_codegen.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/jit_session.h"

namespace recoup::compiler::jit {

// The entry points of one tier's code, in the order EntryNames lists them.
struct EntryPoints {
  std::vector<RecoupBoolExpression> guards;
  std::vector<RecoupBoolExpression> stops;
  RecoupBoolExpression applies_to = nullptr;
  DriveFunction drive = nullptr;
};

class CompiledPolicyImpl {
 public:
  ~CompiledPolicyImpl() {
    if (background.joinable()) background.join();
    for (llvm::orc::JITDylib* library : libraries) session->Unlink(*library);
  }
  std::shared_ptr<JitSession> session;
  EntryPoints quick, optimised;
  // The tier the entry points are taken from: &quick until the optimised
  // code is linked. Written with release once that tier is filled in, so a
  // thread that sees it sees its pointers.
  std::atomic<const EntryPoints*> current{nullptr};

  std::mutex mutex;
  std::condition_variable finished_changed;
  std::vector<llvm::orc::JITDylib*> libraries;  // under mutex; own the code the pointers point into
  bool finished = false;                        // under mutex: no compile is left to do
  CompileReport final_report;                   // under mutex, once finished
  std::thread background;                       // compiles the optimised tier behind the quick one
};

CompiledPolicy::CompiledPolicy(std::unique_ptr<CompiledPolicyImpl> impl) : impl_(std::move(impl)) {}
CompiledPolicy::~CompiledPolicy() = default;

RecoupBoolExpression CompiledPolicy::Guard(StepId step) const {
  return impl_->current.load(std::memory_order_acquire)->guards.at(step);
}
RecoupBoolExpression CompiledPolicy::StopCondition(std::uint32_t stop) const {
  return impl_->current.load(std::memory_order_acquire)->stops.at(stop);
}
RecoupBoolExpression CompiledPolicy::AppliesTo() const {
  return impl_->current.load(std::memory_order_acquire)->applies_to;
}
DriveFunction CompiledPolicy::Drive() const { return impl_->current.load(std::memory_order_acquire)->drive; }

bool CompiledPolicy::Optimised() const {
  return impl_->current.load(std::memory_order_acquire) == &impl_->optimised;
}

CompileReport CompiledPolicy::WaitUntilOptimised() const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->finished_changed.wait(lock, [&] { return impl_->finished; });
  return impl_->final_report;
}

namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// What an object depends on: the code generator's version, LLVM, the host,
// the layouts the generated code reads by offset (a change to them without
// a new kCodegenVersion still makes old entries unusable), the policy.
std::string KeyText(const PolicyIr& policy, const JitSession& session) {
  const std::string layouts = driver::FrameLayoutText() + fmt::format(
      "\nRunState {} StepState {} inputs {} attribute {}", sizeof(abi::RunState), sizeof(abi::StepState),
      sizeof(RecoupExpressionInputs), sizeof(RecoupAttributeValue));
  return std::string(kCodegenVersion) + "\nLLVM " + LLVM_VERSION_STRING + "\n" + session.HostDescription() + "\n" +
         layouts + "\n" + PrintPolicyIr(policy);
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

// What the optimiser runs: inline the driver's per-step functions into
// `recoup_drive`, then promote, fold and simplify each function. For these
// modules (the driver is glue around calls to the runtime services) this
// gives the same code as the standard O2 pipeline (callgrind: 175.6 million
// instructions to run 19,000 invoices against O2's 176.6 million) in a
// fifth of the time; docs/architecture.md has the measurements.
// InstCombine runs once without asking for a fixed point: LLVM 19's
// `instcombine` alone ends the process ("did not reach a fixpoint") on
// some modules (fuzz_jit found one; jit_generated_differential_test.cpp
// keeps it), which the standard pipelines avoid the same way.
constexpr const char* kInline = "cgscc(inline)";
constexpr const char* kSimplify = "function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg)";

// Between the two: the inliner marks the lifetime of every local of an
// inlined function, and since the driver's are mostly passed to the
// services, a marker on each of their exits stays to the end (249 of them
// on the benchmark policy); without them the optimiser and the code
// generator have that much less to carry, and the frame only grows by the
// few bytes those locals could have shared.
struct DropLifetimeMarkers : llvm::PassInfoMixin<DropLifetimeMarkers> {
  llvm::PreservedAnalyses run(llvm::Function& function, llvm::FunctionAnalysisManager&) {
    std::vector<llvm::Instruction*> markers;
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) {
        if (auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(&instruction);
            intrinsic != nullptr && intrinsic->isLifetimeStartOrEnd()) {
          markers.push_back(intrinsic);
        }
      }
    }
    for (llvm::Instruction* marker : markers) marker->eraseFromParent();
    if (markers.empty()) return llvm::PreservedAnalyses::all();
    llvm::PreservedAnalyses preserved;
    preserved.preserveSet<llvm::CFGAnalyses>();
    return preserved;
  }
};

llvm::Error Optimise(llvm::Module& module, llvm::TargetMachine& machine) {
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
  llvm::ModulePassManager pipeline;
  if (llvm::Error error = builder.parsePassPipeline(pipeline, kInline)) return error;
  pipeline.addPass(llvm::createModuleToFunctionPassAdaptor(DropLifetimeMarkers()));
  if (llvm::Error error = builder.parsePassPipeline(pipeline, kSimplify)) return error;
  pipeline.run(module, modules);
  return llvm::Error::success();
}

// The names CompiledPolicyImpl's pointers are looked up by, in its order:
// each step's guard, each stop's condition, `applies to`, the driver; an
// empty name where the policy has none.
std::vector<std::string> EntryNames(const PolicyIr& policy) {
  std::vector<std::string> names;
  for (StepId step = 0; step < policy.steps.size(); ++step) {
    names.push_back(policy.steps[step].guard == kNoId ? "" : GuardFunctionName(step));
  }
  for (std::uint32_t stop = 0; stop < policy.stops.size(); ++stop) {
    bool compiled = !policy.stops[stop].when_paid && policy.stops[stop].condition != kNoId;
    names.push_back(compiled ? StopFunctionName(stop) : "");
  }
  names.push_back(policy.header.applies_to != kNoId ? AppliesToFunctionName() : "");
  names.push_back(kDriveFunctionName);
  return names;
}

EntryPoints Resolve(const PolicyIr& policy, const std::vector<void*>& addresses) {
  EntryPoints entries;
  std::size_t at = 0;
  for (StepId step = 0; step < policy.steps.size(); ++step) {
    entries.guards.push_back(reinterpret_cast<RecoupBoolExpression>(addresses[at++]));
  }
  for (std::uint32_t stop = 0; stop < policy.stops.size(); ++stop) {
    entries.stops.push_back(reinterpret_cast<RecoupBoolExpression>(addresses[at++]));
  }
  entries.applies_to = reinterpret_cast<RecoupBoolExpression>(addresses[at++]);
  entries.drive = reinterpret_cast<DriveFunction>(addresses[at++]);
  return entries;
}

// Generate and emit the object file for `policy`: optimised and through
// the -O2 code generator (Machine::Optimising), or for the quick tier as
// generated, through the -O0 code generator (Machine::Quick).
llvm::Expected<std::string> BuildObject(const PolicyIr& policy, JitSession& session, CompileReport& report,
                                        JitSession::Machine which = JitSession::Machine::Optimising) {
  std::string object;
  llvm::Error error = session.WithTargetMachine(
      [&](llvm::TargetMachine& machine) -> llvm::Error {
        llvm::LLVMContext context;
        Clock::time_point start = Clock::now();
        auto module = Generate(policy, context, machine);
        if (!module) return module.takeError();
        report.generate_milliseconds = MillisecondsSince(start);
        if (which == JitSession::Machine::Optimising) {
          start = Clock::now();
          if (llvm::Error error = Optimise(**module, machine)) return error;
          report.optimised = true;
          report.optimise_milliseconds = MillisecondsSince(start);
        }
        start = Clock::now();
        llvm::orc::SimpleCompiler compiler(machine);
        auto buffer = compiler(**module);
        if (!buffer) return buffer.takeError();
        report.codegen_milliseconds = MillisecondsSince(start);
        object = std::string((*buffer)->getBuffer());
        return llvm::Error::success();
      },
      which);
  if (error) return std::move(error);
  return object;
}

// Links `object` into `compiled` as `tier`'s code; the entry points switch to it.
llvm::Error LinkTier(const PolicyIr& policy, const std::string& object, CompiledPolicyImpl& compiled,
                     EntryPoints& tier, CompileReport& report) {
  Clock::time_point start = Clock::now();
  auto linked = compiled.session->Link(object, EntryNames(policy));
  if (!linked) return linked.takeError();
  {
    std::lock_guard<std::mutex> lock(compiled.mutex);
    compiled.libraries.push_back(linked->library);
  }
  tier = Resolve(policy, linked->addresses);
  compiled.current.store(&tier, std::memory_order_release);
  report.link_milliseconds = MillisecondsSince(start);
  return llvm::Error::success();
}

// Stores `object` under `key` when there is a cache, noting how it went.
void StoreInCache(const std::optional<ObjectCache>& cache, const CacheKey& key, const std::string& object,
                  CompileReport& report) {
  if (!cache) return;
  std::optional<std::string> problem = cache->Store(key, object);
  if (problem) report.cache_warning = *problem;
  report.cache_written = !problem;
}

void Finish(CompiledPolicyImpl& compiled, const CompileReport& report) {
  std::lock_guard<std::mutex> lock(compiled.mutex);
  compiled.final_report = report;
  compiled.finished = true;
  compiled.finished_changed.notify_all();
}

}  // namespace

std::string CacheKeyText(const PolicyIr& policy) {
  auto session = JitSession::Shared();
  if (!session) {
    llvm::consumeError(session.takeError());
    return "";
  }
  return HexKey(Sha256(KeyText(policy, **session)));
}

CompileResult CompilePolicy(const PolicyIr& policy, const JitOptions& options) {
  CompileResult result;
  auto fail = [&](llvm::Error error) {
    result.error = "the JIT could not compile the policy: " + llvm::toString(std::move(error));
    return std::move(result);
  };
  auto session = JitSession::Shared();
  if (!session) return fail(session.takeError());

  // The quick tier is never cached: a cache hit is already optimised code.
  std::optional<ObjectCache> cache;
  CacheKey key{};
  std::optional<std::string> object;
  if (!options.cache_directory.empty() && options.tiers != JitTiers::Quick) {
    cache.emplace(options.cache_directory);
    key = Sha256(KeyText(policy, **session));
    result.report.cache_path = cache->EntryPath(key);
    CacheLookup lookup = cache->Load(key);
    result.report.cache_rejected = lookup.rejected;
    object = std::move(lookup.object);
  }
  result.report.loaded_from_cache = object.has_value();
  auto compiled = std::make_unique<CompiledPolicyImpl>();
  compiled->session = *session;
  bool quick_first = !object && options.tiers != JitTiers::Optimised;
  if (!quick_first) {
    const bool built_here = !object;
    if (built_here) {
      auto built = BuildObject(policy, **session, result.report);
      if (!built) return fail(built.takeError());
      object = std::move(*built);
    }
    if (llvm::Error error = LinkTier(policy, *object, *compiled, compiled->optimised, result.report)) {
      return fail(std::move(error));
    }
    // Only an object that linked goes into the cache.
    if (built_here) StoreInCache(cache, key, *object, result.report);
    Finish(*compiled, result.report);
  } else {
    auto built = BuildObject(policy, **session, result.report, JitSession::Machine::Quick);
    if (!built) return fail(built.takeError());
    result.report.quick = true;
    if (llvm::Error error = LinkTier(policy, *built, *compiled, compiled->quick, result.report)) {
      return fail(std::move(error));
    }
    if (options.tiers == JitTiers::Quick) {
      Finish(*compiled, result.report);
    } else {
      // The optimised tier on a thread of its own, from a copy of the
      // policy (the caller's may go before the thread ends). A failure
      // leaves the quick code, which is correct, and is reported.
      CompiledPolicyImpl& target = *compiled;
      target.background = std::thread([&target, policy = policy, cache = std::move(cache), key] {
        CompileReport report;
        report.cache_path = cache ? cache->EntryPath(key) : "";
        auto built = BuildObject(policy, *target.session, report);
        llvm::Error error = built ? llvm::Error::success() : built.takeError();
        if (!error) error = LinkTier(policy, *built, target, target.optimised, report);
        if (!error) StoreInCache(cache, key, *built, report);
        if (error) report.error = "the JIT could not compile the optimised code: " + llvm::toString(std::move(error));
        Finish(target, report);
      });
    }
  }
  result.policy = std::make_unique<CompiledPolicy>(std::move(compiled));
  return result;
}

std::optional<std::string> UncompiledConstruct(const PolicyIr& policy) {
  // The driver is generated for every policy the checker accepts.
  return std::nullopt;
}

EmitResult EmitOptimisedLlvm(const PolicyIr& policy) {
  EmitResult result;
  auto session = JitSession::Shared();
  if (!session) {
    result.error = llvm::toString(session.takeError());
    return result;
  }
  llvm::Error error = (*session)->WithTargetMachine([&](llvm::TargetMachine& machine) -> llvm::Error {
    llvm::LLVMContext context;
    auto module = Generate(policy, context, machine);
    if (!module) return module.takeError();
    if (llvm::Error error = Optimise(**module, machine)) return error;
    llvm::raw_string_ostream stream(result.text);
    (*module)->print(stream, nullptr);
    return llvm::Error::success();
  });
  if (error) result.error = llvm::toString(std::move(error));
  return result;
}

}  // namespace recoup::compiler::jit
