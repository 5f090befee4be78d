// `recoup check --emit=ir`: a readable, deterministic dump of the Policy IR,
// one item a line, used for debugging and golden tests.
#pragma once

#include <string>

#include "compiler/policy_ir.h"

namespace recoup::compiler {

std::string PrintPolicyIr(const PolicyIr& ir);

}  // namespace recoup::compiler
