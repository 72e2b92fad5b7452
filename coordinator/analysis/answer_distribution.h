#pragma once
// How widely each answer is seen: for every question, which resolvers (from which vantages and
// networks) returned which record. A CDN's addresses spread over many resolvers and networks;
// a forged record sits in a few caches. Pure bookkeeping over the observations of one run.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "prober/core/observation.h"

namespace mxsentry {

class AnswerDistribution {
 public:
  struct Spread {
    std::size_t resolvers = 0;  ///< (vantage, resolver) pairs that returned it
    std::size_t vantages = 0;
    std::size_t networks = 0;   ///< distinct resolver ASNs among them (0 = unknown ASN not counted)
  };

  /// Counts one observation's answer records. `resolver_asn` is 0 when unknown. Each (vantage,
  /// resolver, question) is added once (a run asks each once and keeps the first result), so
  /// resolvers are counted, not kept: memory follows the distinct records, not the answers.
  void add(const std::string& vantage, const Observation& observation, std::uint32_t resolver_asn);
  /// The same from its parts: `answered` when the outcome was an answer (a compact result's
  /// records are its answer set's).
  void add(const std::string& vantage, const std::string& qname, std::uint16_t qtype, bool answered,
           const std::vector<ResourceRecord>& answers, std::uint32_t resolver_asn);

  /// How widely a record (record_key form) was returned for a question.
  Spread spread(const std::string& qname, std::uint16_t qtype, const std::string& record) const;
  /// How many (vantage, resolver) pairs answered the question with records.
  std::size_t answering(const std::string& qname, std::uint16_t qtype) const;
  /// How many vantages asked the question at all.
  std::size_t vantages(const std::string& qname, std::uint16_t qtype) const;

 private:
  struct RecordSeen {
    std::size_t resolvers = 0;
    std::set<std::string> vantages;
    std::set<std::uint32_t> networks;  ///< bounded by the ASes there are, not by the answers
  };
  struct Question {
    std::size_t answering = 0;
    std::set<std::string> vantages;
    std::map<std::string, RecordSeen> records;
  };
  static std::string question_key(const std::string& qname, std::uint16_t qtype);
  std::map<std::string, Question> questions_;
};

}  // namespace mxsentry
