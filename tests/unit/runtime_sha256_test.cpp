#include <catch2/catch.hpp>

#include <string>

#include "runtime/sha256.h"

namespace recoup::runtime {
namespace {

// FIPS 180-4 / NIST CSRC example vectors.
TEST_CASE("SHA-256 of the NIST example messages", "[runtime][sha256]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 fed in pieces equals one pass, at every block boundary", "[runtime][sha256]") {
  std::string message;
  for (int i = 0; i < 200; ++i) message += static_cast<char>('a' + i % 26);
  for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 128u, 199u}) {
    Sha256 pieces;
    pieces.Update(std::string_view(message).substr(0, cut));
    pieces.Update(std::string_view(message).substr(cut));
    Sha256 whole;
    whole.Update(message);
    CHECK(pieces.Finish() == whole.Finish());
  }
  // Lengths around the padding boundary (55, 56, 64 bytes) differ from each other.
  CHECK(Sha256Hex(std::string(55, 'x')) != Sha256Hex(std::string(56, 'x')));
  CHECK(Sha256Hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace recoup::runtime
