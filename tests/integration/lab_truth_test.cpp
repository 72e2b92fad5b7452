// `mxsentry truth` against the lab: from the lab root down to every authoritative server,
// with the lab root key as trust anchor.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "integration/child_process.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

struct TruthRun {
  int exit_code;
  std::vector<json> truths;
  std::string err;
};

TruthRun truth(const std::vector<std::string>& name_and_types) {
  std::string dir = MXSENTRY_LAB_DIR;
  std::vector<std::string> args{MXSENTRY_BINARY, "truth"};
  args.insert(args.end(), name_and_types.begin(), name_and_types.end());
  args.insert(args.end(), {"--root-hints", dir + "/root.hints", "--trust-anchor", dir + "/root.key", "--json",
                           "--timeout-ms", "400"});
  auto r = run_command(args, 60000);
  TruthRun out{r.exit_code, {}, r.err};
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) out.truths.push_back(json::parse(line));
  return out;
}

std::set<std::string> rdata(const json& t, const std::string& type) {
  std::set<std::string> out;
  for (const auto& a : t["answers"])
    if (a["type"] == type) out.insert(a["rdata"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("lab truth: the signed provider is secure, every server is asked, the dead one recorded", "[lab][truth]") {
  auto r = truth({"mx1.securemail.com", "A"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.truths.size() == 1);
  const json& t = r.truths[0];
  CHECK(t["zone"] == "securemail.com.");
  CHECK(t["rcode"] == "NOERROR");
  CHECK(rdata(t, "A") == std::set<std::string>{"127.53.200.11"});
  CHECK(t["dnssec"]["status"] == "secure");
  CHECK(t["ttl"]["min"] == 3600);
  std::map<std::string, int> answered, silent;
  for (const auto& s : t["servers"]) {
    if (s["outcome"] == "answer") {
      answered[s["address"]]++;
      CHECK(s["aa"] == true);
      CHECK(s["dnssec"]["status"] == "secure");
      CHECK(s["rrsigs"].get<int>() >= 1);
    } else {
      silent[s["address"]]++;
    }
  }
  CHECK(answered["127.53.2.1"] == 2);  // --repeat 2
  CHECK(answered["127.53.2.2"] == 2);
  CHECK(silent["127.53.2.3"] == 2);    // ns3: nothing listens there
}

TEST_CASE("lab truth: the unsigned provider is insecure", "[lab][truth]") {
  auto r = truth({"mx.plainmail.net", "A", "AAAA"});
  REQUIRE(r.truths.size() == 2);
  for (const auto& t : r.truths) {
    CHECK(t["zone"] == "plainmail.net.");
    CHECK(t["dnssec"]["status"] == "insecure");
  }
  CHECK(rdata(r.truths[0], "A") == std::set<std::string>{"127.53.201.10"});
  CHECK(rdata(r.truths[1], "AAAA") == std::set<std::string>{"2001:db8:201::10"});
  CHECK(r.truths[0]["ttl"]["max"] == 300);
}

TEST_CASE("lab truth: expired signatures make the zone bogus", "[lab][truth]") {
  auto r = truth({"mx.brokenmail.com", "A"});
  REQUIRE(r.truths.size() == 1);
  const json& t = r.truths[0];
  CHECK(t["dnssec"]["status"] == "bogus");
  std::string reason = t["dnssec"]["reason"];
  std::transform(reason.begin(), reason.end(), reason.begin(), ::tolower);
  CHECK(reason.find("expired") != std::string::npos);
  CHECK(rdata(t, "A") == std::set<std::string>{"127.53.203.1"});  // the data is still recorded
}

TEST_CASE("lab truth: the disagreeing geo servers are both in the union, each answer recorded", "[lab][truth]") {
  auto r = truth({"mx.geomail.com", "A"});
  REQUIRE(r.truths.size() == 1);
  const json& t = r.truths[0];
  CHECK(rdata(t, "A") == std::set<std::string>{"127.53.202.1", "127.53.202.2"});
  for (const auto& s : t["servers"]) {
    REQUIRE(s["answers"].size() == 1);
    CHECK(s["answers"][0]["rdata"] == (s["address"] == "127.53.4.1" ? "127.53.202.1" : "127.53.202.2"));
  }
  CHECK(t["dnssec"]["status"] == "insecure");
}

TEST_CASE("lab truth: a CNAME'd mail host and an MX set", "[lab][truth]") {
  auto cname = truth({"mail.securemail.com", "A"});
  REQUIRE(cname.truths.size() == 1);
  CHECK(rdata(cname.truths[0], "CNAME") == std::set<std::string>{"mx1.securemail.com."});
  CHECK(rdata(cname.truths[0], "A") == std::set<std::string>{"127.53.200.11"});
  CHECK(cname.truths[0]["cname_chain"] == json::array({"mx1.securemail.com."}));
  CHECK(cname.truths[0]["dnssec"]["status"] == "secure");
  auto mx = truth({"securemail.com", "MX"});
  REQUIRE(mx.truths.size() == 1);
  CHECK(rdata(mx.truths[0], "MX") == std::set<std::string>{"10 mx1.securemail.com.", "20 mx2.securemail.com."});
}

TEST_CASE("lab truth: NXDOMAIN in a signed zone is proven", "[lab][truth]") {
  auto r = truth({"no-such-host.securemail.com", "A"});
  REQUIRE(r.truths.size() == 1);
  CHECK(r.truths[0]["rcode"] == "NXDOMAIN");
  CHECK(r.truths[0]["answers"].empty());
  CHECK(r.truths[0]["dnssec"]["status"] == "secure");
}

TEST_CASE("lab truth: a lame delegation gives no truth, with the reason, and exit status 1", "[lab][truth]") {
  auto r = truth({"www.lamemail.net", "A"});
  CHECK(r.exit_code == 1);
  REQUIRE(r.truths.size() == 1);
  CHECK(r.truths[0]["rcode"].is_null());
  std::string error = r.truths[0]["error"];
  CHECK(error.find("lamemail.net.") != std::string::npos);
  CHECK(error.find("REFUSED") != std::string::npos);
}

TEST_CASE("lab truth: bad input is a usage error", "[lab][truth]") {
  CHECK(truth({"mx.plainmail.net", "NOTATYPE"}).exit_code == 2);
  auto r = run_command({MXSENTRY_BINARY, "truth", "x.example", "--root-hints", "/nonexistent/root.hints"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/root.hints") != std::string::npos);
}
