// The wire protocol: every message survives a round trip, and hostile bodies (truncated,
// trailing bytes, huge headers, deep nesting, wrong types, other versions) are refused with a
// reason, without allocating what they ask for.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <msgpack.hpp>

#include "protocol/message_codec.h"

using namespace mxsentry;
using namespace mxsentry::protocol;

namespace {

Observation sample_observation() {
  Observation o;
  o.resolver = *Endpoint::parse("192.0.2.53:5353");
  o.qname = "mx.example.";
  o.qtype = 1;
  o.task_index = 7;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.flags.rd = o.flags.ra = o.flags.ad = true;
  o.answers = {{"mx.example.", 1, 300, "192.0.2.10"}};
  o.rrsigs = {{"mx.example.", 46, 300, "A 13 2 300 20261231000000 20261101000000 12345 example. abc="}};
  o.authority = {{"example.", 2, 300, ""}};
  o.edns = Edns{true, 1232, 0, true};
  o.rtt_ms = 1.25;
  o.time_ms = 1'790'000'000'000;
  o.transport = Transport::tcp;
  o.attempts = 2;
  o.extra_responses = {ExtraResponse{0, {{"mx.example.", 1, 60, "203.0.113.66"}}, 3.5}};
  return o;
}

Message round_trip(const Message& m) {
  Frames f = encode(m);
  CHECK(f.type == type_name(m));
  return decode(f.type, f.body);
}

std::string error_of(std::string_view type, std::string_view body, const Limits& limits = {}) {
  try {
    decode(type, body, limits);
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "no error";
}

std::string pack(const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& write) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> p(buffer);
  write(p);
  return std::string(buffer.data(), buffer.size());
}

}  // namespace

TEST_CASE("protocol: every message survives a round trip", "[protocol]") {
  Hello hello{"vp1", "mxsentry 0.1.0", 4, {{"country", "NL"}, {"asn", "1136"}}, {"192.0.2.53", "[2001:db8::53]:5353"}};
  CHECK(std::get<Hello>(round_trip(hello)) == hello);
  CHECK(std::get<Ready>(round_trip(Ready{3})) == Ready{3});
  Work work{42, 7, 1'790'000'000'000, 2.5, 1500, 1, {{0, "192.0.2.53", "mx.example.", 1}, {1, "192.0.2.54", "example.", 15}}};
  CHECK(std::get<Work>(round_trip(work)) == work);
  CHECK(std::get<Done>(round_trip(Done{42})) == Done{42});
  CHECK(std::holds_alternative<Heartbeat>(round_trip(Heartbeat{})));
  CHECK(std::holds_alternative<Bye>(round_trip(Bye{})));
  CHECK(std::get<Error>(round_trip(Error{"lease", "unit 42 is not yours"})) == Error{"lease", "unit 42 is not yours"});

  Results results{42, 3, {sample_observation()}};
  auto back = std::get<Results>(round_trip(results));
  CHECK(back.unit == 42);
  CHECK(back.sequence == 3);
  REQUIRE(back.observations.size() == 1);
  const Observation& o = back.observations[0];
  const Observation want = sample_observation();
  CHECK(o.resolver == want.resolver);
  CHECK(o.qname == want.qname);
  CHECK(o.task_index == 7);
  CHECK(o.outcome == Outcome::answer);
  CHECK(o.flags == want.flags);
  CHECK(o.answers == want.answers);
  CHECK(o.rrsigs == want.rrsigs);
  CHECK(o.authority == want.authority);
  CHECK(o.edns.udp_size == 1232);
  CHECK(o.edns.do_bit);
  CHECK(o.rtt_ms == 1.25);
  CHECK(o.time_ms == want.time_ms);
  CHECK(o.transport == Transport::tcp);
  CHECK(o.attempts == 2);
  REQUIRE(o.extra_responses.size() == 1);
  CHECK(o.extra_responses[0].answers == want.extra_responses[0].answers);
  CHECK(o.extra_responses[0].after_ms == 3.5);
}

TEST_CASE("protocol: truncated and trailing bytes are refused", "[protocol]") {
  Frames f = encode(Work{1, 1, 0, 5, 2000, 2, {{0, "192.0.2.53", "a.example.", 1}}});
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, f.body.size() / 2, f.body.size() - 1})
    CHECK(error_of("WORK", f.body.substr(0, cut)).find("WORK: malformed msgpack") == 0);
  CHECK(error_of("WORK", f.body + "x") == "WORK: 1 bytes after the msgpack body");
}

