// The exit statuses every subcommand shares (see docs/cli.md).
#pragma once

namespace recoup::driver {

inline constexpr int kExitSuccess = 0;
// The policy, the ledger or the policy's tests are at fault; diagnostics say why.
inline constexpr int kExitFindings = 1;
// Bad usage (unknown flag, missing argument) or a file that cannot be read or written.
inline constexpr int kExitUsage = 2;

// The worse of two statuses: usage beats findings beats success.
inline int WorseStatus(int a, int b) { return a > b ? a : b; }

}  // namespace recoup::driver
