// `mxsentry probe` as a user runs it: input errors, modes, and the JSON lines it writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "integration/child_process.h"
#include "integration/json_lines.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

struct Responder {
  ChildProcess process{{MXSENTRY_TEST_RESPONDER, "--listen", "127.0.0.1:0", "--max-seconds", "60"}};
  std::string address;
  Responder() {
    std::string line = process.read_line(5000);
    REQUIRE(line.rfind("ready ", 0) == 0);
    address = "127.0.0.1:" + line.substr(6);
  }
};

std::vector<std::string> probe_args(const std::string& resolvers, const std::string& names) {
  return {MXSENTRY_BINARY, "probe", "--resolvers", resolvers, "--names", names, "--timeout-ms", "300",
          "--retries", "1", "--linger-ms", "50"};
}

}  // namespace

TEST_CASE("probe: a bad resolver line stops with file:line: reason", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "# lab\n127.0.0.1\n127.0.0.300\n");
  auto names = dir.write("names.txt", "ok.t.example\n");
  auto args = probe_args(resolvers, names);
  args.push_back("--allow-private");
  auto r = run_command(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(resolvers + ":3: bad IPv4 address '127.0.0.300'") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("probe: a bad name line stops before any query", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "127.0.0.1:9\n");
  auto names = dir.write("names.txt", "ok.t.example\nok.t.example BOGUSTYPE\n");
  auto args = probe_args(resolvers, names);
  args.push_back("--allow-private");
  auto r = run_command(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(names + ":2: unknown record type 'BOGUSTYPE'") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("probe: loopback resolvers are refused without --allow-private", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "127.0.0.1\n");
  auto names = dir.write("names.txt", "ok.t.example\n");
  auto r = run_command(probe_args(resolvers, names));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(":1: 127.0.0.1 is loopback (127.0.0.0/8)") != std::string::npos);
}

TEST_CASE("probe: unknown --types and bad options are usage errors", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "127.0.0.1\n");
  auto names = dir.write("names.txt", "ok.t.example\n");
  auto args = probe_args(resolvers, names);
  args.insert(args.end(), {"--allow-private", "--types", "A,NOPE"});
  auto r = run_command(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown record type 'NOPE'") != std::string::npos);
  auto bad_mode = probe_args(resolvers, names);
  bad_mode.insert(bad_mode.end(), {"--mode", "sideways"});
  CHECK(run_command(bad_mode).exit_code == 2);
}

TEST_CASE("probe: fanout asks every resolver every question and writes one JSON line each", "[integration][cli]") {
  Responder a, b;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n" + b.address + "  # second\n");
  auto names = dir.write("names.txt", "ok.t.example\n# comment\nservfail.t.example A\ncname.t.example MX\n");
  auto args = probe_args(resolvers, names);
  args.insert(args.end(), {"--allow-private", "--types", "A,AAAA", "--out", dir.path() + "/out.jsonl"});
  auto r = run_command(args);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("probe: 8 queries: 8 answered") != std::string::npos);
  std::ifstream in(dir.path() + "/out.jsonl");
  std::stringstream text;
  text << in.rdbuf();
  auto lines = json_lines(text.str());
  REQUIRE(lines.size() == 8);  // ok: A and AAAA; servfail: A; cname: MX — at both resolvers
  std::map<std::string, int> per_resolver;
  for (const auto& o : lines) {
    per_resolver[o["resolver"]]++;
    for (const char* key : {"resolver", "qname", "qtype", "outcome", "rcode", "flags", "answers", "rrsigs",
                            "rtt_ms", "time_ms", "transport", "attempts", "extra_responses"})
      CHECK(o.contains(key));
    CHECK(o["outcome"] == "answer");
  }
  CHECK(per_resolver[a.address] == 4);
  CHECK(per_resolver[b.address] == 4);
  auto servfail = std::find_if(lines.begin(), lines.end(), [](const json& o) { return o["qname"] == "servfail.t.example."; });
  REQUIRE(servfail != lines.end());
  CHECK((*servfail)["rcode"] == "SERVFAIL");
  auto ok = std::find_if(lines.begin(), lines.end(),
                         [](const json& o) { return o["qname"] == "ok.t.example." && o["qtype"] == "A"; });
  REQUIRE(ok != lines.end());
  CHECK((*ok)["answers"][0]["rdata"] == "127.0.0.1");
  CHECK((*ok)["answers"][0]["ttl"] == 300);
  CHECK((*ok)["transport"] == "udp");
}

TEST_CASE("probe: spread asks each question once, the resolvers taking turns", "[integration][cli]") {
  Responder a, b;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n" + b.address + "\n");
  std::string names_text;
  for (int i = 0; i < 10; ++i) names_text += "ok" + std::to_string(i) + ".t.example\n";
  auto names = dir.write("names.txt", names_text);
  auto args = probe_args(resolvers, names);
  args.insert(args.end(), {"--allow-private", "--types", "A", "--mode", "spread"});
  auto r = run_command(args);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);  // stdout by default
  REQUIRE(lines.size() == 10);
  std::map<std::string, int> per_resolver;
  std::set<std::string> names_seen;
  for (const auto& o : lines) {
    per_resolver[o["resolver"]]++;
    names_seen.insert(o["qname"]);
  }
  CHECK(names_seen.size() == 10);
  CHECK(per_resolver[a.address] == 5);
  CHECK(per_resolver[b.address] == 5);
}

TEST_CASE("probe: timeouts and malformed answers are recorded, not fatal", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n");
  auto names = dir.write("names.txt", "silent.t.example A\ntrailing.t.example A\ntcclose.t.example A\n");
  auto args = probe_args(resolvers, names);
  args.push_back("--allow-private");
  auto r = run_command(args);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, json> by_name;
  for (auto& o : json_lines(r.out)) by_name[o["qname"]] = o;
  CHECK(by_name["silent.t.example."]["outcome"] == "timeout");
  CHECK(by_name["silent.t.example."]["rcode"].is_null());
  CHECK(by_name["trailing.t.example."]["outcome"] == "malformed");
  CHECK(by_name["trailing.t.example."]["error"] == "7 trailing bytes after the last record");
  CHECK(by_name["tcclose.t.example."]["outcome"] == "network-error");
  CHECK(r.err.find("1 timeouts, 1 malformed, 1 network errors") != std::string::npos);
}

TEST_CASE("probe: a resolver on the opt-out list is never asked", "[integration][cli]") {
  Responder responder;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", responder.address + "\n");
  // echo-count answers 127.0.0.N, N = queries it has seen for the name: it tells whether the
  // opted-out run sent anything.
  auto names = dir.write("names.txt", "echo-count.t.example A\n");
  auto opt_out = dir.write("opt-out.txt", "# asked us not to probe\n127.0.0.0/30\n");
  auto args = probe_args(resolvers, names);
  args.insert(args.end(), {"--allow-private", "--opt-out", opt_out});
  auto refused = run_command(args);
  CHECK(refused.exit_code == 2);  // nothing left to ask
  CHECK(refused.err.find("1 resolvers skipped: they opted out") != std::string::npos);
  CHECK(refused.out.empty());

  auto allowed = probe_args(resolvers, names);
  allowed.push_back("--allow-private");
  auto r = run_command(allowed);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["answers"][0]["rdata"] == "127.0.0.1");  // the first query it ever saw
}
