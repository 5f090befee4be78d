#include "language/ast_printer.h"

#include <fmt/format.h>

#include "language/parse_words.h"

namespace recoup::language {
namespace {

std::string DecimalText(const Decimal& value) {
  std::string digits = std::to_string(value.digits);
  if (value.scale == 0) return digits;
  if (digits.size() <= value.scale) digits.insert(0, value.scale - digits.size() + 1, '0');
  digits.insert(digits.size() - value.scale, ".");
  return digits;
}

std::string DateText(const DateLiteral& date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

// Text as a quoted literal, so that spaces and line breaks stay visible.
std::string Quoted(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      default: quoted += c;
    }
  }
  return quoted + "\"";
}

std::string NameText(const Name& name) {
  return name.qualifier.empty() ? name.text : name.qualifier + "." + name.text;
}

const char* UnitText(DurationUnit unit, bool one) {
  switch (unit) {
    case DurationUnit::Days: return one ? "day" : "days";
    case DurationUnit::BusinessDays: return one ? "business day" : "business days";
    case DurationUnit::Weeks: return one ? "week" : "weeks";
  }
  return "?";
}

const char* AnchorKindText(AnchorKind kind) {
  switch (kind) {
    case AnchorKind::Due: return "due";
    case AnchorKind::Issue: return "issue";
    case AnchorKind::Promise: return "promise";
    case AnchorKind::Label: return "label";
    case AnchorKind::EndOfMonth: return "end of month of";
  }
  return "?";
}

const char* HeaderKindText(HeaderKind kind) {
  switch (kind) {
    case HeaderKind::Policy: return "policy";
    case HeaderKind::Version: return "version";
    case HeaderKind::Currency: return "currency";
    case HeaderKind::Calendar: return "calendar";
    case HeaderKind::AppliesTo: return "applies to";
    case HeaderKind::Subject: return "subject";
    case HeaderKind::AfterAgency: return "after agency";
    case HeaderKind::Costs: return "costs";
    case HeaderKind::Settlement: return "payments settle";
  }
  return "?";
}

constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

class Printer {
 public:
  Printer(const SyntaxTree& tree, const SourceFile& file, TreePositions positions)
      : tree_(tree), file_(file), positions_(positions) {}

  std::string Print() {
    Line(0, "file", fmt::format("{}", file_.path()));
    for (const Import& import : tree_.imports) {
      Line(1, "import", import.range,
           Quoted(import.path) + (import.alias ? " as " + import.alias->text : ""));
    }
    for (const Constant& constant : tree_.constants) {
      Line(1, "const", constant.range, NameText(constant.name));
      Expr(2, constant.value);
    }
    for (const Attribute& attribute : tree_.attributes) {
      Line(1, "attribute", attribute.range,
           fmt::format("{}.{}: {}", attribute.object == FieldObject::Invoice ? "invoice" : "customer",
                       attribute.name.text, TypeNameSpelling(attribute.type)));
    }
    for (const Calendar& calendar : tree_.calendars) PrintCalendar(calendar);
    for (const CostTable& table : tree_.cost_tables) PrintCosts(1, table);
    for (const HeaderLine& line : tree_.header) PrintHeader(line);
    for (const Template& definition : tree_.templates) {
      std::string parameters;
      for (const Parameter& parameter : definition.parameters) {
        parameters += fmt::format("{}{}: {}", parameters.empty() ? "" : ", ", parameter.name.text,
                                  TypeNameSpelling(parameter.type));
      }
      Line(1, "template", definition.range, fmt::format("{}({})", definition.name.text, parameters));
      PrintBody(2, definition.body);
    }
    PrintBody(1, tree_.body);
    for (const PolicyTest& test : tree_.tests) PrintTest(test);
    return std::move(out_);
  }

 private:
  void Line(int depth, const char* kind, const std::string& detail) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += kind;
    if (!detail.empty()) out_ += " " + detail;
    out_ += "\n";
  }

  void Line(int depth, const char* kind, SourceRange range, const std::string& detail = "") {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += kind;
    if (positions_ == TreePositions::Shown) {
      LineColumn at = file_.Locate(range.begin);
      out_ += fmt::format(" {}:{}", at.line, at.column);
    }
    if (!detail.empty()) out_ += " " + detail;
    out_ += "\n";
  }

