// One draw of one subject: the interpreter run again and again with the
// payments (and promises to pay) sampled so far, each new event sampled
// from the hazard given the actions the last run took before it. A run's
// actions up to a day depend only on facts up to that day, so the next
// event drawn from the current run stays valid once it is added.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "compiler/interpreter.h"
#include "runtime/counter_random.h"
#include "simulation/monte_carlo_internal.h"
#include "simulation/replay.h"

namespace recoup::simulation::monte_carlo_detail {
namespace {

using runtime::Date;

constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

// A factor over days [begin, end].
struct Window {
  std::int32_t begin = 0, end = 0;
  double factor = 1;
  bool applies_when_placed = false;  // dispute and promise factors do, action effects do not
};

int IntervalIn(const std::vector<std::int32_t>& starts, std::int32_t value) {
  int interval = 0;
  while (interval + 1 < static_cast<int>(starts.size()) && value >= starts[interval + 1]) ++interval;
  return interval;
}

// What one invoice's last run says about it.
struct InvoiceRun {
  std::vector<std::pair<std::int32_t, compiler::ActionKind>> actions;  // day order
  std::int32_t placed = kNever;
  std::int32_t written_off = kNever;
};

// One invoice's random state in this draw.
struct InvoiceClock {
  const compiler::InvoiceFacts* facts = nullptr;
  const runtime::SegmentHazards* segment = nullptr;
  std::int32_t issue = 0, due = 0;
  double clock = 0;         // exponential: the first payment comes when the cumulative hazard reaches it
  bool partial = false;     // the first payment leaves a remainder
  enum class Stage : std::uint8_t { First, Remainder, Done } stage = Stage::First;
  std::int32_t remainder_day = kNever;
  std::uint32_t calls_decided = 0;
  runtime::RandomStream promises{0, 0};
};

class SubjectDraw {
 public:
  SubjectDraw(const compiler::PolicyIr& policy, const compiler::SubjectFacts& facts, Date horizon,
              const runtime::PaymentModel& model)
      : policy_(policy), facts_(facts), horizon_(horizon), model_(model) {
    options_.horizon = horizon;
  }

  std::string Prepare(const runtime::Ledger& ledger, const SubjectPlan& plan, std::size_t subject, std::uint64_t seed,
                      std::uint32_t draw) {
    const std::string_view segment_name =
        ledger.texts.Get(ledger.customers.segment[plan.subject_customer[subject]]);
    const runtime::SegmentHazards* segment = model_.FindSegment(segment_name);
    if (segment == nullptr) segment = model_.FindSegment("*");
    if (segment == nullptr) {
      return fmt::format("the payment model has no hazard for segment `{}` (and no \"*\" segment)", segment_name);
    }
    clocks_.resize(facts_.invoices.size());
    for (std::size_t j = 0; j < facts_.invoices.size(); ++j) {
      const compiler::InvoiceFacts& invoice = facts_.invoices[j];
      const std::uint64_t index = *ledger.invoice_ids.Find(invoice.id);
      InvoiceClock& clock = clocks_[j];
      clock.facts = &invoice;
      clock.segment = segment;
      clock.issue = invoice.issue.days();
      clock.due = invoice.due.days();
      runtime::RandomStream stream(seed, static_cast<std::uint64_t>(StreamPurpose::PaymentClock), index, draw);
      clock.clock = stream.Exponential(1);
      clock.partial = stream.Uniform() < segment->partial_share;
      clock.promises = runtime::RandomStream(seed, static_cast<std::uint64_t>(StreamPurpose::Promise), index, draw);
    }
    return "";
  }

  // Runs to the end; the last run is in result().
  std::uint32_t Run() {
    std::uint32_t runs = 0;
    // Every event is a payment (at most two an invoice) or a call's
    // decision, taken in day order; the limit only guards against a bug.
    const std::size_t limit = 100000 + 16 * clocks_.size();
    bool rerun = true;
    for (std::size_t step = 0; step <= limit; ++step) {
      if (rerun) {
        result_ = compiler::Interpret(policy_, facts_, options_);
        ++runs;
        if (result_.error) return runs;
        if (TopUp()) continue;
        ReadRun();
      }
      rerun = NextEvent();
      if (!rerun && done_) return runs;
    }
    result_.error = "the Monte Carlo simulation did not settle (too many events): this is a bug in Recoup";
    return runs;
  }

