// SipHash-2-4 against the published reference vectors (the SipHash paper's appendix and the
// reference implementation's vectors.h): key 00 01 .. 0f, messages 00 01 .. of 0 to 15 bytes.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "prober/core/siphash.h"

using mxsentry::siphash24;

TEST_CASE("siphash24: the reference vectors, every tail length and one whole block", "[siphash]") {
  // Key bytes 00..0f read as two little-endian 64-bit words.
  const std::uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
  // vectors_sip64[0..15]: the digest of the message 00 01 .. (n-1), as a little-endian number.
  const std::uint64_t want[16] = {
      0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull, 0x85676696d7fb7e2dull,
      0xcf2794e0277187b7ull, 0x18765564cd99a68dull, 0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull,
      0x93f5f5799a932462ull, 0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
      0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull, 0xa129ca6149be45e5ull,
  };
  std::string message;
  for (std::size_t n = 0; n < 16; ++n) {
    INFO("message of " << n << " bytes");
    CHECK(siphash24(key, message.data(), message.size()) == want[n]);
    message += static_cast<char>(n);
  }
  // The paper's worked example (appendix A): the 15-byte message 00 01 .. 0e.
  const char example[15] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  CHECK(siphash24(key, example, sizeof example) == 0xa129ca6149be45e5ull);
  CHECK(siphash24(key, nullptr, 0) == 0x726fdb47dd0e0e31ull);  // the empty message
}

TEST_CASE("siphash24: another key, another digest", "[siphash]") {
  const std::uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
  const std::uint64_t other[2] = {0x0706050403020101ull, 0x0f0e0d0c0b0a0908ull};
  const std::string text = "mx.example.";
  CHECK(siphash24(key, text.data(), text.size()) != siphash24(other, text.data(), text.size()));
  CHECK(siphash24(key, text.data(), text.size()) == siphash24(key, text.data(), text.size()));
}
