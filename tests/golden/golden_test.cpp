// Runs `recoup` in-process over every golden file in tests/check/,
// tests/explain/, tests/policy-tests/ (`recoup test`) and tests/fmt/
// (`recoup fmt` on the file's own policy part) and compares its
// output with the expectation written inside the file; also
// proves every diagnostic code is exercised and that the shipped examples
// and standard library check clean.
//
// RECOUP_UPDATE_GOLDEN=1 rewrites the expected blocks instead of comparing
// (`make update-golden`); review the diff before committing it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "language/diagnostics.h"
#include "language/file_system.h"
#include "tests/golden/golden_file.h"
#include "tools/recoup/driver.h"

namespace recoup::golden {
namespace {

namespace fs = std::filesystem;

const std::string kSourceDir = RECOUP_SOURCE_DIR;

bool UpdateMode() {
  const char* value = std::getenv("RECOUP_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

std::string ReadBytes(const std::string& relative_path) {
  std::ifstream stream(fs::path(kSourceDir) / relative_path, std::ios::binary);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

// Files under `folder` (relative to the repository root) ending in .recoup,
// as sorted relative paths; `skip` is a folder prefix to leave out.
std::vector<std::string> PolicyFilesUnder(const std::string& folder, const std::string& skip, bool recursive) {
  std::vector<std::string> paths;
  fs::path root = fs::path(kSourceDir) / folder;
  std::error_code error;
  if (!fs::is_directory(root, error)) return paths;
  auto add = [&](const fs::directory_entry& entry) {
    if (!entry.is_regular_file() || entry.path().extension() != ".recoup") return;
    std::string relative = fs::relative(entry.path(), kSourceDir).generic_string();
    if (!skip.empty() && relative.rfind(skip, 0) == 0) return;
    paths.push_back(relative);
  };
  if (recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) add(entry);
  } else {
    for (const auto& entry : fs::directory_iterator(root)) add(entry);
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::vector<std::string> CorpusFiles() { return PolicyFilesUnder("tests/check", "tests/check/inputs/", true); }

// The real file system rooted at the repository, with some paths replaced by
// text held in memory (for files that cannot sensibly live in the repository).
class OverlayFileSystem final : public language::FileSystem {
 public:
  explicit OverlayFileSystem(std::map<std::string, std::string> overlay = {})
      : real_(kSourceDir), overlay_(std::move(overlay)) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    if (auto found = overlay_.find(path); found != overlay_.end()) return found->second;
    return real_.Read(path, error);
  }
  std::optional<std::string> Canonical(const std::string& path) const override {
    if (overlay_.count(path)) return kSourceDir + "/" + path;
    return real_.Canonical(path);
  }

 private:
  language::RealFileSystem real_;
  std::map<std::string, std::string> overlay_;
};

struct RunResult {
  int exit_status = 0;
  std::string output;  // stdout followed by stderr
};

// Replaces the checkout's absolute path so expectations hold on any machine.
std::string WithoutSourceDir(std::string text) {
  for (std::size_t at; (at = text.find(kSourceDir)) != std::string::npos;) {
    text.replace(at, kSourceDir.size(), "$RECOUP_SOURCE_DIR");
  }
  return text;
}

RunResult RunRecoup(const std::vector<std::string>& arguments, const language::FileSystem& files) {
  std::ostringstream out;
  std::ostringstream err;
  driver::Environment environment{files, out, err, kSourceDir + "/stdlib"};
  RunResult result;
  result.exit_status = driver::Run(arguments, environment);
  result.output = WithoutSourceDir(out.str() + err.str());
  return result;
}

RunResult RunRecoup(const std::vector<std::string>& arguments) { return RunRecoup(arguments, OverlayFileSystem()); }

std::string Joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

std::size_t CountWithPrefix(const std::vector<std::string>& codes, char prefix) {
  return static_cast<std::size_t>(
      std::count_if(codes.begin(), codes.end(), [&](const std::string& code) { return code[0] == prefix; }));
}

// The promise of a file's name (fail_, warn_, other) against what happened.
std::string NamingRuleViolation(const GoldenFile& file, const RunResult& result) {
  if (ExpectationFromName(file.path) != Expectation::Clean && !file.codes) {
    return "fail_ and warn_ files need a `# CODES:` line listing the expected codes";
  }
  std::vector<std::string> codes = CodesIn(result.output);
  std::size_t errors = CountWithPrefix(codes, 'E');
  std::size_t warnings = CountWithPrefix(codes, 'W');
  bool deny_warnings = std::count(file.arguments.begin(), file.arguments.end(), "--deny-warnings") > 0;
  switch (ExpectationFromName(file.path)) {
    case Expectation::Errors:
      if (errors == 0 || result.exit_status != 1) return "a fail_ file must report at least one error and exit 1";
      return "";
    case Expectation::WarningsOnly:
      if (errors != 0 || warnings == 0) return "a warn_ file must report warnings and no errors";
      if (result.exit_status != (deny_warnings ? 1 : 0)) return "a warn_ file must exit 0 (1 with --deny-warnings)";
      return "";
    case Expectation::Clean:
      if (!codes.empty() || result.exit_status != 0) {
        return "a file whose name starts with neither fail_ nor warn_ must check clean (exit 0, no diagnostics)";
      }
      return "";
  }
  return "";
}

// The files of tests/policy-tests/ run `recoup test`: a fail_ file's tests
// (or its coverage threshold) must fail, any other file's must pass.
std::string PolicyTestNamingViolation(const GoldenFile& file, const RunResult& result) {
  bool must_fail = ExpectationFromName(file.path) == Expectation::Errors;
  if (must_fail && result.exit_status != 1) return "a fail_ file in tests/policy-tests/ must exit 1";
  if (!must_fail && result.exit_status != 0) return "a file in tests/policy-tests/ not named fail_ must exit 0";
  return "";
}

// The files of tests/diff/ run `recoup diff` against their old version in
// tests/diff/old/: a same_ file must report the same behaviour (exit 0),
// any other file a difference (exit 1).
std::string DiffNamingViolation(const GoldenFile& file, const RunResult& result) {
  bool same = fs::path(file.path).filename().string().rfind("same_", 0) == 0;
  if (same && result.exit_status != 0) return "a same_ file in tests/diff/ must show the same behaviour (exit 0)";
  if (!same && result.exit_status != 1) return "a file in tests/diff/ not named same_ must show a difference (exit 1)";
  return "";
}

// The files of tests/fmt/: a fail_ file must be refused (exit 1, with its
// errors), any other formatted (exit 0, no diagnostics).
std::string FmtNamingViolation(const GoldenFile& file, const RunResult& result) {
  bool must_fail = ExpectationFromName(file.path) == Expectation::Errors;
  if (must_fail && result.exit_status != 1) return "a fail_ file in tests/fmt/ must exit 1";
  if (!must_fail && (result.exit_status != 0 || !CodesIn(result.output).empty())) {
    return "a file in tests/fmt/ not named fail_ must format (exit 0, no diagnostics)";
  }
  return "";
}

using NamingRule = std::string (*)(const GoldenFile&, const RunResult&);

// `input_is_policy_part`: the command reads the file without its expected
// block (what tests/fmt/ needs, since `fmt` prints the whole file back).
void RunGoldenFileWith(const std::string& path, NamingRule naming_rule, bool input_is_policy_part = false) {
  GoldenFile file = ParseGoldenFile(path, ReadBytes(path));
  INFO("golden file: " << path << "\nrun: recoup " << Joined(file.arguments));
  for (const std::string& problem : file.format_errors) FAIL_CHECK(path << ": malformed golden file: " << problem);

  RunResult result = input_is_policy_part
                         ? RunRecoup(file.arguments, OverlayFileSystem(std::map<std::string, std::string>{{path, file.policy_part}}))
                         : RunRecoup(file.arguments);
  INFO("actual output:\n" << result.output << "actual exit status: " << result.exit_status);

  if (std::string violation = naming_rule(file, result); !violation.empty()) {
    FAIL_CHECK(path << ": " << violation);
  }
  std::vector<std::string> codes = CodesIn(result.output);
  std::vector<std::string> expected_codes = file.codes.value_or(std::vector<std::string>{});
  if (codes != expected_codes) {
    FAIL_CHECK(path << ": the `# CODES:` line says [" << Joined(expected_codes) << "] but the output has ["
                    << Joined(codes) << "]");
  }

  // Every explain golden file also runs on the JIT engine, which must print
  // the same bytes and exit the same way as the interpreter engine.
  if (!file.arguments.empty() && file.arguments.front() == "explain") {
    std::vector<std::string> jit_arguments = file.arguments;
    jit_arguments.insert(jit_arguments.end(), {"--engine", "jit"});
    RunResult jit = RunRecoup(jit_arguments);
    std::string difference = FirstDifference(SplitLines(result.output), SplitLines(jit.output));
    if (!difference.empty() || jit.exit_status != result.exit_status) {
      FAIL_CHECK(path << ": --engine jit differs from the interpreter: " << difference << " (exit status "
                      << jit.exit_status << ", interpreter " << result.exit_status << ")\njit output:\n"
                      << jit.output);
    }
  }

  if (UpdateMode()) {
    std::ofstream(fs::path(kSourceDir) / path, std::ios::binary)
        << RewriteGoldenFile(file, result.output, result.exit_status);
    return;
  }
  if (!file.has_marker) FAIL_CHECK(path << ": no expected block; run `make update-golden`");
  std::string difference = FirstDifference(file.expected_output, SplitLines(result.output));
  if (!difference.empty()) {
    FAIL_CHECK(path << ": " << difference << "\n(if the new output is right: make update-golden, then review)");
  }
  if (file.expected_exit != result.exit_status) {
    FAIL_CHECK(path << ": exit status " << result.exit_status << ", expected "
                    << (file.expected_exit ? std::to_string(*file.expected_exit) : "a `# EXIT:` line"));
  }
}

void RunGoldenFile(const std::string& path) { RunGoldenFileWith(path, NamingRuleViolation); }
void RunPolicyTestFile(const std::string& path) { RunGoldenFileWith(path, PolicyTestNamingViolation); }
void RunDiffFile(const std::string& path) { RunGoldenFileWith(path, DiffNamingViolation); }
void RunFmtFile(const std::string& path) { RunGoldenFileWith(path, FmtNamingViolation, true); }

// A shipped policy must check without errors.
void RunCleanCheck(const std::string& path) {
  RunResult result = RunRecoup({"check", path});
  INFO("output:\n" << result.output);
  CHECK(CountWithPrefix(CodesIn(result.output), 'E') == 0);
  CHECK(result.exit_status == 0);
}

// A file larger than the limit, held in memory rather than in the repository.
const std::string kOversizedPath = "tests/check/generated/too_large.recoup";
std::string OversizedPolicy() {
  std::string text = "policy \"Too large\"\ncurrency USD\nat due + 30d: email \"overdue\"\n";
  std::string padding = "# padding to exceed the largest policy file Recoup reads\n";
  while (text.size() <= language::kMaxPolicyFileBytes) text += padding;
  return text;
}

// An empty file cannot carry its own expectation, so it is checked here.
const std::string kEmptyPath = "tests/check/generated/empty.recoup";

RunResult RunInMemory(const std::string& path, std::string text) {
  std::map<std::string, std::string> overlay{{path, std::move(text)}};
  return RunRecoup({"check", path}, OverlayFileSystem(std::move(overlay)));
}
RunResult RunOversized() { return RunInMemory(kOversizedPath, OversizedPolicy()); }
RunResult RunEmpty() { return RunInMemory(kEmptyPath, ""); }

// One Catch2 test case per file, so a failure names its file and ctest can
// run them separately.
class FileTest final : public Catch::ITestInvoker {
 public:
  FileTest(std::string path, void (*body)(const std::string&)) : path_(std::move(path)), body_(body) {}
  void invoke() const override { body_(path_); }

 private:
  std::string path_;
  void (*body_)(const std::string&);
};

void Register(const std::string& name, const std::string& tags, const std::string& path,
              void (*body)(const std::string&)) {
  Catch::AutoReg registration(new FileTest(path, body), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                              Catch::NameAndTags(name, tags));
}

void FailToList(const std::string& error) { FAIL("could not list the golden files: " << error); }

struct RegisterFileTests {
  RegisterFileTests() {
    try {
      for (const std::string& path : CorpusFiles()) Register("golden: " + path, "[golden]", path, RunGoldenFile);
      for (const std::string& path : PolicyFilesUnder("tests/explain", "", true)) {
        Register("explain: " + path, "[explain]", path, RunGoldenFile);
      }
      for (const std::string& path : PolicyFilesUnder("tests/policy-tests", "", true)) {
        Register("golden: " + path, "[policy-tests]", path, RunPolicyTestFile);
      }
      for (const std::string& path : PolicyFilesUnder("tests/diff", "", false)) {
        Register("diff: " + path, "[diff]", path, RunDiffFile);
      }
      for (const std::string& path : PolicyFilesUnder("tests/fmt", "", false)) {
        Register("fmt: " + path, "[fmt]", path, RunFmtFile);
      }
      for (const std::string& path : PolicyFilesUnder("examples", "", false)) {
        Register("checks clean: " + path, "[examples]", path, RunCleanCheck);
      }
      for (const std::string& path : PolicyFilesUnder("stdlib", "", true)) {
        Register("checks clean: " + path, "[stdlib]", path, RunCleanCheck);
      }
    } catch (const std::exception& error) {
      Register("golden: listing files", "[golden]", error.what(), FailToList);
    }
  }
};
const RegisterFileTests kRegisterFileTests;

}  // namespace

TEST_CASE("a policy file larger than the limit is refused with E0009", "[golden]") {
  RunResult result = RunOversized();
  INFO("output:\n" << result.output);
  CHECK(result.exit_status == 1);
  CHECK(CodesIn(result.output) == std::vector<std::string>{"E0009"});
}

TEST_CASE("an empty file is a warning, not an error", "[golden]") {
  RunResult result = RunEmpty();
  INFO("output:\n" << result.output);
  CHECK(result.exit_status == 0);
  CHECK(CodesIn(result.output) == std::vector<std::string>{"W0005"});
}

TEST_CASE("the golden corpus is not empty", "[golden]") { CHECK(CorpusFiles().size() >= 45); }

TEST_CASE("tests/diff holds at least ten pairs that differ and some that do not", "[diff]") {
  std::vector<std::string> files = PolicyFilesUnder("tests/diff", "", false);
  auto same = static_cast<std::size_t>(std::count_if(files.begin(), files.end(), [](const std::string& path) {
    return fs::path(path).filename().string().rfind("same_", 0) == 0;
  }));
  CHECK(files.size() - same >= 10);
  CHECK(same >= 2);
  for (const std::string& path : files) {
    INFO(path);
    CHECK(fs::exists(fs::path(kSourceDir) / "tests/diff/old" / fs::path(path).filename()));
  }
}

TEST_CASE("every diagnostic code is exercised", "[golden]") {
  std::set<std::string> seen;
  for (const std::string& path : CorpusFiles()) {
    GoldenFile file = ParseGoldenFile(path, ReadBytes(path));
    for (const std::string& code : CodesIn(RunRecoup(file.arguments).output)) seen.insert(code);
  }
  for (const RunResult& result : {RunOversized(), RunEmpty()}) {
    for (const std::string& code : CodesIn(result.output)) seen.insert(code);
  }
  std::string missing;
  for (const language::DiagnosticKindInfo& info : language::AllDiagnosticKinds()) {
    if (!seen.count(std::string(info.code))) {
      missing += "\n  " + std::string(info.code) + " " + std::string(info.name) + ": " + std::string(info.summary);
    }
  }
  INFO("add a file to tests/check/ that produces each of these:" << missing);
  CHECK(missing.empty());
}

}  // namespace recoup::golden
