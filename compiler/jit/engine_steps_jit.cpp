// The generated driver's rare paths, compiled once with the program
// instead of once per policy: what a step does once its date has come
// (sections 5 to 12: max, until, open, pauses, the guard, the firing), the
// not-fired records of a step and the report of what never fired (section
// 15). The generated code keeps what runs on every wake day (whether a
// step's date has come: its state, its date, specialised to the policy)
// and calls these when something is to be decided, so each policy's
// module, and its compile time, is about half what it was. They read the
// step's trigger, guard and actions from the policy (RunState::policy) and
// the run's DriveFrame (drive_frame.h) as the generated code does, and do
// exactly what the generated code did (the differential tests compare
// both engines on every generated policy).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"
#include "compiler/jit/drive_frame.h"
#include "compiler/jit/expression_abi.h"
#include "compiler/jit/runtime_helpers.h"

namespace {

using namespace recoup::compiler;
using namespace recoup::compiler::abi;
using recoup::compiler::jit::driver::DriveFrame;
using recoup::compiler::jit::driver::kChanceUnknown;
using recoup::compiler::jit::driver::kDecideFirstKnown;
using recoup::compiler::jit::driver::kDecideLocated;
using recoup::compiler::jit::driver::LocatedStep;
using recoup::compiler::jit::driver::LocateStepFunction;

// The anchor invoice's account on `day` (DriveFrame::anchor_account),
// worked out again when the frame's is for another day or epoch. An
// invoice subject's is its own, set when the run starts.
std::int32_t AnchorAccount(RunState* run, DriveFrame* frame, std::int32_t day) {
  if (run->customer && (frame->anchor_day != day || frame->anchor_epoch != frame->epoch)) {
    recoup_jit_refresh_anchor(run, frame, day);
  }
  return frame->anchor_account;
}

// recoup_active, without the service when the frame knows: a customer
// that nothing ended and that has an anchor invoice is open.
bool Active(RunState* run, DriveFrame* frame, std::int32_t day, std::uint8_t* why, std::int32_t* ended) {
  if (run->customer && run->end_kind == EndKind::None) {
    AnchorAccount(run, frame, day);
    if (frame->anchor_invoice != kNoIndex) return true;
  }
  return recoup_active(run, day, why, ended) != 0;
}

// Section 5: a recurring step's `until` date, when known on `day`.
bool UntilDate(const RunState* run, const Trigger& trigger, std::int32_t day, std::int32_t& until) {
  if (trigger.until == UntilKind::Agency) {
    until = run->placed_on;
    return until != kNoDate;
  }
  if (trigger.until != UntilKind::Anchor) return false;
  AnchorResult anchor = ComputeAnchor(run, trigger.until_anchor, day);
  if (anchor.status != DateStatus::Known) return false;
  until = anchor.date;
  return true;
}

// 1 true, 0 false, -1 failed, as recoup_evaluate. Explaining (the
// evaluator records what the guard read) or without a compiled `guard`,
// the engine's evaluator; otherwise the compiled guard on the anchor
// account's context, and the evaluator again when that fails (to record
// the error in the engine's words).
std::int32_t Evaluate(RunState* run, DriveFrame* frame, ExpressionId expression, RecoupBoolExpression guard,
                      std::int32_t day) {
  if (run->explain || guard == nullptr) return recoup_evaluate(run, expression, day);
  constexpr std::size_t kInline = 16;
  RecoupAttributeValue inline_attributes[kInline];
  std::vector<RecoupAttributeValue> more;
  RecoupAttributeValue* attributes = inline_attributes;
  std::size_t count = run->policy->ir->attributes.size();
  if (count > kInline) {
    more.resize(count);
    attributes = more.data();
  }
  RecoupExpressionInputs inputs;
  std::uint8_t answer = 0;
  if (recoup_jit_expression_inputs_of(run, day, AnchorAccount(run, frame, day), &inputs, attributes) != 0 ||
      guard(&inputs, &answer) != 0) {
    return recoup_evaluate(run, expression, day);
  }
  return answer;
}

void NotFired(RunState* run, std::uint32_t id, std::int32_t date, Reason reason, DetailKind kind = DetailKind::None,
              std::int32_t detail_date = kNoDate, std::int64_t number = 0) {
  recoup_jit_step_not_fired(run, id, date, static_cast<std::uint8_t>(reason), static_cast<std::uint8_t>(kind),
                            detail_date, number);
}

// Sections 7 to 12: the step fires; its actions in order. Fees, interest
// and write-offs change what is owed: a new epoch.
void Fire(RunState* run, DriveFrame* frame, std::uint32_t id, std::int32_t day, std::int32_t scheduled,
          std::int64_t occurrence, std::uint32_t first_read) {
  const std::vector<Action>& actions = run->policy->ir->steps[id].actions;
  auto cause = static_cast<std::uint8_t>(CauseKind::Step);
  recoup_fire_begin(run, cause, id, day, scheduled, occurrence, first_read);
  for (std::uint32_t k = 0; k < actions.size() && !run->failed; ++k) recoup_run_action(run, cause, id, k, day);
  recoup_fire_end(run);
  bool moves_money = std::any_of(actions.begin(), actions.end(), [](const Action& action) {
    return action.kind == ActionKind::Fee || action.kind == ActionKind::Interest || action.kind == ActionKind::WriteOff;
  });
  if (moves_money) ++frame->epoch;
}

// A step's date on `day` through its generated recoup_locate_N.
LocatedStep Locate(RunState* run, DriveFrame* frame, LocateStepFunction locate, std::int32_t day) {
  LocatedStep located{};
  locate(run, day, &located.status, &located.date, &located.index, &located.waiting, frame);
  return located;
}

}  // namespace

