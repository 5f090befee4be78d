// The interpreter engine's driver: docs/semantics.md as control flow over
// the runtime services of engine_abi.h. The JIT generates this same driver
// specialised to one policy, so each function here is one rule, named
// after its section, and touches the run only through RunState and the
// services.
//
// Days: instead of walking every day from the start to the horizon, the
// driver jumps from one wake day to the next: a day on which a fact can
// change something (the fact days of recoup_next_fact_day, listed once per
// run in FactDays: payments, disputes, promises, pause ends, issue dates,
// probes, the horizon) or on which a step has a
// date (its next occurrence, or its `until` date while it waits behind a
// pause). On every other day the reference interpreter decides nothing, so
// skipping it changes nothing; on a wake day the driver does exactly what
// the reference does on that day.
//
// Work in proportion to what happens: an invoice subject's step whose
// anchor is fixed (docs/semantics.md section 3: it depends only on which
// steps fired) keeps its next chance, the first day on which it can decide
// anything (its date, its next occurrence, or never while it waits for a
// step that has not fired). A wake day tries only the steps whose chance
// has come, and the next wake day is the smallest chance. The chance is
// forgotten whenever the step is tried, and every chance when a step that
// others count from first fires; any other step is tried every wake day.
#include <algorithm>
#include <limits>

#include "compiler/engine.h"
#include "compiler/engine_internal.h"

namespace recoup::compiler {
namespace {

using namespace abi;

// Enough occurrences to walk any horizon one business day at a time.
constexpr std::int64_t kMaxOccurrenceSearch = 100000;

// A step's next chance (Driver::chance_): not known (try it on every wake
// day until it is), or never (nothing it can still decide).
constexpr std::int32_t kChanceUnknown = kNoDate;
constexpr std::int32_t kChanceNever = std::numeric_limits<std::int32_t>::max();

// Where a step's next chance is on one day (section 3 and 5).
struct Occurrence {
  DateStatus status = DateStatus::Known;
  std::int32_t date = 0;
  std::int64_t index = 0;  // recurring: which occurrence
  std::uint32_t waiting_for = kNoId;
};

class Driver {
 public:
  Driver(const PolicyIr& ir, RunState& run, EngineWorkspace::Impl& workspace)
      : ir_(ir), run_(run), step_count_(run.step_count), facts_(run.accounts->fact_days) {
    std::vector<LocateMemo>& memo = workspace.locate_memo;
    std::vector<std::int32_t>& fixed_date = workspace.fixed_date;
    std::vector<std::int32_t>& chance = workspace.chance;
    memo.resize(step_count_);
    fixed_date.resize(step_count_);
    chance.resize(step_count_);
    memo_ = memo.data();
    fixed_date_ = fixed_date.data();
    chance_ = chance.data();
    for (StepId id = 0; id < step_count_; ++id) memo_[id].epoch = 0;  // nothing remembered
    std::fill_n(fixed_date_, step_count_, kNoDate);
    std::fill_n(chance_, step_count_, kChanceUnknown);
    if (!run_.customer) KnowPlainAnchors();
    facts_.Build(run_);
    has_paid_stop_actions_ = run.policy->has_paid_stop_actions;
    stops_matter_ = run.policy->stops_matter;
    has_dependents_ = run.policy->step_has_dependents.data();
  }

  void Run() {
    for (std::int32_t day = run_.start; day != kNoDate && day <= run_.horizon && !run_.failed; day = NextWakeDay(day)) {
      RunDay(day);
    }
    if (run_.failed) return;
    if (run_.explain) ReportUnfinished();
    recoup_finish(&run_);
  }

 private:
  // Section 2: the order of one day.
  void RunDay(std::int32_t day) {
    run_.day_changed = 0;
    today_facts_ = facts_.On(day);
    // The services find nothing to do on a day without their facts.
    if (today_facts_ & FactDays::kPayment) recoup_apply_payments(&run_, day);
    if (run_.customer) ++epoch_;  // payments move a customer's anchors
    if (today_facts_ & (FactDays::kDispute | FactDays::kPromiseMade)) recoup_note_disputes_and_promises(&run_, day);
    if (!run_.explain && ClosedForGood(day)) {
      EndDay(day);
      return;
    }
    if (stops_matter_ && IsEventDay(day)) RunStops(day);
    RunSteps(day);
    EndDay(day);
  }

