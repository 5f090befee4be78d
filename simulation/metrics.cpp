#include "simulation/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace recoup::simulation {
namespace {

// The conservation failures of subjects shown in the detail: those that
// start before it is this long (docs/metrics.md, "Conservation").
constexpr std::size_t kConservationDetailBytes = 2000;

// Sums are checked: a total past 64 bits sets `overflow` instead of wrapping.
template <typename Number>
void Add(Number& into, Number value, bool& overflow) {
  overflow |= __builtin_add_overflow(into, value, &into);
}

void AddFigures(Figures& into, const Figures& from, bool& overflow) {
  Add(into.invoices, from.invoices, overflow);
  Add(into.customers, from.customers, overflow);
  Add(into.settled, from.settled, overflow);
  Add(into.cut_short, from.cut_short, overflow);
  Add(into.invoiced, from.invoiced, overflow);
  Add(into.fees, from.fees, overflow);
  Add(into.interest, from.interest, overflow);
  Add(into.collected, from.collected, overflow);
  Add(into.applied, from.applied, overflow);
  Add(into.written_off, from.written_off, overflow);
  Add(into.open, from.open, overflow);
  Add(into.open_current, from.open_current, overflow);
  for (std::size_t k = 0; k < into.collected_by.size(); ++k) Add(into.collected_by[k], from.collected_by[k], overflow);
  Add(into.principal_days, from.principal_days, overflow);
  Add(into.delinquent_days, from.delinquent_days, overflow);
  for (std::size_t b = 0; b < kAgingBucketCount; ++b) {
    Add(into.aging_invoices[b], from.aging_invoices[b], overflow);
    Add(into.aging_amount[b], from.aging_amount[b], overflow);
  }
  for (std::size_t a = 0; a < into.actions.size(); ++a) Add(into.actions[a], from.actions[a], overflow);
  Add(into.contact_cost, from.contact_cost, overflow);
  for (std::size_t a = 0; a < into.action_costs.size(); ++a) Add(into.action_costs[a], from.action_costs[a], overflow);
  Add(into.touches, from.touches, overflow);
  Add(into.placements, from.placements, overflow);
  Add(into.premature_placements, from.premature_placements, overflow);
  Add(into.recovered_after_placement, from.recovered_after_placement, overflow);
  Add(into.contingency_fees, from.contingency_fees, overflow);
  Add(into.write_offs, from.write_offs, overflow);
  Add(into.not_covered, from.not_covered, overflow);
  Add(into.not_covered_amount, from.not_covered_amount, overflow);
  Add(into.history_fees, from.history_fees, overflow);
  Add(into.history_interest, from.history_interest, overflow);
  Add(into.history_credits, from.history_credits, overflow);
  Add(into.history_write_offs, from.history_write_offs, overflow);
  Add(into.history_actions, from.history_actions, overflow);
}

std::string Money(std::int64_t minor, runtime::CurrencyId currency) {
  return runtime::ToString(runtime::Money{minor, currency});
}

}  // namespace

const char* AgingBucketName(std::size_t bucket) {
  static const char* const kNames[kAgingBucketCount] = {"current", "1-30", "31-60", "61-90", "91-180", "180+"};
  return kNames[bucket];
}

std::size_t AgingBucketOf(std::int32_t days_past_due) {
  if (days_past_due <= 0) return 0;
  if (days_past_due <= 30) return 1;
  if (days_past_due <= 60) return 2;
  if (days_past_due <= 90) return 3;
  if (days_past_due <= 180) return 4;
  return 5;
}

MetricsBuilder::MetricsBuilder(const runtime::Ledger& ledger, const SubjectPlan& plan, std::int32_t horizon_days,
                               std::int32_t premature_days)
    : ledger_(ledger), customer_seen_((ledger.customers.size() + 63) / 64, 0), segment_slot_(ledger.texts.size(), -1) {
  metrics_.currency = plan.currency;
  metrics_.horizon_days = horizon_days;
  metrics_.premature_days = premature_days;
  metrics_.as_of = plan.as_of;
  metrics_.other_currencies = plan.other_currencies;
  metrics_.credit_notes = plan.credit_notes;
  metrics_.credit_note_amount = plan.credit_note_amount;
  metrics_.issued_after_as_of = plan.issued_after_as_of;
}

Figures& MetricsBuilder::SegmentOf(std::uint32_t customer) { return SegmentFor(ledger_.customers.segment[customer]); }

// Segments are kept in the order first seen; Finish sorts them by name
// (each name is one text id, so the order seen does not show).
Figures& MetricsBuilder::SegmentFor(runtime::StringPool::Id segment) {
  if (segment_slot_[segment] < 0) {
    segment_slot_[segment] = static_cast<std::int32_t>(metrics_.segments.size());
    metrics_.segments.push_back({std::string(ledger_.texts.Get(segment)), Figures{}});
    segment_ids_.push_back(segment);
  }
  return metrics_.segments[segment_slot_[segment]].figures;
}

