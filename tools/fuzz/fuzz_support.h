// What the fuzz targets share: an in-memory file system holding the
// standard library and the files one fuzz input describes, and the load +
// check pipeline the driver runs, without touching the real disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/checker.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"
#include "language/source.h"

namespace recoup::fuzz {

// Where the fuzzed policy lives; imports may reach its folder and `stdlib/`.
inline constexpr const char* kMainPath = "policy/main.recoup";
inline constexpr const char* kStdlibRoot = "stdlib";

// Files held in memory, keyed by lexically normal path. Canonical paths get
// a fixed prefix so the loader's "is it under the policy folder" test works
// as it does on disk.
class MemoryFileSystem final : public language::FileSystem {
 public:
  void Put(const std::string& path, std::string text) { files_[Normal(path)] = std::move(text); }
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    auto found = files_.find(Normal(path));
    if (found == files_.end()) {
      if (error) *error = "no such file";
      return std::nullopt;
    }
    return found->second;
  }
  std::optional<std::string> Canonical(const std::string& path) const override {
    std::string normal = Normal(path);
    if (!files_.count(normal)) return std::nullopt;
    return "/memory/" + normal;
  }

 private:
  static std::string Normal(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().generic_string();
  }
  std::map<std::string, std::string> files_;
};

// The repository's standard library, read once into memory.
inline const std::map<std::string, std::string>& StandardLibrary() {
  static const std::map<std::string, std::string> files = [] {
    std::map<std::string, std::string> read;
    std::filesystem::path root = std::filesystem::path(RECOUP_SOURCE_DIR) / "stdlib";
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(root, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_regular_file() || it->path().extension() != ".recoup") continue;
      std::ifstream stream(it->path(), std::ios::binary);
      std::ostringstream text;
      text << stream.rdbuf();
      read[std::string(kStdlibRoot) + "/" + std::filesystem::relative(it->path(), root).generic_string()] =
          text.str();
    }
    return read;
  }();
  return files;
}

// One fuzz input as files: the bytes up to the first line `#@file NAME` are
// the main policy; each such line starts another file NAME in the policy
// folder (a comment in the language, so seed policies stay valid). This lets
// the fuzzer build import graphs, cycles and imports of broken files.
inline MemoryFileSystem FilesFromInput(std::string_view input) {
  MemoryFileSystem files;
  for (const auto& [path, text] : StandardLibrary()) files.Put(path, text);
  constexpr std::string_view kMarker = "\n#@file ";
  std::string name = kMainPath;
  while (true) {
    std::size_t at = input.find(kMarker);
    files.Put(name, std::string(input.substr(0, at)));
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + kMarker.size());
    std::size_t end = input.find('\n');
    std::string_view written = input.substr(0, end);
    name = "policy/" + std::string(written.substr(0, 64));
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (end == std::string_view::npos) {
      files.Put(name, "");
      break;
    }
  }
  return files;
}

// Load, parse and check as `recoup check` does.
struct Checked {
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  compiler::Program program;
  compiler::CheckResult ir;
};

inline void LoadAndCheck(const language::FileSystem& files, Checked& checked) {
  checked.program = compiler::LoadProgram(kMainPath, files, compiler::LoadOptions{kStdlibRoot}, checked.sources,
                                          checked.diagnostics);
  if (checked.program.trees.empty()) return;
  checked.ir = compiler::Check(checked.program, checked.sources, checked.diagnostics);
}

}  // namespace recoup::fuzz
