// The rule-by-rule half of `recoup diff`: header lines, steps, pauses and
// stops of two checked policies compared on their IR (constants folded,
// templates expanded), so layout, comments and constant names never show
// as changes. Unreachable steps are left out: they can never fire.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/ir_printer.h"
#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {
namespace {

using compiler::PolicyIr;
using compiler::Step;
using compiler::StepId;

std::string Arrow(const std::string& before, const std::string& after) { return before + " -> " + after; }

std::uint32_t LineOf(const PolicyView& view, language::SourceRange range) {
  return view.sources.Get(range.file).Locate(range.begin).line;
}

// Where a step was written: its line, or the `use` line it was expanded from.
std::string StepLine(const PolicyView& view, const Step& step) {
  language::SourceRange range = step.expanded_from.empty() ? step.range : step.expanded_from.back();
  const language::SourceFile& file = view.sources.Get(range.file);
  std::uint32_t line = file.Locate(range.begin).line;
  if (file.path() == view.path) return fmt::format("line {}", line);
  return fmt::format("{}:{}", file.path(), line);
}

std::string GuardText(const PolicyIr& ir, const Step& step) {
  if (step.guard == compiler::kNoId) return "";
  const compiler::Expression& node = ir.expression(step.guard);
  if (step.guard_written_unless && node.kind == compiler::ExpressionKind::Not) {
    return "unless " + compiler::PrintExpression(ir, node.left);
  }
  return "if " + compiler::PrintExpression(ir, step.guard);
}

std::string ActionsText(const PolicyIr& ir, const std::vector<compiler::Action>& actions) {
  std::string text;
  for (const compiler::Action& action : actions) text += (text.empty() ? "" : ", ") + compiler::PrintAction(ir, action);
  return text;
}

// A step reduced to what decides its behaviour.
struct StepKey {
  StepId id = 0;
  std::string trigger, guard, actions;  // guard compared as the IR holds it (`unless X` is `not X`)
  std::string guard_shown;
};

StepKey KeyOf(const PolicyIr& ir, StepId id) {
  const Step& step = ir.steps[id];
  StepKey key;
  key.id = id;
  key.trigger = compiler::PrintTrigger(ir, step.trigger);
  key.guard = step.guard == compiler::kNoId ? "" : compiler::PrintExpression(ir, step.guard);
  key.guard_shown = GuardText(ir, step);
  key.actions = ActionsText(ir, step.actions);
  return key;
}

std::string StepSummary(const StepKey& key) {
  return key.trigger + ": " + key.actions + (key.guard_shown.empty() ? "" : " " + key.guard_shown);
}

// "at due + 30d" -> offset 30 when every offset is in calendar days.
std::optional<std::int32_t> CalendarOffset(const PolicyIr& ir, const compiler::Trigger& trigger, std::string& base) {
  if (trigger.kind != compiler::TriggerKind::At) return std::nullopt;
  const compiler::Anchor& anchor = ir.anchor(trigger.anchor);
  if (anchor.base == compiler::AnchorBase::EndOfMonth) return std::nullopt;
  base = anchor.base == compiler::AnchorBase::Step ? anchor.label : std::to_string(static_cast<int>(anchor.base));
  std::int32_t days = 0;
  for (const compiler::Offset& offset : anchor.offsets) {
    if (offset.duration.unit == compiler::DurationUnit::BusinessDays) return std::nullopt;
    days += offset.duration.count;
  }
  return days;
}

std::vector<std::string> StepDetails(const PolicyIr& old_ir, const StepKey& before, const PolicyIr& new_ir,
                                     const StepKey& after, bool& matters) {
  std::vector<std::string> details;
  const Step& old_step = old_ir.steps[before.id];
  const Step& new_step = new_ir.steps[after.id];
  matters = false;
  if (before.trigger != after.trigger) {
    matters = true;
    std::string text = "trigger: " + Arrow(before.trigger, after.trigger);
    std::string old_base, new_base;
    std::optional<std::int32_t> old_days = CalendarOffset(old_ir, old_step.trigger, old_base);
    std::optional<std::int32_t> new_days = CalendarOffset(new_ir, new_step.trigger, new_base);
    if (old_days && new_days && old_base == new_base && *old_days != *new_days) {
      std::int32_t shift = *new_days - *old_days;
      text += fmt::format(" (fires {} day{} {})", shift < 0 ? -shift : shift, shift == 1 || shift == -1 ? "" : "s",
                          shift > 0 ? "later" : "earlier");
    }
    details.push_back(std::move(text));
  }
  if (before.guard != after.guard) {
    matters = true;
    if (before.guard.empty()) {
      details.push_back("guard added: " + after.guard_shown);
    } else if (after.guard.empty()) {
      details.push_back("guard removed (it was: " + before.guard_shown + ")");
    } else {
      details.push_back("guard: " + Arrow(before.guard_shown, after.guard_shown));
    }
  }
  if (before.actions != after.actions) {
    matters = true;
    if (old_step.actions.size() == new_step.actions.size()) {
      for (std::size_t a = 0; a < old_step.actions.size(); ++a) {
        std::string was = compiler::PrintAction(old_ir, old_step.actions[a]);
        std::string now = compiler::PrintAction(new_ir, new_step.actions[a]);
        if (was != now) details.push_back("action: " + Arrow(was, now));
      }
    } else {
      details.push_back("actions: " + Arrow(before.actions, after.actions));
    }
  }
  if (old_step.label != new_step.label) {
    details.push_back("label: " +
                      Arrow(old_step.label ? *old_step.label : "none", new_step.label ? *new_step.label : "none"));
  }
  return details;
}

std::string StepWhere(const PolicyView& old_view, const Step& old_step, const PolicyView& new_view,
                      const Step& new_step) {
  std::string old_line = StepLine(old_view, old_step);
  std::string new_line = StepLine(new_view, new_step);
  std::string lines = old_line == new_line ? old_line : Arrow(old_line, new_line);
  const std::optional<std::string>& label = new_step.label ? new_step.label : old_step.label;
  if (label) return fmt::format("`{}` ({})", *label, lines);
  return fmt::format("{} ({})", lines, ActionsText(new_view.ir, new_step.actions));
}

std::string LoneStepWhere(const PolicyView& view, const Step& step) {
  std::string line = StepLine(view, step);
  return step.label ? fmt::format("`{}` ({})", *step.label, line) : line;
}

// Indexes (into `sequence`) of a longest increasing subsequence; the pairs
// outside it are the ones that moved.
std::set<std::size_t> LongestIncreasing(const std::vector<StepId>& sequence) {
  std::size_t n = sequence.size();
  std::vector<std::size_t> length(n, 1), previous(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (sequence[j] < sequence[i] && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        previous[i] = j;
      }
    }
  }
  std::set<std::size_t> kept;
  if (n == 0) return kept;
  std::size_t best = static_cast<std::size_t>(std::max_element(length.begin(), length.end()) - length.begin());
  for (std::size_t at = best; at != n; at = previous[at]) kept.insert(at);
  return kept;
}

