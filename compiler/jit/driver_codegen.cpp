#include "compiler/jit/driver_codegen.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/jit/expression_abi.h"
#include "compiler/jit/expression_codegen.h"

namespace recoup::compiler::jit {
namespace {

using abi::CauseKind;
using abi::DateStatus;
using abi::DetailKind;
using abi::EndKind;
using abi::kNoDate;
using abi::PauseEffect;
using abi::Reason;
using abi::RunState;
using abi::StepState;

// The engine driver's bound on occurrences searched (engine_driver.cpp).
constexpr std::int64_t kMaxOccurrenceSearch = 100000;

// Fact days a run keeps on recoup_drive's stack (a customer with more asks
// recoup_next_fact_day instead).
constexpr std::int32_t kFactDayCapacity = 512;

// What one run of recoup_drive remembers between the generated functions
// (on recoup_drive's stack; every internal function gets it as its last
// argument). `epoch` moves whenever money may have moved (payments, a
// firing, the end of a day), so a value computed for (day, epoch) stays
// true until then.
struct DriveFrame {
  std::int64_t epoch;
  // The invoice the due/issue anchors read on anchor_day in anchor_epoch
  // (recoup_anchor_invoice: a customer's oldest open one, kNoIndex when
  // none is open; an invoice subject's own).
  std::int64_t anchor_epoch;
  std::int32_t anchor_day;
  std::int32_t anchor_invoice;
  // recoup_next_fact_day(fact_day) = fact_next, valid when fact_known: the
  // facts of a run never change, so no day strictly between them is a fact
  // day (no payment, dispute, promise, issue date, probe or horizon).
  std::int32_t fact_day;
  std::int32_t fact_next;
  std::uint8_t fact_known;
  // The subject's payments are in date order (recoup_jit_payments_by_date):
  // the ones not yet applied start at payment_cursor.
  std::uint8_t payments_by_date;
  std::uint32_t payment_cursor;
  // The run's fact days in order (recoup_jit_fact_days), fact_count of
  // them (-1: too many, the memo above is used), the ones before the
  // current day skipped by fact_cursor.
  std::int32_t fact_count;
  std::int32_t fact_cursor;
  std::int32_t fact_days[kFactDayCapacity];
};

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
      : policy_(policy), module_(module), context_(module.getContext()), builder_(context_) {
    i1_ = builder_.getInt1Ty();
    i8_ = builder_.getInt8Ty();
    i32_ = builder_.getInt32Ty();
    i64_ = builder_.getInt64Ty();
    ptr_ = builder_.getPtrTy();
    void_ = builder_.getVoidTy();
  }

  void Emit() {
    for (StepId id = 0; id < policy_.steps.size(); ++id) {
      locate_.push_back(EmitLocate(id));
      until_.push_back(EmitUntil(id));
    }
    for (StepId id = 0; id < policy_.steps.size(); ++id) try_step_.push_back(EmitTryStep(id));
    llvm::Function* next_wake = EmitNextWakeDay();
    llvm::Function* event_day = EmitIsEventDay();
    llvm::Function* stops = EmitRunStops();
    llvm::Function* steps = EmitRunSteps();
    llvm::Function* unfinished = EmitReportUnfinished();
    EmitDrive(next_wake, event_day, stops, steps, unfinished);
  }

 private:
  // ---- services and state access

