// When steps fire: dates, pauses, guards, recurrence (docs/semantics.md
// sections 3 to 6), and why the ones that did not fire did not.
#include <fmt/format.h>

#include "compiler/interpreter_run.h"

namespace recoup::compiler::interpreter {
namespace {

// Enough occurrences to walk any horizon one business day at a time.
constexpr std::int64_t kMaxOccurrenceSearch = 100000;

}  // namespace

Occurrence Run::Locate(StepId id, runtime::Date day) {
  const Trigger& trigger = policy_.steps[id].trigger;
  AnchorDate base = ComputeAnchor(policy_, trigger.anchor, AnchorFactsOn(day), calendar_);
  Occurrence occurrence{base.status, base.date, 0, base.waiting_for};
  if (base.status != DateStatus::Known || trigger.kind != TriggerKind::Every || trigger.period.count <= 0) {
    return occurrence;
  }
  // The first occurrence on or after `day`: base + k x period.
  std::int64_t index = 0;
  if (trigger.period.unit != DurationUnit::BusinessDays && day > base.date) {
    index = ((day - base.date) + trigger.period.count - 1) / trigger.period.count;
  }
  runtime::Date date = Shift(base.date, trigger.period, index, calendar_);
  while (date < day && index < kMaxOccurrenceSearch) date = Shift(base.date, trigger.period, ++index, calendar_);
  occurrence.date = date;
  occurrence.index = index;
  return occurrence;
}

std::optional<runtime::Date> Run::UntilDate(const Trigger& trigger, runtime::Date day) {
  if (trigger.until == UntilKind::Agency) return placed_on_;
  if (trigger.until != UntilKind::Anchor) return std::nullopt;
  AnchorDate until = ComputeAnchor(policy_, trigger.until_anchor, AnchorFactsOn(day), calendar_);
  if (until.status != DateStatus::Known) return std::nullopt;
  return until.date;
}

void Run::RunSteps(runtime::Date day) {
  // Passes in source order until nothing changes, so that a step anchored
  // to one that fired today (net offset zero) fires today, after it.
  bool changed = true;
  while (changed && !sink_.error) {
    changed = false;
    for (StepId id = 0; id < policy_.steps.size(); ++id) changed |= TryStep(id, day);
  }
}

bool Run::TryStep(StepId id, runtime::Date day) {
  StepState& state = steps_[id];
  if (state.done || state.last_decided == day) return false;
  const Step& step = policy_.steps[id];
  bool recurring = step.trigger.kind == TriggerKind::Every;
  Cause cause{Cause::Kind::Step, id};
  runtime::Date scheduled;
  std::int64_t index = 0;
  if (state.waiting_since) {
    scheduled = *state.waiting_since;
    index = state.waiting_occurrence;
  } else {
    Occurrence occurrence = Locate(id, day);
    if (occurrence.status != DateStatus::Known) return false;
    scheduled = occurrence.date;
    index = occurrence.index;
    bool first_known = !state.date_known;
    state.date_known = true;
    if (!IsCustomer() && !recurring && scheduled < accounts_.front().facts().issue) {
      state.done = true;
      AddNotFired(cause, scheduled, NotFiredReason::BeforeIssue, accounts_.front().facts().issue.ToIso());
      return true;
    }
    if (scheduled < day) {
      if (IsCustomer() || !first_known) return false;
      state.done = true;
      AddNotFired(cause, scheduled, NotFiredReason::DatePassed, day.ToIso());
      return true;
    }
    if (scheduled > day) return false;
  }
  if (recurring && step.trigger.max_times && state.fired >= *step.trigger.max_times) {
    state.done = true;  // `max 0 times`
    AddNotFired(cause, scheduled, NotFiredReason::MaxReached, fmt::format("{}", *step.trigger.max_times));
    return true;
  }
  if (recurring) {
    std::optional<runtime::Date> until = UntilDate(step.trigger, day);
    if (until && day >= *until) {
      state.done = true;
      state.waiting_since.reset();
      AddNotFired(cause, scheduled, NotFiredReason::UntilReached, until->ToIso());
      return true;
    }
  }
  NotFiredReason why = NotFiredReason::SubjectSettled;
  std::string detail;
  if (!Active(day, &why, &detail)) {
    // A customer with nothing open may get new invoices; anything else is final.
    if (!recurring || end_kind_ != EndKind::None || !IsCustomer()) state.done = true;
    state.waiting_since.reset();
    state.last_decided = day;
    AddNotFired(cause, scheduled, why, detail);
    return true;
  }
  PauseState pause = PauseOn(day);
  if (pause.effect == PauseEffect::Skip) {
    if (!recurring) state.done = true;
    state.waiting_since.reset();
    state.last_decided = day;
    AddNotFired(cause, scheduled, NotFiredReason::PauseSkipped, pause.reason);
    return true;
  }
  if (pause.effect == PauseEffect::Defer) {
    if (!state.waiting_since) {
      state.waiting_since = scheduled;
      state.waiting_occurrence = index;
      LedgerEvent& event = AddLedger(LedgerEvent::Kind::Deferred, day, "", 0);
      event.detail = pause.reason;
      event.step = id;
    }
    return false;
  }
  state.last_decided = day;
  state.waiting_since.reset();
  std::vector<GuardRead> reads;
  if (step.guard != kNoId && !Evaluates(step.guard, day, reads)) {
    if (sink_.error) return false;
    if (!recurring) state.done = true;
    AddNotFired(cause, day, NotFiredReason::GuardFalse, "", std::move(reads));
    return true;
  }
  ++state.fired;
  ++fired_counts_[id];
  if (!state.first_fired) {
    state.first_fired = day;
    first_fired_[id] = day;
  }
  Fire(cause, day, scheduled, index, std::move(reads), step.actions);
  if (!recurring) state.done = true;
  if (recurring && step.trigger.max_times && state.fired >= *step.trigger.max_times) {
    state.done = true;
    AddNotFired(cause, day, NotFiredReason::MaxReached, fmt::format("{}", *step.trigger.max_times));
  }
  return true;
}

PauseState Run::PauseOn(runtime::Date day) const {
  PauseState state;
  for (const Pause& pause : policy_.pauses) {
    bool inside = false;
    std::string reason;
    if (pause.reason == PauseReason::Dispute) {
      for (const DisputeFacts& dispute : facts_.disputes) {
        if (dispute.opened <= day && (!dispute.resolved || day < *dispute.resolved)) inside = true;
      }
      reason = "dispute";
    } else {
      for (const PromiseFacts& promise : promises_) {
        runtime::Date made = *promise.made;
        runtime::Date end = promise.promised;
        if (pause.grace) end = Shift(end, *pause.grace, 1, calendar_);
        if (made <= day && day <= end) inside = true;
      }
      reason = "promise to pay";
    }
    if (!inside) continue;
    if (pause.rule == PauseRule::Skip) return {PauseEffect::Skip, reason};
    if (state.effect == PauseEffect::None) state = {PauseEffect::Defer, reason};
  }
  return state;
}

bool Run::Active(runtime::Date day, NotFiredReason* why, std::string* detail) {
  std::string ended = ended_on_ ? ended_on_->ToIso() : "";
  switch (end_kind_) {
    case EndKind::WrittenOff: *why = NotFiredReason::SubjectWrittenOff; *detail = ended; return false;
    case EndKind::Placed: *why = NotFiredReason::SubjectPlaced; *detail = ended; return false;
    case EndKind::Stopped: *why = NotFiredReason::SubjectStopped; *detail = end_detail_; return false;
    case EndKind::None: break;
  }
  if (OldestOpen(day) != nullptr) return true;
  bool all_settled = true;
  runtime::Date last_settled;
  for (const InvoiceAccount& account : accounts_) {
    if (!account.settled_on() || *account.settled_on() > day) {
      all_settled = false;
    } else if (*account.settled_on() > last_settled) {
      last_settled = *account.settled_on();
    }
  }
  *why = all_settled ? NotFiredReason::SubjectSettled : NotFiredReason::NoOpenInvoice;
  *detail = all_settled ? last_settled.ToIso() : "";
  return false;
}

void Run::ReportUnfinished() {
  std::size_t first_new = result_.not_fired.size();
  runtime::Date after = options_.horizon.AddDays(1);
  for (StepId id = 0; id < policy_.steps.size(); ++id) {
    StepState& state = steps_[id];
    if (state.done) continue;
    Cause cause{Cause::Kind::Step, id};
    if (state.waiting_since) {
      AddNotFired(cause, *state.waiting_since, NotFiredReason::PausedUntilHorizon, PauseOn(options_.horizon).reason);
      continue;
    }
    if (state.fired > 0 || state.last_decided) continue;  // a recurring step already accounted for
    NotFiredReason why = NotFiredReason::SubjectSettled;
    std::string detail;
    if (!Active(options_.horizon, &why, &detail) && why != NotFiredReason::NoOpenInvoice) {
      AddNotFired(cause, std::nullopt, why, detail);
      continue;
    }
    Occurrence occurrence = Locate(id, after);
    switch (occurrence.status) {
      case DateStatus::WaitingForStep:
        result_.not_fired.push_back({sequence_++, std::nullopt, cause, NotFiredReason::AnchorNeverFired,
                                     StepName(occurrence.waiting_for), {}, occurrence.waiting_for});
        break;
      case DateStatus::NoPromise: AddNotFired(cause, std::nullopt, NotFiredReason::NoPromise, ""); break;
      case DateStatus::WaitingForPromise:
        AddNotFired(cause, std::nullopt, NotFiredReason::AfterHorizon, "the promise is made after the horizon");
        break;
      case DateStatus::NoOpenInvoice: AddNotFired(cause, std::nullopt, why, detail); break;
      case DateStatus::Known: {
        Occurrence first = occurrence;
        if (policy_.steps[id].trigger.kind == TriggerKind::Every) first = Locate(id, result_.start);
        if (first.date > options_.horizon) {
          AddNotFired(cause, first.date, NotFiredReason::AfterHorizon, options_.horizon.ToIso());
        } else {
          AddNotFired(cause, first.date, NotFiredReason::DatePassed, "");
        }
        break;
      }
    }
  }
  for (std::size_t i = first_new; i < result_.not_fired.size(); ++i) result_.not_fired[i].decided_at_end = true;
}

}  // namespace recoup::compiler::interpreter
