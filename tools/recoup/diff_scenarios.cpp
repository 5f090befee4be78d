// The subjects `recoup diff` tries, built from what both policies read and
// when their steps fire. Each dimension (due date, amount, customer,
// invoice attributes, number of invoices, payments, disputes, promises)
// has a plain default and variants taken from the policies' own literals
// (guard thresholds, segments, holidays, step days). First the default
// subject, then every variant of one dimension at a time, then seeded
// random combinations, until the budget is spent. Same policies, budget and
// seed: the same subjects in the same order.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "compiler/interpreter_test_facts.h"
#include "runtime/counter_random.h"
#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {
namespace {

using compiler::PolicyIr;
using compiler::Value;

// The literals conditions compare with, by what they are compared against.
struct Literals {
  std::vector<std::int64_t> money;  // any money literal in a condition, fee or clamp
  std::vector<std::string> segments, countries;
  std::vector<std::int64_t> open_invoices, late_payments, days_past_due;
  std::vector<runtime::Date> dates;
  // (customer?, name) -> values, for declared attributes.
  std::map<std::pair<bool, std::string>, std::vector<Value>> attributes;
  std::map<std::pair<bool, std::string>, compiler::ValueType> attribute_types;
  std::vector<std::int32_t> step_days;  // roughly when steps fire, in days from due
  std::vector<runtime::Date> holidays;
};

template <typename T>
void AddUnique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool IsComparison(compiler::ExpressionKind kind) {
  using compiler::ExpressionKind;
  return kind == ExpressionKind::Equal || kind == ExpressionKind::NotEqual || kind == ExpressionKind::Less ||
         kind == ExpressionKind::LessEqual || kind == ExpressionKind::Greater || kind == ExpressionKind::GreaterEqual;
}

std::int64_t CountOf(const Value& value) {
  if (value.type != compiler::Type::Count && value.type != compiler::Type::Number) return 0;
  std::int64_t digits = value.decimal.digits;
  for (int s = 0; s < value.decimal.scale; ++s) digits /= 10;
  return digits;
}

// Records that `target` (a field or attribute) is compared with `value`.
void AddComparison(const PolicyIr& ir, const compiler::Expression& target, const Value& value, Literals& out) {
  using compiler::Field;
  if (target.kind == compiler::ExpressionKind::Attribute) {
    const compiler::Attribute& attribute = ir.attributes.at(target.attribute);
    std::pair<bool, std::string> key{attribute.object == compiler::AttributeObject::Customer, attribute.name};
    std::vector<Value>& values = out.attributes[key];
    if (values.size() < 8) values.push_back(value);
    return;
  }
  if (target.kind != compiler::ExpressionKind::Field) return;
  switch (target.field) {
    case Field::CustomerSegment:
      AddUnique(out.segments, value.text);
      break;
    case Field::CustomerCountry:
      AddUnique(out.countries, value.text);
      break;
    case Field::CustomerOpenInvoices:
      AddUnique(out.open_invoices, CountOf(value));
      break;
    case Field::CustomerLatePayments:
      AddUnique(out.late_payments, CountOf(value));
      break;
    case Field::InvoiceDaysPastDue:
      AddUnique(out.days_past_due, CountOf(value));
      break;
    default:
      break;
  }
}

void CollectExpression(const PolicyIr& ir, compiler::ExpressionId id, Literals& out, int depth = 0) {
  if (id == compiler::kNoId || depth > 64) return;
  const compiler::Expression& node = ir.expression(id);
  if (node.kind == compiler::ExpressionKind::Literal) {
    const Value& value = ir.value(node.value);
    if (value.type == compiler::Type::Money) AddUnique(out.money, value.money.minor);
    if (value.type == compiler::Type::Date) AddUnique(out.dates, value.date);
    return;
  }
  if (node.kind == compiler::ExpressionKind::In && node.left != compiler::kNoId) {
    for (std::uint32_t i = 0; i < node.list_count; ++i) {
      const Value& value = ir.value(node.list_begin + i);
      AddComparison(ir, ir.expression(node.left), value, out);
      if (value.type == compiler::Type::Money) AddUnique(out.money, value.money.minor);
    }
  }
  if (IsComparison(node.kind) && node.left != compiler::kNoId && node.right != compiler::kNoId) {
    const compiler::Expression& left = ir.expression(node.left);
    const compiler::Expression& right = ir.expression(node.right);
    if (right.kind == compiler::ExpressionKind::Literal) AddComparison(ir, left, ir.value(right.value), out);
    if (left.kind == compiler::ExpressionKind::Literal) AddComparison(ir, right, ir.value(left.value), out);
  }
  CollectExpression(ir, node.left, out, depth + 1);
  CollectExpression(ir, node.right, out, depth + 1);
}

// The invoice amount at which a percentage fee reaches `clamp`.
std::optional<std::int64_t> ClampPoint(const runtime::Decimal& percent, std::int64_t clamp) {
  if (percent.digits <= 0) return std::nullopt;
  __int128 scaled = static_cast<__int128>(clamp) * 100;
  for (int s = 0; s < percent.scale; ++s) scaled *= 10;
  __int128 amount = scaled / percent.digits;
  if (amount <= 0 || amount > (static_cast<__int128>(1) << 50)) return std::nullopt;
  return static_cast<std::int64_t>(amount);
}

void CollectActions(const std::vector<compiler::Action>& actions, Literals& out) {
  for (const compiler::Action& action : actions) {
    if (action.kind != compiler::ActionKind::Fee) continue;
    if (action.fee_basis == compiler::FeeBasis::Flat) AddUnique(out.money, action.fee_amount.minor);
    for (const std::optional<runtime::Money>& clamp : {action.fee_min, action.fee_max}) {
      if (!clamp) continue;
      AddUnique(out.money, clamp->minor);
      if (std::optional<std::int64_t> point = ClampPoint(action.percent, clamp->minor)) AddUnique(out.money, *point);
    }
  }
}

// Days from due, roughly (a business day counts as 7/5 of a day), at which
// an anchor falls; nothing for a promise.
std::optional<std::int32_t> AnchorDay(const PolicyIr& ir, compiler::AnchorId id, int depth = 0) {
  if (id == compiler::kNoId || depth > 32) return std::nullopt;
  const compiler::Anchor& anchor = ir.anchor(id);
  std::optional<std::int32_t> day;
  switch (anchor.base) {
    case compiler::AnchorBase::Due:
      day = 0;
      break;
    case compiler::AnchorBase::Issue:
      day = -30;
      break;
    case compiler::AnchorBase::Promise:
      return std::nullopt;
    case compiler::AnchorBase::Step:
      if (anchor.step == compiler::kNoId) return std::nullopt;
      day = AnchorDay(ir, ir.steps[anchor.step].trigger.anchor, depth + 1);
      break;
    case compiler::AnchorBase::EndOfMonth: {
      std::optional<std::int32_t> inner = AnchorDay(ir, anchor.inner, depth + 1);
      if (inner) day = *inner + 15;
      break;
    }
  }
  if (!day) return std::nullopt;
  for (const compiler::Offset& offset : anchor.offsets) {
    std::int32_t count = offset.duration.count;
    *day += offset.duration.unit == compiler::DurationUnit::BusinessDays ? count * 7 / 5 : count;
  }
  return day;
}

void CollectPolicy(const PolicyIr& ir, Literals& out) {
  CollectExpression(ir, ir.header.applies_to, out);
  for (const compiler::Step& step : ir.steps) {
    if (step.unreachable) continue;
    CollectExpression(ir, step.guard, out);
    CollectActions(step.actions, out);
    std::optional<std::int32_t> day = AnchorDay(ir, step.trigger.anchor);
    if (!day) continue;
    AddUnique(out.step_days, *day);
    if (step.trigger.kind == compiler::TriggerKind::Every) {
      std::int32_t period = step.trigger.period.count;
      if (step.trigger.period.unit == compiler::DurationUnit::BusinessDays) period = period * 7 / 5;
      for (int k = 1; k <= 2 && period > 0; ++k) AddUnique(out.step_days, *day + k * period);
    }
  }
  for (const compiler::Stop& stop : ir.stops) {
    CollectExpression(ir, stop.condition, out);
    CollectActions(stop.actions, out);
  }
  for (const compiler::Attribute& attribute : ir.attributes) {
    out.attribute_types.emplace(std::make_pair(attribute.object == compiler::AttributeObject::Customer, attribute.name),
                                attribute.type);
  }
  for (const runtime::Date& day : ir.header.calendar.holidays) AddUnique(out.holidays, day);
}

// What one dimension's variant does to a subject under construction.
struct Draft {
  runtime::Date due;
  std::int64_t amount = 0;
  compiler::AttributeValues customer, invoice;
  std::string customer_note, invoice_note;
  int invoices = 1;
  std::vector<std::string> event_notes;
  compiler::SubjectFacts facts;
};

using Variant = std::function<void(Draft&)>;

using Dimension = std::vector<Variant>;

const char* WeekdayName(runtime::Date date) {
  static const char* const kNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return kNames[date.weekday() % 7];
}

std::string Relative(std::int32_t days) {
  if (days == 0) return "due";
  return fmt::format("due{}{}", days > 0 ? "+" : "", days);
}

class Builder {
 public:
  Builder(const PolicyIr& old_policy, const PolicyIr& new_policy) {
    CollectPolicy(old_policy, literals_);
    CollectPolicy(new_policy, literals_);
    std::sort(literals_.step_days.begin(), literals_.step_days.end());
    std::sort(literals_.holidays.begin(), literals_.holidays.end());
    currency_ = old_policy.header.currency;
    unit_ = 1;
    for (int e = 0; e < runtime::InfoOf(currency_).exponent; ++e) unit_ *= 10;
    customer_subject_ = old_policy.header.subject == compiler::SubjectKind::Customer &&
                        new_policy.header.subject == compiler::SubjectKind::Customer;
    horizon_days_ = 180;
    for (std::int32_t day : literals_.step_days) horizon_days_ = std::max(horizon_days_, day + 30);
    horizon_days_ = std::min(horizon_days_, 3 * 365);
  }

