// The payment-response model (docs/model.md): the daily probability that an
// open invoice receives its first payment, piecewise constant over
// intervals of days relative to the due date and by customer segment,
// multiplied by a factor for a window of days after each kind of action,
// while a dispute is open and while a promise to pay runs; after an agency
// placement, replaced by the agency's recovery hazard by days since
// placement. Partial payments and promises made on calls are modelled
// simply. Fitted by `recoup fit` (payment_fit.h), written as versioned
// JSON that a person may edit, read back by the Monte Carlo simulation.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recoup::runtime {

// The version written in and required of model files.
inline constexpr int kPaymentModelVersion = 1;

// The open start of the first interval (minus infinity): null in JSON.
inline constexpr std::int32_t kOpenIntervalStart = std::numeric_limits<std::int32_t>::min();

// Where a parameter's value comes from.
enum class ParameterSource : std::uint8_t {
  Fitted,      // maximum likelihood from the ledger, with a standard error
  NoPayments,  // exposure but not one payment: the rate is 0 (upper bound in the note)
  Prior,       // the ledger cannot identify it: the documented prior (stdlib/models/)
};
std::string_view ParameterSourceName(ParameterSource source);
std::optional<ParameterSource> ParseParameterSource(std::string_view name);

// One parameter: a daily probability or a multiplying factor, its
// uncertainty as the standard error of its logarithm, and its provenance.
struct Estimate {
  double value = 1;
  double log_standard_error = 0;  // 0: treated as known exactly
  ParameterSource source = ParameterSource::Prior;
  std::string note;  // plain words: why a prior, how much data
  // The 95% interval value x exp(-/+ 1.96 se).
  double Lower() const;
  double Upper() const;
};

struct SegmentHazards {
  std::string name;             // customers.csv segment; "" when none was given
  std::vector<Estimate> daily;  // one per interval of PaymentModel::interval_starts
  double partial_share = 0;     // share of first payments that leave something owed
  double dispute_rate = 0;      // share of invoices disputed (reported, not simulated)
};

// The effect of one kind of action (its name as in actions.csv and in the
// policy language: email, letter, call, fee...).
struct ActionEffect {
  std::string action;
  std::int32_t window_days = 7;  // days a+1 .. a+window after an action on day a
  Estimate factor;
};

struct PaymentModel {
  int version = kPaymentModelVersion;
  std::string description;  // what it was fitted from, free text
  // Starts of the intervals of days after due; the first is kOpenIntervalStart.
  std::vector<std::int32_t> interval_starts;
  std::vector<SegmentHazards> segments;
  std::vector<ActionEffect> effects;
  Estimate dispute_factor;  // from the day after a dispute opens to the day it is resolved
  Estimate promise_factor;  // from the day after a promise is made to the promised day
  // Agency recovery: starts of intervals of days since placement (first 0)
  // and the daily probability of a payment in each.
  std::vector<std::int32_t> agency_interval_starts;
  std::vector<Estimate> agency_hazard;
  // A partial first payment pays this share of what is owed; the rest
  // follows after `partial_gap_days`.
  double partial_fraction = 0.5;
  std::int32_t partial_gap_days = 21;
  // A call ends with a promise to pay with this probability, the promise
  // running this many days.
  double promise_rate_after_call = 0;
  std::int32_t promise_days = 7;
  // What the fit saw, for the reader.
  std::uint64_t invoices = 0;
  std::uint64_t payments = 0;
  std::uint64_t exposure_days = 0;
  std::string as_of;  // YYYY-MM-DD

  // Interval index of a day `days_after_due` after due.
  int IntervalOf(std::int32_t days_after_due) const;
  int AgencyIntervalOf(std::int32_t days_since_placement) const;
  const SegmentHazards* FindSegment(std::string_view name) const;
  const ActionEffect* FindEffect(std::string_view action) const;
};

// The model as JSON (docs/model.md, "The model file"): stable order, one
// parameter a line, so a diff of two models reads well.
std::string PaymentModelToJson(const PaymentModel& model);

struct PaymentModelReadResult {
  std::optional<PaymentModel> model;
  std::string error;  // "line:column: what is wrong" when model is empty
};

// Reads and validates a model file's text (probabilities in [0, 1],
// factors positive, intervals increasing, one hazard per interval).
PaymentModelReadResult PaymentModelFromJson(std::string_view text);

}  // namespace recoup::runtime
