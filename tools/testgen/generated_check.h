// Checking generated policy text with the real front end, as `recoup check`
// does: parse, load imports (the standard library is served from memory, so
// thousands of checks do not read the disk), check. A generated policy that
// has an error is a generator bug; warnings are expected (a random policy
// often sends a milder channel after a stronger one, W0003).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "compiler/policy_ir.h"

namespace recoup::testgen {

// What checking one policy text gave.
struct CheckedPolicy {
  std::optional<compiler::PolicyIr> ir;  // nothing when there were errors
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::string diagnostics;               // the errors, rendered for people
};

// Checks policy texts against one standard library, read once.
class PolicyChecker {
 public:
  // Reads every .recoup file under `stdlib_root` (the repository's stdlib/).
  explicit PolicyChecker(const std::string& stdlib_root);
  CheckedPolicy Check(const std::string& policy_text) const;
  // How many standard-library files were read: zero means a wrong root.
  std::size_t StdlibFileCount() const { return stdlib_.size(); }

 private:
  std::map<std::string, std::string> stdlib_;  // "stdlib/calendars/us-federal.recoup" -> text
};

}  // namespace recoup::testgen
