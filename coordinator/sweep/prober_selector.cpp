#include "coordinator/sweep/prober_selector.h"

#include <stdexcept>

namespace mxsentry {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool ProberSelector::matches(const std::map<std::string, std::string>& tags) const {
  for (const auto& [key, value] : required) {
    auto it = tags.find(key);
    if (it == tags.end() || it->second != value) return false;
  }
  return true;
}

std::string ProberSelector::to_string() const {
  std::string out;
  for (const auto& [key, value] : required) out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

ProberSelector ProberSelector::parse(std::string_view text) {
  ProberSelector selector;
  if (trim(text).empty()) return selector;
  while (true) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    auto eq = item.find('=');
    if (item.empty()) throw std::invalid_argument("prober selector: empty item (expected k=v)");
    if (eq == std::string_view::npos)
      throw std::invalid_argument("prober selector: '" + std::string(item) + "': expected k=v");
    std::string key(trim(item.substr(0, eq)));
    if (key.empty()) throw std::invalid_argument("prober selector: '" + std::string(item) + "': empty key");
    if (!selector.required.emplace(key, std::string(trim(item.substr(eq + 1)))).second)
      throw std::invalid_argument("prober selector: '" + std::string(item) + "': duplicate key '" + key + "'");
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return selector;
}

}  // namespace mxsentry
