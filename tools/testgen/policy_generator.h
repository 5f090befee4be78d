// Random well-typed Recoup policies for differential testing (issue #6):
// every construct of docs/language.md, weighted so that steps fire within
// a subject's horizon and guards are sometimes true and sometimes false.
// The text is deterministic for a (seed, case) pair and is meant to check
// clean with the real front end; one that does not is a generator bug
// (tests/unit/differential_test.cpp counts them).
#pragma once

#include <cstdint>
#include <string>

namespace recoup::testgen {

// The policy source text of case `case_index` of `seed`. It may import the
// standard library (`stdlib/...`): check it with CheckGeneratedPolicy
// (generated_check.h), which serves the stdlib from memory.
std::string GeneratePolicy(std::uint64_t seed, std::uint64_t case_index = 0);

}  // namespace recoup::testgen
