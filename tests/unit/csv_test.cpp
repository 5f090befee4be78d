// The RFC 4180 reader: quoting, line ends, BOM, and errors with line and column.
#include "runtime/csv.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace recoup::runtime {
namespace {

// Every row's fields as strings, or the first error as "line:col kind".
struct ReadAll {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint32_t> lines;
  std::vector<std::string> errors;
};

ReadAll Read(std::string_view text, bool check_count = false) {
  ReadAll out;
  CsvReader reader(StripBom(text));
  CsvRow row;
  CsvError error;
  bool first = true;
  while (reader.Next(row, error)) {
    if (error.kind != CsvErrorKind::None) {
      out.errors.push_back(std::to_string(error.line) + ":" + std::to_string(error.column) + " " + error.message);
      continue;
    }
    std::vector<std::string> fields;
    for (const CsvField& field : row.fields) fields.emplace_back(field.text);
    out.rows.push_back(fields);
    out.lines.push_back(row.line);
    if (first && check_count) reader.ExpectFields(row.fields.size());
    first = false;
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST_CASE("plain rows, LF and CRLF", "[runtime][csv]") {
  CHECK(Read("a,b,c\n1,2,3\n").rows == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(Read("a,b,c\r\n1,2,3\r\n").rows == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(Read("a,b\n1,2").rows == Rows{{"a", "b"}, {"1", "2"}});  // no final line end
  CHECK(Read("a,b\n1,\n").rows == Rows{{"a", "b"}, {"1", ""}});  // empty last field
  CHECK(Read("a,b\n,\n").rows == Rows{{"a", "b"}, {"", ""}});
}

TEST_CASE("quoted fields keep commas, newlines and doubled quotes", "[runtime][csv]") {
  ReadAll out = Read("id,note\n1,\"a, b\"\n2,\"two\nlines\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n");
  REQUIRE(out.errors.empty());
  CHECK(out.rows == Rows{{"id", "note"}, {"1", "a, b"}, {"2", "two\nlines"}, {"3", "say \"hi\""}, {"4", ""}});
  CHECK(out.lines == std::vector<std::uint32_t>{1, 2, 3, 5, 6});
}

TEST_CASE("several doubled-quote fields in one row stay intact", "[runtime][csv]") {
  ReadAll out = Read("\"a\"\"1\",\"b\"\"2\",\"c\"\"3\"\n");
  CHECK(out.rows == Rows{{"a\"1", "b\"2", "c\"3"}});
}

TEST_CASE("a byte order mark is skipped", "[runtime][csv]") {
  CHECK(Read("\xEF\xBB\xBFid,x\n1,2\n").rows == Rows{{"id", "x"}, {"1", "2"}});
  CHECK(StripBom("\xEF\xBB\xBF") == "");
}

TEST_CASE("blank lines are passed over and counted", "[runtime][csv]") {
  ReadAll out = Read("a,b\n\n1,2\r\n\r\n3,4\n");
  CHECK(out.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(out.lines == std::vector<std::uint32_t>{1, 3, 5});
}

TEST_CASE("empty and zero-byte files have no rows", "[runtime][csv]") {
  CHECK(Read("").rows.empty());
  CHECK(Read("\n\n").rows.empty());
  CHECK(Read("\xEF\xBB\xBF").rows.empty());
}

TEST_CASE("an unterminated quote is an error at the quote", "[runtime][csv]") {
  ReadAll out = Read("a,b\n1,2\n3,\"never closed\n4,5\n");
  CHECK(out.rows == Rows{{"a", "b"}, {"1", "2"}});
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0] == "3:3 this quote is never closed; the rest of the file is inside it");
}

TEST_CASE("a stray quote in an unquoted field is an error and the row is skipped", "[runtime][csv]") {
  ReadAll out = Read("a,b\n1,ab\"c\n2,3\n");
  CHECK(out.rows == Rows{{"a", "b"}, {"2", "3"}});
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].rfind("2:5 a quote inside a field", 0) == 0);
}

TEST_CASE("text after a closing quote is an error", "[runtime][csv]") {
  ReadAll out = Read("a,b\n\"x\"y,2\n");
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0] == "2:4 after a closing quote there must be a comma or the end of the line");
}

TEST_CASE("ragged rows are errors with line and column", "[runtime][csv]") {
  ReadAll out = Read("a,b,c\n1,2\n1,2,3,4\n5,6,7\n", true);
  CHECK(out.rows == Rows{{"a", "b", "c"}, {"5", "6", "7"}});
  REQUIRE(out.errors.size() == 2);
  CHECK(out.errors[0] == "2:4 this row has 2 fields but the header has 3");
  CHECK(out.errors[1] == "3:7 this row has 4 fields but the header has 3");
}

TEST_CASE("columns count code points, not bytes", "[runtime][csv]") {
  ReadAll out = Read("a,b\n\xC3\xA9t\xC3\xA9,x\"y\n");
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].rfind("2:6 ", 0) == 0);
}

TEST_CASE("invalid UTF-8 is found", "[runtime][csv]") {
  CHECK(FindInvalidUtf8("plain ascii text, long enough for words") == std::string_view::npos);
  CHECK(FindInvalidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string_view::npos);
  CHECK(FindInvalidUtf8("abcdefghij\xFFxyz") == 10);
  CHECK(FindInvalidUtf8("ab\xC3") == 2);        // truncated sequence
  CHECK(FindInvalidUtf8("\xC0\xAF") == 0);      // overlong
  CHECK(FindInvalidUtf8("\xED\xA0\x80") == 0);  // surrogate
}

TEST_CASE("LineAround gives the physical line", "[runtime][csv]") {
  std::string_view text = "one\r\ntwo\nthree";
  CHECK(LineAround(text, 0) == "one");
  CHECK(LineAround(text, 5) == "two");
  CHECK(LineAround(text, 7) == "two");
  CHECK(LineAround(text, 12) == "three");
  CHECK(LineAround(text, 14) == "three");
}

}  // namespace
}  // namespace recoup::runtime
