// Source files and positions. Every later phase points back into the text
// through SourceRange, so diagnostics can show the line and a caret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <deque>
#include <vector>

namespace recoup::language {

// Index of a SourceFile inside a SourceSet.
using FileId = std::uint32_t;

// A byte range inside one file: [begin, end). Line and column are computed
// from the file's line table when a diagnostic is printed.
struct SourceRange {
  FileId file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// One position translated for people: 1-based line and column (column counts
// UTF-8 code points, a tab counts as one).
struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

// The text of one file, as read, with its line starts indexed.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineColumn Locate(std::uint32_t offset) const;
  // The text of a 1-based line, without its line ending.
  std::string_view Line(std::uint32_t line) const;
  std::uint32_t LineCount() const { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// All files of one run (the policies named on the command line and their
// imports), addressed by FileId.
class SourceSet {
 public:
  FileId Add(std::string path, std::string text);
  const SourceFile& Get(FileId id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

 private:
  std::deque<SourceFile> files_;  // deque: references stay valid as files are added
};

}  // namespace recoup::language
