#include "coordinator/analysis/answer_distribution.h"

#include <cctype>

#include "coordinator/analysis/answer_compare.h"

namespace mxsentry {

std::string AnswerDistribution::question_key(const std::string& qname, std::uint16_t qtype) {
  std::string key;
  for (char c : qname) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key + ' ' + std::to_string(qtype);
}

void AnswerDistribution::add(const std::string& vantage, const Observation& observation, std::uint32_t resolver_asn) {
  Question& question = questions_[question_key(observation.qname, observation.qtype)];
  question.vantages.insert(vantage);
  if (observation.outcome != Outcome::answer || observation.answers.empty()) return;
  std::string who = vantage + ' ' + observation.resolver.to_string();
  question.answering.insert(who);
  for (const auto& record : observation.answers) {
    RecordSeen& seen = question.records[record_key(record)];
    seen.resolvers.insert(who);
    seen.vantages.insert(vantage);
    if (resolver_asn != 0) seen.networks.insert(resolver_asn);
  }
}

AnswerDistribution::Spread AnswerDistribution::spread(const std::string& qname, std::uint16_t qtype,
                                                      const std::string& record) const {
  auto question = questions_.find(question_key(qname, qtype));
  if (question == questions_.end()) return {};
  auto seen = question->second.records.find(record);
  if (seen == question->second.records.end()) return {};
  return {seen->second.resolvers.size(), seen->second.vantages.size(), seen->second.networks.size()};
}

std::size_t AnswerDistribution::answering(const std::string& qname, std::uint16_t qtype) const {
  auto question = questions_.find(question_key(qname, qtype));
  return question == questions_.end() ? 0 : question->second.answering.size();
}

std::size_t AnswerDistribution::vantages(const std::string& qname, std::uint16_t qtype) const {
  auto question = questions_.find(question_key(qname, qtype));
  return question == questions_.end() ? 0 : question->second.vantages.size();
}

}  // namespace mxsentry
