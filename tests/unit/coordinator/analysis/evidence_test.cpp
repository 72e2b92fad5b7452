// Every evidence code, each from the smallest observation that shows it.
#include <catch2/catch.hpp>

#include "coordinator/analysis/evidence.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::uint16_t A = 1, NS = 2, CNAME = 5, MX = 15, AAAA = 28;

bool has(const Findings& f, Evidence e) {
  return std::find(f.evidence.begin(), f.evidence.end(), e) != f.evidence.end();
}

// Public-looking documentation addresses stand for public addresses in these pure tests.
const Truth mx_truth = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});

std::vector<std::uint32_t> asns(const Endpoint& e) {
  std::string a = e.address_string();
  if (a.rfind("192.0.2.", 0) == 0) return {64500};
  if (a.rfind("198.51.100.", 0) == 0) return {64500};
  if (a.rfind("203.0.113.", 0) == 0) return {64666};
  return {};
}

}  // namespace

TEST_CASE("evidence: an answer the truth holds is a match", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("MX.Example.", A, 120, "192.0.2.10")});
  Findings f = gather_evidence(o, mx_truth, context);
  CHECK(f.evidence == std::vector<Evidence>{Evidence::match});
  CHECK(f.comparison.observed == std::vector<std::string>{"192.0.2.10"});
  CHECK(f.comparison.expected_ttl == 300);
}

TEST_CASE("evidence: a CNAME chain through the truth's names is cname-match", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Truth t = truth_of("mail.example.", A,
                     {rr("mail.example.", CNAME, 300, "mx.example."), rr("mx.example.", A, 300, "192.0.2.10")});
  auto o = answer_of("127.0.0.1", "mail.example.", A,
                     {rr("mail.example.", CNAME, 200, "mx.example."), rr("mx.example.", A, 200, "192.0.2.10")});
  Findings f = gather_evidence(o, t, context);
  CHECK(has(f, Evidence::match));
  CHECK(has(f, Evidence::cname_match));
  auto forged = answer_of("127.0.0.1", "mail.example.", A,
                          {rr("mail.example.", CNAME, 200, "evil.example."), rr("evil.example.", A, 200, "192.0.2.10")});
  Findings g = gather_evidence(forged, t, context);
  CHECK(has(g, Evidence::not_in_truth));
  CHECK_FALSE(has(g, Evidence::cname_match));
}

TEST_CASE("evidence: an address outside the truth's AS is not-in-truth and asn-mismatch", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  context.asns_of = asns;
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  Findings f = gather_evidence(o, mx_truth, context);
  CHECK(has(f, Evidence::not_in_truth));
  CHECK(has(f, Evidence::asn_mismatch));
  CHECK_FALSE(has(f, Evidence::same_asn));
  CHECK_FALSE(has(f, Evidence::same_prefix));
}

TEST_CASE("evidence: an address in the truth's AS is same-asn, one nearby also same-prefix", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  context.asns_of = asns;
  auto far = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "198.51.100.7")});
  Findings f = gather_evidence(far, mx_truth, context);
  CHECK(has(f, Evidence::same_asn));
  CHECK_FALSE(has(f, Evidence::same_prefix));
  auto near = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.99")});
  Findings g = gather_evidence(near, mx_truth, context);
  CHECK(has(g, Evidence::same_prefix));
  CHECK(has(g, Evidence::same_asn));
  config.same_prefix_v4 = 28;  // 192.0.2.99 is outside 192.0.2.0/28
  CHECK_FALSE(has(gather_evidence(near, mx_truth, context), Evidence::same_prefix));
}

TEST_CASE("evidence: an unknown AS decides nothing", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  context.asns_of = [](const Endpoint&) { return std::vector<std::uint32_t>{}; };
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  Findings f = gather_evidence(o, mx_truth, context);
  CHECK_FALSE(has(f, Evidence::asn_mismatch));
  CHECK_FALSE(has(f, Evidence::same_asn));
}

