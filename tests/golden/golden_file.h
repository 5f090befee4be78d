// The format of a golden test file in tests/check/: a policy with its
// expected `recoup` output written at the end, inside comments.
//
//   # RUN: check --emit=ast %s     optional; default `check %s`
//   # CODES: E0102 E0201           required for fail_ and warn_ files
//   ...policy text...
//   # ---- expected output (make update-golden rewrites below this line) ----
//   # OUT: tests/check/fail_x.recoup:3:10: error[E0102]: ...
//   # EXIT: 1
//
// The expected block is always last, so rewriting it never moves a position
// in the policy above it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recoup::golden {

// The first line of the expected block; everything from here on is rewritten.
inline constexpr std::string_view kExpectedMarker =
    "# ---- expected output (make update-golden rewrites below this line) ----";

// What kind of result a file's name promises.
enum class Expectation { Errors, WarningsOnly, Clean };

// One golden file, split into the part people write and the part the runner
// compares and rewrites.
struct GoldenFile {
  std::string path;               // relative to the repository root
  std::string policy_part;        // every byte before the marker line
  bool has_marker = false;
  std::string line_ending = "\n"; // the policy part's, reused when rewriting
  std::vector<std::string> arguments;  // the RUN line, %s replaced by `path`
  std::optional<std::vector<std::string>> codes;  // the CODES line, when present
  std::vector<std::string> expected_output;  // the OUT lines, without the prefix
  std::optional<int> expected_exit;
  std::vector<std::string> format_errors;    // malformed RUN/CODES/OUT/EXIT lines
};

// Splits a golden file's bytes. Never fails: problems go to format_errors.
GoldenFile ParseGoldenFile(std::string path, std::string_view bytes);

// The whole file with its expected block replaced by `output` and `exit_status`.
std::string RewriteGoldenFile(const GoldenFile& file, std::string_view output, int exit_status);

// What the file's name (fail_, warn_, anything else) says it must produce.
Expectation ExpectationFromName(std::string_view path);

// Output split into lines; a final newline does not make an extra empty line,
// and a trailing carriage return is dropped from each line.
std::vector<std::string> SplitLines(std::string_view text);

// The diagnostic codes in `output`, in order: `error[E0102]` in text output,
// `"code":"E0102"` in JSON output.
std::vector<std::string> CodesIn(std::string_view output);

// A person-readable account of the first line where `actual` departs from
// `expected`, or empty when they are equal.
std::string FirstDifference(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

}  // namespace recoup::golden
