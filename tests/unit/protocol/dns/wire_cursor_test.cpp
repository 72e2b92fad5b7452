// WireCursor: big-endian reads within bounds, and the sticky error that replaces every read
// past the end.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "protocol/dns/wire_cursor.h"

using mxsentry::wire::WireCursor;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("WireCursor reads big-endian values and advances", "[wire][cursor]") {
  const Bytes b = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01};
  WireCursor c(b);
  CHECK(c.position() == 0);
  CHECK(c.remaining() == 9);
  CHECK(c.read_u8() == 0x12);
  CHECK(c.read_u16() == 0x3456);
  CHECK(c.read_u32() == 0x789abcdeu);
  CHECK(c.position() == 7);
  CHECK(c.remaining() == 2);
  CHECK(c.read_u16() == 0xf001);
  CHECK(c.remaining() == 0);
  CHECK(c.ok());
  CHECK(c.data().data() == b.data());
  CHECK(c.data().size() == b.size());
}

TEST_CASE("WireCursor reads bytes in place and skips", "[wire][cursor]") {
  const Bytes b = {1, 2, 3, 4, 5, 6};
  WireCursor c(b, 1);
  CHECK(c.position() == 1);
  auto bytes = c.read_bytes(3);
  REQUIRE(bytes.size() == 3);
  CHECK(bytes.data() == b.data() + 1);  // a view, not a copy
  CHECK(bytes[2] == 4);
  c.skip(1);
  CHECK(c.read_u8() == 6);
  CHECK(c.read_bytes(0).empty());  // nothing left, but nothing asked for
  c.skip(0);
  CHECK(c.ok());
}

TEST_CASE("WireCursor: a read past the end sets a sticky error and reads nothing", "[wire][cursor]") {
  const Bytes b = {0xaa, 0xbb, 0xcc};
  SECTION("u16 then u16") {
    WireCursor c(b);
    CHECK(c.read_u16() == 0xaabb);
    CHECK(c.read_u16() == 0);  // one octet left, two asked for
    CHECK_FALSE(c.ok());
    CHECK(c.position() == 2);   // did not move
    CHECK(c.read_u8() == 0);    // would fit, but the error is sticky
    CHECK(c.position() == 2);
    CHECK_FALSE(c.ok());
  }
  SECTION("u32 on three octets") {
    WireCursor c(b);
    CHECK(c.read_u32() == 0);
    CHECK_FALSE(c.ok());
    CHECK(c.position() == 0);
  }
  SECTION("bytes") {
    WireCursor c(b, 1);
    CHECK(c.read_bytes(3).empty());
    CHECK_FALSE(c.ok());
    CHECK(c.position() == 1);
  }
  SECTION("skip, also by an amount that would wrap a size_t") {
    WireCursor c(b);
    c.skip(3);
    CHECK(c.ok());
    CHECK(c.remaining() == 0);
    c.skip(1);
    CHECK_FALSE(c.ok());
    WireCursor huge(b, 1);
    huge.skip(std::numeric_limits<std::size_t>::max());
    CHECK_FALSE(huge.ok());
    CHECK(huge.position() == 1);
  }
  SECTION("an empty buffer") {
    WireCursor c(Bytes{});
    CHECK(c.remaining() == 0);
    CHECK(c.read_u8() == 0);
    CHECK_FALSE(c.ok());
  }
}

TEST_CASE("WireCursor seeks within the buffer, up to its end", "[wire][cursor]") {
  const Bytes b = {1, 2, 3, 4};
  WireCursor c(b, 3);
  c.seek(1);
  CHECK(c.read_u8() == 2);
  c.seek(4);  // the end itself is a position
  CHECK(c.ok());
  CHECK(c.remaining() == 0);
  c.seek(5);
  CHECK_FALSE(c.ok());
  c.seek(0);  // no way back out of the error
  CHECK_FALSE(c.ok());
  CHECK(c.read_u8() == 0);
}

TEST_CASE("WireCursor: a start past the end and fail() are errors", "[wire][cursor]") {
  const Bytes b = {1, 2};
  WireCursor past(b, 3);
  CHECK_FALSE(past.ok());
  CHECK(past.remaining() == 0);
  CHECK(past.read_u8() == 0);
  WireCursor at_end(b, 2);
  CHECK(at_end.ok());

  WireCursor c(b);
  c.fail();
  CHECK_FALSE(c.ok());
  CHECK(c.read_u8() == 0);
  CHECK(c.position() == 0);
}
