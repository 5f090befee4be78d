// `recoup explain` for a person: a day-by-day timeline, then the steps that
// never came up, then the balance at the horizon.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "tools/recoup/explain_command.h"

namespace recoup::driver {
namespace {

using compiler::ActionKind;
using compiler::LedgerEvent;

constexpr const char* kIndent = "                       ";  // under the text column

std::string Amount(runtime::Money money) { return runtime::ToString(money); }

std::string Reads(const std::vector<compiler::GuardRead>& reads) {
  std::string text;
  for (const compiler::GuardRead& read : reads) text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", read.name, read.value);
  return text;
}

std::string SourceText(const ExplainView& view, language::SourceRange range) {
  const std::string& text = view.sources.Get(range.file).text();
  if (range.end <= range.begin || range.end > text.size()) return "";
  return text.substr(range.begin, range.end - range.begin);
}

// "guard `X` was true (reads)", for a step with a guard.
std::string GuardSentence(const ExplainView& view, const compiler::Step& step, bool passed,
                          const std::vector<compiler::GuardRead>& reads) {
  std::string written = SourceText(view, step.guard_range);
  bool value = step.guard_written_unless ? !passed : passed;
  std::string sentence = fmt::format("{} `{}` was {}", step.guard_written_unless ? "unless" : "if", written,
                                     value ? "true" : "false");
  if (!reads.empty()) sentence += fmt::format(" ({})", Reads(reads));
  return sentence;
}

std::string ActionLine(const compiler::ActionRecord& action, bool customer) {
  std::string line = compiler::ActionSpelling(action.kind);
  if (!action.text.empty()) line += fmt::format(" \"{}\"", action.text);
  switch (action.kind) {
    case ActionKind::Fee:
      line = fmt::format("fee {}", Amount(*action.amount));
      if (!action.detail.empty()) line += fmt::format(" ({})", action.detail);
      // A fee is no ledger event: its line says which invoice carries it.
      if (customer && !action.invoices.empty()) line += " on " + action.invoices.front();
      break;
    case ActionKind::Interest:
      line = fmt::format("interest {}", action.detail);
      if (action.amount) line += fmt::format(", {} posted by the horizon", Amount(*action.amount));
      break;
    case ActionKind::WriteOff: line = fmt::format("write off {}", Amount(*action.amount)); break;
    case ActionKind::Task:
    case ActionKind::Agency: line += " " + action.detail; break;
    default: break;
  }
  if (action.cost.minor != 0) line += fmt::format(", cost {}", Amount(action.cost));
  if (customer && action.kind != ActionKind::Fee && !action.invoices.empty()) {
    std::string invoices;
    for (const std::string& id : action.invoices) invoices += (invoices.empty() ? "" : ", ") + id;
    line += fmt::format(" [{}]", invoices);
  }
  return line;
}

std::string LedgerLine(const ExplainView& view, const LedgerEvent& event) {
  std::string on = event.invoice.empty() ? "" : " on " + event.invoice;
  switch (event.kind) {
    case LedgerEvent::Kind::Payment: {
      std::string line = fmt::format("payment {}{}:", Amount(event.amount), on);
      std::vector<std::string> parts;
      if (event.to_fees.minor) parts.push_back(fmt::format("{} to fees", runtime::ToPlainString(event.to_fees)));
      if (event.to_interest.minor) parts.push_back(fmt::format("{} to interest", runtime::ToPlainString(event.to_interest)));
      if (event.to_principal.minor) parts.push_back(fmt::format("{} to principal", runtime::ToPlainString(event.to_principal)));
      if (event.unapplied.minor) parts.push_back(fmt::format("{} unapplied (nothing left to pay)", runtime::ToPlainString(event.unapplied)));
      for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : " ") + parts[i];
      return line;
    }
    case LedgerEvent::Kind::InterestPosted: return fmt::format("interest posted {}{} ({})", Amount(event.amount), on, event.detail);
    case LedgerEvent::Kind::WrittenOff: return fmt::format("written off {}{}", Amount(event.amount), on);
    case LedgerEvent::Kind::DisputeOpened: return fmt::format("dispute opened{}", on);
    case LedgerEvent::Kind::DisputeResolved: return fmt::format("dispute resolved{}", on);
    case LedgerEvent::Kind::PromiseMade: return fmt::format("promise to pay{} on {}", on, event.detail);
    case LedgerEvent::Kind::Unneeded: return event.detail;
    case LedgerEvent::Kind::Deferred:
      return fmt::format("deferred: {}, {}: inside a {} pause", DescribeCause(view, {compiler::Cause::Kind::Step, event.step}),
                         TriggerText(view, event.step), event.detail);
  }
  return "";
}

std::string NotFiredSentence(const ExplainView& view, const compiler::NotFired& entry) {
  using compiler::NotFiredReason;
  std::string reason = compiler::NotFiredReasonText(entry.reason);
  switch (entry.reason) {
    case NotFiredReason::GuardFalse:
      if (entry.cause.kind == compiler::Cause::Kind::Step) {
        reason += ": " + GuardSentence(view, view.policy.steps.at(entry.cause.index), false, entry.guard_reads);
      }
      break;
    case NotFiredReason::PauseSkipped: reason += fmt::format(" (inside a {} pause)", entry.detail); break;
    case NotFiredReason::PausedUntilHorizon: reason += fmt::format(" (a {} pause, from {})", entry.detail, entry.date->ToIso()); break;
    case NotFiredReason::AnchorNeverFired:
      if (entry.related_step != compiler::kNoId) reason = fmt::format("its anchor {} never fired", DescribeCause(view, {compiler::Cause::Kind::Step, entry.related_step}));
      break;
    case NotFiredReason::AfterHorizon:
      if (entry.date) reason = fmt::format("its date {} is after the horizon {}", entry.date->ToIso(), view.result.horizon.ToIso());
      else reason += fmt::format(" ({})", entry.detail);
      break;
    case NotFiredReason::BeforeIssue: reason += fmt::format(" ({})", entry.detail); break;
    case NotFiredReason::UntilReached: reason += fmt::format(" ({})", entry.detail); break;
    case NotFiredReason::MaxReached: reason += fmt::format(" ({} times)", entry.detail); break;
    default:
      if (!entry.detail.empty()) reason += fmt::format(" (on {})", entry.detail);
      break;
  }
  return reason;
}

// Reasons that end a recurring step normally rather than stop it firing.
bool Ends(compiler::NotFiredReason reason) {
  return reason == compiler::NotFiredReason::UntilReached || reason == compiler::NotFiredReason::MaxReached;
}

struct Line {
  runtime::Date date;
  std::uint32_t sequence;
  std::vector<std::string> text;  // first line, then continuation lines
};

}  // namespace

