// Random subjects for a checked policy (issue #6): one invoice for an
// invoice policy, several for a customer policy (with different dates, some
// in another currency so `applies to` and coverage are exercised), payments
// of every shape (none, partial, full, over-payments, on the due date,
// before the first issue date, named or not), disputes resolved or not,
// promises with and without a made date, attribute values (mostly valid,
// sometimes missing or malformed so the error paths run), a horizon and
// balance probes. Deterministic per (seed, case).
#pragma once

#include <cstdint>

#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"

namespace recoup::testgen {

// What one engine run takes besides the policy.
struct GeneratedSubject {
  compiler::SubjectFacts facts;
  compiler::InterpretOptions options;
};

// The subject of case `case_index` of `seed` for `policy`: dates mostly lie
// in 2025-09..2027-03, where the standard-library calendars have holidays
// and generated guards compare against dates; some run over February 2028.
GeneratedSubject GenerateSubject(const compiler::PolicyIr& policy, std::uint64_t seed, std::uint64_t case_index = 0);

}  // namespace recoup::testgen
