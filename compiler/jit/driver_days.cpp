// The generated driver's wake-day loop (recoup_drive): the run's fact days,
// the facts of a day (payments through a cursor, disputes, promises), the
// anchors and the anchor invoice, whether the subject is open, the next
// wake day and whether a day is an event day (driver_emitter.h).
#include "compiler/jit/driver_emitter.h"

namespace recoup::compiler::jit::driver {

// The anchor invoice and its account on `day` (recoup_jit_anchor_account,
// as recoup_anchor_invoice), computed once per (day, epoch); a customer's
// accounts closed for good are skipped when nothing adds to what is owed.
void DriverEmitter::RefreshAnchor(llvm::Value* day) {
  // An invoice subject's anchor is its own invoice on every day: set once
  // when the run starts (EmitDrive).
  if (!Customer()) return;
  llvm::Value* epoch = LoadFrame(offsetof(DriveFrame, epoch), i64_);
  llvm::Value* fresh =
      builder_.CreateAnd(builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_day), i32_), day),
                         builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_epoch), i64_), epoch));
  If(builder_.CreateNot(fresh),
     [&] { Call("recoup_jit_refresh_anchor", void_, {ptr_, ptr_, i32_}, {run_, frame_, day}); });
}

// The invoice (index into SubjectView::invoices) the due/issue anchors
// read on `day`, kNoIndex when none is open.
llvm::Value* DriverEmitter::AnchorInvoice(llvm::Value* day) {
  RefreshAnchor(day);
  return LoadFrame(offsetof(DriveFrame, anchor_invoice), i32_);
}

// Its account (an index into the run's accounts).
llvm::Value* DriverEmitter::AnchorAccount(llvm::Value* day) {
  RefreshAnchor(day);
  return LoadFrame(offsetof(DriveFrame, anchor_account), i32_);
}