TEST_CASE("evidence: a TTL above the authoritative one", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86400, "203.0.113.66")});
  CHECK(has(gather_evidence(o, mx_truth, context), Evidence::ttl_above_authoritative));
  auto at = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  CHECK_FALSE(has(gather_evidence(at, mx_truth, context), Evidence::ttl_above_authoritative));
  config.ttl_slack_seconds = 100000;
  CHECK_FALSE(has(gather_evidence(o, mx_truth, context), Evidence::ttl_above_authoritative));
  // Matching data with a raised TTL is noted, and stays a match.
  config.ttl_slack_seconds = 0;
  auto raised = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 7200, "192.0.2.10")});
  Findings f = gather_evidence(raised, mx_truth, context);
  CHECK(has(f, Evidence::match));
  CHECK(has(f, Evidence::ttl_above_authoritative));
}

TEST_CASE("evidence: an answer few resolvers give is rare, one many give is not", "[analysis]") {
  AnalysisConfig config;
  AnswerDistribution distribution;
  for (int i = 1; i <= 40; ++i) {
    std::string resolver = "127.0.1." + std::to_string(i);
    std::string address = i <= 2 ? "203.0.113.66" : i <= 20 ? "198.51.100.7" : "192.0.2.10";
    distribution.add("vp", answer_of(resolver, "mx.example.", A, {rr("mx.example.", A, 300, address)}), 0);
  }
  EvidenceContext context = context_for(config, &distribution);
  auto rare = answer_of("127.0.1.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  CHECK(has(gather_evidence(rare, mx_truth, context), Evidence::rare_answer));
  auto common = answer_of("127.0.1.5", "mx.example.", A, {rr("mx.example.", A, 300, "198.51.100.7")});
  CHECK_FALSE(has(gather_evidence(common, mx_truth, context), Evidence::rare_answer));
  config.rare_max_share = 0.5;  // 18 of 40 is now rare too
  CHECK(has(gather_evidence(common, mx_truth, context), Evidence::rare_answer));
}

TEST_CASE("evidence: seen from one vantage of several is vantage-local", "[analysis]") {
  AnalysisConfig config;
  AnswerDistribution distribution;
  distribution.add("vp1", answer_of("127.0.1.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")}), 0);
  distribution.add("vp2", answer_of("127.0.1.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")}), 0);
  EvidenceContext context = context_for(config, &distribution);
  auto o = answer_of("127.0.1.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  CHECK_FALSE(has(gather_evidence(o, mx_truth, context), Evidence::vantage_local));
  context.vantages_total = 2;
  CHECK(has(gather_evidence(o, mx_truth, context), Evidence::vantage_local));
}

TEST_CASE("evidence: a special-purpose address where the truth is public is a bogon", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Truth public_truth = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "8.8.4.4")});
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "10.0.0.1")});
  CHECK(has(gather_evidence(o, public_truth, context), Evidence::bogon));
  // A lab (or intranet) truth of special addresses makes none of them a bogon.
  Truth lab_truth = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "127.53.201.10")});
  CHECK_FALSE(has(gather_evidence(o, lab_truth, context), Evidence::bogon));
}

TEST_CASE("evidence: an address on an IOC list is ioc-listed", "[analysis]") {
  AnalysisConfig config;
  PrefixList ioc = parse_prefix_list("203.0.113.0/24\n", "ioc.txt");
  EvidenceContext context = context_for(config);
  context.ioc = &ioc;
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  CHECK(has(gather_evidence(o, mx_truth, context), Evidence::ioc_listed));
  auto fine = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "198.51.100.7")});
  CHECK_FALSE(has(gather_evidence(fine, mx_truth, context), Evidence::ioc_listed));
}