  std::vector<Dimension> Dimensions() {
    return {DueDates(),      Amounts(),  Customers(), InvoiceAttributes(),
            InvoiceCounts(), Payments(), Disputes(),  Promises()};
  }

  Scenario Make(const std::vector<Dimension>& dimensions, const std::vector<std::size_t>& choice) const {
    Draft draft;
    draft.due = *runtime::Date::FromCivil(2026, 3, 2);
    draft.amount = 1000 * unit_;
    draft.customer = customer_defaults_;
    draft.invoice = invoice_defaults_;
    // The subject's shape first (dates, amounts, attributes, invoices), then events.
    for (std::size_t d = 0; d < 5; ++d) dimensions[d][choice[d]](draft);
    compiler::SubjectFacts& facts = draft.facts;
    facts.customer_id = "C-1";
    facts.customer_attributes = draft.customer;
    for (int i = 0; i < draft.invoices; ++i) {
      runtime::Date due = draft.due.AddDays(14 * i);
      facts.invoices.push_back({fmt::format("INV-{}", i + 1), due.AddDays(-30), due,
                                runtime::Money{draft.amount, currency_}, draft.invoice});
    }
    for (std::size_t d = 5; d < dimensions.size(); ++d) dimensions[d][choice[d]](draft);

    Scenario scenario;
    scenario.facts = facts;
    scenario.options.horizon = compiler::DefaultHorizon(facts, horizon_days_);
    std::string amount = runtime::ToString(runtime::Money{draft.amount, currency_});
    std::string dates = fmt::format("issued {}, due {} ({})", draft.due.AddDays(-30).ToIso(), draft.due.ToIso(),
                                    WeekdayName(draft.due));
    scenario.description = draft.invoices == 1
                               ? fmt::format("invoice of {}, {}", amount, dates)
                               : fmt::format("{} invoices of {} each, the first {}, the next ones 14 days apart",
                                             draft.invoices, amount, dates);
    if (!draft.customer_note.empty()) scenario.description += "; " + draft.customer_note;
    if (!draft.invoice_note.empty()) scenario.description += "; " + draft.invoice_note;
    if (draft.event_notes.empty()) scenario.description += "; never paid";
    for (const std::string& note : draft.event_notes) scenario.description += "; " + note;
    return scenario;
  }

