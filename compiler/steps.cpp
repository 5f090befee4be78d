// Steps, pauses and stops: triggers with their anchors and offsets, actions
// with folded parameters, guards as boolean expressions. Labels named by
// anchors and fired() are only recorded here; step analysis resolves them
// once every step (including expanded templates) is known.
#include <fmt/format.h>

#include "compiler/checker_internal.h"

namespace recoup::compiler::internal {
namespace {

bool Between0And100(runtime::Decimal percent) {
  return runtime::Compare(percent, runtime::Decimal{0, 0}) >= 0 &&
         runtime::Compare(percent, runtime::Decimal{100, 0}) <= 0;
}

bool WantsLabels(const Context& context, const PolicyIr& out, const PolicyIr& policy) {
  return !context.generic && &out == &policy;
}

}  // namespace

std::optional<Duration> Checker::ConstantDuration(const Context& context, language::ExpressionId id, const char* what,
                                                  PolicyIr& out) {
  std::optional<Value> value = ConstantOfType(context, id, Type::Duration, what, out);
  if (!value) return std::nullopt;
  return value->duration;
}

AnchorId Checker::LowerAnchor(const Context& context, language::AnchorId id, PolicyIr& out, int depth) {
  const language::SyntaxTree& tree = TreeOf(context);
  if (id == language::kNone || id >= tree.anchors.size()) return kNoId;
  const language::Anchor& anchor = tree.anchor(id);
  if (depth > 4 * 256) {
    Report(DiagnosticKind::NestingTooDeep, anchor.range, "this anchor nests too deeply");
    return kNoId;
  }
  Anchor lowered;
  lowered.range = anchor.range;
  switch (anchor.kind) {
    case language::AnchorKind::Due: lowered.base = AnchorBase::Due; break;
    case language::AnchorKind::Issue: lowered.base = AnchorBase::Issue; break;
    case language::AnchorKind::Promise: lowered.base = AnchorBase::Promise; break;
    case language::AnchorKind::Label: lowered.base = AnchorBase::Step; lowered.label = anchor.label.text; break;
    case language::AnchorKind::EndOfMonth:
      lowered.base = AnchorBase::EndOfMonth;
      lowered.inner = LowerAnchor(context, anchor.inner, out, depth + 1);
      break;
  }
  for (const language::AnchorOffset& offset : anchor.offsets) {
    std::optional<Duration> duration = ConstantDuration(context, offset.duration, "an offset", out);
    if (!duration) continue;
    if (offset.negative) duration->count = -duration->count;
    lowered.offsets.push_back({*duration, offset.range});
  }
  out.anchors.push_back(std::move(lowered));
  auto lowered_id = static_cast<AnchorId>(out.anchors.size() - 1);
  if (anchor.kind == language::AnchorKind::Label && WantsLabels(context, out, ir_)) {
    pending_labels_.push_back(
        {PendingLabel::Use::Anchor, lowered_id, anchor.label.text, anchor.label.range, context.expanded_from});
  }
  return lowered_id;
}

std::optional<Action> Checker::LowerAction(const Context& context, const language::Action& action, PolicyIr& out) {
  const language::SyntaxTree& tree = TreeOf(context);
  Action lowered;
  lowered.kind = static_cast<ActionKind>(action.kind);
  lowered.range = action.range;
  bool ok = true;
  bool symbolic = false;
  auto text = [&](language::ExpressionId id, const char* what, std::string& into) {
    if (id == language::kNone) return;
    std::optional<Value> value = ConstantOfType(context, id, Type::Text, what, out, &symbolic);
    if (value) {
      into = value->text;
    } else if (!symbolic) {
      ok = false;
    }
  };
  auto range_of = [&](language::ExpressionId id) {
    return id < tree.expressions.size() ? tree.expression(id).range : action.range;
  };
  auto percent = [&](language::ExpressionId id, const char* what) -> std::optional<runtime::Decimal> {
    std::optional<Value> value = ConstantOfType(context, id, Type::Percent, what, out, &symbolic);
    if (!value) {
      if (!symbolic) ok = false;
      return std::nullopt;
    }
    if (!Between0And100(value->decimal)) {
      Report(DiagnosticKind::PercentOutOfRange, range_of(id),
             fmt::format("{} must be between 0% and 100%, not {}", what, ValueToString(*value)));
      ok = false;
      return std::nullopt;
    }
    return value->decimal;
  };
  auto money_of = [&](const Operand& operand, language::ExpressionId id,
                      const char* what) -> std::optional<runtime::Money> {
    std::optional<Value> value = ConstantFrom(operand, range_of(id), Type::Money, what, &symbolic);
    if (!value) {
      if (!symbolic) ok = false;
      return std::nullopt;
    }
    if (value->money.minor < 0) {
      Report(DiagnosticKind::TypeMismatch, range_of(id), fmt::format("{} cannot be negative", what));
      ok = false;
      return std::nullopt;
    }
    return value->money;
  };
  auto money = [&](language::ExpressionId id, const char* what) -> std::optional<runtime::Money> {
    return money_of(CheckExpression(context, id, out), id, what);
  };

  switch (action.kind) {
    case language::ActionKind::Email:
    case language::ActionKind::Sms:
    case language::ActionKind::Letter:
    case language::ActionKind::Notice: text(action.subject, "the template name", lowered.text); break;
    case language::ActionKind::Call: text(action.subject, "the call script", lowered.text); break;
    case language::ActionKind::Legal: text(action.subject, "the law firm", lowered.text); break;
    case language::ActionKind::Task:
      text(action.subject, "the task", lowered.text);
      lowered.task_target = action.task_target == language::TaskTarget::Owner ? TaskTarget::Owner : TaskTarget::Queue;
      text(action.value, action.task_target == language::TaskTarget::Owner ? "the owner" : "the queue",
           lowered.task_assignee);
      break;
    case language::ActionKind::Agency:
      text(action.subject, "the agency's name", lowered.text);
      if (auto contingency = percent(action.value, "the contingency")) lowered.percent = *contingency;
      break;
    case language::ActionKind::Fee: {
      lowered.fee_basis = static_cast<FeeBasis>(action.fee_basis);
      if (action.fee_basis == language::FeeBasis::Flat) {
        Operand amount = CheckExpression(context, action.value, out);
        if (amount.IsError()) {
          ok = false;
        } else if (amount.type.type == Type::Percent && !amount.type.is_list) {
          language::Diagnostic& diagnostic = Report(DiagnosticKind::TypeMismatch, range_of(action.value),
                                                    "a percentage fee needs to say what it is a percentage of");
          diagnostic.help = "write `fee 2% of balance` or `fee 2% of amount`";
          ok = false;
        } else if (auto flat = money_of(amount, action.value, "a fee")) {
          lowered.fee_amount = *flat;
        }
        if (action.fee_min != language::kNone || action.fee_max != language::kNone) {
          Report(DiagnosticKind::TypeMismatch, action.range, "`min` and `max` only apply to a percentage fee");
          ok = false;
        }
        break;
      }
      if (auto share = percent(action.value, "a fee percentage")) lowered.percent = *share;
      if (action.fee_min != language::kNone) lowered.fee_min = money(action.fee_min, "the fee's minimum");
      if (action.fee_max != language::kNone) lowered.fee_max = money(action.fee_max, "the fee's maximum");
      if (lowered.fee_min && lowered.fee_max && lowered.fee_min->minor > lowered.fee_max->minor) {
        language::Diagnostic& diagnostic = Report(
            DiagnosticKind::TypeMismatch, range_of(action.fee_min),
            fmt::format("the fee's minimum ({}) is above its maximum ({})", runtime::ToString(*lowered.fee_min),
                        runtime::ToString(*lowered.fee_max)));
        diagnostic.notes.push_back({range_of(action.fee_max), "the maximum is here"});
        ok = false;
      }
      break;
    }
    case language::ActionKind::Interest: {
      Operand rate = CheckExpression(context, action.value, out);
      if (rate.IsError()) {
        ok = false;
      } else if (rate.type.type == Type::Percent && !rate.type.is_list) {
        language::Diagnostic& diagnostic =
            Report(DiagnosticKind::TypeMismatch, range_of(action.value), "interest needs an annual rate");
        diagnostic.help = fmt::format("write `{} per year`", TextOf(range_of(action.value)));
        ok = false;
      } else if (auto annual = ConstantFrom(rate, range_of(action.value), Type::Rate, "an interest rate", &symbolic)) {
        if (runtime::Compare(annual->decimal, runtime::Decimal{0, 0}) < 0) {
          Report(DiagnosticKind::PercentOutOfRange, range_of(action.value),
                 fmt::format("an interest rate cannot be negative, and this one is {}", ValueToString(*annual)));
          ok = false;
        }
        lowered.annual_rate = annual->decimal;
      } else if (!symbolic) {
        ok = false;
      }
      if (action.interest_from != language::kNone) {
        lowered.interest_from = LowerAnchor(context, action.interest_from, out);
      }
      break;
    }
    default: break;
  }
  if (!ok) return std::nullopt;
  return lowered;
}

void Checker::LowerStep(const Context& context, const language::Step& step, PolicyIr& out) {
  const language::SyntaxTree& tree = TreeOf(context);
  Step lowered;
  lowered.range = step.range;
  if (step.label) {
    lowered.label = step.label->text;
    lowered.label_range = step.label->range;
  }
  lowered.expanded_from = context.expanded_from;
  const language::Trigger& trigger = step.trigger;
  lowered.trigger.range = trigger.range;
  lowered.trigger.anchor = LowerAnchor(context, trigger.anchor, out);
  if (trigger.kind == language::TriggerKind::Every) {
    lowered.trigger.kind = TriggerKind::Every;
    if (std::optional<Duration> period = ConstantDuration(context, trigger.period, "the period of `every`", out)) {
      if (period->count <= 0) {
        language::Diagnostic& diagnostic = Report(
            DiagnosticKind::InvalidRecurrence, tree.expression(trigger.period).range,
            fmt::format("a step cannot repeat every {}: the period must be longer than zero", DurationToString(*period)));
        diagnostic.help = "write a period like `every 14d`";
      }
      lowered.trigger.period = *period;
    }
    if (trigger.until_agency) {
      lowered.trigger.until = UntilKind::Agency;
    } else if (trigger.until != language::kNone) {
      lowered.trigger.until = UntilKind::Anchor;
      lowered.trigger.until_anchor = LowerAnchor(context, trigger.until, out);
    }
    if (trigger.max_times != language::kNone) {
      std::optional<Value> times =
          ConstantOfType(context, trigger.max_times, Type::Count, "the number after `max`", out);
      if (times) {
        if (times->decimal.digits < 0) {
          Report(DiagnosticKind::InvalidRecurrence, tree.expression(trigger.max_times).range,
                 fmt::format("a step cannot repeat {} times", times->decimal.digits));
        }
        lowered.trigger.max_times = times->decimal.digits;
      }
    }
  }
  for (const language::Action& action : step.actions) {
    if (std::optional<Action> done = LowerAction(context, action, out)) lowered.actions.push_back(std::move(*done));
  }
  if (step.guard_kind != language::GuardKind::None && step.guard != language::kNone) {
    lowered.guard_written_unless = step.guard_kind == language::GuardKind::Unless;
    lowered.guard_range = tree.expression(step.guard).range;
    lowered.guard = LowerCondition(context, step.guard, lowered.guard_written_unless,
                                   lowered.guard_written_unless ? "`unless`" : "`if`", out);
    // Its error is reported; the warnings must not take the step for unguarded.
    if (lowered.guard == kNoId && &out == &ir_) guard_failed_steps_.push_back(static_cast<StepId>(out.steps.size()));
  }
  out.steps.push_back(std::move(lowered));
}

ExpressionId Checker::LowerCondition(const Context& context, language::ExpressionId id, bool negate, const char* what,
                                     PolicyIr& out) {
  Operand condition = CheckExpression(context, id, out);
  if (condition.IsError() || condition.symbolic) return kNoId;
  SourceRange range = TreeOf(context).expression(id).range;
  if (condition.type.is_list || condition.type.type != Type::Bool) {
    Report(DiagnosticKind::TypeMismatch, range,
           fmt::format("{} needs a condition that is true or false, not {}", what, DescribeType(condition.type)));
    return kNoId;
  }
  if (condition.IsConstant()) {
    if (negate) condition.value->boolean = !condition.value->boolean;
    return Materialize(condition, range, out);
  }
  if (!negate) return condition.node;
  Expression node;
  node.kind = ExpressionKind::Not;
  node.type = condition.type;
  node.range = range;
  node.left = condition.node;
  out.expressions.push_back(node);
  return static_cast<ExpressionId>(out.expressions.size() - 1);
}

void Checker::LowerBody(const Context& context, const language::Body& body, PolicyIr& out) {
  const language::SyntaxTree& tree = TreeOf(context);
  for (const language::BodyItem& item : body.order) {
    switch (item.kind) {
      case language::BodyItemKind::Step: LowerStep(context, body.steps.at(item.index), out); break;
      case language::BodyItemKind::Use: ExpandUse(context, body.uses.at(item.index), out); break;
      case language::BodyItemKind::Pause: {
        const language::Pause& pause = body.pauses.at(item.index);
        Pause lowered;
        lowered.reason = pause.reason == language::PauseReason::Promise ? PauseReason::Promise : PauseReason::Dispute;
        lowered.rule = pause.rule == language::PauseRule::Skip ? PauseRule::Skip : PauseRule::Defer;
        lowered.range = pause.range;
        lowered.expanded_from = context.expanded_from;
        if (pause.grace != language::kNone) {
          lowered.grace = ConstantDuration(context, pause.grace, "the grace period", out);
        }
        out.pauses.push_back(std::move(lowered));
        break;
      }
      case language::BodyItemKind::Stop: {
        const language::Stop& stop = body.stops.at(item.index);
        Stop lowered;
        lowered.when_paid = stop.when_paid;
        lowered.range = stop.range;
        lowered.expanded_from = context.expanded_from;
        if (!stop.when_paid && stop.condition != language::kNone) {
          lowered.condition = LowerCondition(context, stop.condition, false, "`stop when`", out);
        }
        for (const language::Action& action : stop.actions) {
          if (std::optional<Action> done = LowerAction(context, action, out)) lowered.actions.push_back(std::move(*done));
        }
        out.stops.push_back(std::move(lowered));
        break;
      }
    }
  }
  (void)tree;
}

}  // namespace recoup::compiler::internal
