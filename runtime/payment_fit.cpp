// The Poisson regression over the fit's cells (payment_fit.h), deciding
// which parameters the ledger identifies and taking priors for the rest.
#include "runtime/payment_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/payment_fit_internal.h"

namespace recoup::runtime {
namespace {

using fit_detail::Cell;
using fit_detail::CellLayout;
using fit_detail::Exposure;
using fit_detail::Parameter;
using fit_detail::Role;

// A fitted log-factor with a standard error above this is reported as weak.
constexpr double kWeakLogStandardError = 0.5;

std::string DaysLabel(std::int64_t days) { return fmt::format("{} invoice-day{}", days, days == 1 ? "" : "s"); }

// The within-age overlap of an effect: of the exposure days inside its
// window, the share matched by days of the same age outside it.
double AgeOverlap(const Exposure& exposure, std::size_t effect) {
  double inside = 0, matched = 0;
  for (std::size_t age = 0; age < fit_detail::kAgeCount; ++age) {
    const double in = static_cast<double>(exposure.age_window_days[effect][age]);
    const double out = static_cast<double>(exposure.age_days[age]) - in;
    inside += in;
    matched += std::min(in, out);
  }
  return inside > 0 ? matched / inside : 0;
}

// The most common age of an effect's actions, and its share of them.
std::pair<std::int32_t, double> ModalAge(const Exposure& exposure, std::size_t effect) {
  const std::vector<std::int64_t>& ages = exposure.action_ages[effect];
  std::size_t best = 0;
  std::int64_t total = 0;
  for (std::size_t age = 0; age < ages.size(); ++age) {
    total += ages[age];
    if (ages[age] > ages[best]) best = age;
  }
  return {static_cast<std::int32_t>(best) + fit_detail::kAgeMin, total > 0 ? static_cast<double>(ages[best]) / total : 0};
}

CellLayout MakeLayout(const Ledger& ledger, const PaymentModel& priors, std::string& error) {
  CellLayout layout;
  layout.interval_starts = priors.interval_starts;
  layout.agency_interval_starts = priors.agency_interval_starts;
  std::vector<StringPool::Id> segment_ids(ledger.customers.segment.begin(), ledger.customers.segment.end());
  std::sort(segment_ids.begin(), segment_ids.end(),
            [&](StringPool::Id a, StringPool::Id b) { return ledger.texts.Get(a) < ledger.texts.Get(b); });
  segment_ids.erase(std::unique(segment_ids.begin(), segment_ids.end()), segment_ids.end());
  layout.segment_of_text.assign(ledger.texts.size(), -1);
  for (StringPool::Id id : segment_ids) {
    layout.segment_of_text[id] = static_cast<std::int32_t>(layout.segments.size());
    layout.segments.emplace_back(ledger.texts.Get(id));
  }
  std::vector<std::string> names;
  std::vector<bool> used(ledger.texts.size(), false);
  for (StringPool::Id id : ledger.actions.action) used[id] = true;
  for (std::size_t id = 0; id < used.size(); ++id) {
    if (used[id] && ledger.texts.Get(static_cast<StringPool::Id>(id)) != "agency") {
      names.emplace_back(ledger.texts.Get(static_cast<StringPool::Id>(id)));
    }
  }
  bool fees = std::find(ledger.adjustments.kind.begin(), ledger.adjustments.kind.end(), AdjustmentKind::Fee) !=
              ledger.adjustments.kind.end();
  if (fees && std::find(names.begin(), names.end(), "fee") == names.end()) names.emplace_back("fee");
  std::sort(names.begin(), names.end());
  if (names.size() > fit_detail::kMaxEffects) {
    error = fmt::format("actions.csv names {} kinds of action; the fit separates at most {} (group the rare ones "
                        "under one name)", names.size(), fit_detail::kMaxEffects);
    return layout;
  }
  layout.effects = names;
  layout.effect_of_text.assign(ledger.texts.size(), -1);
  for (std::size_t e = 0; e < names.size(); ++e) {
    const ActionEffect* prior = priors.FindEffect(names[e]);
    layout.window_days.push_back(prior != nullptr ? prior->window_days : 7);
    if (std::optional<StringPool::Id> id = ledger.texts.Find(names[e])) layout.effect_of_text[*id] = static_cast<std::int32_t>(e);
    if (names[e] == "fee" && fees) layout.fee_index = static_cast<std::int32_t>(e);
  }
  if (std::optional<StringPool::Id> agency = ledger.texts.Find("agency")) {
    if (*agency < used.size() && used[*agency]) layout.effect_of_text[*agency] = -2;
  }
  return layout;
}

Estimate PriorEffect(const PaymentModel& priors, const std::string& action) {
  if (const ActionEffect* effect = priors.FindEffect(action)) return effect->factor;
  Estimate neutral;
  neutral.value = 1;
  neutral.log_standard_error = 0.5;
  neutral.note = "no prior for this action: no effect assumed";
  return neutral;
}

// The prior daily hazard of segment interval k: the segment's own prior
// when the priors name it, else the "*" segment's.
Estimate PriorHazard(const PaymentModel& priors, const std::string& segment, std::size_t k) {
  const SegmentHazards* prior = priors.FindSegment(segment);
  if (prior == nullptr) prior = priors.FindSegment("*");
  if (prior == nullptr) prior = &priors.segments.front();
  return prior->daily[k];
}

}  // namespace

std::string IntervalLabel(const std::vector<std::int32_t>& starts, std::size_t k) {
  if (k == 0 && starts.size() > 1 && starts[0] == kOpenIntervalStart) return fmt::format("before {}", starts[1]);
  if (k + 1 == starts.size()) return fmt::format("{} and later", starts[k]);
  return fmt::format("{} to {}", starts[k], starts[k + 1] - 1);
}

FitResult FitPaymentModel(const Ledger& ledger, const PaymentModel& priors, const FitOptions& options) {
  FitResult result;
  if (ledger.invoices.size() == 0) {
    result.error = "the ledger has no invoices";
    return result;
  }
  CellLayout layout = MakeLayout(ledger, priors, result.error);
  if (!result.error.empty()) return result;
  Exposure exposure = fit_detail::AggregateExposure(ledger, layout, options.as_of, options.threads);
  if (exposure.invoices == 0) {
    result.error = fmt::format("no invoice was open for a single day up to {}", options.as_of.ToIso());
    return result;
  }

  // Parameters: segment x interval hazards, agency intervals, effects, dispute, promise.
  const std::size_t intervals = layout.intervals();
  const std::size_t bases = layout.bases();
  const std::size_t effect0 = bases;
  const std::size_t effects = layout.effects.size();
  std::vector<Parameter> parameters(bases + effects + 2);
  std::vector<std::int64_t> days(parameters.size(), 0), payments(parameters.size(), 0);
  const std::size_t masks = layout.masks();
  std::vector<Cell> cells;
  for (std::size_t c = 0; c < exposure.days.size(); ++c) {
    if (exposure.days[c] == 0) continue;
    Cell cell;
    cell.days = static_cast<double>(exposure.days[c]);
    cell.payments = static_cast<double>(exposure.payments[c]);
    const std::size_t base = c / masks, mask = c % masks;
    cell.parameters.push_back(static_cast<std::uint32_t>(base));
    for (std::size_t bit = 0; bit < effects + 2; ++bit) {
      if (mask & (std::size_t{1} << bit)) cell.parameters.push_back(static_cast<std::uint32_t>(effect0 + bit));
    }
    for (std::uint32_t p : cell.parameters) {
      days[p] += exposure.days[c];
      payments[p] += exposure.payments[c];
    }
    cells.push_back(std::move(cell));
  }
  result.cells = cells.size();

  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    for (std::size_t k = 0; k < intervals; ++k) {
      Parameter& parameter = parameters[s * intervals + k];
      parameter.label = fmt::format("{}, days {} after due",
                                    layout.segments[s].empty() ? "customers without a segment"
                                                               : fmt::format("segment `{}`", layout.segments[s]),
                                    IntervalLabel(layout.interval_starts, k));
      parameter.prior = PriorHazard(priors, layout.segments[s], k);
    }
  }
  for (std::size_t j = 0; j < layout.agency_intervals(); ++j) {
    Parameter& parameter = parameters[layout.segments.size() * intervals + j];
    parameter.label = fmt::format("agency recovery, days {} after placement", IntervalLabel(layout.agency_interval_starts, j));
    parameter.prior = priors.agency_hazard[j];
  }
  for (std::size_t e = 0; e < effects; ++e) {
    parameters[effect0 + e].label = fmt::format("action `{}`", layout.effects[e]);
    parameters[effect0 + e].prior = PriorEffect(priors, layout.effects[e]);
  }
  parameters[effect0 + effects].label = "open dispute";
  parameters[effect0 + effects].prior = priors.dispute_factor;
  parameters[effect0 + effects + 1].label = "promise to pay";
  parameters[effect0 + effects + 1].prior = priors.promise_factor;

