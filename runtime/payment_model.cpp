// The payment model's JSON form, written and read back with validation.
#include "runtime/payment_model.h"

#include <fmt/format.h>

#include <cmath>

#include "runtime/json.h"

namespace recoup::runtime {
namespace {

constexpr double kZ95 = 1.959963984540054;

std::string Bound(std::int32_t start) { return start == kOpenIntervalStart ? "null" : fmt::format("{}", start); }

std::string EstimateJson(const Estimate& estimate) {
  std::string text = fmt::format("{{\"value\": {}, \"log_standard_error\": {}, \"interval95\": [{}, {}], \"source\": \"{}\"",
                                 estimate.value, estimate.log_standard_error, estimate.Lower(), estimate.Upper(),
                                 ParameterSourceName(estimate.source));
  if (!estimate.note.empty()) text += ", \"note\": " + JsonQuote(estimate.note);
  return text + "}";
}

std::string IntArray(const std::vector<std::int32_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + Bound(values[i]);
  return text + "]";
}

// Reading: each function returns false after setting `error` once.
class ModelReader {
 public:
  std::string error;

  bool Fail(const JsonValue& at, std::string_view what) {
    if (error.empty()) error = fmt::format("{}:{}: {}", at.line, at.column, what);
    return false;
  }
  const JsonValue* Member(const JsonValue& object, std::string_view key, bool required = true) {
    if (!object.IsObject()) {
      Fail(object, "expected an object");
      return nullptr;
    }
    const JsonValue* value = object.Find(key);
    if (value == nullptr && required) Fail(object, fmt::format("missing member `{}`", key));
    return value;
  }
  bool Number(const JsonValue& object, std::string_view key, double& out, double low, double high,
              bool required = true) {
    const JsonValue* value = Member(object, key, required);
    if (value == nullptr) return error.empty();
    if (!value->IsNumber() || !(value->number >= low && value->number <= high)) {
      return Fail(*value, fmt::format("`{}` must be a number from {} to {}", key, low, high));
    }
    out = value->number;
    return true;
  }
  bool Integer(const JsonValue& object, std::string_view key, std::int32_t& out, std::int32_t low, std::int32_t high,
               bool required = true) {
    double number = out;
    if (!Number(object, key, number, low, high, required)) return false;
    if (number != std::floor(number)) return Fail(*object.Find(key), fmt::format("`{}` must be a whole number", key));
    out = static_cast<std::int32_t>(number);
    return true;
  }
  bool Text(const JsonValue& object, std::string_view key, std::string& out, bool required = true) {
    const JsonValue* value = Member(object, key, required);
    if (value == nullptr) return error.empty();
    if (!value->IsString()) return Fail(*value, fmt::format("`{}` must be a string", key));
    out = value->text;
    return true;
  }
  // A probability (is_factor false) or a positive factor.
  bool ReadEstimate(const JsonValue& value, Estimate& out, bool is_factor) {
    if (!value.IsObject()) return Fail(value, "expected an estimate: {\"value\": ..., \"source\": ...}");
    if (!Number(value, "value", out.value, 0, is_factor ? 1e6 : 1)) return false;
    if (is_factor && out.value <= 0) return Fail(*value.Find("value"), "a factor must be above 0");
    out.log_standard_error = 0;
    if (!Number(value, "log_standard_error", out.log_standard_error, 0, 100, false)) return false;
    std::string source = "prior";
    if (!Text(value, "source", source, false)) return false;
    std::optional<ParameterSource> parsed = ParseParameterSource(source);
    if (!parsed) return Fail(*value.Find("source"), "`source` must be \"fitted\", \"no_payments\" or \"prior\"");
    out.source = *parsed;
    return Text(value, "note", out.note, false);
  }
  bool Starts(const JsonValue& object, std::string_view key, std::vector<std::int32_t>& out, bool open_first) {
    const JsonValue* value = Member(object, key);
    if (value == nullptr) return false;
    if (!value->IsArray() || value->items.empty()) return Fail(*value, fmt::format("`{}` must be a non-empty array", key));
    out.clear();
    for (std::size_t i = 0; i < value->items.size(); ++i) {
      const JsonValue& item = value->items[i];
      if (i == 0 && open_first) {
        if (!item.IsNull()) return Fail(item, "the first interval starts at null (open below)");
        out.push_back(kOpenIntervalStart);
        continue;
      }
      if (!item.IsNumber() || item.number != std::floor(item.number) || std::fabs(item.number) > 100000) {
        return Fail(item, "an interval start must be a whole number of days");
      }
      out.push_back(static_cast<std::int32_t>(item.number));
      if (i > 0 && out[i] <= out[i - 1]) return Fail(item, "interval starts must increase");
    }
    if (!open_first && out[0] != 0) return Fail(value->items[0], "the first agency interval starts at 0");
    return true;
  }
  bool Estimates(const JsonValue& value, std::vector<Estimate>& out, std::size_t count, bool is_factor) {
    if (!value.IsArray() || value.items.size() != count) {
      return Fail(value, fmt::format("expected an array of {} estimates, one per interval", count));
    }
    out.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (!ReadEstimate(value.items[i], out[i], is_factor)) return false;
    }
    return true;
  }

