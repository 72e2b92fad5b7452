// The truth iterator over a simulated network: referrals, glue, out-of-bailiwick name servers,
// loops, lame servers, CNAME chains and limits, all in simulated time.
#include <catch2/catch.hpp>

#include <functional>
#include <map>

#include "coordinator/truth/truth_finder.h"
#include "protocol/dns/ldns_include.h"
#include "prober/core/response_parse.h"

using namespace mxsentry;

namespace {

struct Reply {
  int rcode = 0;
  bool aa = true;
  std::vector<std::string> answer, authority, additional;
};
// (server address, qname, qtype) -> a reply, or nullopt for silence.
using Authority = std::function<std::optional<Reply>(const std::string& server, const std::string& qname, std::uint16_t qtype)>;

Observation respond(const Task& task, const Authority& authority) {
  Observation o;
  o.resolver = task.resolver;
  o.qname = task.qname;
  o.qtype = task.qtype;
  o.task_index = task.index;
  o.attempts = 1;
  auto reply = authority(task.resolver.address_string(), task.qname, task.qtype);
  if (!reply) {
    o.outcome = Outcome::timeout;
    return o;
  }
  ldns_pkt* pkt = ldns_pkt_new();
  ldns_pkt_set_qr(pkt, true);
  ldns_pkt_set_aa(pkt, reply->aa);
  ldns_pkt_set_rcode(pkt, static_cast<std::uint8_t>(reply->rcode));
  ldns_rdf* qname = nullptr;
  ldns_str2rdf_dname(&qname, task.qname.c_str());
  ldns_rr* question = ldns_rr_new();
  ldns_rr_set_owner(question, qname);
  ldns_rr_set_type(question, static_cast<ldns_rr_type>(task.qtype));
  ldns_rr_set_class(question, LDNS_RR_CLASS_IN);
  ldns_rr_set_question(question, true);
  ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, question);
  auto push = [&](ldns_pkt_section section, const std::vector<std::string>& records) {
    for (const auto& text : records) {
      ldns_rr* rr = nullptr;
      REQUIRE(ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) == LDNS_STATUS_OK);
      ldns_pkt_push_rr(pkt, section, rr);
    }
  };
  push(LDNS_SECTION_ANSWER, reply->answer);
  push(LDNS_SECTION_AUTHORITY, reply->authority);
  push(LDNS_SECTION_ADDITIONAL, reply->additional);
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  ldns_pkt2wire(&wire, pkt, &size);
  o.message.assign(wire, wire + size);
  free(wire);
  ldns_pkt_free(pkt);
  std::string error;
  auto parsed = parse_response(o.message, &error);
  REQUIRE(parsed);
  o.outcome = Outcome::answer;
  o.rcode = parsed->rcode;
  o.flags = parsed->flags;
  o.answers = parsed->answers;
  o.rrsigs = parsed->rrsigs;
  return o;
}

struct Run {
  std::vector<Truth> truths;
  std::vector<Task> asked;
};

