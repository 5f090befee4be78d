// Typed expressions for generated policies: literals of every type,
// constants and attributes, runtime values with the range they usually
// take, conditions built from every operator, and trigger anchors.
//
// The unit rules the generator must respect (compiler/types.cpp,
// compiler/constant_folding.cpp): business days never meet a runtime
// duration nor a fixed date; list items and action values are constants;
// comparisons have a runtime side, so a guard is never folded to a
// constant; divisors are non-zero literals.
//
// One random draw per expression: C++ leaves the order of operands (of +,
// of a call's arguments) unspecified, and GCC and clang choose differently,
// so two draws in one expression would make the text depend on the
// compiler. Draw into named locals first (policy_writer.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runtime/date.h"

#include "tools/testgen/policy_writer.h"

namespace recoup::testgen::internal {

const char* KindName(Kind kind) {
  static const char* const kNames[] = {"money", "percent", "rate", "duration", "date",
                                       "count", "number",  "bool", "text"};
  return kNames[static_cast<int>(kind)];
}

std::size_t PolicyWriter::Weighted(std::initializer_list<double> weights) {
  return random_.Choose(std::span<const double>(weights.begin(), weights.size()));
}

std::string PolicyWriter::MoneyMinorLiteral(std::int64_t minor) {
  if (currency_.exponent == 0) return fmt::format("{} {}", minor, currency_.code);
  std::int64_t unit = 1;
  for (int i = 0; i < currency_.exponent; ++i) unit *= 10;
  std::int64_t major = minor / unit;
  std::int64_t fraction = minor % unit;
  if (fraction == 0 && Chance(0.5)) return fmt::format("{} {}", major, currency_.code);
  return fmt::format("{}.{:0{}} {}", major, fraction, currency_.exponent, currency_.code);
}

std::string PolicyWriter::MoneyLiteral(double major_low, double major_high) {
  std::int64_t unit = 1;
  for (int i = 0; i < currency_.exponent; ++i) unit *= 10;
  double major = major_low + (major_high - major_low) * random_.Uniform();
  auto minor = static_cast<std::int64_t>(std::llround(major * static_cast<double>(currency_.scale))) * unit;
  if (minor < 0) minor = 0;
  if (unit > 1 && Chance(0.4)) minor += Between(0, unit - 1);
  return MoneyMinorLiteral(minor);
}

std::string PolicyWriter::PercentLiteral(double low, double high) {
  double value = low + (high - low) * random_.Uniform();
  switch (Weighted({5, 3, 2})) {
    case 0: return fmt::format("{}%", static_cast<std::int64_t>(std::llround(value)));
    case 1: return fmt::format("{:.1f}%", value);
    default: return fmt::format("{:.2f}%", value);
  }
}

std::string PolicyWriter::DurationLiteral(std::int64_t days, bool allow_business) {
  if (days < 0) days = 0;
  std::size_t unit = Weighted({6, 1.5, allow_business ? 2.5 : 0});
  if (unit == 1 && days >= 7) {
    std::int64_t weeks = days / 7;
    if (Chance(0.2)) return fmt::format("{} {}", weeks, weeks == 1 ? "week" : "weeks");
    return fmt::format("{}w", weeks);
  }
  if (unit == 2) {
    std::int64_t business = days > 0 ? std::max<std::int64_t>(1, days * 5 / 7) : 0;
    if (Chance(0.2)) return fmt::format("{} business {}", business, business == 1 ? "day" : "days");
    return fmt::format("{}bd", business);
  }
  if (Chance(0.15)) return fmt::format("{} {}", days, days == 1 ? "day" : "days");
  return fmt::format("{}d", days);
}

std::string PolicyWriter::DateLiteral() {
  // 2025-09-01 .. 2027-03-31: the window generated subjects live in.
  runtime::Date start = *runtime::Date::ParseIso("2025-09-01");
  return start.AddDays(static_cast<std::int32_t>(Between(0, 576))).ToIso();
}

std::string PolicyWriter::TextLiteral(const std::vector<std::string>& choices) {
  std::string text = Pick(choices);
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return "\"" + escaped + "\"";
}

namespace {

const std::vector<std::string> kSegments = {"strategic", "enterprise", "standard", "smb", "public"};
const std::vector<std::string> kCountries = {"US", "DE", "FR", "JP", "BH", "GB"};
const std::vector<std::string> kWords = {"EU", "US", "north", "south", "key \"account\"", "réseau", "tier-1"};

std::int64_t Around(double low, double high, double fraction) {
  return static_cast<std::int64_t>(std::llround(low + (high - low) * fraction));
}

}  // namespace

std::string PolicyWriter::Literal(Kind kind, Range range, bool allow_business) {
  double spread = range.high - range.low;
  double low = range.low - 0.15 * spread;
  double high = range.high + 0.15 * spread;
  switch (kind) {
    case Kind::Money: return MoneyLiteral(std::max(0.0, low), std::max(1.0, high));
    case Kind::Percent: return PercentLiteral(std::max(0.0, low), std::max(0.5, high));
    case Kind::Rate: return PercentLiteral(std::max(0.0, low), std::max(0.5, high)) + " per year";
    case Kind::Duration: return DurationLiteral(Around(std::max(0.0, low), high, random_.Uniform()), allow_business);
    case Kind::Date: return DateLiteral();
    case Kind::Count: return fmt::format("{}", Around(std::max(0.0, low), high, random_.Uniform()));
    case Kind::Number: return fmt::format("{:.2f}", std::max(0.0, low) + (high - std::max(0.0, low)) * random_.Uniform());
    case Kind::Bool: return Chance(0.5) ? "true" : "false";
    case Kind::Text: return TextLiteral(Chance(0.5) ? kSegments : Chance(0.5) ? kCountries : kWords);
  }
  return "0";
}

const NamedValue* PolicyWriter::FindNamed(Kind kind, bool runtime, bool list, bool business_ok) {
  std::vector<const NamedValue*> found;
  for (const std::vector<NamedValue>* pool : {&named_, &params_}) {
    for (const NamedValue& value : *pool) {
      if (value.kind != kind || value.runtime != runtime || value.is_list != list) continue;
      if (value.business_days && !business_ok) continue;
      found.push_back(&value);
    }
  }
  if (found.empty()) return nullptr;
  return Pick(found);
}

std::string PolicyWriter::Constant(Kind kind, Range range, bool allow_business) {
  if (Chance(in_template_ ? 0.6 : 0.3)) {
    if (const NamedValue* named = FindNamed(kind, false, false, allow_business)) {
      // A folded combination now and then: `k_fee * 2`, `k_gap + 1d`.
      if (kind == Kind::Money && Chance(0.2) && !in_template_) return named->name + " * 2";
      if (kind == Kind::Duration && !named->business_days && Chance(0.2) && !in_template_) {
        return "(" + named->name + " + 1d)";
      }
      return named->name;
    }
  }
  return Literal(kind, range, allow_business);
}

bool PolicyWriter::HasRuntime(Kind kind) const {
  switch (kind) {
    case Kind::Money:
    case Kind::Duration:
    case Kind::Date:
    case Kind::Count:
    case Kind::Number:
    case Kind::Text: return true;
    default:
      for (const NamedValue& value : named_) {
        if (value.runtime && (value.kind == kind || (kind == Kind::Rate && value.kind == Kind::Percent))) return true;
      }
      return false;
  }
}

Term PolicyWriter::Runtime(Kind kind, int depth) {
  const double typical = 20000.0;  // invoice amounts in major units (before the currency scale)
  const NamedValue* attribute = FindNamed(kind, true, false, true);
  bool compound = depth < 2 && Chance(0.3);
  switch (kind) {
    case Kind::Money: {
      if (compound) {
        Term inner = Runtime(Kind::Money, depth + 1);
        switch (Weighted({2, 2, 2, 1, 1, 1, 0.5})) {
          case 0: return {PercentLiteral(1, 60) + " of (" + inner.text + ")", {inner.range.low * 0.01, inner.range.high * 0.6}};
          case 1: return {inner.text + " * 2", {inner.range.low * 2, inner.range.high * 2}};
          case 2: return {inner.text + " + " + Constant(Kind::Money, {0, 500}), {inner.range.low, inner.range.high + 500}};
          case 3: return {inner.text + " - " + Runtime(Kind::Money, depth + 1).text, {-inner.range.high, inner.range.high}};
          case 4: return {inner.text + " / 4", {inner.range.low / 4, inner.range.high / 4}};
          case 5: return {inner.text + " * " + PercentLiteral(10, 90), {0, inner.range.high}};
          default: return {"-" + inner.text, {-inner.range.high, -inner.range.low}};
        }
      }
      if (attribute && Chance(0.3)) return {attribute->name, {0, 10000}};
      switch (Weighted({3, 4, 2, customer_subject_ ? 3.0 : 1.0})) {
        case 0: return {"invoice.amount", {100, typical}};
        case 1: return {"invoice.balance", {0, typical}};
        case 2: return {"invoice.principal", {0, typical}};
        default: return {"customer.open_balance", {0, typical * (customer_subject_ ? 2 : 1)}};
      }
    }
    case Kind::Count: {
      if (compound) {
        Term inner = Runtime(Kind::Count, depth + 1);
        switch (Weighted({2, 1, 1})) {
          case 0: return {inner.text + " + " + fmt::format("{}", Between(1, 10)), {inner.range.low + 1, inner.range.high + 10}};
          case 1: return {inner.text + " * 2", {inner.range.low * 2, inner.range.high * 2}};
          default: return {"-" + inner.text, {-inner.range.high, -inner.range.low}};
        }
      }
      if (attribute && Chance(0.25)) return {attribute->name, {0, 20}};
      bool any_label = false;
      for (const std::string& label : labels_) any_label |= !label.empty() && !in_template_;
      switch (Weighted({5, customer_subject_ ? 2.0 : 0.5, 1, any_label ? 2.0 : 0})) {
        case 0: return {"invoice.days_past_due", {-20, 120}};
        case 1: return {"customer.open_invoices", {0, 4}};
        case 2: return {"customer.late_payments", {0, 3}};
        default: return {"fired(" + Label(step_count_) + ")", {0, 3}};
      }
    }
    case Kind::Number: {
      const NamedValue* number = FindNamed(Kind::Number, true, false, true);
      switch (Weighted({number ? 3.0 : 0, 2, 2})) {
        case 0: return {compound ? number->name + " * 1.5" : number->name, {0, compound ? 7.5 : 5}};
        case 1: {
          Term money = Runtime(Kind::Money, depth + 1);
          return {"(" + money.text + ") / " + MoneyLiteral(1000, 10000), {0, 10}};
        }
        default: {
          Term count = Runtime(Kind::Count, depth + 1);
          return {"(" + count.text + ") / 7", {count.range.low / 7, count.range.high / 7}};
        }
      }
    }
    case Kind::Percent: {
      if (!attribute) break;
      if (compound) return {attribute->name + " + " + PercentLiteral(0, 5), {0, 25}};
      return {attribute->name, {0, 20}};
    }
    case Kind::Rate: {
      if (attribute) return {compound ? attribute->name + " + 2% per year" : attribute->name, {0, 15}};
      const NamedValue* percent = FindNamed(Kind::Percent, true, false, true);
      if (!percent) break;
      return {percent->name + " per year", {0, 20}};
    }
    case Kind::Duration: {
      if (compound) {
        Term inner = Runtime(Kind::Duration, depth + 1);
        return {inner.text + " + " + DurationLiteral(Between(1, 14), false), {inner.range.low + 1, inner.range.high + 14}};
      }
      if (attribute && Chance(0.3)) return {attribute->name, {0, 60}};
      switch (Weighted({3, 2, 1})) {
        case 0: return {"today - invoice.due", {-20, 120}};
        case 1: return {"today - invoice.issue", {0, 150}};
        default: return {"invoice.due - invoice.issue", {10, 60}};
      }
    }
    case Kind::Date: {
      if (compound) {
        Term inner = Runtime(Kind::Date, depth + 1);
        const char* sign = Chance(0.7) ? " + " : " - ";
        return {inner.text + sign + Constant(Kind::Duration, {1, 60}), inner.range};
      }
      if (attribute && Chance(0.3)) return {attribute->name, {}};
      switch (Weighted({3, 2, 1})) {
        case 0: return {"today", {}};
        case 1: return {"invoice.due", {}};
        default: return {"invoice.issue", {}};
      }
    }
    case Kind::Text: {
      if (attribute && Chance(0.3)) return {attribute->name, {}};
      switch (Weighted({3, 2, 1, 1, 1})) {
        case 0: return {"customer.segment", {}};
        case 1: return {"customer.country", {}};
        case 2: return {"invoice.id", {}};
        case 3: return {"invoice.currency", {}};
        default: return {"customer.id", {}};
      }
    }
    case Kind::Bool:
      if (attribute) return {attribute->name, {}};
      break;
  }
  // No runtime source of this kind: a count always exists.
  return Runtime(Kind::Count, depth);
}

std::string PolicyWriter::Label(std::size_t before_step) {
  std::vector<std::string> choices;
  for (std::size_t i = 0; i < labels_.size() && i < before_step; ++i) {
    if (!labels_[i].empty()) choices.push_back(labels_[i]);
  }
  if (choices.empty()) return "";
  return Pick(choices);
}

std::string PolicyWriter::Comparison(int depth) {
  static const std::vector<std::string> kOrdered = {"<", "<=", ">", ">=", "==", "!="};
  static const std::vector<std::string> kEquality = {"==", "!="};
  Kind kind = Kind::Money;
  do {
    kind = static_cast<Kind>(Weighted({35, 4, 3, 8, 10, 22, 4, 3, 10}));
  } while (!HasRuntime(kind));
  Term left = Runtime(kind, depth);
  bool ordered = kind != Kind::Text && kind != Kind::Bool;
  std::string op = ordered ? Pick(kOrdered) : Pick(kEquality);
  std::string right;
  if (kind == Kind::Date) {
    // Against a fixed day, or another runtime date (`today >= invoice.due + 30d`).
    if (Chance(0.5)) {
      right = DateLiteral();
    } else {
      std::string other = Runtime(Kind::Date, depth + 1).text;
      right = other + " + " + DurationLiteral(Between(0, 60), true);
    }
  } else if (kind == Kind::Text) {
    right = left.text == "customer.country" ? TextLiteral(kCountries)
            : left.text == "customer.segment" ? TextLiteral(kSegments)
            : left.text == "invoice.currency" ? fmt::format("\"{}\"", currency_.code)
                                              : Literal(Kind::Text, {}, false);
  } else if (kind == Kind::Bool) {
    right = Chance(0.5) ? "true" : "false";
  } else if (kind == Kind::Money && Chance(0.15)) {
    right = Runtime(Kind::Money, depth + 1).text;
  } else {
    // Runtime durations are calendar days: no business-day constants beside them.
    right = Constant(kind, left.range, false);
  }
  return left.text + " " + op + " " + right;
}

std::string PolicyWriter::Membership() {
  switch (Weighted({4, 2, 2, 1})) {
    case 0: {
      std::string items;
      for (std::int64_t i = 0, n = Between(1, 3); i < n; ++i) items += (i ? ", " : "") + TextLiteral(kSegments);
      return "customer.segment in [" + items + "]";
    }
    case 1: {
      std::string items;
      for (std::int64_t i = 0, n = Between(1, 3); i < n; ++i) items += (i ? ", " : "") + TextLiteral(kCountries);
      return "customer.country in [" + items + "]";
    }
    case 2: {
      std::string items;
      for (std::int64_t i = 0, n = Between(1, 5); i < n; ++i) items += fmt::format("{}{}", i ? ", " : "", Between(0, 90));
      return "invoice.days_past_due in [" + items + "]";
    }
    default: {
      std::string items;
      for (std::int64_t i = 0, n = Between(1, 3); i < n; ++i) items += (i ? ", " : "") + MoneyLiteral(100, 20000);
      return "invoice.amount in [" + items + "]";
    }
  }
}

std::string PolicyWriter::Condition(int depth) {
  const NamedValue* flag = FindNamed(Kind::Bool, true, false, true);
  std::size_t choice = Weighted({10, 2, depth < 2 ? 1.5 : 0, depth < 2 ? 3.0 : 0, depth < 2 ? 2.0 : 0, flag ? 1.0 : 0});
  switch (choice) {
    case 0: return Comparison(depth);
    case 1: return Membership();
    case 2: return "not (" + Condition(depth + 1) + ")";
    case 3: {
      std::string left = Condition(depth + 1);
      return left + " and " + Condition(depth + 1);
    }
    case 4: {
      std::string left = Condition(depth + 1);
      return "(" + left + " or " + Condition(depth + 1) + ")";
    }
    default: return flag->name;
  }
}

std::string PolicyWriter::Offsets(Range days, bool allow_business) {
  std::string text;
  std::size_t count = Weighted({1.5, 7, 1.5});
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t value = Around(days.low, days.high, random_.Uniform());
    if (i > 0) value = Between(-5, 10);
    const NamedValue* named = Chance(in_template_ ? 0.5 : 0.2) ? FindNamed(Kind::Duration, false, false, true) : nullptr;
    if (named) {
      text += (value < 0 ? " - " : " + ") + named->name;
    } else {
      text += (value < 0 ? " - " : " + ") + DurationLiteral(std::llabs(value), allow_business);
    }
  }
  return text;
}

std::string PolicyWriter::Anchor(int label_weight, std::size_t step_index, int depth) {
  std::string label = Label(step_index);
  std::size_t base = Weighted({8, 3, 1.5, label.empty() ? 0.0 : label_weight, depth < 2 ? 2.0 : 0});
  switch (base) {
    case 0: return "due" + Offsets({-15, 90}, true);
    case 1: return "issue" + Offsets({0, 120}, true);
    case 2: return "promise" + Offsets({-3, 20}, true);
    case 3: return label + Offsets({0, 40}, true);
    default: {
      std::string inner = Anchor(label_weight, step_index, depth + 1);
      if (Chance(0.3)) return "(end of month of " + inner + ")" + Offsets({0, 20}, true);
      return "end of month of " + inner;
    }
  }
}

}  // namespace recoup::testgen::internal