extern "C" {

// The anchor invoice and its account on `day` into the frame
// (recoup_jit_anchor_account, skipping a customer's leading accounts closed
// for good when DriveFrame::skip_closed), remembered for (day, epoch).
void recoup_jit_refresh_anchor(RunState* run, DriveFrame* frame, std::int32_t day) {
  frame->anchor_account =
      recoup_jit_anchor_account(run, day, frame->skip_closed ? &frame->account_skip : nullptr, &frame->anchor_invoice);
  frame->anchor_day = day;
  frame->anchor_epoch = frame->epoch;
}

// A not-fired record of step `id`, kept only when explaining (as the
// interpreter engine's driver), with the reads recorded so far.
void recoup_jit_step_not_fired(RunState* run, std::uint32_t id, std::int32_t date, std::uint8_t reason,
                               std::uint8_t kind, std::int32_t detail_date, std::int64_t number) {
  if (!run->explain) return;
  recoup_not_fired(run, static_cast<std::uint8_t>(CauseKind::Step), id, date, reason, kind, detail_date, number,
                   recoup_read_mark(run));
}

// Sections 4 to 12 for step `id` on `day`, its occurrence `index` dated
// `scheduled`: located on `day`, not after it (`checks` has
// kDecideLocated, and kDecideFirstKnown when the date was not known
// before), or waiting behind a pause since then. An invoice subject's date
// before its issue or passed (when first known) is decided so; then `max`,
// `until`, whether the subject is open, pauses, the guard (`guard`, the
// compiled one, or null), and the firing. 1 when something was decided (it
// fired, or it was decided that it does not), as recoup_try_step_N.
std::uint8_t recoup_jit_decide_step(RunState* run, DriveFrame* frame, std::uint32_t id, std::int32_t day,
                                    std::int32_t scheduled, std::int64_t index, std::uint8_t checks,
                                    RecoupBoolExpression guard) {
  const PolicyIr& ir = *run->policy->ir;
  const Step& step = ir.steps[id];
  const Trigger& trigger = step.trigger;
  StepState& state = run->steps[id];
  bool recurring = trigger.kind == TriggerKind::Every;
  if (checks & kDecideLocated) {
    // An invoice subject's only account opens on the run's start day.
    if (!run->customer && !recurring && scheduled < run->start) {
      state.done = 1;
      NotFired(run, id, scheduled, Reason::BeforeIssue, DetailKind::Date, run->start);
      return 1;
    }
    if (scheduled < day) {
      if (run->customer || !(checks & kDecideFirstKnown)) return 0;
      state.done = 1;
      NotFired(run, id, scheduled, Reason::DatePassed, DetailKind::Date, day);
      return 1;
    }
  }
  if (recurring && trigger.max_times && state.fired >= *trigger.max_times) {
    state.done = 1;  // `max 0 times`
    NotFired(run, id, scheduled, Reason::MaxReached, DetailKind::Integer, kNoDate, *trigger.max_times);
    return 1;
  }
  if (recurring) {
    std::int32_t until = kNoDate;
    if (UntilDate(run, trigger, day, until) && day >= until) {
      state.done = 1;
      state.waiting_since = kNoDate;
      NotFired(run, id, scheduled, Reason::UntilReached, DetailKind::Date, until);
      return 1;
    }
  }
  std::uint8_t why = static_cast<std::uint8_t>(Reason::SubjectSettled);
  std::int32_t ended = kNoDate;
  if (!Active(run, frame, day, &why, &ended)) {
    // A customer with nothing open may get new invoices; anything else is final.
    if (!recurring || run->end_kind != EndKind::None || !run->customer) state.done = 1;
    state.waiting_since = kNoDate;
    state.last_decided = day;
    NotFired(run, id, scheduled, static_cast<Reason>(why), ended == kNoDate ? DetailKind::None : DetailKind::Date,
             ended);
    return 1;
  }
  std::uint8_t pause_reason = 0;
  auto pause = ir.pauses.empty() ? PauseEffect::None
                                 : static_cast<PauseEffect>(recoup_pause_on(run, day, &pause_reason));
  if (pause == PauseEffect::Skip) {
    if (!recurring) state.done = 1;
    state.waiting_since = kNoDate;
    state.last_decided = day;
    NotFired(run, id, scheduled, Reason::PauseSkipped, static_cast<DetailKind>(pause_reason));
    return 1;
  }
  if (pause == PauseEffect::Defer) {
    if (state.waiting_since == kNoDate) {
      state.waiting_since = scheduled;
      state.waiting_occurrence = index;
      recoup_deferred(run, day, id, pause_reason);
    }
    return 0;
  }
  state.last_decided = day;
  state.waiting_since = kNoDate;
  std::uint32_t first_read = recoup_read_mark(run);
  if (step.guard != kNoId) {
    std::int32_t passes = Evaluate(run, frame, step.guard, guard, day);
    // After a run's first error (an earlier step's guard, this same day),
    // a false guard decides nothing: the run is unwinding.
    if (passes < 0 || (passes == 0 && run->failed)) return 0;
    if (passes == 0) {
      if (!recurring) state.done = 1;
      if (run->explain) {
        recoup_not_fired(run, static_cast<std::uint8_t>(CauseKind::Step), id, day,
                         static_cast<std::uint8_t>(Reason::GuardFalse), static_cast<std::uint8_t>(DetailKind::None),
                         kNoDate, 0, first_read);
      }
      return 1;
    }
  }
  ++state.fired;
  if (state.first_fired == kNoDate) {
    state.first_fired = day;
    if (!run->customer && run->policy->step_has_dependents[id]) {
      // Dates counting from it are known now: every chance is worked out again.
      frame->dates_moved = 1;
      std::fill_n(frame->chance, run->step_count, kChanceUnknown);
    }
  }
  Fire(run, frame, id, day, scheduled, index, first_read);
  if (!recurring) state.done = 1;
  if (recurring && trigger.max_times && state.fired >= *trigger.max_times) {
    state.done = 1;
    NotFired(run, id, day, Reason::MaxReached, DetailKind::Integer, kNoDate, *trigger.max_times);
  }
  return 1;
}

// Section 15, what never fired, decided when an explained run ends: each
// step's date through its generated recoup_locate_N (`locate`, indexed by
// step), as the interpreter engine's ReportUnfinished.
void recoup_jit_report_unfinished(RunState* run, DriveFrame* frame, const LocateStepFunction* locate) {
  std::uint32_t first_new = recoup_jit_not_fired_mark(run);
  std::int32_t horizon = run->horizon;
  auto located = [&](std::uint32_t id, std::int32_t day) { return Locate(run, frame, locate[id], day); };
  for (std::uint32_t id = 0; id < run->step_count; ++id) {
    const StepState& state = run->steps[id];
    if (state.done) continue;
    if (state.waiting_since != kNoDate) {
      std::uint8_t reason = 0;
      recoup_pause_on(run, horizon, &reason);
      NotFired(run, id, state.waiting_since, Reason::PausedUntilHorizon, static_cast<DetailKind>(reason));
      continue;
    }
    if (state.fired > 0 || state.last_decided != kNoDate) continue;  // a recurring step already accounted for
    std::uint8_t why = static_cast<std::uint8_t>(Reason::SubjectSettled);
    std::int32_t ended = kNoDate;
    DetailKind ended_kind = DetailKind::None;
    if (!recoup_active(run, horizon, &why, &ended)) {
      ended_kind = ended == kNoDate ? DetailKind::None : DetailKind::Date;
      if (why != static_cast<std::uint8_t>(Reason::NoOpenInvoice)) {
        NotFired(run, id, kNoDate, static_cast<Reason>(why), ended_kind, ended);
        continue;
      }
    }
    LocatedStep occurrence = located(id, horizon + 1);
    switch (static_cast<DateStatus>(occurrence.status)) {
      case DateStatus::WaitingForStep:
        NotFired(run, id, kNoDate, Reason::AnchorNeverFired, DetailKind::StepName, kNoDate,
                 static_cast<std::uint32_t>(occurrence.waiting));
        recoup_jit_set_related_step(run, static_cast<std::uint32_t>(occurrence.waiting));
        break;
      case DateStatus::NoPromise: NotFired(run, id, kNoDate, Reason::NoPromise); break;
      case DateStatus::WaitingForPromise:
        NotFired(run, id, kNoDate, Reason::AfterHorizon, DetailKind::PromiseAfterHorizon);
        break;
      case DateStatus::NoOpenInvoice: NotFired(run, id, kNoDate, static_cast<Reason>(why), ended_kind, ended); break;
      case DateStatus::Known: {
        // A recurring step's first occurrence is the one the report names.
        std::int32_t first = occurrence.date;
        if (run->policy->ir->steps[id].trigger.kind == TriggerKind::Every) first = located(id, run->start).date;
        if (first > horizon) {
          NotFired(run, id, first, Reason::AfterHorizon, DetailKind::Date, horizon);
        } else {
          NotFired(run, id, first, Reason::DatePassed);
        }
        break;
      }
    }
  }
  recoup_jit_mark_decided_at_end(run, first_new);
}

}  // extern "C"
