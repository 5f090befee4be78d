// The emitter of the generated driver (driver_codegen.h): the frame a run
// keeps, the helpers every part uses (services, state access, blocks), and
// the parts, written by driver_codegen.cpp (their order), driver_days.cpp
// (the wake-day loop: fact days, the facts of a day, anchors, the next
// wake day) and driver_steps.cpp (each step's date, guard and state
// machine, stop rules, firings, the report of what never fired). Internal
// to compiler/jit/.
#pragma once

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "compiler/engine.h"
#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"
#include "compiler/jit/drive_frame.h"
#include "compiler/jit/driver_codegen.h"
#include "compiler/jit/expression_abi.h"
#include "compiler/jit/expression_codegen.h"
#include "compiler/policy_ir.h"

namespace recoup::compiler::jit::driver {

using abi::CauseKind;
using abi::DateStatus;
using abi::DetailKind;
using abi::EndKind;
using abi::kNoDate;
using abi::PauseEffect;
using abi::Reason;
using abi::RunState;
using abi::StepState;

// What is_event_day knows about the facts of a day from the driver.
enum class FactEvent : std::uint8_t { No, Yes, AskService };

// What a step's Locate returns, as SSA values.
struct Located {
  llvm::Value* status;   // i8 DateStatus
  llvm::Value* date;     // i32
  llvm::Value* index;    // i64
  llvm::Value* waiting;  // i32 step id
};

class DriverEmitter {
 public:
  DriverEmitter(const PolicyIr& policy, llvm::Module& module)
      : policy_(policy),
        tables_(MakeRunPolicy(policy)),
        module_(module),
        context_(module.getContext()),
        builder_(context_) {
    i1_ = builder_.getInt1Ty();
    i8_ = builder_.getInt8Ty();
    i32_ = builder_.getInt32Ty();
    i64_ = builder_.getInt64Ty();
    ptr_ = builder_.getPtrTy();
    void_ = builder_.getVoidTy();
  }

  void Emit();

 private:
  // ---- services and state access

  llvm::FunctionCallee Service(const char* name, llvm::Type* result, llvm::ArrayRef<llvm::Type*> parameters) {
    auto* type = llvm::FunctionType::get(result, parameters, false);
    llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
    if (auto* function = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      function->addFnAttr(llvm::Attribute::NoUnwind);
      // The services' narrow parameters are unsigned (std::uint8_t): the
      // caller widens them, as the x86-64 ABI is read by clang-built code.
      for (unsigned p = 0; p < parameters.size(); ++p) {
        if (parameters[p]->isIntegerTy() && parameters[p]->getIntegerBitWidth() < 32) {
          function->addParamAttr(p, llvm::Attribute::ZExt);
        }
      }
    }
    return callee;
  }

  llvm::Value* Call(const char* name, llvm::Type* result, llvm::ArrayRef<llvm::Type*> parameters,
                    llvm::ArrayRef<llvm::Value*> arguments) {
    return builder_.CreateCall(Service(name, result, parameters), arguments);
  }

  llvm::Value* FieldAddress(llvm::Value* base, std::size_t offset) {
    return builder_.CreateConstInBoundsGEP1_64(i8_, base, offset);
  }
  llvm::Value* LoadRun(std::size_t offset, llvm::Type* type) {
    return builder_.CreateLoad(type, FieldAddress(run_, offset));
  }
  void StoreRun(std::size_t offset, llvm::Value* value) { builder_.CreateStore(value, FieldAddress(run_, offset)); }

  llvm::Value* StepAddress(StepId id) {
    llvm::Value* steps = LoadRun(offsetof(RunState, steps), ptr_);
    return builder_.CreateConstInBoundsGEP1_64(i8_, steps, static_cast<std::uint64_t>(id) * sizeof(StepState));
  }
  llvm::Value* LoadStep(StepId id, std::size_t offset, llvm::Type* type) {
    return builder_.CreateLoad(type, FieldAddress(StepAddress(id), offset));
  }
  void StoreStep(StepId id, std::size_t offset, llvm::Value* value) {
    builder_.CreateStore(value, FieldAddress(StepAddress(id), offset));
  }

  llvm::Value* Failed() { return builder_.CreateICmpNE(LoadRun(offsetof(RunState, failed), i8_), builder_.getInt8(0)); }

  llvm::ConstantInt* I8(std::uint64_t value) { return builder_.getInt8(static_cast<std::uint8_t>(value)); }
  llvm::Constant* I32(std::int64_t value) { return builder_.getInt32(static_cast<std::uint32_t>(value)); }
  llvm::Constant* I64(std::int64_t value) { return builder_.getInt64(static_cast<std::uint64_t>(value)); }
  llvm::Constant* NoDate() { return I32(kNoDate); }