 private:
  std::vector<std::int32_t> KeyDays(std::size_t at_most) const {
    std::vector<std::int32_t> days;
    for (std::int32_t day : literals_.step_days) {
      if (day >= -60 && day <= 3 * 365 && days.size() < at_most) days.push_back(day);
    }
    return days;
  }

  Dimension DueDates() const {
    Dimension dimension{[](Draft&) {}};
    std::vector<runtime::Date> dues;
    runtime::Date monday = *runtime::Date::FromCivil(2026, 3, 2);
    for (int d = 1; d < 7; ++d) dues.push_back(monday.AddDays(d));
    for (auto [month, day] : std::initializer_list<std::pair<int, int>>{{1, 31}, {2, 28}, {4, 30}, {12, 31}}) {
      dues.push_back(*runtime::Date::FromCivil(2026, month, day));
    }
    for (const runtime::Date& date : literals_.dates) {
      for (int d = -1; d <= 1; ++d) AddUnique(dues, date.AddDays(d));
    }
    // Steps landing on, just before and just after each holiday.
    std::size_t holidays = 0;
    for (const runtime::Date& holiday : literals_.holidays) {
      if (holiday.year() < 2025 || holiday.year() > 2027 || ++holidays > 8) continue;
      AddUnique(dues, holiday);
      for (std::int32_t day : KeyDays(6)) {
        for (int d = -1; d <= 1; ++d) AddUnique(dues, holiday.AddDays(-day + d));
      }
    }
    for (const runtime::Date& due : dues) {
      if (due == monday || dimension.size() >= 48) continue;
      dimension.push_back([due](Draft& draft) { draft.due = due; });
    }
    return dimension;
  }