  // Recursion is bounded: the parser refuses expressions deeper than
  // kMaxExpressionDepth and anchors nested deeper than kMaxNestingDepth.
  void Expr(int depth, ExpressionId id, const char* role = nullptr) {
    if (id == kNone) return;
    const Expression& e = tree_.expression(id);
    std::string prefix = role ? fmt::format("{}: ", role) : "";
    auto line = [&](const char* kind, const std::string& detail) {
      Line(depth, (prefix + kind).c_str(), e.range, detail);
    };
    switch (e.kind) {
      case ExpressionKind::Number: line("number", DecimalText(e.decimal)); break;
      case ExpressionKind::Money: line("money", DecimalText(e.decimal) + " " + e.currency); break;
      case ExpressionKind::Percent: line("percent", DecimalText(e.decimal) + "%"); break;
      case ExpressionKind::Duration:
        line("duration", DecimalText(e.decimal) + " " + UnitText(e.duration_unit, e.decimal.digits == 1));
        break;
      case ExpressionKind::Date: line("date", DateText(e.date)); break;
      case ExpressionKind::Text: line("text", Quoted(e.text)); break;
      case ExpressionKind::Bool: line("bool", e.bool_value ? "true" : "false"); break;
      case ExpressionKind::NameRef: line("name", NameText(e.name)); break;
      case ExpressionKind::Field:
        line("field", fmt::format("{}.{}", e.object == FieldObject::Invoice ? "invoice" : "customer", e.name.text));
        break;
      case ExpressionKind::Today: line("today", ""); break;
      case ExpressionKind::Fired: line("fired", e.name.text); break;
      case ExpressionKind::List: line("list", fmt::format("({} items)", e.operands.size())); break;
      case ExpressionKind::Unary: line("unary", e.unary_op == UnaryOperator::Not ? "not" : "-"); break;
      case ExpressionKind::Binary: line("binary", BinaryOperatorSpelling(e.binary_op)); break;
      case ExpressionKind::In: line("in", ""); break;
      case ExpressionKind::PerYear: line("per year", ""); break;
    }
    for (ExpressionId operand : e.operands) Expr(depth + 1, operand);
  }

  void PrintAnchor(int depth, AnchorId id, const char* role) {
    if (id == kNone) return;
    const Anchor& anchor = tree_.anchor(id);
    std::string detail = AnchorKindText(anchor.kind);
    if (anchor.kind == AnchorKind::Label) detail += " " + anchor.label.text;
    Line(depth, fmt::format("{}: anchor", role).c_str(), anchor.range, detail);
    PrintAnchor(depth + 1, anchor.inner, "inner");
    PrintOffsets(depth + 1, anchor.offsets);
  }

  void PrintOffsets(int depth, const std::vector<AnchorOffset>& offsets) {
    for (const AnchorOffset& offset : offsets) {
      Line(depth, "offset", offset.range, offset.negative ? "-" : "+");
      Expr(depth + 1, offset.duration);
    }
  }

  void PrintAction(int depth, const Action& action) {
    std::string detail = ActionKindName(action.kind);
    if (action.kind == ActionKind::Task) detail += action.task_target == TaskTarget::Queue ? " (queue)" : " (owner)";
    if (action.kind == ActionKind::Fee) {
      detail += action.fee_basis == FeeBasis::Flat      ? " (flat)"
                : action.fee_basis == FeeBasis::Balance ? " (of balance)"
                                                        : " (of amount)";
    }
    Line(depth, "action", action.range, detail);
    Expr(depth + 1, action.subject, "subject");
    Expr(depth + 1, action.value, "value");
    Expr(depth + 1, action.fee_min, "min");
    Expr(depth + 1, action.fee_max, "max");
    PrintAnchor(depth + 1, action.interest_from, "from");
  }

  void PrintStep(int depth, const Step& step) {
    Line(depth, "step", step.range, step.label ? "label=" + step.label->text : "");
    const Trigger& trigger = step.trigger;
    std::string detail = trigger.kind == TriggerKind::At ? "at" : "every";
    if (trigger.written_before_after) detail += " (written before/after)";
    if (trigger.until_agency) detail += " until agency";
    Line(depth + 1, "trigger", trigger.range, detail);
    Expr(depth + 2, trigger.period, "period");
    PrintAnchor(depth + 2, trigger.anchor, "from");
    PrintAnchor(depth + 2, trigger.until, "until");
    Expr(depth + 2, trigger.max_times, "max");
    for (const Action& action : step.actions) PrintAction(depth + 1, action);
    if (step.guard_kind != GuardKind::None) {
      Expr(depth + 1, step.guard, step.guard_kind == GuardKind::If ? "if" : "unless");
    }
  }

  void PrintBody(int depth, const Body& body) {
    for (const BodyItem& item : body.order) {
      switch (item.kind) {
        case BodyItemKind::Step: PrintStep(depth, body.steps[item.index]); break;
        case BodyItemKind::Pause: {
          const Pause& pause = body.pauses[item.index];
          Line(depth, "pause", pause.range,
               fmt::format("on {}: {}{}", pause.reason == PauseReason::Dispute ? "dispute" : "promise",
                           pause.rule == PauseRule::Defer ? "defer" : "skip",
                           pause.rule_written ? "" : " (default)"));
          Expr(depth + 1, pause.grace, "grace");
          break;
        }
        case BodyItemKind::Stop: {
          const Stop& stop = body.stops[item.index];
          Line(depth, "stop", stop.range, stop.when_paid ? "when paid" : "when");
          Expr(depth + 1, stop.condition, "condition");
          for (const Action& action : stop.actions) PrintAction(depth + 1, action);
          break;
        }
        case BodyItemKind::Use: {
          const Use& use = body.uses[item.index];
          Line(depth, "use", use.range, NameText(use.template_name));
          for (const TemplateArgument& argument : use.arguments) {
            Expr(depth + 1, argument.value, argument.parameter.text.c_str());
          }
          break;
        }
      }
    }
  }

