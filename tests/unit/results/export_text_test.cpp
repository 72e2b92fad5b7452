// The small text forms of exports: times on the command line, IOC lines, CSV fields.
#include <catch2/catch.hpp>

#include "results/csv_text.h"
#include "results/ioc_line.h"
#include "results/time_text.h"
#include "targets/prefix_list.h"

using namespace mxsentry;

TEST_CASE("time args: Unix seconds, UTC dates and times", "[results][export]") {
  CHECK(parse_time_arg("1796637600") == 1796637600000);
  CHECK(parse_time_arg("2026-12-07") == 1796601600000);
  CHECK(parse_time_arg("2026-12-07T10:00:00Z") == 1796637600000);
  CHECK(parse_time_arg("2026-12-07T10:00Z") == 1796637600000);
  CHECK_FALSE(parse_time_arg(""));
  CHECK_FALSE(parse_time_arg("-5"));
  CHECK_FALSE(parse_time_arg("2026-12-07T10:00:00"));  // no zone: refused, never local time
  CHECK_FALSE(parse_time_arg("2026-02-30"));
  CHECK_FALSE(parse_time_arg("2026-13-01"));
  CHECK_FALSE(parse_time_arg("yesterday"));
  CHECK(format_utc(1796637600999) == "2026-12-07T10:00:00Z");
}

TEST_CASE("ioc line: the address, then a comment an IOC list reader skips", "[results][export]") {
  IocEntry e{"203.0.113.66", 1796637600000, 1796641200000, {"ns1.plainmail.net.", "mx.plainmail.net."},
             {"127.53.10.3"}, "poisoned"};
  std::string line = format_ioc_line(e);
  CHECK(line ==
        "203.0.113.66 # poisoned first=2026-12-07T10:00:00Z last=2026-12-07T11:00:00Z "
        "names=mx.plainmail.net.,ns1.plainmail.net. resolvers=127.53.10.3\n");
  PrefixList list = parse_prefix_list(line + format_ioc_line({"2001:db8::66", 0, 0, {"a."}, {"b"}, "suspicious"}), "x");
  CHECK(list.size() == 2);
  CHECK(list.match(*Endpoint::parse("203.0.113.66")) != nullptr);
  CHECK(list.match(*Endpoint::parse("2001:db8::66")) != nullptr);
  CHECK(list.match(*Endpoint::parse("203.0.113.67")) == nullptr);
}

TEST_CASE("ioc line: long lists say how many more", "[results][export]") {
  IocEntry e{"203.0.113.66", 0, 0, {"a."}, {}, "poisoned"};
  for (int i = 0; i < 12; ++i) e.resolvers.push_back("192.0.2." + std::to_string(10 + i));
  std::string line = format_ioc_line(e);
  CHECK_THAT(line, Catch::EndsWith("192.0.2.19 (+2 more)\n"));
  CHECK_THAT(line, !Catch::Contains("192.0.2.20"));
}

TEST_CASE("csv: fields quoted only when they must be", "[results][export]") {
  std::string out;
  append_csv_row(out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""});
  CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
}
