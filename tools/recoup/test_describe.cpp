// Words both `recoup test` renderers share: what an expectation asked for,
// what an action was, and why a failed expectation failed, in plain words.
#include <fmt/format.h>

#include <algorithm>

#include "tools/recoup/test_command.h"

namespace recoup::driver {
namespace {

using compiler::ActionKind;
using compiler::ExpectationOutcome;

// How a sentence names one kind of action: "a letter", "letter", "sent".
struct ActionWords {
  const char* with_article;
  const char* bare;
  const char* verb;  // past tense: "the policy sent none that day"
};

ActionWords WordsFor(ActionKind kind) {
  switch (kind) {
    case ActionKind::Email: return {"an email", "email", "sent"};
    case ActionKind::Sms: return {"an SMS", "SMS", "sent"};
    case ActionKind::Letter: return {"a letter", "letter", "sent"};
    case ActionKind::Call: return {"a call", "call", "made"};
    case ActionKind::Notice: return {"a notice", "notice", "sent"};
    case ActionKind::Task: return {"a task", "task", "created"};
    case ActionKind::Fee: return {"a fee", "fee", "charged"};
    case ActionKind::Interest: return {"interest", "interest", "started"};
    case ActionKind::SuspendService: return {"a service suspension", "service suspension", "ordered"};
    case ActionKind::ResumeService: return {"a resumption of service", "resumption of service", "ordered"};
    case ActionKind::HoldCredit: return {"a credit hold", "credit hold", "placed"};
    case ActionKind::ReleaseCredit: return {"a credit release", "credit release", "ordered"};
    case ActionKind::Agency: return {"an agency placement", "agency placement", "made"};
    case ActionKind::Legal: return {"legal action", "legal action", "started"};
    case ActionKind::WriteOff: return {"a write-off", "write-off", "made"};
  }
  return {"an action", "action", "took"};
}

// "a letter \"final-notice\"", "a fee of 40.00 USD", "an agency placement with \"Alacrity\"".
std::string Phrase(ActionKind kind, const std::string& text, std::optional<runtime::Money> amount) {
  std::string phrase = WordsFor(kind).with_article;
  if (kind == ActionKind::Agency && !text.empty()) return fmt::format("a placement with agency \"{}\"", text);
  if (kind == ActionKind::Legal && !text.empty()) return fmt::format("legal action through \"{}\"", text);
  if (kind == ActionKind::Interest) return phrase;
  if (!text.empty()) phrase += fmt::format(" \"{}\"", text);
  if (amount) phrase += fmt::format(" of {}", runtime::ToString(*amount));
  return phrase;
}

std::string ExpectedPhrase(const compiler::Expectation& expectation) {
  std::string text;
  std::optional<runtime::Money> amount;
  if (expectation.argument) {
    if (expectation.argument->type == compiler::Type::Money) {
      amount = expectation.argument->money;
    } else {
      text = expectation.argument->text;
    }
  }
  return Phrase(expectation.action, text, amount);
}

std::string TakenPhrase(const compiler::ActionRecord& action) {
  bool has_amount = action.kind == ActionKind::Fee || action.kind == ActionKind::WriteOff;
  return Phrase(action.kind, action.text, has_amount ? action.amount : std::nullopt);
}

// "a letter on 2026-03-03 (due+31) and a letter on 2026-04-02 (due+61)".
std::string OnDays(const ExplainView& view, const std::vector<compiler::TimelineAction>& actions) {
  constexpr std::size_t kShown = 3;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < actions.size() && i < kShown; ++i) {
    items.push_back(fmt::format("{} on {}", TakenPhrase(actions[i].action), DayText(view, actions[i].date)));
  }
  if (actions.size() > kShown) items.push_back(fmt::format("{} more", actions.size() - kShown));
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return text;
}

std::string ExpectedOwed(const compiler::Expectation& expectation) {
  return expectation.argument ? runtime::ToString(expectation.argument->money) : "a balance";
}

std::string OwedText(const compiler::BalancePoint& point) {
  return fmt::format("{} was owed (principal {}, fees {}, interest {})", runtime::ToString(point.open),
                     runtime::ToPlainString(point.principal), runtime::ToPlainString(point.fees),
                     runtime::ToPlainString(point.interest));
}

// Why a day the test names is not part of the run, or empty when it is.
std::string OutsideRun(const ExplainView& view, runtime::Date date) {
  if (date > view.result.horizon) {
    return fmt::format("that day is after the test's horizon, {}: lengthen the test's `horizon`",
                       DayText(view, view.result.horizon));
  }
  if (date < view.result.start) {
    return fmt::format("that day is before the run starts on the first issue date, {}", DayText(view, view.result.start));
  }
  return "";
}

// "; `final` (line 9), due that day, did not fire: the invoice was already
// paid" for each step with an action of the expected kind that was due on
// the expected day and did not fire.
std::string WhyNotThatDay(const TestView& view, const compiler::Expectation& expectation) {
  std::string why;
  for (const compiler::NotFired& entry : view.explain.result.not_fired) {
    if (entry.cause.kind != compiler::Cause::Kind::Step || entry.date != expectation.date) continue;
    if (entry.reason == compiler::NotFiredReason::UntilReached || entry.reason == compiler::NotFiredReason::MaxReached) {
      continue;
    }
    const compiler::Step& step = view.explain.policy.steps.at(entry.cause.index);
    bool has_kind = std::any_of(step.actions.begin(), step.actions.end(),
                                [&](const compiler::Action& action) { return action.kind == expectation.action; });
    if (!has_kind) continue;
    why += fmt::format("; {}, due that day, did not fire: {}", DescribeCause(view.explain, entry.cause),
                       compiler::NotFiredReasonText(entry.reason));
  }
  return why;
}

}  // namespace

