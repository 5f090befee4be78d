// Shared helpers of the parser tests: parse a text and look at the tree
// and diagnostics it gave.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "language/parser.h"

namespace recoup::language::testing {

// One parsed text with everything needed to inspect it.
struct Parsed {
  explicit Parsed(std::string text) {
    id = sources.Add("test.recoup", std::move(text));
    tree = Parse(sources.Get(id), id, diagnostics);
  }
  const SourceFile& file() const { return sources.Get(id); }
  const Expression& expr(ExpressionId expression) const { return tree.expression(expression); }
  const Anchor& anchor(AnchorId anchor_id) const { return tree.anchor(anchor_id); }
  std::string Text(SourceRange range) const { return file().text().substr(range.begin, range.end - range.begin); }
  LineColumn At(SourceRange range) const { return file().Locate(range.begin); }
  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const Diagnostic& diagnostic : diagnostics.all()) codes.emplace_back(InfoOf(diagnostic.kind).code);
    return codes;
  }
  const Diagnostic& Only() const {
    REQUIRE(diagnostics.all().size() == 1);
    return diagnostics.all().front();
  }

  SourceSet sources;
  FileId id = 0;
  SyntaxTree tree;
  DiagnosticList diagnostics;
};

inline std::unique_ptr<Parsed> ParseText(std::string text) { return std::make_unique<Parsed>(std::move(text)); }

inline std::unique_ptr<Parsed> ParseClean(std::string text) {
  auto parsed = ParseText(std::move(text));
  INFO(parsed->Codes().size() << " diagnostics, first: "
                              << (parsed->diagnostics.all().empty() ? "" : parsed->diagnostics.all()[0].message));
  REQUIRE(parsed->diagnostics.all().empty());
  return parsed;
}

// The value of the only constant, for expression tests.
inline const Expression& ConstantValue(const Parsed& parsed) {
  REQUIRE(parsed.tree.constants.size() == 1);
  return parsed.expr(parsed.tree.constants[0].value);
}

}  // namespace recoup::language::testing
