// Hostile input: deep nesting, bad encodings, huge files and garbage never
// crash, hang or overflow the stack, and big valid files parse quickly.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "language/file_system.h"

#include "tests/unit/parser_test_support.h"

namespace recoup::language {
using testing::ParseClean;
using testing::ParseText;

TEST_CASE("E0003: nesting too deep, never a stack overflow", "[parser][errors][hostile]") {
  SECTION("10,000 nested parentheses stop at the 257th") {
    std::string text = "const x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\nconst y = 2\n";
    auto parsed = ParseText(text);
    const Diagnostic& error = parsed->Only();
    CHECK(InfoOf(error.kind).code == "E0003");
    CHECK(error.range.begin == 10 + 256);  // the 257th `(`
    CHECK(parsed->tree.constants.size() == 1);
  }
  SECTION("256 levels are fine") {
    std::string text = "const x = " + std::string(256, '(') + "1" + std::string(256, ')') + "\n";
    auto parsed = ParseClean(text);
    CHECK(parsed->expr(parsed->tree.constants[0].value).decimal.digits == 1);
  }
  SECTION("other nesting: not, minus, lists, end of month, grouped anchors") {
    std::string nots;
    for (int i = 0; i < 5000; ++i) nots += "not ";
    std::string months;
    for (int i = 0; i < 5000; ++i) months += "end of month of ";
    std::string text = "const a = " + nots + "true\n" + "const b = " + std::string(5000, '-') + "1\n" +
                       "const c = " + std::string(5000, '[') + std::string(5000, ']') + "\n" + "at " + months +
                       "due: call\n" + "at " + std::string(5000, '(') + "due" + std::string(5000, ')') + ": call\n";
    auto parsed = ParseText(text);
    CHECK(parsed->Codes() == std::vector<std::string>{"E0003", "E0003", "E0003", "E0003", "E0003"});
  }
  SECTION("a very long chain of operators") {
    std::string text = "const s = 1";
    for (int i = 0; i < 100000; ++i) text += " + 1";
    auto parsed = ParseText(text + "\n");
    CHECK(parsed->Codes() == std::vector<std::string>{"E0003"});
  }
}

TEST_CASE("E0004: invalid encoding stops at the first bad byte", "[parser][errors][hostile]") {
  SECTION("invalid UTF-8") {
    auto parsed = ParseText(std::string("policy \"x\"\nconst a = \"ok\"\nconst b = \"\xFF\xFE\"\nat: ?? \xC3\n"));
    const Diagnostic& error = parsed->Only();
    CHECK(InfoOf(error.kind).code == "E0004");
    CHECK(parsed->At(error.range).line == 3);
    CHECK(parsed->At(error.range).column == 12);
    CHECK(parsed->tree.header.empty());
  }
  SECTION("a NUL byte") {
    auto parsed = ParseText(std::string("policy \"x\"\n\0\n", 13));
    CHECK(parsed->Only().range.begin == 11);
    CHECK(parsed->Only().message.find("NUL") != std::string::npos);
  }
  SECTION("binary garbage") {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919 + 13) % 256));
    auto parsed = ParseText(garbage);
    CHECK(parsed->Codes() == std::vector<std::string>{"E0004"});
  }
  SECTION("an overlong encoding and a lone continuation byte") {
    CHECK(ParseText("const a = \"\xC0\xAF\"")->Codes() == std::vector<std::string>{"E0004"});
    CHECK(ParseText("const a = \"\x80\"")->Codes() == std::vector<std::string>{"E0004"});
    CHECK(ParseText("const a = \"\xED\xA0\x80\"")->Codes() == std::vector<std::string>{"E0004"});
  }
}

TEST_CASE("E0009: a file larger than a policy may be is not parsed", "[parser][errors][hostile]") {
  auto parsed = ParseText(std::string(kMaxPolicyFileBytes + 1, ' '));
  CHECK(parsed->Codes() == std::vector<std::string>{"E0009"});
  auto fits = ParseText(std::string(kMaxPolicyFileBytes, ' '));
  CHECK(fits->diagnostics.all().empty());
}

TEST_CASE("hostile input never crashes", "[parser][hostile]") {
  const char* inputs[] = {
      "\"",          "\"\\",          "(",         ")",           "[",           "at (",      "at due +",
      "every",       "#",             "\r",        "\r\n\r\n",    "a:",          "a: b:",     "1",
      "1.",          ".5",            "1 USD:",    "2026-",       "2026-01-",    "}}}}",      "{",
      "const x = ]", "at due: \"x\"", "test \"",   "calendar",    "costs {",     "costs {}",  "template t(",
      "test \"t\" {", "\xEF\xBB\xBF", "\t\t\t",    "x\xC3\xA9",   "const é = 1", "at due: email \"\\\"",
  };
  for (const char* text : inputs) {
    INFO(text);
    auto parsed = ParseText(text);
    CHECK(parsed->diagnostics.all().size() <= 4);
  }
}

TEST_CASE("a 10 MB file of valid steps parses in a few seconds", "[parser][hostile][performance]") {
  std::string text = "policy \"big\"\ncurrency USD\n";
  std::size_t steps = 0;
  while (text.size() < 10u * 1024u * 1024u) {
    text += "s" + std::to_string(steps) + ": at due + " + std::to_string(steps % 90) + "d: email \"reminder-" +
            std::to_string(steps) + "\", fee 2% of balance min 25 USD if invoice.amount >= 100 USD and " +
            "customer.segment in [\"a\", \"b\"]\n";
    ++steps;
  }
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseText(text);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("parsed " << text.size() << " bytes, " << steps << " steps in " << seconds << " s");
  CHECK(parsed->diagnostics.all().empty());
  CHECK(parsed->tree.body.steps.size() == steps);
  CHECK(seconds < 20.0);  // about 1 s in a release build; generous for debug and sanitizer builds
}

}  // namespace recoup::language
