// Formatting a policy file with proof that only its layout changed: the
// formatted text is loaded and checked again, in place of the file, and must
// give the same Policy IR, the same syntax tree (positions aside), the same
// comments and the same diagnostic codes, and must format to itself. What
// `recoup fmt` and the fmt fuzz target rely on.
#pragma once

#include <string>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"
#include "language/source.h"

namespace recoup::compiler {

struct VerifiedFormat {
  std::string text;     // the formatted text, when `problem` is empty
  std::string problem;  // what went wrong: an internal error that must never happen
};

// Formats the main file of `program`, loaded from `path` through `files`
// with `options` and checked into `ir` without errors; `diagnostics` are the
// ones that check reported (warnings only).
VerifiedFormat FormatVerified(const std::string& path, const language::FileSystem& files, const LoadOptions& options,
                              const Program& program, const language::SourceSet& sources,
                              const language::DiagnosticList& diagnostics, const PolicyIr& ir);

// A file system that shows `text` at `path` and defers everything else to
// `base`: how a formatted text is checked before it is written.
class ReplacedFileSystem final : public language::FileSystem {
 public:
  ReplacedFileSystem(const language::FileSystem& base, std::string path, std::string text)
      : base_(base), path_(std::move(path)), text_(std::move(text)) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override;
  std::optional<std::string> Canonical(const std::string& path) const override { return base_.Canonical(path); }

 private:
  const language::FileSystem& base_;
  std::string path_;
  std::string text_;
};

}  // namespace recoup::compiler
