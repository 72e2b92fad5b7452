// CSV records (RFC 4180): quoting, doubled quotes, line breaks inside fields, comment and blank
// lines between records, and errors naming the line.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "targets/csv_reader.h"
#include "targets/list_error.h"

using mxsentry::CsvReader;
using mxsentry::ListError;
using Fields = std::vector<std::string>;

namespace {

std::vector<Fields> read_all(std::string_view text) {
  CsvReader reader(text, "data.csv");
  std::vector<Fields> records;
  while (auto record = reader.next()) records.push_back(*record);
  return records;
}

std::string error_of(std::string_view text) {
  try {
    read_all(text);
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("CsvReader: plain fields, blanks trimmed, CRLF, empty fields", "[targets][csv_reader]") {
  auto records = read_all("a,b,c\r\n 1 , 2 ,3\r\n,,\nlast,\n");
  REQUIRE(records.size() == 4);
  CHECK(records[0] == Fields{"a", "b", "c"});
  CHECK(records[1] == Fields{"1", "2", "3"});
  CHECK(records[2] == Fields{"", "", ""});
  CHECK(records[3] == Fields{"last", ""});
}

TEST_CASE("CsvReader: quoted fields hold commas, doubled quotes and line breaks", "[targets][csv_reader]") {
  CsvReader reader(
      "h1,h2,h3\n"
      "\"Google, LLC\",\"say \"\"hi\"\"\",x\n"
      "\"two\nlines\",\"\",\"\"\"\"\n"
      "  \"padded\"  ,y,z\n"
      "after,the,break",  // no newline at the end
      "data.csv");
  REQUIRE(reader.next() == Fields{"h1", "h2", "h3"});
  CHECK(reader.line_no() == 1);
  REQUIRE(reader.next() == Fields{"Google, LLC", "say \"hi\"", "x"});
  CHECK(reader.line_no() == 2);
  REQUIRE(reader.next() == Fields{"two\nlines", "", "\""});
  CHECK(reader.line_no() == 3);
  REQUIRE(reader.next() == Fields{"padded", "y", "z"});
  CHECK(reader.line_no() == 5);  // the record before took two lines
  REQUIRE(reader.next() == Fields{"after", "the", "break"});
  CHECK(reader.line_no() == 6);
  CHECK_FALSE(reader.next().has_value());
  CHECK_FALSE(reader.next().has_value());
}

TEST_CASE("CsvReader: blank and comment lines between records are skipped", "[targets][csv_reader]") {
  CsvReader reader("# exported 2024-01-01\n\n   \n# another, with a comma\nh\n\r\nv\n", "data.csv");
  REQUIRE(reader.next() == Fields{"h"});
  CHECK(reader.line_no() == 5);
  REQUIRE(reader.next() == Fields{"v"});
  CHECK(reader.line_no() == 7);
  CHECK_FALSE(reader.next().has_value());
  // A '#' inside a record is data.
  CHECK(read_all("a,# not a comment\n") == std::vector<Fields>{{"a", "# not a comment"}});
  CHECK(read_all("").empty());
  CHECK(read_all("\n\n# only comments\n").empty());
}

TEST_CASE("CsvReader: broken quoting is reported at its line", "[targets][csv_reader]") {
  CHECK(error_of("h\n\"never closed\nmore\n") == "data.csv:2: unterminated quoted field 1");
  CHECK(error_of("a,b\nx,\"open") == "data.csv:2: unterminated quoted field 2");
  CHECK(error_of("a,b\nx,ab\"c\"\n") == "data.csv:2: quote inside unquoted field 2 (quote the whole field)");
  CHECK(error_of("a,b\n\"ab\"c,d\n") == "data.csv:2: unexpected 'c' after the closing quote of field 1");
  CHECK(error_of("a\n\"x\ny\"z\n") == "data.csv:3: unexpected 'z' after the closing quote of field 1");
}
