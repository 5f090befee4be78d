// The figures a replay reports (docs/metrics.md gives every formula):
// integer sums kept exactly, overall and per customer segment, and the
// ratios (recovery rate, DSO, CEI...) as exact fractions that are only
// rounded when displayed. Conservation of money is checked on the totals.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/currency.h"
#include "runtime/date.h"
#include "runtime/ledger.h"
#include "simulation/outcome.h"
#include "simulation/subjects.h"

namespace recoup::simulation {

// Aging buckets of what is open at the horizon, by days past due then.
inline constexpr std::size_t kAgingBucketCount = 6;
// "current", "1-30", "31-60", "61-90", "91-180", "180+".
const char* AgingBucketName(std::size_t bucket);
// The bucket of an amount `days_past_due` days past due (0 or less: current).
std::size_t AgingBucketOf(std::int32_t days_past_due);

// Sums over a group of invoices (all, or one segment). Money in minor
// units of the policy's currency.
struct Figures {
  std::uint64_t invoices = 0;
  std::uint64_t customers = 0;
  std::uint64_t settled = 0;       // paid in full by the horizon
  std::uint64_t cut_short = 0;     // horizon cut by the end of the ledger
  std::int64_t invoiced = 0;
  std::int64_t fees = 0;
  std::int64_t interest = 0;
  std::int64_t collected = 0;
  std::int64_t applied = 0;
  std::int64_t written_off = 0;
  std::int64_t open = 0;
  std::int64_t open_current = 0;   // open on invoices not yet due at their horizon
  std::array<std::int64_t, kCollectedByDays.size()> collected_by{};
  __int128 principal_days = 0;
  __int128 delinquent_days = 0;
  std::array<std::uint64_t, kAgingBucketCount> aging_invoices{};
  std::array<std::int64_t, kAgingBucketCount> aging_amount{};
  std::array<std::uint64_t, compiler::kActionKindCount> actions{};
  std::int64_t contact_cost = 0;
  std::array<std::int64_t, compiler::kActionKindCount> action_costs{};  // contact_cost by kind
  std::uint64_t touches = 0;
  std::uint64_t placements = 0;
  std::uint64_t premature_placements = 0;
  std::int64_t recovered_after_placement = 0;
  std::int64_t contingency_fees = 0;
  std::uint64_t write_offs = 0;
  std::uint64_t not_covered = 0;   // left out by `applies to`
  std::int64_t not_covered_amount = 0;
  std::int64_t history_fees = 0;
  std::int64_t history_interest = 0;
  std::int64_t history_credits = 0;
  std::int64_t history_write_offs = 0;
  std::uint64_t history_actions = 0;

  friend bool operator==(const Figures&, const Figures&) = default;
};

struct SegmentFigures {
  std::string segment;  // "" when customers.csv gives none
  Figures figures;
  friend bool operator==(const SegmentFigures&, const SegmentFigures&) = default;
};

// Everything one policy's replay over one ledger reports.
struct Metrics {
  runtime::CurrencyId currency = 0;
  std::int32_t horizon_days = 180;
  std::int32_t premature_days = 30;
  runtime::Date as_of;
  std::uint64_t subjects = 0;
  Figures overall;
  std::vector<SegmentFigures> segments;  // sorted by segment name
  // Not given to the policy at all.
  std::vector<CurrencyCount> other_currencies;
  std::uint64_t credit_notes = 0;
  std::int64_t credit_note_amount = 0;
  std::uint64_t issued_after_as_of = 0;
  // The recovery curve (docs/reports.md): cash received d days past the
  // due date at index d, all of it on or before the due date at index 0.
  // As long as the latest payment needs; sums to overall.collected.
  std::vector<std::int64_t> collected_on_day;
  // The conservation identities of docs/metrics.md, checked on every run.
  bool conservation_ok = true;
  std::string conservation_detail;

