#include "compiler/verified_format.h"

#include <fmt/format.h>

#include <vector>

#include "compiler/ir_printer.h"
#include "language/ast_printer.h"
#include "language/formatter.h"

namespace recoup::compiler {
namespace {

// The comments of a tree as the formatter keeps them: trailing blanks go.
std::vector<std::string> CommentTexts(const language::SyntaxTree& tree) {
  std::vector<std::string> texts;
  for (const language::Comment& comment : tree.comments) {
    std::string text = comment.text;
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\f' || text.back() == '\v')) {
      text.pop_back();
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

std::string Codes(const language::DiagnosticList& diagnostics) {
  std::string codes;
  for (const language::Diagnostic& diagnostic : diagnostics.all()) {
    codes += std::string(language::InfoOf(diagnostic.kind).code) + " ";
  }
  return codes;
}

}  // namespace

std::optional<std::string> ReplacedFileSystem::Read(const std::string& path, std::string* error) const {
  if (path == path_) return text_;
  std::optional<std::string> canonical = base_.Canonical(path);
  if (canonical && canonical == base_.Canonical(path_)) return text_;
  return base_.Read(path, error);
}

VerifiedFormat FormatVerified(const std::string& path, const language::FileSystem& files, const LoadOptions& options,
                              const Program& program, const language::SourceSet& sources,
                              const language::DiagnosticList& diagnostics, const PolicyIr& ir) {
  VerifiedFormat result;
  const language::SyntaxTree& tree = program.trees.at(program.main);
  const language::SourceFile& file = sources.Get(tree.file);
  std::optional<std::string> text = language::FormatPolicyText(file, tree, result.problem);
  if (!text) return result;
  if (text->size() > language::kMaxPolicyFileBytes) {
    result.problem = "the formatted text would be larger than a policy file may be (16 MiB)";
    return result;
  }

  ReplacedFileSystem replaced(files, path, *text);
  language::SourceSet again_sources;
  language::DiagnosticList again_diagnostics;
  Program again = LoadProgram(path, replaced, options, again_sources, again_diagnostics);
  CheckResult again_ir;
  if (!again.trees.empty()) again_ir = Check(again, again_sources, again_diagnostics);
  again_diagnostics.SortAndDeduplicate();
  if (!again_ir) {
    result.problem = "the formatted text does not check";
    for (const language::Diagnostic& diagnostic : again_diagnostics.all()) {
      if (diagnostic.severity() == language::Severity::Error) {
        result.problem += ":\n" + language::RenderText(diagnostic, again_sources);
        break;
      }
    }
    return result;
  }
  const language::SyntaxTree& again_tree = again.trees.at(again.main);
  const language::SourceFile& again_file = again_sources.Get(again_tree.file);
  if (PrintPolicyIr(*again_ir) != PrintPolicyIr(ir)) {
    result.problem = "the formatted text gives a different Policy IR";
  } else if (language::PrintSyntaxTree(again_tree, again_file, language::TreePositions::Hidden) !=
             language::PrintSyntaxTree(tree, file, language::TreePositions::Hidden)) {
    result.problem = "the formatted text gives a different syntax tree";
  } else if (CommentTexts(again_tree) != CommentTexts(tree)) {
    result.problem = "the formatted text does not keep every comment";
  } else if (Codes(again_diagnostics) != Codes(diagnostics)) {
    result.problem = fmt::format("the formatted text gives other warnings ({}instead of {})", Codes(again_diagnostics),
                                 Codes(diagnostics));
  } else {
    std::string problem;
    std::optional<std::string> twice = language::FormatPolicyText(again_file, again_tree, problem);
    if (!twice) {
      result.problem = "the formatted text does not format again: " + problem;
    } else if (*twice != *text) {
      result.problem = "formatting the formatted text changes it again";
    }
  }
  if (result.problem.empty()) result.text = std::move(*text);
  return result;
}

}  // namespace recoup::compiler
