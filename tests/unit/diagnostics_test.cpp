#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "language/diagnostics.h"

namespace recoup::language {
namespace {

SourceRange RangeOf(const SourceSet& sources, FileId file, std::string_view needle, std::size_t length = 0) {
  std::size_t begin = sources.Get(file).text().find(needle);
  REQUIRE(begin != std::string::npos);
  std::size_t end = begin + (length ? length : needle.size());
  return {file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

Diagnostic Make(DiagnosticKind kind, SourceRange range, std::string message) {
  return Diagnostic{kind, range, std::move(message), {}, {}};
}

TEST_CASE("The registry is complete and in code order", "[language][diagnostics]") {
  const auto& kinds = AllDiagnosticKinds();
  REQUIRE(!kinds.empty());
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CHECK(codes.insert(kinds[i].code).second);
    if (i > 0) CHECK(kinds[i - 1].code < kinds[i].code);
    CHECK(&InfoOf(kinds[i].kind) != nullptr);
    CHECK(InfoOf(kinds[i].kind).code == kinds[i].code);
    CHECK((kinds[i].severity == Severity::Warning) == (kinds[i].code[0] == 'W'));
  }
  CHECK(InfoOf(DiagnosticKind::UnitMismatch).code == "E0102");
  CHECK(InfoOf(DiagnosticKind::UnitMismatch).name == "UnitMismatch");
  CHECK(InfoOf(DiagnosticKind::UnreachableStep).severity == Severity::Warning);
}

TEST_CASE("Source positions count code points and skip a byte order mark", "[language][source]") {
  SourceFile file("f.recoup", "caf\xC3\xA9 x\r\nsecond\n");
  CHECK(file.Locate(6).column == 6);  // 'x' after the two-byte é
  CHECK(file.Locate(6).line == 1);
  CHECK(file.Line(1) == "caf\xC3\xA9 x");
  CHECK(file.Locate(9).line == 2);
  CHECK(file.Locate(9).column == 1);
  CHECK(file.Locate(1000).line == 3);  // clamped to the end
  SourceFile with_mark("g.recoup", "\xEF\xBB\xBF" "abc\ndef");
  CHECK(with_mark.Locate(3).column == 1);
  CHECK(with_mark.Locate(4).column == 2);
  CHECK(with_mark.Line(1) == "abc");
  CHECK(with_mark.Line(2) == "def");
  CHECK(with_mark.Line(3).empty());
}

TEST_CASE("RenderText: location, source line and caret", "[language][diagnostics]") {
  SourceSet sources;
  FileId file = sources.Add("policies/net30.recoup", "policy \"x\"\ncurrency USD\nat due + 30d: fee 30d + 5 USD\n");
  Diagnostic diagnostic =
      Make(DiagnosticKind::UnitMismatch, RangeOf(sources, file, "30d + 5 USD"), "cannot add a duration to money");
  CHECK(RenderText(diagnostic, sources) ==
        "policies/net30.recoup:3:19: error[E0102]: cannot add a duration to money\n"
        "   3 | at due + 30d: fee 30d + 5 USD\n"
        "     |                   ^^^^^^^^^^^\n");
}

TEST_CASE("RenderText: tabs and multi-byte characters line up with the caret", "[language][diagnostics]") {
  SourceSet sources;
  FileId file = sources.Add("f.recoup", "\tcall \"\xC3\xA9\"\tbad\n");
  Diagnostic diagnostic = Make(DiagnosticKind::UnknownName, RangeOf(sources, file, "bad"), "unknown name `bad`");
  // Header column counts code points (the tab is one); the display expands
  // the tabs to stops of four, and é takes one column.
  CHECK(RenderText(diagnostic, sources) ==
        "f.recoup:1:11: error[E0101]: unknown name `bad`\n"
        "   1 |     call \"\xC3\xA9\"    bad\n"
        "     |                 ^^^\n");

  FileId wide = sources.Add("w.recoup", "email \"\xE6\x97\xA5\xE6\x9C\xAC\" oops\n");
  Diagnostic second = Make(DiagnosticKind::SyntaxError, RangeOf(sources, wide, "\xE6\x97\xA5\xE6\x9C\xAC"), "here");
  CHECK(RenderText(second, sources) ==
        "w.recoup:1:8: error[E0001]: here\n"
        "   1 | email \"\xE6\x97\xA5\xE6\x9C\xAC\" oops\n"
        "     |        ^^^^\n");
}

TEST_CASE("RenderText: ranges over several lines, empty ranges and end of file", "[language][diagnostics]") {
  SourceSet sources;
  FileId file = sources.Add("m.recoup", "abc def\nghi\n");
  SourceRange spanning = RangeOf(sources, file, "def", 6);
  CHECK(RenderText(Make(DiagnosticKind::SyntaxError, spanning, "spans"), sources) ==
        "m.recoup:1:5: error[E0001]: spans\n"
        "   1 | abc def\n"
        "     |     ^^^\n");
  SourceRange empty{file, 4, 4};
  CHECK(RenderText(Make(DiagnosticKind::SyntaxError, empty, "empty"), sources) ==
        "m.recoup:1:5: error[E0001]: empty\n"
        "   1 | abc def\n"
        "     |     ^\n");
  SourceRange at_end{file, 12, 12};
  CHECK(RenderText(Make(DiagnosticKind::SyntaxError, at_end, "expected `}`"), sources) ==
        "m.recoup:3:1: error[E0001]: expected `}`\n"
        "   3 |\n"
        "     | ^\n");
  FileId unterminated = sources.Add("n.recoup", "abc");
  CHECK(RenderText(Make(DiagnosticKind::SyntaxError, {unterminated, 3, 3}, "eof"), sources) ==
        "n.recoup:1:4: error[E0001]: eof\n"
        "   1 | abc\n"
        "     |    ^\n");
  FileId empty_file = sources.Add("e.recoup", "");
  CHECK(RenderText(Make(DiagnosticKind::EmptyFile, {empty_file, 0, 5}, "empty file"), sources) ==
        "e.recoup:1:1: warning[W0005]: empty file\n"
        "   1 |\n"
        "     | ^\n");
  CHECK(RenderText(Make(DiagnosticKind::SyntaxError, {99, 0, 1}, "lost"), sources) ==
        "<unknown>: error[E0001]: lost\n");
}

TEST_CASE("RenderText: notes, help and a shared gutter width", "[language][diagnostics]") {
  std::string text;
  for (int i = 1; i <= 8; ++i) text += "# filler\n";
  text += "first: at due + 1d: email \"a\"\nfirst: at due + 2d: email \"b\"\n";
  SourceSet sources;
  FileId file = sources.Add("d.recoup", text);
  Diagnostic diagnostic = Make(DiagnosticKind::DuplicateLabel, {file, 0, 0}, "the label `first` is used twice");
  std::size_t second = text.rfind("first");
  diagnostic.range = {file, static_cast<std::uint32_t>(second), static_cast<std::uint32_t>(second + 5)};
  diagnostic.notes.push_back({RangeOf(sources, file, "first"), "the first step with this label is here"});
  diagnostic.help = "give each step its own label";
  CHECK(RenderText(diagnostic, sources) ==
        "d.recoup:10:1: error[E0203]: the label `first` is used twice\n"
        "   10 | first: at due + 2d: email \"b\"\n"
        "      | ^^^^^\n"
        "d.recoup:9:1: note: the first step with this label is here\n"
        "    9 | first: at due + 1d: email \"a\"\n"
        "      | ^^^^^\n"
        "   = help: give each step its own label\n");
}

TEST_CASE("Report returns the stored diagnostic and counts by severity", "[language][diagnostics]") {
  DiagnosticList list;
  list.Report(DiagnosticKind::UnknownName, {0, 1, 2}, "unknown").help = "did you mean `final`?";
  list.Report(DiagnosticKind::UnreachableStep, {0, 3, 4}, "never fires")
      .notes.push_back({{0, 0, 1}, "because of this"});
  REQUIRE(list.all().size() == 2);
  CHECK(list.all()[0].help == "did you mean `final`?");
  CHECK(list.all()[1].notes.size() == 1);
  CHECK(list.HasErrors());
  CHECK(list.ErrorCount() == 1);
  CHECK(list.WarningCount() == 1);
  DiagnosticList warnings_only;
  warnings_only.Report(DiagnosticKind::EmptyFile, {}, "empty");
  CHECK_FALSE(warnings_only.HasErrors());
  warnings_only.Append(list);
  CHECK(warnings_only.all().size() == 3);
}

TEST_CASE("SortAndDeduplicate is deterministic whatever the report order", "[language][diagnostics]") {
  std::vector<Diagnostic> reports = {
      Make(DiagnosticKind::UnknownName, {1, 5, 9}, "b"),
      Make(DiagnosticKind::UnknownName, {0, 20, 25}, "a"),
      Make(DiagnosticKind::UnitMismatch, {0, 5, 9}, "x"),
      Make(DiagnosticKind::UnknownName, {0, 5, 9}, "z"),
      Make(DiagnosticKind::UnknownName, {0, 5, 9}, "y"),
      Make(DiagnosticKind::UnknownName, {0, 5, 7}, "y"),
      Make(DiagnosticKind::UnknownName, {0, 5, 9}, "y"),  // exact duplicate
  };
  reports[4].help = "h";
  reports[6].help = "h";
  std::vector<std::string> expected = {"0:5:7:E0101:y", "0:5:9:E0101:y", "0:5:9:E0101:z", "0:5:9:E0102:x",
                                       "0:20:25:E0101:a", "1:5:9:E0101:b"};
  std::sort(reports.begin(), reports.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.message < b.message; });
  do {
    DiagnosticList list;
    for (const Diagnostic& d : reports) list.Report(d.kind, d.range, d.message).help = d.help;
    list.SortAndDeduplicate();
    std::vector<std::string> got;
    for (const Diagnostic& d : list.all()) {
      got.push_back(std::to_string(d.range.file) + ":" + std::to_string(d.range.begin) + ":" +
                    std::to_string(d.range.end) + ":" + std::string(InfoOf(d.kind).code) + ":" + d.message);
    }
    REQUIRE(got == expected);
  } while (std::next_permutation(reports.begin(), reports.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.message < b.message;
  }));

