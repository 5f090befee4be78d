// Fuzz target: any bytes as a policy (plus the files it describes with
// `#@file NAME` lines, see fuzz_support.h) through Parse, LoadProgram and
// Check, then the AST and IR dumps and the rendering of every diagnostic,
// as `recoup check --emit ast|ir` does. Must never crash, hang or leak;
// aborts when a documented invariant breaks:
//   - Check gives an IR exactly when there is no error;
//   - every diagnostic range lies inside its file, begin <= end.
#include <cstdio>
#include <cstdlib>

#include "compiler/ir_printer.h"
#include "language/ast_printer.h"
#include "tools/fuzz/fuzz_support.h"

namespace {

using recoup::language::Diagnostic;
using recoup::language::SourceRange;
using recoup::language::SourceSet;

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_parse_check: invariant broken: %s\n", what);
  std::abort();
}

void CheckRange(const SourceRange& range, const SourceSet& sources) {
  if (range.file >= sources.size()) Fail("diagnostic range names an unknown file");
  if (range.begin > range.end) Fail("diagnostic range begins after its end");
  if (range.end > sources.Get(range.file).text().size()) Fail("diagnostic range runs past the end of its file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  recoup::fuzz::MemoryFileSystem files =
      recoup::fuzz::FilesFromInput(std::string_view(reinterpret_cast<const char*>(data), size));
  recoup::fuzz::Checked checked;
  recoup::fuzz::LoadAndCheck(files, checked);
  if (checked.program.trees.empty()) Fail("the main file was not loaded");
  checked.diagnostics.SortAndDeduplicate();
  if (checked.ir.has_value() == checked.diagnostics.HasErrors()) Fail("an IR exactly when there is no error");
  std::size_t rendered = 0;
  for (const recoup::language::SyntaxTree& tree : checked.program.trees) {
    rendered += recoup::language::PrintSyntaxTree(tree, checked.sources.Get(tree.file)).size();
  }
  if (checked.ir) rendered += recoup::compiler::PrintPolicyIr(*checked.ir).size();
  for (const Diagnostic& diagnostic : checked.diagnostics.all()) {
    CheckRange(diagnostic.range, checked.sources);
    for (const auto& note : diagnostic.notes) CheckRange(note.range, checked.sources);
    rendered += recoup::language::RenderText(diagnostic, checked.sources).size();
  }
  rendered += recoup::language::RenderJson(checked.diagnostics.all(), checked.sources).size();
  (void)rendered;
  return 0;
}
