// One draw of one subject: the policy engine run over the subject's facts
// plus the events sampled so far, each new event sampled from the hazard
// given the actions that run took before it. A run's actions up to a day
// depend only on facts up to that day, so an event drawn from the current
// run stays valid once it is added.
//
// A run is a pure function of the subject and the sampled facts, and most
// draws of a subject sample the same few: nothing before the first
// payment, then a payment on one of a few likely days. So runs are kept
// per subject, keyed by the sampled facts (RunMemo): a draw pays for an
// engine run only when it reaches facts no earlier draw of the subject
// reached. The first run (no sampled facts) is made once per subject and
// policy, whatever the number of draws. And the last run of most draws,
// after the payment that settles a one-invoice subject, is not made but
// derived from the run before it (DeriveSettledOutcome).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "simulation/monte_carlo_internal.h"

namespace recoup::simulation::monte_carlo_detail {

namespace abi = compiler::abi;

SubjectSimulator::SubjectSimulator(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                   const compiler::PolicyEngine& engine, const SubjectPlan& plan,
                                   std::int32_t horizon_days, bool reuse_runs)
    : ledger_(ledger), policy_(policy), engine_(engine), plan_(plan), horizon_days_(horizon_days),
      reuse_runs_(reuse_runs), settlement_derivable_(reuse_runs && SettlementDerivable(policy)) {}

void SubjectSimulator::BeginSubject(std::size_t subject) {
  subject_ = subject;
  base_view_ = BuildSubjectView(ledger_, plan_, subject, workspace_.view);
  frame_.view = &base_view_;
  frame_.horizon = SubjectHorizon(ledger_, plan_, subject, horizon_days_);
  order_ = plan_.invoice_order.data() + plan_.subject_begin[subject];
  segment_name_ = ledger_.texts.Get(ledger_.customers.segment[plan_.subject_customer[subject]]);
  hazards_model_ = nullptr;
  derive_settlement_ = settlement_derivable_ && base_view_.invoice_count == 1;
  prefix_seed_.reset();
  ClearMemo();
}

void SubjectSimulator::ClearMemo() {
  memo_.Clear();
  root_ = nullptr;
}

void SubjectSimulator::MixStreamPrefixes(std::uint64_t seed) {
  prefix_seed_ = seed;
  clock_prefix_.resize(base_view_.invoice_count);
  promise_prefix_.resize(base_view_.invoice_count);
  for (std::size_t j = 0; j < clock_prefix_.size(); ++j) {
    clock_prefix_[j] =
        runtime::RandomStream::Prefix(seed, static_cast<std::uint64_t>(StreamPurpose::PaymentClock), order_[j]);
    promise_prefix_[j] = runtime::RandomStream::Prefix(seed, static_cast<std::uint64_t>(StreamPurpose::Promise), order_[j]);
  }
}

RunRecord& SubjectSimulator::Fetch() {
  if (reuse_runs_ && root_ != nullptr && key_.empty()) {
    ++reused_runs_;
    return *root_;
  }
  const std::uint64_t hash = RunMemo::Hash(key_);
  if (reuse_runs_) {
    if (RunRecord* found = memo_.Find(key_, hash)) {
      ++reused_runs_;
      return *found;
    }
  } else {
    ClearMemo();
  }
  // The subject's facts without its payments and promises, with the
  // sampled ones, and without the disputes history opened after a sampled
  // settlement (nobody disputes a settled invoice).
  payments_.clear();
  promises_.clear();
  disputes_.clear();
  for (const SampledFact& fact : key_) {
    if (fact.kind == SampledFact::Kind::Payment) {
      payments_.push_back({fact.invoice, fact.invoice, fact.day, base_view_.invoices[fact.invoice].currency, fact.amount});
    } else if (fact.kind == SampledFact::Kind::Promise) {
      promises_.push_back({fact.invoice, fact.invoice, fact.day, fact.until});
    }
  }
  for (std::uint32_t d = 0; d < base_view_.dispute_count; ++d) {
    const abi::DisputeView& dispute = base_view_.disputes[d];
    const bool dropped = std::any_of(key_.begin(), key_.end(), [&](const SampledFact& fact) {
      return fact.kind == SampledFact::Kind::Settled && fact.invoice == dispute.name && dispute.opened > fact.day;
    });
    if (!dropped) disputes_.push_back(dispute);
  }
  run_view_ = base_view_;
  run_view_.payments = payments_.data();
  run_view_.payment_count = static_cast<std::uint32_t>(payments_.size());
  run_view_.promises = promises_.data();
  run_view_.promise_count = static_cast<std::uint32_t>(promises_.size());
  run_view_.disputes = disputes_.data();
  run_view_.dispute_count = static_cast<std::uint32_t>(disputes_.size());

  compiler::EngineOptions options;
  options.horizon = frame_.horizon;
  options.explain = false;
  engine_.Run(run_view_, options, workspace_.engine, workspace_.trace);
  ++engine_runs_;
  if (memo_.full()) ClearMemo();
  RunRecord& record = memo_.Add(key_, hash);
  if (key_.empty()) root_ = &record;
  ReadRun(policy_, run_view_, workspace_.trace, record, scratch_);
  OutcomeFromTrace(ledger_, policy_, plan_, subject_, run_view_, workspace_.trace, frame_.horizon, workspace_,
                   record.outcome);
  return record;
}

// Interest posted because of a payment is only known after the run that
// includes it: a full payment is topped up (once) so it settles what was
// owed. True when a payment changed and the subject must run again.
bool SubjectSimulator::TopUp(const RunRecord& record) {
  bool changed = false;
  for (const auto& [j, day] : pending_top_up_) {
    const std::int64_t left = OwedAt(record, j, base_view_.invoices[j].amount, day);
    if (left <= 0) continue;
    for (SampledFact& fact : key_) {
      if (fact.kind == SampledFact::Kind::Payment && fact.invoice == static_cast<std::int32_t>(j) && fact.day == day) {
        fact.amount += left;
        changed = true;
        break;
      }
    }
  }
  pending_top_up_.clear();
  return changed;
}

std::int32_t SubjectSimulator::NextCall(const RunRecord& record, std::size_t j) const {
  const std::uint32_t call = record.call_begin[j] + clocks_[j].calls_decided;
  return call < record.call_begin[j + 1] ? record.call_days[call] : kNever;
}

// Finds and applies the earliest event (a first payment, a remainder, a
// call's promise decision); true when the facts changed.
bool SubjectSimulator::NextEvent(RunRecord& record, const runtime::PaymentModel& model,
                                 const runtime::SegmentHazards& hazards) {
  enum class Kind { Payment, Remainder, Call } kind = Kind::Payment;
  std::int32_t best = kNever;
  std::size_t who = 0;
  for (std::size_t j = 0; j < clocks_.size(); ++j) {
    InvoiceClock& clock = clocks_[j];
    std::int32_t day = kNever;
    Kind event = Kind::Payment;
    if (clock.stage == InvoiceClock::Stage::First) {
      if (!clock.first_day_known) {
        EnsureSegments(frame_, model, hazards, record, j, scratch_);
        clock.first_day = FirstPaymentDay(record, j, clock.clock);
        clock.first_day_known = true;
      }
      day = clock.first_day;
    } else if (clock.stage == InvoiceClock::Stage::Remainder) {
      day = clock.remainder_day <= std::min(frame_.horizon.days(), record.written_off[j]) ? clock.remainder_day : kNever;
      event = Kind::Remainder;
    }
    // A call on the day of a payment comes after it (payments first).
    const std::int32_t call = clock.stage == InvoiceClock::Stage::Done ? kNever : NextCall(record, j);
    if (call < day) {
      day = call;
      event = Kind::Call;
    }
    if (day < best) {
      best = day;
      who = j;
      kind = event;
    }
  }
  if (best == kNever) {
    done_ = true;
    return false;
  }
  InvoiceClock& clock = clocks_[who];
  const auto invoice = static_cast<std::int32_t>(who);
  if (kind == Kind::Call) {
    // The invoice's promise stream, made at its first call (most draws
    // reach none).
    if (clock.calls_decided == 0) clock.promises = runtime::RandomStream::FromPrefix(promise_prefix_[who], draw_);
    clock.calls_decided += 1;
    if (clock.promises.Uniform() < model.promise_rate_after_call) {
      // Made the day after the call: a promise made on the call's own day
      // would pause (`pause on promise`) the very call that obtained it.
      key_.push_back({SampledFact::Kind::Promise, invoice, best + 1, best + model.promise_days, 0});
      return true;
    }
    return false;
  }
  const std::int64_t owed = OwedAt(record, who, base_view_.invoices[who].amount, best);
  if (owed <= 0) {
    clock.stage = InvoiceClock::Stage::Done;
    return false;
  }
  std::int64_t amount = owed;
  if (kind == Kind::Payment && clock.partial && owed > 1) {
    amount = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::floor(model.partial_fraction * static_cast<double>(owed))), 1, owed - 1);
    clock.stage = InvoiceClock::Stage::Remainder;
    clock.remainder_day = best + model.partial_gap_days;
  } else {
    clock.stage = InvoiceClock::Stage::Done;
  }
  if (derive_settlement_ && clock.stage == InvoiceClock::Stage::Done &&
      DeriveSettledOutcome(record, best, amount, plan_.currency, *draw_outcome_)) {
    // The subject's only invoice settled (by its first payment or a
    // partial payment's remainder): the draw ends here, with the outcome
    // of the run that adds the payment derived from this run, not made.
    ++derived_runs_;
    derived_ = true;
    done_ = true;
    return false;
  }
  key_.push_back({SampledFact::Kind::Payment, invoice, best, 0, amount});
  if (clock.stage == InvoiceClock::Stage::Done) {
    pending_top_up_.emplace_back(who, best);
    key_.push_back({SampledFact::Kind::Settled, invoice, best, 0, 0});
  }
  return true;
}

