// Domain lists: one domain a line, canonical form, duplicates, and errors naming source:line.

#include <catch2/catch.hpp>

#include "tests/unit/temp_file.h"

#include <string>

#include "targets/domain_list.h"
#include "targets/list_error.h"

using mxsentry::canonical_domain;
using mxsentry::ListError;
using mxsentry::parse_domain;
using mxsentry::parse_domain_list;

namespace {

using Names = std::vector<std::string>;
using mxsentry::test::TempFile;

std::string error_of(std::string_view text) {
  try {
    parse_domain_list(text, "domains.txt");
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("canonical_domain: lower case and a trailing dot", "[targets][domain_list]") {
  CHECK(canonical_domain("Example.COM") == "example.com.");
  CHECK(canonical_domain("example.com.") == "example.com.");
  CHECK(canonical_domain("MX1.Example.Net.") == "mx1.example.net.");
  CHECK(canonical_domain("") == ".");
  CHECK(canonical_domain(".") == ".");
  CHECK(canonical_domain("\xC3\x9C.de") == "\xC3\x9C.de.");  // only ASCII letters change
}

TEST_CASE("parse_domain: what a mail domain may look like", "[targets][domain_list]") {
  CHECK(parse_domain("gmail.com") == "gmail.com.");
  CHECK(parse_domain("GMX.de.") == "gmx.de.");
  CHECK(parse_domain("t-online.de") == "t-online.de.");
  CHECK(parse_domain("xn--bcher-kva.example") == "xn--bcher-kva.example.");
  CHECK(parse_domain("_dmarc.example.com") == "_dmarc.example.com.");
  CHECK(parse_domain("localhost") == "localhost.");
  CHECK(parse_domain("163.com") == "163.com.");
  std::string longest_label(63, 'a');
  CHECK(parse_domain(longest_label + ".com") == longest_label + ".com.");
  // 4 labels of 63 octets and one of 1: 4*64 + 2 + 1 = 259 octets on the wire.
  std::string too_long = longest_label + "." + longest_label + "." + longest_label + "." + longest_label + ".a";
  std::string why;
  CHECK_FALSE(parse_domain(too_long, &why).has_value());
  CHECK(why == "bad domain '" + too_long + "': longer than 255 octets");
  // 3 labels of 63, one of 61: 3*64 + 62 + 1 = 255 octets, the most there may be.
  std::string just_fits = longest_label + "." + longest_label + "." + longest_label + "." + std::string(61, 'b');
  CHECK(parse_domain(just_fits) == just_fits + ".");
}

TEST_CASE("parse_domain_list: comments, blanks, canonical names, duplicates", "[targets][domain_list]") {
  auto list = parse_domain_list(
      "# webmail\n"
      "\n"
      "Gmail.com\n"
      "  outlook.com.   # with a dot\n"
      "\tgmx.de\r\n"
      "gmail.COM.\n"
      "GMX.DE\n"
      "web.de",  // no newline at the end
      "domains.txt");
  CHECK(list.domains == Names{"gmail.com.", "outlook.com.", "gmx.de.", "web.de."});
  CHECK(list.duplicates == 2);
  CHECK(parse_domain_list("", "x").domains.empty());
  CHECK(parse_domain_list("# nothing\n\n", "x").domains.empty());
}

TEST_CASE("parse_domain_list: a bad line is reported as source:line: reason", "[targets][domain_list]") {
  CHECK(error_of("gmail.com\nexample..com\n") == "domains.txt:2: bad domain 'example..com': empty label");
  CHECK(error_of(".example.com") == "domains.txt:1: bad domain '.example.com': empty label");
  CHECK(error_of("example.com..") == "domains.txt:1: bad domain 'example.com..': empty label");
  CHECK(error_of(".") == "domains.txt:1: bad domain '.': the root is not a mail domain");
  CHECK(error_of("gmail.com yahoo.com") == "domains.txt:1: expected one domain a line, got 'gmail.com yahoo.com'");
  CHECK(error_of("user@gmail.com") == "domains.txt:1: bad domain 'user@gmail.com': character '@' not allowed");
  CHECK(error_of("*.example.com") == "domains.txt:1: bad domain '*.example.com': character '*' not allowed");
  CHECK(error_of("https://gmail.com/") == "domains.txt:1: bad domain 'https://gmail.com/': character ':' not allowed");
  CHECK(error_of("b\xC3\xBC" "cher.de") ==
        "domains.txt:1: bad domain 'b\xC3\xBC" "cher.de': non-ASCII character (write an internationalised name in its "
        "xn-- form)");
  CHECK(error_of("-bad.com") == "domains.txt:1: bad domain '-bad.com': label '-bad' starts or ends with '-'");
  CHECK(error_of("bad-.com") == "domains.txt:1: bad domain 'bad-.com': label 'bad-' starts or ends with '-'");
  CHECK(error_of("a\x01.com") == "domains.txt:1: bad domain 'a\x01.com': control character");
  CHECK(error_of("x\n\n" + std::string(64, 'a') + ".com") ==
        "domains.txt:3: bad domain '" + std::string(64, 'a') + ".com': label longer than 63 octets");
  CHECK(error_of("example.com\r\nexa mple.com\r\n") == "domains.txt:2: expected one domain a line, got 'exa mple.com'");
}

TEST_CASE("load_domain_list reads a file and names it in errors", "[targets][domain_list]") {
  TempFile good("gmail.com\nGMAIL.com\n");
  auto list = mxsentry::load_domain_list(good.path());
  CHECK(list.domains == Names{"gmail.com."});
  CHECK(list.duplicates == 1);
  TempFile bad("gmail.com\n\nfoo bar\n");
  CHECK_THROWS_WITH(mxsentry::load_domain_list(bad.path()),
                    bad.path() + ":3: expected one domain a line, got 'foo bar'");
  const std::string missing = good.path() + ".does-not-exist";
  CHECK_THROWS_WITH(mxsentry::load_domain_list(missing), missing + ": cannot open the domain list");
}
