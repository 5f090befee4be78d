// The policy header, business-day calendars and cost tables.
//
// A file with a `policy` line is a policy; without one it is a library
// whose header lines are an error (E0107) and whose steps are E0205.
// Repeated header lines are E0108 and the first one counts.
//
// Costs: the default table is `costs standard` from
// stdlib/costs/standard.recoup when the loader found it (its amounts are
// taken as amounts in the policy currency, rounded half-even to its
// decimals, since a standard table cannot be written in every currency);
// without it every action costs zero. `costs NAME` replaces the default
// table; `costs { ... }` overrides entries of it. Tables the policy selects
// must be in the policy currency (E0115).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

const char* HeaderSpelling(language::HeaderKind kind) {
  switch (kind) {
    case language::HeaderKind::Policy: return "policy";
    case language::HeaderKind::Version: return "version";
    case language::HeaderKind::Currency: return "currency";
    case language::HeaderKind::Calendar: return "calendar";
    case language::HeaderKind::AppliesTo: return "applies to";
    case language::HeaderKind::Subject: return "subject";
    case language::HeaderKind::AfterAgency: return "after agency";
    case language::HeaderKind::Costs: return "costs";
    case language::HeaderKind::Settlement: return "payments settle";
  }
  return "header";
}

const char* DaySpelling(language::Weekday day) {
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return kDays[static_cast<int>(day)];
}

}  // namespace

std::vector<CostValue> Checker::EvaluateCostEntries(std::uint32_t tree,
                                                    const std::vector<language::CostEntry>& entries) {
  Context context;
  context.tree = tree;
  std::vector<CostValue> values;
  std::map<language::ActionKind, SourceRange> seen;
  for (const language::CostEntry& entry : entries) {
    auto [first, inserted] = seen.emplace(entry.action, entry.range);
    if (!inserted) {
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::DuplicateDefinition, entry.range,
                 fmt::format("the cost of `{}` is already given", language::ActionKindName(entry.action)));
      diagnostic.notes.push_back({first->second, "it is given here"});
      continue;
    }
    std::optional<Value> cost = ConstantOfType(context, entry.cost, Type::Money, "a cost", scratch_);
    if (!cost) continue;
    if (cost->money.minor < 0) {
      Report(DiagnosticKind::TypeMismatch, TreeOf(context).expression(entry.cost).range, "a cost cannot be negative");
      continue;
    }
    values.push_back({static_cast<ActionKind>(entry.action), cost->money, entry.range});
  }
  return values;
}

void Checker::ApplyCosts(const std::vector<CostValue>& costs, bool convert_currency) {
  if (!policy_currency_) return;
  runtime::CurrencyId currency = *policy_currency_;
  for (const CostValue& cost : costs) {
    runtime::Money money = cost.money;
    if (money.currency != currency) {
      if (!convert_currency) {
        Report(DiagnosticKind::PolicyCurrencyMismatch, cost.range,
               fmt::format("this cost is in {}, but the policy's currency is {}", runtime::InfoOf(money.currency).code,
                           runtime::InfoOf(currency).code));
        continue;
      }
      runtime::DecimalResult amount =
          runtime::RoundHalfEven(runtime::ToDecimal(money), runtime::InfoOf(currency).exponent);
      if (!amount.ok()) continue;
      runtime::MoneyResult converted = runtime::MoneyFromDecimal(amount.value, currency);
      if (!converted.ok()) continue;
      money = converted.value;
    }
    ir_.header.costs[static_cast<std::size_t>(cost.action)] = money;
  }
}

