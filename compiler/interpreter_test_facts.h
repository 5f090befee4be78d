// A policy's own `test` block as interpreter input, so `recoup test` runs
// the reference interpreter on exactly what the test gives.
#pragma once

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"

namespace recoup::compiler {

// A folded value written as the interpreter reads attribute text back
// (`1000.00`, `true`, `2026-01-31`), for building facts from literals.
std::string AttributeValueText(const Value& value);

// The test's invoices (ids "INV-1", "INV-2"... when the test names none),
// customer fields, payments, disputes and promises.
SubjectFacts FactsFromTest(const PolicyIr& policy, const PolicyTest& test);

// The test's horizon (`horizon 90d`, counted from the latest due date; 180
// calendar days when not given), and a balance probe on each `expect balance ... at` day.
InterpretOptions OptionsFromTest(const PolicyIr& policy, const PolicyTest& test, const SubjectFacts& facts);

}  // namespace recoup::compiler
