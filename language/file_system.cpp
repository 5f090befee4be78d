#include "language/file_system.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace recoup::language {

std::string RealFileSystem::Resolve(const std::string& path) const {
  if (root_.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(root_) / path).string();
}

std::optional<std::string> RealFileSystem::Read(const std::string& path, std::string* error) const {
  std::error_code code;
  std::string resolved = Resolve(path);
  auto status = std::filesystem::status(resolved, code);
  if (code || !std::filesystem::exists(status)) {
    if (error) *error = "no such file";
    return std::nullopt;
  }
  if (std::filesystem::is_directory(status)) {
    if (error) *error = "it is a folder, not a file";
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(status)) {
    // A device or a pipe (/dev/zero, a FIFO) could be endless.
    if (error) *error = "it is not a regular file";
    return std::nullopt;
  }
  std::ifstream stream(resolved, std::ios::binary);
  if (!stream) {
    if (error) *error = "cannot open it for reading";
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  if (stream.bad()) {
    if (error) *error = "reading it failed";
    return std::nullopt;
  }
  return contents.str();
}

std::optional<std::string> RealFileSystem::Canonical(const std::string& path) const {
  std::error_code code;
  auto canonical = std::filesystem::canonical(Resolve(path), code);
  if (code) return std::nullopt;
  return canonical.string();
}

}  // namespace recoup::language