Run run(const Authority& authority, const std::vector<std::pair<std::string, std::uint16_t>>& questions,
        TruthConfig config = {}) {
  dnssec::Validator validator;  // no trust anchor: DNSSEC stays indeterminate here
  std::vector<NameServer> roots{{"a.root.", {*Endpoint::parse("192.0.2.1")}}};
  TruthFinder finder(config, roots, validator, [] { return 1'700'000'000u; });
  for (const auto& [name, type] : questions) finder.request(name, type);
  Run r;
  for (int guard = 0; guard < 100000; ++guard) {
    auto task = finder.next();
    if (!task) break;
    r.asked.push_back(*task);
    finder.deliver(respond(*task, authority));
  }
  REQUIRE(finder.finished());
  r.truths = finder.take_results();
  return r;
}

std::vector<std::string> rdata(const Truth& t, std::uint16_t type) {
  std::vector<std::string> out;
  for (const auto& a : t.answers)
    if (a.type == type) out.push_back(a.rdata);
  std::sort(out.begin(), out.end());
  return out;
}

// The root delegates example. to ns1/ns2.example. with glue; both answer for the zone.
std::optional<Reply> simple_world(const std::string& server, const std::string& qname, std::uint16_t qtype) {
  if (server == "192.0.2.1")
    return Reply{0, false, {}, {"example. 86400 IN NS ns1.example.", "example. 86400 IN NS ns2.example."},
                 {"ns1.example. 86400 IN A 192.0.2.10", "ns2.example. 86400 IN A 192.0.2.11"}};
  if (server == "192.0.2.10" || server == "192.0.2.11") {
    if (qtype == LDNS_RR_TYPE_SOA)
      return Reply{0, true, {}, {"example. 300 IN SOA ns1.example. host.example. 1 2 3 4 300"}, {}};
    if (qname == "mx.example." && qtype == LDNS_RR_TYPE_A) {
      // geo split: each server its own address
      std::string address = server == "192.0.2.10" ? "198.51.100.1" : "198.51.100.2";
      return Reply{0, true, {"mx.example. 600 IN A " + address}, {}, {}};
    }
    if (qname == "mail.example.") return Reply{0, true, {"mail.example. 900 IN CNAME mx.other."}, {}, {}};
    return Reply{3, true, {}, {"example. 300 IN SOA ns1.example. host.example. 1 2 3 4 300"}, {}};
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("truth: follows the referral and asks every server of the zone, repeatedly", "[truth]") {
  TruthConfig config;
  config.repeat = 2;
  Run r = run(simple_world, {{"mx.example.", LDNS_RR_TYPE_A}}, config);
  REQUIRE(r.truths.size() == 1);
  const Truth& t = r.truths[0];
  CHECK(t.error.empty());
  CHECK(t.zone == "example.");
  CHECK(t.rcode == 0);
  CHECK(rdata(t, LDNS_RR_TYPE_A) == std::vector<std::string>{"198.51.100.1", "198.51.100.2"});  // the union
  REQUIRE(t.servers.size() == 4);  // 2 servers x 2 repeats
  int asked_10 = 0;
  for (const auto& s : t.servers) {
    CHECK(s.authoritative);
    REQUIRE(s.answers.size() == 1);
    CHECK(s.answers[0].rdata == (s.address.address_string() == "192.0.2.10" ? "198.51.100.1" : "198.51.100.2"));
    if (s.address.address_string() == "192.0.2.10") ++asked_10;
  }
  CHECK(asked_10 == 2);
  CHECK(t.ttl_min == 600);
  CHECK(t.ttl_max == 600);
  CHECK(t.dnssec.status == dnssec::Status::indeterminate);
  for (const auto& task : r.asked) CHECK_FALSE(task.recursion_desired);
}

TEST_CASE("truth: NXDOMAIN is a truth of its own", "[truth]") {
  Run r = run(simple_world, {{"nothing.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  CHECK(t.rcode == 3);
  CHECK(t.answers.empty());
  CHECK(t.error.empty());
}

TEST_CASE("truth: a silent server among answering ones is recorded, the union comes from the others", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t qtype) -> std::optional<Reply> {
    if (server == "192.0.2.11" && qname == "mx.example.") return std::nullopt;
    return simple_world(server, qname, qtype);
  };
  Run r = run(world, {{"mx.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  CHECK(rdata(t, LDNS_RR_TYPE_A) == std::vector<std::string>{"198.51.100.1"});
  int timeouts = 0;
  for (const auto& s : t.servers) timeouts += s.outcome == Outcome::timeout;
  CHECK(timeouts == 2);
}

TEST_CASE("truth: an out-of-bailiwick name server is looked up first", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t qtype) -> std::optional<Reply> {
    if (server == "192.0.2.1") {
      if (qname == "ns.other." || qname.ends_with(".other."))
        return Reply{0, false, {}, {"other. 86400 IN NS ns.other."}, {"ns.other. 86400 IN A 192.0.2.30"}};
      return Reply{0, false, {}, {"example. 86400 IN NS ns.other."}, {}};  // no glue: not in root's bailiwick
    }
    if (server == "192.0.2.30") {
      if (qtype == LDNS_RR_TYPE_SOA) return Reply{0, true, {}, {"other. 300 IN SOA ns.other. h.other. 1 2 3 4 300"}, {}};
      if (qname == "ns.other." && qtype == LDNS_RR_TYPE_A) return Reply{0, true, {"ns.other. 300 IN A 192.0.2.31"}, {}, {}};
      return Reply{3, true, {}, {"other. 300 IN SOA ns.other. h.other. 1 2 3 4 300"}, {}};
    }
    if (server == "192.0.2.31") {
      if (qtype == LDNS_RR_TYPE_SOA) return Reply{0, true, {}, {"example. 300 IN SOA ns.other. h.other. 1 2 3 4 300"}, {}};
      return Reply{0, true, {"www.example. 60 IN A 203.0.113.5"}, {}, {}};
    }
    return std::nullopt;
  };
  Run r = run(world, {{"www.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  INFO(t.error);
  CHECK(t.zone == "example.");
  CHECK(rdata(t, LDNS_RR_TYPE_A) == std::vector<std::string>{"203.0.113.5"});
  REQUIRE(!t.servers.empty());
  CHECK(t.servers[0].server == "ns.other.");
  CHECK(t.servers[0].address.address_string() == "192.0.2.31");
}

TEST_CASE("truth: name servers that need each other end with an error, not a loop", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t) -> std::optional<Reply> {
    if (server != "192.0.2.1") return std::nullopt;
    if (qname.ends_with("a-zone.")) return Reply{0, false, {}, {"a-zone. 86400 IN NS ns.b-zone."}, {}};
    return Reply{0, false, {}, {"b-zone. 86400 IN NS ns.a-zone."}, {}};
  };
  Run r = run(world, {{"www.a-zone.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  CHECK(t.rcode == -1);
  CHECK(t.error.find("no address for any server of a-zone.") != std::string::npos);
  CHECK(r.asked.size() < 40);
}

TEST_CASE("truth: a referral upwards or sideways is a lame server", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t qtype) -> std::optional<Reply> {
    if (server == "192.0.2.1")
      return Reply{0, false, {}, {"example. 86400 IN NS ns1.example.", "example. 86400 IN NS ns2.example."},
                   {"ns1.example. 86400 IN A 192.0.2.10", "ns2.example. 86400 IN A 192.0.2.11"}};
    if (server == "192.0.2.10")  // lame: refers back to the root
      return Reply{0, false, {}, {". 86400 IN NS a.root."}, {"a.root. 86400 IN A 192.0.2.1"}};
    if (server == "192.0.2.11") return simple_world("192.0.2.10", qname, qtype);
    return std::nullopt;
  };
  Run r = run(world, {{"mx.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  CHECK(t.zone == "example.");
  CHECK(t.rcode == 0);
  CHECK(rdata(t, LDNS_RR_TYPE_A) == std::vector<std::string>{"198.51.100.1"});
  bool lame_recorded = false;
  for (const auto& s : t.servers)
    if (s.address.address_string() == "192.0.2.10") lame_recorded = !s.authoritative && !s.error.empty();
  CHECK(lame_recorded);
}

TEST_CASE("truth: every server lame or refusing means no truth, with the reason", "[truth]") {
  Authority world = [](const std::string& server, const std::string&, std::uint16_t) -> std::optional<Reply> {
    if (server == "192.0.2.1")
      return Reply{0, false, {}, {"lame.example. 86400 IN NS ns.lame.example."}, {"ns.lame.example. 86400 IN A 192.0.2.50"}};
    return Reply{5, false, {}, {}, {}};  // REFUSED: the server does not serve the zone
  };
  Run r = run(world, {{"www.lame.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  CHECK(t.rcode == -1);
  CHECK(t.error.find("REFUSED") != std::string::npos);
  CHECK(t.error.find("lame") != std::string::npos);
}

TEST_CASE("truth: a CNAME into another zone is followed and the chain recorded", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t qtype) -> std::optional<Reply> {
    if (server == "192.0.2.1" && qname.ends_with(".other."))
      return Reply{0, false, {}, {"other. 86400 IN NS ns.other."}, {"ns.other. 86400 IN A 192.0.2.40"}};
    if (server == "192.0.2.40") {
      if (qtype == LDNS_RR_TYPE_SOA) return Reply{0, true, {}, {"other. 300 IN SOA ns.other. h.other. 1 2 3 4 300"}, {}};
      return Reply{0, true, {"mx.other. 120 IN A 203.0.113.9"}, {}, {}};
    }
    return simple_world(server, qname, qtype);
  };
  Run r = run(world, {{"mail.example.", LDNS_RR_TYPE_A}});
  const Truth& t = r.truths.at(0);
  INFO(t.error);
  CHECK(t.rcode == 0);
  CHECK(t.cname_chain == std::vector<std::string>{"mx.other."});
  CHECK(rdata(t, LDNS_RR_TYPE_CNAME) == std::vector<std::string>{"mx.other."});
  CHECK(rdata(t, LDNS_RR_TYPE_A) == std::vector<std::string>{"203.0.113.9"});
  CHECK(t.ttl_min == 120);
  CHECK(t.ttl_max == 900);
}

TEST_CASE("truth: a CNAME loop stops at the chain limit", "[truth]") {
  Authority world = [](const std::string& server, const std::string& qname, std::uint16_t qtype) -> std::optional<Reply> {
    if (server == "192.0.2.1")
      return Reply{0, false, {}, {"example. 86400 IN NS ns1.example."}, {"ns1.example. 86400 IN A 192.0.2.10"}};
    if (qtype == LDNS_RR_TYPE_SOA) return Reply{0, true, {}, {"example. 300 IN SOA ns1.example. h.example. 1 2 3 4 300"}, {}};
    std::string other = qname == "a.example." ? "b.example." : "a.example.";
    return Reply{0, true, {qname + " 60 IN CNAME " + other}, {}, {}};
  };
  TruthConfig config;
  config.max_cname_chain = 4;
  Run r = run(world, {{"a.example.", LDNS_RR_TYPE_A}}, config);
  const Truth& t = r.truths.at(0);
  CHECK(t.error.find("CNAME chain longer than 4") != std::string::npos);
  CHECK(r.asked.size() < 60);
}

TEST_CASE("truth: endless referrals stop at the referral limit or the query budget", "[truth]") {
  // Every server refers one label further down, forever.
  Authority deep = [](const std::string& server, const std::string& qname, std::uint16_t) -> std::optional<Reply> {
    // server 192.0.2.k refers to zone of k labels of qname
    int k = std::stoi(server.substr(server.rfind('.') + 1));
    std::string zone = qname;
    std::size_t labels = std::count(qname.begin(), qname.end(), '.');
    for (std::size_t drop = labels; drop > static_cast<std::size_t>(k); --drop) zone = zone.substr(zone.find('.') + 1);
    std::string next = "192.0.2." + std::to_string(k + 1);
    return Reply{0, false, {}, {zone + " 60 IN NS ns" + std::to_string(k) + "." + zone},
                 {"ns" + std::to_string(k) + "." + zone + " 60 IN A " + next}};
  };
  std::string name;
  for (int i = 0; i < 40; ++i) name += "l" + std::to_string(i) + ".";
  TruthConfig config;
  config.max_referrals = 10;
  Run r = run(deep, {{name, LDNS_RR_TYPE_A}}, config);
  const Truth& t = r.truths.at(0);
  CHECK(t.rcode == -1);
  CHECK(t.error == "more than 10 referrals");
  CHECK(r.asked.size() <= 11);
}

TEST_CASE("truth: several names are found side by side, results in request order", "[truth]") {
  Run r = run(simple_world, {{"mx.example.", LDNS_RR_TYPE_A}, {"nothing.example.", LDNS_RR_TYPE_A}});
  REQUIRE(r.truths.size() == 2);
  CHECK(r.truths[0].qname == "mx.example.");
  CHECK(r.truths[1].qname == "nothing.example.");
  CHECK(r.truths[1].rcode == 3);
}

TEST_CASE("truth: each truth is handed out as soon as it is found, with its request's place", "[truth]") {
  dnssec::Validator validator;
  std::vector<NameServer> roots{{"a.root.", {*Endpoint::parse("192.0.2.1")}}};
  TruthFinder finder({}, roots, validator, [] { return 1'700'000'000u; });
  finder.request("mail.example.", LDNS_RR_TYPE_A);  // a CNAME to follow: more queries
  finder.request("mx.example.", LDNS_RR_TYPE_A);
  std::vector<std::size_t> order;
  bool mx_before_end = false;
  for (int guard = 0; guard < 100000; ++guard) {
    auto task = finder.next();
    if (!task) break;
    finder.deliver(respond(*task, simple_world));
    for (const auto& [place, truth] : finder.take_found()) {
      order.push_back(place);
      if (place == 1) {
        CHECK(truth.qname == "mx.example.");
        CHECK(rdata(truth, LDNS_RR_TYPE_A) == std::vector<std::string>{"198.51.100.1", "198.51.100.2"});
        mx_before_end = !finder.finished();
      }
    }
  }
  REQUIRE(finder.finished());
  CHECK(order.size() == 2);
  CHECK(std::find(order.begin(), order.end(), 0) != order.end());
  CHECK(mx_before_end);  // found while the CNAME's lookup still ran
  CHECK(finder.take_found().empty());
  auto truths = finder.take_results();  // every one still, in request order
  REQUIRE(truths.size() == 2);
  CHECK(truths[1].qname == "mx.example.");
}

TEST_CASE("truth: lookups wait for the root keys another lookup is fetching", "[truth][dnssec]") {
  // Going on without them met referrals with the root's status unknown and cached
  // delegations whose security was never learned (seen in the lab as "indeterminate").
  dnssec::Validator validator;
  validator.add_trust_anchors(". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n", "test");
  std::vector<NameServer> roots{{"a.root.", {*Endpoint::parse("192.0.2.1")}}};
  TruthFinder finder(TruthConfig{}, roots, validator, [] { return 1'700'000'000u; });
  finder.request("mx.example.", LDNS_RR_TYPE_A);
  finder.request("mx.example.", LDNS_RR_TYPE_AAAA);
  auto first = finder.next();
  REQUIRE(first);
  CHECK(first->qname == ".");
  CHECK(first->qtype == LDNS_RR_TYPE_DNSKEY);
  CHECK_FALSE(finder.next());  // the second lookup is waiting, not querying
  CHECK_FALSE(finder.finished());
  // The root's keys do not come (silence): both lookups go on, and both end.
  std::size_t asked = 1;
  finder.deliver(respond(*first, [](const std::string&, const std::string&, std::uint16_t) -> std::optional<Reply> {
    return std::nullopt;
  }));
  for (int guard = 0; guard < 1000; ++guard) {
    auto task = finder.next();
    if (!task) break;
    ++asked;
    CHECK(task->qtype != LDNS_RR_TYPE_DNSKEY);  // asked once, not once per lookup
    finder.deliver(respond(*task, simple_world));
  }
  CHECK(finder.finished());
  auto truths = finder.take_results();
  REQUIRE(truths.size() == 2);
  CHECK(truths[0].rcode == 0);
  CHECK(asked > 2);
}
