// `mxsentry probe` against the lab: real Unbound resolvers in front of real NSD servers, one
// of them poisoned. The lab is started by the ctest fixture (tests/lab) in MXSENTRY_LAB_DIR.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "integration/child_process.h"
#include "integration/json_lines.h"
#include "integration/lab_env.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

// One probe of every lab resolver for every lab name, shared by the test cases of a run. 3 s a
// try, 3 tries: the honest resolver's first lookup of plainmail.net may meet its dead ns2 and,
// on a loaded machine (the sanitized build), outlast 1.5 s twice.
const std::vector<json>& lab_observations() {
  static std::vector<json> lines = [] {
    std::string dir = MXSENTRY_LAB_DIR;
    auto r = run_command({MXSENTRY_BINARY, "probe", "--resolvers", dir + "/resolvers.txt", "--names",
                          dir + "/names.txt", "--types", "A", "--allow-private", "--timeout-ms", "3000",
                          "--retries", "2", "--per-resolver-qps", "50"},
                         120000);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json_lines(r.out);
  }();
  return lines;
}

const json& find(const std::string& resolver, const std::string& qname, const std::string& qtype) {
  for (const auto& o : lab_observations())
    if (o["resolver"] == resolver && o["qname"] == qname && o["qtype"] == qtype) return o;
  FAIL("no observation for " << resolver << " " << qname << " " << qtype);
  throw std::logic_error("unreachable");
}

std::vector<std::string> addresses(const json& o, const std::string& type = "A") {
  std::vector<std::string> out;
  for (const auto& a : o["answers"])
    if (a["type"] == type) out.push_back(a["rdata"]);
  return out;
}

}  // namespace

TEST_CASE("lab: every (resolver, name, type) gets exactly one observation", "[lab]") {
  const auto& lines = lab_observations();
  std::ifstream resolvers(std::string(MXSENTRY_LAB_DIR) + "/resolvers.txt");
  std::size_t resolver_count = 0;
  std::string line;
  while (std::getline(resolvers, line))
    if (!line.empty() && line[0] != '#') ++resolver_count;
  std::map<std::string, int> seen;
  for (const auto& o : lines) seen[o["resolver"].get<std::string>() + " " + o["qname"].get<std::string>() + " " + o["qtype"].get<std::string>()]++;
  for (const auto& [key, count] : seen) {
    INFO(key);
    CHECK(count == 1);
  }
  CHECK(resolver_count >= 8);
  CHECK(lines.size() % resolver_count == 0);
}

TEST_CASE("lab: the honest resolver returns the authoritative addresses", "[lab]") {
  auto env = lab_env();
  const json& o = find(env["LAB_HONEST"], "mx.plainmail.net.", "A");
  REQUIRE(o["outcome"] == "answer");  // what follows reads the answer
  CHECK(o["rcode"] == "NOERROR");
  REQUIRE(addresses(o) == std::vector<std::string>{"127.53.201.10"});
  CHECK(o["answers"][0]["ttl"].get<int>() <= 300);
  CHECK(addresses(find(env["LAB_HONEST"], "mx.plainmail.net.", "AAAA"), "AAAA") ==
        std::vector<std::string>{"2001:db8:201::10"});
}

TEST_CASE("lab: the poisoned resolver returns the forged address with a forged TTL", "[lab]") {
  auto env = lab_env();
  const json& mx = find(env["LAB_POISONED"], "mx.plainmail.net.", "A");
  REQUIRE(addresses(mx) == std::vector<std::string>{"127.66.0.10"});
  CHECK(mx["answers"][0]["ttl"].get<int>() > 300);
  const json& ns = find(env["LAB_POISONED"], "ns1.plainmail.net.", "A");
  CHECK(addresses(ns) == std::vector<std::string>{"127.66.0.53"});
  const json& secure = find(env["LAB_POISONED"], "mx1.securemail.com.", "A");
  CHECK(addresses(secure) == std::vector<std::string>{"127.66.0.11"});
  CHECK(secure["rrsigs"].empty());
}

