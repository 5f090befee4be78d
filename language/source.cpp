#include "language/source.h"

#include <algorithm>

namespace recoup::language {
namespace {

// Files may start with a UTF-8 byte order mark; it is not part of line 1
// as people see it, so columns and the displayed line skip it.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::uint32_t ByteOrderMarkLength(const std::string& text) {
  return std::string_view(text).substr(0, kByteOrderMark.size()) == kByteOrderMark
             ? static_cast<std::uint32_t>(kByteOrderMark.size())
             : 0;
}

}  // namespace

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceFile::Locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::uint32_t line_index = static_cast<std::uint32_t>(after - line_starts_.begin()) - 1;
  std::uint32_t column = 1;
  std::uint32_t start = line_starts_[line_index];
  if (line_index == 0) start = ByteOrderMarkLength(text_);  // an offset inside it is column 1
  for (std::uint32_t i = start; i < offset; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {line_index + 1, column};
}

std::string_view SourceFile::Line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t begin = line == 1 ? ByteOrderMarkLength(text_) : line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<std::uint32_t>(text_.size());
  std::string_view view(text_.data() + begin, end - begin);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  return view;
}

FileId SourceSet::Add(std::string path, std::string text) {
  files_.emplace_back(std::move(path), std::move(text));
  return static_cast<FileId>(files_.size() - 1);
}

}  // namespace recoup::language