  llvm::FunctionCallee Service(const char* name, llvm::Type* result, llvm::ArrayRef<llvm::Type*> parameters) {
    auto* type = llvm::FunctionType::get(result, parameters, false);
    llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
    if (auto* function = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      function->addFnAttr(llvm::Attribute::NoUnwind);
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
  llvm::Value* LoadRun(std::size_t offset, llvm::Type* type) { return builder_.CreateLoad(type, FieldAddress(run_, offset)); }
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
    function_ = llvm::Function::Create(type, exported ? llvm::Function::ExternalLinkage : llvm::Function::InternalLinkage,
                                       name, module_);
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
  llvm::Value* LoadFrame(std::size_t offset, llvm::Type* type) { return builder_.CreateLoad(type, FrameAddress(offset)); }
  void StoreFrame(std::size_t offset, llvm::Value* value) { builder_.CreateStore(value, FrameAddress(offset)); }
  // Money may have moved: what the frame remembers for a day is stale.
  void NewEpoch() {
    StoreFrame(offsetof(DriveFrame, epoch), builder_.CreateAdd(LoadFrame(offsetof(DriveFrame, epoch), i64_), I64(1)));
  }

  bool Customer() const { return policy_.header.subject == SubjectKind::Customer; }

  // Some step or stop rule starts interest: what is owed then grows by the day.
  bool HasInterest() const {
    auto any = [](const std::vector<Action>& actions) {
      return std::any_of(actions.begin(), actions.end(), [](const Action& action) { return action.kind == ActionKind::Interest; });
    };
    return std::any_of(policy_.steps.begin(), policy_.steps.end(), [&](const Step& step) { return any(step.actions); }) ||
           std::any_of(policy_.stops.begin(), policy_.stops.end(), [&](const Stop& stop) { return any(stop.actions); });
  }

  // Some stop rule can act (engine_internal.h's RunPolicy::stops_matter):
  // without, the event-day check that guards them is not generated.
  bool StopsMatter() const {
    for (const Stop& stop : policy_.stops) {
      if ((stop.when_paid && !stop.actions.empty()) || (!stop.when_paid && stop.condition != kNoId)) return true;
    }
    return false;
  }

  // The invoice (index into SubjectView::invoices) the due/issue anchors
  // read on `day`, as recoup_anchor_invoice, computed once per (day, epoch).
  llvm::Value* AnchorInvoice(llvm::Value* day) {
    llvm::Value* epoch = LoadFrame(offsetof(DriveFrame, epoch), i64_);
    llvm::Value* fresh = builder_.CreateAnd(builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_day), i32_), day),
                                            builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_epoch), i64_), epoch));
    If(builder_.CreateNot(fresh), [&] {
      StoreFrame(offsetof(DriveFrame, anchor_invoice), Call("recoup_anchor_invoice", i32_, {ptr_, i32_}, {run_, day}));
      StoreFrame(offsetof(DriveFrame, anchor_day), day);
      StoreFrame(offsetof(DriveFrame, anchor_epoch), epoch);
    });
    return LoadFrame(offsetof(DriveFrame, anchor_invoice), i32_);
  }

  // A field of invoice `invoice` of the subject (engine_abi.h's InvoiceView).
  llvm::Value* InvoiceField(llvm::Value* invoice, std::size_t offset) {
    llvm::Value* subject = LoadRun(offsetof(RunState, subject), ptr_);
    llvm::Value* invoices = builder_.CreateLoad(ptr_, FieldAddress(subject, offsetof(abi::SubjectView, invoices)));
    llvm::Value* at = builder_.CreateMul(builder_.CreateSExt(invoice, i64_), I64(sizeof(abi::InvoiceView)));
    llvm::Value* address = builder_.CreateInBoundsGEP(i8_, invoices, at);
    return builder_.CreateLoad(i32_, FieldAddress(address, offset));
  }

  // Section 4: whether the subject is open for steps on `day`, as
  // recoup_active. A customer is open when nothing ended it and it has an
  // oldest open invoice, which is its anchor invoice (remembered); the
  // service runs only to say why not, and for an invoice subject.
  llvm::Value* Active(llvm::Value* day, llvm::Value* why, llvm::Value* detail) {
    auto service = [&] { return Call("recoup_active", i8_, {ptr_, i32_, ptr_, ptr_}, {run_, day, why, detail}); };
    if (!Customer()) return service();
    llvm::Value* result = Slot(i8_);
    llvm::Value* running = builder_.CreateICmpEQ(LoadRun(offsetof(RunState, end_kind), i8_), I8(0));
    llvm::BasicBlock* open_check = Block("open_check");
    llvm::BasicBlock* slow = Block("active_service");
    llvm::BasicBlock* open = Block("active");
    llvm::BasicBlock* done = Block("active_known");
    builder_.CreateCondBr(running, open_check, slow);
    builder_.SetInsertPoint(open_check);
    builder_.CreateCondBr(builder_.CreateICmpNE(AnchorInvoice(day), I32(abi::kNoIndex)), open, slow);
    builder_.SetInsertPoint(open);
    builder_.CreateStore(I8(1), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(slow);
    builder_.CreateStore(service(), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return builder_.CreateLoad(i8_, result);
  }

  // Section 3: anchor `id` on `day`, as the engine's ComputeAnchor, inline:
  // the base read from the subject and the steps' states, the offsets
  // folded (calendar days summed; business days through recoup_shift).
  struct AnchorValue {
    llvm::Value* status;   // i8 DateStatus
    llvm::Value* date;     // i32 (Known)
    llvm::Value* waiting;  // i32 step id (WaitingForStep)
  };
  AnchorValue Anchor(AnchorId id, llvm::Value* day) {
    const compiler::Anchor& anchor = policy_.anchor(id);
    llvm::Value* status = Slot(i8_);
    llvm::Value* date = Slot(i32_);
    llvm::Value* waiting = Slot(i32_);
    builder_.CreateStore(I8(static_cast<std::uint8_t>(DateStatus::Known)), status);
    builder_.CreateStore(I32(0), date);
    builder_.CreateStore(I32(kNoId), waiting);
    llvm::BasicBlock* done = Block("anchor_done");
    auto give_up = [&](llvm::Value* condition, DateStatus why, llvm::Value* step = nullptr) {
      llvm::BasicBlock* stop = Block("anchor_unknown");
      llvm::BasicBlock* go_on = Block("anchor_known");
      builder_.CreateCondBr(condition, stop, go_on);
      builder_.SetInsertPoint(stop);
      builder_.CreateStore(I8(static_cast<std::uint8_t>(why)), status);
      builder_.CreateStore(I32(0), date);
      if (step != nullptr) builder_.CreateStore(step, waiting);
      builder_.CreateBr(done);
      builder_.SetInsertPoint(go_on);
    };
    switch (anchor.base) {
      case AnchorBase::Due:
      case AnchorBase::Issue: {
        llvm::Value* invoice = AnchorInvoice(day);
        give_up(builder_.CreateICmpEQ(invoice, I32(abi::kNoIndex)), DateStatus::NoOpenInvoice);
        builder_.CreateStore(InvoiceField(invoice, anchor.base == AnchorBase::Due ? offsetof(abi::InvoiceView, due)
                                                                                 : offsetof(abi::InvoiceView, issue)),
                             date);
        break;
      }
      case AnchorBase::Promise: {
        llvm::Value* made = LoadRun(offsetof(RunState, promise_made), i32_);
        give_up(builder_.CreateICmpEQ(made, NoDate()), DateStatus::NoPromise);
        give_up(builder_.CreateICmpSGT(made, day), DateStatus::WaitingForPromise);
        builder_.CreateStore(LoadRun(offsetof(RunState, promise_date), i32_), date);
        break;
      }
      case AnchorBase::Step: {
        llvm::Value* fired = LoadStep(anchor.step, offsetof(StepState, first_fired), i32_);
        give_up(builder_.CreateICmpEQ(fired, NoDate()), DateStatus::WaitingForStep, I32(anchor.step));
        builder_.CreateStore(fired, date);
        break;
      }
      case AnchorBase::EndOfMonth: {
        AnchorValue inner = Anchor(anchor.inner, day);
        llvm::Value* unknown = builder_.CreateICmpNE(inner.status, I8(static_cast<std::uint8_t>(DateStatus::Known)));
        llvm::BasicBlock* stop = Block("anchor_inner_unknown");
        llvm::BasicBlock* go_on = Block("anchor_inner_known");
        builder_.CreateCondBr(unknown, stop, go_on);
        builder_.SetInsertPoint(stop);
        builder_.CreateStore(inner.status, status);
        builder_.CreateStore(inner.date, date);
        builder_.CreateStore(inner.waiting, waiting);
        builder_.CreateBr(done);
        builder_.SetInsertPoint(go_on);
        builder_.CreateStore(Call("recoup_end_of_month", i32_, {i32_}, {inner.date}), date);
        break;
      }
    }
    bool calendar_only = true;
    std::int32_t calendar_days = 0;
    for (const Offset& offset : anchor.offsets) {
      if (offset.duration.unit == DurationUnit::BusinessDays) calendar_only = false;
      calendar_days += offset.duration.count;
    }
    llvm::Value* moved = builder_.CreateLoad(i32_, date);
    if (calendar_only) {
      if (calendar_days != 0) moved = builder_.CreateAdd(moved, I32(calendar_days));
    } else {
      for (const Offset& offset : anchor.offsets) moved = Shift(moved, offset.duration, I64(1));
    }
    builder_.CreateStore(moved, date);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return {builder_.CreateLoad(i8_, status), builder_.CreateLoad(i32_, date), builder_.CreateLoad(i32_, waiting)};
  }

  // engine_internal.h's Shift: `date` moved by times x duration, clamped far
  // past any horizon; calendar days inline, business days by the service.
  llvm::Value* Shift(llvm::Value* date, Duration duration, llvm::Value* times) {
    if (duration.unit == DurationUnit::BusinessDays) {
      return Call("recoup_shift", i32_, {ptr_, i32_, i32_, i8_, i64_},
                  {run_, date, I32(duration.count), I8(static_cast<std::uint8_t>(duration.unit)), times});
    }
    constexpr std::int64_t kFarDays = 10'000'000;
    llvm::Value* wide = builder_.CreateMul(I64(duration.count), times);
    wide = builder_.CreateSelect(builder_.CreateICmpSLT(wide, I64(-kFarDays)), I64(-kFarDays), wide);
    wide = builder_.CreateSelect(builder_.CreateICmpSGT(wide, I64(kFarDays)), I64(kFarDays), wide);
    return builder_.CreateAdd(date, builder_.CreateTrunc(wide, i32_));
  }

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

  // A not-fired record, kept only when explaining (as the interpreter engine).
  void NotFired(StepId id, llvm::Value* date, llvm::Value* reason, llvm::Value* detail_kind, llvm::Value* detail_date,
                llvm::Value* number) {
    If(Explaining(), [&] {
      llvm::Value* mark = Call("recoup_read_mark", i32_, {ptr_}, {run_});
      Call("recoup_not_fired", void_, {ptr_, i8_, i32_, i32_, i8_, i8_, i32_, i64_, i32_},
           {run_, I8(static_cast<std::uint8_t>(CauseKind::Step)), I32(id), date, reason, detail_kind, detail_date, number,
            mark});
    });
  }
  void NotFired(StepId id, llvm::Value* date, Reason reason, DetailKind kind = DetailKind::None,
                llvm::Value* detail_date = nullptr, std::int64_t number = 0) {
    NotFired(id, date, I8(static_cast<std::uint8_t>(reason)), I8(static_cast<std::uint8_t>(kind)),
             detail_date ? detail_date : NoDate(), I64(number));
  }

  // ---- sections 3 and 5: a step's date

  // locate_ID(run, day, ptr status, ptr date, ptr index, ptr waiting)
  llvm::Function* EmitLocate(StepId id) {
    const Trigger& trigger = policy_.steps[id].trigger;
    llvm::Function* function = Begin("recoup_locate_" + std::to_string(id), void_, {i32_, ptr_, ptr_, ptr_, ptr_});
    llvm::Value* day = function->getArg(1);
    llvm::Value* out_status = function->getArg(2);
    llvm::Value* out_date = function->getArg(3);
    llvm::Value* out_index = function->getArg(4);
    llvm::Value* out_waiting = function->getArg(5);
    AnchorValue anchor = Anchor(trigger.anchor, day);
    llvm::Value* status = anchor.status;
    builder_.CreateStore(anchor.date, out_date);
    builder_.CreateStore(anchor.waiting, out_waiting);
    builder_.CreateStore(status, out_status);
    builder_.CreateStore(I64(0), out_index);
    if (trigger.kind != TriggerKind::Every || trigger.period.count <= 0) {
      builder_.CreateRetVoid();
      return function;
    }
    llvm::BasicBlock* search = Block("search");
    llvm::BasicBlock* done = Block("done");
    builder_.CreateCondBr(builder_.CreateICmpEQ(status, I8(static_cast<std::uint8_t>(DateStatus::Known))), search, done);
    builder_.SetInsertPoint(done);
    builder_.CreateRetVoid();

    builder_.SetInsertPoint(search);
    llvm::Value* base = builder_.CreateLoad(i32_, out_date);
    llvm::Value* index = I64(0);
    if (trigger.period.unit != DurationUnit::BusinessDays) {
      llvm::Value* after = builder_.CreateICmpSGT(day, base);
      llvm::Value* distance = builder_.CreateSExt(builder_.CreateSub(day, base), i64_);
      llvm::Value* steps = builder_.CreateSDiv(builder_.CreateAdd(distance, I64(trigger.period.count - 1)),
                                               I64(trigger.period.count));
      index = builder_.CreateSelect(after, steps, I64(0));
    }
    auto shift = [&](llvm::Value* times) { return Shift(base, trigger.period, times); };
    llvm::Value* first = shift(index);
    llvm::BasicBlock* entry_end = builder_.GetInsertBlock();
    llvm::BasicBlock* loop = Block("loop");
    llvm::BasicBlock* body = Block("body");
    llvm::BasicBlock* exit = Block("exit");
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    llvm::PHINode* date = builder_.CreatePHI(i32_, 2);
    llvm::PHINode* current = builder_.CreatePHI(i64_, 2);
    date->addIncoming(first, entry_end);
    current->addIncoming(index, entry_end);
    llvm::Value* more = builder_.CreateAnd(builder_.CreateICmpSLT(date, day),
                                           builder_.CreateICmpSLT(current, I64(kMaxOccurrenceSearch)));
    builder_.CreateCondBr(more, body, exit);
    builder_.SetInsertPoint(body);
    llvm::Value* next_index = builder_.CreateAdd(current, I64(1));
    llvm::Value* next_date = shift(next_index);
    date->addIncoming(next_date, builder_.GetInsertBlock());
    current->addIncoming(next_index, builder_.GetInsertBlock());
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(exit);
    builder_.CreateStore(date, out_date);
    builder_.CreateStore(current, out_index);
    builder_.CreateRetVoid();
    return function;
  }

  Located Locate(StepId id, llvm::Value* day) {
    llvm::Value* status = Slot(i8_);
    llvm::Value* date = Slot(i32_);
    llvm::Value* index = Slot(i64_);
    llvm::Value* waiting = Slot(i32_);
    CallInternal(locate_[id], {day, status, date, index, waiting});
    return {builder_.CreateLoad(i8_, status), builder_.CreateLoad(i32_, date), builder_.CreateLoad(i64_, index),
            builder_.CreateLoad(i32_, waiting)};
  }

  llvm::Value* IsKnown(const Located& located) {
    return builder_.CreateICmpEQ(located.status, I8(static_cast<std::uint8_t>(DateStatus::Known)));
  }

  // until_ID(run, day, ptr until) -> i1: a recurring step's `until` date, when known.
  llvm::Function* EmitUntil(StepId id) {
    const Trigger& trigger = policy_.steps[id].trigger;
    llvm::Function* function = Begin("recoup_until_" + std::to_string(id), i1_, {i32_, ptr_});
    llvm::Value* day = function->getArg(1);
    llvm::Value* until = function->getArg(2);
    if (trigger.until == UntilKind::Agency) {
      llvm::Value* placed = LoadRun(offsetof(RunState, placed_on), i32_);
      builder_.CreateStore(placed, until);
      builder_.CreateRet(builder_.CreateICmpNE(placed, NoDate()));
    } else if (trigger.until == UntilKind::Anchor) {
      AnchorValue anchor = Anchor(trigger.until_anchor, day);
      builder_.CreateStore(anchor.date, until);
      builder_.CreateRet(builder_.CreateICmpEQ(anchor.status, I8(static_cast<std::uint8_t>(DateStatus::Known))));
    } else {
      builder_.CreateRet(builder_.getFalse());
    }
    return function;
  }

  // ---- guards and stop conditions

  // 1 true, 0 false, -1 failed (as recoup_evaluate). Explaining, the
  // engine's evaluator runs, since it records what the guard read. Otherwise
  // the natively compiled `function` runs on the guard context; when it
  // reports a failure (overflow, an unreadable attribute...),
  // recoup_evaluate runs the same expression again to record the error in
  // the engine's words.
  llvm::Value* Evaluate(ExpressionId expression, const std::string& function_name, llvm::Value* day) {
    llvm::Function* compiled = module_.getFunction(function_name);
    llvm::Value* result = Slot(i32_);
    auto reference = [&] {
      builder_.CreateStore(Call("recoup_evaluate", i32_, {ptr_, i32_, i32_}, {run_, I32(expression), day}), result);
    };
    if (compiled == nullptr) {
      reference();
      return builder_.CreateLoad(i32_, result);
    }
    llvm::BasicBlock* slow = Block("evaluate_reference");
    llvm::BasicBlock* fast = Block("evaluate_native");
    llvm::BasicBlock* native_ok = Block("native_ok");
    llvm::BasicBlock* done = Block("evaluated");
    builder_.CreateCondBr(Explaining(), slow, fast);
    builder_.SetInsertPoint(slow);
    reference();
    builder_.CreateBr(done);
    builder_.SetInsertPoint(fast);
    llvm::Value* inputs = SlotBytes(sizeof(RecoupExpressionInputs));
    llvm::Value* attributes = SlotBytes(std::max<std::size_t>(1, policy_.attributes.size()) * sizeof(RecoupAttributeValue));
    llvm::Value* filled =
        Call("recoup_jit_expression_inputs", i32_, {ptr_, i32_, ptr_, ptr_}, {run_, day, inputs, attributes});
    llvm::BasicBlock* call = Block("call_native");
    builder_.CreateCondBr(builder_.CreateICmpNE(filled, I32(0)), slow, call);
    builder_.SetInsertPoint(call);
    llvm::Value* answer = Slot(i8_);
    llvm::Value* status = builder_.CreateCall(compiled, {inputs, answer});
    builder_.CreateCondBr(builder_.CreateICmpNE(status, I32(0)), slow, native_ok);
    builder_.SetInsertPoint(native_ok);
    builder_.CreateStore(builder_.CreateZExt(builder_.CreateLoad(i8_, answer), i32_), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return builder_.CreateLoad(i32_, result);
  }

  llvm::Value* SlotBytes(std::size_t bytes) {
    llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    llvm::AllocaInst* slot = entry.CreateAlloca(llvm::ArrayType::get(i8_, bytes));
    slot->setAlignment(llvm::Align(16));
    return slot;
  }

  // ---- the wake-day loop

  // Without explain, a subject no step or stop rule can fire on any more
  // only has its facts left (engine_driver.cpp, ClosedForGood).
  llvm::Value* ClosedForGoodWithoutExplain(llvm::Value* day) {
    bool paid_stop_actions = false;
    for (const Stop& stop : policy_.stops) paid_stop_actions |= stop.when_paid && !stop.actions.empty();
    llvm::Value* closed = builder_.CreateICmpNE(LoadRun(offsetof(RunState, end_kind), i8_), I8(0));
    if (!Customer()) {
      // An invoice subject that was settled (nothing but a firing makes it
      // owe again) once its `stop when paid` actions ran, unless they made
      // it owe again (a fee charged when paid).
      llvm::Value* settled = builder_.CreateICmpNE(Call("recoup_jit_first_settled_on", i32_, {ptr_}, {run_}), NoDate());
      llvm::Value* paid_done = paid_stop_actions
                                   ? builder_.CreateICmpNE(LoadRun(offsetof(RunState, paid_stop_ran), i8_), I8(0))
                                   : builder_.getTrue();
      llvm::Value* owes = builder_.CreateICmpNE(Call("recoup_jit_first_owes", i8_, {ptr_, i32_}, {run_, day}), I8(0));
      paid_done = builder_.CreateAnd(paid_done, builder_.CreateNot(owes));
      closed = builder_.CreateOr(closed, builder_.CreateAnd(settled, paid_done));
    }
    return builder_.CreateAnd(builder_.CreateNot(Explaining()), closed);
  }

  // With the fact days listed: the first one on or after `day` (kNoDate
  // when none), moving the cursor there; days only grow during a run.
  llvm::Value* FirstFactDayFrom(llvm::Value* day, bool strictly_after) {
    llvm::Value* count = LoadFrame(offsetof(DriveFrame, fact_count), i32_);
    auto at = [&](llvm::Value* cursor) {
      llvm::Value* address = builder_.CreateInBoundsGEP(
          i8_, FrameAddress(offsetof(DriveFrame, fact_days)), builder_.CreateMul(builder_.CreateZExt(cursor, i64_), I64(4)));
      return builder_.CreateLoad(i32_, address);
    };
    llvm::BasicBlock* loop = Block("fact_cursor");
    llvm::BasicBlock* check = Block("fact_cursor_check");
    llvm::BasicBlock* step = Block("fact_cursor_step");
    llvm::BasicBlock* exit = Block("fact_cursor_done");
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    llvm::Value* cursor = LoadFrame(offsetof(DriveFrame, fact_cursor), i32_);
    builder_.CreateCondBr(builder_.CreateICmpSLT(cursor, count), check, exit);
    builder_.SetInsertPoint(check);
    llvm::Value* fact = at(cursor);
    builder_.CreateCondBr(strictly_after ? builder_.CreateICmpSLE(fact, day) : builder_.CreateICmpSLT(fact, day), step, exit);
    builder_.SetInsertPoint(step);
    StoreFrame(offsetof(DriveFrame, fact_cursor), builder_.CreateAdd(cursor, I32(1)));
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(exit);
    llvm::Value* result = Slot(i32_);
    builder_.CreateStore(NoDate(), result);
    llvm::Value* final_cursor = LoadFrame(offsetof(DriveFrame, fact_cursor), i32_);
    If(builder_.CreateICmpSLT(final_cursor, count), [&] { builder_.CreateStore(at(final_cursor), result); });
    return builder_.CreateLoad(i32_, result);
  }

  // Whether `day` may be a fact day (a candidate of recoup_next_fact_day):
  // false when it is not listed, or lies strictly between two answers.
  llvm::Value* MayBeFactDay(llvm::Value* day) {
    llvm::Value* result = Slot(i1_);
    llvm::Value* listed = builder_.CreateICmpSGE(LoadFrame(offsetof(DriveFrame, fact_count), i32_), I32(0));
    llvm::BasicBlock* from_list = Block("fact_listed");
    llvm::BasicBlock* from_memo = Block("fact_memo");
    llvm::BasicBlock* done = Block("fact_known");
    builder_.CreateCondBr(listed, from_list, from_memo);
    builder_.SetInsertPoint(from_list);
    builder_.CreateStore(builder_.CreateICmpEQ(FirstFactDayFrom(day, false), day), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(from_memo);
    llvm::Value* known = builder_.CreateICmpNE(LoadFrame(offsetof(DriveFrame, fact_known), i8_), I8(0));
    llvm::Value* after = builder_.CreateICmpSLT(LoadFrame(offsetof(DriveFrame, fact_day), i32_), day);
    llvm::Value* next = LoadFrame(offsetof(DriveFrame, fact_next), i32_);
    llvm::Value* before = builder_.CreateOr(builder_.CreateICmpEQ(next, NoDate()), builder_.CreateICmpSLT(day, next));
    builder_.CreateStore(builder_.CreateNot(builder_.CreateAnd(known, builder_.CreateAnd(after, before))), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return builder_.CreateLoad(i1_, result);
  }

  // recoup_next_fact_day(day): from the list, else asked again only when
  // `day` reaches the last answer.
  llvm::Value* NextFactDay(llvm::Value* day) {
    llvm::Value* result = Slot(i32_);
    llvm::Value* listed = builder_.CreateICmpSGE(LoadFrame(offsetof(DriveFrame, fact_count), i32_), I32(0));
    llvm::BasicBlock* from_list = Block("next_fact_listed");
    llvm::BasicBlock* from_memo = Block("next_fact_memo");
    llvm::BasicBlock* done = Block("next_fact_known");
    builder_.CreateCondBr(listed, from_list, from_memo);
    builder_.SetInsertPoint(from_list);
    builder_.CreateStore(FirstFactDayFrom(day, true), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(from_memo);
    llvm::Value* known = builder_.CreateICmpNE(LoadFrame(offsetof(DriveFrame, fact_known), i8_), I8(0));
    llvm::Value* from = builder_.CreateICmpSLE(LoadFrame(offsetof(DriveFrame, fact_day), i32_), day);
    llvm::Value* next = LoadFrame(offsetof(DriveFrame, fact_next), i32_);
    llvm::Value* before = builder_.CreateOr(builder_.CreateICmpEQ(next, NoDate()), builder_.CreateICmpSLT(day, next));
    If(builder_.CreateNot(builder_.CreateAnd(known, builder_.CreateAnd(from, before))), [&] {
      StoreFrame(offsetof(DriveFrame, fact_next), Call("recoup_next_fact_day", i32_, {ptr_, i32_}, {run_, day}));
      StoreFrame(offsetof(DriveFrame, fact_day), day);
      StoreFrame(offsetof(DriveFrame, fact_known), I8(1));
    });
    builder_.CreateStore(LoadFrame(offsetof(DriveFrame, fact_next), i32_), result);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return builder_.CreateLoad(i32_, result);
  }

  // next_wake_day(run, day) -> i32
  llvm::Function* EmitNextWakeDay() {
    llvm::Function* function = Begin("recoup_next_wake_day", i32_, {i32_});
    llvm::Value* day = function->getArg(1);
    llvm::Value* next = Slot(i32_);
    builder_.CreateStore(NextFactDay(day), next);
    If(ClosedForGoodWithoutExplain(day), [&] { builder_.CreateRet(builder_.CreateLoad(i32_, next)); });
    // Steps' dates count only when before the next fact day: none is when that is tomorrow.
    llvm::Value* tomorrow_day = builder_.CreateAdd(day, I32(1));
    If(builder_.CreateICmpEQ(builder_.CreateLoad(i32_, next), tomorrow_day),
       [&] { builder_.CreateRet(builder_.CreateLoad(i32_, next)); });
    if (!HasInterest()) {
      // Tomorrow is no fact day, so no invoice is issued then, and without
      // interest what is owed does not depend on the day: tomorrow's anchor
      // invoice is today's, while no money moved (same epoch).
      llvm::Value* cached = builder_.CreateAnd(
          builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_day), i32_), day),
          builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_epoch), i64_), LoadFrame(offsetof(DriveFrame, epoch), i64_)));
      If(cached, [&] { StoreFrame(offsetof(DriveFrame, anchor_day), tomorrow_day); });
    }
    auto consider = [&](llvm::Value* candidate) {
      llvm::Value* current = builder_.CreateLoad(i32_, next);
      llvm::Value* better = builder_.CreateAnd(
          builder_.CreateICmpSGT(candidate, day),
          builder_.CreateOr(builder_.CreateICmpEQ(current, NoDate()), builder_.CreateICmpSLT(candidate, current)));
      builder_.CreateStore(builder_.CreateSelect(better, candidate, current), next);
    };
    llvm::Value* tomorrow = builder_.CreateAdd(day, I32(1));
    for (StepId id = 0; id < policy_.steps.size(); ++id) {
      llvm::BasicBlock* after = Block("next_step");
      llvm::BasicBlock* open = Block("open");
      llvm::Value* done = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0));
      builder_.CreateCondBr(done, after, open);
      builder_.SetInsertPoint(open);
      llvm::BasicBlock* waiting = Block("waiting");
      llvm::BasicBlock* scheduled = Block("scheduled");
      llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
      builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, scheduled);
      builder_.SetInsertPoint(waiting);
      llvm::Value* until = Slot(i32_);
      llvm::Value* known = CallInternal(until_[id], {tomorrow, until});
      If(known, [&] {
        llvm::Value* date = builder_.CreateLoad(i32_, until);
        consider(builder_.CreateSelect(builder_.CreateICmpSGT(date, tomorrow), date, tomorrow));
      });
      builder_.CreateBr(after);
      builder_.SetInsertPoint(scheduled);
      Located located = Locate(id, tomorrow);
      If(IsKnown(located), [&] { consider(located.date); });
      builder_.CreateBr(after);
      builder_.SetInsertPoint(after);
    }
    builder_.CreateRet(builder_.CreateLoad(i32_, next));
    return function;
  }

  // is_event_day(run, day) -> i1 (section 10)
  llvm::Function* EmitIsEventDay() {
    llvm::Function* function = Begin("recoup_is_event_day", i1_, {i32_, i8_});
    llvm::Value* day = function->getArg(1);
    llvm::Value* hint = function->getArg(2);  // a FactEvent
    If(builder_.CreateICmpEQ(hint, I8(static_cast<std::uint8_t>(FactEvent::Yes))),
       [&] { builder_.CreateRet(builder_.getTrue()); });
    If(builder_.CreateICmpEQ(hint, I8(static_cast<std::uint8_t>(FactEvent::AskService))), [&] {
      llvm::Value* fact = Call("recoup_is_fact_event_day", i8_, {ptr_, i32_}, {run_, day});
      If(builder_.CreateICmpNE(fact, I8(0)), [&] { builder_.CreateRet(builder_.getTrue()); });
    });
    for (StepId id = 0; id < policy_.steps.size(); ++id) {
      llvm::BasicBlock* after = Block("next_step");
      llvm::BasicBlock* open = Block("open");
      llvm::Value* done = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0));
      builder_.CreateCondBr(done, after, open);
      builder_.SetInsertPoint(open);
      llvm::BasicBlock* waiting = Block("waiting");
      llvm::BasicBlock* scheduled = Block("scheduled");
      llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
      builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, scheduled);
      builder_.SetInsertPoint(waiting);
      llvm::Value* reason = Slot(i8_);
      llvm::Value* effect = Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, day, reason});
      If(builder_.CreateICmpEQ(effect, I8(static_cast<std::uint8_t>(PauseEffect::None))),
         [&] { builder_.CreateRet(builder_.getTrue()); });
      builder_.CreateBr(after);
      builder_.SetInsertPoint(scheduled);
      Located located = Locate(id, day);
      If(builder_.CreateAnd(IsKnown(located), builder_.CreateICmpEQ(located.date, day)),
         [&] { builder_.CreateRet(builder_.getTrue()); });
      builder_.CreateBr(after);
      builder_.SetInsertPoint(after);
    }
    builder_.CreateRet(builder_.getFalse());
    return function;
  }

  // Sections 7 to 12: a step or stop rule fires; its actions in order.
  void Fire(CauseKind cause, std::uint32_t index, llvm::Value* day, llvm::Value* scheduled, llvm::Value* occurrence,
            llvm::Value* first_read) {
    std::size_t actions = cause == CauseKind::Step ? policy_.steps[index].actions.size() : policy_.stops[index].actions.size();
    llvm::Value* cause_code = I8(static_cast<std::uint8_t>(cause));
    Call("recoup_fire_begin", void_, {ptr_, i8_, i32_, i32_, i32_, i64_, i32_},
         {run_, cause_code, I32(index), day, scheduled, occurrence, first_read});
    llvm::BasicBlock* end = Block("fire_end");
    for (std::uint32_t k = 0; k < actions; ++k) {
      llvm::BasicBlock* action = Block("action");
      builder_.CreateCondBr(Failed(), end, action);
      builder_.SetInsertPoint(action);
      Call("recoup_run_action", void_, {ptr_, i8_, i32_, i32_, i32_}, {run_, cause_code, I32(index), I32(k), day});
    }
    builder_.CreateBr(end);
    builder_.SetInsertPoint(end);
    Call("recoup_fire_end", void_, {ptr_}, {run_});
    // Fees, interest and write-offs change what is owed, so which invoices
    // are open; other actions do not (first firings are read from the steps).
    const std::vector<Action>& list = cause == CauseKind::Step ? policy_.steps[index].actions : policy_.stops[index].actions;
    bool moves_money = std::any_of(list.begin(), list.end(), [](const Action& action) {
      return action.kind == ActionKind::Fee || action.kind == ActionKind::Interest || action.kind == ActionKind::WriteOff;
    });
    if (moves_money) NewEpoch();
  }

  // run_stops(run, day) (section 10)
  llvm::Function* EmitRunStops() {
    llvm::Function* function = Begin("recoup_run_stops", void_, {i32_});
    llvm::Value* day = function->getArg(1);
    If(builder_.CreateICmpNE(LoadRun(offsetof(RunState, end_kind), i8_), I8(static_cast<std::uint8_t>(EndKind::None))),
       [&] { builder_.CreateRetVoid(); });
    llvm::Value* why = Slot(i8_);
    llvm::Value* detail = Slot(i32_);
    builder_.CreateStore(I8(0), why);
    builder_.CreateStore(NoDate(), detail);
    llvm::Value* active = Active(day, why, detail);
    If(builder_.CreateICmpEQ(active, I8(0)), [&] {
      llvm::Value* settled = builder_.CreateICmpEQ(builder_.CreateLoad(i8_, why), I8(static_cast<std::uint8_t>(Reason::SubjectSettled)));
      llvm::Value* ran = builder_.CreateICmpNE(LoadRun(offsetof(RunState, paid_stop_ran), i8_), I8(0));
      If(builder_.CreateOr(builder_.CreateNot(settled), ran), [&] { builder_.CreateRetVoid(); });
      StoreRun(offsetof(RunState, paid_stop_ran), I8(1));
      for (std::uint32_t index = 0; index < policy_.stops.size(); ++index) {
        const Stop& stop = policy_.stops[index];
        if (!stop.when_paid || stop.actions.empty()) continue;
        Fire(CauseKind::Stop, index, day, day, I64(0), Call("recoup_read_mark", i32_, {ptr_}, {run_}));
      }
      builder_.CreateRetVoid();
    });
    for (std::uint32_t index = 0; index < policy_.stops.size(); ++index) {
      const Stop& stop = policy_.stops[index];
      if (stop.when_paid || stop.condition == kNoId) continue;
      llvm::Value* first_read = Call("recoup_read_mark", i32_, {ptr_}, {run_});
      llvm::Value* holds = Evaluate(stop.condition, StopFunctionName(index), day);
      llvm::BasicBlock* fire = Block("stop_fires");
      llvm::BasicBlock* skip = Block("stop_holds_not");
      llvm::BasicBlock* after = Block("next_stop");
      builder_.CreateCondBr(builder_.CreateICmpEQ(holds, I32(1)), fire, skip);
      builder_.SetInsertPoint(skip);
      Call("recoup_jit_drop_reads", void_, {ptr_, i32_}, {run_, first_read});
      builder_.CreateBr(after);
      builder_.SetInsertPoint(fire);
      Fire(CauseKind::Stop, index, day, day, I64(0), first_read);
      StoreRun(offsetof(RunState, end_kind), I8(static_cast<std::uint8_t>(EndKind::Stopped)));
      StoreRun(offsetof(RunState, ended_on), day);
      builder_.CreateRetVoid();
      builder_.SetInsertPoint(after);
    }
    builder_.CreateRetVoid();
    return function;
  }

  // try_step_ID(run, day) -> i1: sections 4 to 6 for one step on one day.
  llvm::Function* EmitTryStep(StepId id) {
    const Step& step = policy_.steps[id];
    const Trigger& trigger = step.trigger;
    bool recurring = trigger.kind == TriggerKind::Every;
    llvm::Function* function = Begin("recoup_try_step_" + std::to_string(id), i1_, {i32_});
    llvm::Value* day = function->getArg(1);
    auto decided = [&] { builder_.CreateRet(builder_.getTrue()); };
    auto undecided = [&] { builder_.CreateRet(builder_.getFalse()); };
    auto set_done = [&] { StoreStep(id, offsetof(StepState, done), I8(1)); };

    llvm::Value* done = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0));
    llvm::Value* last = LoadStep(id, offsetof(StepState, last_decided), i32_);
    If(builder_.CreateOr(done, builder_.CreateICmpEQ(last, day)), undecided);

    llvm::Value* scheduled = Slot(i32_);
    llvm::Value* index = Slot(i64_);
    llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
    llvm::BasicBlock* waiting = Block("waiting");
    llvm::BasicBlock* locate = Block("locate");
    llvm::BasicBlock* chance = Block("chance");
    builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, locate);
    builder_.SetInsertPoint(waiting);
    builder_.CreateStore(waiting_since, scheduled);
    builder_.CreateStore(LoadStep(id, offsetof(StepState, waiting_occurrence), i64_), index);
    builder_.CreateBr(chance);

    builder_.SetInsertPoint(locate);
    Located located = Locate(id, day);
    If(builder_.CreateNot(IsKnown(located)), undecided);
    builder_.CreateStore(located.date, scheduled);
    builder_.CreateStore(located.index, index);
    llvm::Value* first_known = builder_.CreateICmpEQ(LoadStep(id, offsetof(StepState, date_known), i8_), I8(0));
    StoreStep(id, offsetof(StepState, date_known), I8(1));
    llvm::Value* customer = builder_.CreateICmpNE(LoadRun(offsetof(RunState, customer), i8_), I8(0));
    if (!recurring) {
      // An invoice subject's only account opens on the run's start day.
      llvm::Value* issue = LoadRun(offsetof(RunState, start), i32_);
      If(builder_.CreateAnd(builder_.CreateNot(customer), builder_.CreateICmpSLT(located.date, issue)), [&] {
        set_done();
        NotFired(id, located.date, Reason::BeforeIssue, DetailKind::Date, issue);
        decided();
      });
    }
    If(builder_.CreateICmpSLT(located.date, day), [&] {
      If(builder_.CreateOr(customer, builder_.CreateNot(first_known)), undecided);
      set_done();
      NotFired(id, located.date, Reason::DatePassed, DetailKind::Date, day);
      decided();
    });
    If(builder_.CreateICmpSGT(located.date, day), undecided);
    builder_.CreateBr(chance);

    builder_.SetInsertPoint(chance);
    llvm::Value* when = builder_.CreateLoad(i32_, scheduled);
    llvm::Value* fired_address = FieldAddress(StepAddress(id), offsetof(StepState, fired));
    if (recurring && trigger.max_times) {
      If(builder_.CreateICmpSGE(builder_.CreateLoad(i64_, fired_address), I64(*trigger.max_times)), [&] {
        set_done();
        NotFired(id, when, Reason::MaxReached, DetailKind::Integer, nullptr, *trigger.max_times);
        decided();
      });
    }
    if (recurring) {
      llvm::Value* until = Slot(i32_);
      llvm::Value* known = CallInternal(until_[id], {day, until});
      llvm::BasicBlock* check = Block("until_check");
      llvm::BasicBlock* after = Block("until_after");
      builder_.CreateCondBr(known, check, after);
      builder_.SetInsertPoint(check);
      llvm::Value* until_date = builder_.CreateLoad(i32_, until);
      If(builder_.CreateICmpSGE(day, until_date), [&] {
        set_done();
        StoreStep(id, offsetof(StepState, waiting_since), NoDate());
        NotFired(id, when, Reason::UntilReached, DetailKind::Date, until_date);
        decided();
      });
      builder_.CreateBr(after);
      builder_.SetInsertPoint(after);
    }
    llvm::Value* why = Slot(i8_);
    llvm::Value* ended = Slot(i32_);
    builder_.CreateStore(I8(static_cast<std::uint8_t>(Reason::SubjectSettled)), why);
    builder_.CreateStore(NoDate(), ended);
    llvm::Value* active = Active(day, why, ended);
    If(builder_.CreateICmpEQ(active, I8(0)), [&] {
      llvm::Value* end_kind = LoadRun(offsetof(RunState, end_kind), i8_);
      llvm::Value* is_customer = builder_.CreateICmpNE(LoadRun(offsetof(RunState, customer), i8_), I8(0));
      llvm::Value* final_end = recurring ? builder_.CreateOr(builder_.CreateICmpNE(end_kind, I8(0)),
                                                             builder_.CreateNot(is_customer))
                                         : builder_.getTrue();
      If(final_end, set_done);
      StoreStep(id, offsetof(StepState, waiting_since), NoDate());
      StoreStep(id, offsetof(StepState, last_decided), day);
      llvm::Value* ended_date = builder_.CreateLoad(i32_, ended);
      llvm::Value* kind = builder_.CreateSelect(builder_.CreateICmpEQ(ended_date, NoDate()),
                                                I8(static_cast<std::uint8_t>(DetailKind::None)),
                                                I8(static_cast<std::uint8_t>(DetailKind::Date)));
      NotFired(id, when, builder_.CreateLoad(i8_, why), kind, ended_date, I64(0));
      decided();
    });
    llvm::Value* pause_reason = Slot(i8_);
    builder_.CreateStore(I8(0), pause_reason);
    llvm::Value* pause = Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, day, pause_reason});
    If(builder_.CreateICmpEQ(pause, I8(static_cast<std::uint8_t>(PauseEffect::Skip))), [&] {
      if (!recurring) set_done();
      StoreStep(id, offsetof(StepState, waiting_since), NoDate());
      StoreStep(id, offsetof(StepState, last_decided), day);
      NotFired(id, when, I8(static_cast<std::uint8_t>(Reason::PauseSkipped)), builder_.CreateLoad(i8_, pause_reason),
               NoDate(), I64(0));
      decided();
    });
    If(builder_.CreateICmpEQ(pause, I8(static_cast<std::uint8_t>(PauseEffect::Defer))), [&] {
      llvm::Value* current = LoadStep(id, offsetof(StepState, waiting_since), i32_);
      If(builder_.CreateICmpEQ(current, NoDate()), [&] {
        StoreStep(id, offsetof(StepState, waiting_since), when);
        StoreStep(id, offsetof(StepState, waiting_occurrence), builder_.CreateLoad(i64_, index));
        Call("recoup_deferred", void_, {ptr_, i32_, i32_, i8_}, {run_, day, I32(id), builder_.CreateLoad(i8_, pause_reason)});
      });
      undecided();
    });
    StoreStep(id, offsetof(StepState, last_decided), day);
    StoreStep(id, offsetof(StepState, waiting_since), NoDate());
    llvm::Value* first_read = Call("recoup_read_mark", i32_, {ptr_}, {run_});
    if (step.guard != kNoId) {
      llvm::Value* passes = Evaluate(step.guard, GuardFunctionName(id), day);
      If(builder_.CreateICmpSLT(passes, I32(0)), undecided);
      If(builder_.CreateICmpEQ(passes, I32(0)), [&] {
        // After a run's first error (an earlier step's guard, this same
        // day), a false guard decides nothing: the run is unwinding (as
        // the interpreter engine; no not_fired record).
        If(Failed(), undecided);
        if (!recurring) set_done();
        If(Explaining(), [&] {
          Call("recoup_not_fired", void_, {ptr_, i8_, i32_, i32_, i8_, i8_, i32_, i64_, i32_},
               {run_, I8(static_cast<std::uint8_t>(CauseKind::Step)), I32(id), day,
                I8(static_cast<std::uint8_t>(Reason::GuardFalse)), I8(static_cast<std::uint8_t>(DetailKind::None)),
                NoDate(), I64(0), first_read});
        });
        decided();
      });
    }
    llvm::Value* fired = builder_.CreateAdd(builder_.CreateLoad(i64_, fired_address), I64(1));
    builder_.CreateStore(fired, fired_address);
    If(builder_.CreateICmpEQ(LoadStep(id, offsetof(StepState, first_fired), i32_), NoDate()),
       [&] { StoreStep(id, offsetof(StepState, first_fired), day); });
    Fire(CauseKind::Step, id, day, when, builder_.CreateLoad(i64_, index), first_read);
    if (!recurring) set_done();
    if (recurring && trigger.max_times) {
      If(builder_.CreateICmpSGE(builder_.CreateLoad(i64_, fired_address), I64(*trigger.max_times)), [&] {
        set_done();
        NotFired(id, day, Reason::MaxReached, DetailKind::Integer, nullptr, *trigger.max_times);
      });
    }
    decided();
    return function;
  }

  // run_steps(run, day): passes in source order until nothing changes.
  llvm::Function* EmitRunSteps() {
    llvm::Function* function = Begin("recoup_run_steps", void_, {i32_});
    llvm::Value* day = function->getArg(1);
    llvm::BasicBlock* loop = Block("pass");
    llvm::BasicBlock* exit = Block("exit");
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    If(Failed(), [&] { builder_.CreateRetVoid(); });
    llvm::Value* changed = builder_.getFalse();
    for (StepId id = 0; id < policy_.steps.size(); ++id) {
      changed = builder_.CreateOr(changed, CallInternal(try_step_[id], {day}));
    }
    builder_.CreateCondBr(changed, loop, exit);
    builder_.SetInsertPoint(exit);
    builder_.CreateRetVoid();
    return function;
  }

  // report_unfinished(run): section 15, what never fired, decided at the end.
  llvm::Function* EmitReportUnfinished() {
    llvm::Function* function = Begin("recoup_report_unfinished", void_, {});
    llvm::Value* first_new = Call("recoup_jit_not_fired_mark", i32_, {ptr_}, {run_});
    llvm::Value* horizon = LoadRun(offsetof(RunState, horizon), i32_);
    llvm::Value* after_horizon = builder_.CreateAdd(horizon, I32(1));
    for (StepId id = 0; id < policy_.steps.size(); ++id) {
      llvm::BasicBlock* next = Block("next_step");
      llvm::BasicBlock* open = Block("open");
      builder_.CreateCondBr(builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0)), next, open);
      builder_.SetInsertPoint(open);
      llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
      llvm::BasicBlock* waiting = Block("waiting");
      llvm::BasicBlock* other = Block("not_waiting");
      builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, other);
      builder_.SetInsertPoint(waiting);
      llvm::Value* reason = Slot(i8_);
      builder_.CreateStore(I8(0), reason);
      Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, horizon, reason});
      NotFired(id, waiting_since, I8(static_cast<std::uint8_t>(Reason::PausedUntilHorizon)), builder_.CreateLoad(i8_, reason),
               NoDate(), I64(0));
      builder_.CreateBr(next);

      builder_.SetInsertPoint(other);
      llvm::Value* fired = LoadStep(id, offsetof(StepState, fired), i64_);
      llvm::Value* last = LoadStep(id, offsetof(StepState, last_decided), i32_);
      llvm::BasicBlock* undecided = Block("undecided");
      builder_.CreateCondBr(builder_.CreateOr(builder_.CreateICmpSGT(fired, I64(0)), builder_.CreateICmpNE(last, NoDate())),
                            next, undecided);
      builder_.SetInsertPoint(undecided);
      llvm::Value* why = Slot(i8_);
      llvm::Value* ended = Slot(i32_);
      llvm::Value* ended_kind = Slot(i8_);
      builder_.CreateStore(I8(static_cast<std::uint8_t>(Reason::SubjectSettled)), why);
      builder_.CreateStore(NoDate(), ended);
      builder_.CreateStore(I8(static_cast<std::uint8_t>(DetailKind::None)), ended_kind);
      llvm::Value* active = Call("recoup_active", i8_, {ptr_, i32_, ptr_, ptr_}, {run_, horizon, why, ended});
      If(builder_.CreateICmpEQ(active, I8(0)), [&] {
        llvm::Value* ended_date = builder_.CreateLoad(i32_, ended);
        llvm::Value* kind = builder_.CreateSelect(builder_.CreateICmpEQ(ended_date, NoDate()),
                                                  I8(static_cast<std::uint8_t>(DetailKind::None)),
                                                  I8(static_cast<std::uint8_t>(DetailKind::Date)));
        builder_.CreateStore(kind, ended_kind);
        llvm::Value* why_now = builder_.CreateLoad(i8_, why);
        If(builder_.CreateICmpNE(why_now, I8(static_cast<std::uint8_t>(Reason::NoOpenInvoice))), [&] {
          NotFired(id, NoDate(), why_now, kind, ended_date, I64(0));
          builder_.CreateBr(next);
        });
      });
      Located located = Locate(id, after_horizon);
      auto ended_as_is = [&] {
        NotFired(id, NoDate(), builder_.CreateLoad(i8_, why), builder_.CreateLoad(i8_, ended_kind),
                 builder_.CreateLoad(i32_, ended), I64(0));
      };
      llvm::BasicBlock* known = Block("known");
      llvm::BasicBlock* waiting_step = Block("waiting_for_step");
      llvm::BasicBlock* no_promise = Block("no_promise");
      llvm::BasicBlock* waiting_promise = Block("waiting_for_promise");
      llvm::BasicBlock* no_open = Block("no_open_invoice");
      llvm::SwitchInst* choice = builder_.CreateSwitch(located.status, known, 4);
      choice->addCase(I8(static_cast<std::uint8_t>(DateStatus::WaitingForStep)), waiting_step);
      choice->addCase(I8(static_cast<std::uint8_t>(DateStatus::NoPromise)), no_promise);
      choice->addCase(I8(static_cast<std::uint8_t>(DateStatus::WaitingForPromise)), waiting_promise);
      choice->addCase(I8(static_cast<std::uint8_t>(DateStatus::NoOpenInvoice)), no_open);
      builder_.SetInsertPoint(waiting_step);
      NotFired(id, NoDate(), I8(static_cast<std::uint8_t>(Reason::AnchorNeverFired)),
               I8(static_cast<std::uint8_t>(DetailKind::StepName)), NoDate(), builder_.CreateZExt(located.waiting, i64_));
      Call("recoup_jit_set_related_step", void_, {ptr_, i32_}, {run_, located.waiting});
      builder_.CreateBr(next);
      builder_.SetInsertPoint(no_promise);
      NotFired(id, NoDate(), Reason::NoPromise);
      builder_.CreateBr(next);
      builder_.SetInsertPoint(waiting_promise);
      NotFired(id, NoDate(), Reason::AfterHorizon, DetailKind::PromiseAfterHorizon);
      builder_.CreateBr(next);
      builder_.SetInsertPoint(no_open);
      ended_as_is();
      builder_.CreateBr(next);
      builder_.SetInsertPoint(known);
      llvm::Value* first_date = located.date;
      if (policy_.steps[id].trigger.kind == TriggerKind::Every) {
        first_date = Locate(id, LoadRun(offsetof(RunState, start), i32_)).date;
      }
      llvm::BasicBlock* later = Block("after_horizon");
      llvm::BasicBlock* passed = Block("date_passed");
      builder_.CreateCondBr(builder_.CreateICmpSGT(first_date, horizon), later, passed);
      builder_.SetInsertPoint(later);
      NotFired(id, first_date, Reason::AfterHorizon, DetailKind::Date, horizon);
      builder_.CreateBr(next);
      builder_.SetInsertPoint(passed);
      NotFired(id, first_date, Reason::DatePassed);
      builder_.CreateBr(next);
      builder_.SetInsertPoint(next);
    }
    Call("recoup_jit_mark_decided_at_end", void_, {ptr_, i32_}, {run_, first_new});
    builder_.CreateRetVoid();
    return function;
  }

  // Section 2, items 1 and 2, on a day that may be a fact day: the day's
  // payments, disputes and promises, and whether the facts make it an event
  // day (a FactEvent stored in `fact_event`). With the payments in date
  // order, every payment dated on or before a visited day is applied by
  // then (payment dates are fact days, all visited), so the one at the
  // cursor says whether any is due today; the services run only on days
  // that have something for them.
  void ApplyFactsOf(llvm::Value* day, llvm::Value* fact_event) {
    auto ask = I8(static_cast<std::uint8_t>(FactEvent::AskService));
    llvm::Value* subject = LoadRun(offsetof(RunState, subject), ptr_);
    auto count = [&](std::size_t offset) { return builder_.CreateLoad(i32_, FieldAddress(subject, offset)); };
    llvm::Value* by_date = builder_.CreateICmpNE(LoadFrame(offsetof(DriveFrame, payments_by_date), i8_), I8(0));
    llvm::BasicBlock* cursor_path = Block("payments_by_date");
    llvm::BasicBlock* service_path = Block("payments_any_order");
    llvm::BasicBlock* applied = Block("payments_applied");
    builder_.CreateCondBr(by_date, cursor_path, service_path);

    builder_.SetInsertPoint(service_path);
    Call("recoup_apply_payments", void_, {ptr_, i32_}, {run_, day});
    NewEpoch();
    builder_.CreateStore(ask, fact_event);
    builder_.CreateBr(applied);

    builder_.SetInsertPoint(cursor_path);
    llvm::Value* payments = builder_.CreateLoad(ptr_, FieldAddress(subject, offsetof(abi::SubjectView, payments)));
    llvm::Value* payment_count = count(offsetof(abi::SubjectView, payment_count));
    auto date_at = [&](llvm::Value* cursor) {
      llvm::Value* at = builder_.CreateMul(builder_.CreateZExt(cursor, i64_), I64(sizeof(abi::PaymentView)));
      llvm::Value* address = builder_.CreateInBoundsGEP(i8_, payments, at);
      return builder_.CreateLoad(i32_, FieldAddress(address, offsetof(abi::PaymentView, date)));
    };
    // Whether the payment at the cursor exists and is dated on or before `day`.
    auto due_by_day = [&](llvm::Value* cursor) {
      llvm::BasicBlock* check = Block("payment_check");
      llvm::BasicBlock* none = Block("payment_none");
      llvm::BasicBlock* known = Block("payment_known");
      builder_.CreateCondBr(builder_.CreateICmpULT(cursor, payment_count), check, none);
      builder_.SetInsertPoint(check);
      llvm::Value* due = builder_.CreateICmpSLE(date_at(cursor), day);
      llvm::BasicBlock* check_end = builder_.GetInsertBlock();
      builder_.CreateBr(known);
      builder_.SetInsertPoint(none);
      builder_.CreateBr(known);
      builder_.SetInsertPoint(known);
      llvm::PHINode* result = builder_.CreatePHI(i1_, 2);
      result->addIncoming(due, check_end);
      result->addIncoming(builder_.getFalse(), none);
      return result;
    };
    llvm::Value* paid_today = due_by_day(LoadFrame(offsetof(DriveFrame, payment_cursor), i32_));
    If(paid_today, [&] {
      Call("recoup_apply_payments", void_, {ptr_, i32_}, {run_, day});
      NewEpoch();
      llvm::BasicBlock* loop = Block("cursor_advance");
      llvm::BasicBlock* body = Block("cursor_next");
      llvm::BasicBlock* exit = Block("cursor_done");
      builder_.CreateBr(loop);
      builder_.SetInsertPoint(loop);
      llvm::Value* cursor = LoadFrame(offsetof(DriveFrame, payment_cursor), i32_);
      builder_.CreateCondBr(due_by_day(cursor), body, exit);
      builder_.SetInsertPoint(body);
      StoreFrame(offsetof(DriveFrame, payment_cursor), builder_.CreateAdd(cursor, I32(1)));
      builder_.CreateBr(loop);
      builder_.SetInsertPoint(exit);
    });
    llvm::Value* horizon = builder_.CreateICmpEQ(day, LoadRun(offsetof(RunState, horizon), i32_));
    llvm::Value* disputes = builder_.CreateICmpNE(count(offsetof(abi::SubjectView, dispute_count)), I32(0));
    builder_.CreateStore(builder_.CreateSelect(builder_.CreateOr(paid_today, horizon),
                                               I8(static_cast<std::uint8_t>(FactEvent::Yes)),
                                               builder_.CreateSelect(disputes, ask, I8(static_cast<std::uint8_t>(FactEvent::No)))),
                         fact_event);
    builder_.CreateBr(applied);

    builder_.SetInsertPoint(applied);
    llvm::Value* others = builder_.CreateOr(count(offsetof(abi::SubjectView, dispute_count)),
                                            count(offsetof(abi::SubjectView, promise_count)));
    If(builder_.CreateICmpNE(others, I32(0)),
       [&] { Call("recoup_note_disputes_and_promises", void_, {ptr_, i32_}, {run_, day}); });
  }

  // recoup_drive(run): the wake-day loop, then the end of the run.
  void EmitDrive(llvm::Function* next_wake, llvm::Function* event_day, llvm::Function* stops, llvm::Function* steps,
                 llvm::Function* unfinished) {
    llvm::Function* function = Begin(kDriveFunctionName, void_, {}, /*exported=*/true);
    (void)function;
    frame_ = SlotBytes(sizeof(DriveFrame));
    StoreFrame(offsetof(DriveFrame, epoch), I64(0));
    StoreFrame(offsetof(DriveFrame, anchor_epoch), I64(-1));
    StoreFrame(offsetof(DriveFrame, anchor_day), NoDate());
    StoreFrame(offsetof(DriveFrame, anchor_invoice), I32(abi::kNoIndex));
    StoreFrame(offsetof(DriveFrame, fact_day), NoDate());
    StoreFrame(offsetof(DriveFrame, fact_next), NoDate());
    StoreFrame(offsetof(DriveFrame, fact_known), I8(0));
    StoreFrame(offsetof(DriveFrame, payments_by_date), Call("recoup_jit_payments_by_date", i8_, {ptr_}, {run_}));
    StoreFrame(offsetof(DriveFrame, payment_cursor), I32(0));
    StoreFrame(offsetof(DriveFrame, fact_cursor), I32(0));
    StoreFrame(offsetof(DriveFrame, fact_count),
               Call("recoup_jit_fact_days", i32_, {ptr_, ptr_, i32_},
                    {run_, FrameAddress(offsetof(DriveFrame, fact_days)), I32(kFactDayCapacity)}));
    llvm::Value* start = LoadRun(offsetof(RunState, start), i32_);
    llvm::BasicBlock* entry_end = builder_.GetInsertBlock();
    llvm::BasicBlock* loop = Block("day");
    llvm::BasicBlock* body = Block("run_day");
    llvm::BasicBlock* exit = Block("end");
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    llvm::PHINode* day = builder_.CreatePHI(i32_, 2);
    day->addIncoming(start, entry_end);
    llvm::Value* horizon = LoadRun(offsetof(RunState, horizon), i32_);
    llvm::Value* go_on = builder_.CreateAnd(
        builder_.CreateAnd(builder_.CreateICmpNE(day, NoDate()), builder_.CreateICmpSLE(day, horizon)),
        builder_.CreateNot(Failed()));
    builder_.CreateCondBr(go_on, body, exit);
    builder_.SetInsertPoint(body);
    StoreRun(offsetof(RunState, day_changed), I8(0));
    // On a day strictly between two fact days there is no payment, dispute
    // or promise to note, and without explain nothing to end.
    llvm::Value* fact_day = MayBeFactDay(day);
    llvm::Value* fact_event = Slot(i8_);
    builder_.CreateStore(I8(static_cast<std::uint8_t>(FactEvent::No)), fact_event);
    If(fact_day, [&] { ApplyFactsOf(day, fact_event); });
    llvm::BasicBlock* decide = Block("decide");
    llvm::BasicBlock* end_day = Block("end_day");
    builder_.CreateCondBr(ClosedForGoodWithoutExplain(day), end_day, decide);
    builder_.SetInsertPoint(decide);
    if (StopsMatter()) {
      If(CallInternal(event_day, {day, builder_.CreateLoad(i8_, fact_event)}), [&] { CallInternal(stops, {day}); });
    }
    CallInternal(steps, {day});
    builder_.CreateBr(end_day);
    builder_.SetInsertPoint(end_day);
    // It posts interest only on the horizon, the last day: no anchor moves.
    If(builder_.CreateOr(fact_day, Explaining()), [&] { Call("recoup_end_day", void_, {ptr_, i32_}, {run_, day}); });
    llvm::Value* next = CallInternal(next_wake, {day});
    day->addIncoming(next, builder_.GetInsertBlock());
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(exit);
    If(Failed(), [&] { builder_.CreateRetVoid(); });
    If(Explaining(), [&] { CallInternal(unfinished, {}); });
    Call("recoup_finish", void_, {ptr_}, {run_});
    builder_.CreateRetVoid();
  }

  const PolicyIr& policy_;
  llvm::Module& module_;
  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::Type *i1_, *i8_, *i32_, *i64_, *ptr_, *void_;
  llvm::Function* function_ = nullptr;
  llvm::Value* run_ = nullptr;
  llvm::Value* frame_ = nullptr;  // the DriveFrame (an argument, or recoup_drive's own)
  std::vector<llvm::Function*> locate_, until_, try_step_;
};

}  // namespace

std::optional<std::string> EmitDriver(const PolicyIr& policy, llvm::Module& module) {
  DriverEmitter(policy, module).Emit();
  return std::nullopt;
}

}  // namespace recoup::compiler::jit
