// Observations as JSON lines: one valid object a line with exactly the documented keys, and the
// writer that must not lose a write error.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "protocol/dns/endpoint.h"
#include "prober/core/observation.h"
#include "results/observation_json.h"

using mxsentry::Observation;
using mxsentry::Outcome;
using mxsentry::ResourceRecord;
using nlohmann::json;

namespace {

ResourceRecord rr(std::string name, std::uint16_t type, std::uint32_t ttl, std::string rdata) {
  ResourceRecord r;
  r.name = std::move(name);
  r.type = type;
  r.ttl = ttl;
  r.rdata = std::move(rdata);
  return r;
}

Observation answered() {
  Observation o;
  o.resolver = *mxsentry::Endpoint::parse("192.0.2.1:5353");
  o.qname = "example.com.";
  o.qtype = 15;
  o.task_index = 42;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.flags.rd = true;
  o.flags.ra = true;
  o.flags.ad = true;
  o.answers = {rr("example.com.", 15, 300, "10 mail.example.com."), rr("example.com.", 15, 300, "20 mx2.example.com.")};
  o.rrsigs = {rr("example.com.", 46, 300, "MX 8 2 300 20300101000000 20200101000000 12345 example.com. AAECAwQF")};
  o.authority = {rr("example.com.", 2, 86400, "ignored rdata")};
  o.edns.present = true;
  o.edns.udp_size = 1232;
  o.edns.version = 0;
  o.edns.do_bit = true;
  o.rtt_ms = 12.3456;
  o.time_ms = 1700000000123;
  o.transport = mxsentry::Transport::udp;
  o.attempts = 2;
  o.unsolicited = 3;
  return o;
}

std::string line_of(const Observation& o) {
  std::string out;
  mxsentry::append_observation_json(out, o);
  return out;
}

// Checks the framing (one line, newline-terminated, ASCII) and parses it.
json parse_line(const std::string& line) {
  REQUIRE_FALSE(line.empty());
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  for (unsigned char c : line) CHECK(c < 0x80);
  json j = json::parse(line);  // throws (and fails the test) on invalid JSON
  REQUIRE(j.is_object());
  return j;
}

std::set<std::string> keys_of(const json& j) {
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  return keys;
}

const std::set<std::string> documented_keys = {
    "resolver", "qname",    "qtype",     "outcome",  "rcode",       "flags",           "answers", "rrsigs",
    "authority", "edns",    "rtt_ms",    "time_ms",  "transport",   "attempts",        "unsolicited",
    "extra_responses",      "task"};

class TempPath {
 public:
  TempPath() {
    char name[] = "/tmp/mxsentry-jsonl-test-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = name;
  }
  ~TempPath() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("rcode_name", "[results][json]") {
  const char* names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                         "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
  for (int i = 0; i < 11; ++i) CHECK(mxsentry::rcode_name(i) == names[i]);
  CHECK(mxsentry::rcode_name(16) == "BADVERS");
  CHECK(mxsentry::rcode_name(11) == "RCODE11");
  CHECK(mxsentry::rcode_name(15) == "RCODE15");
  CHECK(mxsentry::rcode_name(17) == "RCODE17");
  CHECK(mxsentry::rcode_name(23) == "RCODE23");
  CHECK(mxsentry::rcode_name(4095) == "RCODE4095");
  CHECK(mxsentry::rcode_name(-1) == "RCODE-1");
}

TEST_CASE("append_observation_json: an answer has exactly the documented keys and values", "[results][json]") {
  const std::string line = line_of(answered());
  json j = parse_line(line);
  CHECK(keys_of(j) == documented_keys);

  CHECK(j["resolver"] == "192.0.2.1:5353");
  CHECK(j["qname"] == "example.com.");
  CHECK(j["qtype"] == "MX");
  CHECK(j["outcome"] == "answer");
  CHECK(j["rcode"] == "NOERROR");
  CHECK(j["flags"] == json::array({"rd", "ra", "ad"}));

  REQUIRE(j["answers"].is_array());
  REQUIRE(j["answers"].size() == 2);
  CHECK(j["answers"][0] == json({{"name", "example.com."}, {"type", "MX"}, {"ttl", 300}, {"rdata", "10 mail.example.com."}}));
  CHECK(j["answers"][1] == json({{"name", "example.com."}, {"type", "MX"}, {"ttl", 300}, {"rdata", "20 mx2.example.com."}}));
  REQUIRE(j["rrsigs"].size() == 1);
  CHECK(j["rrsigs"][0]["type"] == "RRSIG");
  CHECK(j["rrsigs"][0]["rdata"] == "MX 8 2 300 20300101000000 20200101000000 12345 example.com. AAECAwQF");
  CHECK(keys_of(j["rrsigs"][0]) == std::set<std::string>{"name", "type", "ttl", "rdata"});
  // The authority section is a summary: no rdata key at all.
  REQUIRE(j["authority"].size() == 1);
  CHECK(j["authority"][0] == json({{"name", "example.com."}, {"type", "NS"}, {"ttl", 86400}}));

  CHECK(j["edns"] == json({{"udp_size", 1232}, {"version", 0}, {"do", true}}));
  REQUIRE(j["rtt_ms"].is_number_float());
  CHECK(j["rtt_ms"].get<double>() == Approx(12.346).margin(1e-9));
  CHECK(line.find("\"rtt_ms\":12.346,") != std::string::npos);
  REQUIRE(j["time_ms"].is_number_integer());
  CHECK(j["time_ms"].get<std::int64_t>() == 1700000000123);
  CHECK(j["transport"] == "udp");
  CHECK(j["attempts"] == 2);
  CHECK(j["unsolicited"] == 3);
  CHECK(j["extra_responses"] == json::array());
  CHECK(j["task"] == 42);
  CHECK_FALSE(j.contains("error"));
}

TEST_CASE("append_observation_json: key order and the exact text of a small observation", "[results][json]") {
  Observation o;
  o.resolver = *mxsentry::Endpoint::parse("2001:db8::1");
  o.qname = "a.example.";
  o.qtype = 1;
  o.outcome = Outcome::answer;
  o.rcode = 3;
  o.rtt_ms = 1.2345;
  o.time_ms = 5;
  o.attempts = 1;
  o.task_index = 0;
  CHECK(line_of(o) ==
        "{\"resolver\":\"2001:db8::1\",\"qname\":\"a.example.\",\"qtype\":\"A\",\"outcome\":\"answer\","
        "\"rcode\":\"NXDOMAIN\",\"flags\":[],\"answers\":[],\"rrsigs\":[],\"authority\":[],\"edns\":null,"
        "\"rtt_ms\":1.235,\"time_ms\":5,\"transport\":\"udp\",\"attempts\":1,\"unsolicited\":0,"
        "\"extra_responses\":[],\"task\":0}\n");
}

TEST_CASE("append_observation_json: a timeout has null rcode and rtt_ms", "[results][json]") {
  Observation o;
  o.resolver = *mxsentry::Endpoint::parse("[2001:db8::53]:5300");
  o.qname = "example.org.";
  o.qtype = 28;
  o.outcome = Outcome::timeout;
  o.rcode = -1;
  o.rtt_ms = 99.0;  // not written for a non-answer
  o.time_ms = 1700000000000;
  o.attempts = 3;
  o.task_index = 7;
  json j = parse_line(line_of(o));
  CHECK(keys_of(j) == documented_keys);
  CHECK(j["resolver"] == "[2001:db8::53]:5300");
  CHECK(j["qtype"] == "AAAA");
  CHECK(j["outcome"] == "timeout");
  CHECK(j["rcode"].is_null());
  CHECK(j["rtt_ms"].is_null());
  CHECK(j["edns"].is_null());
  CHECK(j["flags"] == json::array());
  CHECK(j["answers"] == json::array());
  CHECK(j["attempts"] == 3);
  CHECK(j["task"] == 7);
  CHECK_FALSE(j.contains("error"));
}

TEST_CASE("append_observation_json: error only when set, outcome names", "[results][json]") {
  Observation malformed;
  malformed.resolver = *mxsentry::Endpoint::parse("198.51.100.1");
  malformed.qname = "example.com.";
  malformed.qtype = 1;
  malformed.outcome = Outcome::malformed;
  malformed.rcode = 0;  // not written for a non-answer
  malformed.error = "2 trailing bytes after the last record";
  json j = parse_line(line_of(malformed));
  std::set<std::string> with_error = documented_keys;
  with_error.insert("error");
  CHECK(keys_of(j) == with_error);
  CHECK(j["outcome"] == "malformed");
  CHECK(j["rcode"].is_null());
  CHECK(j["rtt_ms"].is_null());
  CHECK(j["error"] == "2 trailing bytes after the last record");

  Observation net = malformed;
  net.outcome = Outcome::network_error;
  net.error = "sendto: Network is unreachable";
  net.transport = mxsentry::Transport::tcp;
  json n = parse_line(line_of(net));
  CHECK(n["outcome"] == "network-error");
  CHECK(n["transport"] == "tcp");
  CHECK(n["error"] == "sendto: Network is unreachable");

  // An answer carrying an error text gets the key too.
  Observation answer = answered();
  answer.error = "note";
  CHECK(parse_line(line_of(answer))["error"] == "note");
}

TEST_CASE("append_observation_json: all flags, extended rcode, extra responses", "[results][json]") {
  Observation o = answered();
  o.flags = {true, true, true, true, true, true};
  o.rcode = 16;
  o.edns.do_bit = false;
  o.edns.version = 1;
  o.edns.udp_size = 512;
  mxsentry::ExtraResponse extra;
  extra.rcode = 0;
  extra.answers = {rr("example.com.", 15, 60, "10 evil.example.net.")};
  extra.after_ms = 0.5;
  mxsentry::ExtraResponse second;
  second.rcode = 2;
  second.after_ms = 1000.0005;
  o.extra_responses = {extra, second};
  json j = parse_line(line_of(o));
  CHECK(j["flags"] == json::array({"aa", "tc", "rd", "ra", "ad", "cd"}));
  CHECK(j["rcode"] == "BADVERS");
  CHECK(j["edns"] == json({{"udp_size", 512}, {"version", 1}, {"do", false}}));
  REQUIRE(j["extra_responses"].size() == 2);
  CHECK(keys_of(j["extra_responses"][0]) == std::set<std::string>{"rcode", "answers", "after_ms"});
  CHECK(j["extra_responses"][0]["rcode"] == "NOERROR");
  CHECK(j["extra_responses"][0]["answers"] ==
        json::array({json({{"name", "example.com."}, {"type", "MX"}, {"ttl", 60}, {"rdata", "10 evil.example.net."}})}));
  CHECK(j["extra_responses"][0]["after_ms"].get<double>() == Approx(0.5));
  CHECK(j["extra_responses"][1]["rcode"] == "SERVFAIL");
  CHECK(j["extra_responses"][1]["answers"] == json::array());
  CHECK(j["extra_responses"][1]["after_ms"].get<double>() == Approx(1000.001).margin(1e-9));

  o.rcode = 23;
  CHECK(parse_line(line_of(o))["rcode"] == "RCODE23");
  o.qtype = 65280;
  o.answers = {rr("x.example.", 65280, 1, "\\# 3 010203")};
  json generic = parse_line(line_of(o));
  CHECK(generic["qtype"] == "TYPE65280");
  CHECK(generic["answers"][0]["type"] == "TYPE65280");
  CHECK(generic["answers"][0]["rdata"] == "\\# 3 010203");
}

TEST_CASE("append_observation_json: hostile strings are escaped", "[results][json]") {
  Observation o = answered();
  o.qname = "we\"ird\\name\n\t\x01\x7f.";
  o.answers = {rr("a\"b.", 16, 1, "\"quoted\" \\ \r\n\x1f \x80\xfe\xff tail")};
  o.rrsigs.clear();
  o.authority = {rr(std::string("nul\0byte.", 9), 2, 1, "")};
  o.error = "line1\nline2";
  const std::string line = line_of(o);
  json j = parse_line(line);
  CHECK(j["qname"] == "we\"ird\\name\n\t\x01\x7f.");
  CHECK(j["answers"][0]["name"] == "a\"b.");
  CHECK(j["answers"][0]["rdata"] == std::string("\"quoted\" \\ \r\n\x1f \xc2\x80\xc3\xbe\xc3\xbf tail"));
  CHECK(j["authority"][0]["name"] == std::string("nul\0byte.", 9));
  CHECK(j["error"] == "line1\nline2");
  CHECK(line.find("\\u00ff") != std::string::npos);
  CHECK(line.find("\\u0000") != std::string::npos);
}

TEST_CASE("append_observation_json appends to what is there", "[results][json]") {
  std::string out;
  mxsentry::append_observation_json(out, answered());
  Observation second = answered();
  second.task_index = 43;
  mxsentry::append_observation_json(out, second);
  auto newline = out.find('\n');
  REQUIRE(newline != std::string::npos);
  CHECK(json::parse(out.substr(0, newline + 1))["task"] == 42);
  CHECK(json::parse(out.substr(newline + 1))["task"] == 43);
  CHECK(std::count(out.begin(), out.end(), '\n') == 2);
}

TEST_CASE("JsonlWriter writes one line per observation", "[results][jsonl]") {
  TempPath file;
  {
    mxsentry::JsonlWriter writer(file.path());
    for (int i = 0; i < 5; ++i) {
      Observation o = answered();
      o.task_index = static_cast<std::uint64_t>(i);
      writer.write(o);
    }
    CHECK(writer.written() == 5);
    writer.close();
    CHECK_NOTHROW(writer.close());  // closing twice is harmless
  }
  auto lines = read_lines(file.path());
  REQUIRE(lines.size() == 5);
  for (int i = 0; i < 5; ++i) {
    json j = json::parse(lines[static_cast<std::size_t>(i)]);
    CHECK(j["task"] == i);
    CHECK(keys_of(j) == documented_keys);
  }
}

TEST_CASE("JsonlWriter flushes a buffer larger than 1 MiB without losing lines", "[results][jsonl]") {
  TempPath file;
  const int count = 6000;  // about 2.5 MiB
  {
    mxsentry::JsonlWriter writer(file.path());
    Observation o = answered();
    o.answers.push_back(rr("big.example.", 16, 1, std::string(200, 'x')));
    for (int i = 0; i < count; ++i) {
      o.task_index = static_cast<std::uint64_t>(i);
      writer.write(o);
    }
    CHECK(writer.written() == static_cast<std::size_t>(count));
  }  // the destructor closes
  auto lines = read_lines(file.path());
  REQUIRE(lines.size() == static_cast<std::size_t>(count));
  CHECK(json::parse(lines.front())["task"] == 0);
  CHECK(json::parse(lines[count / 2])["task"] == count / 2);
  CHECK(json::parse(lines.back())["task"] == count - 1);
}

TEST_CASE("JsonlWriter with nothing written leaves an empty file", "[results][jsonl]") {
  TempPath file;
  mxsentry::JsonlWriter writer(file.path());
  CHECK(writer.written() == 0);
  writer.close();
  std::ifstream in(file.path(), std::ios::binary);
  CHECK(in.peek() == std::char_traits<char>::eof());
}

TEST_CASE("JsonlWriter reports an unwritable path and a full disk", "[results][jsonl]") {
  // /proc/version cannot be opened for writing by a normal user; root can open it, but every
  // write fails (EIO). Either way the error must surface: at construction or at close().
  bool reported = false;
  try {
    mxsentry::JsonlWriter proc("/proc/version");
    proc.write(answered());
    proc.close();
  } catch (const std::runtime_error& e) {
    reported = true;
    CHECK(std::string(e.what()).rfind("/proc/version: ", 0) == 0);
  }
  CHECK(reported);
  if (geteuid() != 0) CHECK_THROWS_AS(mxsentry::JsonlWriter("/proc/version"), std::runtime_error);
  CHECK_THROWS_AS(mxsentry::JsonlWriter("/nonexistent-mxsentry-dir/out.jsonl"), std::runtime_error);

  // /dev/full accepts the open and fails every write: close() must say so.
  mxsentry::JsonlWriter full("/dev/full");
  full.write(answered());
  CHECK(full.written() == 1);
  try {
    full.close();
    FAIL("close() did not report the write error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "/dev/full: write error: No space left on device");
  }
  CHECK_NOTHROW(full.close());  // reported once; closing again is a no-op

  try {
    mxsentry::JsonlWriter missing("/nonexistent-mxsentry-dir/out.jsonl");
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "/nonexistent-mxsentry-dir/out.jsonl: No such file or directory");
  }
}

TEST_CASE("JsonlWriter keeps a write error from an intermediate flush until close", "[results][jsonl]") {
  // More than the 1 MiB buffer: write() itself flushes to /dev/full and fails; the error must
  // still be reported by close(), with the errno of the first failure.
  mxsentry::JsonlWriter full("/dev/full");
  Observation o = answered();
  o.answers.push_back(rr("big.example.", 16, 1, std::string(1000, 'x')));
  for (int i = 0; i < 3000; ++i) full.write(o);
  CHECK(full.written() == 3000);
  try {
    full.close();
    FAIL("close() did not report the write error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "/dev/full: write error: No space left on device");
  }
}