  const compiler::InterpretResult& result() const { return result_; }
  const compiler::SubjectFacts& facts() const { return facts_; }

 private:
  void ReadRun() {
    runs_.assign(clocks_.size(), InvoiceRun{});
    auto slot_of = [&](const std::string& id) -> std::size_t {
      for (std::size_t j = 0; j < clocks_.size(); ++j) {
        if (clocks_[j].facts->id == id) return j;
      }
      return clocks_.size();
    };
    for (const compiler::Firing& firing : result_.firings) {
      for (const compiler::ActionRecord& record : firing.actions) {
        for (const std::string& id : record.invoices) {
          const std::size_t j = slot_of(id);
          if (j == clocks_.size()) continue;
          runs_[j].actions.emplace_back(firing.date.days(), record.kind);
          if (record.kind == compiler::ActionKind::Agency && runs_[j].placed == kNever) runs_[j].placed = firing.date.days();
        }
      }
    }
    // An invoice the policy does not cover is left as it is: nothing to sample.
    for (const compiler::NotCovered& left : result_.not_covered) {
      const std::size_t j = slot_of(left.invoice);
      if (j < clocks_.size()) clocks_[j].stage = InvoiceClock::Stage::Done;
    }
    for (const compiler::LedgerEvent& event : result_.ledger) {
      if (event.kind != compiler::LedgerEvent::Kind::WrittenOff) continue;
      const std::size_t j = slot_of(event.invoice);
      if (j < clocks_.size()) runs_[j].written_off = std::min(runs_[j].written_off, event.date.days());
    }
  }

  // What invoice j owes when a payment arrives on `day`: amount, fees
  // charged before that day, interest posted up to it, less what was
  // applied and written off.
  std::int64_t OwedAt(std::size_t j, std::int32_t day) const {
    const compiler::InvoiceFacts& invoice = *clocks_[j].facts;
    std::int64_t owed = invoice.amount.minor;
    // Fees are reported with the action that charged them (on the first
    // invoice it covers); a fee charged on the payment's day comes after it.
    for (const compiler::Firing& firing : result_.firings) {
      if (firing.date.days() >= day) continue;
      for (const compiler::ActionRecord& record : firing.actions) {
        if (record.kind == compiler::ActionKind::Fee && record.amount && !record.invoices.empty() &&
            record.invoices.front() == invoice.id) {
          owed += record.amount->minor;
        }
      }
    }
    for (const compiler::LedgerEvent& event : result_.ledger) {
      if (event.invoice != invoice.id || event.date.days() > day) continue;
      switch (event.kind) {
        case compiler::LedgerEvent::Kind::Payment:
          owed -= event.to_fees.minor + event.to_interest.minor + event.to_principal.minor;
          break;
        case compiler::LedgerEvent::Kind::InterestPosted: owed += event.amount.minor; break;
        case compiler::LedgerEvent::Kind::WrittenOff:
          if (event.date.days() < day) owed -= event.amount.minor;
          break;
        default: break;
      }
    }
    return owed;
  }

  const runtime::ActionEffect* EffectOf(compiler::ActionKind kind) const {
    return model_.FindEffect(compiler::ActionSpelling(kind));
  }

