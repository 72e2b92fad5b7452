// Name lists: one name a line with an optional type, read as a stream.

#include <catch2/catch.hpp>

#include "tests/unit/temp_file.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "targets/list_error.h"
#include "targets/name_list.h"

using mxsentry::ListError;
using mxsentry::NameEntry;
using mxsentry::parse_name_line;
using mxsentry::parse_type_list;

namespace {

using mxsentry::test::TempFile;

std::string line_error(std::string_view line, std::size_t line_no = 7) {
  try {
    parse_name_line(line, "names.txt", line_no);
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for '" << line << "'");
  return {};
}

std::string type_list_error(std::string_view text) {
  try {
    parse_type_list(text);
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for '" << text << "'");
  return {};
}

}  // namespace

TEST_CASE("parse_name_line: blank and comment lines are nothing", "[targets][name_list]") {
  CHECK_FALSE(parse_name_line("", "names.txt", 1).has_value());
  CHECK_FALSE(parse_name_line("   \t ", "names.txt", 1).has_value());
  CHECK_FALSE(parse_name_line("# a comment", "names.txt", 1).has_value());
  CHECK_FALSE(parse_name_line("   # indented example.com MX", "names.txt", 1).has_value());
  CHECK_FALSE(parse_name_line("\r", "names.txt", 1).has_value());
}

TEST_CASE("parse_name_line: a name without a type", "[targets][name_list]") {
  auto e = parse_name_line("example.com", "names.txt", 3);
  REQUIRE(e.has_value());
  CHECK(e->name == "example.com");
  CHECK_FALSE(e->qtype.has_value());
  CHECK(e->line == 3);

  auto dotted = parse_name_line("  Mail.Example.COM.   # the MX host\r", "names.txt", 12);
  REQUIRE(dotted.has_value());
  CHECK(dotted->name == "Mail.Example.COM.");  // kept as written
  CHECK_FALSE(dotted->qtype.has_value());
  CHECK(dotted->line == 12);

  auto escaped = parse_name_line("a\\.b.example.", "names.txt", 1);
  REQUIRE(escaped.has_value());
  CHECK(escaped->name == "a\\.b.example.");
}

TEST_CASE("parse_name_line: a name with a type", "[targets][name_list]") {
  auto mx = parse_name_line("example.com MX", "names.txt", 5);
  REQUIRE(mx.has_value());
  CHECK(mx->name == "example.com");
  CHECK(mx->qtype == std::optional<std::uint16_t>(15));
  CHECK(mx->line == 5);

  auto tab = parse_name_line("\texample.org.\t\t aaaa  # v6", "names.txt", 6);
  REQUIRE(tab.has_value());
  CHECK(tab->name == "example.org.");
  CHECK(tab->qtype == std::optional<std::uint16_t>(28));

  auto generic = parse_name_line("x.example TYPE65280", "names.txt", 1);
  REQUIRE(generic.has_value());
  CHECK(generic->qtype == std::optional<std::uint16_t>(65280));

  auto txt = parse_name_line("_dmarc.example.com txt", "names.txt", 1);
  REQUIRE(txt.has_value());
  CHECK(txt->name == "_dmarc.example.com");
  CHECK(txt->qtype == std::optional<std::uint16_t>(16));
}

TEST_CASE("parse_name_line: errors name the source and line", "[targets][name_list]") {
  CHECK(line_error("example.com FOO") == "names.txt:7: unknown record type 'FOO'");
  CHECK(line_error("example.com FOO # comment", 42) == "names.txt:42: unknown record type 'FOO'");
  CHECK(line_error("example.com A extra") == "names.txt:7: expected 'name [TYPE]', got 'example.com A extra'");
  CHECK(line_error("  example.com\tA\tMX  ", 2) == "names.txt:2: expected 'name [TYPE]', got 'example.com\tA\tMX'");

  const std::string empty_label = line_error("a..example.com MX", 3);
  CHECK(empty_label.rfind("names.txt:3: bad name 'a..example.com': ", 0) == 0);
  CHECK(empty_label.size() > std::string("names.txt:3: bad name 'a..example.com': ").size());

  const std::string l64(64, 'x');
  const std::string long_label = line_error(l64 + ".example.com", 9);
  CHECK(long_label.rfind("names.txt:9: bad name '" + l64 + ".example.com': ", 0) == 0);

  const std::string l63(63, 'y');
  const std::string n256 = l63 + "." + l63 + "." + l63 + "." + std::string(62, 'z') + ".";
  CHECK(line_error(n256, 4).rfind("names.txt:4: bad name '" + n256 + "': ", 0) == 0);
  const std::string n255 = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'z') + ".";
  auto longest = parse_name_line(n255, "names.txt", 4);
  REQUIRE(longest.has_value());
  CHECK(longest->name == n255);

  // The name is checked before the type.
  CHECK(line_error("..  FOO", 1).rfind("names.txt:1: bad name '..': ", 0) == 0);
}

TEST_CASE("parse_type_list parses comma separated types", "[targets][name_list]") {
  CHECK(parse_type_list("A") == std::vector<std::uint16_t>{1});
  CHECK(parse_type_list("A,AAAA,MX") == std::vector<std::uint16_t>{1, 28, 15});
  CHECK(parse_type_list("mx,txt,TYPE65280") == std::vector<std::uint16_t>{15, 16, 65280});
  CHECK(parse_type_list("A,A") == std::vector<std::uint16_t>{1, 1});

  CHECK(type_list_error("FOO") == "unknown record type 'FOO' in --types");
  CHECK(type_list_error("A,FOO,MX") == "unknown record type 'FOO' in --types");
  CHECK(type_list_error("") == "unknown record type '' in --types");
  CHECK(type_list_error("A,") == "unknown record type '' in --types");
  CHECK(type_list_error("A,,MX") == "unknown record type '' in --types");
  CHECK(type_list_error("A, MX") == "unknown record type ' MX' in --types");
  CHECK_THROWS_WITH(parse_type_list("A,BAR"), "unknown record type 'BAR' in --types");
}

TEST_CASE("NameFileReader streams entries with their line numbers", "[targets][name_list]") {
  TempFile file(
      "# names\n"                  // 1
      "\n"                         // 2
      "example.com\n"              // 3
      "  example.org MX # mail\n"  // 4
      "# skipped\n"                // 5
      "example.net\tAAAA\r\n"      // 6
      "last.example");             // 7, no newline
  mxsentry::NameFileReader reader(file.path());
  auto a = reader.next();
  REQUIRE(a.has_value());
  CHECK(a->name == "example.com");
  CHECK_FALSE(a->qtype.has_value());
  CHECK(a->line == 3);
  auto b = reader.next();
  REQUIRE(b.has_value());
  CHECK(b->name == "example.org");
  CHECK(b->qtype == std::optional<std::uint16_t>(15));
  CHECK(b->line == 4);
  auto c = reader.next();
  REQUIRE(c.has_value());
  CHECK(c->name == "example.net");
  CHECK(c->qtype == std::optional<std::uint16_t>(28));
  CHECK(c->line == 6);
  auto d = reader.next();
  REQUIRE(d.has_value());
  CHECK(d->name == "last.example");
  CHECK(d->line == 7);
  CHECK_FALSE(reader.next().has_value());
  CHECK_FALSE(reader.next().has_value());  // stays at the end
}

TEST_CASE("NameFileReader throws at the bad line", "[targets][name_list]") {
  TempFile file("example.com\n\nexample.org BOGUS\nexample.net\n");
  mxsentry::NameFileReader reader(file.path());
  auto first = reader.next();
  REQUIRE(first.has_value());
  CHECK(first->name == "example.com");
  try {
    reader.next();
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == file.path() + ":3: unknown record type 'BOGUS'");
  }
}