TEST_CASE("evidence: DNSSEC valid, bogus and stripped answers of a secure zone", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Truth secure = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")}, dnssec::Status::secure);
  dnssec::Status signature_status = dnssec::Status::secure;
  context.check_signatures = [&](const Observation&, const Truth&) {
    return std::optional<dnssec::Verdict>(dnssec::Verdict{signature_status, "", false});
  };
  auto signed_answer = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  signed_answer.rrsigs.push_back(rr("mx.example.", 46, 300, "A 13 2 300 ..."));
  CHECK(has(gather_evidence(signed_answer, secure, context), Evidence::dnssec_valid));

  auto stripped = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  Findings f = gather_evidence(stripped, secure, context);
  CHECK(has(f, Evidence::dnssec_stripped));
  CHECK(has(f, Evidence::match));

  auto forged = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  CHECK(has(gather_evidence(forged, secure, context), Evidence::dnssec_bogus));
  signature_status = dnssec::Status::bogus;
  forged.rrsigs.push_back(rr("mx.example.", 46, 300, "A 13 2 300 ..."));
  CHECK(has(gather_evidence(forged, secure, context), Evidence::dnssec_bogus));
  // A differing answer with valid signatures is authentic data the truth missed.
  signature_status = dnssec::Status::secure;
  Findings g = gather_evidence(forged, secure, context);
  CHECK(has(g, Evidence::dnssec_valid));
  CHECK_FALSE(has(g, Evidence::dnssec_bogus));
  // An insecure zone says nothing either way.
  CHECK(gather_evidence(forged, mx_truth, context).evidence ==
        std::vector<Evidence>{Evidence::not_in_truth});
}

TEST_CASE("evidence: SERVFAIL on a secure name is servfail-secure and rcode-mismatch", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Truth secure = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")}, dnssec::Status::secure);
  auto o = answer_of("127.0.0.1", "mx.example.", A, {}, 2);
  Findings f = gather_evidence(o, secure, context);
  CHECK(has(f, Evidence::servfail_secure));
  CHECK(has(f, Evidence::rcode_mismatch));
  CHECK_FALSE(has(gather_evidence(o, mx_truth, context), Evidence::servfail_secure));
}

TEST_CASE("evidence: REFUSED, NXDOMAIN and no data where the truth has data are rcode-mismatch", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  for (int rcode : {5, 3, 0}) {
    auto o = answer_of("127.0.0.1", "mx.example.", A, {}, rcode);
    Findings f = gather_evidence(o, mx_truth, context);
    CHECK(f.evidence == std::vector<Evidence>{Evidence::rcode_mismatch});
  }
  Truth nxdomain = truth_of("gone.example.", A, {});
  nxdomain.rcode = 3;
  auto agreed = answer_of("127.0.0.1", "gone.example.", A, {}, 3);
  CHECK(gather_evidence(agreed, nxdomain, context).evidence == std::vector<Evidence>{Evidence::match});
  auto invented = answer_of("127.0.0.1", "gone.example.", A, {rr("gone.example.", A, 300, "203.0.113.66")});
  CHECK(has(gather_evidence(invented, nxdomain, context), Evidence::not_in_truth));
}

TEST_CASE("evidence: a second differing response is multi-response", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "203.0.113.66")});
  o.extra_responses.push_back(ExtraResponse{0, {rr("mx.example.", A, 300, "192.0.2.10")}, 3.5});
  CHECK(has(gather_evidence(o, mx_truth, context), Evidence::multi_response));
}

TEST_CASE("evidence: MX and NS records with other targets are record-mismatch", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Truth mx = truth_of("example.", MX, {rr("example.", MX, 300, "10 mx.example.")});
  auto forged_mx = answer_of("127.0.0.1", "example.", MX,
                             {rr("example.", MX, 300, "5 relay.example."), rr("example.", MX, 300, "10 MX.example.")});
  Findings f = gather_evidence(forged_mx, mx, context);
  CHECK(has(f, Evidence::record_mismatch));
  CHECK(f.comparison.unmatched.size() == 1);
  Truth ns = truth_of("example.", NS, {rr("example.", NS, 300, "ns1.example.")});
  auto forged_ns = answer_of("127.0.0.1", "example.", NS, {rr("example.", NS, 300, "ns.attacker.test.")});
  CHECK(has(gather_evidence(forged_ns, ns, context), Evidence::record_mismatch));
}

