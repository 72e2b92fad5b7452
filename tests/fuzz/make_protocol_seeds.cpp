// Writes the seed corpus of fuzz_protocol (corpus/protocol/) with the project's own encoder:
// one valid body of each message type, a lone observation and a matched result, each
// prefixed with the selector byte fuzz_protocol reads. Not part of the build's default target:
//   cmake --build build --target make_protocol_seeds && build/tests/fuzz/make_protocol_seeds DIR

#include <cstdio>
#include <fstream>
#include <string>

#include "protocol/message_codec.h"

namespace {

using namespace mxsentry;
using namespace mxsentry::protocol;

void write(const std::string& dir, const std::string& name, unsigned char selector, const std::string& body) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out << body;
}

Observation observation() {
  Observation o;
  o.resolver = *Endpoint::parse("192.0.2.53");
  o.qname = "mx.example.";
  o.qtype = 1;
  o.task_index = 7;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.flags.rd = o.flags.ra = true;
  o.answers = {{"mx.example.", 1, 300, "192.0.2.1"}, {"mx.example.", 1, 300, "192.0.2.2"}};
  o.rrsigs = {{"mx.example.", 46, 300, "A 8 2 300 20300101000000 20200101000000 12345 example. AAAA"}};
  o.authority = {{"example.", 2, 3600, ""}};
  o.edns = {true, 1232, 0, true};
  o.rtt_ms = 1.5;
  o.time_ms = 1'700'000'000'000;
  o.attempts = 1;
  o.unsolicited = 2;
  o.extra_responses = {{0, {{"mx.example.", 1, 60, "203.0.113.66"}}, 3.25}};
  return o;
}

MatchedResult matched() {
  MatchedResult m;
  m.task_index = 3;
  m.answer_set = 1;
  m.ttls = {300, 299};
  m.flags.ra = true;
  m.edns = {true, 1232, 0, false};
  m.authority = {{"example.", 2, 3600, ""}};
  m.rtt_ms = 2;
  m.time_ms = 1'700'000'000'000;
  m.transport = Transport::tcp;
  m.attempts = 2;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  Hello hello{"vp1", "mxsentry-prober 0.1", 4, {{"country", "DE"}}, {"192.0.2.53", "[2001:db8::53]:5353"}};
  Work work;
  work.unit = 12;
  work.sweep = 3;
  work.lease_deadline_ms = 1'700'000'120'000;
  work.per_resolver_qps = 2.5;
  work.tasks = {{0, "192.0.2.53", "mx.example.", 1}, {1, "[2001:db8::53]:53", "example.", 15}};
  work.digest_key = {1, 2};
  work.expected = {{"mx.example.", 1, {0x0123456789abcdefull, 42}}};
  Results results{12, 1, {observation()}, {matched()}, 0};
  Message messages[] = {hello, Ready{3}, work, results, Done{12}, Heartbeat{}, Bye{}, Error{"busy", "try later"}};
  for (unsigned i = 0; i < 8; ++i) {
    Frames frames = encode(messages[i]);
    write(dir, "valid-" + frames.type, static_cast<unsigned char>(i), frames.body);
    // The same under the small limits (selector bit 7): most of them are refused there.
    write(dir, "small-limits-" + frames.type, static_cast<unsigned char>(0x80 | i), frames.body);
  }
  write(dir, "valid-observation", 8, encode_observation(observation()));
  write(dir, "valid-matched", 9, encode_matched(matched()));
  return 0;
}
