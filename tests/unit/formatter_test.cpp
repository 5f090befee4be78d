// The formatter (language/formatter.h) and its verification
// (compiler/verified_format.h): layout rules that golden files cannot show
// well (CRLF, byte order marks, tabs), the comments the parser now keeps,
// and the proof over every policy in the repository that formatting is
// idempotent, keeps every comment and gives the same Policy IR.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "compiler/checker.h"
#include "compiler/ir_printer.h"
#include "compiler/program.h"
#include "compiler/verified_format.h"
#include "language/formatter.h"
#include "language/parser.h"
#include "tests/unit/memory_files.h"
#include "tools/testgen/policy_generator.h"

namespace recoup {
namespace {

namespace fs = std::filesystem;

// Loads and checks `path` through `files`, then formats it with proof.
struct FormatRun {
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program;
  compiler::CheckResult ir;
  compiler::VerifiedFormat formatted;
  std::string original;
};

void Run(FormatRun& run, const std::string& path, const language::FileSystem& files, const std::string& stdlib) {
  compiler::LoadOptions options{stdlib};
  run.program = compiler::LoadProgram(path, files, options, run.sources, run.diagnostics);
  if (run.program.trees.empty()) return;
  run.ir = compiler::Check(run.program, run.sources, run.diagnostics);
  run.diagnostics.SortAndDeduplicate();
  const language::SyntaxTree& tree = run.program.trees[run.program.main];
  run.original = run.sources.Get(tree.file).text();
  if (run.ir) {
    run.formatted =
        compiler::FormatVerified(path, files, options, run.program, run.sources, run.diagnostics, *run.ir);
  }
}

std::string Rendered(const FormatRun& run) {
  std::string text;
  for (const language::Diagnostic& diagnostic : run.diagnostics.all()) {
    text += language::RenderText(diagnostic, run.sources) + "\n";
  }
  return text;
}

// The formatted text of a policy held in memory; fails the test when it
// does not check or cannot be formatted.
std::string Format(const std::string& text) {
  testing::MemoryFiles files(std::map<std::string, std::string>{{"policy.recoup", text}});
  FormatRun run;
  Run(run, "policy.recoup", files, "");
  INFO("diagnostics:\n" << Rendered(run));
  REQUIRE(run.ir.has_value());
  INFO("problem: " << run.formatted.problem);
  REQUIRE(run.formatted.problem.empty());
  return run.formatted.text;
}

language::SyntaxTree ParseText(const std::string& text) {
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  language::FileId id = sources.Add("policy.recoup", text);
  language::SyntaxTree tree = language::Parse(sources.Get(id), id, diagnostics);
  REQUIRE(!diagnostics.HasErrors());
  return tree;
}

const char* const kHeader = "policy \"P\"\ncurrency USD\n";


// Generated policies (tools/testgen: every construct of the language, in
// random combinations) format with proof, like the repository's own: the
// same IR and syntax tree, the same comments and warnings, and formatting
// the output changes nothing. Each one is served in place of an example
// file, so its imports resolve against the real standard library.
TEST_CASE("fmt is idempotent and keeps the IR of generated policies", "[fmt][testgen]") {
  const std::string root = RECOUP_SOURCE_DIR;
  language::RealFileSystem disk(root);
  const std::string path = "examples/email-letter-call.recoup";
  constexpr std::uint64_t kSeed = 20261123;
  constexpr std::uint64_t kCases = 300;
  for (std::uint64_t index = 0; index < kCases; ++index) {
    std::string text = testgen::GeneratePolicy(kSeed, index);
    INFO("generated policy (seed " << kSeed << ", case " << index << "):\n" << text);
    compiler::ReplacedFileSystem files(disk, path, text);
    FormatRun run;
    Run(run, path, files, root + "/stdlib");
    INFO("diagnostics:\n" << Rendered(run));
    REQUIRE(run.ir.has_value());
    INFO("problem: " << run.formatted.problem);
    REQUIRE(run.formatted.problem.empty());
    // The generator writes the canonical layout; the same policy laid out
    // badly (indentation with tabs and two spaces, trailing blanks) must
    // format back to exactly that.
    std::string messy;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("    ", 0) == 0) line = "\t  " + line.substr(4);
      messy += line + "   \n";
    }
    compiler::ReplacedFileSystem messy_files(disk, path, messy);
    FormatRun again;
    Run(again, path, messy_files, root + "/stdlib");
    REQUIRE(again.ir.has_value());
    REQUIRE(again.formatted.problem.empty());
    CHECK(again.formatted.text == run.formatted.text);
  }
}

}  // namespace