// A field of invoice `invoice` of the subject (engine_abi.h's InvoiceView).
llvm::Value* DriverEmitter::InvoiceField(llvm::Value* invoice, std::size_t offset) {
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
llvm::Value* DriverEmitter::Active(llvm::Value* day, llvm::Value* why, llvm::Value* detail) {
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

DriverEmitter::AnchorValue DriverEmitter::Anchor(AnchorId id, llvm::Value* day) {
  const compiler::Anchor& anchor = policy_.anchor(id);
  bool calendar_only = true;
  std::int32_t calendar_days = 0;
  for (const Offset& offset : anchor.offsets) {
    if (offset.duration.unit == DurationUnit::BusinessDays) calendar_only = false;
    calendar_days += offset.duration.count;
  }
  if (!Customer() && calendar_only && (anchor.base == AnchorBase::Due || anchor.base == AnchorBase::Issue)) {
    // An invoice subject's invoice: its dates from the frame, without a
    // branch (what the optimiser and the code generator work on shrinks
    // with every step's anchor).
    llvm::Value* none = builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_invoice), i32_),
                                              I32(abi::kNoIndex));
    llvm::Value* base = LoadFrame(anchor.base == AnchorBase::Due ? offsetof(DriveFrame, anchor_due)
                                                                 : offsetof(DriveFrame, anchor_issue),
                                  i32_);
    if (calendar_days != 0) base = builder_.CreateAdd(base, I32(calendar_days));
    return {builder_.CreateSelect(none, I8(static_cast<std::uint8_t>(DateStatus::NoOpenInvoice)),
                                  I8(static_cast<std::uint8_t>(DateStatus::Known))),
            builder_.CreateSelect(none, I32(0), base), I32(kNoId)};
  }
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
llvm::Value* DriverEmitter::Shift(llvm::Value* date, Duration duration, llvm::Value* times) {
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

// Without explain, a subject no step or stop rule can fire on any more
// only has its facts left (engine_driver.cpp, ClosedForGood).
llvm::Value* DriverEmitter::ClosedForGoodWithoutExplain(llvm::Value* day) {
  llvm::Value* closed = builder_.CreateICmpNE(LoadRun(offsetof(RunState, end_kind), i8_), I8(0));
  if (!Customer()) {
    // An invoice subject that was settled (nothing but a firing makes it
    // owe again) once its `stop when paid` actions ran, unless they made
    // it owe again (a fee charged when paid). Asked in that order, each
    // only when the ones before say yes (as the interpreter engine's
    // ClosedForGood), and the services only when the frame does not know
    // the answer: most days the invoice is open, and it was found so in
    // the same epoch.
    llvm::Value* result = Slot(i1_);
    llvm::BasicBlock* known = Block("closed_known");
    llvm::BasicBlock* check_open = Block("closed_check_open");
    llvm::BasicBlock* ask = Block("closed_ask");
    builder_.CreateStore(closed, result);
    builder_.CreateCondBr(closed, known, check_open);
    builder_.SetInsertPoint(check_open);
    llvm::Value* epoch = LoadFrame(offsetof(DriveFrame, epoch), i64_);
    builder_.CreateStore(builder_.getFalse(), result);
    llvm::Value* known_open = builder_.CreateICmpEQ(epoch, LoadFrame(offsetof(DriveFrame, open_epoch), i64_));
    if (HasInterest()) {
      builder_.CreateCondBr(known_open, known, ask);
    } else {
      llvm::BasicBlock* check_closed = Block("closed_check_closed");
      builder_.CreateCondBr(known_open, known, check_closed);
      builder_.SetInsertPoint(check_closed);
      builder_.CreateStore(builder_.getTrue(), result);
      builder_.CreateCondBr(builder_.CreateICmpEQ(epoch, LoadFrame(offsetof(DriveFrame, closed_epoch), i64_)), known,
                            ask);
    }
    builder_.SetInsertPoint(ask);
    builder_.CreateStore(builder_.getFalse(), result);
    llvm::Value* settled = builder_.CreateICmpNE(Call("recoup_jit_first_settled_on", i32_, {ptr_}, {run_}), NoDate());
    If(builder_.CreateNot(settled), [&] { StoreFrame(offsetof(DriveFrame, open_epoch), epoch); });
    llvm::Value* paid_done = tables_->has_paid_stop_actions
                                 ? builder_.CreateICmpNE(LoadRun(offsetof(RunState, paid_stop_ran), i8_), I8(0))
                                 : builder_.getTrue();
    If(builder_.CreateAnd(settled, paid_done), [&] {
      llvm::Value* owes = builder_.CreateICmpNE(Call("recoup_jit_first_owes", i8_, {ptr_, i32_}, {run_, day}), I8(0));
      builder_.CreateStore(builder_.CreateNot(owes), result);
      if (!HasInterest()) {
        If(builder_.CreateNot(owes), [&] { StoreFrame(offsetof(DriveFrame, closed_epoch), epoch); });
      }
    });
    builder_.CreateBr(known);
    builder_.SetInsertPoint(known);
    closed = builder_.CreateLoad(i1_, result);
  }
  return builder_.CreateAnd(builder_.CreateNot(Explaining()), closed);
}

// With the fact days listed: the first one on or after `day` (kNoDate
// when none), moving the cursor there; days only grow during a run.
llvm::Value* DriverEmitter::FirstFactDayFrom(llvm::Value* day, bool strictly_after) {
  llvm::Value* count = LoadFrame(offsetof(DriveFrame, fact_count), i32_);
  auto at = [&](llvm::Value* cursor) { return FactEntryField(cursor, offsetof(FactDays::Entry, day), i32_); };
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
  builder_.CreateCondBr(strictly_after ? builder_.CreateICmpSLE(fact, day) : builder_.CreateICmpSLT(fact, day), step,
                        exit);
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

// A field of fact-day entry `cursor`.
llvm::Value* DriverEmitter::FactEntryField(llvm::Value* cursor, std::size_t offset, llvm::Type* type) {
  llvm::Value* days = LoadFrame(offsetof(DriveFrame, fact_days), ptr_);
  llvm::Value* at = builder_.CreateMul(builder_.CreateZExt(cursor, i64_), I64(sizeof(FactDays::Entry)));
  return builder_.CreateLoad(type, FieldAddress(builder_.CreateInBoundsGEP(i8_, days, at), offset));
}

// Every chance forgotten (a step others count from first fired).
void DriverEmitter::ForgetChances() {
  for (StepId id = 0; id < policy_.steps.size(); ++id) StoreChance(id, I32(kChanceUnknown));
}

// The smallest chance, into DriveFrame::earliest_chance.
void DriverEmitter::NoteEarliestChance() {
  llvm::Value* earliest = I32(kChanceNever);
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    llvm::Value* chance = LoadChance(id);
    earliest = builder_.CreateSelect(builder_.CreateICmpSLT(chance, earliest), chance, earliest);
  }
  StoreFrame(offsetof(DriveFrame, earliest_chance), earliest);
}

// The run's first chances (the interpreter engine's KnowPlainAnchors): a
// plain step (its anchor the invoice's due or issue date plus calendar
// days) dated after the start is not tried before its date.
void DriverEmitter::KnowPlainAnchors() {
  for (StepId id = 0; id < policy_.steps.size(); ++id) StoreChance(id, I32(kChanceUnknown));
  if (tables_->plain_steps.empty()) return;
  llvm::Value* due = LoadFrame(offsetof(DriveFrame, anchor_due), i32_);
  llvm::Value* issue = LoadFrame(offsetof(DriveFrame, anchor_issue), i32_);
  llvm::Value* start = LoadRun(offsetof(RunState, start), i32_);
  for (const abi::RunPolicy::PlainStep& plain : tables_->plain_steps) {
    llvm::Value* date = builder_.CreateAdd(plain.due ? due : issue, I32(plain.calendar_days));
    StoreChance(plain.step, builder_.CreateSelect(builder_.CreateICmpSGT(date, start), date, I32(kChanceUnknown)));
  }
}

// next_wake_day(run, day) -> i32
llvm::Function* DriverEmitter::EmitNextWakeDay() {
  llvm::Function* function = Begin("recoup_next_wake_day", i32_, {i32_});
  llvm::Value* day = function->getArg(1);
  llvm::Value* next = Slot(i32_);
  builder_.CreateStore(NextFactDay(day), next);
  // Not worked out on the early returns: run_steps looks at every chance.
  auto chances_unknown = [&] {
    if (HasChances()) StoreFrame(offsetof(DriveFrame, earliest_chance), I32(kChanceUnknown));
  };
  If(ClosedForGoodWithoutExplain(day), [&] {
    chances_unknown();
    if (!HasInterest()) {
      // Once closed for good, the horizon changes nothing when no payment,
      // dispute, promise or probe falls on it and no interest accrues (the
      // interpreter engine's QuietHorizon): the run ends without it.
      constexpr std::uint8_t kLoud = FactDays::kPayment | FactDays::kDispute | FactDays::kPromiseMade | FactDays::kProbe;
      llvm::Value* at_horizon =
          builder_.CreateICmpEQ(builder_.CreateLoad(i32_, next), LoadRun(offsetof(RunState, horizon), i32_));
      If(at_horizon, [&] {
        llvm::Value* facts =
            FactEntryField(LoadFrame(offsetof(DriveFrame, fact_cursor), i32_), offsetof(FactDays::Entry, facts), i8_);
        If(builder_.CreateICmpEQ(builder_.CreateAnd(facts, I8(kLoud)), I8(0)), [&] { builder_.CreateRet(NoDate()); });
      });
    }
    builder_.CreateRet(builder_.CreateLoad(i32_, next));
  });
  // Steps' dates count only when before the next fact day: none is when that is tomorrow.
  llvm::Value* tomorrow_day = builder_.CreateAdd(day, I32(1));
  If(builder_.CreateICmpEQ(builder_.CreateLoad(i32_, next), tomorrow_day), [&] {
    chances_unknown();
    builder_.CreateRet(builder_.CreateLoad(i32_, next));
  });
  if (!HasInterest()) {
    // Tomorrow is no fact day, so no invoice is issued then, and without
    // interest what is owed does not depend on the day: tomorrow's anchor
    // invoice is today's, while no money moved (same epoch).
    llvm::Value* cached =
        builder_.CreateAnd(builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_day), i32_), day),
                           builder_.CreateICmpEQ(LoadFrame(offsetof(DriveFrame, anchor_epoch), i64_),
                                                 LoadFrame(offsetof(DriveFrame, epoch), i64_)));
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
  // The earliest chance after `day` (a step not looked at until then).
  llvm::Value* later = HasChances() ? Slot(i32_) : nullptr;
  if (later != nullptr) builder_.CreateStore(I32(kChanceNever), later);
  ForEachOpenStep(
      day,
      [&](StepId, llvm::Value* chance) {
        llvm::Value* current = builder_.CreateLoad(i32_, later);
        builder_.CreateStore(builder_.CreateSelect(builder_.CreateICmpSLT(chance, current), chance, current), later);
      },
      [&](StepId id) {
        if (HasChances()) StoreChance(id, I32(kChanceNever));
      },
      [&](StepId id) {
        llvm::Value* until = Slot(i32_);
        llvm::Value* known = CallInternal(until_[id], {tomorrow, until});
        If(known, [&] {
          llvm::Value* date = builder_.CreateLoad(i32_, until);
          consider(builder_.CreateSelect(builder_.CreateICmpSGT(date, tomorrow), date, tomorrow));
        });
      },
      [&](StepId id) {
        Located located = LocateDated(id, tomorrow);
        If(IsKnown(located), [&] { consider(located.date); });
        if (!HasChances() || !Settles(id)) return;
        // A fixed anchor moves only when the step it waits for first fires
        // (which forgets every chance); a recurring step's occurrences are
        // fixed once its base is. Before its date (its next occurrence) the
        // step decides nothing; a date not after `day` is decided already
        // once known (date_known), else it is tried.
        llvm::Value* chance = builder_.CreateLoad(i32_, ChanceAddress(id));
        llvm::Value* date_known = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, date_known), i8_), I8(0));
        llvm::Value* when_known = builder_.CreateSelect(
            builder_.CreateICmpSGT(located.date, day), located.date,
            builder_.CreateSelect(date_known, I32(kChanceNever), chance));
        chance = builder_.CreateSelect(IsKnown(located), when_known, chance);
        llvm::Value* waits =
            builder_.CreateICmpEQ(located.status, I8(static_cast<std::uint8_t>(DateStatus::WaitingForStep)));
        StoreChance(id, builder_.CreateSelect(waits, I32(kChanceNever), chance));
      });
  if (HasChances()) {
    llvm::Value* earliest_later = builder_.CreateLoad(i32_, later);
    If(builder_.CreateICmpNE(earliest_later, I32(kChanceNever)), [&] { consider(earliest_later); });
    NoteEarliestChance();
  }
  builder_.CreateRet(builder_.CreateLoad(i32_, next));
  return function;
}

