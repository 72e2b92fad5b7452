// dns_wire names: presentation form to wire form (name_to_wire) and back (wire_to_name),
// held against ldns.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"
#include "tests/unit/protocol/dns/dns_message_builder.h"

namespace wire = mxsentry::wire;
using namespace mxsentry::test;  // the message assembler and samples

TEST_CASE("name_to_wire encodes absolute and relative names identically", "[wire]") {
  const std::string expected("\x07" "example\x03" "com\x00", 13);
  CHECK(to_wire("example.com.") == expected);
  CHECK(to_wire("example.com") == expected);
  CHECK(to_wire(".") == std::string(1, '\0'));
  CHECK(to_wire("MX.Example.COM.") == std::string("\x02" "MX\x07" "Example\x03" "COM\x00", 16));
}

TEST_CASE("name_to_wire handles presentation escapes", "[wire]") {
  CHECK(to_wire("a\\.b.c.") == std::string("\x03" "a.b\x01" "c\x00", 7));
  CHECK(to_wire("a\\032b.") == std::string("\x03" "a b\x00", 5));
  CHECK(to_wire("a\\255.") == std::string("\x02" "a\xff\x00", 4));
  CHECK(to_wire("\\065B.c") == std::string("\x02" "AB\x01" "c\x00", 6));
  CHECK(to_wire("a\\\\b.") == std::string("\x03" "a\\b\x00", 5));
}

TEST_CASE("name_to_wire rejects bad names with a reason", "[wire]") {
  std::string error;
  CHECK_FALSE(wire::name_to_wire("", &error).has_value());
  CHECK(error == "empty name");

  error.clear();
  CHECK_FALSE(wire::name_to_wire("a..b", &error).has_value());
  CHECK(error.rfind("bad name 'a..b': ", 0) == 0);
  CHECK(error.size() > std::string("bad name 'a..b': ").size());

  // 63 octets is the largest label; 64 is refused.
  const std::string l63(63, 'a'), l64(64, 'a');
  CHECK(to_wire(l63 + ".").size() == 65);
  error.clear();
  CHECK_FALSE(wire::name_to_wire(l64 + ".com.", &error).has_value());
  CHECK(error.rfind("bad name '" + l64 + ".com.': ", 0) == 0);

  // 255 octets in wire form is the largest name; 256 is refused.
  const std::string n255 = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b') + ".";
  CHECK(to_wire(n255).size() == 255);
  const std::string n256 = l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b') + ".";
  error.clear();
  CHECK_FALSE(wire::name_to_wire(n256, &error).has_value());
  CHECK(error.rfind("bad name '", 0) == 0);

  CHECK_FALSE(wire::name_to_wire("..").has_value());  // no error pointer: still just nullopt
}

TEST_CASE("wire_to_name prints presentation format with escapes", "[wire]") {
  CHECK(wire::wire_to_name(to_wire("example.com")) == "example.com.");
  CHECK(wire::wire_to_name(std::string(1, '\0')) == ".");
  CHECK(wire::wire_to_name("") == ".");
  CHECK(wire::wire_to_name(std::string("\x03" "a.b\x01" "c\x00", 7)) == "a\\.b.c.");
  CHECK(wire::wire_to_name(std::string("\x03" "a\\b\x00", 5)) == "a\\\\b.");
  CHECK(wire::wire_to_name(std::string("\x03" "a b\x00", 5)) == "a\\032b.");
  CHECK(wire::wire_to_name(std::string("\x03" "\x00\x7f\xff\x00", 5)) == "\\000\\127\\255.");
  CHECK(wire::wire_to_name(std::string("\x02" "Ab\x00", 4)) == "Ab.");  // case is kept
  // A label running past the end stops the walk.
  CHECK(wire::wire_to_name(std::string("\x01" "a\x05" "bc", 5)) == "a.");
}

