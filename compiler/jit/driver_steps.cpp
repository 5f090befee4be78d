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
  llvm::Value* fixed_address =
      builder_.CreateConstInBoundsGEP1_64(i32_, LoadFrame(offsetof(DriveFrame, fixed_date), ptr_), id);
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

// try_step_ID(run, day) -> i1: sections 4 to 6 for one step on one day.
llvm::Function* DriverEmitter::EmitTryStep(StepId id) {
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
  Located located = LocateDated(id, day);
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
    llvm::Value* final_end =
        recurring ? builder_.CreateOr(builder_.CreateICmpNE(end_kind, I8(0)), builder_.CreateNot(is_customer))
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
  // Without pauses recoup_pause_on always says none: not asked.
  llvm::Value* pause_reason = Slot(i8_);
  builder_.CreateStore(I8(0), pause_reason);
  llvm::Value* pause = policy_.pauses.empty()
                           ? I8(static_cast<std::uint8_t>(PauseEffect::None))
                           : Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, day, pause_reason});
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
      Call("recoup_deferred", void_, {ptr_, i32_, i32_, i8_},
           {run_, day, I32(id), builder_.CreateLoad(i8_, pause_reason)});
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
  If(builder_.CreateICmpEQ(LoadStep(id, offsetof(StepState, first_fired), i32_), NoDate()), [&] {
    StoreStep(id, offsetof(StepState, first_fired), day);
    if (HasChances() && tables_->step_has_dependents[id]) {
      // Dates counting from it are known now: every chance is worked out again.
      StoreFrame(offsetof(DriveFrame, dates_moved), I8(1));
      ForgetChances();
    }
  });
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

// Locate for a step known only at run time: its recoup_locate_N from a
// constant table (the report of what never fired loops over the steps).
Located DriverEmitter::LocateAt(llvm::Value* id, llvm::Value* day) {
  auto* table_type = llvm::ArrayType::get(ptr_, locate_.size());
  std::vector<llvm::Constant*> entries(locate_.begin(), locate_.end());
  llvm::GlobalVariable* table = module_.getGlobalVariable("recoup_locate_table", true);
  if (table == nullptr) {
    table = new llvm::GlobalVariable(module_, table_type, true, llvm::GlobalValue::PrivateLinkage,
                                     llvm::ConstantArray::get(table_type, entries), "recoup_locate_table");
  }
  llvm::Value* entry = builder_.CreateInBoundsGEP(table_type, table, {I64(0), builder_.CreateZExt(id, i64_)});
  llvm::Value* callee = builder_.CreateLoad(ptr_, entry);
  llvm::Value* status = Slot(i8_);
  llvm::Value* date = Slot(i32_);
  llvm::Value* index = Slot(i64_);
  llvm::Value* waiting = Slot(i32_);
  builder_.CreateCall(locate_.front()->getFunctionType(), callee, {run_, day, status, date, index, waiting, frame_});
  return {builder_.CreateLoad(i8_, status), builder_.CreateLoad(i32_, date), builder_.CreateLoad(i64_, index),
          builder_.CreateLoad(i32_, waiting)};
}