void DriverEmitter::ForEachOpenStep(llvm::Value* day, const std::function<void(StepId, llvm::Value*)>& later,
                                    const std::function<void(StepId)>& done,
                                    const std::function<void(StepId)>& waiting,
                                    const std::function<void(StepId)>& scheduled) {
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    llvm::BasicBlock* after = Block("next_step");
    if (HasChances()) {
      llvm::BasicBlock* later_block = Block("chance_later");
      llvm::BasicBlock* now_block = Block("chance_now");
      llvm::Value* chance = LoadChance(id);
      builder_.CreateCondBr(builder_.CreateICmpSGT(chance, day), later_block, now_block);
      builder_.SetInsertPoint(later_block);
      if (later) later(id, chance);
      builder_.CreateBr(after);
      builder_.SetInsertPoint(now_block);
    }
    llvm::BasicBlock* done_block = Block("done");
    llvm::BasicBlock* open = Block("open");
    llvm::Value* is_done = builder_.CreateICmpNE(LoadStep(id, offsetof(StepState, done), i8_), I8(0));
    builder_.CreateCondBr(is_done, done_block, open);
    builder_.SetInsertPoint(done_block);
    if (done) done(id);
    builder_.CreateBr(after);
    builder_.SetInsertPoint(open);
    if (policy_.pauses.empty()) {
      // Without pauses no step ever waits behind one.
      scheduled(id);
      builder_.CreateBr(after);
      builder_.SetInsertPoint(after);
      continue;
    }
    llvm::BasicBlock* waiting_block = Block("waiting");
    llvm::BasicBlock* scheduled_block = Block("scheduled");
    llvm::Value* waiting_since = LoadStep(id, offsetof(StepState, waiting_since), i32_);
    builder_.CreateCondBr(builder_.CreateICmpNE(waiting_since, NoDate()), waiting_block, scheduled_block);
    builder_.SetInsertPoint(waiting_block);
    waiting(id);
    builder_.CreateBr(after);
    builder_.SetInsertPoint(scheduled_block);
    scheduled(id);
    builder_.CreateBr(after);
    builder_.SetInsertPoint(after);
  }
}