TEST_CASE("wire_to_name escapes exactly as ldns does, for every octet", "[wire]") {
  for (int c = 0; c < 256; ++c) {
    std::string w;
    w += '\x03';
    w += 'a';
    w += static_cast<char>(c);
    w += 'b';
    w += '\0';
    ldns_rdf* rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, w.size(), w.data());
    REQUIRE(rdf != nullptr);
    char* text = ldns_rdf2str(rdf);
    REQUIRE(text != nullptr);
    const std::string expected(text);
    std::free(text);
    ldns_rdf_deep_free(rdf);
    INFO("octet " << c);
    CHECK(wire::wire_to_name(w) == expected);
  }
  // The documented escapes, spelled out.
  CHECK(wire::wire_to_name(std::string("\x05" ".;()\\\x00", 7)) == "\\.\\;\\(\\)\\\\.");
  CHECK(wire::wire_to_name(std::string("\x04" "\"@$*\x00", 6)) == "\"@$*.");
  // A length octet above 63 (a pointer or an extended label) ends the walk.
  CHECK(wire::wire_to_name(std::string("\x01" "a\xc0\x0c", 4)) == "a.");
}

TEST_CASE("name_to_wire agrees with ldns_str2rdf_dname", "[wire]") {
  const std::string l63(63, 'a'), l64(64, 'a');
  const std::string names[] = {".", "a", "a.", ".a", "a..", "..", "...", ".a.", "a b", "@", "*.example",
                               "a.b.c...", "a\"b", "a;b", "a(b)", "exa\x80mple.", "x.y.z.", "MiXeD.CaSe.",
                               l63, l64, l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b'),
                               l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b'),
                               l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b') + ".",
                               "a\\.b.", "\\065.", "a\\"};
  for (const std::string& name : names) {
    INFO("name '" << name << "'");
    ldns_rdf* rdf = nullptr;
    const bool ldns_ok = ldns_str2rdf_dname(&rdf, name.c_str()) == LDNS_STATUS_OK && rdf != nullptr;
    std::string error;
    auto ours = wire::name_to_wire(name, &error);
    CHECK(ours.has_value() == ldns_ok);
    if (ours && ldns_ok) CHECK(*ours == std::string(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf)));
    if (!ours) CHECK(error.rfind("bad name '" + name + "': ", 0) == 0);
    if (rdf) ldns_rdf_deep_free(rdf);
  }
}

TEST_CASE("wire_to_name and name_to_wire round-trip every octet value", "[wire]") {
  for (int start = 0; start < 256; start += 60) {
    std::string w;
    std::string label;
    for (int c = start; c < start + 60 && c < 256; ++c) label += static_cast<char>(c);
    w += static_cast<char>(label.size());
    w += label;
    w += "\x03" "com";
    w += '\0';
    INFO("labels starting at octet " << start);
    std::string text = wire::wire_to_name(w);
    std::string error;
    auto back = wire::name_to_wire(text, &error);
    INFO(error);
    REQUIRE(back.has_value());
    CHECK(*back == w);
  }
}

// An embedded NUL once cut a name short on its way into ldns ("a\.b<NUL>junk.example" became
// "a\.b."). Raw control bytes are now refused on both paths; \DDD spells them.
TEST_CASE("name_to_wire refuses raw control bytes instead of truncating at a NUL", "[wire]") {
  std::string error;
  CHECK_FALSE(wire::name_to_wire(std::string_view("a\\.b\0junk.example", 17), &error).has_value());
  CHECK(error.find("control character") != std::string::npos);
  CHECK_FALSE(wire::name_to_wire(std::string_view("ab\0junk.example", 15)).has_value());
  CHECK_FALSE(wire::name_to_wire("tab\there.example").has_value());
  auto spelled = wire::name_to_wire("ab\\000junk.example");
  REQUIRE(spelled.has_value());
  CHECK(*spelled == to_wire("ab\\000junk.example."));
}
