// Fuzz target: `recoup fmt` on any bytes as a policy (plus the files it
// describes with `#@file NAME` lines, see fuzz_support.h). For every input
// that parses and checks without errors, the formatter must succeed and its
// output, checked again in place of the file, must give the same Policy IR,
// the same syntax tree (positions aside), the same comments and warnings,
// and must format to itself (compiler::FormatVerified checks all of these).
// Inputs that do not check return -1, which keeps them out of the corpus.
// Aborts when one of them breaks; inputs with errors are not formatted, as
// `recoup fmt` refuses them.
#include <cstdio>
#include <cstdlib>

#include "compiler/verified_format.h"
#include "tools/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  recoup::fuzz::MemoryFileSystem files =
      recoup::fuzz::FilesFromInput(std::string_view(reinterpret_cast<const char*>(data), size));
  recoup::fuzz::Checked checked;
  recoup::fuzz::LoadAndCheck(files, checked);
  if (!checked.ir) return -1;  // kept out of the corpus, as fuzz_interpret does
  checked.diagnostics.SortAndDeduplicate();
  recoup::compiler::VerifiedFormat formatted =
      recoup::compiler::FormatVerified(recoup::fuzz::kMainPath, files, recoup::compiler::LoadOptions{recoup::fuzz::kStdlibRoot},
                                       checked.program, checked.sources, checked.diagnostics, *checked.ir);
  if (!formatted.problem.empty()) {
    std::fprintf(stderr, "fuzz_fmt: formatting broke an invariant: %s\n", formatted.problem.c_str());
    std::abort();
  }
  return 0;
}
