// Hostile input through the whole front end and the interpreter: numbers
// too big for exact money, megabyte lines and identifiers, imports that try
// to leave the policy folder through real symbolic links (loops included),
// deep chains of imports, templates and anchors, and recurring steps that
// could only stop at the horizon. Each case must end quickly with a
// diagnostic or a bounded result, never a crash or a hang. The parser's own
// cases (nesting, NUL, invalid UTF-8, 16 MB files) are in
// parser_hostile_test.cpp; docs/reliability.md lists which test proves what.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/interpreter.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"

namespace recoup::hostile {
namespace {

namespace fs = std::filesystem;
using compiler::Interpret;
using compiler::InterpretResult;
using compiler::SubjectFacts;
using runtime::Date;

class MemoryFiles final : public language::FileSystem {
 public:
  explicit MemoryFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    auto found = files_.find(fs::path(path).lexically_normal().string());
    if (found == files_.end()) {
      if (error) *error = "no such file";
      return std::nullopt;
    }
    return found->second;
  }
  std::optional<std::string> Canonical(const std::string& path) const override {
    std::string normal = fs::path(path).lexically_normal().string();
    if (!files_.count(normal)) return std::nullopt;
    return normal;
  }

 private:
  std::map<std::string, std::string> files_;
};

struct Checked {
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program;
  compiler::CheckResult ir;
  double seconds = 0;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      codes.emplace_back(language::InfoOf(diagnostic.kind).code);
    }
    return codes;
  }
  bool Has(const std::string& code) const {
    auto codes = Codes();
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
  std::string Dump() const {
    std::string out;
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      std::string line = std::string(language::InfoOf(diagnostic.kind).code) + " " + diagnostic.message;
      out += line.substr(0, 300) + "\n";
    }
    return out;
  }
};

std::unique_ptr<Checked> CheckWith(const std::string& main_path, const language::FileSystem& files) {
  auto checked = std::make_unique<Checked>();
  auto start = std::chrono::steady_clock::now();
  checked->program = compiler::LoadProgram(main_path, files, compiler::LoadOptions{""}, checked->sources,
                                           checked->diagnostics);
  if (!checked->program.trees.empty()) checked->ir = compiler::Check(checked->program, checked->sources, checked->diagnostics);
  checked->diagnostics.SortAndDeduplicate();
  checked->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return checked;
}

std::unique_ptr<Checked> CheckFiles(std::map<std::string, std::string> files) {
  return CheckWith("/p/main.recoup", MemoryFiles(std::move(files)));
}

std::unique_ptr<Checked> CheckSource(const std::string& text) { return CheckFiles({{"/p/main.recoup", text}}); }

const std::string kHeader = "policy \"Hostile\"\ncurrency USD\n";

Date D(const char* iso) { return *Date::ParseIso(iso); }

SubjectFacts OneInvoice(runtime::CurrencyId currency, std::int64_t minor) {
  SubjectFacts facts;
  facts.customer_id = "C-1";
  facts.invoices.push_back({"INV-1", D("2026-01-01"), D("2026-01-31"), runtime::Money{minor, currency}, {}});
  return facts;
}

InterpretResult RunFor(const compiler::PolicyIr& policy, const SubjectFacts& facts, std::int32_t horizon_days) {
  compiler::InterpretOptions options;
  options.horizon = compiler::DefaultHorizon(facts, horizon_days);
  return Interpret(policy, facts, options);
}

// A fresh folder under the system's temporary folder, removed afterwards.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (fs::temp_directory_path() / "recoup-hostile-XXXXXX").string();
    path_ = fs::path(mkdtemp(pattern.data()));
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("amounts beyond int64 minor units are errors, never wrapped", "[hostile][numbers]") {
  SECTION("one cent past the largest USD amount has 19 digits: E0005") {
    auto checked = CheckSource(kHeader + "at due: fee 92233720368547758.08 USD\n");
    INFO(checked->Dump());
    CHECK(checked->Codes() == std::vector<std::string>{"E0005"});
  }
  SECTION("18 digits of a three-decimal currency do not fit in minor units") {
    auto checked = CheckSource("policy \"Hostile\"\ncurrency BHD\nat due: fee 999999999999999999 BHD\n");
    INFO(checked->Dump());
    CHECK(checked->diagnostics.HasErrors());
    CHECK_FALSE(checked->ir);
  }
  SECTION("the largest JPY amount checks, and charging it twice is an error value at run time") {
    auto checked = CheckSource("policy \"Hostile\"\ncurrency JPY\n"
                               "at due: fee 100% of amount\nat due + 1d: fee 999999999999999999 JPY\n");
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    InterpretResult result =
        RunFor(*checked->ir, OneInvoice(checked->ir->header.currency, 9'000'000'000'000'000'000), 180);
    REQUIRE(result.error);
    CHECK_FALSE(result.error->empty());
  }
}