TEST_CASE("protocol: huge size headers allocate nothing and are refused", "[protocol]") {
  // array32 headers claiming 16M and 4G elements, map32 likewise, str32 of 4 GB: 5 bytes each.
  for (std::string body : {std::string("\xdd\x01\x00\x00\x00", 5), std::string("\xdd\xff\x00\x00\x00", 5),
                           std::string("\xdf\xff\xff\xff\xff", 5), std::string("\xdb\xff\xff\xff\xff", 5)}) {
    std::string e = error_of("WORK", body);
    INFO(e);
    CHECK(e.find("WORK: malformed msgpack") == 0);
  }
}

TEST_CASE("protocol: deep nesting is refused", "[protocol]") {
  std::string body(100000, '\x91');  // 100k nested one-element arrays
  body += '\x01';
  CHECK(error_of("HELLO", body).find("HELLO: malformed msgpack") == 0);
}

// 8 MB of nested nil arrays, within every list and depth limit, once took the coordinator from
// 13 to 226 MB: msgpack builds a 24-byte object for each one-byte nil.
TEST_CASE("protocol: a body of millions of small values is refused before msgpack builds them", "[protocol]") {
  std::string inner = "\xdc\x4e\x20" + std::string(20000, '\xc0');  // array16 of 20000 nils
  std::string body = "\xdc\x01\x90";                                     // array16 of 400 of those
  for (int i = 0; i < 400; ++i) body += inner;
  REQUIRE(body.size() < Limits{}.max_body_bytes);
  CHECK(error_of("RESULTS", body) == "RESULTS: more than 1000000 values in one body");
  Limits few;
  few.max_values = 10;
  Work work{1, 1, 0, 5, 2000, 2, {{0, "192.0.2.53", "a.example.", 1}}};
  CHECK(error_of("WORK", encode(work).body, few) == "WORK: more than 10 values in one body");
  CHECK_NOTHROW(decode("WORK", encode(work).body));
}

TEST_CASE("protocol: limits bound lists and bodies", "[protocol]") {
  Work work{1, 1, 0, 5, 2000, 2, {}};
  for (std::uint32_t i = 0; i < 11; ++i) work.tasks.push_back({i, "192.0.2.53", "a.example.", 1});
  Frames f = encode(work);
  Limits small;
  small.max_list = 10;
  small.max_records = 4;
  CHECK(error_of("WORK", f.body, small).find("WORK: malformed msgpack") == 0);  // msgpack's own limit
  small.max_records = 256;
  CHECK(error_of("WORK", f.body, small) == "WORK.tasks: more than 10 elements");  // the schema's
  small = Limits{};
  small.max_body_bytes = 16;
  CHECK(error_of("WORK", f.body, small) == "WORK: body of " + std::to_string(f.body.size()) + " bytes is over the limit");
}