void CompareSteps(const PolicyView& old_view, const PolicyView& new_view, RuleDiff& diff) {
  std::vector<StepKey> old_keys, new_keys;
  for (StepId id = 0; id < old_view.ir.steps.size(); ++id) {
    if (old_view.ir.steps[id].unreachable) {
      diff.ignored_unreachable.push_back(LoneStepWhere(old_view, old_view.ir.steps[id]) + " of the old version");
    } else {
      old_keys.push_back(KeyOf(old_view.ir, id));
    }
  }
  for (StepId id = 0; id < new_view.ir.steps.size(); ++id) {
    if (new_view.ir.steps[id].unreachable) {
      diff.ignored_unreachable.push_back(LoneStepWhere(new_view, new_view.ir.steps[id]) + " of the new version");
    } else {
      new_keys.push_back(KeyOf(new_view.ir, id));
    }
  }
  std::vector<std::size_t> partner(old_keys.size(), new_keys.size());
  std::vector<bool> taken(new_keys.size(), false);
  auto match = [&](auto same) {
    for (std::size_t o = 0; o < old_keys.size(); ++o) {
      if (partner[o] != new_keys.size()) continue;
      for (std::size_t n = 0; n < new_keys.size(); ++n) {
        if (!taken[n] && same(o, n)) {
          partner[o] = n;
          taken[n] = true;
          break;
        }
      }
    }
  };
  const PolicyIr& old_ir = old_view.ir;
  const PolicyIr& new_ir = new_view.ir;
  match([&](std::size_t o, std::size_t n) {
    const auto& a = old_ir.steps[old_keys[o].id].label;
    return a && a == new_ir.steps[new_keys[n].id].label;
  });
  auto unlabeled_pair = [&](std::size_t o, std::size_t n) {
    // A label that the other version also has belongs to its own pair.
    const auto& a = old_ir.steps[old_keys[o].id].label;
    const auto& b = new_ir.steps[new_keys[n].id].label;
    auto has_label = [](const PolicyIr& ir, const std::string& label) {
      return std::any_of(ir.steps.begin(), ir.steps.end(), [&](const Step& step) { return step.label == label; });
    };
    return !(a && has_label(new_ir, *a)) && !(b && has_label(old_ir, *b));
  };
  match([&](std::size_t o, std::size_t n) {
    return unlabeled_pair(o, n) && old_keys[o].trigger == new_keys[n].trigger &&
           old_keys[o].guard == new_keys[n].guard && old_keys[o].actions == new_keys[n].actions;
  });
  match(
      [&](std::size_t o, std::size_t n) { return unlabeled_pair(o, n) && old_keys[o].trigger == new_keys[n].trigger; });
  match(
      [&](std::size_t o, std::size_t n) { return unlabeled_pair(o, n) && old_keys[o].actions == new_keys[n].actions; });

  std::vector<std::size_t> matched_old;
  std::vector<StepId> new_order;
  for (std::size_t o = 0; o < old_keys.size(); ++o) {
    if (partner[o] == new_keys.size()) continue;
    matched_old.push_back(o);
    new_order.push_back(static_cast<StepId>(partner[o]));
  }
  std::set<std::size_t> in_place = LongestIncreasing(new_order);

  for (std::size_t m = 0; m < matched_old.size(); ++m) {
    std::size_t o = matched_old[m];
    std::size_t n = partner[o];
    const Step& old_step = old_ir.steps[old_keys[o].id];
    const Step& new_step = new_ir.steps[new_keys[n].id];
    bool matters = false;
    std::vector<std::string> details = StepDetails(old_ir, old_keys[o], new_ir, new_keys[n], matters);
    bool moved = !in_place.count(m);
    if (details.empty() && !moved) continue;
    RuleChange change{"step", details.empty() ? "moved" : "changed", StepWhere(old_view, old_step, new_view, new_step),
                      std::move(details), matters};
    if (moved) {
      change.details.push_back("moved: now after a step it used to come before (same-day actions run in step order)");
    }
    diff.changes.push_back(std::move(change));
  }
  for (std::size_t o = 0; o < old_keys.size(); ++o) {
    if (partner[o] != new_keys.size()) continue;
    diff.changes.push_back(
        {"step", "removed", LoneStepWhere(old_view, old_ir.steps[old_keys[o].id]), {StepSummary(old_keys[o])}, true});
  }
  for (std::size_t n = 0; n < new_keys.size(); ++n) {
    if (taken[n]) continue;
    diff.changes.push_back(
        {"step", "added", LoneStepWhere(new_view, new_ir.steps[new_keys[n].id]), {StepSummary(new_keys[n])}, true});
  }
}

