// Comparing two engines' results field by field: every field of
// InterpretResult (firings with their actions, not-fired reasons, ledger
// events, balances, probes, invoice summaries, not covered, totals,
// conservation, error) must be equal for the engines to agree.
#pragma once

#include <optional>
#include <string>

#include "compiler/interpreter.h"

namespace recoup::testgen {

// The first difference between `a` and `b`, in words with the path to the
// field (`firings[3].actions[0].amount: 25.00 USD vs 26.00 USD`); nothing
// when they are identical.
std::optional<std::string> FirstDifference(const compiler::InterpretResult& a, const compiler::InterpretResult& b);

}  // namespace recoup::testgen