void SubjectSimulator::SimulateDraw(const runtime::PaymentModel& model, std::uint64_t seed, std::uint32_t draw,
                                    SubjectOutcome& outcome) {
  if (hazards_model_ != &model) {
    hazards_model_ = &model;
    hazards_ = model.FindSegment(segment_name_);
    if (hazards_ == nullptr) hazards_ = model.FindSegment("*");
  }
  const runtime::SegmentHazards* hazards = hazards_;
  if (hazards == nullptr) {
    outcome = SubjectOutcome{};
    outcome.customer = plan_.subject_customer[subject_];
    outcome.error = fmt::format("customer `{}`: the payment model has no hazard for segment `{}` (and no \"*\" segment)",
                                ledger_.customer_ids.Get(outcome.customer), segment_name_);
    return;
  }
  if (memo_.full()) ClearMemo();
  if (prefix_seed_ != seed) MixStreamPrefixes(seed);
  key_.clear();
  pending_top_up_.clear();
  done_ = false;
  derived_ = false;
  draw_outcome_ = &outcome;
  draw_ = draw;
  clocks_.resize(base_view_.invoice_count);
  for (std::size_t j = 0; j < clocks_.size(); ++j) {
    InvoiceClock& clock = clocks_[j];
    runtime::RandomStream stream = runtime::RandomStream::FromPrefix(clock_prefix_[j], draw);
    clock.clock = stream.Exponential(1);
    clock.partial = stream.Uniform() < hazards->partial_share;
    clock.first_day_known = false;
    clock.stage = InvoiceClock::Stage::First;
    clock.remainder_day = kNever;
    clock.calls_decided = 0;
  }
  // Every event is a payment (at most two an invoice) or a call's
  // decision, taken in day order; the limit only guards against a bug.
  const std::size_t limit = 100000 + 16 * clocks_.size();
  RunRecord* record = nullptr;
  bool rerun = true;
  bool finished = false;
  for (std::size_t step = 0; step <= limit && !finished; ++step) {
    if (rerun) {
      record = &Fetch();
      if (record->failed) break;
      if (TopUp(*record)) continue;
      // An invoice the policy does not cover is left as it is: nothing to
      // sample. The others' first payments are found in this run.
      for (std::size_t j = 0; j < clocks_.size(); ++j) {
        if (!record->covered[j]) clocks_[j].stage = InvoiceClock::Stage::Done;
        clocks_[j].first_day_known = false;
      }
    }
    rerun = NextEvent(*record, model, *hazards);
    finished = !rerun && done_;
  }
  if (derived_) return;  // NextEvent wrote the outcome
  if (!finished && !record->failed) {
    outcome = SubjectOutcome{};
    outcome.customer = plan_.subject_customer[subject_];
    outcome.error = "the Monte Carlo simulation did not settle (too many events): this is a bug in Recoup";
    return;
  }
  outcome = record->outcome;
}

}  // namespace recoup::simulation::monte_carlo_detail