std::string DurationText(compiler::Duration duration) {
  return fmt::format("{}{}", duration.count, duration.unit == compiler::DurationUnit::BusinessDays ? "bd" : "d");
}

std::string PauseText(const compiler::Pause& pause) {
  std::string text = pause.reason == compiler::PauseReason::Dispute ? "pause on dispute" : "pause on promise";
  if (pause.grace) text += " + " + DurationText(*pause.grace);
  return text + (pause.rule == compiler::PauseRule::Defer ? ": defer" : ": skip");
}

std::string StopText(const PolicyIr& ir, const compiler::Stop& stop) {
  std::string text =
      stop.when_paid ? std::string("stop when paid") : "stop when " + compiler::PrintExpression(ir, stop.condition);
  if (!stop.actions.empty()) text += ": " + ActionsText(ir, stop.actions);
  return text;
}

// Rules matched by a key; `text` is what is compared and shown.
struct KeyedRule {
  std::string key, text;
  std::uint32_t line = 0;
};

void CompareKeyed(const std::string& area, const std::vector<KeyedRule>& before, const std::vector<KeyedRule>& after,
                  RuleDiff& diff) {
  std::vector<bool> taken(after.size(), false);
  std::vector<bool> paired(before.size(), false);
  for (int pass = 0; pass < 2; ++pass) {  // identical first, then same key
    for (std::size_t b = 0; b < before.size(); ++b) {
      if (paired[b]) continue;
      for (std::size_t a = 0; a < after.size(); ++a) {
        if (taken[a]) continue;
        bool same = pass == 0 ? before[b].text == after[a].text : before[b].key == after[a].key;
        if (!same) continue;
        paired[b] = taken[a] = true;
        if (pass == 1) {
          std::string where = before[b].line == after[a].line
                                  ? fmt::format("line {}", after[a].line)
                                  : fmt::format("line {} -> line {}", before[b].line, after[a].line);
          diff.changes.push_back({area, "changed", where, {Arrow(before[b].text, after[a].text)}, true});
        }
        break;
      }
    }
  }
  for (std::size_t b = 0; b < before.size(); ++b) {
    if (!paired[b])
      diff.changes.push_back({area, "removed", fmt::format("line {}", before[b].line), {before[b].text}, true});
  }
  for (std::size_t a = 0; a < after.size(); ++a) {
    if (!taken[a])
      diff.changes.push_back({area, "added", fmt::format("line {}", after[a].line), {after[a].text}, true});
  }
}

