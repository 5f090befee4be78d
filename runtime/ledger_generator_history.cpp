// One invoice's history, day by day: the payment hazard of its segment and
// the actions taken, the dunning policy's steps, disputes, promises, late
// fees, instalments, agency recovery and the write-off
// (ledger_generator_model.h holds every number used here).
#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/counter_random.h"
#include "runtime/ledger_generator_internal.h"

namespace recoup::runtime::generator_detail {
namespace {

// Saturday and Sunday move to the next Monday.
std::int32_t NextWeekday(std::int32_t day) {
  const std::uint32_t weekday = Date::FromDays(day).weekday();
  return weekday == 5 ? day + 2 : weekday == 6 ? day + 1 : day;
}

// What is decided before the first day: the steps' dates, the dispute, the
// instalment plan. Drawn in a fixed order from the invoice's own stream.
struct InvoicePlan {
  std::array<std::int32_t, kActionKinds> step_day{};
  bool disputed = false;
  std::int32_t dispute_opened = kNever;
  std::int32_t dispute_resolved = kNever;
  int instalments = 1;
  std::array<double, 2> fractions{};  // of the balance at the first payment
  std::array<std::int32_t, 2> gaps{};
};

InvoicePlan DrawPlan(const InvoiceDraft& invoice, const SegmentProfile& profile, RandomStream& random) {
  InvoicePlan plan;
  for (const DunningStep& step : DunningSteps()) {
    const auto lag = static_cast<std::int32_t>(random.UniformInt(0, kMaxActionLagDays));
    plan.step_day[static_cast<int>(step.kind)] = NextWeekday(invoice.due + step.days_after_due + lag);
  }
  plan.disputed = random.Bernoulli(profile.dispute_rate);
  if (plan.disputed) {
    const auto offset = static_cast<std::int32_t>(random.UniformInt(kDisputeOpenedFrom, kDisputeOpenedTo));
    plan.dispute_opened = std::max(invoice.issue + 1, invoice.due + offset);
    const double delay = std::max(1.0, std::round(random.LogNormal(kDisputeResolutionMedianDays, kDisputeResolutionSigma)));
    if (!random.Bernoulli(kDisputeNeverResolvedShare)) {
      plan.dispute_resolved = plan.dispute_opened + static_cast<std::int32_t>(std::min(delay, 3650.0));
    }
  }
  if (random.Bernoulli(profile.partial_payment_share)) {
    if (random.Bernoulli(kTwoInstalmentsShare)) {
      plan.instalments = 2;
      plan.fractions[0] = kTwoFirstFractionLow + (kTwoFirstFractionHigh - kTwoFirstFractionLow) * random.Uniform();
    } else {
      plan.instalments = 3;
      for (double& fraction : plan.fractions) {
        fraction = kThreeFractionLow + (kThreeFractionHigh - kThreeFractionLow) * random.Uniform();
      }
    }
    for (std::int32_t& gap : plan.gaps) {
      gap = static_cast<std::int32_t>(random.UniformInt(kInstalmentGapLow, kInstalmentGapHigh));
    }
  }
  return plan;
}

// The running state of one invoice.
class InvoiceHistory {
 public:
  InvoiceHistory(const GeneratorOptions& options, const InvoiceDraft& invoice, std::uint32_t index,
                 const CustomerDraft& customer, GeneratedEvents& events)
      : invoice_(invoice),
        index_(index),
        profile_(*customer.profile),
        random_(options.seed, static_cast<std::uint64_t>(StreamPurpose::InvoiceHistory), invoice.customer,
                invoice.sequence),
        minor_per_major_(MinorPerMajor(options.currency)),
        events_(events) {
    plan_ = DrawPlan(invoice, profile_, random_);
    balance_ = invoice.amount_minor;
    last_fired_.fill(kNever);
  }

  InvoiceOutcome Run(std::int32_t end) {
    const std::int32_t last_day = std::min(end - 1, invoice_.due + kWriteOffDaysAfterDue);
    for (std::int32_t day = invoice_.issue + 1; day <= last_day && balance_ > 0; ++day) {
      Pay(day);
      if (balance_ == 0) break;
      if (plan_.disputed && day == plan_.dispute_opened) {
        events_.disputes.push_back({index_, day, plan_.dispute_resolved});
      }
      if (!placed_) TakeSteps(day);
      if (day == invoice_.due + kWriteOffDaysAfterDue) {
        events_.adjustments.push_back({index_, day, balance_, true});
        outcome_.written_off_minor = balance_;
        balance_ = 0;
      }
    }
    outcome_.open_minor = balance_;
    return outcome_;
  }