TEST_CASE("lab: the validating resolver sets AD and passes RRSIGs for the signed provider", "[lab]") {
  auto env = lab_env();
  const json& o = find(env["LAB_VALIDATING"], "mx1.securemail.com.", "A");
  CHECK(addresses(o) == std::vector<std::string>{"127.53.200.11"});
  auto flags = o["flags"].get<std::vector<std::string>>();
  CHECK(std::find(flags.begin(), flags.end(), "ad") != flags.end());
  REQUIRE(!o["rrsigs"].empty());
  CHECK(o["rrsigs"][0]["type"] == "RRSIG");
  CHECK(o["rrsigs"][0]["rdata"].get<std::string>().rfind("A ", 0) == 0);  // covers type A
  CHECK(find(env["LAB_VALIDATING"], "mx.brokenmail.com.", "A")["rcode"] == "SERVFAIL");
}

TEST_CASE("lab: the validating resolver facing the rogue refuses the forgery", "[lab]") {
  auto env = lab_env();
  CHECK(find(env["LAB_VALIDATING_ROGUE"], "mx1.securemail.com.", "A")["rcode"] == "SERVFAIL");
  // plainmail.net is unsigned: validation cannot help there.
  CHECK(addresses(find(env["LAB_VALIDATING_ROGUE"], "mx.plainmail.net.", "A")) ==
        std::vector<std::string>{"127.66.0.10"});
}

TEST_CASE("lab: the pinned resolver sees the second geo server's answer", "[lab]") {
  auto env = lab_env();
  CHECK(addresses(find(env["LAB_PINNED"], "mx.geomail.com.", "A")) == std::vector<std::string>{"127.53.202.2"});
  auto honest = addresses(find(env["LAB_HONEST"], "mx.geomail.com.", "A"));
  REQUIRE(honest.size() == 1);
  CHECK((honest[0] == "127.53.202.1" || honest[0] == "127.53.202.2"));
}

TEST_CASE("lab: the TTL raiser, the refusing and the unreachable resolvers", "[lab]") {
  auto env = lab_env();
  const json& raised = find(env["LAB_TTL_RAISER"], "mx.plainmail.net.", "A");
  REQUIRE(addresses(raised) == std::vector<std::string>{"127.53.201.10"});
  // cache-min-ttl 7200 over an authoritative 300: far above it, counting down from 7200 since
  // the first query of this lab run (which may have been many minutes ago).
  CHECK(raised["answers"][0]["ttl"].get<int>() > 3600);
  CHECK(raised["answers"][0]["ttl"].get<int>() <= 7200);
  CHECK(find(env["LAB_REFUSING"], "mx.plainmail.net.", "A")["rcode"] == "REFUSED");
  const json& silent = find(env["LAB_UNREACHABLE"], "mx.plainmail.net.", "A");
  CHECK(silent["outcome"] == "timeout");
  CHECK(silent["attempts"] == 3);  // --retries 2
  CHECK(find(env["LAB_HONEST"], "www.lamemail.net.", "A")["rcode"] == "SERVFAIL");
}

TEST_CASE("lab: MX records and the CNAME'd mail host", "[lab]") {
  auto env = lab_env();
  const json& mx = find(env["LAB_HONEST"], "plainmail.net.", "MX");
  CHECK(addresses(mx, "MX") == std::vector<std::string>{"10 mx.plainmail.net."});
  const json& forged = find(env["LAB_POISONED"], "plainmail.net.", "MX");
  CHECK(addresses(forged, "MX").size() == 2);
  const json& cname = find(env["LAB_HONEST"], "mail.securemail.com.", "A");
  CHECK(addresses(cname, "CNAME") == std::vector<std::string>{"mx1.securemail.com."});
  CHECK(addresses(cname) == std::vector<std::string>{"127.53.200.11"});
}
