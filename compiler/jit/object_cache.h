// The on-disk cache of compiled policies: one file per policy, named by a
// strong hash of everything the object code depends on (the printed Policy
// IR, the code generator's version, the LLVM version, the target triple
// and CPU). A second run of an unchanged policy loads the object from here
// and skips LLVM's optimiser and code generator entirely.
//
// An entry is never trusted blindly: it starts with a header (magic, the
// full key, the payload size and the payload's SHA-256), and a file whose
// header or checksum does not match is reported, ignored and rewritten.
// Entries are written to a temporary file and renamed into place, so a
// reader never sees a half-written one (docs/reliability.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace recoup::compiler::jit {

using CacheKey = std::array<std::uint8_t, 32>;

// The cache folder when none is given: $XDG_CACHE_HOME/recoup, else
// $HOME/.cache/recoup; empty when neither variable is set (no cache).
std::string DefaultCacheDirectory(const char* xdg_cache_home, const char* home);

// SHA-256 of `text`.
CacheKey Sha256(const std::string& text);
std::string HexKey(const CacheKey& key);

// What a lookup found.
struct CacheLookup {
  std::optional<std::string> object;  // the verified payload
  // Why an existing entry was refused ("truncated", "checksum mismatch"...);
  // empty when there was no entry or it was good.
  std::string rejected;
};

class ObjectCache {
 public:
  explicit ObjectCache(std::string directory) : directory_(std::move(directory)) {}

  const std::string& directory() const { return directory_; }
  // The file an entry lives in.
  std::string EntryPath(const CacheKey& key) const;
  CacheLookup Load(const CacheKey& key) const;
  // Writes an entry atomically; a plain-words reason when it could not.
  std::optional<std::string> Store(const CacheKey& key, const std::string& object) const;

 private:
  std::string directory_;
};

// The entry file's bytes for `object` (exposed for tests).
std::string EncodeCacheEntry(const CacheKey& key, const std::string& object);
// The payload of an entry's bytes, or why it is refused.
std::optional<std::string> DecodeCacheEntry(const CacheKey& key, const std::string& bytes, std::string* problem);

}  // namespace recoup::compiler::jit