  llvm::Value* Slot(llvm::Type* type) {
    llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    return entry.CreateAlloca(type);
  }

  llvm::BasicBlock* Block(const char* name) { return llvm::BasicBlock::Create(context_, name, function_); }

  // Starts `name(ptr run, ...)` and positions the builder in its entry.
  llvm::Function* Begin(const std::string& name, llvm::Type* result, std::vector<llvm::Type*> parameters,
                        bool exported = false) {
    parameters.insert(parameters.begin(), ptr_);
    if (!exported) parameters.push_back(ptr_);  // the DriveFrame
    auto* type = llvm::FunctionType::get(result, parameters, false);
    function_ = llvm::Function::Create(
        type, exported ? llvm::Function::ExternalLinkage : llvm::Function::InternalLinkage, name, module_);
    function_->addFnAttr(llvm::Attribute::NoUnwind);
    // Locating a step's date is called from four places; kept out of line
    // so the optimiser does not copy it into each (compile time).
    if (name.rfind("recoup_locate_", 0) == 0) function_->addFnAttr(llvm::Attribute::NoInline);
    run_ = function_->getArg(0);
    frame_ = exported ? nullptr : function_->getArg(function_->arg_size() - 1);
    builder_.SetInsertPoint(Block("entry"));
    return function_;
  }

  // Calls a generated internal function, passing the run and the frame.
  llvm::Value* CallInternal(llvm::Function* callee, std::vector<llvm::Value*> arguments) {
    arguments.insert(arguments.begin(), run_);
    arguments.push_back(frame_);
    return builder_.CreateCall(callee, arguments);
  }

  llvm::Value* FrameAddress(std::size_t offset) { return FieldAddress(frame_, offset); }
  llvm::Value* LoadFrame(std::size_t offset, llvm::Type* type) {
    return builder_.CreateLoad(type, FrameAddress(offset));
  }
  void StoreFrame(std::size_t offset, llvm::Value* value) { builder_.CreateStore(value, FrameAddress(offset)); }
  // Money may have moved: what the frame remembers for a day is stale.
  void NewEpoch() {
    StoreFrame(offsetof(DriveFrame, epoch), builder_.CreateAdd(LoadFrame(offsetof(DriveFrame, epoch), i64_), I64(1)));
  }

  bool Customer() const { return policy_.header.subject == SubjectKind::Customer; }

  // Some step or stop rule starts interest: what is owed then grows by the day.
  bool HasInterest() const {
    auto any = [](const std::vector<Action>& actions) {
      return std::any_of(actions.begin(), actions.end(),
                         [](const Action& action) { return action.kind == ActionKind::Interest; });
    };
    return std::any_of(policy_.steps.begin(), policy_.steps.end(),
                       [&](const Step& step) { return any(step.actions); }) ||
           std::any_of(policy_.stops.begin(), policy_.stops.end(), [&](const Stop& stop) { return any(stop.actions); });
  }

  // Some stop rule can act (RunPolicy::stops_matter): without, the
  // event-day check that guards them is not generated.
  bool StopsMatter() const { return tables_->stops_matter; }

  // Nothing any action does adds to what an invoice owes (no fee, no
  // interest): an issued invoice once closed stays closed.
  bool OwedNeverGrows() const {
    auto grows = [](const std::vector<Action>& actions) {
      return std::any_of(actions.begin(), actions.end(), [](const Action& action) {
        return action.kind == ActionKind::Fee || action.kind == ActionKind::Interest;
      });
    };
    return std::none_of(policy_.steps.begin(), policy_.steps.end(),
                        [&](const Step& step) { return grows(step.actions); }) &&
           std::none_of(policy_.stops.begin(), policy_.stops.end(),
                        [&](const Stop& stop) { return grows(stop.actions); });
  }

  // The anchor invoice and its account on `day` (recoup_jit_anchor_account,
  // as recoup_anchor_invoice), computed once per (day, epoch); a customer's
  // accounts closed for good are skipped when nothing adds to what is owed.
  void RefreshAnchor(llvm::Value* day);

  // The invoice (index into SubjectView::invoices) the due/issue anchors
  // read on `day`, kNoIndex when none is open.
  llvm::Value* AnchorInvoice(llvm::Value* day);
  // Its account (an index into the run's accounts).
  llvm::Value* AnchorAccount(llvm::Value* day);

  // A field of invoice `invoice` of the subject (engine_abi.h's InvoiceView).
  llvm::Value* InvoiceField(llvm::Value* invoice, std::size_t offset);

  // Section 4: whether the subject is open for steps on `day`, as
  // recoup_active. A customer is open when nothing ended it and it has an
  // oldest open invoice, which is its anchor invoice (remembered); the
  // service runs only to say why not, and for an invoice subject.
  llvm::Value* Active(llvm::Value* day, llvm::Value* why, llvm::Value* detail);

