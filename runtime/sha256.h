// SHA-256 (FIPS 180-4), so a report can name the exact policy files it was
// run with: the same bytes give the same 64 hex digits anywhere.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace recoup::runtime {

// Hashes bytes fed in pieces; Finish() may be called once.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  std::array<std::uint8_t, 32> Finish();

 private:
  void Compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes so far
};

// The digest of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace recoup::runtime
