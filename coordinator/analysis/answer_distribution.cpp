#include "coordinator/analysis/answer_distribution.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "coordinator/analysis/answer_compare.h"

namespace mxsentry {

std::string AnswerDistribution::question_key(const std::string& qname, std::uint16_t qtype) {
  std::string key;
  for (char c : qname) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key + ' ' + std::to_string(qtype);
}

void AnswerDistribution::add(const std::string& vantage, const Observation& observation, std::uint32_t resolver_asn) {
  add(vantage, observation.qname, observation.qtype, observation.outcome == Outcome::answer, observation.answers,
      resolver_asn);
}

void AnswerDistribution::add(const std::string& vantage, const std::string& qname, std::uint16_t qtype, bool answered,
                             const std::vector<ResourceRecord>& answers, std::uint32_t resolver_asn) {
  Question& question = questions_[question_key(qname, qtype)];
  question.vantages.insert(vantage);
  if (!answered || answers.empty()) return;
  ++question.answering;
  std::vector<std::string> counted;  // a record listed twice in one answer counts once
  for (const auto& record : answers) {
    std::string key = record_key(record);
    if (std::find(counted.begin(), counted.end(), key) != counted.end()) continue;
    RecordSeen& seen = question.records[key];
    ++seen.resolvers;
    seen.vantages.insert(vantage);
    if (resolver_asn != 0) seen.networks.insert(resolver_asn);
    counted.push_back(std::move(key));
  }
}

AnswerDistribution::Spread AnswerDistribution::spread(const std::string& qname, std::uint16_t qtype,
                                                      const std::string& record) const {
  auto question = questions_.find(question_key(qname, qtype));
  if (question == questions_.end()) return {};
  auto seen = question->second.records.find(record);
  if (seen == question->second.records.end()) return {};
  return {seen->second.resolvers, seen->second.vantages.size(), seen->second.networks.size()};
}

std::size_t AnswerDistribution::answering(const std::string& qname, std::uint16_t qtype) const {
  auto question = questions_.find(question_key(qname, qtype));
  return question == questions_.end() ? 0 : question->second.answering;
}

std::size_t AnswerDistribution::vantages(const std::string& qname, std::uint16_t qtype) const {
  auto question = questions_.find(question_key(qname, qtype));
  return question == questions_.end() ? 0 : question->second.vantages.size();
}

}  // namespace mxsentry
