#pragma once
// Output of the mxsentry commands that write one JSON object a line, parsed for assertions.
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mxsentry::test {

inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace mxsentry::test
