#include "coordinator/sweep/vantage_book.h"

#include <utility>

namespace mxsentry {

void VantageBook::hello(const std::string& vantage, std::map<std::string, std::string> tags,
                        const std::vector<std::string>& local_resolvers) {
  Entry& e = vantages_[vantage];
  e.tags = std::move(tags);
  e.local.clear();
  for (const auto& text : local_resolvers)
    if (auto endpoint = Endpoint::parse(text)) e.local.insert(*endpoint);
}

const std::map<std::string, std::string>& VantageBook::tags(const std::string& vantage) const {
  static const std::map<std::string, std::string> none;
  auto it = vantages_.find(vantage);
  return it == vantages_.end() ? none : it->second.tags;
}

bool VantageBook::open_elsewhere(const std::string& vantage, const Endpoint& resolver) const {
  auto it = vantages_.find(vantage);
  return it != vantages_.end() && it->second.local.count(resolver) == 0;
}

}  // namespace mxsentry
