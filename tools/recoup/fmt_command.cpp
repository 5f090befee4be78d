#include "tools/recoup/fmt_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "compiler/verified_format.h"
#include "tools/recoup/checked_policy.h"
#include "tools/recoup/exit_status.h"

namespace recoup::driver {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a temporary file in the folder of `path`, with the
// original's permissions, and renames it over `path`: a reader sees the old
// file or the new one, never half of one. A symbolic link stays a link: the
// file it points to is the one replaced.
bool ReplaceAtomically(const std::string& path, const std::string& text, std::string& error) {
  std::error_code canonical_error;
  fs::path target = fs::canonical(path, canonical_error);
  if (canonical_error) target = path;
  fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string pattern = (folder / ("." + target.filename().string() + ".recoup-fmt-XXXXXX")).string();
  int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) {
    error = fmt::format("cannot create a temporary file in {}: {}", folder.string(), std::strerror(errno));
    return false;
  }
  auto fail = [&](const std::string& what) {
    error = fmt::format("{}: {}", what, std::strerror(errno));
    ::close(descriptor);
    std::remove(pattern.c_str());
    return false;
  };
  for (std::size_t written = 0; written < text.size();) {
    ssize_t count = ::write(descriptor, text.data() + written, text.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + pattern);
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(descriptor) != 0) return fail("cannot write " + pattern);
  std::error_code status_error;
  fs::perms permissions = fs::status(target, status_error).permissions();
  if (!status_error && ::fchmod(descriptor, static_cast<mode_t>(permissions)) != 0) {
    return fail("cannot set the permissions of " + pattern);
  }
  if (::close(descriptor) != 0) {
    error = fmt::format("cannot write {}: {}", pattern, std::strerror(errno));
    std::remove(pattern.c_str());
    return false;
  }
  if (std::rename(pattern.c_str(), target.c_str()) != 0) {
    error = fmt::format("cannot rename {} to {}: {}", pattern, target.string(), std::strerror(errno));
    std::remove(pattern.c_str());
    return false;
  }
  return true;
}

}  // namespace

CLI::App* AddFmt(CLI::App& app, FmtOptions& options) {
  CLI::App* command = app.add_subcommand(
      "fmt", "Print policy files in the canonical layout (--check lists those not in it, --write rewrites them)");
  command->add_option("files", options.files, "Policy or library files (.recoup) to format")->required();
  CLI::Option* check =
      command->add_flag("--check", options.check, "List the files that are not formatted; exit 1 when there are any");
  CLI::Option* write =
      command->add_flag("--write", options.write, "Rewrite the files that are not formatted, in place");
  check->excludes(write);
  return command;
}

int RunFmt(const FmtOptions& options, Environment& environment) {
  int status = kExitSuccess;
  compiler::LoadOptions load_options{environment.stdlib_root};
  for (const std::string& path : options.files) {
    CheckedPolicy checked = LoadAndCheckPolicy(path, environment);
    if (!checked.readable) {
      status = WorseStatus(status, kExitUsage);
      continue;
    }
    if (!checked.ir) {
      for (const language::Diagnostic& diagnostic : checked.diagnostics.all()) {
        environment.err << language::RenderText(diagnostic, checked.sources) << "\n";
      }
      environment.err << fmt::format("recoup fmt: {} has errors and was not formatted\n", path);
      status = WorseStatus(status, kExitFindings);
      continue;
    }
    compiler::VerifiedFormat formatted =
        compiler::FormatVerified(path, environment.files, load_options, checked.program, checked.sources,
                                 checked.diagnostics, *checked.ir);
    if (!formatted.problem.empty()) {
      environment.err << fmt::format(
          "recoup fmt: internal error: {} cannot be formatted safely ({}); it was left untouched. "
          "Please report this with the file.\n",
          path, formatted.problem);
      status = WorseStatus(status, kExitUsage);
      continue;
    }
    const language::SyntaxTree& tree = checked.program.trees[checked.program.main];
    bool changed = formatted.text != checked.sources.Get(tree.file).text();
    if (options.check) {
      if (changed) {
        environment.out << path << "\n";
        status = WorseStatus(status, kExitFindings);
      }
    } else if (options.write) {
      if (!changed) continue;
      std::string error;
      if (!ReplaceAtomically(path, formatted.text, error)) {
        environment.err << fmt::format("recoup fmt: {}; {} was left untouched\n", error, path);
        status = WorseStatus(status, kExitUsage);
        continue;
      }
      environment.out << path << "\n";
    } else {
      environment.out << formatted.text;
    }
  }
  return status;
}

}  // namespace recoup::driver
