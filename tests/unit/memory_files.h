// An in-memory file system for tests: policies and imports given as a map
// from path to text, so tests run the real loader without touching disk.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "language/file_system.h"

namespace recoup::testing {

class MemoryFiles final : public language::FileSystem {
 public:
  explicit MemoryFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    auto found = files_.find(path);
    if (found == files_.end()) {
      if (error) *error = "no such file";
      return std::nullopt;
    }
    return found->second;
  }
  std::optional<std::string> Canonical(const std::string& path) const override {
    if (!files_.count(path)) return std::nullopt;
    return "/memory/" + path;
  }

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace recoup::testing
