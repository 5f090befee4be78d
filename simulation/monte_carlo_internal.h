// One draw of one subject under the payment model (monte_carlo_subject.cpp),
// used by the Monte Carlo driver (monte_carlo.cpp).
#pragma once

#include <cstdint>

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"
#include "simulation/outcome.h"
#include "simulation/subjects.h"

namespace recoup::simulation::monte_carlo_detail {

// Purposes that name random streams, so no two draws share one.
enum class StreamPurpose : std::uint64_t { PaymentClock = 101, Promise = 102, Parameters = 103 };

// Simulates draw `draw` of subject `subject`: `facts` holds the subject's
// invoices, disputes and attributes without payments or promises (they
// are sampled). Fills `outcome` (its `error` says why when the interpreter
// failed) and returns how many interpreter runs it took.
std::uint32_t SimulateSubjectDraw(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                                  const SubjectPlan& plan, std::size_t subject, const compiler::SubjectFacts& facts,
                                  runtime::Date horizon, const runtime::PaymentModel& model, std::uint64_t seed,
                                  std::uint32_t draw, SubjectOutcome& outcome);

}  // namespace recoup::simulation::monte_carlo_detail