  // recoup_end_day, on the days it has something to do: the horizon
  // (interest), a balance probe, or any day when explaining (balance points).
  void EndDay(std::int32_t day) {
    if (run_.explain || day == run_.horizon || (today_facts_ & FactDays::kProbe)) recoup_end_day(&run_, day);
  }

  // Sections 4, 10 and 11: no step or stop rule can fire any more: the
  // subject was written off, placed or stopped, or it is an invoice that
  // was settled, owes nothing on `day` (nothing but a firing makes it owe
  // again, and its `stop when paid` actions may have: a fee opens it
  // again) and its `stop when paid` actions have run. Without explain, the
  // days left are then only its facts: what the steps would report is not
  // recorded.
  bool ClosedForGood(std::int32_t day) {
    if (run_.end_kind != EndKind::None) return true;
    Account& invoice = (*run_.accounts)[0];
    if (run_.customer || invoice.settled_on == kNoDate) return false;
    return (run_.paid_stop_ran || !has_paid_stop_actions_) && !IsOpen(&run_, invoice, day);
  }

  // The next day after `day` on which anything can happen.
  std::int32_t NextWakeDay(std::int32_t day) {
    std::int32_t next = facts_.After(day);  // recoup_next_fact_day
    if (!run_.explain && ClosedForGood(day)) {
      earliest_chance_ = kChanceUnknown;  // not worked out: RunSteps looks at every step
      return next == run_.horizon && QuietHorizon() ? kNoDate : next;
    }
    auto consider = [&](std::int32_t candidate) {
      if (candidate > day && (next == kNoDate || candidate < next)) next = candidate;
    };
    std::int32_t tomorrow = day + 1;
    std::int32_t later_chance = kChanceNever;  // the earliest chance after `day`
    for (StepId id = 0; id < step_count_; ++id) {
      std::int32_t chance = chance_[id];
      if (chance > day) {
        later_chance = std::min(later_chance, chance);
        continue;
      }
      const StepState& state = run_.steps[id];
      if (state.done) {
        chance_[id] = kChanceNever;
        continue;
      }
      if (state.waiting_since != kNoDate) {
        // A waiting occurrence fires when its pause ends (a fact day) or
        // reaches its until date.
        std::int32_t until = kNoDate;
        if (UntilDate(ir_.steps[id].trigger, tomorrow, until)) consider(std::max(until, tomorrow));
        continue;
      }
      bool settles = !run_.customer && run_.policy->step_anchor_fixed[id];
      if (fixed_date_[id] != kNoDate) {
        consider(fixed_date_[id]);
        if (settles && state.date_known) chance_[id] = fixed_date_[id] > day ? fixed_date_[id] : kChanceNever;
        continue;
      }
      Occurrence occurrence = Locate(id, tomorrow);
      if (occurrence.status == DateStatus::Known) consider(occurrence.date);
      if (!settles) continue;
      // A fixed anchor moves only when the step it waits for first fires
      // (which forgets every chance); a recurring step's occurrences are
      // fixed once its base is.
      if (occurrence.status == DateStatus::WaitingForStep) {
        chance_[id] = kChanceNever;
      } else if (occurrence.status == DateStatus::Known && state.date_known) {
        chance_[id] = occurrence.date > day ? occurrence.date : kChanceNever;
      }
    }
    if (later_chance != kChanceNever) consider(later_chance);
    earliest_chance_ = step_count_ == 0 ? kChanceNever : *std::min_element(chance_, chance_ + step_count_);
    return next;
  }

  // Once closed for good (explain off), the horizon changes nothing when
  // no fact falls on it, no interest accrues and it is not a balance probe:
  // the run can end without visiting it.
  bool QuietHorizon() const {
    constexpr std::uint8_t kLoud = FactDays::kPayment | FactDays::kDispute | FactDays::kPromiseMade | FactDays::kProbe;
    if (facts_.horizon_facts & kLoud) return false;
    for (const Account& account : *run_.accounts) {
      if (!account.accruals.empty()) return false;
    }
    return true;
  }

  // Section 10: stop rules run on event days: a fact, the horizon, or a
  // step's date (whether or not it then fires).
  bool IsEventDay(std::int32_t day) {
    // recoup_is_fact_event_day: the horizon, a payment, a dispute.
    if (day == run_.horizon || (today_facts_ & (FactDays::kPayment | FactDays::kDispute))) return true;
    for (StepId id = 0; id < run_.step_count; ++id) {
      const StepState& state = run_.steps[id];
      if (state.done) continue;
      if (state.waiting_since != kNoDate) {
        std::uint8_t reason = 0;
        if (recoup_pause_on(&run_, day, &reason) == static_cast<std::uint8_t>(PauseEffect::None)) return true;
        continue;
      }
      Occurrence occurrence = Locate(id, day);
      if (occurrence.status == DateStatus::Known && occurrence.date == day) return true;
    }
    return false;
  }

