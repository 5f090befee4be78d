// The generated driver's steps and stop rules: each step's date
// (recoup_locate_N, recoup_until_N), its state machine (recoup_try_step_N),
// guards and stop conditions, firings and their actions, and the report of
// what never fired (driver_emitter.h).
#include "compiler/jit/driver_emitter.h"

namespace recoup::compiler::jit::driver {

// locate_ID(run, day, ptr status, ptr date, ptr index, ptr waiting)
llvm::Function* DriverEmitter::EmitLocate(StepId id) {
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
    llvm::Value* steps =
        builder_.CreateSDiv(builder_.CreateAdd(distance, I64(trigger.period.count - 1)), I64(trigger.period.count));
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
  llvm::Value* more =
      builder_.CreateAnd(builder_.CreateICmpSLT(date, day), builder_.CreateICmpSLT(current, I64(kMaxOccurrenceSearch)));
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

Located DriverEmitter::Locate(StepId id, llvm::Value* day) {
  llvm::Value* status = Slot(i8_);
  llvm::Value* date = Slot(i32_);
  llvm::Value* index = Slot(i64_);
  llvm::Value* waiting = Slot(i32_);
  CallInternal(locate_[id], {day, status, date, index, waiting});
  return {builder_.CreateLoad(i8_, status), builder_.CreateLoad(i32_, date), builder_.CreateLoad(i64_, index),
          builder_.CreateLoad(i32_, waiting)};
}

bool DriverEmitter::DatedStep(StepId id) const {
  if (Customer()) return false;
  const compiler::Anchor& anchor = policy_.anchor(policy_.steps[id].trigger.anchor);
  if (anchor.base != AnchorBase::Due && anchor.base != AnchorBase::Issue && anchor.base != AnchorBase::Step) {
    return false;
  }
  return std::none_of(anchor.offsets.begin(), anchor.offsets.end(),
                      [](const Offset& offset) { return offset.duration.unit == DurationUnit::BusinessDays; });
}

Located DriverEmitter::LocateDated(StepId id, llvm::Value* day) {
  bool at = policy_.steps[id].trigger.kind == TriggerKind::At;
  if (at && DatedStep(id)) {
    AnchorValue anchor = Anchor(policy_.steps[id].trigger.anchor, day);
    return {anchor.status, anchor.date, I64(0), anchor.waiting};
  }
  if (!at || !HasChances() || !Settles(id)) return Locate(id, day);
  // An `at` step whose fixed anchor has business days or an end of month:
  // its date, once known, is final (the interpreter engine's fixed_date_),
  // so recoup_locate_N (and recoup_shift in it) runs until it is known.
  llvm::Value* fixed_address = FrameAddress(FixedDateOffset(id));
  llvm::Value* status = Slot(i8_);
  llvm::Value* date = Slot(i32_);
  llvm::Value* waiting = Slot(i32_);
  llvm::Value* fixed = builder_.CreateLoad(i32_, fixed_address);
  builder_.CreateStore(I8(static_cast<std::uint8_t>(DateStatus::Known)), status);
  builder_.CreateStore(fixed, date);
  builder_.CreateStore(I32(kNoId), waiting);
  If(builder_.CreateICmpEQ(fixed, NoDate()), [&] {
    Located located = Locate(id, day);
    builder_.CreateStore(located.status, status);
    builder_.CreateStore(located.date, date);
    builder_.CreateStore(located.waiting, waiting);
    If(IsKnown(located), [&] { builder_.CreateStore(located.date, fixed_address); });
  });
  return {builder_.CreateLoad(i8_, status), builder_.CreateLoad(i32_, date), I64(0), builder_.CreateLoad(i32_, waiting)};
}

llvm::Value* DriverEmitter::MayDecide(StepId id, llvm::Value* day) {
  if (!DatedStep(id)) return builder_.getTrue();
  llvm::Value* waiting = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, waiting_since), i32_), NoDate());
  AnchorValue anchor = Anchor(policy_.steps[id].trigger.anchor, day);
  llvm::Value* come = builder_.CreateAnd(
      builder_.CreateICmpEQ(anchor.status, I8(static_cast<std::uint8_t>(DateStatus::Known))),
      builder_.CreateICmpSGE(day, anchor.date));
  return builder_.CreateOr(waiting, come);
}