std::string ExpectedText(const compiler::Expectation& expectation) {
  if (expectation.kind == compiler::ExpectationKind::BalanceAt) {
    return expectation.argument ? "balance " + runtime::ToString(expectation.argument->money) : "balance";
  }
  std::string text = compiler::ActionSpelling(expectation.action);
  if (expectation.kind == compiler::ExpectationKind::Never) return "never " + text;
  if (expectation.argument) {
    if (expectation.argument->type == compiler::Type::Money) {
      text += " " + runtime::ToString(expectation.argument->money);
    } else {
      text += fmt::format(" \"{}\"", expectation.argument->text);
    }
  }
  return text;
}

std::string TakenText(const compiler::ActionRecord& action) {
  std::string text = compiler::ActionSpelling(action.kind);
  switch (action.kind) {
    case ActionKind::Fee:
    case ActionKind::WriteOff:
      if (action.amount) text += " " + runtime::ToString(*action.amount);
      return text;
    case ActionKind::Interest: return action.detail.empty() ? text : text + " " + action.detail;
    default: break;
  }
  if (!action.text.empty()) text += fmt::format(" \"{}\"", action.text);
  return text;
}

std::string DayText(const ExplainView& view, runtime::Date date) {
  return fmt::format("{} ({})", date.ToIso(), RelativeToDue(view, date));
}

std::uint32_t LineOf(const ExplainView& view, language::SourceRange range) {
  return view.sources.Get(range.file).Locate(range.begin).line;
}

std::string ExplainOutcome(const TestView& view, const compiler::ExpectationResult& outcome) {
  const compiler::Expectation& expectation = view.test.expectations.at(outcome.index);
  const ExplainView& explain = view.explain;
  ActionWords words = WordsFor(expectation.action);
  switch (outcome.outcome) {
    case ExpectationOutcome::Passed: return "";
    case ExpectationOutcome::NoneThatDay: {
      std::string sentence = fmt::format("expected {} on {}, but the policy {} none that day",
                                         ExpectedPhrase(expectation), DayText(explain, expectation.date), words.verb);
      if (std::string outside = OutsideRun(explain, expectation.date); !outside.empty()) sentence += " (" + outside + ")";
      sentence += WhyNotThatDay(view, expectation);
      if (outcome.elsewhere.empty()) return sentence + fmt::format("; it never {} {} in this test", words.verb, words.with_article);
      return sentence + fmt::format("; it {} {}", words.verb, OnDays(explain, outcome.elsewhere));
    }
    case ExpectationOutcome::DifferentArgument: {
      std::string taken;
      for (std::size_t i = 0; i < outcome.actual.size(); ++i) {
        taken += (i ? " and " : "") + TakenPhrase(outcome.actual[i].action);
      }
      std::string sentence = fmt::format("expected {} on {}, but the policy {} {} that day", ExpectedPhrase(expectation),
                                         DayText(explain, expectation.date), words.verb, taken);
      std::vector<compiler::TimelineAction> matching;
      for (const compiler::TimelineAction& taken : outcome.elsewhere) {
        if (compiler::ActionMatches(expectation, taken.action)) matching.push_back(taken);
      }
      if (!matching.empty()) sentence += fmt::format("; it {} {}", words.verb, OnDays(explain, matching));
      return sentence;
    }
    case ExpectationOutcome::HappenedAnyway:
      return fmt::format("expected no {} at all, but the policy {} {}", words.bare, words.verb,
                         OnDays(explain, outcome.actual));
    case ExpectationOutcome::DifferentBalance:
      return fmt::format("expected {} owed at the end of {}, but {}", ExpectedOwed(expectation),
                         DayText(explain, expectation.date), OwedText(*outcome.balance));
    case ExpectationOutcome::DayOutsideRun:
      return fmt::format("expected {} owed at the end of {}, but {}", ExpectedOwed(expectation),
                         DayText(explain, expectation.date), OutsideRun(explain, expectation.date));
  }
  return "";
}

std::size_t CoveragePermille(std::size_t fired, std::size_t steps) {
  if (steps == 0) return 1000;
  return fired * 1000 / steps;
}

std::string PercentText(std::size_t permille) { return fmt::format("{}.{}%", permille / 10, permille % 10); }

}  // namespace recoup::driver
