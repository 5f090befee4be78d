// Runs both versions of a policy over the explored subjects with the
// reference interpreter and keeps a few examples whose timelines differ:
// the simplest first, then each one that shows a kind of change the
// examples kept so far do not.
#include <set>

#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {

Exploration Explore(const compiler::PolicyIr& old_policy, const compiler::PolicyIr& new_policy,
                    const DiffOptions& options) {
  Exploration exploration;
  std::set<std::string> shown;
  for (Scenario& scenario : BuildScenarios(old_policy, new_policy, options.budget, options.seed)) {
    ++exploration.explored;
    Timeline before =
        TimelineOf(compiler::Interpret(old_policy, scenario.facts, scenario.options), old_policy.header.currency);
    Timeline after =
        TimelineOf(compiler::Interpret(new_policy, scenario.facts, scenario.options), new_policy.header.currency);
    if (before == after) continue;
    ++exploration.differing;
    if (exploration.examples.size() >= options.examples) continue;
    std::vector<std::string> changes = ChangesBetween(before, after);
    bool news = exploration.examples.empty();
    for (const std::string& change : changes) news = news || !shown.count(change);
    if (!news) continue;
    shown.insert(changes.begin(), changes.end());
    exploration.examples.push_back({std::move(scenario), std::move(before), std::move(after), std::move(changes)});
  }
  return exploration;
}

}  // namespace recoup::driver::diff
