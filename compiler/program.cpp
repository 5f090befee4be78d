// Loading: the main file, then its imports depth first. Each file is
// identified by its canonical path (so two spellings of one file, or a
// symbolic link, load it once) and parsed once. An import must land under
// the main file's folder or under the standard library, checked on the
// canonical path so `..` and symbolic links cannot escape.
//
// When the main file cannot be read at all the Program has no trees; the
// driver reports that as an I/O error.
#include "compiler/program.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "language/parser.h"

namespace recoup::compiler {
namespace {

using language::DiagnosticKind;
using language::kNone;

// Deepest chain of files importing files (protects the stack).
constexpr std::size_t kMaxImportDepth = 256;

// Whether `path` is `folder` itself or lies below it (both canonical).
bool IsUnder(const std::string& path, const std::string& folder) {
  if (folder.empty()) return false;
  if (path == folder) return true;
  if (path.size() <= folder.size() || path.compare(0, folder.size(), folder) != 0) return false;
  return folder.back() == '/' || path[folder.size()] == '/';
}

std::string ParentFolder(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

class Loader {
 public:
  Loader(const language::FileSystem& files, const LoadOptions& options, language::SourceSet& sources,
         language::DiagnosticList& diagnostics)
      : files_(files), options_(options), sources_(sources), diagnostics_(diagnostics) {}

  Program Load(const std::string& main_path) {
    std::optional<std::string> text = files_.Read(main_path);
    if (!text) return std::move(program_);
    std::string canonical = files_.Canonical(main_path).value_or(
        std::filesystem::path(main_path).lexically_normal().string());
    main_folder_ = ParentFolder(canonical);
    if (!options_.stdlib_root.empty()) {
      stdlib_folder_ = files_.Canonical(options_.stdlib_root).value_or("");
    }
    program_.main = AddFile(main_path, canonical, std::move(*text), diagnostics_);
    LoadImportsOf(program_.main);
    if (IsPolicy(program_.trees[program_.main])) LoadDefaultCosts();
    return std::move(program_);
  }

 private:
  struct OpenImport {
    std::uint32_t tree;
    std::uint32_t import_index;
  };

  static bool IsPolicy(const language::SyntaxTree& tree) {
    for (const language::HeaderLine& line : tree.header) {
      if (line.kind == language::HeaderKind::Policy) return true;
    }
    return false;
  }

  std::uint32_t AddFile(const std::string& display_path, const std::string& canonical, std::string text,
                        language::DiagnosticList& diagnostics) {
    language::FileId id = sources_.Add(display_path, std::move(text));
    language::SyntaxTree tree = language::Parse(sources_.Get(id), id, diagnostics);
    tree.file = id;
    auto index = static_cast<std::uint32_t>(program_.trees.size());
    program_.trees.push_back(std::move(tree));
    by_canonical_.emplace(canonical, index);
    return index;
  }

  // The path to read for an import written in the file `importer`.
  std::string Resolve(std::uint32_t importer, const std::string& written) const {
    if (written.rfind("stdlib/", 0) == 0) {
      return (std::filesystem::path(options_.stdlib_root) / written.substr(7)).lexically_normal().string();
    }
    const std::string& importer_path = sources_.Get(program_.trees[importer].file).path();
    return (std::filesystem::path(ParentFolder(importer_path)) / written).lexically_normal().string();
  }

  void LoadImportsOf(std::uint32_t importer) {
    std::size_t import_count = program_.trees[importer].imports.size();
    on_stack_.push_back(importer);
    for (std::uint32_t i = 0; i < import_count; ++i) {
      // Copy: program_.trees grows while loading.
      language::Import import = program_.trees[importer].imports[i];
      bool is_new = false;
      std::uint32_t target = LoadImport(importer, i, import, is_new);
      program_.imports.push_back({importer, i, target});
      if (is_new) {
        // Follow its imports, with this edge on the chain.
        chain_.push_back({importer, i});
        LoadImportsOf(target);
        chain_.pop_back();
      }
    }
    on_stack_.pop_back();
  }

  std::uint32_t LoadImport(std::uint32_t importer, std::uint32_t import_index, const language::Import& import,
                           bool& is_new) {
    if (import.path.rfind("stdlib/", 0) == 0 && options_.stdlib_root.empty()) {
      diagnostics_.Report(DiagnosticKind::ImportNotFound, import.path_range,
                          fmt::format("cannot import \"{}\": no standard library folder is configured", import.path));
      return kNone;
    }
    if (chain_.size() >= kMaxImportDepth) {
      diagnostics_.Report(DiagnosticKind::ImportNotFound, import.path_range,
                          fmt::format("cannot import \"{}\": imports nest more than {} files deep", import.path,
                                      kMaxImportDepth));
      return kNone;
    }
    std::string path = Resolve(importer, import.path);
    std::optional<std::string> canonical = files_.Canonical(path);
    if (!canonical) {
      std::string reason = "no such file";
      files_.Read(path, &reason);
      diagnostics_.Report(DiagnosticKind::ImportNotFound, import.path_range,
                          fmt::format("cannot import \"{}\": {}", import.path, reason));
      return kNone;
    }
    if (!IsUnder(*canonical, main_folder_) && !IsUnder(*canonical, stdlib_folder_)) {
      language::Diagnostic& diagnostic = diagnostics_.Report(
          DiagnosticKind::ImportOutsideRoot, import.path_range,
          fmt::format("cannot import \"{}\": it is outside the policy's folder and the standard library",
                      import.path));
      diagnostic.help = "imports may name files in the policy's folder and below, or `stdlib/...`";
      return kNone;
    }
    auto found = by_canonical_.find(*canonical);
    if (found != by_canonical_.end()) {
      if (std::find(on_stack_.begin(), on_stack_.end(), found->second) != on_stack_.end()) {
        ReportCycle(importer, import_index, found->second);
        return kNone;
      }
      return found->second;
    }
    std::string reason;
    std::optional<std::string> text = files_.Read(path, &reason);
    if (!text) {
      diagnostics_.Report(DiagnosticKind::ImportNotFound, import.path_range,
                          fmt::format("cannot import \"{}\": {}", import.path, reason));
      return kNone;
    }
    is_new = true;
    return AddFile(path, *canonical, std::move(*text), diagnostics_);
  }

  // `importer` imports `target`, which is still loading: the chain of open
  // imports from `target` down to `importer` closes a circle.
  void ReportCycle(std::uint32_t importer, std::uint32_t import_index, std::uint32_t target) {
    const language::Import& closing = program_.trees[importer].imports[import_index];
    auto path_of = [&](std::uint32_t tree) { return sources_.Get(program_.trees[tree].file).path(); };
    language::Diagnostic& diagnostic = diagnostics_.Report(
        DiagnosticKind::ImportCycle, closing.path_range,
        importer == target ? fmt::format("\"{}\" imports itself", closing.path)
                           : fmt::format("importing \"{}\" closes a circle of imports", closing.path));
    bool in_cycle = false;
    for (const OpenImport& open : chain_) {
      if (open.tree == target) in_cycle = true;
      if (!in_cycle) continue;
      const language::Import& step = program_.trees[open.tree].imports[open.import_index];
      diagnostic.notes.push_back(
          {step.path_range, fmt::format("{} imports \"{}\" here", path_of(open.tree), step.path)});
    }
  }

  void LoadDefaultCosts() {
    if (options_.stdlib_root.empty()) return;
    std::string path =
        (std::filesystem::path(options_.stdlib_root) / "costs" / "standard.recoup").lexically_normal().string();
    std::optional<std::string> canonical = files_.Canonical(path);
    if (!canonical) return;
    auto found = by_canonical_.find(*canonical);
    if (found != by_canonical_.end()) {
      program_.default_costs = found->second;
      return;
    }
    std::optional<std::string> text = files_.Read(path);
    if (!text) return;
    language::DiagnosticList quiet;
    std::uint32_t index = AddFile(path, *canonical, std::move(*text), quiet);
    if (!quiet.HasErrors()) program_.default_costs = index;
  }

  const language::FileSystem& files_;
  const LoadOptions& options_;
  language::SourceSet& sources_;
  language::DiagnosticList& diagnostics_;
  Program program_;
  std::string main_folder_;
  std::string stdlib_folder_;
  std::map<std::string, std::uint32_t> by_canonical_;
  std::vector<std::uint32_t> on_stack_;
  std::vector<OpenImport> chain_;
};

}  // namespace

Program LoadProgram(const std::string& main_path, const language::FileSystem& files, const LoadOptions& options,
                    language::SourceSet& sources, language::DiagnosticList& diagnostics) {
  Loader loader(files, options, sources, diagnostics);
  return loader.Load(main_path);
}

}  // namespace recoup::compiler
