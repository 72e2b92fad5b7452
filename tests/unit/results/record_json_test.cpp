// The one JSON form of a record: the probe's, written and read back byte for byte.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "results/observation_json.h"
#include "results/record_json.h"

using mxsentry::ResourceRecord;

namespace {

std::string records_text(const std::vector<ResourceRecord>& records, bool with_rdata = true) {
  std::string out;
  mxsentry::append_records_json(out, records, with_rdata);
  return out;
}

}  // namespace

TEST_CASE("record json: the probe's keys in the probe's order", "[results][json]") {
  std::string one;
  mxsentry::append_record_json(one, ResourceRecord{"example.com.", 15, 300, "10 mail.example.com."});
  CHECK(one == R"({"name":"example.com.","type":"MX","ttl":300,"rdata":"10 mail.example.com."})");
  CHECK(records_text({{"example.com.", 2, 86400, "ns.example.com."}}, false) ==
        R"([{"name":"example.com.","type":"NS","ttl":86400}])");
  CHECK(records_text({}) == "[]");
}

TEST_CASE("record json: an observation's answers are the record list as written alone", "[results][json]") {
  mxsentry::Observation o;
  o.outcome = mxsentry::Outcome::answer;
  o.answers = {{"a.example.", 1, 60, "192.0.2.1"}, {"a.example.", 1, 60, "192.0.2.2"}};
  std::string line;
  mxsentry::append_observation_json(line, o);
  CHECK_THAT(line, Catch::Contains("\"answers\":" + records_text(o.answers) + ","));
}

TEST_CASE("record json: read back as written, generic types and any bytes included", "[results][json]") {
  std::vector<ResourceRecord> records{{"a\"b.", 16, 1, "\"quoted\" \\ \r\n\x1f \x80\xfe\xff tail"},
                                      {std::string("nul\0byte.", 9), 65280, 4294967295u, "\\# 3 010203"},
                                      {"x.example.", 28, 0, "2001:db8::1"}};
  CHECK(mxsentry::parse_records_json(records_text(records)) == records);
  // Without rdata (a probe's authority section) the rdata reads as empty.
  auto summary = mxsentry::parse_records_json(records_text({{"example.", 2, 5, "ns.example."}}, false));
  CHECK(summary == std::vector<ResourceRecord>{{"example.", 2, 5, ""}});
}

TEST_CASE("record json: what it did not write is refused, saying why", "[results][json]") {
  using mxsentry::parse_records_json;
  CHECK_THROWS_WITH(parse_records_json("{}"), Catch::Contains("not a JSON array"));
  CHECK_THROWS_WITH(parse_records_json("[[\"a.\",1,60,\"192.0.2.1\"]]"), Catch::Contains("record 0: not a JSON object"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"type":"A","ttl":1}])"), Catch::Contains("name"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"name":"a.","type":1,"ttl":1}])"), Catch::Contains("type"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"name":"a.","type":"NOPE","ttl":1}])"), Catch::Contains("NOPE"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"name":"a.","type":"A","ttl":-1}])"), Catch::Contains("ttl"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"name":"a.","type":"A","ttl":4294967296}])"), Catch::Contains("ttl"));
  CHECK_THROWS_WITH(parse_records_json(R"([{"name":"\u0100.","type":"A","ttl":1}])"), Catch::Contains("U+00FF"));
  CHECK_THROWS_AS(parse_records_json(R"([{"name":"a.","type":"A","ttl":1,"rdata":7}])"), std::invalid_argument);
}
