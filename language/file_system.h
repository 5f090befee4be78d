// The file system as the phases see it. The driver passes one in, so tests
// can run the whole command in-process against a fixed root, and no phase
// opens files behind the driver's back.
#pragma once

#include <optional>
#include <string>

namespace recoup::language {

// Reads whole files. Paths are as the user or an import wrote them.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The file's bytes, or nothing when it cannot be read (missing, a folder,
  // no permission). `error` receives a plain reason when given.
  virtual std::optional<std::string> Read(const std::string& path, std::string* error = nullptr) const = 0;
  // A canonical spelling of an existing path (symbolic links resolved), used
  // to recognise the same file reached two ways; nothing when missing.
  virtual std::optional<std::string> Canonical(const std::string& path) const = 0;
};

// The real file system; relative paths are taken relative to `root` when it
// is not empty, otherwise to the current directory.
class RealFileSystem final : public FileSystem {
 public:
  explicit RealFileSystem(std::string root = "") : root_(std::move(root)) {}
  std::optional<std::string> Read(const std::string& path, std::string* error = nullptr) const override;
  std::optional<std::string> Canonical(const std::string& path) const override;

 private:
  std::string Resolve(const std::string& path) const;
  std::string root_;
};

// Largest policy file Recoup reads; bigger files get E0009 without parsing.
inline constexpr std::size_t kMaxPolicyFileBytes = 16u * 1024u * 1024u;

}  // namespace recoup::language
