// Step dates for the reference interpreter: anchors (due, issue, promise,
// another step's first firing, end of month) and offsets in calendar days,
// weeks and business days. Rules: docs/semantics.md section 3.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/calendar.h"
#include "runtime/date.h"

namespace recoup::compiler::interpreter {

// What anchors can see on one day.
struct AnchorFacts {
  const InvoiceFacts* invoice = nullptr;            // whose due/issue count; none: nothing open
  bool has_promise = false;                         // the facts hold a promise at all
  std::optional<runtime::Date> promised;            // the promise, once made
  const std::vector<std::optional<runtime::Date>>* first_fired = nullptr;  // per step
};

enum class DateStatus : std::uint8_t {
  Known,
  WaitingForStep,     // anchored to a step that has not fired (yet)
  WaitingForPromise,  // the promise is not made yet
  NoPromise,
  NoOpenInvoice,
};

struct AnchorDate {
  DateStatus status = DateStatus::Known;
  runtime::Date date;
  StepId waiting_for = kNoId;  // WaitingForStep
};

// The date `anchor` names on the day described by `facts`.
AnchorDate ComputeAnchor(const PolicyIr& policy, AnchorId anchor, const AnchorFacts& facts,
                         const runtime::BusinessCalendar& calendar);

// `date` moved by `times` x `duration` (calendar days, or business days
// counted with `calendar` from `date`, never step by step).
runtime::Date Shift(runtime::Date date, Duration duration, std::int64_t times, const runtime::BusinessCalendar& calendar);

}  // namespace recoup::compiler::interpreter