  bool Model(const JsonValue& root, PaymentModel& model) {
    double version = 0;
    if (!Number(root, "recoup_payment_model", version, 0, 1e9)) return false;
    if (version != kPaymentModelVersion) {
      return Fail(*root.Find("recoup_payment_model"),
                  fmt::format("this is a version {} model; this recoup reads version {}", version, kPaymentModelVersion));
    }
    if (!Text(root, "description", model.description, false)) return false;
    const JsonValue* hazard = Member(root, "hazard");
    if (hazard == nullptr || !Starts(*hazard, "interval_starts_days_after_due", model.interval_starts, true)) return false;
    const JsonValue* segments = Member(*hazard, "segments");
    if (segments == nullptr) return false;
    if (!segments->IsObject() || segments->members.empty()) return Fail(*segments, "`segments` must name at least one segment");
    for (const auto& [name, value] : segments->members) {
      SegmentHazards segment;
      segment.name = name;
      const JsonValue* daily = Member(value, "daily_hazard");
      if (daily == nullptr || !Estimates(*daily, segment.daily, model.interval_starts.size(), false)) return false;
      if (!Number(value, "partial_share", segment.partial_share, 0, 1, false)) return false;
      if (!Number(value, "dispute_rate", segment.dispute_rate, 0, 1, false)) return false;
      model.segments.push_back(std::move(segment));
    }
    const JsonValue* effects = Member(root, "action_effects");
    if (effects == nullptr) return false;
    if (!effects->IsObject()) return Fail(*effects, "`action_effects` must be an object");
    for (const auto& [name, value] : effects->members) {
      ActionEffect effect;
      effect.action = name;
      if (!Integer(value, "window_days", effect.window_days, 1, 3650)) return false;
      const JsonValue* factor = Member(value, "factor");
      if (factor == nullptr || !ReadEstimate(*factor, effect.factor, true)) return false;
      model.effects.push_back(std::move(effect));
    }
    const JsonValue* dispute = Member(root, "dispute");
    const JsonValue* promise = Member(root, "promise");
    if (dispute == nullptr || promise == nullptr) return false;
    const JsonValue* dispute_factor = Member(*dispute, "factor");
    if (dispute_factor == nullptr || !ReadEstimate(*dispute_factor, model.dispute_factor, true)) return false;
    const JsonValue* promise_factor = Member(*promise, "factor");
    if (promise_factor == nullptr || !ReadEstimate(*promise_factor, model.promise_factor, true)) return false;
    if (!Number(*promise, "rate_after_call", model.promise_rate_after_call, 0, 1)) return false;
    if (!Integer(*promise, "days", model.promise_days, 1, 3650)) return false;
    const JsonValue* agency = Member(root, "agency");
    if (agency == nullptr || !Starts(*agency, "interval_starts_days_after_placement", model.agency_interval_starts, false)) {
      return false;
    }
    const JsonValue* agency_hazard = Member(*agency, "daily_hazard");
    if (agency_hazard == nullptr ||
        !Estimates(*agency_hazard, model.agency_hazard, model.agency_interval_starts.size(), false)) {
      return false;
    }
    const JsonValue* partial = Member(root, "partial_payment");
    if (partial == nullptr) return false;
    if (!Number(*partial, "fraction", model.partial_fraction, 0.001, 0.999)) return false;
    if (!Integer(*partial, "gap_days", model.partial_gap_days, 1, 3650)) return false;
    const JsonValue* data = Member(root, "data", false);
    if (data != nullptr) {
      double number = 0;
      if (!Number(*data, "invoices", number, 0, 1e15, false)) return false;
      model.invoices = static_cast<std::uint64_t>(number);
      number = 0;
      if (!Number(*data, "payments", number, 0, 1e15, false)) return false;
      model.payments = static_cast<std::uint64_t>(number);
      number = 0;
      if (!Number(*data, "exposure_days", number, 0, 1e18, false)) return false;
      model.exposure_days = static_cast<std::uint64_t>(number);
      if (!Text(*data, "as_of", model.as_of, false)) return false;
    }
    return true;
  }
};

}  // namespace

std::string_view ParameterSourceName(ParameterSource source) {
  switch (source) {
    case ParameterSource::Fitted: return "fitted";
    case ParameterSource::NoPayments: return "no_payments";
    case ParameterSource::Prior: return "prior";
  }
  return "prior";
}

std::optional<ParameterSource> ParseParameterSource(std::string_view name) {
  if (name == "fitted") return ParameterSource::Fitted;
  if (name == "no_payments") return ParameterSource::NoPayments;
  if (name == "prior") return ParameterSource::Prior;
  return std::nullopt;
}

