// An RFC 4180 reader over a whole file held in memory: quoted fields,
// embedded commas, newlines and doubled quotes, LF or CRLF line ends. It
// hands out string views into the buffer (or into the row's scratch buffer
// for fields with doubled quotes), so reading allocates nothing per field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace recoup::runtime {

// One field of a row: its text (quotes removed, doubled quotes undone) and
// the byte offset where it starts in the buffer, for diagnostics.
struct CsvField {
  std::string_view text;
  std::size_t offset = 0;
};

// Why a row could not be read. A syntax error stops nothing but its row,
// except `UnclosedQuote`, which runs to the end of the file.
enum class CsvErrorKind : std::uint8_t {
  None,
  UnclosedQuote,    // a quoted field never closed
  StrayQuote,       // a quote inside an unquoted field
  TextAfterQuote,   // "abc"x: something other than a comma or line end after a closing quote
  WrongFieldCount,  // a row whose number of fields differs from the header's
};

// A CSV problem with its place: 1-based line and column (code points).
struct CsvError {
  CsvErrorKind kind = CsvErrorKind::None;
  std::size_t offset = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

// One record and where it starts. Fields with doubled quotes are undone
// into the row's own `scratch`, so a row stays valid while later rows are
// read (the loader reads a few rows ahead).
struct CsvRow {
  std::vector<CsvField> fields;
  std::uint32_t line = 0;  // line of the row's first byte
  std::size_t offset = 0;  // offset of the row's first byte
  std::string scratch;
};

// Strips a UTF-8 byte order mark, if any; the returned view is what the
// reader and the diagnostics use (so columns do not count the BOM).
std::string_view StripBom(std::string_view text);

// The offset of the first byte that is not valid UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included), or npos when all is valid.
// ASCII runs are checked eight bytes at a time.
std::size_t FindInvalidUtf8(std::string_view text);

// The 1-based line and column (in code points) of `offset`, counting from a
// known line start; used only when a diagnostic is made.
struct TextPosition {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};
TextPosition LocateFrom(std::string_view text, std::size_t from_offset, std::uint32_t from_line, std::size_t offset);

// The physical line of the buffer holding `offset`, without its line end.
std::string_view LineAround(std::string_view text, std::size_t offset);

// Reads rows one at a time. Blank lines (nothing between two line ends)
// hold no data and are passed over. When `expected_fields` is set (after
// the header), a row with another count is a WrongFieldCount error.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Fills `row` and returns true, or returns false at the end of the
  // buffer. When the row is malformed, `error.kind` is set and the row's
  // fields are unspecified; reading goes on at the next line (after an
  // unclosed quote, there is nothing left).
  bool Next(CsvRow& row, CsvError& error);

  // Rows after this call must have `count` fields (0: any count).
  void ExpectFields(std::size_t count) { expected_fields_ = count; }

  std::string_view text() const { return text_; }

 private:
  bool ReadQuoted(CsvRow& row, CsvError& error);
  void SkipRestOfLine();
  void Fail(CsvError& error, CsvErrorKind kind, std::size_t offset, std::string message);

  std::string_view text_;
  std::size_t position_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t expected_fields_ = 0;
  // Fields whose text lives in the row's scratch (which may move while the
  // row grows), turned into views at the row's end.
  struct PendingScratch {
    std::size_t field;
    std::size_t begin;
  };
  std::vector<PendingScratch> pending_scratch_;
};

}  // namespace recoup::runtime
