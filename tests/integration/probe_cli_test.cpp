// `mxsentry probe` as a user runs it: input errors, modes, and the JSON lines it writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <csignal>

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

TEST_CASE("probe: Ctrl-C forgets the queries waiting on the rate limit, says so and exits 130", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n");
  std::string names_text;
  for (int i = 0; i < 20; ++i) names_text += "ok.n" + std::to_string(i) + ".example A\n";
  auto names = dir.write("names.txt", names_text);
  auto args = probe_args(resolvers, names);
  // One query every 10 s: without the fix, Ctrl-C waited for all 20 (190 s).
  args.insert(args.end(), {"--allow-private", "--per-resolver-qps", "0.1"});
  ChildProcess probe(args, dir.path() + "/err");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the first is answered, 19 wait
  kill(probe.pid(), SIGINT);
  CHECK(probe.wait_exit(3000) == 130);
  CHECK(probe.read_line(1000).find("\"outcome\":\"answer\"") != std::string::npos);  // written, not lost
  std::ifstream in(dir.path() + "/err");
  std::stringstream err;
  err << in.rdbuf();
  CHECK(err.str().find("mxsentry probe: interrupted by SIGINT: 19 queued queries") != std::string::npos);
}

TEST_CASE("probe: SIGTERM then SIGINT stops at once, whatever is in flight", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n");
  auto names = dir.write("names.txt", "silent.t.example A\n");
  std::vector<std::string> args = {MXSENTRY_BINARY, "probe", "--resolvers", resolvers, "--names", names,
                                   "--timeout-ms", "30000", "--retries", "0", "--allow-private"};
  ChildProcess probe(args, dir.path() + "/err");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the query is in flight, unanswered
  kill(probe.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(probe.pid(), SIGINT);  // counted with the SIGTERM: the second signal
  CHECK(probe.wait_exit(3000) == 143);
}

namespace {

/// Runs `command` in sh (for pipes and process substitution); `$MXSENTRY` is the binary.
CommandResult run_shell(const std::string& command) {
  return run_command({"/bin/sh", "-c", "MXSENTRY='" MXSENTRY_BINARY "'; " + command});
}

}  // namespace

// A pipe cannot be read twice: the names were read to check them, and none were left to ask
// (0 queries, exit 0).
TEST_CASE("probe: names from a pipe are checked, then every one is asked", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n");
  for (const std::string& names : {std::string("/dev/stdin"), std::string("-")}) {
    INFO(names);
    auto r = run_shell("printf 'ok.a.example A\\nok.b.example A\\n' | \"$MXSENTRY\" probe --resolvers " + resolvers +
                       " --names " + names + " --allow-private --timeout-ms 500 --retries 0 --linger-ms 0");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(json_lines(r.out).size() == 2);
    CHECK(r.err.find("probe: 2 queries: 2 answered") != std::string::npos);
  }
}

// The README promises no query before a bad line is found; through stdin the good line was
// asked first. echo-count answers 127.0.0.N for the Nth query it saw of the name.
TEST_CASE("probe: a bad line on stdin after a good one stops before any query", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", a.address + "\n");
  auto base = "\"$MXSENTRY\" probe --resolvers " + resolvers + " --allow-private --timeout-ms 500 --retries 0 --names -";
  auto bad = run_shell("printf 'echo-count.t.example A\\nok.t.example BOGUS\\n' | " + base);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("-:2: unknown record type 'BOGUS'") != std::string::npos);
  CHECK(bad.out.empty());
  auto good = run_shell("printf 'echo-count.t.example A\\n' | " + base);
  REQUIRE(good.exit_code == 0);
  auto lines = json_lines(good.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["answers"][0]["rdata"] == "127.0.0.1");  // the refused run sent nothing
}

TEST_CASE("probe: a byte order mark is skipped, raw UTF-8 names are refused with a hint", "[integration][cli]") {
  Responder a;
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "\xEF\xBB\xBF" + a.address + "\n");
  auto names = dir.write("names.txt", "\xEF\xBB\xBFok.t.example A\n");
  auto args = probe_args(resolvers, names);
  args.push_back("--allow-private");
  auto r = run_command(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["qname"] == "ok.t.example.");

  auto idn = dir.write("idn.txt", "b\xC3\xBC" "cher.example\n");
  auto idn_args = probe_args(resolvers, idn);
  idn_args.push_back("--allow-private");
  auto refused = run_command(idn_args);
  INFO(refused.err);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(idn + ":1: bad name 'b\\195\\188cher.example': not ASCII (write an internationalised name as its "
                         "xn-- A-label)") != std::string::npos);
  CHECK(refused.out.empty());
}

TEST_CASE("probe: --out naming an input file is refused and the file is left as it was", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("resolvers.txt", "127.0.0.1:9\n");
  auto names = dir.write("names.txt", "ok.t.example\n");
  for (const auto& [out, flag] : {std::pair{names, "--names"}, std::pair{resolvers, "--resolvers"},
                                  std::pair{dir.path() + "/./names.txt", "--names"}}) {
    auto args = probe_args(resolvers, names);
    args.insert(args.end(), {"--allow-private", "--out", out});
    auto r = run_command(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--out " + out + " is the " + flag + " file") != std::string::npos);
  }
  std::ifstream in(names);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "ok.t.example\n");
}

TEST_CASE("probe: special-purpose IPv6 resolvers are refused without --allow-private", "[integration][cli]") {
  TempDir dir;
  auto names = dir.write("names.txt", "ok.t.example\n");
  for (const char* address : {"2001:2::1", "3fff::1", "64:ff9b:1::1", "::127.0.0.1", "::ffff:0:127.0.0.1",
                              "2002:7f00:1::1", "fec0::1", "5f00::1"}) {
    INFO(address);
    auto resolvers = dir.write("resolvers.txt", std::string(address) + "\n");
    auto r = run_command(probe_args(resolvers, names));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(resolvers + ":1: ") != std::string::npos);
    CHECK(r.err.find("only with --allow-private") != std::string::npos);
    CHECK(r.out.empty());
  }
}
