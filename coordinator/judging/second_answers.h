#pragma once
// The second answers of a sweep's re-ask phase, and which one a first answer takes (pure): the
// one its own vantage got, else one another vantage got from the same resolver to the same
// question (its vantage gone, another prober asked in its place; or both had it flagged and
// asked once). Only flagged answers are asked again, so this holds few.

#include <map>
#include <string>
#include <tuple>

#include "prober/core/observation.h"

namespace mxsentry {

struct SecondAnswer {
  const Observation* observation = nullptr;  ///< null: not asked again
  std::string vantage;                       ///< who asked again
};

class SecondAnswers {
 public:
  /// A re-ask result from `vantage`; a later one for the same vantage, resolver and question
  /// replaces it.
  void add(const std::string& vantage, Observation observation);
  /// The second answer for `first`, seen from `vantage`: its own when there is one, else the
  /// one from the first other vantage in name order.
  SecondAnswer find(const std::string& vantage, const Observation& first) const;
  bool empty() const { return asked_.empty(); }

 private:
  using Key = std::tuple<std::string, std::string, std::uint16_t>;  ///< resolver, canonical name, type
  static Key key_of(const Observation& o);
  std::map<Key, std::map<std::string, Observation>> asked_;  ///< by question, then by vantage
};

}  // namespace mxsentry
