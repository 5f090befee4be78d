// A deterministic text form of the Policy IR: the header, attributes, then
// every step, pause, stop and test in order, expressions written infix with
// full parentheses and their types, so a golden file shows exactly what the
// back ends receive.
#include "compiler/ir_printer.h"

#include <fmt/format.h>

#include "compiler/checker_internal.h"

namespace recoup::compiler {
namespace {

using internal::DurationToString;
using internal::ValueToString;

const char* OperatorSpelling(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::And: return "and";
    case ExpressionKind::Or: return "or";
    case ExpressionKind::Equal: return "==";
    case ExpressionKind::NotEqual: return "!=";
    case ExpressionKind::Less: return "<";
    case ExpressionKind::LessEqual: return "<=";
    case ExpressionKind::Greater: return ">";
    case ExpressionKind::GreaterEqual: return ">=";
    case ExpressionKind::Add: return "+";
    case ExpressionKind::Subtract: return "-";
    case ExpressionKind::Multiply: return "*";
    case ExpressionKind::Divide: return "/";
    case ExpressionKind::PercentOf: return "of";
    default: return "?";
  }
}

std::string Quote(const std::string& text) {
  Value value;
  value.type = Type::Text;
  value.text = text;
  return ValueToString(value);
}

std::string TypeText(const ValueType& type) {
  std::string text = TypeSpelling(type.type);
  if (type.type == Type::Money && !type.any_currency) text += fmt::format(" {}", runtime::InfoOf(type.currency).code);
  return text;
}

class Printer {
 public:
  // `by_label`: a step anchor is written as its label alone, so the text
  // does not change when steps move (used to compare two policies).
  explicit Printer(const PolicyIr& ir, bool by_label = false) : ir_(ir), by_label_(by_label) {}

  std::string Print() {
    if (ir_.is_library) {
      out_ += "library\n";
      PrintAttributes();
      return out_;
    }
    PrintHeader();
    PrintAttributes();
    for (StepId id = 0; id < ir_.steps.size(); ++id) PrintStep(id);
    for (const Pause& pause : ir_.pauses) PrintPause(pause);
    for (const Stop& stop : ir_.stops) PrintStop(stop);
    for (const PolicyTest& test : ir_.tests) PrintTest(test);
    return out_;
  }

  std::string TriggerText(const Trigger& trigger) const {
    if (trigger.kind == TriggerKind::At) return "at " + AnchorText(trigger.anchor);
    std::string text = fmt::format("every {} from {}", DurationText(trigger.period), AnchorText(trigger.anchor));
    if (trigger.until == UntilKind::Agency) text += " until agency";
    if (trigger.until == UntilKind::Anchor) text += " until " + AnchorText(trigger.until_anchor);
    if (trigger.max_times) text += fmt::format(" max {} times", *trigger.max_times);
    return text;
  }

  std::string Expr(ExpressionId id) const {
    if (id == kNoId) return "<none>";
    const Expression& node = ir_.expression(id);
    switch (node.kind) {
      case ExpressionKind::Literal: return ValueToString(ir_.value(node.value));
      case ExpressionKind::Field: return FieldSpelling(node.field);
      case ExpressionKind::Attribute: {
        const Attribute& attribute = ir_.attributes.at(node.attribute);
        return fmt::format("{}.{}", attribute.object == AttributeObject::Invoice ? "invoice" : "customer",
                           attribute.name);
      }
      case ExpressionKind::Today: return "today";
      case ExpressionKind::Fired:
        return fmt::format("fired({})", node.step == kNoId || !ir_.steps[node.step].label
                                            ? std::string("?")
                                            : *ir_.steps[node.step].label);
      case ExpressionKind::Not: return fmt::format("(not {})", Expr(node.left));
      case ExpressionKind::Negate: return fmt::format("(-{})", Expr(node.left));
      case ExpressionKind::PerYear: return fmt::format("({} per year)", Expr(node.left));
      case ExpressionKind::In: {
        std::string list;
        for (std::uint32_t i = 0; i < node.list_count; ++i) {
          if (i) list += ", ";
          list += ValueToString(ir_.value(node.list_begin + i));
        }
        return fmt::format("({} in [{}])", Expr(node.left), list);
      }
      default: return fmt::format("({} {} {})", Expr(node.left), OperatorSpelling(node.kind), Expr(node.right));
    }
  }

 private:
  // Weeks are days already; when comparing, `2w` and `14d` must read alike.
  std::string DurationText(Duration duration) const {
    if (by_label_ && duration.unit == DurationUnit::Weeks) duration.unit = DurationUnit::Days;
    return DurationToString(duration);
  }