  // Section 10: stop rules, in source order.
  void RunStops(std::int32_t day) {
    if (run_.end_kind != EndKind::None) return;
    std::uint8_t why = 0;
    std::int32_t detail = kNoDate;
    if (!recoup_active(&run_, day, &why, &detail)) {
      // `stop when paid: ACTIONS` runs once, the day the subject is settled.
      if (why != static_cast<std::uint8_t>(Reason::SubjectSettled) || run_.paid_stop_ran) return;
      run_.paid_stop_ran = 1;
      for (std::uint32_t index = 0; index < ir_.stops.size(); ++index) {
        const Stop& stop = ir_.stops[index];
        if (stop.when_paid && !stop.actions.empty()) Fire(CauseKind::Stop, index, day, day, 0, recoup_read_mark(&run_));
      }
      return;
    }
    for (std::uint32_t index = 0; index < ir_.stops.size(); ++index) {
      const Stop& stop = ir_.stops[index];
      if (stop.when_paid || stop.condition == kNoId) continue;
      std::uint32_t first_read = recoup_read_mark(&run_);
      std::int32_t holds = recoup_evaluate(&run_, stop.condition, day);
      if (holds != 1) {
        run_.trace->reads.resize(first_read);
        continue;
      }
      Fire(CauseKind::Stop, index, day, day, 0, first_read);
      run_.end_kind = EndKind::Stopped;
      run_.ended_on = day;
      return;
    }
  }

  // Section 2, item 4: passes in source order until nothing changes, so
  // that a step anchored to one that fired today (net offset zero) fires
  // today, after it.
  //
  // Another pass can only decide something new when a date moved: a step
  // fired for the first time and others count from it, the subject was
  // placed or ended (until agency, waiting steps), or a customer's anchors
  // moved. Otherwise the pass that would follow decides nothing, and is
  // not run.
  void RunSteps(std::int32_t day) {
    if (earliest_chance_ > day) return;  // no step has a chance today
    bool changed = true;
    while (changed && !run_.failed) {
      changed = false;
      dates_moved_ = false;
      EndKind end_kind = run_.end_kind;
      std::int32_t placed_on = run_.placed_on;
      for (StepId id = 0; id < step_count_; ++id) {
        if (chance_[id] > day) continue;  // nothing to decide before its chance
        chance_[id] = kChanceUnknown;
        changed |= TryStep(id, day);
      }
      if (!run_.customer && !dates_moved_ && end_kind == run_.end_kind && placed_on == run_.placed_on) break;
    }
  }

  // An invoice subject's anchors at its due or issue date plus calendar
  // days are known before its first day: what Locate would compute and
  // remember on the first call (an `at` step's fixed date, a recurring
  // step's base), without walking the anchor. A step whose date (or first
  // occurrence) is after the first day has that date as its first chance:
  // trying it earlier decides nothing.
  void KnowPlainAnchors() {
    const Account& invoice = (*run_.accounts)[0];
    for (const RunPolicy::PlainStep& plain : run_.policy->plain_steps) {
      std::int32_t date = (plain.due ? invoice.due : invoice.issue) + plain.calendar_days;
      if (plain.at) {
        fixed_date_[plain.step] = date;
      } else {
        memo_[plain.step] = {run_.start, epoch_, static_cast<std::uint8_t>(DateStatus::Known), date, 0, kNoId};
      }
      if (date > run_.start) chance_[plain.step] = date;
    }
  }

  // Sections 3 and 5: a step's date on `day`; for a recurring step, its
  // first occurrence on or after `day` (base + k x period, never drifting).
  Occurrence Locate(StepId id, std::int32_t day) {
    if (fixed_date_[id] != kNoDate) return {DateStatus::Known, fixed_date_[id], 0, kNoId};
    return LocateAnew(id, day);
  }

