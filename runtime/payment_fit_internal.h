// The fit's phases: the one-pass aggregation of exposure into cells
// (payment_fit_exposure.cpp) and the Poisson regression over the cells
// (payment_fit.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/ledger.h"
#include "runtime/payment_model.h"

namespace recoup::runtime::fit_detail {

// Ages (days after due) over which the within-age overlap is measured.
inline constexpr std::int32_t kAgeMin = -120;
inline constexpr std::int32_t kAgeMax = 720;
inline constexpr std::size_t kAgeCount = kAgeMax - kAgeMin + 1;
// Action names the fit separates (each is a bit of a cell's state).
inline constexpr std::size_t kMaxEffects = 10;

// What the pass needs to know: how to name cells.
struct CellLayout {
  std::vector<std::int32_t> interval_starts;         // days after due
  std::vector<std::int32_t> agency_interval_starts;  // days since placement
  std::vector<std::string> segments;                 // sorted names; index = segment
  std::vector<std::int32_t> segment_of_text;         // text id -> segment index (-1: none)
  std::vector<std::string> effects;                  // sorted action names (and "fee")
  std::vector<std::int32_t> window_days;             // per effect
  std::vector<std::int32_t> effect_of_text;          // action text id -> effect (-1 none, -2 agency)
  std::int32_t fee_index = -1;  // the effect adjustments of kind fee count for, or -1
  std::size_t intervals() const { return interval_starts.size(); }
  std::size_t agency_intervals() const { return agency_interval_starts.size(); }
  // Bases: segment x interval, then agency intervals.
  std::size_t bases() const { return segments.size() * intervals() + agency_intervals(); }
  std::size_t dispute_bit() const { return effects.size(); }
  std::size_t promise_bit() const { return effects.size() + 1; }
  std::size_t masks() const { return std::size_t{1} << (effects.size() + 2); }
  std::size_t cells() const { return bases() * masks(); }
};

// Everything the pass adds up; integers only, so any split over threads
// gives the same sums.
struct Exposure {
  std::vector<std::int64_t> days;      // per cell
  std::vector<std::int64_t> payments;  // per cell: first payments
  // Within-age overlap: exposure days before placement by age, and per
  // effect those inside its window; action counts by age. The two day
  // arrays are difference arrays (kAgeCount + 1 long) until Finish().
  std::vector<std::int64_t> age_days;                      // kAgeCount
  std::vector<std::vector<std::int64_t>> age_window_days;  // [effect][age]
  std::vector<std::vector<std::int64_t>> action_ages;      // [effect][age]
  // Per segment: invoices, disputed invoices, first payments that were partial.
  std::vector<std::int64_t> segment_invoices, segment_disputed, segment_first_payments, segment_partial;
  // Partial first payments: sum of paid share in per-million, gap days to the next payment.
  std::int64_t partial_share_ppm = 0, partial_gaps = 0, partial_gap_days = 0;
  // Calls, calls followed by a promise made the same or next day, promise lengths.
  std::int64_t calls = 0, calls_with_promise = 0, promise_days = 0;
  std::uint64_t invoices = 0;

  void Resize(const CellLayout& layout);
  void Add(const Exposure& other);
  // Turns the difference arrays into counts by age.
  void Finish();
};

// How a parameter of the regression is treated: estimated, held at its
// prior, or a hazard with no payment at all (rate 0, its cells left out).
enum class Role : std::uint8_t { Free, Fixed, Zero };

// One parameter of the regression (a log hazard or a log factor).
struct Parameter {
  std::string label;
  Role role = Role::Free;
  double log_value = 0;  // Fixed: the prior's log; Free: the estimate
  Estimate prior;
  std::string note;
};

// A cell with exposure, and the parameters active in it.
struct Cell {
  double days = 0, payments = 0;
  std::vector<std::uint32_t> parameters;
};

struct RegressionResult {
  int iterations = 0;
  bool converged = false;
  std::vector<double> standard_errors;  // per parameter; 0 for those not free
};

// Maximises the Poisson log-likelihood of `cells` over the free
// parameters (log scale, updated in place); a free parameter that is a
// linear combination of earlier ones becomes Fixed at its prior with
// `collinear_note`.
RegressionResult FitPoisson(std::vector<Parameter>& parameters, std::vector<Cell> cells,
                            const std::string& collinear_note);

// One pass over the ledger on `threads` threads.
Exposure AggregateExposure(const Ledger& ledger, const CellLayout& layout, Date as_of, unsigned threads);

}  // namespace recoup::runtime::fit_detail