TEST_CASE("protocol: wrong fields, versions and types are named", "[protocol]") {
  CHECK(error_of("READY", pack([](auto& p) { p.pack_map(1), p.pack("v"), p.pack(1); })) == "READY.credit: missing");
  CHECK(error_of("READY", pack([](auto& p) { p.pack_map(2), p.pack("v"), p.pack(1), p.pack("credit"), p.pack("many"); })) ==
        "READY.credit: expected an integer");
  CHECK(error_of("READY", pack([](auto& p) { p.pack_map(2), p.pack("v"), p.pack(1), p.pack("credit"), p.pack(-1); })) ==
        "READY.credit: out of range");
  CHECK(error_of("READY", pack([](auto& p) { p.pack_map(2), p.pack("v"), p.pack(2), p.pack("credit"), p.pack(1); })) ==
        "READY: protocol version 2, this side speaks 1");
  CHECK(error_of("READY", pack([](auto& p) { p.pack_array(0); })) == "READY: expected a map");
  CHECK(error_of("SURPRISE", pack([](auto& p) { p.pack_map(1), p.pack("v"), p.pack(1); })) ==
        "unknown message type 'SURPRISE'");
  // An unknown key is ignored: a newer peer may add fields.
  auto ready = decode("READY", pack([](auto& p) {
    p.pack_map(3), p.pack("v"), p.pack(1), p.pack("credit"), p.pack(2), p.pack("future"), p.pack(true);
  }));
  CHECK(std::get<Ready>(ready).credit == 2);
  // Inside a list, the path names the element.
  auto bad_task = pack([](auto& p) {
    p.pack_map(8), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sweep"), p.pack(1);
    p.pack("lease_deadline_ms"), p.pack(0), p.pack("per_resolver_qps"), p.pack(5.0), p.pack("timeout_ms"), p.pack(10);
    p.pack("retries"), p.pack(0), p.pack("tasks"), p.pack_array(1), p.pack_array(4), p.pack(0), p.pack("192.0.2.1");
    p.pack("a.example."), p.pack("A");
  });
  CHECK(error_of("WORK", bad_task) == "WORK.tasks[0][3]: expected an integer");
  // A RESULTS envelope is as strict as ever (its observations: see below).
  Frames f = encode(Results{1, 0, {sample_observation()}});
  CHECK(error_of("RESULTS", f.body + "x") == "RESULTS: 1 bytes after the msgpack body");
  CHECK(error_of("RESULTS", pack([](auto& p) {
          p.pack_map(4), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sequence"), p.pack("first");
          p.pack("observations"), p.pack_array(0);
        })) == "RESULTS.sequence: expected an integer");
  CHECK(error_of("RESULTS", pack([](auto& p) {
          p.pack_map(4), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sequence"), p.pack(0);
          p.pack("observations"), p.pack_map(0);
        })) == "RESULTS.observations: expected an array");
  CHECK(error_of("RESULTS", pack([](auto& p) {
          p.pack_map(3), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sequence"), p.pack(0);
        })) == "RESULTS.observations: missing");
}

namespace {

/// A WORK body by hand, with one task; `extra` packs one more key and value (counted in the map).
std::string work_body(const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& extra) {
  return pack([&](auto& p) {
    p.pack_map(extra ? 9 : 8), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sweep"), p.pack(1);
    p.pack("lease_deadline_ms"), p.pack(0), p.pack("per_resolver_qps"), p.pack(5.0), p.pack("timeout_ms"), p.pack(10);
    p.pack("retries"), p.pack(0), p.pack("tasks"), p.pack_array(1), p.pack_array(4), p.pack(0), p.pack("192.0.2.1");
    p.pack("a.example."), p.pack(1);
    if (extra) extra(p);
  });
}

}  // namespace

TEST_CASE("protocol: WORK says express, and an older peer's WORK without it is ordinary", "[protocol]") {
  Work work{42, 7, 1'790'000'000'000, 2.5, 1500, 1, {{0, "192.0.2.53", "mx.example.", 1}}};
  work.express = true;
  CHECK(std::get<Work>(round_trip(work)) == work);
  work.express = false;
  CHECK(std::get<Work>(round_trip(work)) == work);
  Work old = std::get<Work>(decode("WORK", work_body({})));
  CHECK_FALSE(old.express);
  CHECK(old.tasks.size() == 1);
  CHECK(std::get<Work>(decode("WORK", work_body([](auto& p) { p.pack("express"), p.pack(true); }))).express);
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("express"), p.pack(1); })) ==
        "WORK.express: expected true or false");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("express"), p.pack_nil(); })) ==
        "WORK.express: expected true or false");
}

TEST_CASE("protocol: a malformed observation is dropped alone, the rest of its batch counts", "[protocol]") {
  Observation first = sample_observation(), bad = sample_observation(), last = sample_observation();
  first.task_index = 1;
  bad.task_index = 2;
  bad.resolver = Endpoint{};  // not an address
  last.task_index = 3;
  Results results{9, 4, {first, bad, last}};
  auto back = std::get<Results>(round_trip(results));
  CHECK(back.unit == 9);
  CHECK(back.sequence == 4);
  CHECK(back.rejected == 1);
  REQUIRE(back.observations.size() == 2);
  CHECK(back.observations[0].task_index == 1);
  CHECK(back.observations[1].task_index == 3);
  CHECK(back.observations[1].answers == last.answers);

  // Not even a map, a wrong type inside, a missing field: each dropped and counted.
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> p(buffer);
  p.pack_map(4), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(9), p.pack("sequence"), p.pack(0);
  p.pack("observations"), p.pack_array(5);
  std::string good = encode_observation(first);
  buffer.write(good.data(), good.size());
  p.pack(42);
  p.pack_map(1), p.pack("qname"), p.pack(7);
  p.pack_map(0);
  buffer.write(good.data(), good.size());
  back = std::get<Results>(decode("RESULTS", std::string(buffer.data(), buffer.size())));
  CHECK(back.rejected == 3);
  CHECK(back.observations.size() == 2);

  // Encoding never sends `rejected`: it is what this side dropped.
  results.rejected = 5;
  results.observations = {first};
  CHECK(std::get<Results>(round_trip(results)).rejected == 0);
}

