#include "compiler/interpreter_dates.h"

#include <algorithm>

namespace recoup::compiler::interpreter {
namespace {

// Far enough to be past any horizon, near enough not to overflow Date.
constexpr std::int64_t kFarDays = 10'000'000;

std::int32_t ClampDays(std::int64_t days) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(days, -kFarDays, kFarDays));
}

}  // namespace

runtime::Date Shift(runtime::Date date, Duration duration, std::int64_t times, const runtime::BusinessCalendar& calendar) {
  std::int32_t count = ClampDays(static_cast<std::int64_t>(duration.count) * times);
  if (duration.unit == DurationUnit::BusinessDays) return calendar.AddBusinessDays(date, count);
  return date.AddDays(count);
}

AnchorDate ComputeAnchor(const PolicyIr& policy, AnchorId id, const AnchorFacts& facts,
                         const runtime::BusinessCalendar& calendar) {
  const Anchor& anchor = policy.anchor(id);
  AnchorDate result;
  switch (anchor.base) {
    case AnchorBase::Due:
    case AnchorBase::Issue:
      if (facts.invoice == nullptr) return {DateStatus::NoOpenInvoice, {}, kNoId};
      result.date = anchor.base == AnchorBase::Due ? facts.invoice->due : facts.invoice->issue;
      break;
    case AnchorBase::Promise:
      if (!facts.has_promise) return {DateStatus::NoPromise, {}, kNoId};
      if (!facts.promised) return {DateStatus::WaitingForPromise, {}, kNoId};
      result.date = *facts.promised;
      break;
    case AnchorBase::Step: {
      const std::optional<runtime::Date>& fired = facts.first_fired->at(anchor.step);
      if (!fired) return {DateStatus::WaitingForStep, {}, anchor.step};
      result.date = *fired;
      break;
    }
    case AnchorBase::EndOfMonth: {
      AnchorDate inner = ComputeAnchor(policy, anchor.inner, facts, calendar);
      if (inner.status != DateStatus::Known) return inner;
      result.date = inner.date.EndOfMonth();
      break;
    }
  }
  for (const Offset& offset : anchor.offsets) result.date = Shift(result.date, offset.duration, 1, calendar);
  return result;
}

}  // namespace recoup::compiler::interpreter
