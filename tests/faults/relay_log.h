#pragma once
// Reading the log of mxsentry-test-impairment-relay (tests/tools/impairment_relay.cpp): one
// line per datagram event, then '#' lines that sum each direction up.
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace mxsentry::test {

struct RelayEvent {
  std::int64_t t_us = 0;
  std::string direction;  ///< "up" (prober -> responder) or "down"
  std::string event;      ///< "in", "drop" or "send"
  std::uint64_t arrival = 0;
  unsigned id = 0;
  std::string qname;
  unsigned copy = 0;
  bool late = false;
};

struct RelayLog {
  std::vector<RelayEvent> events;
  /// "up.dropped", "down.late", ...: the summary lines' counters.
  std::map<std::string, std::uint64_t> summary;

  /// A summary counter; 0 when the log has none (netem: the relay made no faults).
  std::uint64_t total(const std::string& key) const {
    auto it = summary.find(key);
    return it == summary.end() ? 0 : it->second;
  }
  std::size_t count(const std::string& direction, const std::string& event) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.direction == direction && e.event == event;
    return n;
  }
  std::size_t count(const std::string& direction, const std::string& event, const std::string& qname) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.direction == direction && e.event == event && e.qname == qname;
    return n;
  }
};

/// Throws std::runtime_error on a line it cannot read.
inline RelayLog parse_relay_log(const std::string& text) {
  RelayLog log;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    if (line[0] == '#') {
      std::string hash, direction, pair;
      fields >> hash >> direction;
      while (fields >> pair) {
        auto eq = pair.find('=');
        if (eq == std::string::npos) throw std::runtime_error("relay log: bad summary " + line);
        log.summary[direction + "." + pair.substr(0, eq)] = std::stoull(pair.substr(eq + 1));
      }
      continue;
    }
    RelayEvent e;
    int late = 0;
    if (!(fields >> e.t_us >> e.direction >> e.event >> e.arrival >> e.id >> e.qname >> e.copy >> late))
      throw std::runtime_error("relay log: bad line " + line);
    e.late = late != 0;
    log.events.push_back(e);
  }
  return log;
}

}  // namespace mxsentry::test