// until_ID(run, day, ptr until) -> i1: a recurring step's `until` date, when known.
llvm::Function* DriverEmitter::EmitUntil(StepId id) {
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

// 1 true, 0 false, -1 failed (as recoup_evaluate). Explaining, the
// engine's evaluator runs, since it records what the guard read. Otherwise
// the natively compiled `function` runs on the guard context; when it
// reports a failure (overflow, an unreadable attribute...),
// recoup_evaluate runs the same expression again to record the error in
// the engine's words.
llvm::Value* DriverEmitter::Evaluate(ExpressionId expression, const std::string& function_name, llvm::Value* day) {
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
  llvm::Value* attributes =
      SlotBytes(std::max<std::size_t>(1, policy_.attributes.size()) * sizeof(RecoupAttributeValue));
  llvm::Value* filled = Call("recoup_jit_expression_inputs_of", i32_, {ptr_, i32_, i32_, ptr_, ptr_},
                             {run_, day, AnchorAccount(day), inputs, attributes});
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

// Sections 7 to 12: a step or stop rule fires; its actions in order.
void DriverEmitter::Fire(CauseKind cause, std::uint32_t index, llvm::Value* day, llvm::Value* scheduled,
                         llvm::Value* occurrence, llvm::Value* first_read) {
  std::size_t actions =
      cause == CauseKind::Step ? policy_.steps[index].actions.size() : policy_.stops[index].actions.size();
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
  const std::vector<Action>& list =
      cause == CauseKind::Step ? policy_.steps[index].actions : policy_.stops[index].actions;
  bool moves_money = std::any_of(list.begin(), list.end(), [](const Action& action) {
    return action.kind == ActionKind::Fee || action.kind == ActionKind::Interest || action.kind == ActionKind::WriteOff;
  });
  if (moves_money) NewEpoch();
}

// run_stops(run, day) (section 10)
llvm::Function* DriverEmitter::EmitRunStops() {
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
    llvm::Value* settled =
        builder_.CreateICmpEQ(builder_.CreateLoad(i8_, why), I8(static_cast<std::uint8_t>(Reason::SubjectSettled)));
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

// try_step_ID(run, day) -> i1: sections 4 to 6 for one step on one day:
// whether its date has come, here; what it then decides, by the service.
llvm::Function* DriverEmitter::EmitTryStep(StepId id) {
  llvm::Function* function = Begin("recoup_try_step_" + std::to_string(id), i1_, {i32_});
  llvm::Value* day = function->getArg(1);
  auto undecided = [&] { builder_.CreateRet(builder_.getFalse()); };

  llvm::Value* done = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0));
  llvm::Value* last = LoadStep(id, offsetof(StepState, last_decided), i32_);
  If(builder_.CreateOr(done, builder_.CreateICmpEQ(last, day)), undecided);

  llvm::Value* scheduled = Slot(i32_);
  llvm::Value* index = Slot(i64_);
  llvm::Value* checks = Slot(i8_);  // recoup_jit_decide_step's `checks`
  llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
  llvm::BasicBlock* waiting = Block("waiting");
  llvm::BasicBlock* locate = Block("locate");
  llvm::BasicBlock* chance = Block("chance");
  builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, locate);
  builder_.SetInsertPoint(waiting);
  builder_.CreateStore(waiting_since, scheduled);
  builder_.CreateStore(LoadStep(id, offsetof(StepState, waiting_occurrence), i64_), index);
  builder_.CreateStore(I8(0), checks);
  builder_.CreateBr(chance);

  builder_.SetInsertPoint(locate);
  Located located = LocateDated(id, day);
  If(builder_.CreateNot(IsKnown(located)), undecided);
  builder_.CreateStore(located.date, scheduled);
  builder_.CreateStore(located.index, index);
  llvm::Value* first_known = builder_.CreateICmpEQ(LoadStep(id, offsetof(StepState, date_known), i8_), I8(0));
  StoreStep(id, offsetof(StepState, date_known), I8(1));
  // Not yet: nothing to decide. A customer's date that passed is not
  // decided either (its anchor moves with payments); an invoice subject's
  // (passed, or before the invoice was issued) is decided once, by the
  // service.
  If(Customer() ? builder_.CreateICmpNE(located.date, day) : builder_.CreateICmpSGT(located.date, day), undecided);
  builder_.CreateStore(builder_.CreateSelect(first_known, I8(kDecideLocated | kDecideFirstKnown), I8(kDecideLocated)),
                       checks);
  builder_.CreateBr(chance);

  // What it decides now (a date passed, max, until, open, pauses, the
  // guard, the firing) runs at most a few times a run: a service, not code
  // of every policy.
  builder_.SetInsertPoint(chance);
  llvm::Value* decides =
      Call("recoup_jit_decide_step", i8_, {ptr_, ptr_, i32_, i32_, i32_, i64_, i8_, ptr_},
           {run_, frame_, I32(id), day, builder_.CreateLoad(i32_, scheduled), builder_.CreateLoad(i64_, index),
            builder_.CreateLoad(i8_, checks), GuardPointer(id)});
  builder_.CreateRet(builder_.CreateICmpNE(decides, I8(0)));
  return function;
}

