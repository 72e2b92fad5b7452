#include "coordinator/judging/second_answers.h"

#include <utility>

#include "protocol/dns/names.h"

namespace mxsentry {

SecondAnswers::Key SecondAnswers::key_of(const Observation& o) {
  return Key{o.resolver.to_string(), canonical_name(o.qname), o.qtype};
}

void SecondAnswers::add(const std::string& vantage, Observation observation) {
  Key key = key_of(observation);
  asked_[std::move(key)].insert_or_assign(vantage, std::move(observation));
}

SecondAnswer SecondAnswers::find(const std::string& vantage, const Observation& first) const {
  auto question = asked_.find(key_of(first));
  if (question == asked_.end() || question->second.empty()) return {};
  const auto& by_vantage = question->second;
  auto own = by_vantage.find(vantage);
  auto chosen = own != by_vantage.end() ? own : by_vantage.begin();
  return SecondAnswer{&chosen->second, chosen->first};
}

}  // namespace mxsentry