  Dimension Amounts() const {
    Dimension dimension{[](Draft&) {}};
    std::vector<std::int64_t> amounts;
    for (std::int64_t threshold : literals_.money) {
      for (std::int64_t d : {-1, 0, 1}) {
        if (threshold + d > 0) AddUnique(amounts, threshold + d);
      }
    }
    for (std::int64_t major : {50, 25000, 250000}) AddUnique(amounts, major * unit_);
    for (std::int64_t amount : amounts) {
      if (amount == 1000 * unit_ || dimension.size() >= 40) continue;
      dimension.push_back([amount](Draft& draft) { draft.amount = amount; });
    }
    return dimension;
  }

  // A literal and its neighbours: one minor unit, one count, one day, or
  // one unit of the next decimal place either side.
  static std::vector<Value> AroundValue(const Value& value) {
    std::vector<Value> values{value};
    for (std::int64_t d : {-1, 1}) {
      Value near = value;
      switch (value.type) {
        case compiler::Type::Money: near.money.minor += d; break;
        case compiler::Type::Count:
          near.decimal = runtime::Decimal{CountOf(value) + d, 0};
          if (near.decimal.digits < 0) continue;
          break;
        case compiler::Type::Percent:
        case compiler::Type::Rate:
        case compiler::Type::Number:
          if (value.decimal.scale >= 17 || value.decimal.digits > (std::int64_t{1} << 58) ||
              value.decimal.digits < -(std::int64_t{1} << 58)) {
            continue;
          }
          near.decimal = runtime::Decimal{value.decimal.digits * 10 + d, static_cast<std::uint8_t>(value.decimal.scale + 1)};
          break;
        case compiler::Type::Date: near.date = value.date.AddDays(static_cast<std::int32_t>(d)); break;
        case compiler::Type::Duration: near.duration.count += static_cast<std::int32_t>(d); break;
        default: continue;
      }
      values.push_back(near);
    }
    return values;
  }

  static Value DefaultValue(const compiler::ValueType& type) {
    Value value;
    value.type = type.type;
    value.money = runtime::Money{0, type.currency};
    value.decimal = runtime::Decimal{0, 0};
    value.date = *runtime::Date::FromCivil(2026, 1, 1);
    return value;
  }

  // Defaults for every declared attribute, and a variant per literal value.
  void AttributeVariants(bool customer, compiler::AttributeValues& defaults, Dimension& dimension) const {
    for (const auto& [key, type] : literals_.attribute_types) {
      if (key.first != customer) continue;
      defaults[key.second] = compiler::AttributeValueText(DefaultValue(type));
      std::vector<Value> literals;
      if (auto found = literals_.attributes.find(key); found != literals_.attributes.end()) literals = found->second;
      if (type.type == compiler::Type::Bool) {  // read as a condition of its own: `if customer.vip`
        Value yes = DefaultValue(type);
        yes.boolean = true;
        literals.push_back(yes);
      }
      for (const Value& literal : literals) {
        for (const Value& value : AroundValue(literal)) {
          std::string text = compiler::AttributeValueText(value);
          std::string name = key.second;
          std::string note = fmt::format("{}.{} = {}", customer ? "customer" : "invoice", name, text);
          dimension.push_back([customer, name, text, note](Draft& draft) {
            (customer ? draft.customer : draft.invoice)[name] = text;
            (customer ? draft.customer_note : draft.invoice_note) = note;
          });
        }
      }
    }
  }

