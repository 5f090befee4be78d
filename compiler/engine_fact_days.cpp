// The subject's fact days, listed once per run for either driver (FactDays
// in engine_internal.h): the days recoup_next_fact_day searches the facts
// for (VisitFactDays), each with what falls on it.
#include <algorithm>

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
  VisitFactDays(run, [&](std::int32_t day, std::uint8_t facts) {
    list[size++] = Entry{day, facts};
    paid_before_start |= facts == kPayment && day < run.start;
  });
  // In order (insertion sort for the few facts of most subjects, a real
  // sort for a customer with many), then one entry per day.
  auto earlier = [](const Entry& a, const Entry& b) { return a.day < b.day; };
  if (size <= 16) {
    for (std::uint32_t i = 1; i < size; ++i) {
      Entry moving = list[i];
      std::uint32_t j = i;
      for (; j > 0 && moving.day < list[j - 1].day; --j) list[j] = list[j - 1];
      list[j] = moving;
    }
  } else {
    std::sort(list, list + size, earlier);
  }
  std::uint32_t kept = 0;
  for (std::uint32_t i = 0; i < size; ++i) {
    if (kept > 0 && list[kept - 1].day == list[i].day) {
      list[kept - 1].facts |= list[i].facts;
    } else {
      list[kept++] = list[i];
    }
  }
  count = kept;
  std::uint32_t at = kept;
  while (list[at - 1].day != run.horizon) --at;  // the horizon is listed
  horizon_facts = list[at - 1].facts;
}

}  // namespace recoup::compiler