TEST_CASE("protocol: a hostile resolver's huge answer is cut to the limits, and then it travels", "[protocol]") {
  Observation o = sample_observation();
  o.unsolicited = 7;
  o.answers.assign(300, ResourceRecord{"mx.example.", 1, 60, "192.0.2.10"});
  o.rrsigs[0].rdata = std::string(70000, 'A');
  Limits limits;
  clamp_to_limits(o, limits);
  CHECK(o.answers.size() == limits.max_records);
  CHECK(o.rrsigs[0].rdata.size() == limits.max_string);
  CHECK(o.error == "truncated to the protocol's limits");
  Observation back = decode_observation(encode_observation(o));
  CHECK(back.answers.size() == limits.max_records);
  CHECK(back.unsolicited == 7);
  Observation small = sample_observation();
  clamp_to_limits(small, limits);
  CHECK(small.error.empty());  // nothing to cut, nothing said
}

namespace {

MatchedResult sample_matched(std::uint32_t task) {
  MatchedResult m;
  m.task_index = task;
  m.answer_set = 2;
  m.ttls = {300, 299, 17};
  m.flags.rd = m.flags.ra = m.flags.ad = true;
  m.edns = Edns{true, 1232, 0, true};
  m.authority = {{"example.", 2, 86400, ""}};
  m.rtt_ms = 14.5;
  m.time_ms = 1'790'000'000'123;
  m.transport = Transport::tcp;
  m.attempts = 3;
  return m;
}

Work sample_work() {
  Work work{42, 7, 1'790'000'000'000, 2.5, 1500, 1, {{0, "192.0.2.53", "mx.example.", 1}, {1, "192.0.2.54", "example.", 15}}};
  work.digest_key = DigestKey{0xfedcba9876543210ull, 0x0123456789abcdefull};
  work.expected = {ExpectedAnswers{"mx.example.", 1, {0xffffffffffffffffull, 1, 0}},
                   ExpectedAnswers{"example.", 15, {0x8000000000000000ull}}};
  return work;
}

/// A RESULTS body by hand with no observations; `matched` packs the value of "matched".
std::string results_body(const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& matched) {
  return pack([&](auto& p) {
    p.pack_map(5), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(9), p.pack("sequence"), p.pack(0);
    p.pack("observations"), p.pack_array(0);
    p.pack("matched"), matched(p);
  });
}

}  // namespace

TEST_CASE("protocol: WORK carries the digest key and the expected answers", "[protocol]") {
  Work work = sample_work();
  CHECK(std::get<Work>(round_trip(work)) == work);
  work.express = true;
  work.expected[1].digests.clear();  // a question with no expected answer set
  CHECK(std::get<Work>(round_trip(work)) == work);
  work.expected.clear();
  CHECK(std::get<Work>(round_trip(work)) == work);  // a key alone
  work.digest_key = {};
  CHECK(std::get<Work>(round_trip(work)) == work);
  // Without them a WORK is as before on the wire.
  CHECK(encode(work).body.find("digest_key") == std::string::npos);
  CHECK(encode(work).body.find("expected") == std::string::npos);

  // Absent: a zero key and nothing expected.
  Work old = std::get<Work>(decode("WORK", work_body({})));
  CHECK(old.digest_key == DigestKey{});
  CHECK(old.expected.empty());
}

