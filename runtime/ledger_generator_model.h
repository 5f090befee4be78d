// The ground truth behind a synthetic ledger: segment profiles, the payment
// hazard and how actions change it, the dunning policy that wrote the log,
// disputes, partial payments, promises, fees and write-offs. The generator
// draws from these numbers and ground_truth.json prints them, so the two
// cannot drift apart.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ledger_generator.h"

namespace recoup::runtime::generator_detail {

// Intervals of days relative to the due date over which the baseline daily
// payment hazard is constant: [start[i], start[i+1]), the first open below,
// the last open above.
inline constexpr int kHazardIntervals = 8;
inline constexpr std::int32_t kOpenStart = std::numeric_limits<std::int32_t>::min();
inline constexpr std::array<std::int32_t, kHazardIntervals> kIntervalStart = {kOpenStart, -30, 0, 15, 30, 60, 90, 180};

// Which interval `days_after_due` falls in.
constexpr int HazardInterval(std::int32_t days_after_due) {
  int interval = 0;
  while (interval + 1 < kHazardIntervals && days_after_due >= kIntervalStart[interval + 1]) ++interval;
  return interval;
}

// Net 30, 45 and 60 days.
inline constexpr std::array<std::int32_t, 3> kTermsDays = {30, 45, 60};

// Everything that differs between segments.
struct SegmentProfile {
  std::string_view name;
  double customer_weight;      // relative share of customers
  double invoices_per_month;   // mean for a customer of median activity
  double amount_median;        // major units of the currency
  double amount_sigma;         // log-scale spread of invoice amounts
  std::array<double, 3> terms_weights;  // net 30 / 45 / 60, per customer
  std::array<double, kHazardIntervals> daily_hazard;
  double partial_payment_share;  // invoices paid in 2 or 3 instalments
  double dispute_rate;           // invoices disputed
  double late_fee_rate;          // letters that come with a late fee
  double promise_rate;           // calls that end with a promise to pay
};

// The built-in profiles, in the default order.
const std::array<SegmentProfile, 4>& SegmentProfiles();
// The profiles `options.segments` names (all by default), in the default order.
std::vector<const SegmentProfile*> ActiveProfiles(const GeneratorOptions& options);

// Action kinds of the dunning policy, in the order their steps are written.
enum class ActionKind : std::uint8_t { Email, Letter, Call, Agency, kCount };
inline constexpr int kActionKinds = static_cast<int>(ActionKind::kCount);

// One step of the dunning policy that wrote actions.csv, and the effect the
// action has on the daily payment hazard for `window_days` days after it
// (days a+1 .. a+window for an action on day a; factor 1 = none). Agency
// instead switches the invoice to the agency recovery hazard.
struct DunningStep {
  ActionKind kind;
  std::string_view action;  // as written in actions.csv
  std::int32_t days_after_due;
  std::string_view unless_segment;  // empty: every segment
  double effect_factor;
  std::int32_t effect_window_days;
};
const std::array<DunningStep, kActionKinds>& DunningSteps();

// Each step fires on due + days_after_due + a lag drawn uniformly from
// 0..kMaxActionLagDays, moved from a weekend to the next Monday.
inline constexpr std::int32_t kMaxActionLagDays = 3;

// Agency recovery: a daily hazard by days since placement.
inline constexpr int kAgencyIntervals = 3;
inline constexpr std::array<std::int32_t, kAgencyIntervals> kAgencyIntervalStart = {0, 30, 90};
inline constexpr std::array<double, kAgencyIntervals> kAgencyDailyHazard = {0.012, 0.006, 0.002};
inline constexpr int kAgencyContingencyPercent = 30;

// Disputes: opened this many days after due (uniform), resolved after a
// log-normal delay, some never; while open, the hazard is multiplied by
// kDisputeHazardFactor and dunning steps wait until the resolution day.
inline constexpr std::int32_t kDisputeOpenedFrom = -5;
inline constexpr std::int32_t kDisputeOpenedTo = 25;
inline constexpr double kDisputeResolutionMedianDays = 21;
inline constexpr double kDisputeResolutionSigma = 0.7;
inline constexpr double kDisputeNeverResolvedShare = 0.08;
inline constexpr double kDisputeHazardFactor = 0.25;

// Partial payments: the hazard's event is the first payment; an invoice
// paid in instalments then pays the rest on a fixed schedule.
inline constexpr double kTwoInstalmentsShare = 0.6;  // else three
inline constexpr double kTwoFirstFractionLow = 0.3, kTwoFirstFractionHigh = 0.7;
inline constexpr double kThreeFractionLow = 0.2, kThreeFractionHigh = 0.4;
inline constexpr std::int32_t kInstalmentGapLow = 10, kInstalmentGapHigh = 35;

// Promises made on a call: to pay within these many days; from the day
// after the call until the promised day the hazard is multiplied.
inline constexpr std::int32_t kPromiseDaysLow = 3, kPromiseDaysHigh = 14;
inline constexpr double kPromiseHazardFactor = 1.5;

// A late fee posted with the letter: this per mille of the amount, at least
// kLateFeeMinimumMajor units of the currency.
inline constexpr std::int64_t kLateFeePerMille = 15;
inline constexpr std::int64_t kLateFeeMinimumMajor = 40;

// What is still owed this many days after due is written off.
inline constexpr std::int32_t kWriteOffDaysAfterDue = 365;

// Issue dates: the share of a month's invoices issued in its last three
// days (month-end billing), and each calendar month's volume factor.
inline constexpr double kMonthEndShare = 0.35;
inline constexpr std::array<double, 12> kMonthVolume = {0.95, 1, 1.1, 1, 1, 1.1, 0.95, 0.9, 1.1, 1, 1, 0.7};
// Customers: activity is log-normal around 1; a share joins after the start.
inline constexpr double kActivitySigma = 0.5;
inline constexpr double kLateJoinerShare = 0.2;

// The ground truth as versioned JSON (docs/ledger.md, "Synthetic ledgers").
std::string GroundTruthJson(const GeneratorOptions& options, Date end);

}  // namespace recoup::runtime::generator_detail