// is_event_day(run, day) -> i1 (section 10)
llvm::Function* DriverEmitter::EmitIsEventDay() {
  llvm::Function* function = Begin("recoup_is_event_day", i1_, {i32_, i8_});
  llvm::Value* day = function->getArg(1);
  llvm::Value* hint = function->getArg(2);  // a FactEvent
  If(builder_.CreateICmpEQ(hint, I8(static_cast<std::uint8_t>(FactEvent::Yes))),
     [&] { builder_.CreateRet(builder_.getTrue()); });
  If(builder_.CreateICmpEQ(hint, I8(static_cast<std::uint8_t>(FactEvent::AskService))), [&] {
    llvm::Value* fact = Call("recoup_is_fact_event_day", i8_, {ptr_, i32_}, {run_, day});
    If(builder_.CreateICmpNE(fact, I8(0)), [&] { builder_.CreateRet(builder_.getTrue()); });
  });
  // A step whose next chance is after `day` has no date on it (its chance
  // is its first date after the wake day before).
  ForEachOpenStep(
      day, nullptr, nullptr,
      [&](StepId) {
        llvm::Value* reason = Slot(i8_);
        llvm::Value* effect = Call("recoup_pause_on", i8_, {ptr_, i32_, ptr_}, {run_, day, reason});
        If(builder_.CreateICmpEQ(effect, I8(static_cast<std::uint8_t>(PauseEffect::None))),
           [&] { builder_.CreateRet(builder_.getTrue()); });
      },
      [&](StepId id) {
        Located located = LocateDated(id, day);
        If(builder_.CreateAnd(IsKnown(located), builder_.CreateICmpEQ(located.date, day)),
           [&] { builder_.CreateRet(builder_.getTrue()); });
      });
  builder_.CreateRet(builder_.getFalse());
  return function;
}