std::optional<CalendarData> Checker::ResolveCalendar(std::uint32_t definition) {
  CalendarState& state = calendars_[definition];
  if (state.done) return state.data;
  state.done = true;
  const Definition& named = definitions_[definition];
  const language::Calendar& calendar = program_.trees[named.tree].calendars[named.index];
  bool valid = true;
  CalendarData data;
  data.name = calendar.name.text;
  data.weekend_mask = 0;
  for (std::size_t i = 0; i < calendar.weekend.size(); ++i) {
    auto bit = static_cast<std::uint8_t>(1u << static_cast<unsigned>(calendar.weekend[i]));
    if (data.weekend_mask & bit) {
      SourceRange range = i < calendar.weekend_ranges.size() ? calendar.weekend_ranges[i] : calendar.range;
      Report(DiagnosticKind::InvalidCalendar, range,
             fmt::format("`{}` is listed as a weekend day twice", DaySpelling(calendar.weekend[i])));
      valid = false;
    }
    data.weekend_mask |= bit;
  }
  if (data.weekend_mask == 0x7F) {
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::InvalidCalendar, calendar.name.range,
               fmt::format("the calendar `{}` makes every day a weekend day, so it has no business days",
                           calendar.name.text));
    diagnostic.help = "list at most six weekend days";
    valid = false;
  }
  std::map<std::int32_t, SourceRange> seen;
  for (const language::Holiday& holiday : calendar.holidays) {
    std::optional<runtime::Date> date = runtime::Date::FromCivil(holiday.date.year, holiday.date.month, holiday.date.day);
    if (!date) {
      valid = false;  // the parser reported the date
      continue;
    }
    auto [first, inserted] = seen.emplace(date->days(), holiday.range);
    if (!inserted) {
      language::Diagnostic& diagnostic = Report(DiagnosticKind::InvalidCalendar, holiday.range,
                                                fmt::format("the holiday {} is listed twice", date->ToIso()));
      diagnostic.notes.push_back({first->second, "it is first listed here"});
      valid = false;
      continue;
    }
    data.holidays.push_back(*date);
  }
  std::sort(data.holidays.begin(), data.holidays.end());
  if (valid) state.data = std::move(data);
  return state.data;
}

