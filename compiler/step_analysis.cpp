// Step analysis, once every step (template expansions included) is in the
// IR: labels (E0203 duplicates, E0201 missing), anchor cycles (E0202),
// reachability (W0001), and the two static-order warnings W0002 (a step
// after the step that ends the policy) and W0003 (a milder channel after a
// stronger one).
//
// Each step's trigger depends on at most one other step (its anchor's base),
// so the anchors form a functional graph: cycles, a dependency order and
// every per-step fact come from linear walks. The order warnings compare a
// static position per step, the root anchor (due or issue) plus an interval
// [earliest, latest] of calendar days after it: calendar days and weeks are
// exact, `+N business days` is at least N calendar days (latest unknown),
// `-N business days` at most -N. A step is "statically later" than another
// only when its earliest day is after the other's latest, with the same
// root. W0003 looks only at steps whose actions are all contacts: an email
// that goes with a fee or a suspension is that action's notice, not a
// milder step. Promise and end-of-month anchors have no static position. Pauses
// are ignored: the positions are the schedule as written. Only the minimum
// per root and channel is kept, so the warnings cost O(steps).
//
// W0001 is not reported for steps expanded from a template (a parameter that
// switches a template's step off is a normal use); such steps are still
// marked unreachable in the IR.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

constexpr std::int64_t kNegativeInfinity = std::numeric_limits<std::int64_t>::min() / 4;
constexpr std::int64_t kPositiveInfinity = std::numeric_limits<std::int64_t>::max() / 4;

struct Position {
  bool known = false;
  AnchorBase root = AnchorBase::Due;
  std::int64_t earliest = 0;
  std::int64_t latest = 0;
};

std::int64_t Shift(std::int64_t day, std::int64_t by) {
  if (day <= kNegativeInfinity || day >= kPositiveInfinity) return day;
  return std::clamp(day + by, kNegativeInfinity, kPositiveInfinity);
}

// Contact strength: sms = email = notice < letter = call; 0 = no contact.
// A letter and a call rank the same: a final-notice letter after a call is
// ordinary practice (the brief's own example), not a step back.
int ChannelStrength(ActionKind kind) {
  switch (kind) {
    case ActionKind::Email:
    case ActionKind::Sms:
    case ActionKind::Notice: return 1;
    case ActionKind::Letter: return 2;
    case ActionKind::Call: return 2;
    default: return 0;
  }
}

// The strongest channel of a step, and its strength (0 when it contacts nobody).
int Strength(const Step& step, ActionKind* strongest) {
  int best = 0;
  for (const Action& action : step.actions) {
    int strength = ChannelStrength(action.kind);
    if (strength > best) {
      best = strength;
      *strongest = action.kind;
    }
  }
  return best;
}

const char* ChannelPhrase(ActionKind kind) {
  switch (kind) {
    case ActionKind::Email: return "an email";
    case ActionKind::Sms: return "an SMS";
    case ActionKind::Notice: return "a notice";
    case ActionKind::Letter: return "a letter";
    case ActionKind::Call: return "a call";
    default: return "a contact";
  }
}

}  // namespace