std::string ExplainActionLine(const compiler::ActionRecord& action, bool customer) { return ActionLine(action, customer); }

std::string ExplainLedgerLine(const ExplainView& view, const compiler::LedgerEvent& event) { return LedgerLine(view, event); }

std::string RenderExplainText(const ExplainView& view) {
  const compiler::PolicyIr& policy = view.policy;
  const compiler::InterpretResult& result = view.result;
  bool customer = policy.header.subject == compiler::SubjectKind::Customer;
  std::string out = fmt::format("policy \"{}\"{}: subject {}, currency {}, calendar {}\n", policy.header.name,
                                policy.header.version.empty() ? "" : fmt::format(" version \"{}\"", policy.header.version),
                                customer ? "customer" : "invoice", runtime::InfoOf(policy.header.currency).code,
                                policy.header.calendar.name);
  for (const compiler::InvoiceFacts& invoice : view.facts.invoices) {
    out += fmt::format("invoice {}: {}, issued {}, due {}\n", invoice.id, Amount(invoice.amount), invoice.issue.ToIso(),
                       invoice.due.ToIso());
  }
  for (const compiler::NotCovered& skipped : result.not_covered) {
    out += fmt::format("invoice {} is not covered: {}\n", skipped.invoice, skipped.reason);
  }
  if (result.invoices.empty()) {
    out += "no invoice is covered by the policy: nothing to evaluate\n";
  } else {
    out += fmt::format("evaluated from {} to the horizon {} ({})\n", result.start.ToIso(), result.horizon.ToIso(),
                       RelativeToDue(view, result.horizon));
  }
  if (view.facts.invoices.size() > 1) out += "days like due+30 count from the earliest due date\n";

  std::vector<Line> lines;
  for (const compiler::Firing& firing : result.firings) {
    Line line{firing.date, firing.sequence, {}};
    for (const compiler::ActionRecord& action : firing.actions) line.text.push_back(ActionLine(action, customer));
    std::string why = "why: " + DescribeCause(view, firing.cause);
    if (firing.cause.kind == compiler::Cause::Kind::Step) {
      const compiler::Step& step = policy.steps.at(firing.cause.index);
      why += ", " + TriggerText(view, firing.cause.index);
      if (step.trigger.kind == compiler::TriggerKind::Every) why += fmt::format(" (occurrence {})", firing.occurrence + 1);
      if (firing.scheduled != firing.date) why += fmt::format(", deferred from {}", firing.scheduled.ToIso());
      if (step.guard != compiler::kNoId) why += "; " + GuardSentence(view, step, true, firing.guard_reads);
    } else {
      const compiler::Stop& stop = policy.stops.at(firing.cause.index);
      if (stop.when_paid) {
        why += ": everything owed is paid";
      } else {
        why += fmt::format(": `{}` was true", SourceText(view, policy.expression(stop.condition).range));
        if (!firing.guard_reads.empty()) why += fmt::format(" ({})", Reads(firing.guard_reads));
        line.text.push_back("the policy ends here for this subject");
      }
    }
    line.text.push_back(why);
    lines.push_back(std::move(line));
  }
  for (const compiler::LedgerEvent& event : result.ledger) {
    if (event.kind == LedgerEvent::Kind::WrittenOff && !customer) continue;  // the action line shows it
    lines.push_back({event.date, event.sequence, {LedgerLine(view, event)}});
  }
  for (const compiler::NotFired& entry : result.not_fired) {
    if (entry.decided_at_end || !entry.date) continue;
    lines.push_back({*entry.date, entry.sequence,
                     {fmt::format("{}: {}, {}: {}", Ends(entry.reason) ? "ends" : "not fired", DescribeCause(view, entry.cause),
                                  entry.cause.kind == compiler::Cause::Kind::Step ? TriggerText(view, entry.cause.index) : "",
                                  NotFiredSentence(view, entry))}});
  }
  // What is owed after each day on which money moved, last in that day.
  std::vector<runtime::Date> money_days;
  for (const compiler::LedgerEvent& event : result.ledger) {
    if (event.kind == LedgerEvent::Kind::Payment || event.kind == LedgerEvent::Kind::InterestPosted ||
        event.kind == LedgerEvent::Kind::WrittenOff) {
      money_days.push_back(event.date);
    }
  }
  for (const compiler::Firing& firing : result.firings) {
    for (const compiler::ActionRecord& action : firing.actions) {
      if (action.kind == ActionKind::Fee || action.kind == ActionKind::WriteOff) money_days.push_back(firing.date);
    }
  }
  for (const compiler::BalancePoint& point : result.balances) {
    if (std::find(money_days.begin(), money_days.end(), point.date) == money_days.end()) continue;
    lines.push_back({point.date, UINT32_MAX,
                     {fmt::format("owed: {} (principal {}, fees {}, interest {})", Amount(point.open),
                                  runtime::ToPlainString(point.principal), runtime::ToPlainString(point.fees),
                                  runtime::ToPlainString(point.interest))}});
  }
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return std::tie(a.date, a.sequence) < std::tie(b.date, b.sequence); });
  out += "\ntimeline\n";
  if (lines.empty()) out += "  nothing happens\n";
  for (const Line& line : lines) {
    out += fmt::format("  {}  {:<8} {}\n", line.date.ToIso(), RelativeToDue(view, line.date), line.text.front());
    for (std::size_t i = 1; i < line.text.size(); ++i) out += fmt::format("{}{}\n", kIndent, line.text[i]);
  }

  bool header_written = false;
  for (const compiler::NotFired& entry : result.not_fired) {
    if (!entry.decided_at_end) continue;
    if (!header_written) out += "\nnever fired\n";
    header_written = true;
    out += fmt::format("  {}, {}: {}\n", DescribeCause(view, entry.cause), TriggerText(view, entry.cause.index),
                       NotFiredSentence(view, entry));
  }

  const compiler::MoneyTotals& totals = result.totals;
  out += fmt::format("\nat the horizon ({})\n", result.horizon.ToIso());
  auto row = [&](const char* name, runtime::Money money) { out += fmt::format("  {:<20}{:>16}\n", name, Amount(money)); };
  row("invoiced", totals.amount);
  row("fees charged", totals.fees_charged);
  row("interest charged", totals.interest_charged);
  row("collected", totals.collected);
  row("  applied", totals.applied);
  row("  unapplied", totals.unapplied);
  row("written off", totals.written_off);
  row("still owed", totals.open);
  row("  principal", totals.principal);
  row("  fees", totals.fees);
  row("  interest", totals.interest);
  if (customer) {
    for (const compiler::InvoiceSummary& invoice : result.invoices) {
      out += fmt::format("  {}: owes {}{}\n", invoice.id, Amount(invoice.totals.open),
                         invoice.settled_on ? fmt::format(", paid in full on {}", invoice.settled_on->ToIso())
                                            : invoice.written_off ? ", written off" : "");
    }
  }
  out += result.conservation_ok ? "money conserved: invoiced + fees + interest = applied + written off + still owed\n"
                                 : "MONEY NOT CONSERVED: " + result.conservation_detail + "\n";
  return out;
}

}  // namespace recoup::driver
