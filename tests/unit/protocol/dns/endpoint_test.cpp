// Endpoint: parsing of the resolver-list address syntax, printing, sockaddr conversion, hashing.

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <unordered_set>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "protocol/dns/endpoint.h"

using mxsentry::Endpoint;
using mxsentry::EndpointHash;

namespace {

std::array<std::uint8_t, 16> v4_bytes(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  std::array<std::uint8_t, 16> out{};
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
  return out;
}

std::array<std::uint8_t, 16> v6_bytes(const char* text) {
  std::array<std::uint8_t, 16> out{};
  REQUIRE(inet_pton(AF_INET6, text, out.data()) == 1);
  return out;
}

std::string parse_error(std::string_view text) {
  std::string error;
  auto e = Endpoint::parse(text, &error);
  CHECK_FALSE(e.has_value());
  return error;
}

}  // namespace

TEST_CASE("Endpoint::parse accepts a bare IPv4 address with port 53", "[endpoint]") {
  auto e = Endpoint::parse("192.0.2.1");
  REQUIRE(e.has_value());
  CHECK(e->family == AF_INET);
  CHECK(e->address == v4_bytes(192, 0, 2, 1));
  CHECK(e->port == 53);
  CHECK(e->address_string() == "192.0.2.1");
  CHECK(e->to_string() == "192.0.2.1");
}

TEST_CASE("Endpoint::parse accepts IPv4:port", "[endpoint]") {
  auto e = Endpoint::parse("8.8.4.4:5353");
  REQUIRE(e.has_value());
  CHECK(e->family == AF_INET);
  CHECK(e->address == v4_bytes(8, 8, 4, 4));
  CHECK(e->port == 5353);
  CHECK(e->to_string() == "8.8.4.4:5353");

  auto low = Endpoint::parse("1.2.3.4:1");
  REQUIRE(low.has_value());
  CHECK(low->port == 1);
  auto high = Endpoint::parse("1.2.3.4:65535");
  REQUIRE(high.has_value());
  CHECK(high->port == 65535);
  CHECK(high->to_string() == "1.2.3.4:65535");

  // An explicit :53 parses to the same endpoint as no port and prints without it.
  auto explicit53 = Endpoint::parse("1.2.3.4:53");
  REQUIRE(explicit53.has_value());
  CHECK(*explicit53 == *Endpoint::parse("1.2.3.4"));
  CHECK(explicit53->to_string() == "1.2.3.4");
}

TEST_CASE("Endpoint::parse accepts a bare IPv6 address (no port)", "[endpoint]") {
  auto e = Endpoint::parse("2001:db8::1");
  REQUIRE(e.has_value());
  CHECK(e->family == AF_INET6);
  CHECK(e->address == v6_bytes("2001:db8::1"));
  CHECK(e->port == 53);
  CHECK(e->to_string() == "2001:db8::1");

  auto any = Endpoint::parse("::");
  REQUIRE(any.has_value());
  CHECK(any->family == AF_INET6);
  CHECK(any->address == std::array<std::uint8_t, 16>{});

  auto mapped = Endpoint::parse("::ffff:192.0.2.7");
  REQUIRE(mapped.has_value());
  CHECK(mapped->family == AF_INET6);
  CHECK(mapped->address == v6_bytes("::ffff:192.0.2.7"));

  // Written in a non-canonical form, printed canonically.
  auto longform = Endpoint::parse("2001:0DB8:0000:0000:0000:0000:0000:00ff");
  REQUIRE(longform.has_value());
  CHECK(longform->to_string() == "2001:db8::ff");
}

TEST_CASE("Endpoint::parse accepts [IPv6]:port and [IPv6]", "[endpoint]") {
  auto e = Endpoint::parse("[2001:db8::53]:8053");
  REQUIRE(e.has_value());
  CHECK(e->family == AF_INET6);
  CHECK(e->address == v6_bytes("2001:db8::53"));
  CHECK(e->port == 8053);
  CHECK(e->to_string() == "[2001:db8::53]:8053");

  auto bracketed = Endpoint::parse("[2001:db8::53]");
  REQUIRE(bracketed.has_value());
  CHECK(bracketed->port == 53);
  CHECK(bracketed->to_string() == "2001:db8::53");

  auto port53 = Endpoint::parse("[::1]:53");
  REQUIRE(port53.has_value());
  CHECK(port53->to_string() == "::1");
}

TEST_CASE("Endpoint::parse rejects bad ports with a reason", "[endpoint]") {
  CHECK(parse_error("192.0.2.1:0") == "bad port '0'");
  CHECK(parse_error("192.0.2.1:65536") == "bad port '65536'");
  CHECK(parse_error("192.0.2.1:abc") == "bad port 'abc'");
  CHECK(parse_error("192.0.2.1:") == "bad port ''");
  CHECK(parse_error("192.0.2.1:-1") == "bad port '-1'");
  CHECK(parse_error("192.0.2.1:53x") == "bad port '53x'");
  CHECK(parse_error("192.0.2.1:99999999999") == "bad port '99999999999'");
  CHECK(parse_error("[2001:db8::1]:0") == "bad port '0'");
  CHECK(parse_error("[2001:db8::1]:65536") == "bad port '65536'");
  CHECK(parse_error("[2001:db8::1]:abc") == "bad port 'abc'");
  CHECK(parse_error("[2001:db8::1]:") == "bad port ''");
}