  [[gnu::noinline]] Occurrence LocateAnew(StepId id, std::int32_t day) {
    const Trigger& trigger = ir_.steps[id].trigger;
    AnchorResult base = Base(id, day);
    if (base.status == DateStatus::Known && trigger.kind == TriggerKind::At && run_.policy->step_anchor_fixed[id]) {
      fixed_date_[id] = base.date;  // an `at` step's fixed date, once known, is final
    }
    Occurrence occurrence{base.status, base.date, 0, base.waiting_for};
    if (base.status != DateStatus::Known || trigger.kind != TriggerKind::Every || trigger.period.count <= 0) {
      return occurrence;
    }
    std::int64_t index = 0;
    if (trigger.period.unit != DurationUnit::BusinessDays && day > base.date) {
      index = (static_cast<std::int64_t>(day - base.date) + trigger.period.count - 1) / trigger.period.count;
    }
    std::int32_t date = Shift(&run_, base.date, trigger.period, index);
    while (date < day && index < kMaxOccurrenceSearch) date = Shift(&run_, base.date, trigger.period, ++index);
    occurrence.date = date;
    occurrence.index = index;
    return occurrence;
  }

  // A step's trigger anchor on `day`, remembered. A fixed anchor (an
  // invoice subject's, without a promise) once known never changes, and
  // while it waits for a step it changes only when that step first fires;
  // any other is remembered for the day until a step fires or (customer
  // subjects) payments move the anchors.
  AnchorResult Base(StepId id, std::int32_t day) {
    LocateMemo& memo = memo_[id];
    bool fixed = run_.policy->step_anchor_fixed[id];
    if (memo.epoch != 0) {
      auto status = static_cast<DateStatus>(memo.status);
      if (fixed ? (status == DateStatus::Known ||
                   (status == DateStatus::WaitingForStep && run_.steps[memo.waiting_for].first_fired == kNoDate))
                : (memo.epoch == epoch_ && memo.day == day)) {
        return {status, memo.date, memo.waiting_for};
      }
    }
    AnchorResult base = ComputeAnchor(&run_, ir_.steps[id].trigger.anchor, day);
    memo = {day, epoch_, static_cast<std::uint8_t>(base.status), base.date, 0, base.waiting_for};
    return base;
  }

  // Section 5: a recurring step's `until` date, when known on `day`.
  bool UntilDate(const Trigger& trigger, std::int32_t day, std::int32_t& until) {
    if (trigger.until == UntilKind::Agency) {
      until = run_.placed_on;
      return until != kNoDate;
    }
    if (trigger.until != UntilKind::Anchor) return false;
    AnchorResult anchor = ComputeAnchor(&run_, trigger.until_anchor, day);
    if (anchor.status != DateStatus::Known) return false;
    until = anchor.date;
    return true;
  }

  void NotFired(StepId id, std::int32_t date, Reason reason, DetailKind kind = DetailKind::None,
                std::int32_t detail_date = kNoDate, std::int64_t number = 0) {
    if (!run_.explain) return;
    recoup_not_fired(&run_, static_cast<std::uint8_t>(CauseKind::Step), id, date, static_cast<std::uint8_t>(reason),
                     static_cast<std::uint8_t>(kind), detail_date, number, recoup_read_mark(&run_));
  }