TEST_CASE("protocol: a WORK's digest key and expected answers are typed and bounded", "[protocol]") {
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack(7); })) ==
        "WORK.digest_key: expected an array");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack_array(1), p.pack(7); })) ==
        "WORK.digest_key: expected 2 elements");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack_array(3), p.pack(1), p.pack(2), p.pack(3); })) ==
        "WORK.digest_key: more than 2 elements");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack_array(2), p.pack(1), p.pack(-2); })) ==
        "WORK.digest_key[1]: out of range");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack_array(2), p.pack(1), p.pack("2"); })) ==
        "WORK.digest_key[1]: expected an integer");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("digest_key"), p.pack_nil(); })) ==
        "WORK.digest_key: expected an array");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("expected"), p.pack_map(0); })) ==
        "WORK.expected: expected an array");
  CHECK(error_of("WORK", work_body([](auto& p) { p.pack("expected"), p.pack_array(1), p.pack_array(0); })) ==
        "WORK.expected[0]: expected a map");
  CHECK(error_of("WORK", work_body([](auto& p) {
          p.pack("expected"), p.pack_array(1), p.pack_map(2), p.pack("qname"), p.pack("a.example."), p.pack("qtype"), p.pack(1);
        })) == "WORK.expected[0].digests: missing");
  CHECK(error_of("WORK", work_body([](auto& p) {
          p.pack("expected"), p.pack_array(1), p.pack_map(3), p.pack("qname"), p.pack("a.example."), p.pack("qtype"),
              p.pack(70000), p.pack("digests"), p.pack_array(0);
        })) == "WORK.expected[0].qtype: out of range");
  CHECK(error_of("WORK", work_body([](auto& p) {
          p.pack("expected"), p.pack_array(1), p.pack_map(3), p.pack("qname"), p.pack("a.example."), p.pack("qtype"),
              p.pack(1), p.pack("digests"), p.pack_array(2), p.pack(1), p.pack(1.5);
        })) == "WORK.expected[0].digests[1]: expected an integer");

  // At most max_answer_sets digests for one question, at most max_list questions.
  Work work = sample_work();
  work.expected[1].digests.assign(65, 1);
  Frames f = encode(work);
  CHECK(error_of("WORK", f.body) == "WORK.expected[1].digests: more than 64 elements");
  work.expected[1].digests.assign(64, 1);
  CHECK(std::get<Work>(decode("WORK", encode(work).body)) == work);
  Limits small;
  small.max_answer_sets = 2;
  CHECK(error_of("WORK", encode(sample_work()).body, small) == "WORK.expected[0].digests: more than 2 elements");
  small = Limits{};
  small.max_list = 1;
  work = sample_work();
  work.tasks.resize(1);
  CHECK(error_of("WORK", encode(work).body, small) == "WORK.expected: more than 1 elements");
}

TEST_CASE("protocol: RESULTS carries matched results", "[protocol]") {
  Results results{42, 3, {sample_observation()}, {sample_matched(1), sample_matched(2)}};
  results.matched[1].ttls.clear();
  results.matched[1].authority.clear();
  results.matched[1].transport = Transport::udp;
  auto back = std::get<Results>(round_trip(results));
  CHECK(back.unit == 42);
  CHECK(back.sequence == 3);
  CHECK(back.rejected == 0);
  REQUIRE(back.observations.size() == 1);
  CHECK(back.observations[0].answers == sample_observation().answers);
  CHECK(back.matched == results.matched);

  // Matched results alone.
  Results compact{42, 4, {}, {sample_matched(5)}};
  back = std::get<Results>(round_trip(compact));
  CHECK(back.observations.empty());
  CHECK(back.matched == compact.matched);

  // Absent: none.
  Results full{42, 5, {sample_observation()}};
  CHECK(encode(full).body.find("matched") == std::string::npos);
  back = std::get<Results>(round_trip(full));
  CHECK(back.matched.empty());
  CHECK(back.observations.size() == 1);

  // One alone, as a batch's size is counted: the same bytes as inside RESULTS.
  std::string one = encode_matched(sample_matched(1));
  CHECK(encode(Results{42, 3, {}, {sample_matched(1)}}).body.find(one) != std::string::npos);
  // And read back alone, as a sweep database keeps it; anything else is a decode error.
  CHECK(decode_matched(one) == sample_matched(1));
  CHECK_THROWS_AS(decode_matched(one.substr(0, one.size() - 1)), ProtocolError);
  CHECK_THROWS_AS(decode_matched(encode_observation(sample_observation())), ProtocolError);
}

