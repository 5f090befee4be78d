// The numbers of the synthetic ledgers' ground truth, and their JSON.
#include "runtime/ledger_generator_model.h"

#include <fmt/format.h>

#include <algorithm>

namespace recoup::runtime::generator_detail {

const std::array<SegmentProfile, 4>& SegmentProfiles() {
  // Hazards by interval: before -30, [-30,0), [0,15), [15,30), [30,60),
  // [60,90), [90,180), 180 and later (days relative to due).
  static const std::array<SegmentProfile, 4> kProfiles = {{
      {"smb", 0.55, 0.4, 800, 0.9, {0.80, 0.15, 0.05},
       {0.003, 0.020, 0.060, 0.040, 0.030, 0.015, 0.006, 0.002}, 0.12, 0.02, 0.30, 0.35},
      {"enterprise", 0.25, 1.0, 6000, 0.8, {0.30, 0.40, 0.30},
       {0.004, 0.025, 0.080, 0.055, 0.040, 0.020, 0.008, 0.002}, 0.08, 0.03, 0.10, 0.50},
      {"strategic", 0.05, 2.5, 40000, 0.7, {0.10, 0.30, 0.60},
       {0.006, 0.035, 0.110, 0.070, 0.050, 0.030, 0.010, 0.003}, 0.05, 0.04, 0.00, 0.60},
      {"public", 0.15, 0.8, 3000, 0.8, {0.20, 0.30, 0.50},
       {0.002, 0.010, 0.030, 0.040, 0.050, 0.040, 0.015, 0.004}, 0.15, 0.015, 0.00, 0.40},
  }};
  return kProfiles;
}

const std::array<DunningStep, kActionKinds>& DunningSteps() {
  static const std::array<DunningStep, kActionKinds> kSteps = {{
      {ActionKind::Email, "email", 7, "", 1.3, 7},
      {ActionKind::Letter, "letter", 30, "", 1.6, 10},
      {ActionKind::Call, "call", 45, "", 2.0, 5},
      {ActionKind::Agency, "agency", 90, "strategic", 1.0, 0},
  }};
  return kSteps;
}

std::vector<const SegmentProfile*> ActiveProfiles(const GeneratorOptions& options) {
  std::vector<const SegmentProfile*> active;
  for (const SegmentProfile& profile : SegmentProfiles()) {
    if (options.segments.empty() ||
        std::find(options.segments.begin(), options.segments.end(), profile.name) != options.segments.end()) {
      active.push_back(&profile);
    }
  }
  return active;
}

namespace {

// A JSON array of numbers: [0.003, 0.02].
template <typename Range>
std::string NumberArray(const Range& values) {
  std::string text = "[";
  for (const auto& value : values) text += fmt::format("{}{}", text.size() > 1 ? ", " : "", value);
  return text + "]";
}

std::string IntervalBound(std::int32_t value) { return value == kOpenStart ? "null" : fmt::format("{}", value); }

// "name": value for each active segment, one per line.
template <typename Field>
std::string BySegment(const std::vector<const SegmentProfile*>& active, Field field) {
  std::string text = "{";
  for (std::size_t i = 0; i < active.size(); ++i) {
    text += fmt::format("{}\"{}\": {}", i ? ", " : "", active[i]->name, field(*active[i]));
  }
  return text + "}";
}

std::string SegmentsJson(const std::vector<const SegmentProfile*>& active) {
  double total_weight = 0;
  for (const SegmentProfile* profile : active) total_weight += profile->customer_weight;
  std::string text = "{\n";
  for (std::size_t i = 0; i < active.size(); ++i) {
    const SegmentProfile& profile = *active[i];
    text += fmt::format(
        "    \"{}\": {{\n"
        "      \"customer_share\": {},\n"
        "      \"invoices_per_customer_month\": {},\n"
        "      \"amount\": {{\"distribution\": \"lognormal\", \"median\": {}, \"sigma\": {}, \"unit\": \"major\"}},\n"
        "      \"terms_days\": {{\"30\": {}, \"45\": {}, \"60\": {}}},\n"
        "      \"daily_hazard\": {}\n"
        "    }}{}\n",
        profile.name, profile.customer_weight / total_weight, profile.invoices_per_month, profile.amount_median,
        profile.amount_sigma, profile.terms_weights[0], profile.terms_weights[1], profile.terms_weights[2],
        NumberArray(profile.daily_hazard), i + 1 < active.size() ? "," : "");
  }
  return text + "  }";
}

std::string DunningJson() {
  std::string steps;
  for (const DunningStep& step : DunningSteps()) {
    steps += fmt::format("{}\n      {{\"action\": \"{}\", \"days_after_due\": {}{}}}", steps.empty() ? "" : ",",
                         step.action, step.days_after_due,
                         step.unless_segment.empty() ? ""
                                                     : fmt::format(", \"unless_segment\": \"{}\"", step.unless_segment));
  }
  return fmt::format(
      "{{\n    \"steps\": [{}\n    ],\n"
      "    \"lag_days\": {{\"min\": 0, \"max\": {}, \"distribution\": \"uniform\"}},\n"
      "    \"weekend\": \"an action due on a Saturday or Sunday is taken the next Monday\",\n"
      "    \"while\": \"the invoice owes something and is not placed with the agency\",\n"
      "    \"during_dispute\": \"a step due while a dispute is open waits until the day it is resolved\"\n  }}",
      steps, kMaxActionLagDays);
}

std::string EffectsJson() {
  std::string text = "{";
  for (const DunningStep& step : DunningSteps()) {
    if (step.kind == ActionKind::Agency) continue;
    text += fmt::format("{}\"{}\": {{\"factor\": {}, \"window_days\": {}}}", text.size() > 1 ? ", " : "", step.action,
                        step.effect_factor, step.effect_window_days);
  }
  return text + "}";
}

}  // namespace

std::string GroundTruthJson(const GeneratorOptions& options, Date end) {
  const std::vector<const SegmentProfile*> active = ActiveProfiles(options);
  const CurrencyInfo& currency = InfoOf(options.currency);
  std::string intervals;
  for (int i = 0; i < kHazardIntervals; ++i) {
    intervals += fmt::format("{}{{\"from\": {}, \"to\": {}}}", i ? ", " : "", IntervalBound(kIntervalStart[i]),
                             i + 1 < kHazardIntervals ? IntervalBound(kIntervalStart[i + 1]) : "null");
  }
  std::string agency_intervals;
  for (int i = 0; i < kAgencyIntervals; ++i) {
    agency_intervals += fmt::format("{}{{\"from\": {}, \"to\": {}, \"daily_hazard\": {}}}", i ? ", " : "",
                                    kAgencyIntervalStart[i],
                                    i + 1 < kAgencyIntervals ? fmt::format("{}", kAgencyIntervalStart[i + 1]) : "null",
                                    kAgencyDailyHazard[i]);
  }
  std::string text = "{\n";
  text += "  \"version\": 1,\n";
  text += fmt::format("  \"seed\": {},\n  \"customers\": {},\n  \"months\": {},\n", options.seed, options.customers,
                      options.months);
  text += fmt::format("  \"start\": \"{}\",\n  \"end\": \"{}\",\n  \"currency\": \"{}\",\n", options.start.ToIso(),
                      end.ToIso(), currency.code);
  text += fmt::format(
      "  \"hazard\": {{\n"
      "    \"meaning\": \"probability that an unpaid invoice is paid on a day: daily_hazard of its segment and "
      "interval of days after due, times the factor of each action whose window covers the day, times the dispute "
      "and promise factors, at most 1\",\n"
      "    \"day_order\": \"payments of a day come before its actions; an action on day a affects days a+1 to "
      "a+window_days\",\n"
      "    \"first_day\": \"the day after issue\",\n"
      "    \"intervals_days_after_due\": [{}]\n  }},\n",
      intervals);
  text += "  \"segments\": " + SegmentsJson(active) + ",\n";
  text += "  \"action_effects\": " + EffectsJson() + ",\n";
  text += fmt::format(
      "  \"agency\": {{\"contingency_percent\": {}, \"replaces_baseline\": true, \"intervals_days_after_placement\": "
      "[{}]}},\n",
      kAgencyContingencyPercent, agency_intervals);
  text += "  \"dunning_policy\": " + DunningJson() + ",\n";
  text += "  \"dispute_rate\": " + BySegment(active, [](const SegmentProfile& p) { return p.dispute_rate; }) + ",\n";
  text += fmt::format(
      "  \"disputes\": {{\"opened_days_after_due\": {{\"min\": {}, \"max\": {}}}, \"resolution_days\": "
      "{{\"distribution\": \"lognormal\", \"median\": {}, \"sigma\": {}, \"minimum\": 1}}, \"never_resolved_share\": "
      "{}, \"hazard_factor\": {}, \"hazard_window\": \"from the day after opening to the day of resolution\", "
      "\"steps\": \"a step due from the opening day to the day before resolution is taken on the resolution day "
      "(next weekday); never, when the dispute is never resolved\", \"recorded\": \"only when the invoice still owes "
      "something on the opening day; resolved is empty when still open at the end\"}},\n",
      kDisputeOpenedFrom, kDisputeOpenedTo, kDisputeResolutionMedianDays, kDisputeResolutionSigma,
      kDisputeNeverResolvedShare, kDisputeHazardFactor);
  text += fmt::format(
      "  \"partial_payment\": {{\"share\": {}, \"instalments\": {{\"2\": {}, \"3\": {}}}, "
      "\"first_fraction_of_two\": {{\"min\": {}, \"max\": {}}}, \"fraction_each_of_three\": {{\"min\": {}, \"max\": {}}}, "
      "\"gap_days\": {{\"min\": {}, \"max\": {}}}, \"last_instalment\": \"everything still owed, fees included\", "
      "\"hazard_event\": \"the first payment; later instalments follow the schedule, whatever the hazard\"}},\n",
      BySegment(active, [](const SegmentProfile& p) { return p.partial_payment_share; }), kTwoInstalmentsShare,
      1 - kTwoInstalmentsShare, kTwoFirstFractionLow, kTwoFirstFractionHigh, kThreeFractionLow, kThreeFractionHigh,
      kInstalmentGapLow, kInstalmentGapHigh);
  text += fmt::format(
      "  \"promises\": {{\"rate_after_call\": {}, \"promised_days_after_call\": {{\"min\": {}, \"max\": {}}}, "
      "\"hazard_factor\": {}, \"window\": \"from the day after the call to the promised day\"}},\n",
      BySegment(active, [](const SegmentProfile& p) { return p.promise_rate; }), kPromiseDaysLow, kPromiseDaysHigh,
      kPromiseHazardFactor);
  text += fmt::format(
      "  \"late_fee\": {{\"rate_with_letter\": {}, \"percent_of_amount\": {}, \"minimum_major\": {}, \"rounding\": "
      "\"down to the minor unit\"}},\n",
      BySegment(active, [](const SegmentProfile& p) { return p.late_fee_rate; }), kLateFeePerMille / 10.0,
      kLateFeeMinimumMajor);
  text += fmt::format("  \"write_off\": {{\"days_after_due\": {}}},\n", kWriteOffDaysAfterDue);
  text += fmt::format(
      "  \"issue_dates\": {{\"month_end_share\": {}, \"month_volume\": {}, \"weekend\": \"moved to the Friday "
      "before\", \"customer_activity_sigma\": {}, \"late_joiner_share\": {}}}\n",
      kMonthEndShare, NumberArray(kMonthVolume), kActivitySigma, kLateJoinerShare);
  return text + "}\n";
}

}  // namespace recoup::runtime::generator_detail