TEST_CASE("percentages too big or written with an exponent", "[hostile][numbers]") {
  SECTION("99999999999999999999% has 20 digits: E0005") {
    auto checked = CheckSource(kHeader + "at due: fee 99999999999999999999% of balance\n");
    INFO(checked->Dump());
    CHECK(checked->Codes() == std::vector<std::string>{"E0005"});
  }
  SECTION("1e308% is not a number of the language: `1` then a syntax error at `e308`") {
    auto checked = CheckSource(kHeader + "at due: fee 1e308% of balance\n");
    INFO(checked->Dump());
    CHECK(checked->Codes() == std::vector<std::string>{"E0105", "E0001"});
    CHECK(checked->diagnostics.all().back().message.find("`e308`") != std::string::npos);
    CHECK_FALSE(checked->ir);
  }
  SECTION("an interest rate of 999999999999999999% a year checks, and its first day overflows: an error value") {
    auto checked = CheckSource(kHeader + "at due: interest 999999999999999999% per year\n");
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    InterpretResult result = RunFor(*checked->ir, OneInvoice(checked->ir->header.currency, 1'200'000), 365);
    REQUIRE(result.error);
    CHECK(result.error->find("too large") != std::string::npos);
  }
}

TEST_CASE("megabyte lines and 100,000-character names", "[hostile][size]") {
  const std::string long_name(100'000, 'n');
  SECTION("a 1 MB comment line and a 1 MB template name") {
    std::string text = kHeader + "# " + std::string(1 << 20, 'c') + "\nat due: email \"" +
                       std::string(1 << 20, 't') + "\"\n";
    auto checked = CheckSource(text);
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    InterpretResult result = RunFor(*checked->ir, OneInvoice(checked->ir->header.currency, 1'200'000), 180);
    REQUIRE(result.firings.size() == 1);
    CHECK(result.firings[0].actions[0].text.size() == (1u << 20));
  }
  SECTION("a constant with a 100,000-character name, defined and used") {
    auto checked = CheckSource(kHeader + "const " + long_name + " = 5d\nat due + " + long_name + ": call\n");
    INFO(checked->Dump());
    CHECK(checked->ir);
  }
  SECTION("a misspelt 100,000-character name is reported quickly (no quadratic suggestion)") {
    auto checked = CheckSource(kHeader + "const " + long_name + " = 5d\nat due + " + long_name + "x: call\n");
    INFO(checked->Dump());
    CHECK(checked->Has("E0101"));
    CHECK(checked->seconds < 10.0);
  }
  SECTION("no suggestion is computed for names longer than kMaxSuggestedNameLength") {
    std::string near(language::kMaxSuggestedNameLength + 1, 'n');
    CHECK(language::ClosestName(near + "x", {near}).empty());
    std::string short_name(language::kMaxSuggestedNameLength - 1, 'n');
    CHECK(language::ClosestName(short_name + "x", {short_name}) == short_name);
  }
  SECTION("a 1 MB line of garbage words after a valid header") {
    std::string garbage;
    while (garbage.size() < (1u << 20)) garbage += "zz ";
    auto checked = CheckSource(kHeader + garbage + "\n");
    CHECK(checked->diagnostics.HasErrors());
    CHECK(checked->diagnostics.all().size() <= 4);
    CHECK(checked->seconds < 10.0);
  }
}

TEST_CASE("imports through real symbolic links cannot loop or escape", "[hostile][imports]") {
  TemporaryFolder root;
  root.Write("policy/lib.recoup", "const gap = 5d\n");
  root.Write("outside/secret.recoup", "const secret = 1d\n");
  fs::create_symlink("loop-b.recoup", root.path() / "policy/loop-a.recoup");
  fs::create_symlink("loop-a.recoup", root.path() / "policy/loop-b.recoup");
  fs::create_symlink("self.recoup", root.path() / "policy/self.recoup");
  fs::create_symlink("main.recoup", root.path() / "policy/me.recoup");
  fs::create_symlink(root.path() / "outside/secret.recoup", root.path() / "policy/escape.recoup");
  fs::create_symlink("../outside", root.path() / "policy/escape-folder");
  fs::create_symlink(".", root.path() / "policy/here");
  REQUIRE(mkfifo((root.path() / "policy/pipe.recoup").c_str(), 0600) == 0);
  language::RealFileSystem files(root.path().string());

  auto check_import = [&](const std::string& import) {
    root.Write("policy/main.recoup", "import \"" + import + "\"\n" + kHeader + "at due: call\n");
    return CheckWith("policy/main.recoup", files);
  };
  SECTION("a loop of two links: not found, no hang") {
    auto checked = check_import("loop-a.recoup");
    INFO(checked->Dump());
    CHECK(checked->Codes() == std::vector<std::string>{"E0301"});
  }
  SECTION("a link to itself") {
    CHECK(check_import("self.recoup")->Codes() == std::vector<std::string>{"E0301"});
  }
  SECTION("a link back to the main file is the main file importing itself") {
    CHECK(check_import("me.recoup")->Codes() == std::vector<std::string>{"E0302"});
  }
  SECTION("a folder link pointing at its own folder, followed 40 times, is still the main file") {
    std::string path;
    for (int i = 0; i < 40; ++i) path += "here/";
    CHECK(check_import(path + "main.recoup")->Codes() == std::vector<std::string>{"E0302"});
    CHECK(check_import(path + "lib.recoup")->Codes().empty());
  }
  SECTION("links to a file or a folder outside the policy folder: E0303, never read") {
    CHECK(check_import("escape.recoup")->Codes() == std::vector<std::string>{"E0303"});
    CHECK(check_import("escape-folder/secret.recoup")->Codes() == std::vector<std::string>{"E0303"});
    CHECK(check_import("../outside/secret.recoup")->Codes() == std::vector<std::string>{"E0303"});
  }
  SECTION("a folder (the policy's own, through a link), and a named pipe that would block a reader forever") {
    auto folder = check_import("here");
    INFO(folder->Dump());
    CHECK(folder->Codes() == std::vector<std::string>{"E0301"});
    CHECK(folder->Dump().find("folder") != std::string::npos);
    CHECK(check_import(".")->Codes() == std::vector<std::string>{"E0301"});
    auto pipe = check_import("pipe.recoup");
    INFO(pipe->Dump());
    CHECK(pipe->Codes() == std::vector<std::string>{"E0301"});
  }
}

TEST_CASE("deep chains: imports, templates, anchors", "[hostile][nesting]") {
  SECTION("300 files importing each other in a line stop at 256 with E0301") {
    std::map<std::string, std::string> files;
    files["/p/main.recoup"] = "import \"f0.recoup\"\n" + kHeader + "at due: call\n";
    for (int i = 0; i < 300; ++i) {
      files["/p/f" + std::to_string(i) + ".recoup"] =
          "import \"f" + std::to_string(i + 1) + ".recoup\"\nconst c" + std::to_string(i) + " = 1\n";
    }
    files["/p/f300.recoup"] = "const last = 1\n";
    auto checked = CheckFiles(files);
    INFO(checked->Dump());
    CHECK(checked->Codes() == std::vector<std::string>{"E0301"});
  }
  SECTION("2,000 templates each using the next") {
    std::string text = kHeader;
    for (int i = 0; i < 2000; ++i) {
      text += "template t" + std::to_string(i) + "() {\n use t" + std::to_string(i + 1) + "()\n}\n";
    }
    text += "template t2000() {\n at due: call\n}\nuse t0()\n";
    auto checked = CheckSource(text);
    INFO(checked->Dump().substr(0, 2000));
    CHECK(checked->seconds < 20.0);
    // Either expanded or refused with a diagnostic; never a stack overflow.
    if (!checked->ir) CHECK(checked->diagnostics.HasErrors());
  }
  SECTION("10,000 steps each anchored to the one before") {
    std::string text = kHeader + "s0: at due: call\n";
    for (int i = 1; i < 10000; ++i) {
      text += "s" + std::to_string(i) + ": at s" + std::to_string(i - 1) + " + 1d: email \"e\"\n";
    }
    auto checked = CheckSource(text);
    INFO(checked->Dump().substr(0, 2000));
    CHECK(checked->seconds < 20.0);
    if (checked->ir) {
      InterpretResult result = RunFor(*checked->ir, OneInvoice(checked->ir->header.currency, 1'200'000), 180);
      CHECK(result.firings.size() <= 182);
    }
  }
}

TEST_CASE("recurring steps stop at the horizon whatever their max", "[hostile][termination]") {
  auto checked = CheckSource(kHeader + "every 1d from issue max 1000000 times: email \"daily\"\n"
                                       "every 1d from due: email \"forever\"\n");
  INFO(checked->Dump());
  REQUIRE(checked->ir);
  SubjectFacts facts = OneInvoice(checked->ir->header.currency, 1'200'000);
  auto start = std::chrono::steady_clock::now();
  InterpretResult result = RunFor(*checked->ir, facts, 20 * 365);  // a 20-year horizon
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(result.error);
  CHECK(result.conservation_ok);
  std::int64_t days = (result.horizon - D("2026-01-01")) + 1;
  std::size_t daily = 0;
  std::size_t forever = 0;
  for (const compiler::Firing& firing : result.firings) {
    CHECK(firing.date <= result.horizon);
    (firing.cause.index == 0 ? daily : forever) += 1;
  }
  CHECK(static_cast<std::int64_t>(daily) == days);
  CHECK(static_cast<std::int64_t>(forever) == days - 30);
  CHECK(seconds < 20.0);
}

}  // namespace recoup::hostile
