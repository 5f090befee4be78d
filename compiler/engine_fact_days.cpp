// The subject's fact days, listed once per run for the interpreter driver
// (FactDays in engine_internal.h): the same days recoup_next_fact_day
// searches the facts for, each with what falls on it.
#include <limits>

#include "compiler/engine_internal.h"

namespace recoup::compiler {

using namespace abi;

void FactDays::Build(const RunState& run) {
  const SubjectView& subject = *run.subject;
  cursor = 0;
  start = run.start;
  paid_before_start = false;
  std::size_t pause_count = run.policy->ir->pauses.size();
  std::size_t most = run.accounts->count + subject.payment_count + 2 * subject.dispute_count +
                     subject.promise_count * (1 + pause_count) + run.probe_count + 1;
  if (storage.size() < most) storage.resize(most);
  Entry* list = storage.data();
  std::uint32_t size = 0;
  // Kept in order, one entry per day, as they are added: facts come
  // mostly in date order, so an entry is nearly always appended.
  auto add = [&](std::int32_t day, std::uint8_t facts) {
    std::uint32_t at = size;
    while (at > 0 && list[at - 1].day > day) --at;
    if (at > 0 && list[at - 1].day == day) {
      list[at - 1].facts |= facts;
      return;
    }
    for (std::uint32_t k = size; k > at; --k) list[k] = list[k - 1];
    list[at] = Entry{day, facts};
    ++size;
  };
  for (const Account& account : *run.accounts) add(account.issue, kOther);
  for (std::uint32_t p = 0; p < subject.payment_count; ++p) {
    std::int32_t date = subject.payments[p].date;
    add(date, kPayment);
    paid_before_start |= date < run.start;
  }
  for (std::uint32_t d = 0; d < subject.dispute_count; ++d) {
    add(subject.disputes[d].opened, kDispute);
    if (subject.disputes[d].resolved != kNoDate) add(subject.disputes[d].resolved, kDispute);
  }
  const std::int32_t* made = run.accounts->promise_made.data();
  for (std::uint32_t p = 0; p < subject.promise_count; ++p) {
    add(made[p], kPromiseMade);
    for (const Pause& pause : run.policy->ir->pauses) {
      if (pause.reason != PauseReason::Promise) continue;
      std::int32_t end = subject.promises[p].promised;
      if (pause.grace) end = Shift(&run, end, *pause.grace, 1);
      if (end < std::numeric_limits<std::int32_t>::max()) add(end + 1, kOther);
    }
  }
  for (std::uint32_t p = 0; p < run.probe_count; ++p) add(run.probes[p], kProbe);
  add(run.horizon, kOther);
  count = size;
  std::uint32_t at = size;
  while (list[at - 1].day != run.horizon) --at;  // the horizon is listed
  horizon_facts = list[at - 1].facts;
}

}  // namespace recoup::compiler
