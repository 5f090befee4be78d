// Parse errors: plain words, the right place, every error of a run and no
// cascades, and each parse-level code.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/unit/parser_test_support.h"

namespace recoup::language {
using testing::ParseText;

TEST_CASE("E0001: syntax errors in plain words, at the right place", "[parser][errors]") {
  SECTION("a misspelt action") {
    auto parsed = ParseText("at due + 30d: emial \"x\"\n");
    const Diagnostic& error = parsed->Only();
    CHECK(InfoOf(error.kind).code == "E0001");
    CHECK(error.message == "expected an action (email, letter, call, fee, agency...) after `:`, but found `emial`");
    CHECK(parsed->At(error.range).column == 15);
    CHECK(parsed->Text(error.range) == "emial");
  }
  SECTION("a label without a trigger") {
    auto parsed = ParseText("final: letter \"x\"\n");
    CHECK(parsed->Only().message ==
          "expected a trigger such as `at due + 30d` after the label `final:`, but found `letter`");
  }
  SECTION("an unclosed parenthesis names the line it was opened on") {
    auto parsed = ParseText("const a = 1\nconst b = (2 +\n  3\nconst c = 4\n");
    const Diagnostic& error = parsed->Only();
    CHECK(error.message == "expected `)` to close the `(` opened at line 2");
    CHECK(parsed->At(error.range).line == 3);
    CHECK(parsed->tree.constants.size() == 2);
  }
  SECTION("a missing part at the end of a line points at the end of the line") {
    auto parsed = ParseText("at due + 30d:\nat due + 45d: call\n");
    const Diagnostic& error = parsed->Only();
    CHECK(error.message == "expected an action (email, letter, call, fee, agency...) after `:`");
    CHECK(parsed->At(error.range).line == 1);
    CHECK(parsed->At(error.range).column == 14);
    CHECK(parsed->tree.body.steps.size() == 1);
  }
  SECTION("no message names a grammar rule") {
    for (const char* text : {"at", "at due", "every", "every 14d", "every 14d from", "at due + 30d: fee",
                             "at due: task \"x\"", "at due: agency \"a\"", "pause", "pause on", "stop", "use",
                             "use x(", "template", "template t(", "test", "test \"t\" {", "policy", "currency",
                             "applies", "subject", "after", "after agency", "const", "const x", "const x =",
                             "attribute", "attribute invoice.x:", "calendar c {\nweekend", "costs c {\nemail",
                             "import", "at due: fee 2% of", "const x = 1 +", "const x = [1,", "const x = fired(",
                             "7 days", "at end of", "at due: suspend", "at due: write", "const x = 1 per",
                             "test \"t\" {\ninvoice", "test \"t\" {\nexpect", "test \"t\" {\nexpect letter at",
                             "}", "@", "at due: email \"x\" if", "const x = not", "stop when"}) {
      auto parsed = ParseText(text);
      INFO(text);
      REQUIRE_FALSE(parsed->diagnostics.all().empty());
      for (const Diagnostic& diagnostic : parsed->diagnostics.all()) {
        CHECK(diagnostic.message.find("recoup::") == std::string::npos);
        CHECK(diagnostic.message.find("kw_") == std::string::npos);
        CHECK(diagnostic.message.find("grammar") == std::string::npos);
        CHECK(diagnostic.message.find("parse error") == std::string::npos);
      }
    }
  }
  SECTION("an unknown type and an unknown weekday") {
    auto type = ParseText("attribute invoice.region: txt\n");
    CHECK(type->Only().message.find("`txt` is not a type") == 0);
    auto day = ParseText("calendar c {\n  weekend saturday, sonday\n}\n");
    CHECK(day->Only().message.find("`sonday` is not a day of the week") == 0);
  }
  SECTION("a stray closing brace") {
    auto parsed = ParseText("policy \"x\"\n}\n");
    CHECK(parsed->Only().message.find("closes nothing") != std::string::npos);
    CHECK(parsed->At(parsed->Only().range).line == 2);
  }
}

TEST_CASE("all errors are reported in one run, without cascades", "[parser][errors]") {
  SECTION("three independent errors give three diagnostics") {
    auto parsed = ParseText(R"(policy "x"
currency USD
at due + 15d: emial "a"
at due + 30d: letter "b"
second: at due + 30d letter "c"
at due + 45d: call
const limit = (1 + 2
at due + 60d: agency "A" contingency 30%
)");
    REQUIRE(parsed->Codes() == std::vector<std::string>{"E0001", "E0001", "E0001"});
    CHECK(parsed->At(parsed->diagnostics.all()[0].range).line == 3);
    CHECK(parsed->At(parsed->diagnostics.all()[1].range).line == 5);
    CHECK(parsed->At(parsed->diagnostics.all()[2].range).line == 7);
    // The good statements around the errors are all in the tree.
    CHECK(parsed->tree.header.size() == 2);
    CHECK(parsed->tree.body.steps.size() == 3);
  }
  SECTION("an error in a multi-line statement resumes at the next statement") {
    auto parsed = ParseText("applies to invoice.amount >=\n   and 5\n   or 7\nat due: call\n");
    CHECK(parsed->Codes() == std::vector<std::string>{"E0001"});
    CHECK(parsed->tree.body.steps.size() == 1);
  }
  SECTION("errors inside a test block are each reported, and the block still closes") {
    auto parsed = ParseText(R"(test "t" {
  invoice 100 USD issued 2026-01-01
  expect letter at due + 30d
  payment 5 USD 2026-02-01
  expect never
}
at due: call
)");
    CHECK(parsed->Codes() == std::vector<std::string>{"E0001", "E0001", "E0001"});
    REQUIRE(parsed->tree.tests.size() == 1);
    CHECK(parsed->tree.tests[0].expectations.size() == 1);
    CHECK(parsed->tree.body.steps.size() == 1);
  }
  SECTION("an error in a template's head skips its body instead of misreading it") {
    auto parsed = ParseText("template t(a: durration) {\n  at due + a: email \"x\"\n}\nat due: call\n");
    CHECK(parsed->Codes() == std::vector<std::string>{"E0001"});
    CHECK(parsed->tree.body.steps.size() == 1);
  }
  SECTION("a block missing its `}` is reported once") {
    auto parsed = ParseText("template t() {\n  at due: call\n\npolicy \"x\"\nat due: email \"y\"\n");
    CHECK(parsed->Codes() == std::vector<std::string>{"E0001"});
    CHECK(parsed->Only().message == "expected `}` to close the template `t` opened at line 1");
    CHECK(parsed->tree.templates[0].body.steps.size() == 1);
    CHECK(parsed->tree.body.steps.size() == 1);
    auto at_end = ParseText("test \"t\" {\n  horizon 10d\n");
    CHECK(at_end->Only().message.find("never closed") != std::string::npos);
    CHECK(at_end->tree.tests.size() == 1);
  }
}

TEST_CASE("E0002: a text not closed on its line", "[parser][errors]") {
  auto parsed = ParseText("at due: email \"overdue\nat due + 1d: call\n");
  const Diagnostic& error = parsed->Only();
  CHECK(InfoOf(error.kind).code == "E0002");
  CHECK(parsed->At(error.range).column == 15);
  CHECK(parsed->Text(error.range) == "\"overdue");
  CHECK(parsed->tree.body.steps.size() == 1);
}

TEST_CASE("E0005: numbers that do not fit exactly", "[parser][errors]") {
  auto parsed = ParseText("const a = 9223372036854775808\nconst b = 0.1234567890123456789\nconst c = 5 USD\n");
  CHECK(parsed->Codes() == std::vector<std::string>{"E0005", "E0005"});
  CHECK(parsed->Text(parsed->diagnostics.all()[0].range) == "9223372036854775808");
  CHECK(parsed->tree.constants.size() == 1);
}

TEST_CASE("E0006: dates that do not exist", "[parser][errors]") {
  auto parsed = ParseText(
      "const a = 2026-02-30\nconst b = 2025-02-29\nconst c = 2026-13-01\nconst d = 2026-04-31\nconst e = 2026-00-10\n"
      "const f = 2024-02-29\n");
  CHECK(parsed->Codes() == std::vector<std::string>{"E0006", "E0006", "E0006", "E0006", "E0006"});
  CHECK(parsed->Text(parsed->diagnostics.all()[0].range) == "2026-02-30");
  // The statements are kept (with the nearest real day), so no second error
  // follows from a missing constant or test invoice.
  CHECK(parsed->tree.constants.size() == 6);
  CHECK(parsed->tree.expression(parsed->tree.constants[0].value).date.day == 28);
}

TEST_CASE("E0008: reserved words used as names", "[parser][errors]") {
  auto parsed = ParseText(
      "const due = 5\ndue: at issue: call\ntemplate fee() {\n}\nimport \"x\" as policy\nuse t(invoice: 5)\n");
  CHECK(parsed->Codes() == std::vector<std::string>{"E0008", "E0008", "E0008", "E0008", "E0008"});
  const Diagnostic& first = parsed->diagnostics.all()[0];
  CHECK(first.message == "`due` is a word of the language and cannot be used as the name of a constant; "
                         "choose another name");
  CHECK(parsed->Text(first.range) == "due");
  CHECK(parsed->diagnostics.all()[1].message.find("a step's label") != std::string::npos);
}

}  // namespace recoup::language
