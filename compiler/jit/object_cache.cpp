#include "compiler/jit/object_cache.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/SHA256.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace recoup::compiler::jit {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'R', 'E', 'C', 'O', 'U', 'P', 'J', '1'};
// magic, key, payload size (8 bytes little-endian), payload SHA-256.
constexpr std::size_t kHeaderSize = sizeof(kMagic) + 32 + 8 + 32;

CacheKey HashBytes(const char* data, std::size_t size) {
  llvm::SHA256 hash;
  hash.update(llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data), size));
  return hash.final();
}

}  // namespace

std::string DefaultCacheDirectory(const char* xdg_cache_home, const char* home) {
  if (xdg_cache_home != nullptr && xdg_cache_home[0] == '/') return std::string(xdg_cache_home) + "/recoup";
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.cache/recoup";
  return "";
}

CacheKey Sha256(const std::string& text) { return HashBytes(text.data(), text.size()); }

std::string HexKey(const CacheKey& key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t byte : key) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  return hex;
}

std::string EncodeCacheEntry(const CacheKey& key, const std::string& object) {
  std::string bytes(kMagic, sizeof(kMagic));
  bytes.append(reinterpret_cast<const char*>(key.data()), key.size());
  std::uint64_t size = object.size();
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((size >> (8 * i)) & 0xFF);
  CacheKey checksum = Sha256(object);
  bytes.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());
  bytes += object;
  return bytes;
}

std::optional<std::string> DecodeCacheEntry(const CacheKey& key, const std::string& bytes, std::string* problem) {
  auto refuse = [&](const char* why) -> std::optional<std::string> {
    if (problem) *problem = why;
    return std::nullopt;
  };
  if (bytes.size() < kHeaderSize) return refuse("truncated header");
  if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return refuse("not a Recoup cache entry (bad magic)");
  if (std::memcmp(bytes.data() + sizeof(kMagic), key.data(), key.size()) != 0) return refuse("key mismatch");
  std::uint64_t size = 0;
  for (int i = 0; i < 8; ++i) {
    size |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[sizeof(kMagic) + 32 + i])) << (8 * i);
  }
  if (bytes.size() - kHeaderSize != size) return refuse("truncated or padded payload");
  CacheKey checksum = HashBytes(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
  if (std::memcmp(bytes.data() + sizeof(kMagic) + 40, checksum.data(), checksum.size()) != 0) {
    return refuse("checksum mismatch");
  }
  return bytes.substr(kHeaderSize);
}

std::string ObjectCache::EntryPath(const CacheKey& key) const {
  return (fs::path(directory_) / (HexKey(key) + ".recoup-object")).string();
}

CacheLookup ObjectCache::Load(const CacheKey& key) const {
  CacheLookup lookup;
  std::ifstream stream(EntryPath(key), std::ios::binary);
  if (!stream) return lookup;
  std::ostringstream contents;
  contents << stream.rdbuf();
  lookup.object = DecodeCacheEntry(key, contents.str(), &lookup.rejected);
  return lookup;
}

std::optional<std::string> ObjectCache::Store(const CacheKey& key, const std::string& object) const {
  std::error_code error;
  fs::create_directories(directory_, error);
  if (error) return "cannot create " + directory_ + ": " + error.message();
  std::string path = EntryPath(key);
  std::string temporary = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    std::string bytes = EncodeCacheEntry(key, object);
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!stream.flush()) {
      fs::remove(temporary, error);
      return "cannot write " + temporary;
    }
  }
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary, error);
    return "cannot rename into " + path;
  }
  return std::nullopt;
}

}  // namespace recoup::compiler::jit