TEST_CASE("NameFileReader on a missing file", "[targets][name_list]") {
  TempFile file("");
  const std::string missing = file.path() + ".missing";
  try {
    mxsentry::NameFileReader reader(missing);
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == missing + ": cannot open the name list");
  }
  mxsentry::NameFileReader empty(file.path());
  CHECK_FALSE(empty.next().has_value());
}

TEST_CASE("validate_name_file counts names and throws at the first bad line", "[targets][name_list]") {
  TempFile good("# header\na.example\nb.example MX\n\n  # c\nc.example aaaa\nd.example.\n");
  CHECK(mxsentry::validate_name_file(good.path()) == 4);

  TempFile empty("# nothing\n\n");
  CHECK(mxsentry::validate_name_file(empty.path()) == 0);

  TempFile bad("a.example\nb.example\n\n# c\nc..example\nd.example FOO\n");
  try {
    mxsentry::validate_name_file(bad.path());
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()).rfind(bad.path() + ":5: bad name 'c..example': ", 0) == 0);
  }

  TempFile three_fields("a.example\nb.example A B\n");
  try {
    mxsentry::validate_name_file(three_fields.path());
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == three_fields.path() + ":2: expected 'name [TYPE]', got 'b.example A B'");
  }

  CHECK_THROWS_AS(mxsentry::validate_name_file(good.path() + ".missing"), ListError);
}