void Checker::AnalyseSteps() {
  std::vector<Step>& steps = ir_.steps;
  const auto count = static_cast<StepId>(steps.size());
  auto describe = [&](StepId id) {
    const Step& step = steps[id];
    if (step.label) return fmt::format("`{}`", *step.label);
    return fmt::format("the step at line {}", LineOf(step.range));
  };
  auto add_expansion_notes = [&](language::Diagnostic& diagnostic, const std::vector<SourceRange>& expanded_from) {
    for (const SourceRange& use : expanded_from) diagnostic.notes.push_back({use, "expanded from this `use`"});
  };

  // Labels.
  std::unordered_map<std::string, StepId> labels;
  std::vector<std::string> label_names;
  for (StepId id = 0; id < count; ++id) {
    if (!steps[id].label) continue;
    auto [first, inserted] = labels.emplace(*steps[id].label, id);
    if (inserted) {
      label_names.push_back(*steps[id].label);
      continue;
    }
    language::Diagnostic& diagnostic = Report(DiagnosticKind::DuplicateLabel, steps[id].label_range,
                                              fmt::format("the label `{}` is already used", *steps[id].label));
    add_expansion_notes(diagnostic, steps[id].expanded_from);
    diagnostic.notes.push_back({steps[first->second].label_range, "the first step with this label is here"});
    add_expansion_notes(diagnostic, steps[first->second].expanded_from);
    diagnostic.help = "labels must be unique within a policy";
  }
  for (const PendingLabel& pending : pending_labels_) {
    auto found = labels.find(pending.label);
    if (found != labels.end()) {
      if (pending.use == PendingLabel::Use::Anchor) {
        ir_.anchors[pending.id].step = found->second;
      } else {
        ir_.expressions[pending.id].step = found->second;
      }
      continue;
    }
    // A step the parser could not read had this label: its error says enough.
    bool unparsed = std::any_of(program_.trees.begin(), program_.trees.end(), [&](const language::SyntaxTree& tree) {
      return std::find(tree.unparsed_definitions.begin(), tree.unparsed_definitions.end(), pending.label) !=
             tree.unparsed_definitions.end();
    });
    if (unparsed) continue;
    language::Diagnostic& diagnostic =
        Report(DiagnosticKind::MissingLabel, pending.range, fmt::format("no step has the label `{}`", pending.label));
    std::string closest = language::ClosestName(pending.label, label_names);
    diagnostic.help = closest.empty() ? fmt::format("label a step with `{}: at ...`", pending.label)
                                      : fmt::format("did you mean `{}`?", closest);
    add_expansion_notes(diagnostic, pending.expanded_from);
  }

  // The step each trigger counts from.
  auto base_step = [&](AnchorId anchor) -> StepId {
    while (anchor != kNoId) {
      const Anchor& current = ir_.anchors[anchor];
      if (current.base == AnchorBase::Step) return current.step;
      if (current.base != AnchorBase::EndOfMonth) return kNoId;
      anchor = current.inner;
    }
    return kNoId;
  };
  std::vector<StepId> depends_on(count, kNoId);
  for (StepId id = 0; id < count; ++id) depends_on[id] = base_step(steps[id].trigger.anchor);

  // Cycles and a dependency order (dependencies first), by walking each chain once.
  std::vector<std::uint8_t> state(count, 0);  // 0 new, 1 on the current walk, 2 done
  std::vector<bool> broken(count, false);     // in a cycle, or anchored to one
  std::vector<StepId> order;
  order.reserve(count);
  std::vector<StepId> path;
  for (StepId start = 0; start < count; ++start) {
    if (state[start] != 0) continue;
    path.clear();
    StepId current = start;
    while (current != kNoId && state[current] == 0) {
      state[current] = 1;
      path.push_back(current);
      current = depends_on[current];
    }
    if (current != kNoId && state[current] == 1) {
      auto begin = std::find(path.begin(), path.end(), current);
      std::vector<StepId> cycle(begin, path.end());
      for (StepId member : cycle) broken[member] = true;
      StepId first = *std::min_element(cycle.begin(), cycle.end());
      auto at = std::find(cycle.begin(), cycle.end(), first);
      std::rotate(cycle.begin(), at, cycle.end());
      const Anchor& anchor = ir_.anchors[steps[first].trigger.anchor];
      language::Diagnostic& diagnostic =
          Report(DiagnosticKind::AnchorCycle, anchor.range,
                 cycle.size() == 1 ? fmt::format("{} is anchored to itself", describe(first))
                                   : fmt::format("{} is anchored to itself through {} other step{}", describe(first),
                                                 cycle.size() - 1, cycle.size() == 2 ? "" : "s"));
      for (std::size_t i = 1; i < cycle.size(); ++i) {
        StepId member = cycle[i];
        diagnostic.notes.push_back({ir_.anchors[steps[member].trigger.anchor].range,
                                    fmt::format("{} is anchored to {} here", describe(member),
                                                describe(depends_on[member]))});
      }
      diagnostic.help = "anchor one of these steps to `due` or `issue` instead";
    } else if (current != kNoId && broken[current]) {
      for (StepId member : path) broken[member] = true;
    }
    for (auto step = path.rbegin(); step != path.rend(); ++step) {
      state[*step] = 2;
      if (depends_on[*step] != kNoId && broken[depends_on[*step]]) broken[*step] = true;
      order.push_back(*step);
    }
  }

  // Reachability (W0001).
  auto literal_bool = [&](ExpressionId id) -> std::optional<bool> {
    if (id == kNoId) return std::nullopt;
    const Expression& expression = ir_.expressions[id];
    if (expression.kind != ExpressionKind::Literal) return std::nullopt;
    return ir_.values[expression.value].boolean;
  };
  bool applies_never = applies_constant_ && !*applies_constant_;
  if (applies_never && count > 0) {
    Report(DiagnosticKind::UnreachableStep, applies_range_,
           "no step of this policy can fire: `applies to` is always false");
  }
  for (StepId id : order) {
    Step& step = steps[id];
    if (broken[id]) continue;
    if (applies_never) {
      step.unreachable = true;
      continue;
    }
    bool from_template = !step.expanded_from.empty();
    if (literal_bool(step.guard) == false) {
      step.unreachable = true;
      if (!from_template) {
        Report(DiagnosticKind::UnreachableStep, step.guard_range,
               step.guard_written_unless ? "this step never fires: its `unless` condition is always true"
                                         : "this step never fires: its condition is always false");
      }
    } else if (step.trigger.max_times && *step.trigger.max_times == 0) {
      step.unreachable = true;
      if (!from_template) {
        Report(DiagnosticKind::UnreachableStep, step.trigger.range, "this step never fires: it repeats at most 0 times");
      }
    } else if (depends_on[id] != kNoId && steps[depends_on[id]].unreachable) {
      step.unreachable = true;
      if (!from_template) {
        language::Diagnostic& diagnostic = Report(
            DiagnosticKind::UnreachableStep, ir_.anchors[step.trigger.anchor].range,
            fmt::format("this step never fires: it is anchored to {}, which never fires", describe(depends_on[id])));
        diagnostic.notes.push_back({steps[depends_on[id]].range, "that step is here"});
      }
    }
  }

  // Static positions, in dependency order.
  std::vector<Position> positions(count);
  auto position_of_anchor = [&](AnchorId id) {
    Position position;
    if (id == kNoId) return position;
    const Anchor& anchor = ir_.anchors[id];
    switch (anchor.base) {
      case AnchorBase::Due:
      case AnchorBase::Issue: position = {true, anchor.base, 0, 0}; break;
      case AnchorBase::Step:
        if (anchor.step != kNoId && !broken[anchor.step]) position = positions[anchor.step];
        break;
      default: break;
    }
    if (!position.known) return position;
    for (const Offset& offset : anchor.offsets) {
      std::int64_t days = offset.duration.count;
      if (offset.duration.unit != DurationUnit::BusinessDays) {
        position.earliest = Shift(position.earliest, days);
        position.latest = Shift(position.latest, days);
      } else if (days > 0) {
        position.earliest = Shift(position.earliest, days);
        position.latest = kPositiveInfinity;
      } else if (days < 0) {
        position.earliest = kNegativeInfinity;
        position.latest = Shift(position.latest, days);
      } else {
        position.latest = kPositiveInfinity;
      }
    }
    return position;
  };
  for (StepId id : order) {
    if (!broken[id]) positions[id] = position_of_anchor(steps[id].trigger.anchor);
  }
  auto root_index = [](AnchorBase root) { return root == AnchorBase::Due ? 0 : 1; };
  auto candidate = [&](StepId id) {
    const Step& step = steps[id];
    bool guard_failed = std::find(guard_failed_steps_.begin(), guard_failed_steps_.end(), id) != guard_failed_steps_.end();
    bool unguarded = (step.guard == kNoId && !guard_failed) || literal_bool(step.guard) == true;
    return unguarded && !broken[id] && !step.unreachable && positions[id].known;
  };

  // W0002: the earliest certain end per root.
  std::array<StepId, 2> end_step{kNoId, kNoId};
  for (StepId id = 0; id < count; ++id) {
    if (!candidate(id) || positions[id].latest >= kPositiveInfinity) continue;
    bool ends = std::any_of(steps[id].actions.begin(), steps[id].actions.end(), [&](const Action& action) {
      return action.kind == ActionKind::WriteOff ||
             (action.kind == ActionKind::Agency && !ir_.header.continue_after_agency);
    });
    if (!ends) continue;
    StepId& best = end_step[root_index(positions[id].root)];
    if (best == kNoId || positions[id].latest < positions[best].latest) best = id;
  }
  for (StepId id = 0; id < count; ++id) {
    if (!candidate(id)) continue;
    StepId end = end_step[root_index(positions[id].root)];
    if (end == kNoId || end == id || positions[id].earliest <= positions[end].latest) continue;
    bool write_off = std::any_of(steps[end].actions.begin(), steps[end].actions.end(),
                                 [](const Action& action) { return action.kind == ActionKind::WriteOff; });
    language::Diagnostic& diagnostic = Report(
        DiagnosticKind::StepAfterEnd, steps[id].range,
        fmt::format("this step comes after {}, which {}, so it never fires", describe(end),
                    write_off ? "writes the invoice off" : "hands the invoice to an agency"));
    diagnostic.notes.push_back({steps[end].range, "the policy ends here for the invoice"});
    if (!write_off) diagnostic.help = "if the policy should go on during the agency's work, add `after agency: continue`";
  }

  // W0003: per root and channel strength, the contact step with the earliest latest day.
  std::array<std::array<StepId, 4>, 2> strongest_earlier{};
  for (auto& row : strongest_earlier) row.fill(kNoId);
  std::vector<int> strength(count, 0);
  std::vector<ActionKind> channel(count, ActionKind::Email);
  for (StepId id = 0; id < count; ++id) {
    strength[id] = Strength(steps[id], &channel[id]);
    if (strength[id] == 0 || !candidate(id) || positions[id].latest >= kPositiveInfinity) continue;
    StepId& best = strongest_earlier[root_index(positions[id].root)][strength[id]];
    if (best == kNoId || positions[id].latest < positions[best].latest) best = id;
  }
  for (StepId id = 0; id < count; ++id) {
    if (strength[id] == 0 || !candidate(id) || steps[id].trigger.kind != TriggerKind::At) continue;
    // A contact that accompanies a fee, a suspension... is that action's notice, not a milder step.
    bool only_contacts = std::all_of(steps[id].actions.begin(), steps[id].actions.end(),
                                     [](const Action& action) { return ChannelStrength(action.kind) > 0; });
    if (!only_contacts) continue;
    const auto& row = strongest_earlier[root_index(positions[id].root)];
    for (int level = 2; level > strength[id]; --level) {
      StepId earlier = row[level];
      if (earlier == kNoId || positions[earlier].latest >= positions[id].earliest) continue;
      language::Diagnostic& diagnostic = Report(
          DiagnosticKind::MilderEscalation, steps[id].range,
          fmt::format("this step sends {} after {} {} {}: a later step should not use a milder channel",
                      ChannelPhrase(channel[id]), describe(earlier),
                      channel[earlier] == ActionKind::Call ? "made" : "sent", ChannelPhrase(channel[earlier])));
      diagnostic.notes.push_back({steps[earlier].range, fmt::format("the earlier step with {} is here",
                                                                    ChannelPhrase(channel[earlier]))});
      break;
    }
  }
}

}  // namespace recoup::compiler::internal