  // Section 3: anchor `id` on `day`, as the engine's ComputeAnchor, inline:
  // the base read from the subject and the steps' states, the offsets
  // folded (calendar days summed; business days through recoup_shift).
  struct AnchorValue {
    llvm::Value* status;   // i8 DateStatus
    llvm::Value* date;     // i32 (Known)
    llvm::Value* waiting;  // i32 step id (WaitingForStep)
  };
  AnchorValue Anchor(AnchorId id, llvm::Value* day);

  // engine_internal.h's Shift: `date` moved by times x duration, clamped far
  // past any horizon; calendar days inline, business days by the service.
  llvm::Value* Shift(llvm::Value* date, Duration duration, llvm::Value* times);

  // if (condition) { then() } — then() may end its block with a return.
  void If(llvm::Value* condition, const std::function<void()>& then) {
    llvm::BasicBlock* then_block = Block("then");
    llvm::BasicBlock* after = Block("endif");
    builder_.CreateCondBr(condition, then_block, after);
    builder_.SetInsertPoint(then_block);
    then();
    if (!builder_.GetInsertBlock()->getTerminator()) builder_.CreateBr(after);
    builder_.SetInsertPoint(after);
  }

  llvm::Value* Explaining() {
    return builder_.CreateICmpNE(LoadRun(offsetof(RunState, explain), i8_), builder_.getInt8(0));
  }

  // ---- sections 3 and 5: a step's date

  // locate_ID(run, day, ptr status, ptr date, ptr index, ptr waiting)
  llvm::Function* EmitLocate(StepId id);

  Located Locate(StepId id, llvm::Value* day);

  // An invoice subject's step whose trigger anchor is its due or issue
  // date or another step's first firing, plus calendar days (the
  // interpreter engine's plain and fixed anchors, engine_driver.cpp): its
  // date (a recurring step's base) does not depend on the day, it is
  // computed inline from the invoice or the step it counts from, and on a
  // day before it the step decides nothing.
  bool DatedStep(StepId id) const;

  // Locate for an `at` step that is a DatedStep: its anchor, inline (what
  // recoup_locate_N computes, without the call); for another `at` step with
  // a fixed anchor, its date once known (DriveFrame::fixed_date); any other
  // step: Locate.
  Located LocateDated(StepId id, llvm::Value* day);
  // For each step: with chances, `later` (given the chance) when its next
  // chance is after `day`; else `done` when it is done, `waiting` when it
  // waits behind a pause, else `scheduled`; each continues with the next
  // step (`later` and `done` may be empty).
  void ForEachOpenStep(llvm::Value* day, const std::function<void(StepId, llvm::Value*)>& later,
                       const std::function<void(StepId)>& done, const std::function<void(StepId)>& waiting,
                       const std::function<void(StepId)>& scheduled);

  // Whether step `id` may decide something on `day`: a DatedStep not
  // waiting behind a pause (a waiting occurrence is tried every wake day)
  // whose date is unknown (it waits for a step that has not fired) or
  // after `day` decides nothing (recoup_try_step_N would return false
  // having only noted that its date is known; the interpreter engine's
  // next chance). True for any other step.
  llvm::Value* MayDecide(StepId id, llvm::Value* day);
  // ---- next chances (invoice subjects; engine_driver.cpp's chance_)

  // An invoice subject's steps have next chances; a customer's are tried
  // on every wake day (their anchors move with payments).
  bool HasChances() const { return !Customer(); }
  // Step `id`'s anchor is fixed (RunPolicy::step_anchor_fixed): its chance,
  // once known, holds until a step others count from first fires.
  bool Settles(StepId id) const { return tables_->step_anchor_fixed[id] != 0; }
  // The chances and the fixed dates follow the frame in the same local
  // (DriveFrame::chance and fixed_date point there for the services): the
  // generated code reaches them at a constant offset, without loading a
  // pointer the optimiser cannot see through.
  std::size_t ChanceOffset(StepId id) const { return sizeof(DriveFrame) + id * sizeof(std::int32_t); }
  std::size_t FixedDateOffset(StepId id) const {
    return sizeof(DriveFrame) + (policy_.steps.size() + id) * sizeof(std::int32_t);
  }
  llvm::Value* ChanceAddress(StepId id) { return FrameAddress(ChanceOffset(id)); }
  llvm::Value* LoadChance(StepId id) { return builder_.CreateLoad(i32_, ChanceAddress(id)); }
  void StoreChance(StepId id, llvm::Value* chance) { builder_.CreateStore(chance, ChanceAddress(id)); }
  // Every chance forgotten (a step others count from first fired).
  void ForgetChances();
  // The smallest chance, into DriveFrame::earliest_chance.
  void NoteEarliestChance();
  // The run's first chances (KnowPlainAnchors): a plain step (due or issue
  // plus calendar days) dated after the start has that date.
  void KnowPlainAnchors();