  void PrintCalendar(const Calendar& calendar) {
    std::string weekend;
    for (Weekday day : calendar.weekend) {
      weekend += fmt::format("{}{}", weekend.empty() ? "" : ", ", kWeekdays[static_cast<int>(day)]);
    }
    Line(1, "calendar", calendar.range, calendar.name.text + " weekend=[" + weekend + "]");
    for (const Holiday& holiday : calendar.holidays) {
      Line(2, "holiday", holiday.range, DateText(holiday.date) + " " + Quoted(holiday.description));
    }
  }

  void PrintCosts(int depth, const CostTable& table) {
    Line(depth, "costs", table.range, table.name.text.empty() ? "(inline)" : table.name.text);
    for (const CostEntry& entry : table.entries) {
      Line(depth + 1, "cost", entry.range, ActionKindName(entry.action));
      Expr(depth + 2, entry.cost);
    }
  }

  void PrintHeader(const HeaderLine& line) {
    std::string detail;
    switch (line.kind) {
      case HeaderKind::Policy:
      case HeaderKind::Version: detail = Quoted(line.text); break;
      case HeaderKind::Currency: detail = line.text; break;
      case HeaderKind::Calendar: detail = NameText(line.name); break;
      case HeaderKind::AppliesTo: break;
      case HeaderKind::Subject: detail = line.subject == SubjectKind::Invoice ? "invoice" : "customer"; break;
      case HeaderKind::AfterAgency: detail = line.continue_after_agency ? "continue" : "stop"; break;
      case HeaderKind::Costs: detail = line.inline_costs ? "(inline)" : NameText(line.name); break;
      case HeaderKind::Settlement:
        for (OwedPartName part : line.settlement) {
          if (!detail.empty()) detail += ", ";
          detail += part == OwedPartName::Fees ? "fees" : part == OwedPartName::Interest ? "interest" : "principal";
        }
        break;
    }
    Line(1, fmt::format("header {}", HeaderKindText(line.kind)).c_str(), line.range, detail);
    Expr(2, line.condition);
    if (line.inline_costs) {
      for (const CostEntry& entry : line.inline_costs->entries) {
        Line(2, "cost", entry.range, ActionKindName(entry.action));
        Expr(3, entry.cost);
      }
    }
  }

  void PrintFields(int depth, const std::vector<FieldValue>& fields) {
    for (const FieldValue& field : fields) Expr(depth, field.value, field.field.text.c_str());
  }

  void PrintTestDate(int depth, const TestDate& when) {
    std::string base = when.base == TestDate::Base::Date  ? DateText(when.date)
                       : when.base == TestDate::Base::Due ? "due"
                                                          : "issue";
    Line(depth, "at", when.range, base);
    PrintOffsets(depth + 1, when.offsets);
  }

  void PrintTest(const PolicyTest& test) {
    Line(1, "test", test.range, Quoted(test.name));
    for (const TestInvoice& invoice : test.invoices) {
      Line(2, "invoice", invoice.range,
           fmt::format("{}issued {} due {}", invoice.id.empty() ? "" : Quoted(invoice.id) + " ",
                       DateText(invoice.issued), DateText(invoice.due)));
      Expr(3, invoice.amount, "amount");
      PrintFields(3, invoice.fields);
    }
    if (!test.customer.empty()) {
      Line(2, "customer", "");
      PrintFields(3, test.customer);
    }
    for (const TestEvent& event : test.events) {
      const char* kind = event.kind == TestEventKind::Payment   ? "payment"
                         : event.kind == TestEventKind::Dispute ? "dispute"
                                                                : "promise";
      std::string detail = DateText(event.date);
      if (event.end) detail += " to " + DateText(*event.end);
      if (!event.invoice_id.empty()) detail += " for " + Quoted(event.invoice_id);
      Line(2, kind, event.range, detail);
      Expr(3, event.amount, "amount");
    }
    Expr(2, test.horizon, "horizon");
    for (const Expectation& expectation : test.expectations) {
      std::string detail = expectation.kind == ExpectationKind::BalanceAt ? "balance"
                           : expectation.kind == ExpectationKind::Never
                               ? std::string("never ") + ActionKindName(expectation.action)
                               : ActionKindName(expectation.action);
      Line(2, "expect", expectation.range, detail);
      Expr(3, expectation.argument, "argument");
      if (expectation.kind != ExpectationKind::Never) PrintTestDate(3, expectation.when);
    }
  }

  const SyntaxTree& tree_;
  const SourceFile& file_;
  TreePositions positions_;
  std::string out_;
};

}  // namespace

std::string PrintSyntaxTree(const SyntaxTree& tree, const SourceFile& file, TreePositions positions) {
  return Printer(tree, file, positions).Print();
}

}  // namespace recoup::language