// Each invoice straight into its segment's figures, every sum checked.
void MetricsBuilder::AddInvoice(Figures& figures, const InvoiceOutcome& invoice) {
  bool& overflow = overflow_;
  simulation::Add<std::uint64_t>(figures.invoices, 1, overflow);
  simulation::Add<std::uint64_t>(figures.settled, invoice.settled_on ? 1 : 0, overflow);
  bool cut_short = invoice.horizon < invoice.due.AddDays(metrics_.horizon_days);
  simulation::Add<std::uint64_t>(figures.cut_short, cut_short ? 1 : 0, overflow);
  simulation::Add(figures.invoiced, invoice.amount, overflow);
  simulation::Add(figures.fees, invoice.fees, overflow);
  simulation::Add(figures.interest, invoice.interest, overflow);
  simulation::Add(figures.collected, invoice.collected, overflow);
  simulation::Add(figures.applied, invoice.applied, overflow);
  simulation::Add(figures.written_off, invoice.written_off, overflow);
  simulation::Add(figures.open, invoice.open, overflow);
  if (invoice.horizon <= invoice.due) simulation::Add(figures.open_current, invoice.open, overflow);
  for (std::size_t k = 0; k < figures.collected_by.size(); ++k) {
    simulation::Add(figures.collected_by[k], invoice.collected_by[k], overflow);
  }
  simulation::Add(figures.principal_days, invoice.principal_days, overflow);
  simulation::Add(figures.delinquent_days, invoice.delinquent_days, overflow);
  if (invoice.open > 0) {
    std::size_t bucket = AgingBucketOf(invoice.horizon - invoice.due);
    simulation::Add<std::uint64_t>(figures.aging_invoices[bucket], 1, overflow);
    simulation::Add(figures.aging_amount[bucket], invoice.open, overflow);
  }
  if (invoice.placed_on) {
    simulation::Add<std::uint64_t>(figures.placements, 1, overflow);
    if (invoice.settled_on && *invoice.settled_on > *invoice.placed_on &&
        *invoice.settled_on - *invoice.placed_on <= metrics_.premature_days) {
      simulation::Add<std::uint64_t>(figures.premature_placements, 1, overflow);
    }
  }
  simulation::Add(figures.recovered_after_placement, invoice.recovered_after_placement, overflow);
  simulation::Add(figures.contingency_fees, invoice.contingency_fee, overflow);
  simulation::Add<std::uint64_t>(figures.write_offs, invoice.written_off_on ? 1 : 0, overflow);
  simulation::Add(figures.history_fees, invoice.history_fees, overflow);
  simulation::Add(figures.history_interest, invoice.history_interest, overflow);
  simulation::Add(figures.history_credits, invoice.history_credits, overflow);
  simulation::Add(figures.history_write_offs, invoice.history_write_offs, overflow);
  simulation::Add<std::uint64_t>(figures.history_actions, invoice.history_actions, overflow);
}

// A subject's figures go straight into its customer's segment, each sum
// checked; the overall figures are the segments' sum (Finish).
void MetricsBuilder::Add(const SubjectOutcome& outcome, std::uint64_t subject) {
  metrics_.subjects += 1;
  Figures& figures = SegmentOf(outcome.customer);
  if (!outcome.invoices.empty()) {
    std::uint64_t& seen = customer_seen_[outcome.customer / 64];
    const std::uint64_t bit = std::uint64_t{1} << (outcome.customer % 64);
    if ((seen & bit) == 0) {
      seen |= bit;
      simulation::Add<std::uint64_t>(figures.customers, 1, overflow_);
    }
  }
  for (const InvoiceOutcome& invoice : outcome.invoices) AddInvoice(figures, invoice);
  for (std::uint32_t invoice : outcome.not_covered) {
    simulation::Add<std::uint64_t>(figures.not_covered, 1, overflow_);
    simulation::Add(figures.not_covered_amount, ledger_.invoices.amount_minor[invoice], overflow_);
  }
  // Every kind, without a branch on whether it occurred (most subjects
  // have a few kinds, in no predictable pattern); each sum still checked.
  bool overflow = false;
  for (std::size_t a = 0; a < figures.actions.size(); ++a) {
    simulation::Add<std::uint64_t>(figures.actions[a], outcome.actions[a], overflow);
    simulation::Add(figures.action_costs[a], outcome.action_costs[a], overflow);
  }
  overflow_ |= overflow;
  simulation::Add(figures.contact_cost, outcome.contact_cost, overflow_);
  simulation::Add<std::uint64_t>(figures.touches, outcome.touches, overflow_);
  AddCollections(outcome.collections);
  if (outcome.conservation_failure) AddConservationFailure(subject, *outcome.conservation_failure);
}