TEST_CASE("the parser keeps every comment with its range, once", "[fmt]") {
  std::string text =
      "# first\npolicy \"P\" # after the name\ncurrency USD\nat due + 30d: # inside\n  email \"x\" if # guard\n"
      "  invoice.amount > 5 USD\nat due: call\n# last\n";
  language::SyntaxTree tree = ParseText(text);
  std::vector<std::string> comments;
  for (const language::Comment& comment : tree.comments) {
    CHECK(text.substr(comment.range.begin, comment.range.end - comment.range.begin) == comment.text);
    comments.push_back(comment.text);
  }
  CHECK(comments == std::vector<std::string>{"# first", "# after the name", "# inside", "# guard", "# last"});
}

TEST_CASE("a comment's range stops before the carriage return of a CRLF line", "[fmt]") {
  language::SyntaxTree tree = ParseText("# one\r\npolicy \"P\"\r\ncurrency USD # two\r\n");
  REQUIRE(tree.comments.size() == 2);
  CHECK(tree.comments[0].text == "# one");
  CHECK(tree.comments[1].text == "# two");
}

TEST_CASE("the parser records each statement's span and shape", "[fmt]") {
  language::SyntaxTree tree = ParseText("policy \"P\" currency USD\ntest \"t\" { horizon 5d }\n");
  using language::StatementShape;
  std::vector<StatementShape> shapes;
  for (const language::StatementSpan& span : tree.statements) shapes.push_back(span.shape);
  CHECK(shapes == std::vector<StatementShape>{StatementShape::Line, StatementShape::Line, StatementShape::OpensBlock,
                                              StatementShape::Line, StatementShape::ClosesBlock});
  CHECK(tree.statements[0].range.begin == 0);
  CHECK(tree.statements[0].range.end == 10);  // `policy "P"`, no layout after it
}

TEST_CASE("CRLF, tabs, trailing spaces and a byte order mark become the canonical layout", "[fmt]") {
  std::string text = "\xEF\xBB\xBFpolicy\t\"P\"   \r\ncurrency USD\r\n\r\n\r\nat due+30d:\temail \"x\"  # note  \r\n";
  CHECK(Format(text) == "policy \"P\"\ncurrency USD\n\nat due + 30d: email \"x\"  # note\n");
}

TEST_CASE("a negating minus touches its operand, a subtracting one does not", "[fmt]") {
  std::string text = std::string(kHeader) + "const a = - 5 USD\nconst b = 3 USD-a\nat due-7d: email \"x\" if -(a)< -a\n";
  CHECK(Format(text) == std::string(kHeader) +
                            "const a = -5 USD\nconst b = 3 USD - a\nat due - 7d: email \"x\" if -(a) < -a\n");
}

TEST_CASE("glued units stay glued and spelled-out units stay spelled out", "[fmt]") {
  std::string text = std::string(kHeader) + "at due+5bd+2w: email \"x\"\nat due + 5 business days+7days: fee 12USD\n";
  CHECK(Format(text) == std::string(kHeader) +
                            "at due + 5bd + 2w: email \"x\"\nat due + 5 business days + 7 days: fee 12 USD\n");
}

TEST_CASE("text with a hash, quotes and escapes is copied as written", "[fmt]") {
  std::string text = std::string(kHeader) + "at due: email \"a # \\\"b\\\" \\\\ c\"  #  real comment\n";
  CHECK(Format(text) == std::string(kHeader) + "at due: email \"a # \\\"b\\\" \\\\ c\"  #  real comment\n");
}

TEST_CASE("a file of comments only, and an empty file, format", "[fmt]") {
  CHECK(Format("\n\n# only a comment   \n\n\n# and another\n\n") == "# only a comment\n\n# and another\n");
  CHECK(Format("") == "");
  CHECK(Format("\n \n\t\n") == "");
}

TEST_CASE("trailing comments of consecutive lines are aligned, full-line comments break the run", "[fmt]") {
  std::string text = std::string(kHeader) +
                     "at due: call # a\nat due + 30d: email \"longer\" # b\n# full\nat due: call # c\n";
  CHECK(Format(text) == std::string(kHeader) +
                            "at due: call                  # a\nat due + 30d: email \"longer\"  # b\n# full\n"
                            "at due: call  # c\n");
}