double Estimate::Lower() const { return value * std::exp(-kZ95 * log_standard_error); }
double Estimate::Upper() const { return value * std::exp(kZ95 * log_standard_error); }

int PaymentModel::IntervalOf(std::int32_t days_after_due) const {
  int interval = 0;
  while (interval + 1 < static_cast<int>(interval_starts.size()) && days_after_due >= interval_starts[interval + 1]) {
    ++interval;
  }
  return interval;
}

int PaymentModel::AgencyIntervalOf(std::int32_t days_since_placement) const {
  int interval = 0;
  while (interval + 1 < static_cast<int>(agency_interval_starts.size()) &&
         days_since_placement >= agency_interval_starts[interval + 1]) {
    ++interval;
  }
  return interval;
}

const SegmentHazards* PaymentModel::FindSegment(std::string_view name) const {
  for (const SegmentHazards& segment : segments) {
    if (segment.name == name) return &segment;
  }
  return nullptr;
}

const ActionEffect* PaymentModel::FindEffect(std::string_view action) const {
  for (const ActionEffect& effect : effects) {
    if (effect.action == action) return &effect;
  }
  return nullptr;
}

std::string PaymentModelToJson(const PaymentModel& model) {
  std::string text = "{\n";
  text += fmt::format("  \"recoup_payment_model\": {},\n", model.version);
  text += "  \"description\": " + JsonQuote(model.description) + ",\n";
  text += fmt::format(
      "  \"meaning\": \"daily probability that an open invoice receives its first payment: the segment's daily_hazard "
      "for the interval of days after due, times the factor of each action whose window covers the day, times the "
      "dispute and promise factors, at most 1; after an agency placement the agency's daily_hazard by days since "
      "placement replaces it (action factors no longer apply). See docs/model.md.\",\n");
  text += fmt::format("  \"data\": {{\"invoices\": {}, \"payments\": {}, \"exposure_days\": {}, \"as_of\": {}}},\n",
                      model.invoices, model.payments, model.exposure_days, JsonQuote(model.as_of));
  text += fmt::format("  \"hazard\": {{\n    \"interval_starts_days_after_due\": {},\n    \"segments\": {{",
                      IntArray(model.interval_starts));
  for (std::size_t s = 0; s < model.segments.size(); ++s) {
    const SegmentHazards& segment = model.segments[s];
    text += fmt::format("{}\n      {}: {{\n        \"partial_share\": {},\n        \"dispute_rate\": {},\n"
                        "        \"daily_hazard\": [",
                        s ? "," : "", JsonQuote(segment.name), segment.partial_share, segment.dispute_rate);
    for (std::size_t i = 0; i < segment.daily.size(); ++i) {
      text += fmt::format("{}\n          {}", i ? "," : "", EstimateJson(segment.daily[i]));
    }
    text += "\n        ]\n      }";
  }
  text += "\n    }\n  },\n  \"action_effects\": {";
  for (std::size_t e = 0; e < model.effects.size(); ++e) {
    const ActionEffect& effect = model.effects[e];
    text += fmt::format("{}\n    {}: {{\"window_days\": {}, \"factor\": {}}}", e ? "," : "", JsonQuote(effect.action),
                        effect.window_days, EstimateJson(effect.factor));
  }
  text += "\n  },\n";
  text += fmt::format("  \"dispute\": {{\"factor\": {}}},\n", EstimateJson(model.dispute_factor));
  text += fmt::format("  \"promise\": {{\"rate_after_call\": {}, \"days\": {}, \"factor\": {}}},\n",
                      model.promise_rate_after_call, model.promise_days, EstimateJson(model.promise_factor));
  text += fmt::format("  \"agency\": {{\n    \"interval_starts_days_after_placement\": {},\n    \"daily_hazard\": [",
                      IntArray(model.agency_interval_starts));
  for (std::size_t i = 0; i < model.agency_hazard.size(); ++i) {
    text += fmt::format("{}\n      {}", i ? "," : "", EstimateJson(model.agency_hazard[i]));
  }
  text += "\n    ]\n  },\n";
  text += fmt::format("  \"partial_payment\": {{\"fraction\": {}, \"gap_days\": {}}}\n", model.partial_fraction,
                      model.partial_gap_days);
  return text + "}\n";
}

PaymentModelReadResult PaymentModelFromJson(std::string_view text) {
  PaymentModelReadResult result;
  JsonParseResult parsed = ParseJson(text);
  if (!parsed.value) {
    result.error = parsed.error;
    return result;
  }
  PaymentModel model;
  ModelReader reader;
  if (!reader.Model(*parsed.value, model)) {
    result.error = reader.error;
    return result;
  }
  result.model = std::move(model);
  return result;
}

}  // namespace recoup::runtime