// Section 2, items 1 and 2, on a day that may be a fact day: the day's
// payments, disputes and promises, and whether the facts make it an event
// day (a FactEvent stored in `fact_event`). With the payments in date
// order, every payment dated on or before a visited day is applied by
// then (payment dates are fact days, all visited), so the one at the
// cursor says whether any is due today; the services run only on days
// that have something for them.
void DriverEmitter::ApplyFactsOf(llvm::Value* day, llvm::Value* facts, llvm::Value* fact_event) {
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
  llvm::Value* first = LoadFrame(offsetof(DriveFrame, payment_cursor), i32_);
  llvm::Value* paid_today = due_by_day(first);
  If(paid_today, [&] {
    // The cursor moves past today's payments, then only they are applied
    // (the ones before it were paid on earlier visited days).
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
    Call("recoup_apply_payments_between", void_, {ptr_, i32_, i32_, i32_, i8_},
         {run_, day, first, LoadFrame(offsetof(DriveFrame, payment_cursor), i32_), I8(HasInterest() ? 1 : 0)});
    NewEpoch();
  });
  // recoup_is_fact_event_day: the horizon, a payment, a dispute.
  llvm::Value* horizon = builder_.CreateICmpEQ(day, LoadRun(offsetof(RunState, horizon), i32_));
  llvm::Value* disputed = builder_.CreateICmpNE(builder_.CreateAnd(facts, I8(FactDays::kDispute)), I8(0));
  builder_.CreateStore(builder_.CreateSelect(builder_.CreateOr(builder_.CreateOr(paid_today, horizon), disputed),
                                             I8(static_cast<std::uint8_t>(FactEvent::Yes)),
                                             I8(static_cast<std::uint8_t>(FactEvent::No))),
                       fact_event);
  builder_.CreateBr(applied);

  builder_.SetInsertPoint(applied);
  llvm::Value* noted = builder_.CreateAnd(facts, I8(FactDays::kDispute | FactDays::kPromiseMade));
  If(builder_.CreateICmpNE(noted, I8(0)), [&] {
    Call("recoup_note_disputes_and_promises", void_, {ptr_, i32_}, {run_, day});
  });
}

