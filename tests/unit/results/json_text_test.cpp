// Hand-written JSON text: strings, integers, fixed-point milliseconds.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "results/json_text.h"

namespace json = mxsentry::json;

namespace {

std::string str(std::string_view text) {
  std::string out;
  json::append_string(out, text);
  return out;
}

std::string millis(double value) {
  std::string out;
  json::append_millis(out, value);
  return out;
}

std::string integer(std::int64_t value) {
  std::string out;
  json::append_int(out, value);
  return out;
}

// The UTF-8 encoding of U+00XX, which is what a JSON parser makes of "\u00XX".
std::string latin1_to_utf8(unsigned char c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
  return out;
}

}  // namespace

TEST_CASE("append_string quotes and escapes", "[json]") {
  CHECK(str("") == R"("")");
  CHECK(str("mx.example.") == R"("mx.example.")");
  CHECK(str("a\"b") == R"("a\"b")");
  CHECK(str("a\\b") == R"("a\\b")");
  CHECK(str("\n\r\t") == R"("\n\r\t")");
  CHECK(str("\b\f") == R"("\u0008\u000c")");
  CHECK(str(std::string_view("a\0b", 3)) == R"("a\u0000b")");
  CHECK(str("\x01\x1f") == R"("\u0001\u001f")");
  CHECK(str(" ~/") == R"(" ~/")");  // printable ASCII, '/' included, as is
  CHECK(str("\x7f") == R"("\u007f")");
  CHECK(str("\x80") == R"("\u0080")");
  CHECK(str("caf\xc3\xa9") == R"("caf\u00c3\u00a9")");  // bytes, not characters
  CHECK(str("\xff") == R"("\u00ff")");
  CHECK(str("\"\\\"") == R"("\"\\\"")");
  CHECK(str("abc\"def\\ghi\njkl") == R"("abc\"def\\ghi\njkl")");
}

TEST_CASE("append_string appends", "[json]") {
  std::string out = "{\"k\":";
  json::append_string(out, "v");
  CHECK(out == "{\"k\":\"v\"");
}

TEST_CASE("append_string output is ASCII and parses back for every byte", "[json]") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string text = str(all);
  for (unsigned char c : text) {
    CHECK(c >= 0x20);
    CHECK(c < 0x7f);
  }
  std::string expected;
  for (int c = 0; c < 256; ++c) expected += latin1_to_utf8(static_cast<unsigned char>(c));
  auto parsed = nlohmann::json::parse(text);
  REQUIRE(parsed.is_string());
  CHECK(parsed.get<std::string>() == expected);

  // One byte at a time too, so that a failure names the byte.
  for (int c = 0; c < 256; ++c) {
    INFO("byte " << c);
    std::string one(1, static_cast<char>(c));
    auto value = nlohmann::json::parse(str("x" + one + "y"));
    CHECK(value.get<std::string>() == "x" + latin1_to_utf8(static_cast<unsigned char>(c)) + "y");
  }
}

TEST_CASE("append_int", "[json]") {
  CHECK(integer(0) == "0");
  CHECK(integer(-1) == "-1");
  CHECK(integer(1700000000123) == "1700000000123");
  CHECK(integer(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
  CHECK(integer(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
}

TEST_CASE("append_millis writes three decimals, rounded to the microsecond", "[json]") {
  CHECK(millis(0) == "0.000");
  CHECK(millis(2) == "2.000");
  CHECK(millis(12.5) == "12.500");
  CHECK(millis(1.2345) == "1.235");  // 1.2345 * 1000 is 1234.5 in doubles, rounded half away from zero
  CHECK(millis(1.2355) == "1.236");
  CHECK(millis(1.2344) == "1.234");
  CHECK(millis(0.0004) == "0.000");
  CHECK(millis(0.0005) == "0.001");
  CHECK(millis(0.0015) == "0.002");
  CHECK(millis(0.001) == "0.001");
  CHECK(millis(0.01) == "0.010");
  CHECK(millis(0.1) == "0.100");
  CHECK(millis(0.9999) == "1.000");
  CHECK(millis(9.9996) == "10.000");
  CHECK(millis(12345.6789) == "12345.679");
  CHECK(millis(1e9) == "1000000000.000");
  // Nothing negative or non-finite reaches the output.
  CHECK(millis(-1) == "0.000");
  CHECK(millis(-0.0001) == "0.000");
  CHECK(millis(std::nan("")) == "0.000");
  CHECK(millis(std::numeric_limits<double>::infinity()) == "0.000");
  CHECK(millis(-std::numeric_limits<double>::infinity()) == "0.000");

  std::string out = "x";
  json::append_millis(out, 3.25);
  CHECK(out == "x3.250");

  // Always a valid JSON number with the same value to the microsecond.
  for (double v : {0.0, 0.001, 1.5, 250.125, 3000.0}) {
    auto parsed = nlohmann::json::parse(millis(v));
    REQUIRE(parsed.is_number());
    CHECK(parsed.get<double>() == Approx(v).margin(1e-9));
  }
}