  // The first day on which invoice j's cumulative hazard reaches its clock,
  // or kNever within the horizon.
  std::int32_t FirstPaymentDay(std::size_t j) {
    const InvoiceClock& clock = clocks_[j];
    const InvoiceRun& run = runs_[j];
    const std::int32_t first = clock.issue + 1;
    const std::int32_t last = std::min(horizon_.days(), run.written_off);
    if (last < first) return kNever;
    windows_.clear();
    for (const auto& [day, kind] : run.actions) {
      if (kind == compiler::ActionKind::Agency) continue;
      if (const runtime::ActionEffect* effect = EffectOf(kind)) {
        windows_.push_back({day + 1, day + effect->window_days, effect->factor.value, false});
      }
    }
    for (const compiler::DisputeFacts& dispute : facts_.disputes) {
      if (dispute.invoice != clock.facts->id && !(dispute.invoice.empty() && j == 0)) continue;
      windows_.push_back({dispute.opened.days() + 1, dispute.resolved ? dispute.resolved->days() : kNever - 1,
                          model_.dispute_factor.value, true});
    }
    for (const compiler::PromiseFacts& promise : facts_.promises) {
      if (promise.invoice != clock.facts->id) continue;
      // Sampled promises are recorded as made the day after their call
      // (see NextEvent), so the factor applies from `made`.
      windows_.push_back({promise.made ? promise.made->days() : clock.due + 1, promise.promised.days(),
                          model_.promise_factor.value, true});
    }
    cuts_.clear();
    cuts_.push_back(first);
    cuts_.push_back(last + 1);
    for (std::size_t k = 1; k < model_.interval_starts.size(); ++k) cuts_.push_back(clock.due + model_.interval_starts[k]);
    if (run.placed != kNever) {
      cuts_.push_back(run.placed + 1);
      for (std::size_t k = 1; k < model_.agency_interval_starts.size(); ++k) {
        cuts_.push_back(run.placed + model_.agency_interval_starts[k]);
      }
    }
    for (const Window& window : windows_) {
      cuts_.push_back(window.begin);
      if (window.end < kNever - 1) cuts_.push_back(window.end + 1);
    }
    std::sort(cuts_.begin(), cuts_.end());
    cuts_.erase(std::unique(cuts_.begin(), cuts_.end()), cuts_.end());
    double cumulative = 0;
    for (std::size_t c = 0; c + 1 < cuts_.size(); ++c) {
      const std::int32_t from = cuts_[c], to = cuts_[c + 1] - 1;
      if (to < first || from > last) continue;
      const bool placed = run.placed != kNever && from > run.placed;
      double hazard = placed ? model_.agency_hazard[IntervalIn(model_.agency_interval_starts, from - run.placed)].value
                             : clock.segment->daily[IntervalIn(model_.interval_starts, from - clock.due)].value;
      for (const Window& window : windows_) {
        if (from >= window.begin && from <= window.end && (!placed || window.applies_when_placed)) hazard *= window.factor;
      }
      if (hazard <= 0) continue;
      if (hazard >= 1) return from;
      const double rate = -std::log1p(-hazard);
      const double length = static_cast<double>(to - from + 1);
      if (cumulative + rate * length >= clock.clock) {
        const double needed = std::ceil((clock.clock - cumulative) / rate);
        return from + std::max<std::int32_t>(0, static_cast<std::int32_t>(needed) - 1);
      }
      cumulative += rate * length;
    }
    return kNever;
  }

  // The next call of invoice j not yet decided, or kNever.
  std::int32_t NextCall(std::size_t j) const {
    std::uint32_t seen = 0;
    for (const auto& [day, kind] : runs_[j].actions) {
      if (kind != compiler::ActionKind::Call) continue;
      if (seen++ == clocks_[j].calls_decided) return day;
    }
    return kNever;
  }

