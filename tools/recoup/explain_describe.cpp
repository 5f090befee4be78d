// Names and phrases both `explain` renderers share.
#include <fmt/format.h>

#include "tools/recoup/explain_command.h"

namespace recoup::driver {
namespace {

std::string CollapseSpaces(std::string_view text) {
  std::string collapsed;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  return collapsed;
}

std::string Where(const ExplainView& view, language::SourceRange range) {
  const language::SourceFile& file = view.sources.Get(range.file);
  std::uint32_t line = file.Locate(range.begin).line;
  if (file.path() == view.main_path) return fmt::format("line {}", line);
  return fmt::format("{}:{}", file.path(), line);
}

std::string DurationText(compiler::Duration duration) {
  std::int32_t count = duration.count < 0 ? -duration.count : duration.count;
  switch (duration.unit) {
    case compiler::DurationUnit::BusinessDays: return fmt::format("{}bd", count);
    case compiler::DurationUnit::Weeks:
      if (count % 7 == 0) return fmt::format("{}w", count / 7);
      return fmt::format("{}d", count);
    case compiler::DurationUnit::Days: break;
  }
  return fmt::format("{}d", count);
}

// An anchor as the checker resolved it (template parameters filled in).
std::string AnchorText(const compiler::PolicyIr& policy, compiler::AnchorId id) {
  const compiler::Anchor& anchor = policy.anchor(id);
  std::string text;
  switch (anchor.base) {
    case compiler::AnchorBase::Due: text = "due"; break;
    case compiler::AnchorBase::Issue: text = "issue"; break;
    case compiler::AnchorBase::Promise: text = "promise"; break;
    case compiler::AnchorBase::Step: text = anchor.label; break;
    case compiler::AnchorBase::EndOfMonth: text = "(end of month of " + AnchorText(policy, anchor.inner) + ")"; break;
  }
  for (const compiler::Offset& offset : anchor.offsets) {
    text += fmt::format(" {} {}", offset.duration.count < 0 ? "-" : "+", DurationText(offset.duration));
  }
  return text;
}

std::string ResolvedTriggerText(const compiler::PolicyIr& policy, const compiler::Trigger& trigger) {
  if (trigger.kind == compiler::TriggerKind::At) return "at " + AnchorText(policy, trigger.anchor);
  std::string text = fmt::format("every {} from {}", DurationText(trigger.period), AnchorText(policy, trigger.anchor));
  if (trigger.until == compiler::UntilKind::Agency) text += " until agency";
  if (trigger.until == compiler::UntilKind::Anchor) text += " until " + AnchorText(policy, trigger.until_anchor);
  if (trigger.max_times) text += fmt::format(" max {} times", *trigger.max_times);
  return text;
}

}  // namespace

std::string DescribeCause(const ExplainView& view, compiler::Cause cause) {
  if (cause.kind == compiler::Cause::Kind::Stop) {
    return fmt::format("stop rule ({})", Where(view, view.policy.stops.at(cause.index).range));
  }
  const compiler::Step& step = view.policy.steps.at(cause.index);
  std::string where = Where(view, step.range);
  if (!step.expanded_from.empty()) where += fmt::format(", from the `use` at {}", Where(view, step.expanded_from.back()));
  if (step.label) return fmt::format("`{}` ({})", *step.label, where);
  return where;
}

std::string TriggerText(const ExplainView& view, compiler::StepId id) {
  const compiler::Step& step = view.policy.steps.at(id);
  // A template's trigger names its parameters; show what they became.
  if (!step.expanded_from.empty()) return ResolvedTriggerText(view.policy, step.trigger);
  language::SourceRange range = step.trigger.range;
  const std::string& text = view.sources.Get(range.file).text();
  if (range.end <= range.begin || range.end > text.size()) return "";
  return CollapseSpaces(std::string_view(text).substr(range.begin, range.end - range.begin));
}

std::string RelativeToDue(const ExplainView& view, runtime::Date date) {
  runtime::Date due = view.facts.invoices.empty() ? date : view.facts.invoices.front().due;
  for (const compiler::InvoiceFacts& invoice : view.facts.invoices) {
    if (invoice.due < due) due = invoice.due;
  }
  std::int32_t days = date - due;
  if (days == 0) return "due";
  return fmt::format("due{}{}", days > 0 ? "+" : "", days);
}

const char* NotFiredReasonCode(compiler::NotFiredReason reason) {
  using compiler::NotFiredReason;
  switch (reason) {
    case NotFiredReason::GuardFalse: return "guard_false";
    case NotFiredReason::PauseSkipped: return "pause_skipped";
    case NotFiredReason::PausedUntilHorizon: return "paused_until_horizon";
    case NotFiredReason::SubjectSettled: return "settled";
    case NotFiredReason::SubjectWrittenOff: return "written_off";
    case NotFiredReason::SubjectPlaced: return "placed_with_agency";
    case NotFiredReason::SubjectStopped: return "stopped";
    case NotFiredReason::NoOpenInvoice: return "no_open_invoice";
    case NotFiredReason::AnchorNeverFired: return "anchor_never_fired";
    case NotFiredReason::NoPromise: return "no_promise";
    case NotFiredReason::BeforeIssue: return "before_issue";
    case NotFiredReason::AfterHorizon: return "after_horizon";
    case NotFiredReason::DatePassed: return "date_passed";
    case NotFiredReason::UntilReached: return "until_reached";
    case NotFiredReason::MaxReached: return "max_reached";
  }
  return "unknown";
}

}  // namespace recoup::driver
