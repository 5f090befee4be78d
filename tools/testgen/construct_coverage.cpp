#include "tools/testgen/construct_coverage.h"

#include <fmt/format.h>

namespace recoup::testgen {
namespace {

using namespace compiler;

const char* const kExpressionNames[] = {"Literal", "Field",    "Attribute", "Today",        "Fired",    "Not",
                                        "Negate",  "And",      "Or",        "Equal",        "NotEqual", "Less",
                                        "LessEqual", "Greater", "GreaterEqual", "Add",      "Subtract", "Multiply",
                                        "Divide",  "PercentOf", "PerYear",  "In"};
constexpr int kExpressionKindCount = 22;
const char* const kAnchorNames[] = {"due", "issue", "promise", "step", "end of month"};
const char* const kDurationNames[] = {"days", "business days", "weeks"};
const char* const kTypeNames[] = {"money", "percent", "rate", "duration", "date", "count", "number", "bool", "text"};
constexpr int kFieldCount = 14;
const char* const kCalendars[] = {"weekends", "us_federal", "eu_target2", "weekends_only", "gen_calendar"};

void CountAction(const Action& action, ConstructCounts& counts) {
  ++counts[std::string("action.") + ActionSpelling(action.kind)];
  switch (action.kind) {
    case ActionKind::Fee:
      ++counts[action.fee_basis == FeeBasis::Flat ? "fee.flat" : action.fee_basis == FeeBasis::Balance ? "fee.of balance" : "fee.of amount"];
      if (action.fee_min) ++counts["fee.min"];
      if (action.fee_max) ++counts["fee.max"];
      break;
    case ActionKind::Interest: ++counts[action.interest_from == kNoId ? "interest.from firing" : "interest.from anchor"]; break;
    case ActionKind::Task: ++counts[action.task_target == TaskTarget::Queue ? "task.queue" : "task.owner"]; break;
    case ActionKind::Call: ++counts[action.text.empty() ? "call.no script" : "call.script"]; break;
    case ActionKind::Legal: ++counts[action.text.empty() ? "legal.no firm" : "legal.firm"]; break;
    default: break;
  }
}

}  // namespace

void CountConstructs(const PolicyIr& policy, ConstructCounts& counts) {
  const Header& header = policy.header;
  ++counts[header.subject == SubjectKind::Customer ? "header.subject customer" : "header.subject invoice"];
  ++counts[header.continue_after_agency ? "header.after agency continue" : "header.after agency stop"];
  ++counts[header.settlement == kDefaultSettlementOrder ? "header.settle default" : "header.settle custom"];
  ++counts[header.costs_name == "standard" ? "header.costs standard"
           : header.costs_name == "standard with overrides" ? "header.costs overrides"
                                                            : "header.costs named"];
  ++counts["header.calendar " + header.calendar.name];
  ++counts[fmt::format("header.currency exponent {}", runtime::InfoOf(header.currency).exponent)];
  if (header.applies_to != kNoId) ++counts["header.applies to"];
  for (const Attribute& attribute : policy.attributes) {
    ++counts[fmt::format("attribute.{}.{}", attribute.object == AttributeObject::Invoice ? "invoice" : "customer",
                         TypeSpelling(attribute.type.type))];
  }
  for (const Expression& expression : policy.expressions) {
    ++counts[std::string("expression.") + kExpressionNames[static_cast<int>(expression.kind)]];
    if (expression.kind == ExpressionKind::Field) ++counts[std::string("field.") + FieldSpelling(expression.field)];
  }
  for (const Anchor& anchor : policy.anchors) {
    ++counts[std::string("anchor.") + kAnchorNames[static_cast<int>(anchor.base)]];
    for (const Offset& offset : anchor.offsets) {
      ++counts[std::string("offset.") + kDurationNames[static_cast<int>(offset.duration.unit)]];
      if (offset.duration.count < 0) ++counts["offset.negative"];
    }
  }
  for (const Step& step : policy.steps) {
    const Trigger& trigger = step.trigger;
    if (trigger.kind == TriggerKind::At) {
      ++counts["trigger.at"];
    } else {
      ++counts["trigger.every"];
      ++counts[std::string("period.") + kDurationNames[static_cast<int>(trigger.period.unit)]];
      ++counts[trigger.until == UntilKind::None ? "until.none" : trigger.until == UntilKind::Agency ? "until.agency" : "until.anchor"];
      if (trigger.max_times) ++counts["every.max"];
    }
    if (step.label) ++counts["step.label"];
    if (step.guard != kNoId) ++counts[step.guard_written_unless ? "guard.unless" : "guard.if"];
    if (!step.expanded_from.empty()) ++counts["step.from template"];
    if (step.actions.size() > 1) ++counts["step.several actions"];
    for (const Action& action : step.actions) CountAction(action, counts);
  }
  for (const Pause& pause : policy.pauses) {
    std::string name = pause.reason == PauseReason::Dispute ? "pause.dispute" : "pause.promise";
    ++counts[name + (pause.rule == PauseRule::Defer ? " defer" : " skip")];
    if (pause.grace) ++counts["pause.promise grace"];
    if (!pause.expanded_from.empty()) ++counts["pause.from template"];
  }
  for (const Stop& stop : policy.stops) {
    std::string name = stop.when_paid ? "stop.paid" : "stop.condition";
    ++counts[name + (stop.actions.empty() ? "" : " with actions")];
    for (const Action& action : stop.actions) CountAction(action, counts);
  }
  if (!policy.tests.empty()) ++counts["test"];
}

std::vector<std::string> EveryConstruct() {
  std::vector<std::string> names = {
      "header.subject customer", "header.subject invoice", "header.after agency continue", "header.after agency stop",
      "header.settle default", "header.settle custom", "header.costs standard", "header.costs overrides",
      "header.costs named", "header.currency exponent 0", "header.currency exponent 2", "header.currency exponent 3",
      "header.applies to", "fee.flat", "fee.of balance", "fee.of amount", "fee.min", "fee.max",
      "interest.from firing", "interest.from anchor", "task.queue", "task.owner", "call.no script", "call.script",
      "legal.no firm", "legal.firm", "offset.negative", "trigger.at", "trigger.every", "until.none", "until.agency",
      "until.anchor", "every.max", "step.label", "guard.if", "guard.unless", "step.from template",
      "step.several actions", "pause.dispute defer", "pause.dispute skip", "pause.promise defer",
      "pause.promise skip", "pause.promise grace", "pause.from template", "stop.paid", "stop.paid with actions",
      "stop.condition", "stop.condition with actions", "test"};
  for (const char* calendar : kCalendars) names.push_back(std::string("header.calendar ") + calendar);
  for (const char* type : kTypeNames) {
    names.push_back(std::string("attribute.invoice.") + type);
    names.push_back(std::string("attribute.customer.") + type);
  }
  for (int i = 0; i < kExpressionKindCount; ++i) names.push_back(std::string("expression.") + kExpressionNames[i]);
  for (int i = 0; i < kFieldCount; ++i) names.push_back(std::string("field.") + FieldSpelling(static_cast<Field>(i)));
  for (const char* anchor : kAnchorNames) names.push_back(std::string("anchor.") + anchor);
  for (const char* unit : kDurationNames) {
    names.push_back(std::string("offset.") + unit);
    names.push_back(std::string("period.") + unit);
  }
  for (std::size_t i = 0; i < kActionKindCount; ++i) {
    names.push_back(std::string("action.") + ActionSpelling(static_cast<ActionKind>(i)));
  }
  return names;
}

}  // namespace recoup::testgen
