// Which constructs of the language a checked policy uses, counted from its
// IR, so a test can require the generator to reach every one of them (and
// notice when a change to the generator silently loses one).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"

namespace recoup::testgen {

// Feature name -> how many times it was seen: "action.write off",
// "anchor.end of month", "expression.PercentOf", "pause.promise.skip"...
using ConstructCounts = std::map<std::string, std::uint64_t>;

// Adds what `policy` uses to `counts`.
void CountConstructs(const compiler::PolicyIr& policy, ConstructCounts& counts);

// Every feature name CountConstructs can produce: the whole language as
// the IR shows it.
std::vector<std::string> EveryConstruct();

}  // namespace recoup::testgen
