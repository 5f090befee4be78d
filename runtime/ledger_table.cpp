// One CSV file of a ledger: encoding and header checks, row reading,
// typed fields (dates, money) and reporting at a field's place.
#include <fmt/format.h>

#include <cstring>

#include "runtime/ledger_internal.h"

namespace recoup::runtime {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Digits only, 1 to `max` of them; the value in `out`.
bool ParseDigits(std::string_view text, std::size_t min, std::size_t max, std::uint32_t& out) {
  if (text.size() < min || text.size() > max) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return true;
}

// "1/31/2026" style: three slash-separated parts, the year last.
std::optional<Date> ParseSlashed(std::string_view text, bool month_first) {
  std::size_t first = text.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = text.find('/', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::uint32_t a = 0, b = 0, year = 0;
  if (!ParseDigits(text.substr(0, first), 1, 2, a) ||
      !ParseDigits(text.substr(first + 1, second - first - 1), 1, 2, b) ||
      !ParseDigits(text.substr(second + 1), 4, 4, year)) {
    return std::nullopt;
  }
  return month_first ? Date::FromCivil(static_cast<std::int32_t>(year), a, b)
                     : Date::FromCivil(static_cast<std::int32_t>(year), b, a);
}

std::string_view FormatPattern(DateFormat format) {
  switch (format) {
    case DateFormat::Iso:
      return "YYYY-MM-DD";
    case DateFormat::Us:
      return "MM/DD/YYYY";
    case DateFormat::Eu:
      return "DD/MM/YYYY";
  }
  return "YYYY-MM-DD";
}

// Whether the text has the shape of the format, so a failed parse is a
// day that does not exist rather than a malformed date.
bool HasDateShape(std::string_view text, DateFormat format) {
  if (format == DateFormat::Iso) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  }
  std::uint32_t ignored = 0;
  std::size_t first = text.find('/');
  std::size_t second = first == std::string_view::npos ? first : text.find('/', first + 1);
  return second != std::string_view::npos && ParseDigits(text.substr(0, first), 1, 2, ignored) &&
         ParseDigits(text.substr(first + 1, second - first - 1), 1, 2, ignored) &&
         ParseDigits(text.substr(second + 1), 4, 4, ignored);
}

}  // namespace

std::optional<DateFormat> ParseDateFormat(std::string_view name) {
  if (name == "iso") return DateFormat::Iso;
  if (name == "us") return DateFormat::Us;
  if (name == "eu") return DateFormat::Eu;
  return std::nullopt;
}

std::optional<Date> ParseLedgerDate(std::string_view text, DateFormat format) {
  switch (format) {
    case DateFormat::Iso:
      return Date::ParseIso(text);
    case DateFormat::Us:
      return ParseSlashed(text, true);
    case DateFormat::Eu:
      return ParseSlashed(text, false);
  }
  return std::nullopt;
}