std::vector<KeyedRule> PauseRules(const PolicyView& view) {
  std::vector<KeyedRule> rules;
  for (const compiler::Pause& pause : view.ir.pauses) {
    rules.push_back({pause.reason == compiler::PauseReason::Dispute ? "dispute" : "promise", PauseText(pause),
                     LineOf(view, pause.range)});
  }
  return rules;
}

std::vector<KeyedRule> StopRules(const PolicyView& view) {
  std::vector<KeyedRule> rules;
  for (const compiler::Stop& stop : view.ir.stops) {
    // `stop when paid` without actions is what every policy does anyway.
    if (stop.when_paid && stop.actions.empty()) continue;
    std::string condition = stop.when_paid ? "paid" : compiler::PrintExpression(view.ir, stop.condition);
    rules.push_back({condition, StopText(view.ir, stop), LineOf(view, stop.range)});
  }
  return rules;
}

bool CountsBusinessDays(const PolicyIr& ir) {
  for (const compiler::Anchor& anchor : ir.anchors) {
    for (const compiler::Offset& offset : anchor.offsets) {
      if (offset.duration.unit == compiler::DurationUnit::BusinessDays) return true;
    }
  }
  for (const Step& step : ir.steps) {
    if (!step.unreachable && step.trigger.kind == compiler::TriggerKind::Every &&
        step.trigger.period.unit == compiler::DurationUnit::BusinessDays) {
      return true;
    }
  }
  for (const compiler::Pause& pause : ir.pauses) {
    if (pause.grace && pause.grace->unit == compiler::DurationUnit::BusinessDays) return true;
  }
  return false;
}

std::string CalendarText(const compiler::CalendarData& calendar) {
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::string weekend;
  for (int day = 0; day < 7; ++day) {
    if (calendar.weekend_mask & (1u << day)) weekend += (weekend.empty() ? "" : ", ") + std::string(kDays[day]);
  }
  return fmt::format("{} (weekend {}, {} holidays)", calendar.name, weekend.empty() ? "none" : weekend,
                     calendar.holidays.size());
}

std::string HolidayChanges(const compiler::CalendarData& before, const compiler::CalendarData& after) {
  std::vector<std::string> changes;
  for (const runtime::Date& day : after.holidays) {
    if (!std::binary_search(before.holidays.begin(), before.holidays.end(), day)) changes.push_back("+" + day.ToIso());
  }
  for (const runtime::Date& day : before.holidays) {
    if (!std::binary_search(after.holidays.begin(), after.holidays.end(), day)) changes.push_back("-" + day.ToIso());
  }
  std::string text;
  for (std::size_t i = 0; i < changes.size() && i < 6; ++i) text += (text.empty() ? "" : " ") + changes[i];
  if (changes.size() > 6) text += fmt::format(" and {} more", changes.size() - 6);
  return text;
}