  friend bool operator==(const Metrics&, const Metrics&) = default;
};

// Adds subject outcomes into overall and per-segment figures, and checks
// conservation when finished. Builders fed different subjects can be
// merged (Merge): the result is exactly that of one builder fed every
// subject, so workers each fill their own and merge them at the end, and
// the metrics do not depend on how the subjects were shared out.
class MetricsBuilder {
 public:
  MetricsBuilder(const runtime::Ledger& ledger, const SubjectPlan& plan, std::int32_t horizon_days,
                 std::int32_t premature_days);
  // Adds the outcome of subject `subject` (its index in the plan, which
  // orders the conservation failures of merged builders). Each subject is
  // added once, to one builder, in any order.
  void Add(const SubjectOutcome& outcome, std::uint64_t subject);
  // Adds the next subject, for a builder fed every subject in order
  // (replay). Not for a builder that is merged or merged into: its count
  // of subjects is not the next subject's index.
  void Add(const SubjectOutcome& outcome) { Add(outcome, metrics_.subjects); }
  // Adds everything `other` (a builder for the same ledger, plan and
  // options, fed other subjects) was fed: integer sums (each checked; the
  // amounts added are never negative, so a sum passes 64 bits in a merge
  // exactly when it would have fed one by one), the recovery curve day by
  // day, each customer counted once in its segment however its subjects
  // were split, and the conservation failures in subject order. Neither
  // builder may have been finished.
  void Merge(const MetricsBuilder& other);
  // The metrics; the builder is spent (no Add or Merge after it).
  Metrics Finish();

 private:
  // A conservation failure of one subject, kept for the detail.
  struct ConservationFailure {
    std::uint64_t subject = 0;
    std::string text;
  };

  Figures& SegmentOf(std::uint32_t customer);
  Figures& SegmentFor(runtime::StringPool::Id segment);
  void AddInvoice(Figures& figures, const InvoiceOutcome& invoice);
  void AddCollections(const std::vector<Collection>& collections);
  void AddConservationFailure(std::uint64_t subject, const std::string& text);

  const runtime::Ledger& ledger_;
  Metrics metrics_;
  std::vector<runtime::StringPool::Id> segment_ids_;  // the text id of each of metrics_.segments
  std::vector<std::uint64_t> customer_seen_;          // a bit per customer
  std::vector<std::int32_t> segment_slot_;            // by text id of the segment, -1 = none yet
  // The failures the detail shows, in subject order: those starting
  // before the detail reaches kConservationDetailBytes.
  std::vector<ConservationFailure> conservation_failures_;
  bool overflow_ = false;
};

// Cash collected by due + d days for d = 0..last_day: the running sum of
// Metrics::collected_on_day, carried flat past its end.
std::vector<std::int64_t> CumulativeCollected(const Metrics& metrics, std::int32_t last_day);

// An exact fraction; undefined when the denominator is zero.
struct Ratio {
  __int128 numerator = 0;
  __int128 denominator = 0;
  bool defined() const { return denominator != 0; }
};

// docs/metrics.md: applied / (invoiced + fees + interest).
Ratio RecoveryRate(const Figures& figures);
// Cash collected by due + kCollectedByDays[k], over invoiced.
Ratio CollectedByRate(const Figures& figures, std::size_t k);
// Amount-weighted days from issue to payment (or write-off, or horizon).
Ratio DaysSalesOutstanding(const Figures& figures);
// Amount-weighted days past due at payment (or write-off, or horizon).
Ratio AverageDaysDelinquent(const Figures& figures);
// applied / (invoiced + fees + interest - open and not yet due).
Ratio CollectionEffectivenessIndex(const Figures& figures);
Ratio TouchesPerCustomer(const Figures& figures);
// a - b, exactly (undefined when either is).
Ratio Difference(Ratio a, Ratio b);
// The value times `scale` (100 for a percentage) rounded half-even to
// `decimals` places: "87.3"; "n/a" when undefined.
std::string FormatRatio(Ratio ratio, int scale, int decimals);

}  // namespace recoup::simulation
