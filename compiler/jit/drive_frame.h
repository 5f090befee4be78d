// What one run of the generated driver (`recoup_drive`, driver_codegen.h)
// keeps on its stack and passes to every generated function, in a plain
// layout the generated code reads by offset and the JIT's own services
// (engine_steps_jit.cpp) read as this struct. A cached object reads it at
// the offsets it was compiled with, so the layout is part of the cache key
// (FrameLayoutText, compiled_policy.cpp).
// Internal to compiler/jit/; no LLVM here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"

namespace recoup::compiler::jit::driver {

// The engine driver's bound on occurrences searched (engine_driver.cpp).
constexpr std::int64_t kMaxOccurrenceSearch = 100000;

// A step's next chance (DriveFrame::chance), as the interpreter engine's:
// not known (try it on every wake day until it is), or never.
constexpr std::int32_t kChanceUnknown = abi::kNoDate;
constexpr std::int32_t kChanceNever = std::numeric_limits<std::int32_t>::max();

// What one run of recoup_drive remembers between the generated functions
// (on recoup_drive's stack; every internal function gets it as its last
// argument). `epoch` moves whenever money may have moved (payments, a
// firing, the end of a day), so a value computed for (day, epoch) stays
// true until then.
struct DriveFrame {
  std::int64_t epoch;
  // The invoice the due/issue anchors read on anchor_day in anchor_epoch
  // (recoup_anchor_invoice: a customer's oldest open one, kNoIndex when
  // none is open; an invoice subject's own).
  std::int64_t anchor_epoch;
  std::int32_t anchor_day;
  std::int32_t anchor_invoice;
  // That invoice's account (an index into the run's accounts, kNoIndex
  // when none is open), and the leading accounts closed for good
  // (recoup_jit_anchor_account's `skip`).
  std::int32_t anchor_account;
  std::uint32_t account_skip;
  // The subject's payments are in date order (recoup_jit_payments_by_date):
  // the ones not yet applied start at payment_cursor.
  std::uint8_t payments_by_date;
  std::uint32_t payment_cursor;
  // The run's fact days in order with what falls on each
  // (recoup_jit_fact_days), fact_count of them, the ones before the
  // current day skipped by fact_cursor: the facts of a run never change, so
  // no day strictly between two of them is a fact day (no payment,
  // dispute, promise, issue date, probe or horizon).
  const FactDays::Entry* fact_days;
  std::int32_t fact_count;
  std::int32_t fact_cursor;
  // An invoice subject's steps, as the interpreter engine's driver
  // (engine_driver.cpp): per step its next chance, the first day on which
  // it can decide anything (a day, kChanceUnknown or kChanceNever); the
  // smallest chance when the wake day was chosen (no step has one before;
  // kChanceUnknown when not worked out); whether a step others count from
  // first fired in the pass being run.
  std::int32_t* chance;
  // Per step: an `at` step's date once known, when its anchor is fixed but
  // not inline (business days, end of month); kNoDate until then.
  std::int32_t* fixed_date;
  std::int32_t earliest_chance;
  std::uint8_t dates_moved;
  // Whether an invoice subject is closed for good, remembered: the epoch in
  // which it was found not settled (settling takes a payment, which starts
  // a new epoch), and, without interest (what is owed then does not depend
  // on the day), the one in which it was found closed for good.
  std::int64_t open_epoch;
  std::int64_t closed_epoch;
  // A customer subject under a policy with no fee or interest action:
  // recoup_jit_anchor_account may skip the leading accounts closed for good
  // (account_skip).
  std::uint8_t skip_closed;
  // An invoice subject's anchor invoice never changes during a run: its
  // due and issue dates, read once when the run starts (0 when it has
  // none, as the anchor's date then).
  std::int32_t anchor_due;
  std::int32_t anchor_issue;
};

// The generated code addresses the frame by offsetof, in a buffer aligned
// to 16 bytes.
static_assert(std::is_standard_layout_v<DriveFrame>);
static_assert(alignof(DriveFrame) <= 16);

// The frame's size and every field's offset (a new field goes in the
// list), for the object cache's key: an object compiled against another
// layout is never reused.
inline std::string FrameLayoutText() {
  std::string text = "DriveFrame " + std::to_string(sizeof(DriveFrame));
  for (std::size_t offset :
       {offsetof(DriveFrame, epoch), offsetof(DriveFrame, anchor_epoch), offsetof(DriveFrame, anchor_day),
        offsetof(DriveFrame, anchor_invoice), offsetof(DriveFrame, anchor_account), offsetof(DriveFrame, account_skip),
        offsetof(DriveFrame, payments_by_date), offsetof(DriveFrame, payment_cursor), offsetof(DriveFrame, fact_days),
        offsetof(DriveFrame, fact_count), offsetof(DriveFrame, fact_cursor), offsetof(DriveFrame, chance),
        offsetof(DriveFrame, fixed_date), offsetof(DriveFrame, earliest_chance), offsetof(DriveFrame, dates_moved),
        offsetof(DriveFrame, open_epoch), offsetof(DriveFrame, closed_epoch), offsetof(DriveFrame, skip_closed),
        offsetof(DriveFrame, anchor_due), offsetof(DriveFrame, anchor_issue)}) {
    text += " " + std::to_string(offset);
  }
  return text;
}

// recoup_jit_decide_step's `checks`: the step's date was located on the
// day (else its occurrence waits behind a pause), for the first time.
constexpr std::uint8_t kDecideLocated = 1;
constexpr std::uint8_t kDecideFirstKnown = 2;

// A step's generated recoup_locate_N (driver_steps.cpp): its date on
// `day` as a DateStatus, the date, the occurrence's index (recurring) and
// the step it waits for.
using LocateStepFunction = void (*)(abi::RunState* run, std::int32_t day, std::uint8_t* status, std::int32_t* date,
                                    std::int64_t* index, std::int32_t* waiting, DriveFrame* frame);
struct LocatedStep {
  std::uint8_t status;
  std::int32_t date;
  std::int64_t index;
  std::int32_t waiting;
};

}  // namespace recoup::compiler::jit::driver
