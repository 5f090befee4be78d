// The RFC 4180 scanner: one pass over the buffer, string views out.
#include "runtime/csv.h"

#include <fmt/format.h>

#include <cstring>

namespace recoup::runtime {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The length of the valid UTF-8 sequence starting at `position`, or 0.
std::size_t ValidSequenceLength(std::string_view text, std::size_t position) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(position);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (position + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    unsigned char next = byte(position + i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return 0;
  }
  return length;
}

bool IsLineEnd(std::string_view text, std::size_t position) {
  return position >= text.size() || text[position] == '\n' ||
         (text[position] == '\r' && position + 1 < text.size() && text[position + 1] == '\n');
}

}  // namespace

std::string_view StripBom(std::string_view text) {
  return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

std::size_t FindInvalidUtf8(std::string_view text) {
  std::size_t position = 0;
  const std::size_t size = text.size();
  while (position < size) {
    if (position + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + position, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        position += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[position]) < 0x80) {
      ++position;
      continue;
    }
    std::size_t length = ValidSequenceLength(text, position);
    if (length == 0) return position;
    position += length;
  }
  return std::string_view::npos;
}

TextPosition LocateFrom(std::string_view text, std::size_t from_offset, std::uint32_t from_line, std::size_t offset) {
  TextPosition where{from_line, 1};
  for (std::size_t i = from_offset; i < offset && i < text.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++where.line;
      where.column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++where.column;
    }
  }
  return where;
}

std::string_view LineAround(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  std::size_t begin = 0;
  if (offset > 0) {
    std::size_t newline = text.rfind('\n', offset - 1);
    if (newline != std::string_view::npos) begin = newline + 1;
  }
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  if (end > begin && text[end - 1] == '\r') --end;
  return text.substr(begin, end - begin);
}

void CsvReader::Fail(CsvError& error, CsvErrorKind kind, std::size_t offset, std::string message) {
  error.kind = kind;
  error.offset = offset;
  TextPosition where = LocateFrom(text_, line_start_, line_, offset);
  error.line = where.line;
  error.column = where.column;
  error.message = std::move(message);
}

void CsvReader::SkipRestOfLine() {
  std::size_t end = text_.find('\n', position_);
  position_ = end == std::string_view::npos ? text_.size() : end + 1;
  ++line_;
  line_start_ = position_;
}

// A quoted field starting at position_ (on the opening quote). Doubled
// quotes send the field through the row's scratch; its view is fixed at row end.
bool CsvReader::ReadQuoted(CsvRow& row, CsvError& error) {
  const std::size_t open = position_;
  std::size_t position = open + 1;
  bool escaped = false;
  std::size_t scratch_begin = row.scratch.size();
  std::size_t segment_begin = position;
  for (;;) {
    std::size_t quote = text_.find('"', position);
    // Keep the line count right across embedded newlines.
    for (std::size_t i = position; i < (quote == std::string_view::npos ? text_.size() : quote); ++i) {
      if (text_[i] == '\n') ++line_, line_start_ = i + 1;
    }
    if (quote == std::string_view::npos) {
      position_ = text_.size();
      TextPosition where = LocateFrom(text_, row.offset, row.line, open);
      error.kind = CsvErrorKind::UnclosedQuote;
      error.offset = open;
      error.line = where.line;
      error.column = where.column;
      error.message = "this quote is never closed; the rest of the file is inside it";
      return false;
    }
    if (quote + 1 < text_.size() && text_[quote + 1] == '"') {
      if (!escaped) escaped = true;
      row.scratch.append(text_.substr(segment_begin, quote + 1 - segment_begin));
      position = quote + 2;
      segment_begin = position;
      continue;
    }
    CsvField field;
    field.offset = open;
    if (escaped) {
      row.scratch.append(text_.substr(segment_begin, quote - segment_begin));
      // Marked by a null data pointer; the row end turns it into a view.
      field.text = std::string_view(nullptr, row.scratch.size() - scratch_begin);
      field.offset = open;
      pending_scratch_.push_back({row.fields.size(), scratch_begin});
    } else {
      field.text = text_.substr(open + 1, quote - open - 1);
    }
    row.fields.push_back(field);
    position_ = quote + 1;
    if (position_ < text_.size() && text_[position_] != ',' && !IsLineEnd(text_, position_)) {
      Fail(error, CsvErrorKind::TextAfterQuote, position_,
           "after a closing quote there must be a comma or the end of the line");
      SkipRestOfLine();
      return false;
    }
    return true;
  }
}

bool CsvReader::Next(CsvRow& row, CsvError& error) {
  error.kind = CsvErrorKind::None;
  row.fields.clear();
  row.scratch.clear();
  pending_scratch_.clear();
  const std::size_t size = text_.size();
  const char* data = text_.data();
  while (position_ < size) {
    if (data[position_] == '\n') {
      ++position_;
    } else if (data[position_] == '\r' && position_ + 1 < size && data[position_ + 1] == '\n') {
      position_ += 2;
    } else {
      break;
    }
    ++line_;
    line_start_ = position_;
  }
  if (position_ >= size) return false;
  row.line = line_;
  row.offset = position_;
  for (;;) {
    if (data[position_] == '"') {
      if (!ReadQuoted(row, error)) return true;
    } else {
      const std::size_t start = position_;
      const char* cursor = data + position_;
      const char* end = data + size;
      for (; cursor < end; ++cursor) {
        char c = *cursor;
        if (c == ',' || c == '\n' || c == '"') break;
        if (c == '\r' && cursor + 1 < end && cursor[1] == '\n') break;
      }
      if (cursor < end && *cursor == '"') {
        Fail(error, CsvErrorKind::StrayQuote, static_cast<std::size_t>(cursor - data),
             "a quote inside a field that does not start with a quote; put the whole field in quotes and "
             "double the quote (\"\")");
        SkipRestOfLine();
        return true;
      }
      position_ = static_cast<std::size_t>(cursor - data);
      row.fields.push_back(CsvField{text_.substr(start, position_ - start), start});
    }
    if (position_ < size && data[position_] == ',') {
      ++position_;
      if (position_ >= size || IsLineEnd(text_, position_)) {
        row.fields.push_back(CsvField{text_.substr(position_, 0), position_});
        break;
      }
      continue;
    }
    break;
  }
  // Now at a line end or the end of the buffer.
  const std::size_t row_end = position_;
  if (position_ < size) {
    position_ += data[position_] == '\r' ? 2 : 1;
    ++line_;
    line_start_ = position_;
  }
  for (const PendingScratch& pending : pending_scratch_) {
    CsvField& field = row.fields[pending.field];
    field.text = std::string_view(row.scratch.data() + pending.begin, field.text.size());
  }
  if (expected_fields_ != 0 && row.fields.size() != expected_fields_) {
    std::size_t offset = row.fields.size() > expected_fields_ ? row.fields[expected_fields_].offset : row_end;
    error.kind = CsvErrorKind::WrongFieldCount;
    error.offset = offset;
    TextPosition where = LocateFrom(text_, row.offset, row.line, offset);
    error.line = where.line;
    error.column = where.column;
    error.message = fmt::format("this row has {} field{} but the header has {}", row.fields.size(),
                                row.fields.size() == 1 ? "" : "s", expected_fields_);
  }
  return true;
}

}  // namespace recoup::runtime