TEST_CASE("Endpoint::parse rejects malformed addresses with a reason", "[endpoint]") {
  CHECK(parse_error("") == "empty address");
  CHECK(parse_error("[2001:db8::1") == "missing ']' in '[2001:db8::1'");
  CHECK(parse_error("[2001:db8::1]53") == "expected ':port' after ']' in '[2001:db8::1]53'");
  CHECK(parse_error("[192.0.2.1]:53") == "bad IPv6 address '192.0.2.1'");
  CHECK(parse_error("[]:53") == "bad IPv6 address ''");
  CHECK(parse_error("2001:db8::zz") == "bad IPv6 address '2001:db8::zz'");
  CHECK(parse_error("1:2:3:4:5:6:7:8:9") == "bad IPv6 address '1:2:3:4:5:6:7:8:9'");
  CHECK(parse_error("garbage") == "bad IPv4 address 'garbage'");
  CHECK(parse_error("256.1.1.1") == "bad IPv4 address '256.1.1.1'");
  CHECK(parse_error("1.2.3") == "bad IPv4 address '1.2.3'");
  CHECK(parse_error("1.2.3.4.5") == "bad IPv4 address '1.2.3.4.5'");
  CHECK(parse_error("example.com:53") == "bad IPv4 address 'example.com'");
  CHECK(parse_error(":53") == "bad IPv4 address ''");
  CHECK(parse_error(" 1.2.3.4") == "bad IPv4 address ' 1.2.3.4'");

  // Without an error pointer it still fails cleanly.
  CHECK_FALSE(Endpoint::parse("nonsense").has_value());
  CHECK_FALSE(Endpoint::parse("1.2.3.4:0").has_value());
  CHECK_FALSE(Endpoint::parse("[::1").has_value());
}

TEST_CASE("Endpoint to_string output parses back to the same endpoint", "[endpoint]") {
  for (const char* text : {"192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]:853", "::1",
                           "[::]:1", "255.255.255.255:65535", "0.0.0.0"}) {
    INFO(text);
    auto e = Endpoint::parse(text);
    REQUIRE(e.has_value());
    CHECK(e->to_string() == text);
    auto again = Endpoint::parse(e->to_string());
    REQUIRE(again.has_value());
    CHECK(*again == *e);
  }
}

TEST_CASE("Endpoint default and empty printing", "[endpoint]") {
  Endpoint e;
  CHECK(e.family == 0);
  CHECK(e.port == 53);
  CHECK(e.address_string().empty());
  CHECK(e.to_string().empty());
}

TEST_CASE("Endpoint::to_sockaddr fills IPv4 and IPv6 sockaddrs", "[endpoint]") {
  SECTION("IPv4") {
    auto e = Endpoint::parse("198.51.100.7:5300");
    REQUIRE(e.has_value());
    sockaddr_storage ss;
    std::memset(&ss, 0xab, sizeof ss);
    socklen_t len = e->to_sockaddr(ss);
    CHECK(len == sizeof(sockaddr_in));
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    CHECK(sin->sin_family == AF_INET);
    CHECK(ntohs(sin->sin_port) == 5300);
    CHECK(ntohl(sin->sin_addr.s_addr) == 0xC6336407u);  // 198.51.100.7
    CHECK(e->matches(reinterpret_cast<const sockaddr*>(&ss)));
    auto back = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss));
    REQUIRE(back.has_value());
    CHECK(*back == *e);
  }
  SECTION("IPv6") {
    auto e = Endpoint::parse("[2001:db8::abcd]:853");
    REQUIRE(e.has_value());
    sockaddr_storage ss;
    std::memset(&ss, 0xab, sizeof ss);
    socklen_t len = e->to_sockaddr(ss);
    CHECK(len == sizeof(sockaddr_in6));
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    CHECK(sin6->sin6_family == AF_INET6);
    CHECK(ntohs(sin6->sin6_port) == 853);
    CHECK(std::memcmp(&sin6->sin6_addr, v6_bytes("2001:db8::abcd").data(), 16) == 0);
    CHECK(sin6->sin6_flowinfo == 0);
    CHECK(sin6->sin6_scope_id == 0);
    CHECK(e->matches(reinterpret_cast<const sockaddr*>(&ss)));
    auto back = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss));
    REQUIRE(back.has_value());
    CHECK(*back == *e);
  }
}