  // Identification by counting: no exposure, or no payment.
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    Parameter& parameter = parameters[p];
    const bool is_base = p < bases;
    if (days[p] == 0) {
      parameter.role = Role::Fixed;
      const bool is_agency = is_base && p >= layout.segments.size() * intervals;
      parameter.note = is_agency ? "no invoice placed with an agency was open this long: prior used"
                       : is_base ? "no invoice was open in this interval: prior used"
                               : p == effect0 + effects ? "no dispute in the ledger: prior used"
                               : p == effect0 + effects + 1 ? "no promise to pay in the ledger: prior used"
                                                            : "no exposure after this action: prior used";
    } else if (payments[p] == 0) {
      if (is_base) {
        parameter.role = Role::Zero;
        parameter.note = fmt::format("no payment in {}: rate 0 (95% upper bound {:.3g} a day)", DaysLabel(days[p]),
                                     3.0 / static_cast<double>(days[p]));
      } else {
        parameter.role = Role::Fixed;
        parameter.note = fmt::format("no payment in {} under this effect: cannot be estimated, prior used",
                                     DaysLabel(days[p]));
      }
    } else if (is_base) {
      parameter.log_value = std::log(static_cast<double>(payments[p]) / static_cast<double>(days[p]));
    }
  }
  // Identification by timing: an action everyone got at the same age.
  for (std::size_t e = 0; e < effects; ++e) {
    Parameter& parameter = parameters[effect0 + e];
    if (parameter.role != Role::Free) continue;
    const double overlap = AgeOverlap(exposure, e);
    if (overlap < options.min_age_overlap) {
      const auto [age, share] = ModalAge(exposure, e);
      parameter.role = Role::Fixed;
      parameter.note = fmt::format(
          "cannot be separated from time: {:.0f}% of these actions were taken {} days after due, and at the ages its "
          "window covers only {:.1f}% of invoice-days were without it (needs {:.0f}%); prior used",
          share * 100, age, overlap * 100, options.min_age_overlap * 100);
    }
  }
  for (Parameter& parameter : parameters) {
    if (parameter.role == Role::Fixed) parameter.log_value = std::log(parameter.prior.value);
  }

  const fit_detail::RegressionResult regression = fit_detail::FitPoisson(
      parameters, std::move(cells),
      "cannot be separated from the other effects and the hazard by age (the information matrix is singular): prior "
      "used");
  result.converged = regression.converged;
  result.iterations = regression.iterations;
  if (!result.converged) {
    result.error = "the maximum-likelihood fit did not converge (the information matrix is not positive definite)";
    return result;
  }

  // The model.
  PaymentModel& model = result.model;
  model.description = options.description;
  model.interval_starts = layout.interval_starts;
  model.agency_interval_starts = layout.agency_interval_starts;
  auto estimate_of = [&](std::size_t p) {
    const Parameter& parameter = parameters[p];
    Estimate estimate;
    switch (parameter.role) {
      case Role::Free:
        estimate.value = std::exp(parameter.log_value);
        estimate.log_standard_error = regression.standard_errors[p];
        estimate.source = ParameterSource::Fitted;
        estimate.note = fmt::format("{} payments in {}", payments[p], DaysLabel(days[p]));
        if (p >= bases && estimate.log_standard_error > kWeakLogStandardError) {
          estimate.note += "; weakly identified: the interval is wide";
          result.findings.push_back({parameter.label, "weakly identified: its 95% interval is wide"});
        }
        break;
      case Role::Zero:
        estimate.value = 0;
        estimate.source = ParameterSource::NoPayments;
        estimate.note = parameter.note;
        result.findings.push_back({parameter.label, parameter.note});
        break;
      case Role::Fixed:
        estimate = parameter.prior;
        estimate.source = ParameterSource::Prior;
        estimate.note = parameter.note;
        result.findings.push_back({parameter.label, parameter.note});
        break;
    }
    return estimate;
  };
  for (std::size_t s = 0; s < layout.segments.size(); ++s) {
    SegmentHazards segment;
    segment.name = layout.segments[s];
    for (std::size_t k = 0; k < intervals; ++k) segment.daily.push_back(estimate_of(s * intervals + k));
    const double invoices = static_cast<double>(exposure.segment_invoices[s]);
    const double first_payments = static_cast<double>(exposure.segment_first_payments[s]);
    segment.partial_share = first_payments > 0 ? exposure.segment_partial[s] / first_payments : 0;
    segment.dispute_rate = invoices > 0 ? exposure.segment_disputed[s] / invoices : 0;
    model.segments.push_back(std::move(segment));
  }
  for (std::size_t j = 0; j < layout.agency_intervals(); ++j) {
    model.agency_hazard.push_back(estimate_of(layout.segments.size() * intervals + j));
  }
  for (std::size_t e = 0; e < effects; ++e) {
    model.effects.push_back({layout.effects[e], layout.window_days[e], estimate_of(effect0 + e)});
  }
  // Actions the ledger never shows keep their priors, so a policy that
  // uses them is still simulated with an effect (and its uncertainty).
  std::string unseen;
  for (const ActionEffect& prior : priors.effects) {
    if (model.FindEffect(prior.action) != nullptr) continue;
    ActionEffect effect = prior;
    effect.factor.source = ParameterSource::Prior;
    effect.factor.note = fmt::format("no `{}` action in the ledger: prior used", prior.action);
    model.effects.push_back(std::move(effect));
    unseen += (unseen.empty() ? "" : ", ") + prior.action;
  }
  if (!unseen.empty()) {
    result.findings.push_back({"actions never taken in the ledger", fmt::format("{}: their priors are used", unseen)});
  }
  model.dispute_factor = estimate_of(effect0 + effects);
  model.promise_factor = estimate_of(effect0 + effects + 1);

  std::int64_t partials = 0;
  for (std::int64_t count : exposure.segment_partial) partials += count;
  model.partial_fraction = partials > 0 ? std::clamp(exposure.partial_share_ppm / 1e6 / partials, 0.001, 0.999)
                                        : priors.partial_fraction;
  model.partial_gap_days = exposure.partial_gaps > 0
                               ? std::max<std::int32_t>(1, static_cast<std::int32_t>(std::lround(
                                                               static_cast<double>(exposure.partial_gap_days) /
                                                               exposure.partial_gaps)))
                               : priors.partial_gap_days;
  if (exposure.calls > 0) {
    model.promise_rate_after_call = static_cast<double>(exposure.calls_with_promise) / exposure.calls;
    model.promise_days = exposure.calls_with_promise > 0
                             ? std::max<std::int32_t>(1, static_cast<std::int32_t>(std::lround(
                                                             static_cast<double>(exposure.promise_days) /
                                                             exposure.calls_with_promise)))
                             : priors.promise_days;
  } else {
    model.promise_rate_after_call = priors.promise_rate_after_call;
    model.promise_days = priors.promise_days;
  }
  model.invoices = exposure.invoices;
  for (std::int64_t count : exposure.payments) model.payments += static_cast<std::uint64_t>(count);
  for (std::int64_t count : exposure.days) model.exposure_days += static_cast<std::uint64_t>(count);
  model.as_of = options.as_of.ToIso();
  return result;
}

}  // namespace recoup::runtime
