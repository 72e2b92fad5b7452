// Every verdict class, and the arithmetic that turns evidence into a confidence.
#include <catch2/catch.hpp>

#include "coordinator/analysis/classify.h"

using namespace mxsentry;
using E = Evidence;
using Catch::Detail::Approx;

TEST_CASE("classify: suspicion is a noisy-OR of positive weights scaled by benign ones", "[analysis]") {
  AnalysisConfig config;
  config.weights = {{E::not_in_truth, 0.3}, {E::asn_mismatch, 0.5}, {E::same_asn, -0.7}};
  CHECK(suspicion_of({}, config) == 0.0);
  CHECK(suspicion_of({E::not_in_truth}, config) == Approx(0.3));
  CHECK(suspicion_of({E::not_in_truth, E::asn_mismatch}, config) == Approx(1 - 0.7 * 0.5));
  CHECK(suspicion_of({E::not_in_truth, E::same_asn}, config) == Approx(0.3 * 0.3));
  CHECK(suspicion_of({E::match}, config) == 0.0);  // no weight, no effect
  config.weights[E::dnssec_valid] = -1.0;
  CHECK(suspicion_of({E::not_in_truth, E::asn_mismatch, E::dnssec_valid}, config) == 0.0);
  config.weights[E::ioc_listed] = 1.0;
  CHECK(suspicion_of({E::ioc_listed}, config) == 1.0);
}

TEST_CASE("classify: the default weights put a lone cache forgery at poisoned", "[analysis]") {
  AnalysisConfig config;
  Decision d = decide({E::not_in_truth, E::asn_mismatch, E::ttl_above_authoritative, E::rare_answer}, config);
  CHECK(d.verdict == VerdictClass::poisoned);
  CHECK(d.confidence == Approx(1 - 0.7 * 0.5 * 0.5 * 0.6).margin(0.0005));
}

TEST_CASE("classify: a CDN address in the truth's AS, common among resolvers, is variation", "[analysis]") {
  AnalysisConfig config;
  Decision d = decide({E::not_in_truth, E::same_asn}, config);
  CHECK(d.verdict == VerdictClass::variation);
  CHECK(d.confidence == Approx(1 - 0.3 * 0.3).margin(0.0005));
}

TEST_CASE("classify: evidence between the thresholds is suspicious", "[analysis]") {
  AnalysisConfig config;
  Decision d = decide({E::not_in_truth, E::asn_mismatch}, config);
  CHECK(d.verdict == VerdictClass::suspicious);
  CHECK(d.confidence == Approx(0.65).margin(0.0005));
  config.suspicious_at = 0.7;
  CHECK(decide({E::not_in_truth, E::asn_mismatch}, config).verdict == VerdictClass::variation);
  config.poisoned_at = 0.6;
  config.suspicious_at = 0.5;
  CHECK(decide({E::not_in_truth, E::asn_mismatch}, config).verdict == VerdictClass::poisoned);
}

TEST_CASE("classify: thresholds are inclusive", "[analysis]") {
  AnalysisConfig config;
  config.weights = {{E::not_in_truth, 0.5}};
  config.poisoned_at = 0.5;
  CHECK(decide({E::not_in_truth}, config).verdict == VerdictClass::poisoned);
}

TEST_CASE("classify: matching data is consistent, whatever else is odd about it", "[analysis]") {
  AnalysisConfig config;
  Decision plain = decide({E::match}, config);
  CHECK(plain.verdict == VerdictClass::consistent);
  CHECK(plain.confidence == 1.0);
  Decision raised = decide({E::match, E::ttl_above_authoritative}, config);
  CHECK(raised.verdict == VerdictClass::consistent);
  CHECK(raised.confidence == 1.0);
}

TEST_CASE("classify: errors are failed, silence unreachable, no truth unknown", "[analysis]") {
  AnalysisConfig config;
  CHECK(decide({E::rcode_mismatch}, config).verdict == VerdictClass::failed);
  Decision secure = decide({E::servfail_secure, E::rcode_mismatch}, config);
  CHECK(secure.verdict == VerdictClass::failed);
  CHECK(secure.confidence == 1.0);
  CHECK(decide({E::no_response}, config).verdict == VerdictClass::unreachable);
  Decision unknown = decide({E::no_truth}, config);
  CHECK(unknown.verdict == VerdictClass::unknown);
  CHECK(unknown.confidence == 0.0);
}

TEST_CASE("classify: re-asking raises a suspicious forgery to poisoned", "[analysis]") {
  AnalysisConfig config;
  std::vector<E> first{E::not_in_truth, E::ttl_above_authoritative, E::rare_answer};
  CHECK(decide(first, config).verdict == VerdictClass::suspicious);
  first.push_back(E::cached_forgery);
  CHECK(decide(first, config).verdict == VerdictClass::poisoned);
}

TEST_CASE("classify: confidence is rounded to three decimals", "[analysis]") {
  AnalysisConfig config;
  config.weights = {{E::not_in_truth, 0.123456}};
  CHECK(decide({E::not_in_truth}, config).confidence == 1 - 0.123);
}