TEST_CASE("protocol: a malformed matched result is dropped alone, the envelope stays strict", "[protocol]") {
  // Envelope: "matched" of the wrong type, or too long, refuses the message.
  CHECK(error_of("RESULTS", results_body([](auto& p) { p.pack_map(0); })) == "RESULTS.matched: expected an array");
  CHECK(error_of("RESULTS", results_body([](auto& p) { p.pack_nil(); })) == "RESULTS.matched: expected an array");
  Limits small;
  small.max_list = 1;
  CHECK(error_of("RESULTS", encode(Results{9, 0, {}, {sample_matched(1), sample_matched(2)}}).body, small) ==
        "RESULTS.matched: more than 1 elements");

  // Entries: each bad one dropped and counted, the good ones kept in order.
  MatchedResult too_many_ttls = sample_matched(3);
  too_many_ttls.ttls.assign(257, 60);
  MatchedResult too_much_authority = sample_matched(4);
  too_much_authority.authority.assign(257, ResourceRecord{"example.", 2, 60, ""});
  Results results{9, 1, {sample_observation()}, {sample_matched(1), too_many_ttls, too_much_authority, sample_matched(5)}};
  auto back = std::get<Results>(round_trip(results));
  CHECK(back.rejected == 2);
  CHECK(back.observations.size() == 1);
  REQUIRE(back.matched.size() == 2);
  CHECK(back.matched[0] == sample_matched(1));
  CHECK(back.matched[1] == sample_matched(5));

  // Built by hand: good, bad, good; each bad kind alone.
  std::vector<std::function<void(msgpack::packer<msgpack::sbuffer>&)>> bad_kinds = {
      [](auto& p) { p.pack(42); },                    // not an array
      [](auto& p) { p.pack_array(1), p.pack(1); },   // fields missing
      [](auto& p) { p.pack_map(1), p.pack("task"), p.pack(1); },  // a map, not the positional array
  };
  // A good entry with one field changed (fields named here for the reader; on the wire they
  // are positional).
  auto good_but = [](const char* field, const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& value) {
    return [field, value](msgpack::packer<msgpack::sbuffer>& p) {
      const MatchedResult m = sample_matched(7);
      p.pack_array(10);
      auto put = [&](const char* key, const std::function<void()>& normal) {
        if (std::string_view(key) == field)
          value(p);
        else
          normal();
      };
      put("task", [&] { p.pack(m.task_index); });
      put("set", [&] { p.pack(m.answer_set); });
      put("ttls", [&] { p.pack(m.ttls); });
      put("flags", [&] { p.pack(7); });
      put("edns", [&] { p.pack_array(4), p.pack(true), p.pack(1232), p.pack(0), p.pack(true); });
      put("authority", [&] { p.pack_array(0); });
      put("rtt_ms", [&] { p.pack(1.5); });
      put("time_ms", [&] { p.pack(m.time_ms); });
      put("transport", [&] { p.pack(1); });
      put("attempts", [&] { p.pack(1); });
    };
  };
  bad_kinds.push_back(good_but("task", [](auto& p) { p.pack(std::uint64_t{1} << 32); }));  // out of range
  bad_kinds.push_back(good_but("ttls", [](auto& p) { p.pack_array(1), p.pack(-1); }));
  bad_kinds.push_back(good_but("ttls", [](auto& p) { p.pack("300"); }));
  bad_kinds.push_back(good_but("flags", [](auto& p) { p.pack(256); }));
  bad_kinds.push_back(good_but("edns", [](auto& p) { p.pack_array(3), p.pack(true), p.pack(1232), p.pack(0); }));
  bad_kinds.push_back(good_but("transport", [](auto& p) { p.pack(2); }));
  bad_kinds.push_back(good_but("rtt_ms", [](auto& p) { p.pack("fast"); }));
  bad_kinds.push_back(good_but("set", [](auto& p) { p.pack(-1); }));
  bad_kinds.push_back(good_but("authority", [](auto& p) {
    p.pack_array(1), p.pack_array(3), p.pack("example."), p.pack(2), p.pack(60);  // a record of 3 fields
  }));
  for (std::size_t i = 0; i < bad_kinds.size(); ++i) {
    INFO("bad kind " << i);
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> p(buffer);
    p.pack_map(5), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(9), p.pack("sequence"), p.pack(0);
    p.pack("observations"), p.pack_array(0);
    p.pack("matched"), p.pack_array(3);
    std::string good = encode_matched(sample_matched(1));
    buffer.write(good.data(), good.size());
    bad_kinds[i](p);
    buffer.write(good.data(), good.size());
    auto decoded = std::get<Results>(decode("RESULTS", std::string(buffer.data(), buffer.size())));
    CHECK(decoded.rejected == 1);
    REQUIRE(decoded.matched.size() == 2);
    CHECK(decoded.matched[0] == sample_matched(1));
    CHECK(decoded.matched[1] == sample_matched(1));
  }
  // The hand-made good entry is good: the changes above are what makes the others bad.
  {
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> p(buffer);
    p.pack_map(5), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(9), p.pack("sequence"), p.pack(0);
    p.pack("observations"), p.pack_array(0);
    p.pack("matched"), p.pack_array(1);
    good_but("", {})(p);
    auto decoded = std::get<Results>(decode("RESULTS", std::string(buffer.data(), buffer.size())));
    CHECK(decoded.rejected == 0);
    REQUIRE(decoded.matched.size() == 1);
    CHECK(decoded.matched[0].task_index == 7);
    CHECK(decoded.matched[0].transport == Transport::tcp);
  }

  // Observations and matched results share the count.
  Observation bad_observation = sample_observation();
  bad_observation.resolver = Endpoint{};
  Results mixed{9, 2, {bad_observation, sample_observation()}, {too_many_ttls, sample_matched(1)}};
  back = std::get<Results>(round_trip(mixed));
  CHECK(back.rejected == 2);
  CHECK(back.observations.size() == 1);
  CHECK(back.matched.size() == 1);
}

