#pragma once
// What the truth iterator learns: who serves a zone, and what every one of them answers.

#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/truth/dnssec_validator.h"
#include "protocol/dns/endpoint.h"
#include "prober/core/observation.h"

namespace mxsentry {

struct NameServer {
  std::string name;  ///< canonical: lower case, trailing dot
  std::vector<Endpoint> addresses;
};

struct Delegation {
  std::string zone;
  std::vector<NameServer> servers;
  std::uint32_t expires = 0;  ///< Unix seconds; 0 = never (root hints)
};

/// One authoritative server's answer to one of the repeated questions.
struct ServerAnswer {
  std::string server;  ///< NS name
  Endpoint address;
  Outcome outcome = Outcome::timeout;
  std::string error;
  int rcode = -1;
  bool authoritative = false;
  std::vector<ResourceRecord> answers;  ///< without RRSIGs
  std::size_t rrsigs = 0;
  dnssec::Verdict dnssec;
};

/// The authoritative truth for one (name, type).
struct Truth {
  std::string qname;
  std::uint16_t qtype = 0;
  std::string zone;   ///< the zone holding qname (of the last name of a CNAME chain: see cname_chain)
  int rcode = -1;     ///< NOERROR / NXDOMAIN as the servers say; -1 when none answered
  std::string error;  ///< why there is no truth (lame delegation, unreachable servers, limits)
  std::vector<ServerAnswer> servers;
  std::vector<ResourceRecord> answers;  ///< the union over servers and repeats, CNAME chain included
  std::uint32_t ttl_min = 0, ttl_max = 0;
  std::vector<std::string> cname_chain;  ///< the names followed after qname
  dnssec::Verdict dnssec;
};

}  // namespace mxsentry
