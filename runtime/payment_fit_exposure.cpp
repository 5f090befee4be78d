// The fit's one pass over the ledger: each invoice's days from the day
// after issue to its first payment (or write-off, or the ledger's end) cut
// into pieces over which its state is constant, each piece's length added
// to the exposure of its cell. Cost is per event, not per day.
#include <algorithm>
#include <limits>
#include <thread>

#include "runtime/payment_fit_internal.h"
#include "runtime/worker_threads.h"

namespace recoup::runtime::fit_detail {
namespace {

constexpr std::int32_t kNone = std::numeric_limits<std::int32_t>::max();

struct Window {
  std::int32_t begin = 0, end = 0;  // days, both included
  std::uint32_t bit = 0;
};

int IntervalIn(const std::vector<std::int32_t>& starts, std::int32_t value) {
  int interval = 0;
  while (interval + 1 < static_cast<int>(starts.size()) && value >= starts[interval + 1]) ++interval;
  return interval;
}

// Adds +1 over ages [from, to] (days after due) to a difference array.
void AddAges(std::vector<std::int64_t>& difference, std::int32_t from, std::int32_t to) {
  from = std::max(from, kAgeMin);
  to = std::min(to, kAgeMax);
  if (from > to) return;
  difference[from - kAgeMin] += 1;
  difference[to - kAgeMin + 1] -= 1;
}

class InvoicePass {
 public:
  InvoicePass(const Ledger& ledger, const CellLayout& layout, std::int32_t as_of, Exposure& exposure)
      : ledger_(ledger), layout_(layout), as_of_(as_of), exposure_(exposure) {}

  void Add(std::uint32_t invoice) {
    if (ledger_.invoices.IsCreditNote(invoice)) return;
    const std::int32_t issue = ledger_.invoices.issue_date[invoice].days();
    due_ = ledger_.invoices.due_date[invoice].days();
    const std::int32_t first = issue + 1;
    if (first > as_of_) return;
    const std::uint32_t customer = ledger_.invoices.customer[invoice];
    segment_ = layout_.segment_of_text[ledger_.customers.segment[customer]];
    exposure_.invoices += 1;
    exposure_.segment_invoices[segment_] += 1;
    if (ledger_.disputes.ranges.begin(invoice) < ledger_.disputes.ranges.end(invoice)) {
      exposure_.segment_disputed[segment_] += 1;
    }

    std::int32_t last = as_of_;
    const auto& adjustments = ledger_.adjustments;
    for (std::uint32_t a = adjustments.ranges.begin(invoice); a < adjustments.ranges.end(invoice); ++a) {
      if (adjustments.kind[a] == AdjustmentKind::WriteOff) {
        last = std::min(last, adjustments.date[a].days());
        break;
      }
    }
    const std::uint32_t payment = ledger_.payments.ranges.begin(invoice);
    bool paid = false;
    if (payment < ledger_.payments.ranges.end(invoice)) {
      const std::int32_t pay_day = std::max(first, ledger_.payments.date[payment].days());
      if (pay_day <= last) {
        paid = true;
        last = pay_day;
        PartialPayment(invoice, payment, pay_day);
      }
    }
    if (last < first) return;

    CollectWindows(invoice, last);
    CollectCuts(first, last);
    for (std::size_t c = 0; c + 1 < cuts_.size(); ++c) {
      const std::int32_t from = cuts_[c], to = cuts_[c + 1] - 1;
      const std::size_t cell = CellAt(from);
      exposure_.days[cell] += to - from + 1;
      if (!Placed(from)) {
        AddAges(exposure_.age_days, from - due_, to - due_);
        const std::size_t mask = cell % layout_.masks();
        for (std::size_t e = 0; e < layout_.effects.size(); ++e) {
          if (mask & (std::size_t{1} << e)) AddAges(exposure_.age_window_days[e], from - due_, to - due_);
        }
      }
    }
    if (paid) {
      exposure_.payments[CellAt(last)] += 1;
      exposure_.segment_first_payments[segment_] += 1;
    }
  }

 private:
  bool Placed(std::int32_t day) const { return placed_ != kNone && day > placed_; }

  std::size_t CellAt(std::int32_t day) const {
    const bool placed = Placed(day);
    const std::size_t base =
        placed ? layout_.segments.size() * layout_.intervals() + IntervalIn(layout_.agency_interval_starts, day - placed_)
               : segment_ * layout_.intervals() + IntervalIn(layout_.interval_starts, day - due_);
    std::size_t mask = 0;
    for (const Window& window : windows_) {
      if (day < window.begin || day > window.end) continue;
      if (placed && window.bit < layout_.effects.size()) continue;
      mask |= std::size_t{1} << window.bit;
    }
    return base * layout_.masks() + mask;
  }