namespace ledger_detail {

LedgerDiagnostic CsvTable::Locate(LedgerProblem problem, std::size_t offset, std::size_t length) const {
  LedgerDiagnostic diagnostic;
  diagnostic.problem = problem;
  diagnostic.file = path_;
  TextPosition where = LocateFrom(text_, Row().offset, Row().line, offset);
  diagnostic.line = where.line;
  diagnostic.column = where.column;
  std::string_view line = LineAround(text_, offset);
  diagnostic.source_line = std::string(line);
  // The caret covers the field, but not past the end of its line.
  std::size_t line_end = static_cast<std::size_t>(line.data() - text_.data()) + line.size();
  std::size_t end = std::min(offset + length, std::max(line_end, offset));
  TextPosition last = LocateFrom(text_, offset, where.line, end);
  diagnostic.width = last.line == where.line ? std::max<std::uint32_t>(last.column - 1, 1) : 1;
  return diagnostic;
}

void CsvTable::ReportHeaderProblem(LedgerProblem problem, std::size_t offset, std::size_t length, std::string message,
                                   std::string help) {
  LedgerDiagnostic diagnostic = Locate(problem, offset, length);
  diagnostic.message = std::move(message);
  diagnostic.help = std::move(help);
  sink_.ReportFileProblem(std::move(diagnostic));
}

bool CsvTable::Open(std::string bytes, const std::vector<ColumnSpec>& columns) {
  bytes_ = std::move(bytes);
  text_ = StripBom(bytes_);
  reader_ = CsvReader(text_);
  current_ = 0;
  buffered_ = 0;
  reader_done_ = false;
  ring_[0] = CsvRow{};
  ring_[0].line = 1;
  std::size_t invalid = FindInvalidUtf8(text_);
  if (invalid != std::string_view::npos) {
    ReportHeaderProblem(LedgerProblem::InvalidEncoding, invalid, 1,
                        fmt::format("{} is not UTF-8 text: byte 0x{:02X} starts no valid character", FileNameOf(file_),
                                    static_cast<unsigned char>(text_[invalid])),
                        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)");
    return false;
  }
  CsvRow& header_row = ring_[0];
  const CsvError& header_error = ring_errors_[0];
  if (!reader_.Next(header_row, ring_errors_[0])) {
    LedgerDiagnostic diagnostic;
    diagnostic.problem = LedgerProblem::EmptyFile;
    diagnostic.file = path_;
    diagnostic.message = fmt::format("{} is empty; it needs at least its header row", FileNameOf(file_));
    sink_.ReportFileProblem(std::move(diagnostic));
    return false;
  }
  if (header_error.kind != CsvErrorKind::None) {
    ReportHeaderProblem(LedgerProblem::CsvSyntax, header_error.offset, 1, header_error.message, {});
    return false;
  }
  column_of_spec_.assign(columns.size(), kAbsent);
  std::vector<std::string> names;
  bool ok = true;
  for (std::size_t i = 0; i < header_row.fields.size(); ++i) {
    const CsvField& cell = header_row.fields[i];
    std::string name = LowerAscii(Trim(cell.text));
    bool duplicate = std::find(names.begin(), names.end(), name) != names.end();
    names.push_back(name);
    if (name.empty()) {
      ReportHeaderProblem(LedgerProblem::EmptyField, cell.offset, 1,
                          "this header cell is empty; every column needs a name", {});
      ok = false;
      continue;
    }
    if (duplicate) {
      ReportHeaderProblem(LedgerProblem::DuplicateColumn, cell.offset, cell.text.size(),
                          fmt::format("the column `{}` appears twice in the header", name), {});
      ok = false;
      continue;
    }
    auto spec = std::find_if(columns.begin(), columns.end(), [&](const ColumnSpec& c) { return c.name == name; });
    if (spec != columns.end()) {
      column_of_spec_[static_cast<std::size_t>(spec - columns.begin())] = static_cast<int>(i);
    } else {
      extra_names_.push_back(name);
      extra_columns_.push_back(static_cast<int>(i));
    }
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].required && column_of_spec_[i] == kAbsent) missing.push_back(fmt::format("`{}`", columns[i].name));
  }
  if (!missing.empty()) {
    std::string_view header = LineAround(text_, 0);
    std::string help;
    if (header.find(';') != std::string_view::npos) {
      help = "the file seems to use `;` as separator; Recoup reads comma-separated files";
    } else if (header.find('\t') != std::string_view::npos) {
      help = "the file seems to use tabs as separator; Recoup reads comma-separated files";
    }
    ReportHeaderProblem(LedgerProblem::MissingColumn, 0, header.size(),
                        fmt::format("{} lacks the required column{} {}", FileNameOf(file_),
                                    missing.size() == 1 ? "" : "s", fmt::join(missing, ", ")),
                        help);
    ok = false;
  }
  reader_.ExpectFields(header_row.fields.size());
  return ok;
}

std::size_t CsvTable::EstimatedRows() const {
  std::size_t lines = 1;
  const char* cursor = text_.data();
  const char* end = text_.data() + text_.size();
  while ((cursor = static_cast<const char*>(std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor))))) {
    ++lines;
    ++cursor;
  }
  return lines;
}

void CsvTable::Fill() {
  while (!reader_done_ && buffered_ < kLookahead) {
    std::size_t slot = (current_ + 1 + buffered_) % kRing;
    if (!reader_.Next(ring_[slot], ring_errors_[slot])) {
      reader_done_ = true;
      break;
    }
    ++buffered_;
  }
}

