// What error messages and logs show of text from users and peers: no terminal codes, no
// binary, no 1 MB line.
#include <catch2/catch.hpp>

#include <string>

#include "protocol/dns/shown_text.h"

using mxsentry::printable_ascii;
using mxsentry::shown_text;

TEST_CASE("shown_text: quoted, control and non-ASCII bytes as decimal escapes", "[dns][shown_text]") {
  CHECK(shown_text("example.com") == "'example.com'");
  CHECK(shown_text("") == "''");
  CHECK(shown_text("a\x1b[31mb") == "'a\\027[31mb'");
  CHECK(shown_text("\xEF\xBB\xBF" "8.8.8.8") == "'\\239\\187\\1918.8.8.8'");
  CHECK(shown_text(std::string("a\0b", 3)) == "'a\\000b'");
  CHECK(shown_text("a\tb\n") == "'a\tb\\010'");
}

TEST_CASE("shown_text: a long text is cut and its size given", "[dns][shown_text]") {
  std::string line(1'000'000, 'x');
  std::string shown = shown_text(line);
  CHECK(shown.size() < 400);
  CHECK(shown == "'" + std::string(300, 'x') + "'... (1000000 bytes)");
  CHECK(shown_text("abcdef", 3) == "'abc'... (6 bytes)");
  CHECK(shown_text("abc", 3) == "'abc'");
}

TEST_CASE("printable_ascii: newlines, escape codes and UTF-8 become '?', length bounded", "[dns][shown_text]") {
  CHECK(printable_ascii("mxsentry-prober 0.1") == "mxsentry-prober 0.1");
  CHECK(printable_ascii("vp1\nmxsentry-coordinator: prober evil connected") ==
        "vp1?mxsentry-coordinator: prober evil connected");
  CHECK(printable_ascii("\x1b[2J\x1b[31mred") == "?[2J?[31mred");
  CHECK(printable_ascii("caf\xC3\xA9\x7f") == "caf???");
  CHECK(printable_ascii(std::string(5000, 'a')).size() == 200);
  CHECK(printable_ascii("abcdef", 4) == "abcd");
}