  void AddEffectWindow(std::int32_t effect, std::int32_t day) {
    windows_.push_back({day + 1, day + layout_.window_days[effect], static_cast<std::uint32_t>(effect)});
    const std::int32_t age = day - due_;
    if (age >= kAgeMin && age <= kAgeMax) exposure_.action_ages[effect][age - kAgeMin] += 1;
  }

  void CollectWindows(std::uint32_t invoice, std::int32_t last) {
    windows_.clear();
    placed_ = kNone;
    const auto& actions = ledger_.actions;
    for (std::uint32_t a = actions.ranges.begin(invoice); a < actions.ranges.end(invoice); ++a) {
      const std::int32_t day = actions.date[a].days();
      if (day >= last) break;  // an action on the last day affects no exposed day
      const std::int32_t effect = layout_.effect_of_text[actions.action[a]];
      if (effect == -2) {
        if (placed_ == kNone) placed_ = day;
      } else if (effect >= 0 && !Placed(day)) {
        AddEffectWindow(effect, day);
        if (layout_.effects[effect] == "call") CountPromise(invoice, day);
      }
    }
    if (layout_.fee_index >= 0) {
      const auto& adjustments = ledger_.adjustments;
      for (std::uint32_t a = adjustments.ranges.begin(invoice); a < adjustments.ranges.end(invoice); ++a) {
        const std::int32_t day = adjustments.date[a].days();
        if (adjustments.kind[a] == AdjustmentKind::Fee && day < last && !Placed(day)) {
          AddEffectWindow(layout_.fee_index, day);
        }
      }
    }
    const auto& disputes = ledger_.disputes;
    for (std::uint32_t d = disputes.ranges.begin(invoice); d < disputes.ranges.end(invoice); ++d) {
      const std::int32_t resolved = disputes.resolved[d] == kStillOpen ? last : disputes.resolved[d].days();
      windows_.push_back({disputes.opened[d].days() + 1, resolved, static_cast<std::uint32_t>(layout_.dispute_bit())});
    }
    const auto& promises = ledger_.promises;
    for (std::uint32_t p = promises.ranges.begin(invoice); p < promises.ranges.end(invoice); ++p) {
      windows_.push_back(
          {promises.made[p].days() + 1, promises.promised[p].days(), static_cast<std::uint32_t>(layout_.promise_bit())});
    }
  }

  void CountPromise(std::uint32_t invoice, std::int32_t call_day) {
    exposure_.calls += 1;
    const auto& promises = ledger_.promises;
    for (std::uint32_t p = promises.ranges.begin(invoice); p < promises.ranges.end(invoice); ++p) {
      const std::int32_t made = promises.made[p].days();
      if (made == call_day || made == call_day + 1) {
        exposure_.calls_with_promise += 1;
        exposure_.promise_days += promises.promised[p].days() - made;
        return;
      }
    }
  }

  void CollectCuts(std::int32_t first, std::int32_t last) {
    cuts_.clear();
    cuts_.push_back(first);
    cuts_.push_back(last + 1);
    for (std::size_t k = 1; k < layout_.interval_starts.size(); ++k) cuts_.push_back(due_ + layout_.interval_starts[k]);
    if (placed_ != kNone) {
      cuts_.push_back(placed_ + 1);
      for (std::size_t k = 1; k < layout_.agency_interval_starts.size(); ++k) {
        cuts_.push_back(placed_ + layout_.agency_interval_starts[k]);
      }
    }
    for (const Window& window : windows_) {
      cuts_.push_back(window.begin);
      if (window.end < kNone - 1) cuts_.push_back(window.end + 1);
    }
    std::sort(cuts_.begin(), cuts_.end());
    cuts_.erase(std::unique(cuts_.begin(), cuts_.end()), cuts_.end());
    cuts_.erase(std::remove_if(cuts_.begin(), cuts_.end(), [&](std::int32_t cut) { return cut < first || cut > last + 1; }),
                cuts_.end());
  }