  void Line(int indent, const std::string& text) {
    out_.append(static_cast<std::size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  std::string ExprWithType(ExpressionId id) const {
    if (id == kNoId) return "<none>";
    return fmt::format("{} : {}", Expr(id), TypeText(ir_.expression(id).type));
  }

  std::string AnchorText(AnchorId id) const {
    if (id == kNoId) return "<none>";
    const Anchor& anchor = ir_.anchor(id);
    std::string text;
    switch (anchor.base) {
      case AnchorBase::Due: text = "due"; break;
      case AnchorBase::Issue: text = "issue"; break;
      case AnchorBase::Promise: text = "promise"; break;
      case AnchorBase::Step:
        text = by_label_ ? anchor.label
                         : fmt::format("step {} ({})", anchor.step == kNoId ? -1 : int(anchor.step), anchor.label);
        break;
      case AnchorBase::EndOfMonth: text = fmt::format("(end of month of {})", AnchorText(anchor.inner)); break;
    }
    for (const Offset& offset : anchor.offsets) {
      Duration shown = offset.duration;
      bool negative = shown.count < 0;
      shown.count = negative ? -shown.count : shown.count;
      text += fmt::format(" {} {}", negative ? '-' : '+', DurationText(shown));
    }
    return text;
  }

  std::string MoneyText(const runtime::Money& money) const { return runtime::ToString(money); }

  void PrintHeader() {
    const Header& header = ir_.header;
    Line(0, fmt::format("policy {}", Quote(header.name)));
    Line(1, fmt::format("version {}", Quote(header.version)));
    Line(1, fmt::format("currency {}", runtime::InfoOf(header.currency).code));
    std::string weekend;
    static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int day = 0; day < 7; ++day) {
      if (header.calendar.weekend_mask & (1u << day)) weekend += weekend.empty() ? kDays[day] : std::string(",") + kDays[day];
    }
    std::string holidays;
    for (const runtime::Date& date : header.calendar.holidays) holidays += " " + date.ToIso();
    Line(1, fmt::format("calendar {} weekend [{}] holidays [{}]", header.calendar.name, weekend,
                        holidays.empty() ? "" : holidays.substr(1)));
    Line(1, fmt::format("subject {}", header.subject == SubjectKind::Customer ? "customer" : "invoice"));
    Line(1, fmt::format("after agency {}", header.continue_after_agency ? "continue" : "stop"));
    {
      static const char* const kParts[] = {"fees", "interest", "principal"};
      Line(1, fmt::format("payments settle {}, {}, {}", kParts[static_cast<int>(header.settlement[0])],
                          kParts[static_cast<int>(header.settlement[1])], kParts[static_cast<int>(header.settlement[2])]));
    }
    Line(1, fmt::format("applies to {}", header.applies_to == kNoId ? "every invoice" : ExprWithType(header.applies_to)));
    std::string costs;
    for (std::size_t kind = 0; kind < kActionKindCount; ++kind) {
      if (kind) costs += ", ";
      costs += fmt::format("{} {}", ActionSpelling(static_cast<ActionKind>(kind)), MoneyText(header.costs[kind]));
    }
    Line(1, fmt::format("costs {}: {}", header.costs_name, costs));
  }

  void PrintAttributes() {
    for (const Attribute& attribute : ir_.attributes) {
      Line(0, fmt::format("attribute {}.{}: {}", attribute.object == AttributeObject::Invoice ? "invoice" : "customer",
                          attribute.name, TypeText(attribute.type)));
    }
  }

 public:
  std::string ActionText(const Action& action) const {
    std::string text = ActionSpelling(action.kind);
    auto quoted = [](const std::string& value) {
      return Quote(value);
    };
    switch (action.kind) {
      case ActionKind::Email:
      case ActionKind::Sms:
      case ActionKind::Letter:
      case ActionKind::Notice: text += " " + quoted(action.text); break;
      case ActionKind::Call:
      case ActionKind::Legal:
        if (!action.text.empty()) text += " " + quoted(action.text);
        break;
      case ActionKind::Task:
        text += fmt::format(" {} {} {}", quoted(action.text), action.task_target == TaskTarget::Owner ? "owner" : "queue",
                            quoted(action.task_assignee));
        break;
      case ActionKind::Agency:
        text += fmt::format(" {} contingency {}%", quoted(action.text), runtime::ToString(action.percent));
        break;
      case ActionKind::Fee:
        if (action.fee_basis == FeeBasis::Flat) {
          text += " " + MoneyText(action.fee_amount);
        } else {
          text += fmt::format(" {}% of {}", runtime::ToString(action.percent),
                              action.fee_basis == FeeBasis::Balance ? "balance" : "amount");
          if (action.fee_min) text += " min " + MoneyText(*action.fee_min);
          if (action.fee_max) text += " max " + MoneyText(*action.fee_max);
        }
        break;
      case ActionKind::Interest:
        text += fmt::format(" {}% per year", runtime::ToString(action.annual_rate));
        if (action.interest_from != kNoId) text += " from " + AnchorText(action.interest_from);
        break;
      default: break;
    }
    return text;
  }

 private:
  void PrintStep(StepId id) {
    const Step& step = ir_.steps[id];
    const Trigger& trigger = step.trigger;
    std::string text = fmt::format("step {}", id);
    if (step.label) text += fmt::format(" {}:", *step.label);
    text += " " + TriggerText(trigger);
    if (step.unreachable) text += " [unreachable]";
    if (!step.expanded_from.empty()) text += fmt::format(" [expanded, depth {}]", step.expanded_from.size());
    Line(0, text);
    for (const Action& action : step.actions) Line(1, "action " + ActionText(action));
    if (step.guard != kNoId) Line(1, "guard " + ExprWithType(step.guard));
  }

  void PrintPause(const Pause& pause) {
    std::string text = pause.reason == PauseReason::Dispute ? "pause on dispute" : "pause on promise";
    if (pause.grace) text += " + " + DurationToString(*pause.grace);
    text += pause.rule == PauseRule::Defer ? ": defer" : ": skip";
    Line(0, text);
  }

  void PrintStop(const Stop& stop) {
    Line(0, stop.when_paid ? std::string("stop when paid") : "stop when " + ExprWithType(stop.condition));
    for (const Action& action : stop.actions) Line(1, "action " + ActionText(action));
  }

  std::string FieldText(const FieldSetting& setting) const {
    std::string name = setting.field ? FieldSpelling(*setting.field)
                                     : fmt::format("{}.{}",
                                                   ir_.attributes.at(setting.attribute).object == AttributeObject::Invoice
                                                       ? "invoice"
                                                       : "customer",
                                                   ir_.attributes.at(setting.attribute).name);
    return fmt::format("{} = {}", name, ValueToString(setting.value));
  }

  void PrintTest(const PolicyTest& test) {
    Line(0, fmt::format("test {}", Quote(test.name)));
    for (const TestInvoice& invoice : test.invoices) {
      std::string text = fmt::format("invoice {}{} issued {} due {}", invoice.id.empty() ? "" : "\"" + invoice.id + "\" ",
                                     MoneyText(invoice.amount), invoice.issued.ToIso(), invoice.due.ToIso());
      for (const FieldSetting& field : invoice.fields) text += ", " + FieldText(field);
      Line(1, text);
    }
    for (const FieldSetting& field : test.customer) Line(1, "customer " + FieldText(field));
    for (const TestEvent& event : test.events) {
      switch (event.kind) {
        case TestEventKind::Payment:
          Line(1, fmt::format("payment {} on {} for invoice {}", MoneyText(event.amount), event.date.ToIso(), event.invoice));
          break;
        case TestEventKind::Dispute:
          Line(1, fmt::format("dispute from {} to {} for invoice {}", event.date.ToIso(),
                              event.end ? event.end->ToIso() : std::string("open"), event.invoice));
          break;
        case TestEventKind::Promise:
          Line(1, fmt::format("promise {} for invoice {}", event.date.ToIso(), event.invoice));
          break;
      }
    }
    if (test.horizon) Line(1, "horizon " + DurationToString(*test.horizon));
    for (const Expectation& expectation : test.expectations) {
      switch (expectation.kind) {
        case ExpectationKind::ActionAt:
          Line(1, fmt::format("expect {}{} at {}", ActionSpelling(expectation.action),
                              expectation.argument ? " " + ValueToString(*expectation.argument) : std::string(),
                              expectation.date.ToIso()));
          break;
        case ExpectationKind::Never: Line(1, fmt::format("expect never {}", ActionSpelling(expectation.action))); break;
        case ExpectationKind::BalanceAt:
          Line(1, fmt::format("expect balance {} at {}",
                              expectation.argument ? ValueToString(*expectation.argument) : std::string("?"),
                              expectation.date.ToIso()));
          break;
      }
    }
  }

  const PolicyIr& ir_;
  bool by_label_ = false;
  std::string out_;
};

}  // namespace

std::string PrintPolicyIr(const PolicyIr& ir) { return Printer(ir).Print(); }

std::string PrintTrigger(const PolicyIr& ir, const Trigger& trigger) { return Printer(ir, true).TriggerText(trigger); }

std::string PrintExpression(const PolicyIr& ir, ExpressionId id) { return Printer(ir, true).Expr(id); }

std::string PrintAction(const PolicyIr& ir, const Action& action) { return Printer(ir, true).ActionText(action); }

}  // namespace recoup::compiler