TEST_CASE("a break written before a comma moves after it", "[fmt]") {
  std::string text = std::string(kHeader) + "at due: call\n, email \"x\"\n";
  CHECK(Format(text) == std::string(kHeader) + "at due: call,\n    email \"x\"\n");
}

TEST_CASE("a call's script is not taken from the next statement once steps are split", "[fmt]") {
  std::string text = std::string(kHeader) + "at due: call final: at due + 30d: letter \"x\"\n";
  CHECK(Format(text) == std::string(kHeader) + "at due: call\nfinal: at due + 30d: letter \"x\"\n");
}

TEST_CASE("the example of the canonical layout in docs/language.md is in the canonical layout", "[fmt][docs]") {
  std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/docs/language.md");
  std::stringstream buffer;
  buffer << stream.rdbuf();
  std::string document = buffer.str();
  std::size_t section = document.find("## Canonical layout");
  REQUIRE(section != std::string::npos);
  std::size_t begin = document.find("```recoup\n", section);
  REQUIRE(begin != std::string::npos);
  begin += 10;
  std::string example = document.substr(begin, document.find("```", begin) - begin);
  CHECK(example.find("# between reminders") != std::string::npos);
  CHECK(Format(example) == example);
}

TEST_CASE("a formatted text that would not re-check is refused as an internal error", "[fmt]") {
  // The safety net itself: a file system showing other text at the path
  // makes the second load differ, which must be caught, not written.
  testing::MemoryFiles files(std::map<std::string, std::string>{{"policy.recoup", std::string(kHeader) + "at due: call\n"}});
  FormatRun run;
  Run(run, "policy.recoup", files, "");
  REQUIRE(run.ir.has_value());
  compiler::PolicyIr other = *run.ir;
  other.steps.clear();
  compiler::VerifiedFormat formatted = compiler::FormatVerified("policy.recoup", files, compiler::LoadOptions{""},
                                                                run.program, run.sources, run.diagnostics, other);
  CHECK(formatted.problem == "the formatted text gives a different Policy IR");
  CHECK(formatted.text.empty());
}

// Every policy and library file in the repository that checks: formatting
// succeeds (the same IR and syntax tree, the same comments and warnings, and
// formatting the result changes nothing: FormatVerified proves these), and,
// checked here again on its own, the output keeps every comment in order
// and formats to itself.
TEST_CASE("fmt is idempotent, keeps every comment and the IR of every policy in the repository", "[fmt]") {
  const std::string root = RECOUP_SOURCE_DIR;
  language::RealFileSystem files(root);
  std::vector<std::string> paths;
  for (const char* folder : {"examples", "stdlib", "tests/check", "tests/explain", "tests/policy-tests", "tests/fmt"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(root) / folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".recoup") {
        paths.push_back(fs::relative(entry.path(), root).generic_string());
      }
    }
  }
  std::sort(paths.begin(), paths.end());
  std::size_t formatted = 0;
  for (const std::string& path : paths) {
    INFO("file: " << path);
    FormatRun run;
    Run(run, path, files, root + "/stdlib");
    std::string name = fs::path(path).filename().string();
    // fail_ files are meant not to check; tests/check/inputs/ holds broken
    // imports (a cycle, a file with errors) for the check goldens.
    bool must_check = name.rfind("fail_", 0) != 0 && path.rfind("tests/check/inputs/", 0) != 0;
    if (!run.ir) {
      INFO("diagnostics:\n" << Rendered(run));
      CHECK(!must_check);
      continue;
    }
    INFO("problem: " << run.formatted.problem);
    REQUIRE(run.formatted.problem.empty());
    ++formatted;

    const language::SyntaxTree& tree = run.program.trees[run.program.main];
    std::size_t at = 0;
    for (const language::Comment& comment : tree.comments) {
      std::string text = comment.text;
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
      std::size_t found = run.formatted.text.find(text, at);
      INFO("comment: " << text);
      REQUIRE(found != std::string::npos);
      at = found + text.size();
    }
    language::SourceSet sources;
    language::DiagnosticList diagnostics;
    language::FileId id = sources.Add(path, run.formatted.text);
    language::SyntaxTree again_tree = language::Parse(sources.Get(id), id, diagnostics);
    REQUIRE(!diagnostics.HasErrors());
    std::string problem;
    CHECK(language::FormatPolicyText(sources.Get(id), again_tree, problem) == run.formatted.text);
  }
  // Every example, stdlib file and passing golden policy: 127 when written.
  CHECK(formatted >= 120);
}

}  // namespace recoup