TEST_CASE("protocol: a WORK whose per-resolver rate is NaN, infinite or negative is refused", "[protocol]") {
  auto body_with = [](double bad) {
    return pack([&](auto& p) {
      p.pack_map(8), p.pack("v"), p.pack(1), p.pack("unit"), p.pack(1), p.pack("sweep"), p.pack(1);
      p.pack("lease_deadline_ms"), p.pack(0), p.pack("per_resolver_qps"), p.pack(bad), p.pack("timeout_ms"), p.pack(10);
      p.pack("retries"), p.pack(0), p.pack("tasks"), p.pack_array(0);
    });
  };
  CHECK(error_of("WORK", body_with(std::nan(""))) == "WORK.per_resolver_qps: not a finite number");
  CHECK(error_of("WORK", body_with(std::numeric_limits<double>::infinity())) ==
        "WORK.per_resolver_qps: not a finite number");
  CHECK(error_of("WORK", body_with(-1.0)) == "WORK.per_resolver_qps: negative");
}

TEST_CASE("protocol: an RTT or a delay below 0 or beyond a day is refused", "[protocol]") {
  // Found by fuzz_protocol (tests/fuzz/corpus/protocol/crash-rtt-2pow64): an RTT sent as the
  // integer 2^64 - 1 was read as the double 2^64, and packing it again was undefined behaviour
  // inside msgpack (a cast to uint64_t that its range check lets through).
  MatchedResult m;
  m.rtt_ms = 7.5;
  std::string bytes = encode_matched(m);
  const std::string as_float("\xcb\x40\x1e\x00\x00\x00\x00\x00\x00", 9);  // 7.5 as a msgpack float64
  const auto at = bytes.find(as_float);
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 9, std::string("\xcf\xff\xff\xff\xff\xff\xff\xff\xff", 9));  // uint64 2^64 - 1
  CHECK_THROWS_WITH(decode_matched(bytes), Catch::Contains("out of range"));
  for (double bad : {-1.0, 86'400'001.0, 1e300}) {
    m.rtt_ms = bad;
    CHECK_THROWS_WITH(decode_matched(encode_matched(m)), Catch::Contains("out of range"));
  }
  m.rtt_ms = 86'400'000;
  CHECK(decode_matched(encode_matched(m)).rtt_ms == 86'400'000);

  Observation o = sample_observation();
  o.extra_responses = {ExtraResponse{0, {}, -0.5}};
  CHECK_THROWS_WITH(decode_observation(encode_observation(o)), Catch::Contains("out of range"));
  o.extra_responses[0].after_ms = 12.25;
  o.rtt_ms = 1e12;
  CHECK_THROWS_WITH(decode_observation(encode_observation(o)), Catch::Contains("out of range"));
  o.rtt_ms = 3;
  CHECK(decode_observation(encode_observation(o)).extra_responses.at(0).after_ms == 12.25);
}
