#pragma once
// What a prober saw when it asked one resolver one question: the unit of measurement.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

/// not_asked: the task was refused on purpose and never sent (prober/core/not_asked.h).
enum class Outcome { answer, timeout, malformed, network_error, not_asked };
enum class Transport { udp, tcp };

/// Why a task was not asked. A refusal is policy, not a failure of the resolver.
enum class NotAskedReason {
  opt_out,              ///< on the prober's opt-out lists
  opt_out_coordinator,  ///< on the coordinator's opt-out lists when it dispatched the unit
  private_refused,      ///< a private or special-purpose address this vantage does not ask
  bad_address,          ///< the task's resolver is not an address
};

const char* to_string(Outcome outcome);
const char* to_string(Transport transport);
/// "opt-out", "opt-out-coordinator", "private-refused", "bad-address".
const char* to_string(NotAskedReason reason);
std::optional<NotAskedReason> not_asked_reason_from_string(std::string_view text);

struct ResourceRecord {
  std::string name;   ///< owner, presentation format with the trailing dot
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string rdata;  ///< presentation format of the rdata fields, space separated

  bool operator==(const ResourceRecord&) const = default;
};

struct HeaderFlags {
  bool aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
  bool operator==(const HeaderFlags&) const = default;
};

struct Edns {
  bool present = false;
  std::uint16_t udp_size = 0;
  std::uint8_t version = 0;
  bool do_bit = false;
  bool operator==(const Edns&) const = default;
};

/// A further response that matched the query after the first one and differed from it.
struct ExtraResponse {
  int rcode = 0;
  std::vector<ResourceRecord> answers;
  double after_ms = 0;  ///< time since the first accepted response
};

struct Observation {
  Endpoint resolver;
  std::string qname;
  std::uint16_t qtype = 0;
  std::uint64_t task_index = 0;

  Outcome outcome = Outcome::timeout;
  std::string error;  ///< why, for malformed, network_error and not_asked
  std::optional<NotAskedReason> not_asked;  ///< set exactly when outcome is not_asked
  int rcode = -1;     ///< -1 when there was no answer
  HeaderFlags flags;
  std::vector<ResourceRecord> answers;    ///< answer section without RRSIGs
  std::vector<ResourceRecord> rrsigs;     ///< RRSIGs of the answer section
  std::vector<ResourceRecord> authority;  ///< authority section, rdata left empty (a summary)
  Edns edns;

  double rtt_ms = 0;       ///< from the last send to the accepted response
  std::int64_t time_ms = 0;  ///< wall clock (Unix ms) of the accepted response or the give-up
  Transport transport = Transport::udp;
  int attempts = 0;
  std::uint32_t unsolicited = 0;  ///< packets that reached this query's socket and ID but failed checks
  std::vector<ExtraResponse> extra_responses;
  std::vector<std::uint8_t> message;  ///< the accepted response, when the task asked to keep it
};

}  // namespace mxsentry