TEST_CASE("Endpoint::matches compares family, address and port", "[endpoint]") {
  auto e = *Endpoint::parse("192.0.2.1:53");
  sockaddr_storage ss;

  Endpoint::parse("192.0.2.1")->to_sockaddr(ss);
  CHECK(e.matches(reinterpret_cast<const sockaddr*>(&ss)));

  Endpoint::parse("192.0.2.2")->to_sockaddr(ss);
  CHECK_FALSE(e.matches(reinterpret_cast<const sockaddr*>(&ss)));

  Endpoint::parse("192.0.2.1:54")->to_sockaddr(ss);
  CHECK_FALSE(e.matches(reinterpret_cast<const sockaddr*>(&ss)));

  Endpoint::parse("::ffff:192.0.2.1")->to_sockaddr(ss);  // same bytes would not be enough
  CHECK_FALSE(e.matches(reinterpret_cast<const sockaddr*>(&ss)));

  CHECK_FALSE(e.matches(nullptr));

  auto v6 = *Endpoint::parse("[2001:db8::1]:5353");
  Endpoint::parse("[2001:db8::1]:5353")->to_sockaddr(ss);
  CHECK(v6.matches(reinterpret_cast<const sockaddr*>(&ss)));
  Endpoint::parse("[2001:db8::2]:5353")->to_sockaddr(ss);
  CHECK_FALSE(v6.matches(reinterpret_cast<const sockaddr*>(&ss)));
  Endpoint::parse("[2001:db8::1]:5354")->to_sockaddr(ss);
  CHECK_FALSE(v6.matches(reinterpret_cast<const sockaddr*>(&ss)));
  Endpoint::parse("192.0.2.1:5353")->to_sockaddr(ss);
  CHECK_FALSE(v6.matches(reinterpret_cast<const sockaddr*>(&ss)));
}

TEST_CASE("Endpoint::from_sockaddr rejects other families and null", "[endpoint]") {
  CHECK_FALSE(Endpoint::from_sockaddr(nullptr).has_value());
  sockaddr_storage ss{};
  ss.ss_family = AF_UNIX;
  CHECK_FALSE(Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss)).has_value());

  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(65535);
  sin.sin_addr.s_addr = htonl(0x0A000001);  // 10.0.0.1
  auto e = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin));
  REQUIRE(e.has_value());
  CHECK(e->family == AF_INET);
  CHECK(e->port == 65535);
  CHECK(e->address == v4_bytes(10, 0, 0, 1));
  CHECK(e->to_string() == "10.0.0.1:65535");
}

TEST_CASE("EndpointHash agrees with equality", "[endpoint]") {
  EndpointHash hash;
  auto a = *Endpoint::parse("192.0.2.1");
  auto a2 = *Endpoint::parse("192.0.2.1:53");
  auto b = *Endpoint::parse("192.0.2.1:54");
  auto c = *Endpoint::parse("192.0.2.2");
  auto d = *Endpoint::parse("2001:db8::1");
  auto d2 = *Endpoint::parse("[2001:db8:0::1]");
  auto e = *Endpoint::parse("[2001:db8::1]:54");

  CHECK(a == a2);
  CHECK(hash(a) == hash(a2));
  CHECK(d == d2);
  CHECK(hash(d) == hash(d2));
  CHECK_FALSE(a == b);
  CHECK_FALSE(a == c);
  CHECK_FALSE(d == e);
  CHECK(hash(a) != hash(b));
  CHECK(hash(a) != hash(c));
  CHECK(hash(d) != hash(e));
  CHECK(hash(a) != hash(d));

  std::unordered_set<Endpoint, EndpointHash> set{a, a2, b, c, d, d2, e};
  CHECK(set.size() == 5);
  CHECK(set.count(*Endpoint::parse("192.0.2.1")) == 1);
  CHECK(set.count(*Endpoint::parse("192.0.2.3")) == 0);
}

// Regression: inet_pton stops at the first NUL, so "8.8.8.8\0junk" once parsed as 8.8.8.8 and a
// resolver-list line with a NUL byte and garbage after it was silently accepted.
TEST_CASE("Endpoint::parse rejects text with an embedded NUL", "[endpoint]") {
  std::string error;
  CHECK_FALSE(Endpoint::parse(std::string_view("8.8.8.8\0junk", 12), &error).has_value());
  CHECK_FALSE(Endpoint::parse(std::string_view("8.8.8.8\0", 8), &error).has_value());
  CHECK_FALSE(Endpoint::parse(std::string_view("[2001:db8::1\0junk]:53", 21), &error).has_value());
  CHECK_FALSE(Endpoint::parse(std::string_view("2001:db8::1\0:junk", 17), &error).has_value());
  CHECK(error == "NUL byte in address");
}

TEST_CASE("Endpoint::parse: an error shows the bad text escaped and bounded", "[dns][endpoint]") {
  std::string error;
  CHECK_FALSE(mxsentry::Endpoint::parse("\xEF\xBB\xBF" "8.8.8.8", &error).has_value());
  CHECK(error == "bad IPv4 address '\\239\\187\\1918.8.8.8'");
  CHECK_FALSE(mxsentry::Endpoint::parse(std::string(1'000'000, '1'), &error).has_value());
  CHECK(error.size() < 400);
}