// report_unfinished(run): section 15, what never fired, decided at the end.
// It runs once per explained run, so it is a loop over the steps (their
// locate functions and trigger kinds from constant tables) rather than
// unrolled: a smaller module compiles faster.
llvm::Function* DriverEmitter::EmitReportUnfinished() {
  llvm::Function* function = Begin("recoup_report_unfinished", void_, {});
  llvm::Value* first_new = Call("recoup_jit_not_fired_mark", i32_, {ptr_}, {run_});
  llvm::Value* horizon = LoadRun(offsetof(RunState, horizon), i32_);
  llvm::Value* after_horizon = builder_.CreateAdd(horizon, I32(1));
  if (policy_.steps.empty()) {
    Call("recoup_jit_mark_decided_at_end", void_, {ptr_, i32_}, {run_, first_new});
    builder_.CreateRetVoid();
    return function;
  }
  std::vector<llvm::Constant*> every;
  for (const Step& step : policy_.steps) every.push_back(I8(step.trigger.kind == TriggerKind::Every ? 1 : 0));
  auto* every_type = llvm::ArrayType::get(i8_, every.size());
  auto* every_table = new llvm::GlobalVariable(module_, every_type, true, llvm::GlobalValue::PrivateLinkage,
                                               llvm::ConstantArray::get(every_type, every), "recoup_every_table");
  llvm::BasicBlock* entry_end = builder_.GetInsertBlock();
  llvm::BasicBlock* loop = Block("step");
  llvm::BasicBlock* body = Block("step_body");
  llvm::BasicBlock* next = Block("next_step");
  llvm::BasicBlock* exit = Block("steps_done");
  builder_.CreateBr(loop);
  builder_.SetInsertPoint(loop);
  llvm::PHINode* id = builder_.CreatePHI(i32_, 2);
  id->addIncoming(I32(0), entry_end);
  builder_.CreateCondBr(builder_.CreateICmpULT(id, I32(policy_.steps.size())), body, exit);
  builder_.SetInsertPoint(body);
  {
    llvm::BasicBlock* open = Block("open");
    builder_.CreateCondBr(builder_.CreateICmpNE(LoadStepAt(id, offsetof(StepState, done), i8_), I8(0)), next, open);
    builder_.SetInsertPoint(open);
    llvm::Value* waiting_since = LoadStepAt(id, offsetof(StepState, waiting_since), i32_);
    llvm::BasicBlock* waiting = Block("waiting");
    llvm::BasicBlock* other = Block("not_waiting");
    builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting, other);
    builder_.SetInsertPoint(waiting);
    llvm::Value* reason = Slot(i8_);
    builder_.CreateStore(I8(0), reason);
    Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, horizon, reason});
    NotFired(id, waiting_since, I8(static_cast<std::uint8_t>(Reason::PausedUntilHorizon)),
             builder_.CreateLoad(i8_, reason), NoDate(), I64(0));
    builder_.CreateBr(next);

    builder_.SetInsertPoint(other);
    llvm::Value* fired = LoadStepAt(id, offsetof(StepState, fired), i64_);
    llvm::Value* last = LoadStepAt(id, offsetof(StepState, last_decided), i32_);
    llvm::BasicBlock* undecided = Block("undecided");
    builder_.CreateCondBr(
        builder_.CreateOr(builder_.CreateICmpSGT(fired, I64(0)), builder_.CreateICmpNE(last, NoDate())), next,
        undecided);
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
    Located located = LocateAt(id, after_horizon);
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
    NotFired(id, NoDate(), builder_.CreateLoad(i8_, why), builder_.CreateLoad(i8_, ended_kind),
             builder_.CreateLoad(i32_, ended), I64(0));
    builder_.CreateBr(next);
    builder_.SetInsertPoint(known);
    // A recurring step's first occurrence is the one the report names.
    llvm::Value* first_date = Slot(i32_);
    builder_.CreateStore(located.date, first_date);
    llvm::Value* every_entry = builder_.CreateInBoundsGEP(every_type, every_table, {I64(0), builder_.CreateZExt(id, i64_)});
    If(builder_.CreateICmpNE(builder_.CreateLoad(i8_, every_entry), I8(0)), [&] {
      builder_.CreateStore(LocateAt(id, LoadRun(offsetof(RunState, start), i32_)).date, first_date);
    });
    llvm::Value* first = builder_.CreateLoad(i32_, first_date);
    llvm::BasicBlock* later = Block("after_horizon");
    llvm::BasicBlock* passed = Block("date_passed");
    builder_.CreateCondBr(builder_.CreateICmpSGT(first, horizon), later, passed);
    builder_.SetInsertPoint(later);
    NotFired(id, first, Reason::AfterHorizon, DetailKind::Date, horizon);
    builder_.CreateBr(next);
    builder_.SetInsertPoint(passed);
    NotFired(id, first, Reason::DatePassed);
    builder_.CreateBr(next);
  }
  builder_.SetInsertPoint(next);
  id->addIncoming(builder_.CreateAdd(id, I32(1)), next);
  builder_.CreateBr(loop);
  builder_.SetInsertPoint(exit);
  Call("recoup_jit_mark_decided_at_end", void_, {ptr_, i32_}, {run_, first_new});
  builder_.CreateRetVoid();
  return function;
}

}  // namespace recoup::compiler::jit::driver