  // Sections 4 to 6: one step's chance on one day; true when something was
  // decided (it fired, or it was decided that it does not).
  bool TryStep(StepId id, std::int32_t day) {
    StepState& state = run_.steps[id];
    if (state.done || state.last_decided == day) return false;
    const Step& step = ir_.steps[id];
    bool recurring = step.trigger.kind == TriggerKind::Every;
    std::int32_t scheduled = 0;
    std::int64_t index = 0;
    if (state.waiting_since != kNoDate) {
      scheduled = state.waiting_since;
      index = state.waiting_occurrence;
    } else {
      // A known fixed date that is not today: nothing to decide.
      if (state.date_known && fixed_date_[id] != kNoDate && fixed_date_[id] != day) return false;
      Occurrence occurrence = Locate(id, day);
      if (occurrence.status != DateStatus::Known) return false;
      scheduled = occurrence.date;
      index = occurrence.index;
      bool first_known = !state.date_known;
      state.date_known = 1;
      if (!run_.customer && !recurring && scheduled < (*run_.accounts)[0].issue) {
        state.done = 1;
        NotFired(id, scheduled, Reason::BeforeIssue, DetailKind::Date, (*run_.accounts)[0].issue);
        return true;
      }
      if (scheduled < day) {
        if (run_.customer || !first_known) return false;
        state.done = 1;
        NotFired(id, scheduled, Reason::DatePassed, DetailKind::Date, day);
        return true;
      }
      if (scheduled > day) return false;
    }
    if (recurring && step.trigger.max_times && state.fired >= *step.trigger.max_times) {
      state.done = 1;  // `max 0 times`
      NotFired(id, scheduled, Reason::MaxReached, DetailKind::Integer, kNoDate, *step.trigger.max_times);
      return true;
    }
    if (recurring) {
      std::int32_t until = kNoDate;
      if (UntilDate(step.trigger, day, until) && day >= until) {
        state.done = 1;
        state.waiting_since = kNoDate;
        NotFired(id, scheduled, Reason::UntilReached, DetailKind::Date, until);
        return true;
      }
    }
    std::uint8_t why = static_cast<std::uint8_t>(Reason::SubjectSettled);
    std::int32_t ended = kNoDate;
    if (!recoup_active(&run_, day, &why, &ended)) {
      // A customer with nothing open may get new invoices; anything else is final.
      if (!recurring || run_.end_kind != EndKind::None || !run_.customer) state.done = 1;
      state.waiting_since = kNoDate;
      state.last_decided = day;
      NotFired(id, scheduled, static_cast<Reason>(why), ended == kNoDate ? DetailKind::None : DetailKind::Date, ended);
      return true;
    }
    std::uint8_t pause_reason = 0;
    auto pause = static_cast<PauseEffect>(recoup_pause_on(&run_, day, &pause_reason));
    if (pause == PauseEffect::Skip) {
      if (!recurring) state.done = 1;
      state.waiting_since = kNoDate;
      state.last_decided = day;
      NotFired(id, scheduled, Reason::PauseSkipped, static_cast<DetailKind>(pause_reason));
      return true;
    }
    if (pause == PauseEffect::Defer) {
      if (state.waiting_since == kNoDate) {
        state.waiting_since = scheduled;
        state.waiting_occurrence = index;
        recoup_deferred(&run_, day, id, pause_reason);
      }
      return false;
    }
    state.last_decided = day;
    state.waiting_since = kNoDate;
    std::uint32_t first_read = recoup_read_mark(&run_);
    if (step.guard != kNoId) {
      std::int32_t passes = recoup_evaluate(&run_, step.guard, day);
      // After a run's first error (an earlier step's guard, this same
      // day), a false guard decides nothing: the run is unwinding.
      if (passes < 0 || (passes == 0 && run_.failed)) return false;
      if (passes == 0) {
        if (!recurring) state.done = 1;
        if (run_.explain)
          recoup_not_fired(&run_, static_cast<std::uint8_t>(CauseKind::Step), id, day,
                         static_cast<std::uint8_t>(Reason::GuardFalse), static_cast<std::uint8_t>(DetailKind::None),
                         kNoDate, 0, first_read);
        return true;
      }
    }
    ++state.fired;
    if (state.first_fired == kNoDate) {
      state.first_fired = day;
      if (has_dependents_[id]) {
        dates_moved_ = true;
        std::fill(chance_, chance_ + step_count_, kChanceUnknown);
      }
    }
    Fire(CauseKind::Step, id, day, scheduled, index, first_read);
    if (!recurring) state.done = 1;
    if (recurring && step.trigger.max_times && state.fired >= *step.trigger.max_times) {
      state.done = 1;
      NotFired(id, day, Reason::MaxReached, DetailKind::Integer, kNoDate, *step.trigger.max_times);
    }
    return true;
  }

  // Sections 7 to 12: a step or stop rule fires; its actions in order.
  void Fire(CauseKind cause, std::uint32_t index, std::int32_t day, std::int32_t scheduled, std::int64_t occurrence,
            std::uint32_t first_read) {
    const std::vector<Action>& actions = cause == CauseKind::Step ? ir_.steps[index].actions : ir_.stops[index].actions;
    auto cause_code = static_cast<std::uint8_t>(cause);
    recoup_fire_begin(&run_, cause_code, index, day, scheduled, occurrence, first_read);
    for (std::uint32_t k = 0; k < actions.size() && !run_.failed; ++k) recoup_run_action(&run_, cause_code, index, k, day);
    recoup_fire_end(&run_);
    ++epoch_;  // first firings and balances move anchors
  }