TEST_CASE("evidence: no answer and no truth", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  Observation timeout = answer_of("127.0.0.1", "mx.example.", A, {});
  timeout.outcome = Outcome::timeout;
  CHECK(gather_evidence(timeout, mx_truth, context).evidence == std::vector<Evidence>{Evidence::no_response});
  Truth none = truth_of("mx.example.", A, {});
  none.rcode = -1;
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  CHECK(gather_evidence(o, none, context).evidence == std::vector<Evidence>{Evidence::no_truth});
}

TEST_CASE("evidence: a record the authoritative servers gave only when asked again", "[analysis]") {
  AnalysisConfig config;
  std::set<std::string> reverified{record_key(rr("mx.example.", A, 0, "192.0.2.11"))};
  EvidenceContext context = context_for(config);
  context.reverified = &reverified;
  Truth t = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10"), rr("mx.example.", A, 300, "192.0.2.11")});
  auto o = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.11")});
  Findings f = gather_evidence(o, t, context);
  CHECK(has(f, Evidence::match));
  CHECK(has(f, Evidence::reverified_authoritative));
}

TEST_CASE("evidence: asking again tells a poisoned cache from an injector", "[analysis]") {
  AnalysisConfig config;
  auto first = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86400, "203.0.113.66")});
  auto cached = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86397, "203.0.113.66")});
  CHECK(reask_evidence(first, cached, mx_truth, 3.0, config) == std::vector<Evidence>{Evidence::cached_forgery});
  auto fresh = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86400, "203.0.113.66")});
  CHECK(reask_evidence(first, fresh, mx_truth, 3.0, config) == std::vector<Evidence>{Evidence::fresh_ttl});
  auto gone = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  CHECK(reask_evidence(first, gone, mx_truth, 3.0, config).empty());
  // A first answer that matched needs no second look.
  CHECK(reask_evidence(gone, fresh, mx_truth, 3.0, config).empty());
  // Counted down far more than the time that passed: neither.
  auto odd = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 500, "203.0.113.66")});
  CHECK(reask_evidence(first, odd, mx_truth, 3.0, config).empty());
}

TEST_CASE("evidence: asked again from another vantage, a countdown counts and a fresh TTL does not", "[analysis]") {
  AnalysisConfig config;
  auto first = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86400, "203.0.113.66")});
  auto cached = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86397, "203.0.113.66")});
  CHECK(reask_elsewhere_evidence(first, cached, mx_truth, 3.0, config) ==
        std::vector<Evidence>{Evidence::reasked_elsewhere, Evidence::cached_forgery});
  // A fresh TTL seen elsewhere may be another instance's cache behind an anycast address.
  auto fresh = answer_of("127.0.0.1", "mx.example.", A, {rr("mx.example.", A, 86400, "203.0.113.66")});
  REQUIRE(reask_evidence(first, fresh, mx_truth, 3.0, config) == std::vector<Evidence>{Evidence::fresh_ttl});
  CHECK(reask_elsewhere_evidence(first, fresh, mx_truth, 3.0, config) == std::vector<Evidence>{Evidence::reasked_elsewhere});
  // No answer the second time: nothing was seen from there.
  Observation silent = cached;
  silent.outcome = Outcome::timeout;
  silent.answers.clear();
  CHECK(reask_elsewhere_evidence(first, silent, mx_truth, 3.0, config).empty());
}

TEST_CASE("evidence: a forged CNAME in front of a signed RRset is not dnssec-valid", "[analysis]") {
  AnalysisConfig config;
  EvidenceContext context = context_for(config);
  context.check_signatures = [](const Observation&, const Truth&) {
    return std::optional<dnssec::Verdict>(dnssec::Verdict{dnssec::Status::secure, "", false});
  };
  Truth secure = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")}, dnssec::Status::secure);
  auto o = answer_of("127.0.0.1", "mx.example.", A,
                     {rr("mx.example.", CNAME, 300, "www.example."), rr("www.example.", A, 300, "192.0.2.80")});
  o.rrsigs.push_back(rr("www.example.", 46, 300, "A 13 2 300 ..."));
  Findings f = gather_evidence(o, secure, context);
  CHECK_FALSE(has(f, Evidence::dnssec_valid));
  CHECK(has(f, Evidence::dnssec_bogus));
  CHECK(answer_owner(o) == "www.example.");
}