void CompareHeader(const PolicyView& old_view, const PolicyView& new_view, RuleDiff& diff) {
  const compiler::Header& before = old_view.ir.header;
  const compiler::Header& after = new_view.ir.header;
  auto add = [&](std::string where, std::string detail, bool matters) {
    diff.changes.push_back({"header", "changed", std::move(where), {std::move(detail)}, matters});
  };
  if (before.name != after.name) add("name", Arrow("\"" + before.name + "\"", "\"" + after.name + "\""), false);
  if (before.version != after.version)
    add("version", Arrow("\"" + before.version + "\"", "\"" + after.version + "\""), false);
  if (before.currency != after.currency) {
    add("currency",
        Arrow(std::string(runtime::InfoOf(before.currency).code), std::string(runtime::InfoOf(after.currency).code)),
        true);
  }
  if (before.calendar.weekend_mask != after.calendar.weekend_mask ||
      before.calendar.holidays != after.calendar.holidays) {
    bool counted = CountsBusinessDays(old_view.ir) || CountsBusinessDays(new_view.ir);
    std::string detail = Arrow(CalendarText(before.calendar), CalendarText(after.calendar));
    std::string holidays = HolidayChanges(before.calendar, after.calendar);
    if (!holidays.empty()) detail += "; holidays " + holidays;
    if (!counted) detail += "; no step counts business days, so this changes nothing";
    add("calendar", std::move(detail), counted);
  }
  std::string old_applies = before.applies_to == compiler::kNoId
                                ? "every invoice"
                                : compiler::PrintExpression(old_view.ir, before.applies_to);
  std::string new_applies =
      after.applies_to == compiler::kNoId ? "every invoice" : compiler::PrintExpression(new_view.ir, after.applies_to);
  if (old_applies != new_applies) add("applies to", Arrow(old_applies, new_applies), true);
  auto subject = [](compiler::SubjectKind kind) {
    return kind == compiler::SubjectKind::Customer ? "customer" : "invoice";
  };
  if (before.subject != after.subject) add("subject", Arrow(subject(before.subject), subject(after.subject)), true);
  auto agency = [](bool go_on) { return go_on ? "continue" : "stop"; };
  if (before.continue_after_agency != after.continue_after_agency) {
    add("after agency", Arrow(agency(before.continue_after_agency), agency(after.continue_after_agency)), true);
  }
  if (before.settlement != after.settlement) {
    auto order = [](const compiler::SettlementOrder& settlement) {
      static const char* const kParts[] = {"fees", "interest", "principal"};
      return fmt::format("{}, {}, {}", kParts[static_cast<int>(settlement[0])], kParts[static_cast<int>(settlement[1])],
                         kParts[static_cast<int>(settlement[2])]);
    };
    add("payments settle", Arrow(order(before.settlement), order(after.settlement)), true);
  }
  // Costs in two currencies are not comparable; the currency change says it all.
  for (std::size_t kind = 0; kind < compiler::kActionKindCount && before.currency == after.currency; ++kind) {
    if (before.costs[kind] == after.costs[kind]) continue;
    add(fmt::format("cost of {}", compiler::ActionSpelling(static_cast<compiler::ActionKind>(kind))),
        Arrow(runtime::ToString(before.costs[kind]), runtime::ToString(after.costs[kind])), true);
  }
}

}  // namespace

bool RuleDiff::matters() const {
  return std::any_of(changes.begin(), changes.end(), [](const RuleChange& change) { return change.matters; });
}

RuleDiff CompareRules(const PolicyView& old_policy, const PolicyView& new_policy) {
  RuleDiff diff;
  CompareHeader(old_policy, new_policy, diff);
  CompareSteps(old_policy, new_policy, diff);
  CompareKeyed("pause", PauseRules(old_policy), PauseRules(new_policy), diff);
  CompareKeyed("stop", StopRules(old_policy), StopRules(new_policy), diff);
  return diff;
}

}  // namespace recoup::driver::diff