  // Section 15: what never fired, decided when the run ends.
  void ReportUnfinished() {
    std::size_t first_new = run_.trace->not_fired.size();
    std::int32_t after = run_.horizon + 1;
    for (StepId id = 0; id < run_.step_count; ++id) {
      StepState& state = run_.steps[id];
      if (state.done) continue;
      if (state.waiting_since != kNoDate) {
        std::uint8_t reason = 0;
        recoup_pause_on(&run_, run_.horizon, &reason);
        NotFired(id, state.waiting_since, Reason::PausedUntilHorizon, static_cast<DetailKind>(reason));
        continue;
      }
      if (state.fired > 0 || state.last_decided != kNoDate) continue;  // a recurring step already accounted for
      std::uint8_t why = static_cast<std::uint8_t>(Reason::SubjectSettled);
      std::int32_t ended = kNoDate;
      DetailKind ended_kind = DetailKind::None;
      if (!recoup_active(&run_, run_.horizon, &why, &ended)) {
        ended_kind = ended == kNoDate ? DetailKind::None : DetailKind::Date;
        if (why != static_cast<std::uint8_t>(Reason::NoOpenInvoice)) {
          NotFired(id, kNoDate, static_cast<Reason>(why), ended_kind, ended);
          continue;
        }
      }
      Occurrence occurrence = Locate(id, after);
      switch (occurrence.status) {
        case DateStatus::WaitingForStep:
          NotFired(id, kNoDate, Reason::AnchorNeverFired, DetailKind::StepName, kNoDate, occurrence.waiting_for);
          run_.trace->not_fired.back().related_step = occurrence.waiting_for;
          break;
        case DateStatus::NoPromise: NotFired(id, kNoDate, Reason::NoPromise); break;
        case DateStatus::WaitingForPromise:
          NotFired(id, kNoDate, Reason::AfterHorizon, DetailKind::PromiseAfterHorizon);
          break;
        case DateStatus::NoOpenInvoice: NotFired(id, kNoDate, static_cast<Reason>(why), ended_kind, ended); break;
        case DateStatus::Known: {
          Occurrence first = occurrence;
          if (ir_.steps[id].trigger.kind == TriggerKind::Every) first = Locate(id, run_.start);
          if (first.date > run_.horizon) {
            NotFired(id, first.date, Reason::AfterHorizon, DetailKind::Date, run_.horizon);
          } else {
            NotFired(id, first.date, Reason::DatePassed);
          }
          break;
        }
      }
    }
    for (std::size_t i = first_new; i < run_.trace->not_fired.size(); ++i) run_.trace->not_fired[i].decided_at_end = 1;
  }

  const PolicyIr& ir_;
  RunState& run_;
  // The workspace's per-step buffers, sized for this run.
  std::uint32_t step_count_ = 0;
  LocateMemo* memo_ = nullptr;
  std::int32_t* fixed_date_ = nullptr;
  // Per step: its next chance (a day), kChanceUnknown or kChanceNever. A
  // step is not tried on a wake day before its chance.
  std::int32_t* chance_ = nullptr;
  // The smallest chance when the wake day was chosen (RunSteps has nothing
  // to try before it); kChanceUnknown before the first.
  std::int32_t earliest_chance_ = kChanceUnknown;
  std::uint64_t epoch_ = 1;
  bool has_paid_stop_actions_ = false;
  // Stop rules can do something (a condition, or `stop when paid` actions);
  // without, the event-day check that guards them is skipped.
  bool stops_matter_ = false;
  const std::uint8_t* has_dependents_ = nullptr;  // per step: another step's date counts from it
  bool dates_moved_ = false;
  FactDays& facts_;               // the subject's fact days, walked forward
  std::uint8_t today_facts_ = 0;  // what falls on the day being run
};

class InterpreterEngine final : public PolicyEngine {
 public:
  explicit InterpreterEngine(const PolicyIr& policy) : policy_(MakeRunPolicy(policy)) {}

  void Run(const SubjectView& subject, const EngineOptions& options, EngineWorkspace& workspace,
           Trace& trace) const override {
    RunState* run = workspace.PrepareRun(*policy_, subject, options, trace);
    if (run == nullptr) return;
    EngineWorkspace::Impl& impl = workspace.impl();
    Driver(*policy_->ir, *run, impl).Run();
  }

  std::string_view name() const override { return "interpreter"; }

 private:
  std::shared_ptr<const RunPolicy> policy_;
};

}  // namespace

std::unique_ptr<PolicyEngine> MakeInterpreterEngine(const PolicyIr& policy) {
  return std::make_unique<InterpreterEngine>(policy);
}

}  // namespace recoup::compiler
