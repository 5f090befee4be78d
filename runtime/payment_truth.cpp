#include "runtime/payment_truth.h"

#include <fmt/format.h>

#include "runtime/json.h"
#include "runtime/payment_fit.h"

namespace recoup::runtime {
namespace {

const JsonValue* Path(const JsonValue& root, std::initializer_list<std::string_view> keys) {
  const JsonValue* value = &root;
  for (std::string_view key : keys) {
    value = value->Find(key);
    if (value == nullptr) return nullptr;
  }
  return value;
}

void Add(TruthComparisonResult& result, std::string parameter, double truth, const Estimate& fitted) {
  if (fitted.source != ParameterSource::Fitted) return;
  const bool covered = truth >= fitted.Lower() && truth <= fitted.Upper();
  result.rows.push_back({std::move(parameter), truth, fitted, covered});
}

}  // namespace

TruthComparisonResult CompareWithGroundTruth(const PaymentModel& model, std::string_view ground_truth_json) {
  TruthComparisonResult result;
  JsonParseResult parsed = ParseJson(ground_truth_json);
  if (!parsed.value) {
    result.error = parsed.error;
    return result;
  }
  const JsonValue& truth = *parsed.value;
  const JsonValue* intervals = Path(truth, {"hazard", "intervals_days_after_due"});
  if (intervals == nullptr || !intervals->IsArray() || intervals->items.size() != model.interval_starts.size()) {
    result.error = "the ground truth's hazard intervals are not the model's";
    return result;
  }
  for (std::size_t k = 0; k < intervals->items.size(); ++k) {
    const JsonValue* from = intervals->items[k].Find("from");
    const bool same = from != nullptr && (from->IsNull() ? model.interval_starts[k] == kOpenIntervalStart
                                                         : from->IsNumber() && from->number == model.interval_starts[k]);
    if (!same) {
      result.error = fmt::format("the ground truth's interval {} does not start where the model's does", k + 1);
      return result;
    }
  }
  for (const SegmentHazards& segment : model.segments) {
    const JsonValue* hazards = Path(truth, {"segments", segment.name, "daily_hazard"});
    if (hazards == nullptr || hazards->items.size() != segment.daily.size()) continue;
    for (std::size_t k = 0; k < segment.daily.size(); ++k) {
      Add(result, fmt::format("hazard {} days {}", segment.name, IntervalLabel(model.interval_starts, k)),
          hazards->items[k].number, segment.daily[k]);
    }
  }
  for (const ActionEffect& effect : model.effects) {
    const JsonValue* factor = Path(truth, {"action_effects", effect.action, "factor"});
    const JsonValue* window = Path(truth, {"action_effects", effect.action, "window_days"});
    if (window != nullptr && window->number != effect.window_days) {
      result.error = fmt::format("the model's window for `{}` is {} days, the truth's {}: the factors are not comparable",
                                 effect.action, effect.window_days, window->number);
      return result;
    }
    Add(result, "effect " + effect.action, factor != nullptr ? factor->number : 1.0, effect.factor);
  }
  if (const JsonValue* factor = Path(truth, {"disputes", "hazard_factor"})) {
    Add(result, "effect open dispute", factor->number, model.dispute_factor);
  }
  if (const JsonValue* factor = Path(truth, {"promises", "hazard_factor"})) {
    Add(result, "effect promise to pay", factor->number, model.promise_factor);
  }
  if (const JsonValue* agency = Path(truth, {"agency", "intervals_days_after_placement"})) {
    for (std::size_t j = 0; j < agency->items.size() && j < model.agency_hazard.size(); ++j) {
      const JsonValue* from = agency->items[j].Find("from");
      const JsonValue* hazard = agency->items[j].Find("daily_hazard");
      if (from == nullptr || hazard == nullptr || from->number != model.agency_interval_starts[j]) continue;
      Add(result, fmt::format("agency days {}", IntervalLabel(model.agency_interval_starts, j)), hazard->number,
          model.agency_hazard[j]);
    }
  }
  return result;
}

}  // namespace recoup::runtime