void Checker::CheckHeader() {
  const language::SyntaxTree& tree = program_.trees[program_.main];
  std::map<language::HeaderKind, const language::HeaderLine*> first;
  for (const language::HeaderLine& line : tree.header) {
    auto [existing, inserted] = first.emplace(line.kind, &line);
    if (inserted) continue;
    language::Diagnostic& diagnostic = Report(DiagnosticKind::DuplicateHeader, line.range,
                                              fmt::format("the `{}` line is given twice", HeaderSpelling(line.kind)));
    diagnostic.notes.push_back({existing->second->range, "it is first given here"});
  }
  auto line_of = [&](language::HeaderKind kind) -> const language::HeaderLine* {
    auto found = first.find(kind);
    return found == first.end() ? nullptr : found->second;
  };
  const language::HeaderLine* policy = line_of(language::HeaderKind::Policy);
  is_policy_ = policy != nullptr;
  if (!policy) {
    // With steps in the file, E0205 says the same thing once, at the steps.
    if (!tree.header.empty() && tree.body.order.empty()) {
      const language::HeaderLine& line = tree.header.front();
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::MissingHeader, line.range,
                 fmt::format("this file has a `{}` line but no `policy` line", HeaderSpelling(line.kind)));
      diagnostic.help = "start the policy with a line like `policy \"Net 30\"`";
    }
    return;
  }
  ir_.header.name = policy->text;
  ir_.header.range = policy->range;
  if (const auto* version = line_of(language::HeaderKind::Version)) ir_.header.version = version->text;
  if (const auto* currency = line_of(language::HeaderKind::Currency)) {
    policy_currency_ = runtime::FindCurrency(currency->text);
    if (!policy_currency_) {
      language::Diagnostic& diagnostic = Report(DiagnosticKind::UnknownCurrency, currency->value_range,
                                                fmt::format("`{}` is not a known currency code", currency->text));
      diagnostic.help = "use an ISO 4217 code in capitals, like USD, EUR or JPY";
    } else {
      ir_.header.currency = *policy_currency_;
    }
  } else {
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::MissingHeader, policy->range, "the policy has no `currency` line");
    diagnostic.help = "add a line like `currency USD`: money in the policy's steps must use it";
  }
  if (const auto* subject = line_of(language::HeaderKind::Subject)) {
    ir_.header.subject = subject->subject == language::SubjectKind::Customer ? SubjectKind::Customer
                                                                              : SubjectKind::Invoice;
  }
  if (const auto* after = line_of(language::HeaderKind::AfterAgency)) {
    ir_.header.continue_after_agency = after->continue_after_agency;
  }
  if (const auto* settle = line_of(language::HeaderKind::Settlement)) CheckSettlementOrder(*settle);
  if (const auto* calendar = line_of(language::HeaderKind::Calendar)) {
    const language::Name& name = calendar->name;
    std::vector<std::string> names = NamesInScope(program_.main, nullptr);
    bool builtin = name.qualifier.empty() && name.text == "weekends" &&
                   std::find(names.begin(), names.end(), "weekends") == names.end();
    if (!builtin && !name.text.empty()) {
      std::optional<std::uint32_t> found = Lookup(program_.main, name, nullptr, "calendar");
      if (found) {
        definitions_[*found].used = true;
        if (definitions_[*found].kind != DefinitionKind::Calendar) {
          Report(DiagnosticKind::WrongKindOfName, name.range,
                 fmt::format("`{}` is a {}, not a calendar", name.text, KindSpelling(definitions_[*found].kind)));
        } else if (std::optional<CalendarData> data = ResolveCalendar(*found)) {
          ir_.header.calendar = *data;
        }
      }
    }
  }
  // Costs: the default table first, then the header's choice.
  ir_.header.costs_name = "zero";
  if (program_.default_costs != language::kNone && policy_currency_) {
    const FileScope& scope = scopes_[program_.default_costs];
    auto standard = scope.own.find("standard");
    if (standard != scope.own.end() && definitions_[standard->second].kind == DefinitionKind::CostTable) {
      const Definition& definition = definitions_[standard->second];
      language::DiagnosticList quiet;
      language::DiagnosticList* saved = sink_;
      sink_ = &quiet;
      std::vector<CostValue> costs =
          EvaluateCostEntries(definition.tree, program_.trees[definition.tree].cost_tables[definition.index].entries);
      sink_ = saved;
      if (!quiet.HasErrors()) {
        ApplyCosts(costs, true);
        ir_.header.costs_name = "standard";
      }
    }
  }
  if (const auto* costs = line_of(language::HeaderKind::Costs)) {
    if (costs->inline_costs) {
      ApplyCosts(EvaluateCostEntries(program_.main, costs->inline_costs->entries), false);
      ir_.header.costs_name += " with overrides";
    } else if (!costs->name.text.empty()) {
      std::optional<std::uint32_t> found = Lookup(program_.main, costs->name, nullptr, "cost table");
      if (found) {
        Definition& definition = definitions_[*found];
        definition.used = true;
        if (definition.kind != DefinitionKind::CostTable) {
          Report(DiagnosticKind::WrongKindOfName, costs->name.range,
                 fmt::format("`{}` is a {}, not a cost table", costs->name.text, KindSpelling(definition.kind)));
        } else {
          // The definition pass reports the table's own errors; here only its currency matters.
          language::DiagnosticList quiet;
          language::DiagnosticList* saved = sink_;
          sink_ = &quiet;
          std::vector<CostValue> values =
              EvaluateCostEntries(definition.tree, program_.trees[definition.tree].cost_tables[definition.index].entries);
          sink_ = saved;
          ir_.header.costs.fill(runtime::Money{0, policy_currency_.value_or(0)});
          ApplyCosts(values, false);
          ir_.header.costs_name = costs->name.qualifier.empty() ? costs->name.text
                                                                : costs->name.qualifier + "." + costs->name.text;
        }
      }
    }
  }
  if (policy_currency_) {
    for (runtime::Money& cost : ir_.header.costs) {
      if (cost.minor == 0) cost.currency = *policy_currency_;
    }
  }
}

void Checker::CheckSettlementOrder(const language::HeaderLine& line) {
  static const char* const kPartNames[] = {"fees", "interest", "principal"};
  std::array<int, 3> seen_at{-1, -1, -1};
  bool valid = line.settlement.size() == 3;
  for (std::size_t i = 0; i < line.settlement.size(); ++i) {
    auto part = static_cast<std::size_t>(line.settlement[i]);
    if (seen_at[part] >= 0) {
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::InvalidSettlementOrder, line.settlement_ranges[i],
                 fmt::format("`{}` is named twice: a payment settles each part once", kPartNames[part]));
      diagnostic.notes.push_back({line.settlement_ranges[seen_at[part]], "it is first named here"});
      diagnostic.help = "name fees, interest and principal once each, as in `payments settle fees, interest, principal`";
      valid = false;
    } else {
      seen_at[part] = static_cast<int>(i);
    }
  }
  if (!valid) return;
  static_assert(static_cast<int>(language::OwedPartName::Principal) == static_cast<int>(OwedPart::Principal));
  for (std::size_t i = 0; i < 3; ++i) ir_.header.settlement[i] = static_cast<OwedPart>(line.settlement[i]);
}

}  // namespace recoup::compiler::internal