  llvm::Value* IsKnown(const Located& located) {
    return builder_.CreateICmpEQ(located.status, I8(static_cast<std::uint8_t>(DateStatus::Known)));
  }

  // until_ID(run, day, ptr until) -> i1: a recurring step's `until` date, when known.
  llvm::Function* EmitUntil(StepId id);

  // ---- guards and stop conditions

  // 1 true, 0 false, -1 failed (as recoup_evaluate). Explaining, the
  // engine's evaluator runs, since it records what the guard read. Otherwise
  // the natively compiled `function` runs on the guard context; when it
  // reports a failure (overflow, an unreadable attribute...),
  // recoup_evaluate runs the same expression again to record the error in
  // the engine's words.
  llvm::Value* Evaluate(ExpressionId expression, const std::string& function_name, llvm::Value* day);

  llvm::Value* SlotBytes(std::size_t bytes) {
    llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    llvm::AllocaInst* slot = entry.CreateAlloca(llvm::ArrayType::get(i8_, bytes));
    slot->setAlignment(llvm::Align(16));
    return slot;
  }

  // ---- the wake-day loop

  // Without explain, a subject no step or stop rule can fire on any more
  // only has its facts left (engine_driver.cpp, ClosedForGood).
  llvm::Value* ClosedForGoodWithoutExplain(llvm::Value* day);

  // With the fact days listed: the first one on or after `day` (kNoDate
  // when none), moving the cursor there; days only grow during a run.
  llvm::Value* FirstFactDayFrom(llvm::Value* day, bool strictly_after);
  // A field of fact-day entry `cursor`.
  llvm::Value* FactEntryField(llvm::Value* cursor, std::size_t offset, llvm::Type* type);

  // Whether `day` is a fact day (a candidate of recoup_next_fact_day).
  llvm::Value* IsFactDay(llvm::Value* day) { return builder_.CreateICmpEQ(FirstFactDayFrom(day, false), day); }

  // recoup_next_fact_day(day), from the list.
  llvm::Value* NextFactDay(llvm::Value* day) { return FirstFactDayFrom(day, true); }

  // next_wake_day(run, day) -> i32
  llvm::Function* EmitNextWakeDay();

  // is_event_day(run, day) -> i1 (section 10)
  llvm::Function* EmitIsEventDay();

  // Sections 7 to 12: a step or stop rule fires; its actions in order.
  void Fire(CauseKind cause, std::uint32_t index, llvm::Value* day, llvm::Value* scheduled, llvm::Value* occurrence,
            llvm::Value* first_read);

  // run_stops(run, day) (section 10)
  llvm::Function* EmitRunStops();

  // try_step_ID(run, day) -> i1: sections 4 to 6 for one step on one day.
  llvm::Function* EmitTryStep(StepId id);

  // run_steps(run, day): passes in source order until nothing changes.
  llvm::Function* EmitRunSteps();

  // Step `id`'s compiled guard as a pointer for the services (null when none).
  llvm::Value* GuardPointer(StepId id);

  // The steps' recoup_locate_N as a constant table, for
  // recoup_jit_report_unfinished (section 15, what never fired).
  llvm::Value* LocateTable();

  // Section 2, items 1 and 2, on a day that may be a fact day: the day's
  // payments, disputes and promises, and whether the facts make it an event
  // day (a FactEvent stored in `fact_event`); `facts` is what falls on the
  // day (FactDays' bits, an i8). With the payments in date
  // order, every payment dated on or before a visited day is applied by
  // then (payment dates are fact days, all visited), so the one at the
  // cursor says whether any is due today; the services run only on days
  // that have something for them.
  void ApplyFactsOf(llvm::Value* day, llvm::Value* facts, llvm::Value* fact_event);

  // recoup_drive(run): the wake-day loop, then the end of the run.
  void EmitDrive(llvm::Function* next_wake, llvm::Function* event_day, llvm::Function* stops, llvm::Function* steps);

  const PolicyIr& policy_;
  // The interpreter engine's tables of the policy (which anchors are fixed,
  // which steps others count from, the plain steps, the stop rules).
  std::shared_ptr<const abi::RunPolicy> tables_;
  llvm::Module& module_;
  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::Type *i1_, *i8_, *i32_, *i64_, *ptr_, *void_;
  llvm::Function* function_ = nullptr;
  llvm::Value* run_ = nullptr;
  llvm::Value* frame_ = nullptr;  // the DriveFrame (an argument, or recoup_drive's own)
  std::vector<llvm::Function*> locate_, until_, try_step_;
};

}  // namespace recoup::compiler::jit::driver