  Dimension Customers() {
    Dimension dimension{[](Draft&) {}};
    for (const std::string& segment : literals_.segments) {
      std::string note = fmt::format("customer segment \"{}\"", segment);
      dimension.push_back([segment, note](Draft& draft) {
        draft.customer["segment"] = segment;
        draft.customer_note = note;
      });
    }
    for (const std::string& country : literals_.countries) {
      std::string note = fmt::format("customer country \"{}\"", country);
      dimension.push_back([country, note](Draft& draft) {
        draft.customer["country"] = country;
        draft.customer_note = note;
      });
    }
    for (std::int64_t literal : literals_.late_payments) {
      for (std::int64_t count : {literal - 1, literal, literal + 1}) {
        if (count < 0) continue;
        std::string note = fmt::format("{} earlier late payments", count);
        dimension.push_back([count, note](Draft& draft) {
          draft.customer["late_payments"] = std::to_string(count);
          draft.customer_note = note;
        });
      }
    }
    AttributeVariants(true, customer_defaults_, dimension);
    return dimension;
  }

  Dimension InvoiceAttributes() {
    Dimension dimension{[](Draft&) {}};
    AttributeVariants(false, invoice_defaults_, dimension);
    return dimension;
  }

  Dimension InvoiceCounts() const {
    Dimension dimension{[](Draft&) {}};
    if (!customer_subject_) return dimension;
    std::vector<std::int64_t> counts{2, 3};
    for (std::int64_t literal : literals_.open_invoices) {
      for (std::int64_t count : {literal - 1, literal, literal + 1}) {
        if (count >= 2 && count <= 8) AddUnique(counts, count);
      }
    }
    for (std::int64_t count : counts) {
      dimension.push_back([count](Draft& draft) { draft.invoices = static_cast<int>(count); });
    }
    return dimension;
  }

  // A payment of the first invoice, `day` days after its due date.
  static Variant Payment(std::int32_t day, int numerator, int denominator, std::int64_t leave = -1) {
    return [=](Draft& draft) {
      std::int64_t amount = leave >= 0 ? draft.amount - leave : draft.amount * numerator / denominator;
      if (amount <= 0) return;
      runtime::Date date = draft.due.AddDays(day);
      runtime::Money money{amount, draft.facts.invoices.front().amount.currency};
      draft.facts.payments.push_back({draft.facts.invoices.front().id, date, money});
      draft.event_notes.push_back(
          fmt::format("paid {} on {} ({})", runtime::ToString(money), date.ToIso(), Relative(day)));
    };
  }

  Dimension Payments() const {
    Dimension dimension{[](Draft&) {}};
    dimension.push_back(Payment(-5, 1, 1));
    for (std::int32_t day : KeyDays(12)) {
      for (std::int32_t d : {-1, 0}) {
        if (day + d > -30) dimension.push_back(Payment(day + d, 1, 1));
      }
    }
    // Paying the amount plus a tenth covers the fees charged by then (the rest is unapplied).
    for (std::int32_t day : KeyDays(12)) {
      if (day - 1 > 0) dimension.push_back(Payment(day - 1, 11, 10));
    }
    for (std::int32_t day : {10, 40}) dimension.push_back(Payment(day, 1, 2));
    for (std::int32_t day : KeyDays(6)) {
      if (day - 1 > -30) dimension.push_back(Payment(day - 1, 1, 2));
    }
    for (std::int64_t threshold : literals_.money) {
      for (std::int64_t d : {-1, 0, 1}) {
        if (threshold + d >= 0 && dimension.size() < 64) dimension.push_back(Payment(10, 0, 1, threshold + d));
      }
    }
    for (std::int64_t days : literals_.days_past_due) {
      for (std::int64_t d : {-1, 0, 1}) dimension.push_back(Payment(static_cast<std::int32_t>(days + d), 1, 1));
    }
    Variant half = Payment(10, 1, 2);
    Variant rest = Payment(50, 1, 2);
    dimension.push_back([half, rest](Draft& draft) {
      half(draft);
      rest(draft);
    });
    return dimension;
  }

