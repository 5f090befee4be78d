// `recoup diff`'s pieces: the explored subjects (bounded, deterministic,
// built from the policies' literals), the kinds of change between two
// timelines, and the rule comparison's step matching.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/unit/check_policy_text.h"
#include "tools/recoup/diff_internal.h"

namespace recoup::driver::diff {
namespace {

const char* const kPolicy = R"(policy "Base"
currency USD
second: at due + 30d: letter "overdue", fee 25 USD
at due + 45d: call if invoice.balance >= 5000 USD
at second + 30d: agency "Alacrity" contingency 30% unless customer.segment == "strategic"
)";

// The second step moves to due + 21d, the call goes, an email comes.
const char* const kChanged = R"(policy "Base"
currency USD
at due - 7d: email "upcoming"
second: at due + 21d: letter "overdue", fee 25 USD
at second + 30d: agency "Alacrity" contingency 30% unless customer.segment == "strategic"
)";

std::vector<std::string> Descriptions(const std::vector<Scenario>& scenarios) {
  std::vector<std::string> descriptions;
  for (const Scenario& scenario : scenarios) descriptions.push_back(scenario.description);
  return descriptions;
}

bool AnyContains(const std::vector<std::string>& texts, const std::string& part) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& text) { return text.find(part) != std::string::npos; });
}

TEST_CASE("diff explores a bounded, deterministic set of subjects, simplest first", "[diff]") {
  compiler::PolicyIr policy = testing::CheckPolicyText(kPolicy);
  std::vector<Scenario> first = BuildScenarios(policy, policy, 300, 1);
  std::vector<Scenario> again = BuildScenarios(policy, policy, 300, 1);
  std::vector<Scenario> other_seed = BuildScenarios(policy, policy, 300, 2);
  CHECK(first.size() == 300);
  CHECK(Descriptions(first) == Descriptions(again));
  CHECK(Descriptions(first) != Descriptions(other_seed));
  CHECK(first.front().description == "invoice of 1000.00 USD, issued 2026-01-31, due 2026-03-02 (Mon); never paid");
  CHECK(BuildScenarios(policy, policy, 7, 1).size() == 7);
  // No two subjects are the same.
  std::vector<std::string> sorted = Descriptions(first);
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
}

TEST_CASE("diff's subjects come from the policies' own literals", "[diff]") {
  compiler::PolicyIr policy = testing::CheckPolicyText(kPolicy);
  std::vector<std::string> descriptions = Descriptions(BuildScenarios(policy, policy, 1000, 1));
  // Around the guard's threshold, one minor unit each side.
  for (const char* amount : {"4999.99 USD", "5000.00 USD", "5000.01 USD"}) {
    CHECK(AnyContains(descriptions, std::string("invoice of ") + amount));
  }
  CHECK(AnyContains(descriptions, "customer segment \"strategic\""));
  // Paid the day before and the day a step fires (due + 30d = 2026-04-01).
  CHECK(AnyContains(descriptions, "paid 1000.00 USD on 2026-03-31 (due+29)"));
  CHECK(AnyContains(descriptions, "paid 1000.00 USD on 2026-04-01 (due+30)"));
  CHECK(AnyContains(descriptions, "disputed from"));
  CHECK(AnyContains(descriptions, "promised to pay"));
  CHECK(AnyContains(descriptions, "due 2026-02-28 (Sat)"));
}

TEST_CASE("diff names each kind of change between two timelines", "[diff]") {
  auto date = [](int day) { return runtime::Date::FromCivil(2026, 3, day).value(); };
  Timeline before, after;
  before.entries = {{date(1), compiler::ActionKind::Letter, "overdue", "", std::nullopt, ""},
                    {date(2), compiler::ActionKind::Fee, "", "", 2500, ""},
                    {date(3), compiler::ActionKind::Call, "", "", std::nullopt, ""}};
  after.entries = {{date(5), compiler::ActionKind::Letter, "overdue", "", std::nullopt, ""},
                   {date(2), compiler::ActionKind::Fee, "", "", 4000, ""},
                   {date(4), compiler::ActionKind::Sms, "soon", "", std::nullopt, ""}};
  CHECK(ChangesBetween(before, after) == std::vector<std::string>{"call: removed", "fee: different amount",
                                                                  "letter \"overdue\": later", "sms \"soon\": added"});
  CHECK(ChangesBetween(before, before).empty());
  Timeline owed = before;
  owed.open_interest = 12;
  CHECK(ChangesBetween(before, owed) == std::vector<std::string>{"same actions, different amount owed at the horizon"});
}

TEST_CASE("diff matches steps by label first, then by what they do", "[diff]") {
  compiler::PolicyIr before = testing::CheckPolicyText(kPolicy);
  compiler::PolicyIr after = testing::CheckPolicyText(kChanged);
  // Line numbers are looked up in the sources: load both again for theirs.
  RuleDiff rules;
  {
    language::SourceSet old_sources, new_sources;
    language::DiagnosticList diagnostics;
    testing::MemoryFiles old_files(std::map<std::string, std::string>{{"p.recoup", kPolicy}});
    compiler::LoadProgram("p.recoup", old_files, compiler::LoadOptions{""}, old_sources, diagnostics);
    testing::MemoryFiles new_files(std::map<std::string, std::string>{{"p.recoup", kChanged}});
    compiler::LoadProgram("p.recoup", new_files, compiler::LoadOptions{""}, new_sources, diagnostics);
    rules = CompareRules({before, old_sources, "p.recoup"}, {after, new_sources, "p.recoup"});
  }
  std::vector<std::string> summary;
  for (const RuleChange& change : rules.changes) {
    std::string line = change.area + " " + change.kind + " " + change.where;
    for (const std::string& detail : change.details) line += " | " + detail;
    summary.push_back(line);
  }
  CHECK(summary ==
        std::vector<std::string>{
            "step changed `second` (line 3 -> line 4) | trigger: at due + 30d -> at due + 21d (fires 9 days earlier)",
            "step removed line 4 | at due + 45d: call if (invoice.balance >= 5000.00 USD)",
            "step added line 3 | at due - 7d: email \"upcoming\"",
        });
  CHECK(rules.matters());
}

}  // namespace
}  // namespace recoup::driver::diff
