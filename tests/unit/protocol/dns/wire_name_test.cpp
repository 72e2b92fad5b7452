// read_name / skip_name: the one name decompressor, on good names and on hostile ones.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "protocol/dns/wire_name.h"
#include "tests/unit/protocol/dns/dns_message_builder.h"

namespace wire = mxsentry::wire;
using namespace mxsentry::test;  // the message assembler and samples
using wire::NameError;

namespace {

// A header with no counts: names in these tests start at offset 12.
Msg message() { return Msg().header(0, 0, 0, 0, 0, 0); }

struct Read {
  NameError error;
  std::string name;   // uncompressed wire form
  std::size_t after;  // the cursor's position after the call
  bool ok;            // the cursor's state after the call
};

Read read_at(const Bytes& b, std::size_t position) {
  wire::WireCursor c(b, position);
  wire::WireName name;
  const NameError error = wire::read_name(c, &name);
  return {error, error == NameError::none ? std::string(name.view()) : std::string(), c.position(), c.ok()};
}

NameError error_at(const Bytes& b, std::size_t position) {
  wire::WireCursor c(b, position);
  const NameError error = wire::skip_name(c);
  CHECK(c.ok() == (error == NameError::none));
  CHECK(read_at(b, position).error == error);  // reading and skipping judge alike
  return error;
}

}  // namespace

TEST_CASE("read_name reads an uncompressed name and stops after it", "[wire][name]") {
  const Bytes b = message().raw(to_wire("mx.example.com.")).u16(15).b;
  const Read r = read_at(b, 12);
  CHECK(r.error == NameError::none);
  CHECK(r.ok);
  CHECK(r.name == to_wire("mx.example.com."));
  CHECK(r.after == 12 + 16);

  const Bytes root = message().u8(0).u16(1).b;
  CHECK(read_at(root, 12).name == std::string(1, '\0'));
  CHECK(read_at(root, 12).after == 13);
}

TEST_CASE("read_name follows pointers, and the cursor ends after the first one", "[wire][name]") {
  Msg m = message();
  m.raw(to_wire("example.com."));   // 12..24
  m.label("mail").ptr(12);          // 25..31: mail.example.com.
  m.label("x").ptr(25).u16(0xbeef);  // 32..35: x.mail.example.com., two hops
  const Read one = read_at(m.b, 25);
  CHECK(one.error == NameError::none);
  CHECK(one.name == to_wire("mail.example.com."));
  CHECK(one.after == 32);
  const Read two = read_at(m.b, 32);
  CHECK(two.name == to_wire("x.mail.example.com."));
  CHECK(two.after == 36);
  const Read pointer_only = read_at(Msg(m).ptr(32).b, 38);
  CHECK(pointer_only.name == to_wire("x.mail.example.com."));
  CHECK(pointer_only.after == 40);

  wire::WireCursor c(m.b, 32);
  CHECK(wire::skip_name(c) == NameError::none);
  CHECK(c.position() == 36);
  CHECK(c.read_u16() == 0xbeef);
}

TEST_CASE("read_name refuses pointer loops", "[wire][name]") {
  SECTION("a pointer to itself") {
    const Bytes b = message().ptr(12).b;
    CHECK(error_at(b, 12) == NameError::pointer_loop);
  }
  SECTION("a label and a pointer back to it: the hop limit ends the cycle") {
    const Bytes b = message().label("a").ptr(12).b;  // 2 octets a turn: 64 hops come first
    CHECK(error_at(b, 12) == NameError::too_many_pointers);
  }
  SECTION("a longer label and a pointer back to it: the length limit ends the cycle") {
    const Bytes b = message().label(std::string(20, 'a')).ptr(12).b;
    CHECK(error_at(b, 12) == NameError::too_long);
  }
  SECTION("two pointers that point at each other") {
    // 12: pointer to 14 (forward), 14: pointer to 12: whichever is read first, one is forward.
    const Bytes b = message().ptr(14).ptr(12).b;
    CHECK(error_at(b, 12) == NameError::forward_pointer);
    CHECK(error_at(b, 14) == NameError::forward_pointer);  // 14 -> 12, then 12 -> 14
  }
}

TEST_CASE("read_name allows 64 pointer hops, not 65", "[wire][name]") {
  // The root name at 12, then a chain of pointers, each to the one before it.
  auto chain = [](int pointers) {
    Msg m = message();
    m.u8(0);
    for (int k = 0; k < pointers; ++k) m.ptr(k == 0 ? 12 : 13 + 2 * (k - 1));
    return m.b;
  };
  const Bytes b64 = chain(64), b65 = chain(65);
  CHECK(read_at(b64, b64.size() - 2).error == NameError::none);
  CHECK(read_at(b64, b64.size() - 2).name == std::string(1, '\0'));
  CHECK(error_at(b65, b65.size() - 2) == NameError::too_many_pointers);
}