  // The first payment's share of what was owed that day, and the gap to the next.
  void PartialPayment(std::uint32_t invoice, std::uint32_t payment, std::int32_t pay_day) {
    std::int64_t owed = ledger_.invoices.amount_minor[invoice];
    const auto& adjustments = ledger_.adjustments;
    for (std::uint32_t a = adjustments.ranges.begin(invoice); a < adjustments.ranges.end(invoice); ++a) {
      if (adjustments.date[a].days() > pay_day) break;
      const AdjustmentKind kind = adjustments.kind[a];
      const std::int64_t amount = adjustments.amount_minor[a];
      owed += kind == AdjustmentKind::Fee || kind == AdjustmentKind::Interest ? amount : -amount;
    }
    std::int64_t paid = 0;
    std::uint32_t next = payment;
    const std::uint32_t end = ledger_.payments.ranges.end(invoice);
    while (next < end && std::max(ledger_.payments.date[next].days(), pay_day) == pay_day) {
      paid += ledger_.payments.amount_minor[next];
      ++next;
    }
    if (owed <= 0 || paid >= owed) return;
    exposure_.segment_partial[segment_] += 1;
    exposure_.partial_share_ppm += static_cast<std::int64_t>(static_cast<__int128>(paid) * 1000000 / owed);
    if (next < end) {
      exposure_.partial_gaps += 1;
      exposure_.partial_gap_days += ledger_.payments.date[next].days() - pay_day;
    }
  }

  const Ledger& ledger_;
  const CellLayout& layout_;
  std::int32_t as_of_;
  Exposure& exposure_;
  std::int32_t due_ = 0;
  std::int32_t segment_ = 0;
  std::int32_t placed_ = kNone;
  std::vector<Window> windows_;
  std::vector<std::int32_t> cuts_;
};

}  // namespace

void Exposure::Resize(const CellLayout& layout) {
  days.assign(layout.cells(), 0);
  payments.assign(layout.cells(), 0);
  age_days.assign(kAgeCount + 1, 0);
  age_window_days.assign(layout.effects.size(), std::vector<std::int64_t>(kAgeCount + 1, 0));
  action_ages.assign(layout.effects.size(), std::vector<std::int64_t>(kAgeCount, 0));
  for (auto* column : {&segment_invoices, &segment_disputed, &segment_first_payments, &segment_partial}) {
    column->assign(layout.segments.size(), 0);
  }
}

void Exposure::Add(const Exposure& other) {
  auto add = [](std::vector<std::int64_t>& to, const std::vector<std::int64_t>& from) {
    for (std::size_t i = 0; i < to.size(); ++i) to[i] += from[i];
  };
  add(days, other.days);
  add(payments, other.payments);
  add(age_days, other.age_days);
  for (std::size_t e = 0; e < age_window_days.size(); ++e) {
    add(age_window_days[e], other.age_window_days[e]);
    add(action_ages[e], other.action_ages[e]);
  }
  add(segment_invoices, other.segment_invoices);
  add(segment_disputed, other.segment_disputed);
  add(segment_first_payments, other.segment_first_payments);
  add(segment_partial, other.segment_partial);
  partial_share_ppm += other.partial_share_ppm;
  partial_gaps += other.partial_gaps;
  partial_gap_days += other.partial_gap_days;
  calls += other.calls;
  calls_with_promise += other.calls_with_promise;
  promise_days += other.promise_days;
  invoices += other.invoices;
}

void Exposure::Finish() {
  auto prefix = [](std::vector<std::int64_t>& values) {
    for (std::size_t i = 1; i < values.size(); ++i) values[i] += values[i - 1];
    values.pop_back();
  };
  prefix(age_days);
  for (std::vector<std::int64_t>& values : age_window_days) prefix(values);
}

Exposure AggregateExposure(const Ledger& ledger, const CellLayout& layout, Date as_of, unsigned threads) {
  const std::size_t invoices = ledger.invoices.size();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, invoices / 4096 + 1)));
  std::vector<Exposure> parts(threads);
  auto work = [&](unsigned part) {
    parts[part].Resize(layout);
    InvoicePass pass(ledger, layout, as_of.days(), parts[part]);
    const std::size_t begin = invoices * part / threads, end = invoices * (part + 1) / threads;
    for (std::size_t i = begin; i < end; ++i) pass.Add(static_cast<std::uint32_t>(i));
  };
  RunOnThreads(threads, work);
  for (unsigned t = 1; t < threads; ++t) parts[0].Add(parts[t]);
  parts[0].Finish();
  return std::move(parts[0]);
}

}  // namespace recoup::runtime::fit_detail