  // Finds and applies the earliest event; true when the facts changed.
  bool NextEvent() {
    enum class Kind { Payment, Remainder, Call } kind = Kind::Payment;
    std::int32_t best = kNever;
    std::size_t who = 0;
    for (std::size_t j = 0; j < clocks_.size(); ++j) {
      InvoiceClock& clock = clocks_[j];
      std::int32_t day = kNever;
      Kind event = Kind::Payment;
      if (clock.stage == InvoiceClock::Stage::First) {
        day = FirstPaymentDay(j);
      } else if (clock.stage == InvoiceClock::Stage::Remainder) {
        day = clock.remainder_day <= std::min(horizon_.days(), runs_[j].written_off) ? clock.remainder_day : kNever;
        event = Kind::Remainder;
      }
      // A call on the day of a payment comes after it (payments first).
      const std::int32_t call = clock.stage == InvoiceClock::Stage::Done ? kNever : NextCall(j);
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
    const compiler::InvoiceFacts& invoice = *clock.facts;
    if (kind == Kind::Call) {
      clock.calls_decided += 1;
      if (clock.promises.Uniform() < model_.promise_rate_after_call) {
        // Made the day after the call: a promise made on the call's own day
        // would pause (`pause on promise`) the very call that obtained it.
        const Date call = Date::FromDays(best);
        facts_.promises.push_back({invoice.id, call.AddDays(1), call.AddDays(model_.promise_days)});
        return true;
      }
      return false;
    }
    const std::int64_t owed = OwedAt(who, best);
    if (owed <= 0) {
      clock.stage = InvoiceClock::Stage::Done;
      return false;
    }
    std::int64_t amount = owed;
    if (kind == Kind::Payment && clock.partial && owed > 1) {
      amount = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(model_.partial_fraction * static_cast<double>(owed))),
                                        1, owed - 1);
      clock.stage = InvoiceClock::Stage::Remainder;
      clock.remainder_day = best + model_.partial_gap_days;
    } else {
      clock.stage = InvoiceClock::Stage::Done;
    }
    facts_.payments.push_back({invoice.id, Date::FromDays(best), runtime::Money{amount, invoice.amount.currency}});
    if (clock.stage == InvoiceClock::Stage::Done) {
      pending_top_up_.push_back({who, best});
      // History's disputes stay, except those it opened after this
      // invoice is now paid in full: nobody disputes a settled invoice.
      std::erase_if(facts_.disputes, [&](const compiler::DisputeFacts& dispute) {
        return dispute.invoice == invoice.id && dispute.opened.days() > best;
      });
    }
    return true;
  }

  // Interest posted because of a payment is only known after the run that
  // includes it: a full payment is topped up (once) so it settles what was
  // owed. True when a payment changed and the subject must run again.
  bool TopUp() {
    bool changed = false;
    for (const auto& [j, day] : pending_top_up_) {
      const std::int64_t left = OwedAt(j, day);
      if (left <= 0) continue;
      for (compiler::PaymentFacts& payment : facts_.payments) {
        if (payment.invoice == clocks_[j].facts->id && payment.date.days() == day) {
          payment.amount.minor += left;
          changed = true;
          break;
        }
      }
    }
    pending_top_up_.clear();
    return changed;
  }

 private:
  const compiler::PolicyIr& policy_;
  compiler::SubjectFacts facts_;
  Date horizon_;
  const runtime::PaymentModel& model_;
  compiler::InterpretOptions options_;
  compiler::InterpretResult result_;
  std::vector<InvoiceClock> clocks_;
  std::vector<InvoiceRun> runs_;
  std::vector<Window> windows_;
  std::vector<std::int32_t> cuts_;
  std::vector<std::pair<std::size_t, std::int32_t>> pending_top_up_;
  bool done_ = false;
};

}  // namespace

std::uint32_t SimulateSubjectDraw(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                  const SubjectPlan& plan, std::size_t subject, const compiler::SubjectFacts& facts,
                                  Date horizon, const runtime::PaymentModel& model, std::uint64_t seed,
                                  std::uint32_t draw, SubjectOutcome& outcome) {
  SubjectDraw simulation(policy, facts, horizon, model);
  std::string problem = simulation.Prepare(ledger, plan, subject, seed, draw);
  if (!problem.empty()) {
    outcome = SubjectOutcome{};
    outcome.customer = plan.subject_customer[subject];
    outcome.error = fmt::format("customer `{}`: {}", facts.customer_id, problem);
    return 0;
  }
  const std::uint32_t runs = simulation.Run();
  OutcomeFromRun(ledger, policy, plan, subject, simulation.facts(), simulation.result(), horizon, outcome);
  return runs;
}

}  // namespace recoup::simulation::monte_carlo_detail