TEST_CASE("read_name refuses a pointer into the header", "[wire][name]") {
  for (std::size_t target : {0, 4, 6, 11}) {
    INFO("pointer to " << target);
    const Bytes b = message().u8(0).ptr(target).b;
    CHECK(error_at(b, 13) == NameError::header_pointer);
  }
  const Bytes lowest = message().u8(0).ptr(12).b;
  CHECK(error_at(lowest, 13) == NameError::none);
}

TEST_CASE("read_name refuses forward pointers and pointers past the end", "[wire][name]") {
  const Bytes forward = message().ptr(14).u8(0).b;
  CHECK(error_at(forward, 12) == NameError::forward_pointer);
  const Bytes past = message().ptr(0x3fff).b;
  CHECK(error_at(past, 12) == NameError::forward_pointer);
  // Forward after a good backward hop: b (17), back to 15, then forward to 20.
  const Bytes later = message().u8(0).label("a").ptr(20).label("b").ptr(15).b;
  CHECK(error_at(later, 17) == NameError::forward_pointer);
}

TEST_CASE("read_name on names cut short", "[wire][name]") {
  CHECK(error_at(message().b, 12) == NameError::truncated);                    // no length octet
  CHECK(error_at(message().u8(5).raw("ab").b, 12) == NameError::truncated);    // label cut
  CHECK(error_at(message().label("ab").b, 12) == NameError::truncated);        // no root label
  CHECK(error_at(message().label("a").u8(0xc0).b, 12) == NameError::pointer_cut_off);
  CHECK(error_at(message().u8(0).b, 13) == NameError::truncated);              // at the very end
  CHECK(error_at(message().u8(0).b, 14) == NameError::truncated);              // past it
}

TEST_CASE("read_name: labels up to 63 octets, and 0x40 and 0x80 are reserved label types", "[wire][name]") {
  const std::string l63(63, 'a'), l64(64, 'a');
  CHECK(error_at(message().label(l63).u8(0).b, 12) == NameError::none);
  // A 64-octet label cannot be written: its length octet 0x40 is the extended label type.
  CHECK(error_at(message().label(l64).u8(0).b, 12) == NameError::label_type);
  for (int octet : {0x40, 0x41, 0x7f, 0x80, 0xbf}) {
    INFO("length octet " << octet);
    CHECK(error_at(message().u8(static_cast<std::uint8_t>(octet)).raw(l64 + l64).u8(0).b, 12) ==
          NameError::label_type);
    CHECK(error_at(message().label("ok").u8(static_cast<std::uint8_t>(octet)).u8(0).b, 12) ==
          NameError::label_type);
  }
}

TEST_CASE("read_name: names up to 255 octets, also across pointers", "[wire][name]") {
  const std::string l63(63, 'x');
  const std::string n255 = to_wire(l63 + "." + l63 + "." + l63 + "." + std::string(61, 'y') + ".");
  REQUIRE(n255.size() == 255);
  const Read r = read_at(message().raw(n255).b, 12);
  CHECK(r.error == NameError::none);
  CHECK(r.name == n255);

  std::string n256 = n255.substr(0, 192);  // three 63-octet labels
  n256 += static_cast<char>(62);
  n256 += std::string(62, 'y');
  n256 += '\0';
  REQUIRE(n256.size() == 256);
  CHECK(error_at(message().raw(n256).b, 12) == NameError::too_long);

  // 193 octets at 12, then a label in front of a pointer to them.
  const std::string n193 = to_wire(l63 + "." + l63 + "." + l63 + ".");
  Msg fits = message().raw(n193);
  fits.label(std::string(61, 'z')).ptr(12);  // 62 + 193 = 255
  CHECK(read_at(fits.b, 12 + 193).name.size() == 255);
  Msg over = message().raw(n193);
  over.label(std::string(62, 'z')).ptr(12);  // 63 + 193 = 256
  CHECK(error_at(over.b, 12 + 193) == NameError::too_long);
}

TEST_CASE("read_name on a cursor already in error reads nothing", "[wire][name]") {
  const Bytes b = message().u8(0).b;
  wire::WireCursor c(b, 12);
  c.fail();
  wire::WireName name;
  CHECK(wire::read_name(c, &name) == NameError::truncated);
  CHECK_FALSE(c.ok());
}

TEST_CASE("NameError reasons are distinct words", "[wire][name]") {
  const NameError all[] = {NameError::none,           NameError::truncated,       NameError::pointer_cut_off,
                           NameError::pointer_loop,   NameError::forward_pointer, NameError::header_pointer,
                           NameError::too_many_pointers, NameError::label_type,   NameError::too_long};
  for (NameError a : all) {
    CHECK(std::string(wire::to_string(a)) != "unknown");
    for (NameError b : all)
      if (a != b) CHECK(std::string(wire::to_string(a)) != wire::to_string(b));
  }
  CHECK(std::string(wire::to_string(NameError::header_pointer)) == "compression pointer into the header");
}
