// Action timelines of one interpreter run, and the kinds of change between
// two of them, shared by the exploration and the ledger comparison.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {
namespace {

bool HasTerms(compiler::ActionKind kind) {
  return kind == compiler::ActionKind::Agency || kind == compiler::ActionKind::Task ||
         kind == compiler::ActionKind::Interest;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

}  // namespace

bool Timeline::operator==(const Timeline& other) const {
  return entries == other.entries && error == other.error && open_principal == other.open_principal &&
         open_fees == other.open_fees && open_interest == other.open_interest && written_off == other.written_off;
}

Timeline TimelineOf(const compiler::InterpretResult& result, runtime::CurrencyId currency) {
  Timeline timeline;
  timeline.currency = currency;
  timeline.error = result.error;
  std::vector<const compiler::Firing*> firings;
  for (const compiler::Firing& firing : result.firings) firings.push_back(&firing);
  std::stable_sort(firings.begin(), firings.end(),
                   [](const compiler::Firing* a, const compiler::Firing* b) { return a->sequence < b->sequence; });
  for (const compiler::Firing* firing : firings) {
    for (const compiler::ActionRecord& action : firing->actions) {
      TimelineEntry entry;
      entry.date = firing->date;
      entry.kind = action.kind;
      entry.text = action.text;
      if (HasTerms(action.kind)) entry.terms = action.detail;
      if (action.amount) entry.amount = action.amount->minor;
      if (action.invoices.size() > 1) entry.invoices = Joined(action.invoices);
      timeline.entries.push_back(std::move(entry));
    }
  }
  timeline.open_principal = result.totals.principal.minor;
  timeline.open_fees = result.totals.fees.minor;
  timeline.open_interest = result.totals.interest.minor;
  timeline.written_off = result.totals.written_off.minor;
  return timeline;
}

std::string ActionName(const TimelineEntry& entry) {
  std::string text = compiler::ActionSpelling(entry.kind);
  if (!entry.text.empty()) text += fmt::format(" \"{}\"", entry.text);
  return text;
}

std::string EntryText(const TimelineEntry& entry, runtime::CurrencyId currency) {
  std::string text = ActionName(entry);
  if (!entry.terms.empty()) text += " (" + entry.terms + ")";
  if (entry.amount) {
    text += (entry.kind == compiler::ActionKind::Interest ? ": " : " ") +
            runtime::ToString(runtime::Money{*entry.amount, currency});
    if (entry.kind == compiler::ActionKind::Interest) text += " by the horizon";
  }
  if (!entry.invoices.empty()) text += " for " + entry.invoices;
  return text;
}

std::vector<std::string> ChangesBetween(const Timeline& before, const Timeline& after) {
  std::set<std::string> changes;
  if (before.error != after.error) {
    if (after.error) changes.insert("the run fails: " + *after.error);
    if (before.error) changes.insert("the run no longer fails");
  }
  // Each action (kind and text) is compared occurrence by occurrence.
  std::map<std::string, std::pair<std::vector<const TimelineEntry*>, std::vector<const TimelineEntry*>>> by_action;
  for (const TimelineEntry& entry : before.entries) by_action[ActionName(entry)].first.push_back(&entry);
  for (const TimelineEntry& entry : after.entries) by_action[ActionName(entry)].second.push_back(&entry);
  for (const auto& [name, lists] : by_action) {
    const auto& [was, now] = lists;
    std::size_t common = std::min(was.size(), now.size());
    for (std::size_t i = 0; i < common; ++i) {
      if (now[i]->date > was[i]->date) changes.insert(name + ": later");
      if (now[i]->date < was[i]->date) changes.insert(name + ": earlier");
      if (now[i]->amount != was[i]->amount) changes.insert(name + ": different amount");
      if (now[i]->terms != was[i]->terms) changes.insert(name + ": different terms");
      if (now[i]->invoices != was[i]->invoices) changes.insert(name + ": covers other invoices");
    }
    if (now.size() > common) changes.insert(name + (was.empty() ? ": added" : ": more often"));
    if (was.size() > common) changes.insert(name + (now.empty() ? ": removed" : ": less often"));
  }
  bool same_actions = changes.empty();
  if (same_actions && before.entries != after.entries) changes.insert("same actions in another order");
  if (changes.empty() && !(before == after)) changes.insert("same actions, different amount owed at the horizon");
  return {changes.begin(), changes.end()};
}

}  // namespace recoup::driver::diff
