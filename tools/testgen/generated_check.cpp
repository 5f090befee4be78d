#include "tools/testgen/generated_check.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"
#include "language/source.h"

namespace recoup::testgen {
namespace {

constexpr const char* kPolicyPath = "policy/generated.recoup";
constexpr const char* kStdlibRoot = "stdlib";

// The standard library plus one policy, in memory. Canonical paths get a
// fixed prefix; folders that hold files are canonical too, so the loader's
// "is this import under the standard library" test works as on disk.
class OverlayFiles final : public language::FileSystem {
 public:
  OverlayFiles(const std::map<std::string, std::string>& stdlib, const std::string& policy)
      : stdlib_(stdlib), policy_(policy) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    std::string normal = Normal(path);
    if (normal == kPolicyPath) return policy_;
    auto found = stdlib_.find(normal);
    if (found != stdlib_.end()) return found->second;
    if (error) *error = "no such file";
    return std::nullopt;
  }
  std::optional<std::string> Canonical(const std::string& path) const override {
    std::string normal = Normal(path);
    if (normal == kPolicyPath || normal == "policy" || normal == kStdlibRoot || stdlib_.count(normal)) {
      return "/memory/" + normal;
    }
    auto after = stdlib_.lower_bound(normal + "/");
    if (after != stdlib_.end() && after->first.rfind(normal + "/", 0) == 0) return "/memory/" + normal;
    return std::nullopt;
  }

 private:
  static std::string Normal(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().generic_string();
  }
  const std::map<std::string, std::string>& stdlib_;
  const std::string& policy_;
};

}  // namespace

PolicyChecker::PolicyChecker(const std::string& stdlib_root) {
  std::filesystem::path root(stdlib_root);
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file() || it->path().extension() != ".recoup") continue;
    std::ifstream stream(it->path(), std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    stdlib_[std::string(kStdlibRoot) + "/" + std::filesystem::relative(it->path(), root).generic_string()] = text.str();
  }
}

CheckedPolicy PolicyChecker::Check(const std::string& policy_text) const {
  OverlayFiles files(stdlib_, policy_text);
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program =
      compiler::LoadProgram(kPolicyPath, files, compiler::LoadOptions{kStdlibRoot}, sources, diagnostics);
  CheckedPolicy checked;
  std::optional<compiler::PolicyIr> ir;
  if (!program.trees.empty()) ir = compiler::Check(program, sources, diagnostics);
  diagnostics.SortAndDeduplicate();
  checked.errors = diagnostics.ErrorCount();
  checked.warnings = diagnostics.WarningCount();
  for (const language::Diagnostic& diagnostic : diagnostics.all()) {
    if (diagnostic.severity() != language::Severity::Error) continue;
    checked.diagnostics += language::RenderText(diagnostic, sources) + "\n";
  }
  if (!diagnostics.HasErrors() && ir && !ir->is_library) checked.ir = std::move(ir);
  if (program.trees.empty()) {
    checked.errors += 1;
    checked.diagnostics += "the generated policy could not be read\n";
  }
  return checked;
}

}  // namespace recoup::testgen
