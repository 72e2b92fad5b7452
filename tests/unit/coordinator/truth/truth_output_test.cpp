// The truth's JSON line writes records as the probe does: the union and each server's answers.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "coordinator/truth/truth_output.h"
#include "results/record_json.h"

using namespace mxsentry;

TEST_CASE("truth json: records in the probe's form, with rdata", "[truth][json]") {
  Truth t;
  t.qname = "example.";
  t.qtype = 15;
  t.rcode = 0;
  t.answers = {{"example.", 15, 300, "10 mx.example."}, {"example.", 15, 300, "20 \"odd\"\x80."}};
  ServerAnswer s;
  s.server = "ns1.example.";
  s.address = *Endpoint::parse("192.0.2.53");
  s.outcome = Outcome::answer;
  s.rcode = 0;
  s.answers = {t.answers[1]};
  t.servers = {s};
  std::string line;
  append_truth_json(line, t);
  std::string union_records, server_records;
  append_records_json(union_records, t.answers);
  append_records_json(server_records, s.answers);
  CHECK_THAT(line, Catch::Contains("\"answers\":" + union_records + ",\"ttl\":"));
  CHECK_THAT(line, Catch::Contains("\"answers\":" + server_records + ",\"rrsigs\":"));
  auto j = nlohmann::json::parse(line);
  CHECK(parse_records_json(j["answers"].dump()) == t.answers);
}
