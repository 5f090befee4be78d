// `recoup check --emit=ir`: a readable, deterministic dump of the Policy IR,
// one item a line, used for debugging and golden tests.
#pragma once

#include <string>

#include "compiler/policy_ir.h"

namespace recoup::compiler {

std::string PrintPolicyIr(const PolicyIr& ir);

// Pieces of the same dump for tools that compare two policies (`recoup
// diff`): a step anchor is written as its label, never its index, so the
// text does not change when steps move. `at final + 30d`, `(invoice.amount
// > 5000.00 USD)`, `fee 2% of balance min 25.00 USD`.
std::string PrintTrigger(const PolicyIr& ir, const Trigger& trigger);
std::string PrintExpression(const PolicyIr& ir, ExpressionId id);
std::string PrintAction(const PolicyIr& ir, const Action& action);

}  // namespace recoup::compiler