// recoup_drive(run): the wake-day loop, then the end of the run.
void DriverEmitter::EmitDrive(llvm::Function* next_wake, llvm::Function* event_day, llvm::Function* stops,
                              llvm::Function* steps) {
  llvm::Function* function = Begin(kDriveFunctionName, void_, {}, /*exported=*/true);
  (void)function;
  frame_ = SlotBytes(sizeof(DriveFrame) + (HasChances() ? 2 * policy_.steps.size() * sizeof(std::int32_t) : 0));
  StoreFrame(offsetof(DriveFrame, epoch), I64(0));
  StoreFrame(offsetof(DriveFrame, anchor_epoch), I64(-1));
  StoreFrame(offsetof(DriveFrame, anchor_day), NoDate());
  StoreFrame(offsetof(DriveFrame, anchor_invoice), I32(abi::kNoIndex));
  StoreFrame(offsetof(DriveFrame, anchor_account), I32(abi::kNoIndex));
  StoreFrame(offsetof(DriveFrame, account_skip), I32(0));
  StoreFrame(offsetof(DriveFrame, skip_closed), I8(Customer() && OwedNeverGrows() ? 1 : 0));
  if (!Customer()) {
    // recoup_jit_anchor_account gives an invoice subject's own invoice
    // whatever the day (RefreshAnchor is then not generated).
    llvm::Value* no_skip = llvm::ConstantPointerNull::get(llvm::PointerType::get(context_, 0));
    StoreFrame(offsetof(DriveFrame, anchor_account),
               Call("recoup_jit_anchor_account", i32_, {ptr_, i32_, ptr_, ptr_},
                    {run_, LoadRun(offsetof(RunState, start), i32_), no_skip,
                     FrameAddress(offsetof(DriveFrame, anchor_invoice))}));
    StoreFrame(offsetof(DriveFrame, anchor_due), I32(0));
    StoreFrame(offsetof(DriveFrame, anchor_issue), I32(0));
    llvm::Value* invoice = LoadFrame(offsetof(DriveFrame, anchor_invoice), i32_);
    If(builder_.CreateICmpNE(invoice, I32(abi::kNoIndex)), [&] {
      StoreFrame(offsetof(DriveFrame, anchor_due), InvoiceField(invoice, offsetof(abi::InvoiceView, due)));
      StoreFrame(offsetof(DriveFrame, anchor_issue), InvoiceField(invoice, offsetof(abi::InvoiceView, issue)));
    });
  }
  StoreFrame(offsetof(DriveFrame, payments_by_date), Call("recoup_jit_payments_by_date", i8_, {ptr_}, {run_}));
  StoreFrame(offsetof(DriveFrame, payment_cursor), I32(0));
  StoreFrame(offsetof(DriveFrame, fact_cursor), I32(0));
  StoreFrame(offsetof(DriveFrame, fact_days), Call("recoup_jit_fact_days", ptr_, {ptr_, ptr_},
                                                   {run_, FrameAddress(offsetof(DriveFrame, fact_count))}));
  StoreFrame(offsetof(DriveFrame, open_epoch), I64(-1));
  StoreFrame(offsetof(DriveFrame, closed_epoch), I64(-1));
  if (HasChances()) {
    StoreFrame(offsetof(DriveFrame, chance), FrameAddress(ChanceOffset(0)));
    StoreFrame(offsetof(DriveFrame, fixed_date), FrameAddress(FixedDateOffset(0)));
    for (StepId id = 0; id < policy_.steps.size(); ++id) StoreFrame(FixedDateOffset(id), NoDate());
    StoreFrame(offsetof(DriveFrame, earliest_chance), I32(kChanceUnknown));
    StoreFrame(offsetof(DriveFrame, dates_moved), I8(0));
    KnowPlainAnchors();
  }
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
  llvm::Value* go_on =
      builder_.CreateAnd(builder_.CreateAnd(builder_.CreateICmpNE(day, NoDate()), builder_.CreateICmpSLE(day, horizon)),
                         builder_.CreateNot(Failed()));
  builder_.CreateCondBr(go_on, body, exit);
  builder_.SetInsertPoint(body);
  StoreRun(offsetof(RunState, day_changed), I8(0));
  // On a day strictly between two fact days there is no payment, dispute
  // or promise to note, and without explain nothing to end.
  llvm::Value* fact_day = IsFactDay(day);
  llvm::Value* fact_event = Slot(i8_);
  llvm::Value* facts = Slot(i8_);  // what falls on the day (FactDays' bits)
  builder_.CreateStore(I8(static_cast<std::uint8_t>(FactEvent::No)), fact_event);
  builder_.CreateStore(I8(0), facts);
  If(fact_day, [&] {
    builder_.CreateStore(
        FactEntryField(LoadFrame(offsetof(DriveFrame, fact_cursor), i32_), offsetof(FactDays::Entry, facts), i8_),
        facts);
    ApplyFactsOf(day, builder_.CreateLoad(i8_, facts), fact_event);
  });
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
  // Without explain it does something only on the horizon and on probes.
  llvm::Value* probe = builder_.CreateICmpNE(builder_.CreateAnd(builder_.CreateLoad(i8_, facts), I8(FactDays::kProbe)),
                                             I8(0));
  llvm::Value* end_matters = builder_.CreateOr(
      Explaining(), builder_.CreateOr(builder_.CreateICmpEQ(day, LoadRun(offsetof(RunState, horizon), i32_)), probe));
  If(end_matters, [&] { Call("recoup_end_day", void_, {ptr_, i32_}, {run_, day}); });
  llvm::Value* next = CallInternal(next_wake, {day});
  day->addIncoming(next, builder_.GetInsertBlock());
  builder_.CreateBr(loop);
  builder_.SetInsertPoint(exit);
  If(Failed(), [&] { builder_.CreateRetVoid(); });
  If(Explaining(), [&] {
    Call("recoup_jit_report_unfinished", void_, {ptr_, ptr_, ptr_}, {run_, frame_, LocateTable()});
  });
  Call("recoup_finish", void_, {ptr_}, {run_});
  builder_.CreateRetVoid();
}

}  // namespace recoup::compiler::jit::driver
