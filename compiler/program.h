// Loading a policy with everything it imports. The driver names one file;
// this reads and parses it and, transitively, its imports, detecting missing
// files, cycles and paths that leave the allowed roots. The result is the
// finished input of the checker.
#pragma once

#include <string>
#include <vector>

#include "language/diagnostics.h"
#include "language/file_system.h"
#include "language/source.h"
#include "language/syntax_tree.h"

namespace recoup::compiler {

// One import edge, resolved: which parsed file it brings in.
struct ResolvedImport {
  std::uint32_t importer = 0;  // index into Program::trees
  std::uint32_t import_index = 0;  // index into that tree's imports
  std::uint32_t target = 0;    // index into Program::trees; kNone when it failed
};

// The main file and its imports, parsed.
struct Program {
  std::uint32_t main = 0;                    // index of the main file's tree
  std::vector<language::SyntaxTree> trees;   // each file once, in load order
  std::vector<ResolvedImport> imports;
  // The tree of stdlib/costs/standard.recoup, loaded quietly for a policy
  // (not a library) when the standard library has it: the default cost
  // table. kNone when it is missing or does not parse.
  std::uint32_t default_costs = language::kNone;
};

// Where imports may come from: the main policy's folder (and below) and the
// standard library. `stdlib/...` paths resolve against stdlib_root.
struct LoadOptions {
  std::string stdlib_root;
};

Program LoadProgram(const std::string& main_path, const language::FileSystem& files,
                    const LoadOptions& options, language::SourceSet& sources,
                    language::DiagnosticList& diagnostics);

}  // namespace recoup::compiler
