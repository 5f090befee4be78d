// Checks policy text through the real loader and checker and requires it to
// be free of errors (showing the diagnostics when it is not): the start of
// every test that runs a policy.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "tests/unit/memory_files.h"

namespace recoup::testing {

inline compiler::PolicyIr CheckPolicyText(const std::string& text) {
  MemoryFiles files(std::map<std::string, std::string>{{"policy.recoup", text}});
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program =
      compiler::LoadProgram("policy.recoup", files, compiler::LoadOptions{""}, sources, diagnostics);
  std::optional<compiler::PolicyIr> ir = compiler::Check(program, sources, diagnostics);
  std::string rendered;
  for (const language::Diagnostic& diagnostic : diagnostics.all()) {
    rendered += language::RenderText(diagnostic, sources) + "\n";
  }
  INFO("diagnostics:\n" << rendered);
  REQUIRE(!diagnostics.HasErrors());
  REQUIRE(ir.has_value());
  return *ir;
}

}  // namespace recoup::testing