// run_steps(run, day): passes in source order until nothing changes. As
// the interpreter engine, an invoice subject's step is tried only from its
// next chance (none before the earliest: no pass at all), and another pass
// runs only when a date moved (a step others count from first fired, the
// subject was placed or ended). A step whose date is inline (DatedStep) is
// moreover tried only once its date has come (MayDecide); the check is
// made when its turn in the pass comes, so a step counting from one that
// fired earlier in the pass sees that firing.
llvm::Function* DriverEmitter::EmitRunSteps() {
  llvm::Function* function = Begin("recoup_run_steps", void_, {i32_});
  llvm::Value* day = function->getArg(1);
  llvm::Value* changed = Slot(i1_);
  if (HasChances()) {
    If(builder_.CreateICmpSGT(LoadFrame(offsetof(DriveFrame, earliest_chance), i32_), day),
       [&] { builder_.CreateRetVoid(); });
  }
  llvm::BasicBlock* loop = Block("pass");
  llvm::BasicBlock* exit = Block("exit");
  builder_.CreateBr(loop);
  builder_.SetInsertPoint(loop);
  If(Failed(), [&] { builder_.CreateRetVoid(); });
  builder_.CreateStore(builder_.getFalse(), changed);
  llvm::Value* end_kind = nullptr;
  llvm::Value* placed_on = nullptr;
  if (HasChances()) {
    StoreFrame(offsetof(DriveFrame, dates_moved), I8(0));
    end_kind = LoadRun(offsetof(RunState, end_kind), i8_);
    placed_on = LoadRun(offsetof(RunState, placed_on), i32_);
  }
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    auto try_step = [&] {
      llvm::Value* decided = CallInternal(try_step_[id], {day});
      builder_.CreateStore(builder_.CreateOr(builder_.CreateLoad(i1_, changed), decided), changed);
    };
    auto may_decide = [&] {
      if (DatedStep(id)) {
        If(MayDecide(id, day), try_step);
      } else {
        try_step();
      }
    };
    if (HasChances()) {
      // Nothing to decide before its chance; tried, the chance is worked out again.
      If(builder_.CreateICmpSLE(LoadChance(id), day), [&] {
        StoreChance(id, I32(kChanceUnknown));
        may_decide();
      });
    } else {
      may_decide();
    }
  }
  llvm::Value* again = builder_.CreateLoad(i1_, changed);
  if (HasChances()) {
    llvm::Value* moved = builder_.CreateOr(
        builder_.CreateICmpNE(LoadFrame(offsetof(DriveFrame, dates_moved), i8_), I8(0)),
        builder_.CreateOr(builder_.CreateICmpNE(LoadRun(offsetof(RunState, end_kind), i8_), end_kind),
                          builder_.CreateICmpNE(LoadRun(offsetof(RunState, placed_on), i32_), placed_on)));
    again = builder_.CreateAnd(again, moved);
  }
  builder_.CreateCondBr(again, loop, exit);
  builder_.SetInsertPoint(exit);
  builder_.CreateRetVoid();
  return function;
}

// Step `id`'s compiled guard (null when it has none or it is not compiled).
llvm::Value* DriverEmitter::GuardPointer(StepId id) {
  llvm::Function* guard =
      policy_.steps[id].guard == kNoId ? nullptr : module_.getFunction(GuardFunctionName(id));
  if (guard == nullptr) return llvm::ConstantPointerNull::get(llvm::PointerType::get(context_, 0));
  return guard;
}

// The steps' recoup_locate_N in step order, as a constant table (the
// report of what never fired looks each step's date up through it).
llvm::Value* DriverEmitter::LocateTable() {
  if (locate_.empty()) return llvm::ConstantPointerNull::get(llvm::PointerType::get(context_, 0));
  auto* table_type = llvm::ArrayType::get(ptr_, locate_.size());
  std::vector<llvm::Constant*> entries(locate_.begin(), locate_.end());
  return new llvm::GlobalVariable(module_, table_type, true, llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantArray::get(table_type, entries), "recoup_locate_table");
}

}  // namespace recoup::compiler::jit::driver