  DiagnosticList differing_help;
  differing_help.Report(DiagnosticKind::UnknownName, {0, 1, 2}, "m").help = "b";
  differing_help.Report(DiagnosticKind::UnknownName, {0, 1, 2}, "m").help = "a";
  differing_help.SortAndDeduplicate();
  REQUIRE(differing_help.all().size() == 2);
  CHECK(differing_help.all()[0].help == "a");
}

TEST_CASE("JsonQuote escapes and never emits invalid JSON", "[language][diagnostics]") {
  CHECK(JsonQuote("plain") == "\"plain\"");
  CHECK(JsonQuote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(JsonQuote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(JsonQuote(std::string_view("\x01\x1f\x00\x7f", 4)) == "\"\\u0001\\u001f\\u0000\\u007f\"");
  CHECK(JsonQuote("caf\xC3\xA9 \xF0\x9F\x92\xB6") == "\"caf\xC3\xA9 \xF0\x9F\x92\xB6\"");
  CHECK(JsonQuote("\xFF") == "\"\\ufffd\"");
  CHECK(JsonQuote("a\xC3") == "\"a\\ufffd\"");                        // truncated sequence
  CHECK(JsonQuote("\xC0\xAF") == "\"\\ufffd\\ufffd\"");               // overlong '/'
  CHECK(JsonQuote("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");    // surrogate
  CHECK(JsonQuote("\xF4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
}

TEST_CASE("RenderJson gives every field", "[language][diagnostics]") {
  SourceSet sources;
  FileId file = sources.Add("p\"q.recoup", "at due + 30d: fee 30d + 5 USD\nfinal: call\n");
  Diagnostic diagnostic = Make(DiagnosticKind::UnitMismatch, RangeOf(sources, file, "30d + 5 USD"), "bad \"sum\"");
  diagnostic.notes.push_back({RangeOf(sources, file, "final"), "see\there"});
  diagnostic.help = "use money";
  Diagnostic warning = Make(DiagnosticKind::UnreachableStep, RangeOf(sources, file, "call"), "never");
  CHECK(RenderJson({}, sources) == "[]");
  CHECK(RenderJson({diagnostic, warning}, sources) ==
        "[\n"
        "  {\"code\": \"E0102\", \"name\": \"UnitMismatch\", \"severity\": \"error\", \"file\": \"p\\\"q.recoup\", "
        "\"line\": 1, \"column\": 19, \"end_line\": 1, \"end_column\": 30, \"message\": \"bad \\\"sum\\\"\", "
        "\"notes\": [{\"file\": \"p\\\"q.recoup\", \"line\": 2, \"column\": 1, \"end_line\": 2, \"end_column\": 6, "
        "\"message\": \"see\\there\"}], \"help\": \"use money\"},\n"
        "  {\"code\": \"W0001\", \"name\": \"UnreachableStep\", \"severity\": \"warning\", \"file\": \"p\\\"q.recoup\", "
        "\"line\": 2, \"column\": 8, \"end_line\": 2, \"end_column\": 12, \"message\": \"never\", \"notes\": [], "
        "\"help\": \"\"}\n"
        "]");
}

TEST_CASE("ClosestName suggests plausible typos only", "[language][diagnostics]") {
  CHECK(ClosestName("fianl", {"first", "final", "agency"}) == "final");  // a swap costs one
  CHECK(ClosestName("segmnt", {"segment", "country"}) == "segment");
  CHECK(ClosestName("xyz", {"abc", "final"}).empty());
  CHECK(ClosestName("bat", {"hat", "cat"}) == "cat");  // tie: alphabetical
  CHECK(ClosestName("final", {"final"}).empty());      // never the name itself
  CHECK(ClosestName("a", {"b"}) == "b");                 // max(1, len / 3)
  CHECK(ClosestName("reminder", {"remainder", "reminders", "render"}) == "remainder");
  CHECK(ClosestName("abcdefghi", {"abcxyzghi"}) == "abcxyzghi");  // distance 3 <= 9 / 3
  CHECK(ClosestName("abcdefghi", {"abwxyzghi"}).empty());          // distance 4 > 9 / 3
}

}  // namespace
}  // namespace recoup::language
