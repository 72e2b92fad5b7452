#pragma once
// An authoritative server's response as the truth iterator reads it: an owned ldns_pkt with
// the questions it asks of it (is this a referral? where is the zone apex? which records?).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "coordinator/truth/dnssec_ldns.h"
#include "protocol/dns/ldns_include.h"
#include "protocol/dns/names.h"

namespace mxsentry {

/// An owned list of owned records (the validator's type, so lists pass between the two).
using dnssec::RrList;

class DnsMessage {
 public:
  /// Parses wire bytes; nullopt when ldns cannot.
  static std::optional<DnsMessage> parse(std::span<const std::uint8_t> wire);

  int rcode() const;
  bool authoritative() const;
  const ldns_pkt* packet() const { return packet_.get(); }

  /// Copies of the records of a section, optionally only one type and/or one owner name.
  RrList records(ldns_pkt_section section, std::optional<std::uint16_t> type = std::nullopt,
                 const std::string* owner = nullptr) const;
  /// RRSIGs of a section that cover `covered` (and have that owner, if given).
  RrList signatures(ldns_pkt_section section, std::uint16_t covered, const std::string* owner = nullptr) const;

  /// The delegation in a referral: the NS owner (the child zone) when the response is a
  /// non-authoritative NOERROR without answers and its authority holds NS records.
  std::optional<std::string> referral_zone() const;
  /// NS names of `zone` in the authority (referral) or answer section.
  std::vector<std::string> ns_names(const std::string& zone, ldns_pkt_section section) const;
  /// Addresses for `name` in the additional section (glue).
  std::vector<Endpoint> glue(const std::string& name, bool ipv6) const;
  /// Owner of the SOA in the answer or authority section: the zone apex.
  std::optional<std::string> soa_owner() const;

 private:
  struct PacketDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
  };
  std::unique_ptr<ldns_pkt, PacketDeleter> packet_;
};

}  // namespace mxsentry