 private:
  // A dispute opens and ends after the day's payments (docs/semantics.md,
  // the order of one day): it slows payments from the day after it opens
  // to the day it is resolved, and holds steps from the day it opens to
  // the day before it is resolved.
  bool DisputeSlowsPayment(std::int32_t day) const {
    return plan_.disputed && plan_.dispute_opened < day && day <= plan_.dispute_resolved;
  }
  bool DisputeHoldsSteps(std::int32_t day) const {
    return plan_.disputed && plan_.dispute_opened <= day && day < plan_.dispute_resolved;
  }

  double Hazard(std::int32_t day) const {
    double hazard;
    if (placed_) {
      int interval = 0;
      while (interval + 1 < kAgencyIntervals && day - placed_day_ >= kAgencyIntervalStart[interval + 1]) ++interval;
      hazard = kAgencyDailyHazard[interval];
    } else {
      hazard = profile_.daily_hazard[HazardInterval(day - invoice_.due)];
      for (const DunningStep& step : DunningSteps()) {
        const std::int32_t fired = last_fired_[static_cast<int>(step.kind)];
        if (fired != kNever && day > fired && day <= fired + step.effect_window_days) hazard *= step.effect_factor;
      }
    }
    if (DisputeSlowsPayment(day)) hazard *= kDisputeHazardFactor;
    if (promise_made_ != kNever && day > promise_made_ && day <= promise_due_) hazard *= kPromiseHazardFactor;
    return std::min(hazard, 1.0);
  }

  void Pay(std::int32_t day) {
    if (instalments_paid_ == 0) {
      if (!(random_.Uniform() < Hazard(day))) return;
      instalment_base_ = balance_;
    } else if (day != next_instalment_) {
      return;
    }
    std::int64_t amount = balance_;
    if (instalments_paid_ + 1 < plan_.instalments && balance_ > 1) {
      const auto share = static_cast<std::int64_t>(std::floor(plan_.fractions[instalments_paid_] *
                                                              static_cast<double>(instalment_base_)));
      amount = std::clamp<std::int64_t>(share, 1, balance_ - 1);
      next_instalment_ = day + plan_.gaps[instalments_paid_];
    }
    ++instalments_paid_;
    balance_ -= amount;
    outcome_.paid_minor += amount;
    events_.payments.push_back({index_, day, amount, false});
  }

  void TakeSteps(std::int32_t day) {
    for (const DunningStep& step : DunningSteps()) {
      std::int32_t& due_day = plan_.step_day[static_cast<int>(step.kind)];
      if (due_day != day) continue;
      if (step.unless_segment == profile_.name) {
        due_day = kNever;
        continue;
      }
      if (DisputeHoldsSteps(day)) {
        due_day = plan_.dispute_resolved == kNever ? kNever : NextWeekday(plan_.dispute_resolved);
        continue;
      }
      due_day = kNever;
      last_fired_[static_cast<int>(step.kind)] = day;
      events_.actions.push_back({index_, day, static_cast<std::int32_t>(step.kind)});
      if (step.kind == ActionKind::Letter && random_.Bernoulli(profile_.late_fee_rate)) PostLateFee(day);
      if (step.kind == ActionKind::Call && random_.Bernoulli(profile_.promise_rate)) {
        promise_made_ = day;
        promise_due_ = day + static_cast<std::int32_t>(random_.UniformInt(kPromiseDaysLow, kPromiseDaysHigh));
        events_.promises.push_back({index_, promise_made_, promise_due_});
      }
      if (step.kind == ActionKind::Agency) {
        placed_ = true;
        placed_day_ = day;
        return;
      }
    }
  }

  void PostLateFee(std::int32_t day) {
    const std::int64_t fee =
        std::max(invoice_.amount_minor * kLateFeePerMille / 1000, kLateFeeMinimumMajor * minor_per_major_);
    balance_ += fee;
    outcome_.fees_minor += fee;
    events_.adjustments.push_back({index_, day, fee, false});
  }

  const InvoiceDraft& invoice_;
  std::uint32_t index_;
  const SegmentProfile& profile_;
  RandomStream random_;
  std::int64_t minor_per_major_;
  GeneratedEvents& events_;
  InvoicePlan plan_;
  InvoiceOutcome outcome_;
  std::int64_t balance_ = 0;
  std::array<std::int32_t, kActionKinds> last_fired_{};
  bool placed_ = false;
  std::int32_t placed_day_ = 0;
  std::int32_t promise_made_ = kNever;
  std::int32_t promise_due_ = kNever;
  int instalments_paid_ = 0;
  std::int64_t instalment_base_ = 0;
  std::int32_t next_instalment_ = kNever;
};

}  // namespace

InvoiceOutcome SimulateInvoice(const GeneratorOptions& options, const InvoiceDraft& invoice, std::uint32_t index,
                               const CustomerDraft& customer, std::int32_t end, GeneratedEvents& events) {
  if (invoice.issue + 1 >= end) return {0, 0, 0, invoice.amount_minor};
  InvoiceHistory history(options, invoice, index, customer, events);
  return history.Run(end);
}

}  // namespace recoup::runtime::generator_detail