  static Variant Dispute(std::int32_t opened, std::optional<std::int32_t> resolved) {
    return [=](Draft& draft) {
      runtime::Date from = draft.due.AddDays(opened);
      std::optional<runtime::Date> to;
      if (resolved) to = draft.due.AddDays(*resolved);
      draft.facts.disputes.push_back({draft.facts.invoices.front().id, from, to});
      draft.event_notes.push_back(
          to ? fmt::format("disputed from {} ({}) to {} ({})", from.ToIso(), Relative(opened), to->ToIso(),
                           Relative(*resolved))
             : fmt::format("disputed from {} ({}), never resolved", from.ToIso(), Relative(opened)));
    };
  }

  Dimension Disputes() const {
    Dimension dimension{[](Draft&) {}};
    dimension.push_back(Dispute(5, 35));
    dimension.push_back(Dispute(5, std::nullopt));
    for (std::int32_t day : KeyDays(8)) {
      if (day - 2 > -30) dimension.push_back(Dispute(day - 2, day + 10));
    }
    return dimension;
  }

  static Variant Promise(std::int32_t made, std::int32_t promised) {
    return [=](Draft& draft) {
      runtime::Date on = draft.due.AddDays(promised);
      runtime::Date when = draft.due.AddDays(made);
      draft.facts.promises.push_back({draft.facts.invoices.front().id, when, on});
      draft.event_notes.push_back(fmt::format("on {} ({}) promised to pay on {} ({})", when.ToIso(), Relative(made),
                                              on.ToIso(), Relative(promised)));
    };
  }

  Dimension Promises() const {
    Dimension dimension{[](Draft&) {}};
    dimension.push_back(Promise(2, 20));
    for (std::int32_t day : KeyDays(8)) {
      std::int32_t made = std::max(day - 5, -29);
      if (day + 3 > made) dimension.push_back(Promise(made, day + 3));
    }
    return dimension;
  }

  Literals literals_;
  runtime::CurrencyId currency_ = 0;
  std::int64_t unit_ = 1;
  bool customer_subject_ = false;
  std::int32_t horizon_days_ = 180;
  compiler::AttributeValues customer_defaults_, invoice_defaults_;
};

}  // namespace

std::vector<Scenario> BuildScenarios(const PolicyIr& old_policy, const PolicyIr& new_policy, std::size_t budget,
                                     std::uint64_t seed) {
  Builder builder(old_policy, new_policy);
  std::vector<Dimension> dimensions = builder.Dimensions();
  std::vector<Scenario> scenarios;
  std::set<std::vector<std::size_t>> seen;
  // Two choices can make the same subject (a payment that leaves nothing to
  // pay is no payment); the description names everything that varies.
  std::set<std::string> described;
  auto add = [&](const std::vector<std::size_t>& choice) {
    if (scenarios.size() >= budget || !seen.insert(choice).second) return;
    Scenario scenario = builder.Make(dimensions, choice);
    if (described.insert(scenario.description).second) scenarios.push_back(std::move(scenario));
  };
  std::vector<std::size_t> base(dimensions.size(), 0);
  add(base);
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    for (std::size_t v = 1; v < dimensions[d].size(); ++v) {
      std::vector<std::size_t> choice = base;
      choice[d] = v;
      add(choice);
    }
  }
  // Then random combinations: each dimension keeps its default half the time.
  for (std::uint64_t draw = 0; scenarios.size() < budget && draw < budget * 20; ++draw) {
    runtime::RandomStream random(seed, 0x64696666 /* "diff" */, draw);
    std::vector<std::size_t> choice = base;
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      bool vary = random.UniformInt(0, 1) == 1;
      if (vary && dimensions[d].size() > 1) {
        choice[d] = static_cast<std::size_t>(random.UniformInt(1, static_cast<std::int64_t>(dimensions[d].size()) - 1));
      }
    }
    add(choice);
  }
  return scenarios;
}

}  // namespace recoup::driver::diff
