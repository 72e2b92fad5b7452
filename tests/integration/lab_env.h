#pragma once
// The lab's settings as `tests/lab/lab up` wrote them to DIR/lab.env (KEY=value lines).

#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>

namespace mxsentry::test {

inline std::map<std::string, std::string> lab_env() {
  std::ifstream in(std::string(MXSENTRY_LAB_DIR) + "/lab.env");
  REQUIRE(in.good());
  std::map<std::string, std::string> env;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || line[0] == '#') continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
    env[line.substr(0, eq)] = value;
  }
  return env;
}

}  // namespace mxsentry::test