bool CsvTable::NextRow() {
  for (;;) {
    row_bad_ = false;
    Fill();
    if (buffered_ == 0) return false;
    current_ = (current_ + 1) % kRing;
    --buffered_;
    const CsvError& error = ring_errors_[current_];
    if (error.kind == CsvErrorKind::None) return true;
    LedgerDiagnostic diagnostic =
        Locate(error.kind == CsvErrorKind::WrongFieldCount ? LedgerProblem::WrongFieldCount : LedgerProblem::CsvSyntax,
               error.offset, 1);
    diagnostic.message = error.message;
    if (error.kind == CsvErrorKind::UnclosedQuote) {
      diagnostic.help = "close the quote, or double a quote that is part of the text (\"\")";
      sink_.ReportFileProblem(std::move(diagnostic));
      return false;
    }
    sink_.ReportRowProblem(file_, std::move(diagnostic), true);
  }
}

std::string_view CsvTable::PeekField(std::size_t ahead, int column) const {
  if (ahead == 0 || ahead > buffered_ || column < 0) return {};
  const std::size_t slot = (current_ + ahead) % kRing;
  const CsvRow& row = ring_[slot];
  if (ring_errors_[slot].kind != CsvErrorKind::None || static_cast<std::size_t>(column) >= row.fields.size()) return {};
  return Trim(row.fields[static_cast<std::size_t>(column)].text);
}

std::string_view CsvTable::Field(int column) const { return Trim(Row().fields[static_cast<std::size_t>(column)].text); }

void CsvTable::Report(LedgerProblem problem, int column, std::string message, std::string help) {
  const CsvField& field = Row().fields[static_cast<std::size_t>(column)];
  // Point at the trimmed text (or the field's start when it is empty).
  std::string_view trimmed = Field(column);
  std::size_t offset = field.offset;
  if (!trimmed.empty() && field.text.data() >= text_.data() && field.text.data() < text_.data() + text_.size()) {
    offset = static_cast<std::size_t>(trimmed.data() - text_.data());
  }
  LedgerDiagnostic diagnostic = Locate(problem, offset, std::max<std::size_t>(trimmed.size(), 1));
  diagnostic.message = std::move(message);
  diagnostic.help = std::move(help);
  sink_.ReportRowProblem(file_, std::move(diagnostic), !row_bad_);
  row_bad_ = true;
}

bool CsvTable::Required(int column, std::string_view column_name) {
  if (!Field(column).empty()) return true;
  Report(LedgerProblem::EmptyField, column, fmt::format("`{}` is empty; every row needs one", column_name));
  return false;
}

bool CsvTable::ParseDateField(int column, DateFormat format, Date& date) {
  std::string_view text = Field(column);
  std::optional<Date> parsed = ParseLedgerDate(text, format);
  if (parsed) {
    date = *parsed;
    return true;
  }
  if (HasDateShape(text, format)) {
    Report(LedgerProblem::InvalidDate, column, fmt::format("`{}` is not a day of the calendar", text));
  } else {
    Report(LedgerProblem::InvalidDate, column,
           fmt::format("`{}` is not a date; expected {}", text, FormatPattern(format)),
           format == DateFormat::Iso && text.find('/') != std::string_view::npos
               ? "for month/day/year dates choose the `us` date format, for day/month/year `eu`"
               : "");
  }
  return false;
}

bool CsvTable::ParseMoneyField(int column, CurrencyId currency, std::int64_t& minor) {
  std::string_view text = Field(column);
  DecimalResult decimal = ParseDecimal(text);
  if (!decimal.ok()) {
    if (decimal.error == DecimalError::Overflow) {
      Report(LedgerProblem::InvalidNumber, column, fmt::format("`{}` is too large to be an exact amount", text));
    } else {
      Report(LedgerProblem::InvalidNumber, column, fmt::format("`{}` is not a number", text),
             "write amounts like 1234.50: an optional minus, digits, a point for decimals, no thousands separators");
    }
    return false;
  }
  MoneyResult money = MoneyFromDecimal(decimal.value, currency);
  if (money.error == MoneyError::TooManyDecimals) {
    const CurrencyInfo& info = InfoOf(currency);
    Report(LedgerProblem::TooManyDecimals, column,
           fmt::format("`{}` has {} decimal{} but {} has {}; amounts are never rounded", text, decimal.value.scale,
                       decimal.value.scale == 1 ? "" : "s", info.code, info.exponent));
    return false;
  }
  if (!money.ok()) {
    Report(LedgerProblem::InvalidNumber, column, fmt::format("`{}` is too large to be an exact amount", text));
    return false;
  }
  minor = money.value.minor;
  return true;
}

}  // namespace ledger_detail
}  // namespace recoup::runtime