// Into its place in subject order; then the failures that now start past
// the detail's length are dropped (a failure dropped once would also be
// dropped with every failure added: earlier ones only push it further).
void MetricsBuilder::AddConservationFailure(std::uint64_t subject, const std::string& text) {
  metrics_.conservation_ok = false;
  std::vector<ConservationFailure>& failures = conservation_failures_;
  auto at = std::upper_bound(failures.begin(), failures.end(), subject,
                             [](std::uint64_t s, const ConservationFailure& failure) { return s < failure.subject; });
  failures.insert(at, {subject, text});
  std::size_t bytes = 0;
  std::size_t shown = 0;
  while (shown < failures.size() && bytes < kConservationDetailBytes) bytes += failures[shown++].text.size() + 2;
  failures.erase(failures.begin() + static_cast<std::ptrdiff_t>(shown), failures.end());
}

void MetricsBuilder::Merge(const MetricsBuilder& other) {
  metrics_.subjects += other.metrics_.subjects;
  for (std::size_t i = 0; i < other.metrics_.segments.size(); ++i) {
    AddFigures(SegmentFor(other.segment_ids_[i]), other.metrics_.segments[i].figures, overflow_);
  }
  // A customer both builders saw was counted in its segment by both.
  for (std::size_t word = 0; word < customer_seen_.size(); ++word) {
    std::uint64_t both = customer_seen_[word] & other.customer_seen_[word];
    customer_seen_[word] |= other.customer_seen_[word];
    for (; both != 0; both &= both - 1) {
      const auto customer = static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(__builtin_ctzll(both)));
      SegmentOf(customer).customers -= 1;
    }
  }
  std::vector<std::int64_t>& curve = metrics_.collected_on_day;
  const std::vector<std::int64_t>& other_curve = other.metrics_.collected_on_day;
  if (curve.size() < other_curve.size()) curve.resize(other_curve.size(), 0);
  for (std::size_t day = 0; day < other_curve.size(); ++day) simulation::Add(curve[day], other_curve[day], overflow_);
  overflow_ |= other.overflow_;
  metrics_.conservation_ok = metrics_.conservation_ok && other.metrics_.conservation_ok;
  for (const ConservationFailure& failure : other.conservation_failures_) AddConservationFailure(failure.subject, failure.text);
}

void MetricsBuilder::AddCollections(const std::vector<Collection>& collections) {
  std::vector<std::int64_t>& curve = metrics_.collected_on_day;
  for (const Collection& collection : collections) {
    std::size_t day = static_cast<std::size_t>(std::max(0, collection.days_past_due));
    if (day >= curve.size()) curve.resize(day + 1, 0);
    simulation::Add(curve[day], collection.amount, overflow_);
  }
}

Metrics MetricsBuilder::Finish() {
  for (const ConservationFailure& failure : conservation_failures_) metrics_.conservation_detail += failure.text + "; ";
  std::sort(metrics_.segments.begin(), metrics_.segments.end(),
            [](const SegmentFigures& a, const SegmentFigures& b) { return a.segment < b.segment; });
  // Every subject was added to its customer's segment; the total is their
  // checked sum, so a total past 64 bits is reported like any other.
  metrics_.overall = Figures{};
  for (const SegmentFigures& segment : metrics_.segments) AddFigures(metrics_.overall, segment.figures, overflow_);
  // docs/metrics.md, "Conservation": per currency (a replay has one).
  const Figures& all = metrics_.overall;
  __int128 owed = static_cast<__int128>(all.invoiced) + all.fees + all.interest;
  __int128 accounted = static_cast<__int128>(all.applied) + all.written_off + all.open;
  if (owed != accounted) {
    metrics_.conservation_ok = false;
    metrics_.conservation_detail += fmt::format(
        "invoiced {} + fees {} + interest {} != collected and applied {} + written off {} + open {}; ",
        Money(all.invoiced, metrics_.currency), Money(all.fees, metrics_.currency), Money(all.interest, metrics_.currency),
        Money(all.applied, metrics_.currency), Money(all.written_off, metrics_.currency), Money(all.open, metrics_.currency));
  }
  std::int64_t unapplied = all.collected - all.applied;
  if (unapplied < 0) {
    metrics_.conservation_ok = false;
    metrics_.conservation_detail += fmt::format("collected {} is less than applied {}; ", Money(all.collected, metrics_.currency),
                                                Money(all.applied, metrics_.currency));
  }
  if (overflow_) {
    metrics_.conservation_ok = false;
    metrics_.conservation_detail += "a total does not fit in 64-bit minor units; ";
  }
  __int128 curve_total = 0;
  for (std::int64_t amount : metrics_.collected_on_day) curve_total += amount;
  if (curve_total != all.collected) {
    metrics_.conservation_ok = false;
    metrics_.conservation_detail += "the recovery curve does not add up to what was collected; ";
  }
  return std::move(metrics_);
}

std::vector<std::int64_t> CumulativeCollected(const Metrics& metrics, std::int32_t last_day) {
  std::vector<std::int64_t> cumulative(static_cast<std::size_t>(std::max(0, last_day)) + 1, 0);
  std::int64_t running = 0;
  for (std::size_t day = 0; day < cumulative.size(); ++day) {
    if (day < metrics.collected_on_day.size()) running += metrics.collected_on_day[day];
    cumulative[day] = running;
  }
  return cumulative;
}

}  // namespace recoup::simulation