TEST_CASE("NameVectorSource yields its entries then nothing", "[targets][name_list]") {
  mxsentry::NameVectorSource source({NameEntry{"a.example", std::nullopt, 1}, NameEntry{"b.example", 15, 2}});
  auto a = source.next();
  REQUIRE(a.has_value());
  CHECK(a->name == "a.example");
  auto b = source.next();
  REQUIRE(b.has_value());
  CHECK(b->qtype == std::optional<std::uint16_t>(15));
  CHECK_FALSE(source.next().has_value());
}

// Regression: "Type65537" once reached ldns, which wrapped it to 1, so --types Type65537 (or
// a name line "example.com Type65537") silently queried A.
TEST_CASE("parse_type_list and parse_name_line refuse Type65537 in any letter case", "[targets][name_list]") {
  CHECK(type_list_error("TYPE65537") == "unknown record type 'TYPE65537' in --types");
  CHECK_THROWS_WITH(parse_type_list("Type65537"), "unknown record type 'Type65537' in --types");
  CHECK_THROWS_WITH(parse_name_line("example.com Type65537", "names.txt", 4),
                    "names.txt:4: unknown record type 'Type65537'");
}

// A pipe cannot be read twice: checked by one reader, it was empty for the next (0 queries).
TEST_CASE("open_checked_name_list: a pipe is read once, checked, and every name comes back", "[targets][name_list]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string text = "a.example\nb.example MX\n";
  REQUIRE(write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fds[1]);
  std::string path = "/dev/fd/" + std::to_string(fds[0]);
  CHECK_FALSE(mxsentry::rereadable_file(path));
  auto reader = mxsentry::open_checked_name_list(path);
  close(fds[0]);
  auto a = reader->next();
  REQUIRE(a.has_value());
  CHECK(a->name == "a.example");
  auto b = reader->next();
  REQUIRE(b.has_value());
  CHECK(b->qtype == std::optional<std::uint16_t>(15));
  CHECK_FALSE(reader->next().has_value());
}

TEST_CASE("open_checked_name_list: a bad line in a pipe is found before the first name is handed out", "[targets][name_list]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string text = "a.example\nb.example BOGUS\n";
  REQUIRE(write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fds[1]);
  std::string path = "/dev/fd/" + std::to_string(fds[0]);
  CHECK_THROWS_WITH(mxsentry::open_checked_name_list(path), path + ":2: unknown record type 'BOGUS'");
  close(fds[0]);
}

TEST_CASE("open_checked_name_list: a regular file is checked, then streamed, and a directory is named", "[targets][name_list]") {
  TempFile good("a.example\n");
  CHECK(mxsentry::rereadable_file(good.path()));
  auto reader = mxsentry::open_checked_name_list(good.path());
  REQUIRE(reader->next().has_value());
  CHECK_FALSE(reader->next().has_value());
  TempFile bad("a.example\n..\n");
  CHECK_THROWS_AS(mxsentry::open_checked_name_list(bad.path()), ListError);
  CHECK_THROWS_WITH(mxsentry::open_checked_name_list("/tmp"), "/tmp: cannot open the name list (it is a directory)");
}

TEST_CASE("NameFileReader: a byte order mark before the first line is not part of the name", "[targets][name_list]") {
  TempFile file("\xEF\xBB\xBF" "a.example\n\xEF\xBB\xBF" "b.example\n");
  mxsentry::NameFileReader reader(file.path());
  auto a = reader.next();
  REQUIRE(a.has_value());
  CHECK(a->name == "a.example");
  // Anywhere else it is three bytes of raw UTF-8 in a name: refused.
  CHECK_THROWS_WITH(reader.next(), Catch::Contains(":2: bad name '\\239\\187\\191b.example': not ASCII"));
}

TEST_CASE("parse_name_line: raw UTF-8 is refused with the A-label hint, echoes are short", "[targets][name_list]") {
  CHECK(line_error("b\xC3\xBC" "cher.example") ==
        "names.txt:7: bad name 'b\\195\\188cher.example': not ASCII (write an internationalised name as its xn-- A-label)");
  CHECK(line_error("a\x1b[2Jb.example").find("'a\\027[2Jb.example': control character") != std::string::npos);
  std::string long_line(1'000'000, 'a');
  CHECK(line_error(long_line).size() < 400);
  CHECK(line_error("a.example " + long_line).size() < 400);
}
