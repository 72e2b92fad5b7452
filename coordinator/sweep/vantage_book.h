#pragma once
// What the coordinator heard from each prober since it started (pure): the tags and the local
// resolvers of its HELLO, kept after it has gone. It says which of a gone vantage's resolvers
// another vantage may ask in its place: an open one, given to the sweep for every vantage, not
// one only that vantage reaches (its ISP's, its network's).

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

class VantageBook {
 public:
  /// A HELLO: replaces what the vantage said before. Local resolvers that do not parse are left
  /// out (the planner cannot ask them either).
  void hello(const std::string& vantage, std::map<std::string, std::string> tags,
             const std::vector<std::string>& local_resolvers);

  /// Whether the coordinator has heard a HELLO from `vantage` since it started.
  bool known(const std::string& vantage) const { return vantages_.count(vantage) > 0; }
  /// The tags `vantage` declared; empty when it is not known.
  const std::map<std::string, std::string>& tags(const std::string& vantage) const;
  /// Whether another vantage may ask `resolver` in place of `vantage`: it is not one of
  /// `vantage`'s local resolvers. False for a vantage not known, whose local resolvers are not.
  bool open_elsewhere(const std::string& vantage, const Endpoint& resolver) const;

 private:
  struct Entry {
    std::map<std::string, std::string> tags;
    std::unordered_set<Endpoint, EndpointHash> local;
  };
  std::map<std::string, Entry> vantages_;
};

}  // namespace mxsentry
